"""`roster admit`: candidates become active (入库 / 聘任)."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import admit as admit_people
from .common import (
    ChineseCommand,
    RosterError,
    expected,
    parse_day,
    registry_option,
    show_result,
    today,
    writes_registry,
)


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="入库（聘任）日期，也是聘期开始日，默认今天（北京时间）。")
@click.option("--reference", help="入库决定或聘任文件的文号，写入状态记录。")
@click.option("--certificate", "certificates", multiple=True, metavar="编号=证号",
              help="社会监督员的《社会监督员证》编号，例如 S0011=JN-2026-011（可写多次）。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def admit(registry_dir: Path, ids: tuple[str, ...], day: str | None, reference: str | None,
          certificates: tuple[str, ...], dry_run: bool) -> None:
    """候选人入库（专家）或聘任（社会监督员）：状态改为在库（active）。

    写入入库日期、聘期（开始日加政策规定的年数减一天），并在 status_history 末尾追加一条
    （原因 admitted 或 appointed，及依据条款）。公开征集的专家须已经公示并办结（roster announce
    close），主动邀请的专家须已登记本人同意；不符合时不写入任何文件。

    \b
    示例（Example）:
      roster admit E0061 --date 2026-12-18 --reference 示医保发〔2026〕30号
      roster admit S0013 --certificate S0013=JN-2026-013
    """
    now = today()
    pairs: dict[str, str] = {}
    for text in certificates:
        person, sep, number = text.partition("=")
        if not sep and len(ids) == 1:
            person, number = ids[0], text
        elif not sep or not person.strip() or not number.strip():
            raise RosterError(f"--certificate “{text}” 格式不对：应为 编号=证号，例如 S0011=JN-2026-011")
        pairs[person.strip()] = number.strip()
    with expected():
        on = parse_day(day, "--date", now)
        result = admit_people(registry_dir, list(ids), on=on, today=now, reference=reference,
                              certificates=pairs, dry_run=dry_run)
    show_result(result, dry_run)
