"""What every command shares: Chinese help formatting, exit codes, the --registry option."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import click

from ..check.registry import REGISTRY_ENV
from ..core import progress
from ..core.choices import choice

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_SECTIONS = {"Options": "选项（Options）", "Commands": "命令（Commands）", "Arguments": "参数（Arguments）"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法（Usage）: ")

    def section(self, name: str) -> Any:
        return super().section(_SECTIONS.get(name, name))


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出（Show this message and exit）。"
        return option


class ChineseGroup(ChineseCommand, click.Group):
    command_class = ChineseCommand
    group_class = type  # subgroups use this same class


def registry_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--registry", "registry_dir", envvar=REGISTRY_ENV, default="registry", show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=f"名册文件夹（registry folder）；也可用环境变量 {REGISTRY_ENV} 指定。",
    )(func)




def _click_bar(label: str, total: int) -> AbstractContextManager[progress.Advance]:
    @contextmanager
    def bar() -> Iterator[progress.Advance]:
        with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as shown:
            yield shown.update

    return bar()


@contextmanager
def progress_bars() -> Iterator[None]:
    """Progress bars on stderr while the block runs — only on an interactive terminal."""
    with progress.reporting(_click_bar if sys.stderr.isatty() else None):
        yield


class Labelled(click.ParamType):
    """A coded choice typed as the code or as its Chinese name (在库 or active; 单位推荐 or unit_recommended)."""

    name = "选项"

    def __init__(self, names: dict[str, str], group: str | None = None) -> None:
        self.names, self.group = names, group

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        code = choice(self.group, text) if self.group else None
        code = code or next((c for c, name in self.names.items() if text in (c, name)), None)
        if code in self.names:
            return str(code)
        shown = "、".join(f"{name}（{c}）" for c, name in self.names.items())
        self.fail(f"“{value}”不是可选的值：可选 {shown}", param, ctx)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "|".join(self.names.values())
