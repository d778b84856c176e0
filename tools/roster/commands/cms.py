"""`roster cms config` and `roster cms build`: the staff form editor (Decap CMS) for the internal site."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import yaml

from ..cms.admin import assemble
from ..cms.config import CmsError, build_config, render
from .common import EXIT_INVALID, ChineseGroup, registry_option

CMS_DIR = Path("tools/cms")


def _config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--settings", default=CMS_DIR / "settings.yml", show_default=True,
                        type=click.Path(dir_okay=False, exists=True, path_type=Path),
                        help="后端设置（本局的代码托管平台）。")(func)
    func = click.option("--schemas", "schema_dir", default="schemas", show_default=True,
                        type=click.Path(file_okay=False, exists=True, path_type=Path), help="JSON Schema 文件夹。")(func)
    return registry_option(func)


def _config_text(registry_dir: Path, schema_dir: Path, settings: Path) -> str:
    try:
        loaded = yaml.safe_load(settings.read_text(encoding="utf-8"))
        return render(build_config(loaded if isinstance(loaded, dict) else {}, schema_dir, registry_dir))
    except (CmsError, yaml.YAMLError) as exc:
        raise click.ClickException(f"{settings}: {exc}") from None


@click.group(cls=ChineseGroup)
def cms() -> None:
    """内部网站的表单编辑器 /admin/（Decap CMS）：生成配置、组装目录。"""


@cms.command()
@_config_options
@click.option("--out", default=CMS_DIR / "admin" / "config.yml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="写到哪里。")
@click.option("--check", is_flag=True, help="不写文件，只检查 OUT 是否与 schema 生成的一致（CI 用）。")
def config(registry_dir: Path, schema_dir: Path, settings: Path, out: Path, check: bool) -> None:
    """从 JSON Schema 生成 Decap CMS 配置（generate the editor's config.yml from the schemas）。

    一类记录一个集合；schema 的中文标题和说明成为表单的标签和提示，枚举成为下拉选项，
    单位编号成为从单位名册里选择的关联控件。后端（Forgejo、GitHub）在 --settings 文件里；
    --registry 是名册文件夹相对于仓库根目录的路径。

    \b
    示例（Example）:
      roster cms config
      roster cms config --check
    """
    text = _config_text(registry_dir, schema_dir, settings)
    if check:
        current = out.read_text(encoding="utf-8") if out.is_file() else ""
        if current != text:
            click.echo(f"{out} 与 schema 生成的不一致：运行 roster cms config 重新生成。", err=True)
            sys.exit(EXIT_INVALID)
        click.echo(f"{out} 与 schema 一致。")
        return
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    click.echo(f"已写入 {out}（{len(text.splitlines())} 行）。")


@cms.command()
@_config_options
@click.option("--out", default=Path("build/internal/site/admin"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="admin 目录写到哪里（整个替换）。")
def build(registry_dir: Path, schema_dir: Path, settings: Path, out: Path) -> None:
    """组装内部网站的 /admin/ 目录（index.html、config.yml 和 Decap CMS 本身）。

    config.yml 当场从 schema 生成；Decap CMS 来自 tools/cms/node_modules（make cms 安装），不用 CDN。
    这个目录只放进内部网站，永不放进公示网站。

    \b
    示例（Example）:
      roster cms build --out build/internal/site/admin
    """
    text = _config_text(registry_dir, schema_dir, settings)
    try:
        files = assemble(CMS_DIR, out, text)
    except CmsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已组装 {out}：{len(files)} 个文件。")
