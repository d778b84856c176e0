"""`roster readmit`: a person recorded 不予入库, who withdrew, or removed where removal is not final, applies again."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import readmit as readmit_people
from .common import ChineseCommand, expected, parse_day, registry_option, show_result, today, writes_registry


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="重新登记为候选人的日期，默认今天（北京时间）。")
@click.option("--reference", help="受理再次申请（或推荐）的登记编号、文号。")
@click.option("--application-date", metavar="YYYY-MM-DD", help="本人再次申请的日期（可不写）。")
@click.option("--application-reference", help="再次申请材料的存档编号。")
@click.option("--note", help="补充说明（不得含个人隐私）。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def readmit(registry_dir: Path, ids: tuple[str, ...], day: str | None, reference: str | None,
            application_date: str | None, application_reference: str | None, note: str | None, dry_run: bool) -> None:
    """再次申请（readmit）：不予入库、主动退出或已移出的人员再次申请，状态改回候选（candidate）。

    在原记录上办理：status_history 原有各条不动，末尾追加一条（日期、原因代码 applied、依据条款取自政策预设、
    文号）。此后须重新资格审查、公示（roster announce candidates），办结后 roster admit；以前的公示不再作数，
    以前的聘期在入库时移入 past_terms。

    被移出者能否再次申请由政策预设决定：西藏办法第二十八条规定“被移出专家库的，不得重新申报入库”，
    xz-2023 预设下本命令拒绝办理；贵阳规定、晋宁办法没有这一限制，可以办理。主动退出者（西藏办法第三十条）
    和不予入库者在各预设下都可以再次申请。

    \b
    示例（Example）:
      roster readmit E0059 --date 2026-12-18 --reference 再次申请登记2026-12
    """
    now = today()
    with expected():
        on = parse_day(day, "--date", now)
        applied = parse_day(application_date, "--application-date", now) if application_date else None
        result = readmit_people(registry_dir, list(ids), on=on, today=now, reference=reference, applied=applied,
                                application_reference=application_reference, note=note, dry_run=dry_run)
    show_result(result, dry_run)
