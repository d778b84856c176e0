"""What the registry-changing commands share: one-line errors, findings, progress bars, today's date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, Any

import click

from ..core.errors import EditError
from ..core.findings import SEVERITY_LABEL, Finding
from ..core.timeutil import parse_date, today_beijing
from ..staff.changeset import Checked, InvalidChange
from ..staff.session import Result
from .common import EXIT_INVALID, EXIT_USAGE, progress_bars

__all__ = ["Failed", "MissingOptions", "expected", "finding_lines", "parse_day", "progress_bars", "show_checked",
           "show_result", "show_written", "today"]


class Failed(click.ClickException):
    """An expected problem: “错误：…” on stderr, exit 1, nothing changed on disk."""

    exit_code = EXIT_INVALID

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class MissingOptions(click.UsageError):
    """Required answers missing and no terminal to ask them on: exit 2."""

    exit_code = EXIT_USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


def finding_lines(findings: list[Finding]) -> list[str]:
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.col}: {SEVERITY_LABEL[f.severity]}: {f.message} [{f.rule}]")
        if f.citation:
            lines.append(f"    依据：{f.citation}")
    return lines


@contextmanager
def expected() -> Iterator[None]:
    """Turn the library's expected errors into one Chinese line (after the findings, if any)."""
    try:
        yield
    except InvalidChange as exc:
        for line in finding_lines(exc.findings):
            click.echo(line, err=True)
        raise Failed(str(exc)) from None
    except EditError as exc:
        raise Failed(str(exc)) from None


def today() -> date:
    try:
        return today_beijing()
    except ValueError as exc:
        raise Failed(str(exc)) from None


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


def parse_day(value: str | None, option: str, default: date | None = None) -> date:
    if value is None:
        if default is None:
            raise Failed(f"请写明 {option}")
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise Failed(f"{option} 有误：{exc}") from None


