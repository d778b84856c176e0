"""`roster policy list` and `roster policy show PRESET`."""

from __future__ import annotations

from pathlib import Path

import click

from ..policies import preset_ids, read_bureau_settings, render_list, render_markdown, render_text
from .common import ChineseGroup, RosterError, registry_option

_RENDERERS = {"markdown": render_markdown, "text": render_text}


@click.group(cls=ChineseGroup)
def policy() -> None:
    """政策预设（policy presets）：规章转成的检查规则、参数和条款。

    \b
      roster policy list              列出随工具提供的政策预设
      roster policy show xz-2023      显示一个预设的全部规则、参数和依据条款
    """


@policy.command("list")
@registry_option
def list_presets(registry_dir: Path) -> None:
    """列出政策预设（list the presets）。

    每行一个预设：编号、适用名册、依据的规章及其状态；标出名册设置（registry.yaml）中本局采用的预设。

    \b
    示例（Example）:
      roster policy list
    """
    chosen = {preset_id: roster for preset_id, (roster, _) in read_bureau_settings(registry_dir).items()}
    click.echo(render_list(preset_ids(), chosen))


@policy.command("show")
@registry_option
@click.argument("preset")
@click.option("--format", "output_format", default="text", show_default=True, metavar="text|markdown",
              help="输出格式：text 供终端阅读，markdown 为网站上的规章说明页。")
def show(registry_dir: Path, preset: str, output_format: str) -> None:
    """显示一个政策预设（show a preset）：每条规则的编号、依据条款、原文、参数和严重程度，以及原因代码。

    名册设置（registry.yaml）采用这个预设时，一并列出本局调整的参数和停用的规则。

    \b
    示例（Example）:
      roster policy show xz-2023
      roster policy show jn --format markdown > 晋宁社会监督员规则.md
    """
    if output_format not in _RENDERERS:
        raise RosterError(f"--format 只能是 text 或 markdown，现在是“{output_format}”")
    bureau = read_bureau_settings(registry_dir).get(preset)
    click.echo(_RENDERERS[output_format](preset, bureau[1] if bureau else None), nl=False)
