"""`roster calendar new YEAR`: registry/calendar/<year>.yaml from the State Council's holiday notice."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..staff.holidays import write_calendar
from .common import ChineseCommand, ChineseGroup, RosterError, expected, registry_option, today, writes_registry


@click.group(cls=ChineseGroup)
def calendar() -> None:
    """工作日日历（calendar）：chinese-calendar 软件包尚未收录的年份，按国务院办公厅的节假日安排通知写入名册。

    \b
    示例（Example）:
      roster calendar new 2027 --notice 2027年节假日安排通知.txt
    """


@calendar.command("new", cls=ChineseCommand)
@registry_option
@click.argument("year", type=int, metavar="年份")
@click.option("--notice", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="国务院办公厅通知正文的文本文件（从中国政府网复制，UTF-8）；不写时从标准输入读取。")
@click.option("--source", metavar="文号", help="通知的标题和文号，写入 source，默认“国务院办公厅关于YYYY年部分节假日安排的通知”。")
@click.option("--dry-run", is_flag=True, help="只校验并显示，不写入。")
@writes_registry
def new_calendar(registry_dir: Path, year: int, notice: Path | None, source: str | None, dry_run: bool) -> None:
    """按通知写出 registry/calendar/<年份>.yaml：各节日的放假日期（holidays）和调休上班日（workdays）。

    通知每段的写法是固定的，例如“二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）
    放假调休，共8天。1月26日（周日）、2月8日（周六）上班。”；本命令逐段读出日期，写入前按 roster validate
    校验（含是否齐全：每个法定节日都有放假日期），不通过则不写入。已有的年份文件不会覆盖。

    \b
    示例（Example）:
      roster calendar new 2027 --notice 2027年节假日安排通知.txt --dry-run
    """
    try:
        text = notice.read_text(encoding="utf-8") if notice else sys.stdin.read()
    except (OSError, UnicodeDecodeError):
        raise RosterError(f"无法读取通知文件 {notice}：请另存为 UTF-8 编码的文本文件") from None
    with expected():
        target, holidays, written = write_calendar(registry_dir, year, text, today=today(), source=source, dry_run=dry_run)
    for holiday in holidays:
        work = "；调休上班 " + "、".join(d.isoformat() for d in holiday.workdays) if holiday.workdays else ""
        click.echo(f"  {holiday.names}：{holiday.off[0].isoformat()} 至 {holiday.off[-1].isoformat()} 放假，共 {len(holiday.off)} 天{work}")
    click.echo(f"（--dry-run：校验通过，未写入 {target}）" if dry_run else f"已写入 {written[0]}")
