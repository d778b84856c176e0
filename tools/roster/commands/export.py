"""`roster export experts|supervisors|institutions`: a roster as .xlsx or .csv with Chinese column names."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..policies.presets import label
from ..staff.exporter import ROSTERS, write_export
from .common import ChineseCommand, Labelled, expected, progress_bars, registry_option, today

STATUSES = ("candidate", "active", "suspended", "expired", "withdrawn", "removed", "rejected")


@click.command(cls=ChineseCommand)
@registry_option
@click.argument("roster", type=click.Choice(ROSTERS), metavar="experts|supervisors|institutions")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="xlsx（Excel 工作簿）或 csv（UTF-8 带 BOM，Excel 可直接打开）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="写入的文件，必须在仓库以外，不覆盖已有文件；csv 不写时打印到屏幕。")
@click.option("--status", "statuses", multiple=True, type=Labelled({s: label("statuses", s) for s in STATUSES}, "statuses"),
              help="只导出这些状态的人员（可写多次，写中文如 在库，或代码如 active），默认全部。")
@click.option("--with-birth", is_flag=True, help="同时导出出生年月（只供内部核对年龄；默认不导出）。")
@click.option("--print", "for_print", is_flag=True,
              help="打印版：标题、序号和常用栏目，A4 横向、适应页宽、每页重复表头，页脚注明内部资料（只限 xlsx）。")
def export(registry_dir: Path, roster: str, fmt: str, out: Path | None, statuses: tuple[str, ...],
           with_birth: bool, for_print: bool) -> None:
    """导出名册（export）：专家、社会监督员或单位，中文列名，供离线核对和打印。

    导出的是内部工作资料：包含状态、聘期、入库方式等；永不导出身份指纹 person_key、利益关系、
    承诺事项和例外审批；出生年月只在加 --with-birth 时导出。文件只能写在仓库以外，以免误提交。

    \b
    示例（Example）:
      roster export experts --format xlsx --out ~/专家名单.xlsx --status 在库
      roster export experts --print --out ~/专家名单（打印）.xlsx --status 在库
      roster export supervisors --format csv > ~/社会监督员.csv
    """
    now = today()
    with expected(), progress_bars():
        result, data, path = write_export(registry_dir, roster, fmt, out, as_of=now, statuses=statuses,
                                          with_birth=with_birth, for_print=for_print)
    if path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    click.echo(f"已导出 {len(result.rows)} 条到 {out}（{result.sheet}，{fmt}；内部资料，不得公开）")
