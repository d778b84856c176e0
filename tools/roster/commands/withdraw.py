"""`roster withdraw`: voluntary withdrawal (主动退出)."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import withdraw as withdraw_people
from .common import ChineseCommand, expected, parse_day, registry_option, show_result, today, writes_registry


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--reason", metavar="代码", help="退出原因代码（政策预设只有一个时可不写，如 own_request）。")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="退出生效的日期，默认今天（北京时间）。")
@click.option("--reference", help="本人申请或确认文件的编号。")
@click.option("--note", help="补充说明（不得含个人隐私）。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def withdraw(registry_dir: Path, ids: tuple[str, ...], reason: str | None, day: str | None, reference: str | None,
             note: str | None, dry_run: bool) -> None:
    """主动退出（withdraw）：本人申请退出，状态改为主动退出（withdrawn）。

    候选人和在库人员都可以退出；在 status_history 末尾追加一条（日期、原因代码、依据条款）。

    \b
    示例（Example）:
      roster withdraw E0020 --date 2026-12-10 --reference 本人申请书（2026年12月8日）
    """
    now = today()
    with expected():
        on = parse_day(day, "--date", now)
        result = withdraw_people(registry_dir, list(ids), reason=reason, on=on, today=now, reference=reference,
                                 note=note, dry_run=dry_run)
    show_result(result, dry_run)
