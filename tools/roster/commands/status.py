"""`roster status`: what must change on a date; --apply writes the automatic changes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..check.report import summary_line
from ..core.timeutil import parse_date, today_beijing
from ..staff.status import as_json, render_text, run
from .common import EXIT_INVALID, EXIT_OK, ChineseCommand, RosterError, registry_option, writes_registry


@click.command(cls=ChineseCommand)
@registry_option
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="按哪一天计算（北京时间），默认今天。")
@click.option("--format", "output_format", default="text", show_default=True, metavar="text|json",
              help="输出格式：text 供人阅读（表格），json 供其他程序使用。")
@click.option("--apply", "apply_changes", is_flag=True,
              help="把已到期的自动变更（期满、到龄退出）写入记录：改 status，并在 status_history 末尾追加一条"
                   "（日期、原因代码、依据条款），其余内容不变；写入后重新校验。")
@writes_registry
def status(registry_dir: Path, as_of: str | None, output_format: str, apply_changes: bool) -> None:
    """名册状态（what must change on a date）。

    列出截至某日：已届满的聘期、已超过年龄上限的人员、应予移出的人员（如一年内三次不良行为记录），以及 90 天内将届满的聘期和将到龄的人员，每项写明应办事项和依据条款。加 --apply 时把其中可以自动变更的写入名册文件。

    退出码：0 正常；1 输入有误或无法安全写入（此时不修改任何文件），或写入后重新校验仍有错误（例如须本局决定的事项，已写入的自动变更保留）。

    \b
    示例（Example）:
      roster status
      roster status --as-of 2026-03-15
      roster status --apply --format json
    """
    if output_format not in ("text", "json"):
        raise RosterError(f"--format 只能是 text 或 json，现在是“{output_format}”")
    try:
        today = today_beijing()
        on = parse_date(as_of) if as_of is not None else today
    except ValueError as exc:
        raise RosterError(f"--as-of 有误：{exc}" if as_of is not None else str(exc)) from None
    report = run(registry_dir, on, apply=apply_changes, today=today)
    if output_format == "json":
        click.echo(json.dumps(as_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report))
    if report.validation is not None:
        outcome = report.validation
        if output_format == "text":
            click.echo(f"重新校验：{summary_line(outcome.findings, outcome.files)}")
        sys.exit(EXIT_OK if outcome.valid else EXIT_INVALID)
