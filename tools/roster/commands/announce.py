"""`roster announce candidates|close`: a 公示 counted in 工作日, and its outcome."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.announce import KINDS, RESULTS, announce_candidates, close
from .common import (
    ChineseCommand,
    ChineseGroup,
    Labelled,
    expected,
    parse_day,
    registry_option,
    show_result,
    today,
    writes_registry,
)


@click.group(cls=ChineseGroup)
def announce() -> None:
    """公示（publicity notices）：建立公示，公示期满后登记结果。

    \b
      roster announce candidates   为候选人建立公示，公示期按工作日计算
      roster announce close        公示期满后登记异议和结论

    \b
    示例（Example）:
      roster announce candidates E0062 --published 2026-12-18
      roster announce close A2026-002 --objections 0 --outcome passed
    """


@announce.command("candidates", cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--published", metavar="YYYY-MM-DD", help="在官方网站发布的日期，默认今天（北京时间）。")
@click.option("--workdays", type=click.IntRange(1, 30), metavar="N",
              help="公示期工作日数，默认取 registry.yaml 的 announcements.workdays，未设置时为 5。")
@click.option("--kind", type=Labelled(dict(zip(KINDS, ("入库公示", "续聘公示", "聘任公示"), strict=True))),
              help="公示类别：入库公示（admission，专家默认）、续聘公示（renewal）、聘任公示（supervisor，社会监督员默认）。")
@click.option("--title", help="公告标题（默认按模板生成）。")
@click.option("--dry-run", is_flag=True, help="只校验并显示公示期，不写入。")
@writes_registry
def candidates(registry_dir: Path, ids: tuple[str, ...], published: str | None, workdays: int | None,
               kind: str | None, title: str | None, dry_run: bool) -> None:
    """为候选人建立公示（registry/announcements/<年>/A<年>-<序号>.yaml）。

    公示期按工作日计算：法定节假日不计，调休上班的周六、周日计入；在工作日发布的，
    发布当天算第一个工作日。chinese-calendar 软件包尚未收录的年份，须先在
    registry/calendar/<年>.yaml 中按国务院办公厅通知填写当年的节假日安排，否则报错。
    每位候选人的 admission.announcement 写为本公示编号。

    \b
    示例（Example）:
      roster announce candidates E0062 --published 2026-12-18
      roster announce candidates S0013 --workdays 7
    """
    now = today()
    with expected():
        day = parse_day(published, "--published", now)
        result = announce_candidates(registry_dir, list(ids), today=now, published=day, workdays=workdays,
                                     kind=kind, title=title, dry_run=dry_run)
    show_result(result, dry_run)


@announce.command("close", cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="公示编号…")
@click.option("--objections", type=int, required=True, metavar="N", help="公示期内收到的异议件数。")
@click.option("--outcome", type=Labelled(dict(zip(RESULTS, ("通过", "部分通过", "不通过"), strict=True))), required=True,
              help="结论：通过（passed，无异议或异议不成立）、部分通过（partial，部分对象异议成立）、不通过（failed，全部不予通过），"
                   "写中文或代码均可。")
@click.option("--upheld", multiple=True, metavar="编号", help="异议经核实成立、不予入库的对象编号（可写多次，或用逗号分隔）。")
@click.option("--date", "closed", metavar="YYYY-MM-DD", help="办结日期，默认今天（北京时间）；须在公示期满之后。")
@click.option("--note", help="办结说明。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
@writes_registry
def close_command(registry_dir: Path, ids: tuple[str, ...], objections: int, outcome: str, upheld: tuple[str, ...],
                  closed: str | None, note: str | None, dry_run: bool) -> None:
    """公示期满后登记结果（outcome）：异议件数、结论、异议成立的对象。

    结果一经登记不得修改。登记后，公示合格的候选人即可用 roster admit 入库。

    \b
    示例（Example）:
      roster announce close A2026-002 --objections 0 --outcome passed --date 2026-11-26
      roster announce close A2026-002 --objections 1 --outcome partial --upheld E0060
    """
    now = today()
    with expected():
        day = parse_day(closed, "--date", now)
        people = [p for value in upheld for p in value.replace("，", ",").replace(",", " ").split()]
        result = close(registry_dir, list(ids), today=now, objections=objections, outcome=outcome,
                       upheld=people, closed=day, note=note, dry_run=dry_run)
    show_result(result, dry_run)
