"""What every command shares: Chinese help, the one error mapper, exit codes, --registry, dates, output.

The library raises only the error family of core/errors.py for expected problems. `expected()` is the
one place that turns it into what staff see — the details (findings), then “错误：<one line>” on
stderr — and an exit code (1, or 2 for a usage problem). Every command runs inside it (ChineseCommand).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..check.registry import REGISTRY_ENV
from ..core import progress
from ..core.errors import RosterError, UsageProblem
from ..core.findings import finding_lines
from ..core.timeutil import parse_date, today_beijing
from ..staff import journal

if TYPE_CHECKING:  # only the types: `roster validate` need not import the staff libraries
    from ..staff.changeset import Checked
    from ..staff.session import Result
from ..core.choices import choice

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "ChineseCommand", "ChineseGroup", "RosterError", "UsageProblem",
           "expected", "parse_day", "progress_bars", "registry_option", "show_checked", "show_outcome", "show_result",
           "show_written", "today", "writes_registry"]

_SECTIONS = {"Options": "选项（Options）", "Commands": "命令（Commands）", "Arguments": "参数（Arguments）"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法（Usage）: ")

    def section(self, name: str) -> Any:
        return super().section(_SECTIONS.get(name, name))


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


@contextmanager
def expected() -> Iterator[None]:
    """The one error mapper: an expected error becomes its details, one Chinese line and its exit code."""
    try:
        yield
    except RosterError as exc:
        for line in exc.details():
            click.echo(line, err=True)
        click.echo(f"{exc.label}：{exc}", err=True)
        sys.exit(exc.exit_code)


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command inside the error mapper. A command that changes the registry holds its lock
        throughout; any command first completes a change a killed command left (staff/journal.py)."""
        with expected():
            root = ctx.params.get("registry_dir")
            if not isinstance(root, Path) or not root.is_dir():
                return super().invoke(ctx)
            if getattr(self.callback, "writes_registry", False):
                with journal.locked(root):
                    _tell(journal.recover(root))
                    return super().invoke(ctx)
            if journal.pending(root):
                with journal.locked(root):
                    _tell(journal.recover(root))
            return super().invoke(ctx)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出（Show this message and exit）。"
        return option


class ChineseGroup(ChineseCommand, click.Group):
    command_class = ChineseCommand
    group_class = type  # subgroups use this same class


def _tell(note: str | None) -> None:
    if note:
        click.echo(note, err=True)


def writes_registry(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a command's function as one that changes the registry (put it below @click.command)."""
    setattr(func, "writes_registry", True)  # noqa: B010
    return func


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


def today() -> date:
    """Today in Beijing (or ROSTER_TODAY)."""
    try:
        return today_beijing()
    except ValueError as exc:
        raise RosterError(str(exc)) from None


def parse_day(value: str | None, option: str, default: date | None = None) -> date:
    """The date an option gives (YYYY-MM-DD), or `default`; a missing or bad date is an expected error."""
    if value is None:
        if default is None:
            raise RosterError(f"请写明 {option}")
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise RosterError(f"{option} 有误：{exc}") from None


def show_checked(checked: Checked) -> None:
    """Warnings the change brings, and a reminder of errors the registry already had."""
    for line in finding_lines(checked.new_warnings):
        click.echo(line, err=True)
    if checked.old_errors:
        click.echo(f"注意：名册中原有 {checked.old_errors} 个错误（与本次修改无关），请运行 roster validate 查看并修正。", err=True)


def show_written(written: list[str]) -> None:
    click.echo(f"已写入 {len(written)} 个文件：")
    for path in written:
        click.echo(f"  {path}")


def show_outcome(written: list[str], checked: Checked | None, dry_run: bool) -> None:
    """The files written (or that a dry run wrote none), then what the check of the change found."""
    if dry_run:
        click.echo("（--dry-run：校验通过，未写入任何文件）")
    else:
        show_written(written)
    if checked is not None:
        show_checked(checked)


def show_result(result: Result, dry_run: bool) -> None:
    """What was done, the files written (or that nothing was, for a dry run), warnings, next steps."""
    for line in result.lines:
        click.echo(line)
    show_outcome(result.written, result.checked, dry_run)
    for step in result.next_steps:
        click.echo(f"下一步：{step}")


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
