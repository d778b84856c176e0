"""`roster renew`: a new term after re-review (续聘)."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import renew as renew_people
from .common import ChineseCommand, expected, parse_day, registry_option, show_result, today, writes_registry


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--start", metavar="YYYY-MM-DD",
              help="新聘期开始日期。默认：在库者为本届聘期结束的次日；期满退出者为今天。")
@click.option("--reference", help="续聘决定的文号（期满退出者重新在库时写入状态记录）。")
@click.option("--consent-date", metavar="YYYY-MM-DD", help="本人同意续聘的日期（晋宁办法第十条等要求本人同意时必填）。")
@click.option("--consent-reference", help="本人同意书的编号（专家）。")
@click.option("--application-date", metavar="YYYY-MM-DD", help="本人续聘申请的日期（西藏办法第二十九条：期满需再次申请，须填写）。")
@click.option("--application-reference", help="续聘申请材料的编号。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def renew(registry_dir: Path, ids: tuple[str, ...], start: str | None, reference: str | None,
          consent_date: str | None, consent_reference: str | None, application_date: str | None,
          application_reference: str | None, dry_run: bool) -> None:
    """续聘（renew）：经审查通过后开始新的聘期。

    本届聘期移入 past_terms（不改写），新聘期 = 开始日至开始日加政策规定的年数减一天。
    在 status_history 追加一条续聘决定（原因 renewed、依据条款、文号、本人申请）：期满退出（expired）的人员
    同时恢复为在库，仍在库的人员状态不变。续聘最早在本届聘期结束前 180 天（预设参数）办理；续聘时按新聘期
    开始日重新检查年龄等入库条件。

    \b
    示例（Example）:
      roster renew E0008 --application-date 2026-12-01
      roster renew S0001 --consent-date 2026-12-10
    """
    now = today()
    with expected():
        begin = parse_day(start, "--start") if start else None
        consent = parse_day(consent_date, "--consent-date") if consent_date else None
        applied = parse_day(application_date, "--application-date") if application_date else None
        result = renew_people(registry_dir, list(ids), today=now, start=begin, reference=reference,
                              consent=consent, consent_reference=consent_reference, applied=applied,
                              application_reference=application_reference, dry_run=dry_run)
    show_result(result, dry_run)
