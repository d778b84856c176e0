"""`roster reject`: a candidate is not admitted (不予入库)."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import reject as reject_people
from .common import ChineseCommand, expected, parse_day, registry_option, show_result, today, writes_registry


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--reason", metavar="代码", help="不予入库原因代码，如 review_failed（资格审查未通过）、objection_upheld（公示异议成立）。")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="决定的日期，默认今天（北京时间）。")
@click.option("--reference", help="审查结论或公示结果的编号。")
@click.option("--note", help="补充说明（不得含个人隐私）。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def reject(registry_dir: Path, ids: tuple[str, ...], reason: str | None, day: str | None, reference: str | None,
           note: str | None, dry_run: bool) -> None:
    """不予入库（reject）：候选人资格审查未通过或公示异议成立，状态改为不予入库（rejected）。

    这不是主动退出：在 status_history 末尾追加一条（日期、原因代码、依据条款取自政策预设、文号）。
    以后再次申请的，可重新登记为候选人。

    \b
    示例（Example）:
      roster reject E0059 --reason objection_upheld --date 2026-12-18 --reference A2026-002
    """
    now = today()
    with expected():
        on = parse_day(day, "--date", now)
        result = reject_people(registry_dir, list(ids), reason=reason, on=on, today=now, reference=reference,
                               note=note, dry_run=dry_run)
    show_result(result, dry_run)
