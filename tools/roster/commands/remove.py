"""`roster remove`: removal from the roster (移出 / 停止聘用) with a reason code and its clause."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.changes import remove as remove_people
from .common import ChineseCommand, registry_option
from .staffkit import expected, parse_day, show_result, today


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("ids", nargs=-1, required=True, metavar="编号…")
@click.option("--reason", required=True, metavar="代码",
              help="移出原因代码，取自名册的政策预设（roster policy show xz-2023 列出全部代码及条款）。")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="移出决定生效的日期，默认今天（北京时间）。")
@click.option("--reference", help="移出决定或公告的文号。")
@click.option("--note", help="补充说明（不得含个人隐私）。")
@click.option("--dry-run", is_flag=True, help="只校验，不写入。")
def remove(registry_dir: Path, ids: tuple[str, ...], reason: str, day: str | None, reference: str | None,
           note: str | None, dry_run: bool) -> None:
    """移出（remove）：状态改为移出（removed）。

    在 status_history 末尾追加一条：日期、原因代码、依据条款（取自政策预设）、文号。
    是否终局由政策预设决定：西藏办法下被移出专家库的，不得重新申报入库；贵阳、晋宁预设下可重新登记为候选人。

    \b
    示例（Example）:
      roster remove E0010 --reason three_bad_records --date 2026-12-15 --reference 示医保发〔2026〕40号
    """
    now = today()
    with expected():
        on = parse_day(day, "--date", now)
        result = remove_people(registry_dir, list(ids), reason=reason, on=on, today=now, reference=reference,
                               note=note, dry_run=dry_run)
    show_result(result, dry_run)
