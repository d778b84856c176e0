"""`roster import`: the unit recommendation summary table (XZ 附件2) as expert candidates."""

from __future__ import annotations

from pathlib import Path

import click

from ..policies.presets import label
from ..staff.importer import ImportReport, import_table
from .common import (
    ChineseCommand,
    Labelled,
    expected,
    parse_day,
    progress_bars,
    registry_option,
    show_outcome,
    today,
    writes_registry,
)


@click.command("import", cls=ChineseCommand)
@registry_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="文件")
@click.option("--dry-run", is_flag=True, help="只检查并显示将要新建的记录，不写入任何文件。")
@click.option("--create-institutions", is_flag=True,
              help="名册中没有的单位自动新建（类型按名称猜测，须人工核对）；不加时这些行报错。")
@click.option("--recommended-by", metavar="单位", help="推荐单位（编号、名称或别名）；默认取表头上方“填表单位”，都没有时为本人工作单位。")
@click.option("--route", type=Labelled({"unit_recommended": "单位推荐", "open_call": "个人自荐"}, "expert_routes"),
              default="unit_recommended", help="入库方式：单位推荐（unit_recommended，默认）、个人自荐（open_call），写中文或代码均可。")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="登记为候选人的日期（写入状态记录），默认今天（北京时间）。")
@click.option("--contacts-out", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="把手机号码、邮箱、微信号另存到这个 CSV 文件（必须在仓库以外；不会覆盖已有文件）。")
@writes_registry
def import_command(registry_dir: Path, file: Path, dry_run: bool, create_institutions: bool,
                   recommended_by: str | None, route: str, day: str | None, contacts_out: Path | None) -> None:
    """导入《××单位推荐专家入库（申请）汇总表》（西藏办法附件2），每行新建一位专家候选人。

    读取 .xlsx，或同样栏目的 .csv（UTF-8，带或不带 BOM；或 GBK）。表头以上的标题行、“填表单位”行
    可以保留，读到“填表说明”为止。单位按名称或别名（aliases）匹配；领域对应专家类别。附件2 没有
    的栏目（最高学历、参加工作年月、是否公务员、承诺书签署日期，可选 出生年月、民族、毕业院校、
    所学专业、职称取得年月）请按申请表（附件1）补在表格右侧。

    个人信息：身份证号只用于核对出生年月和性别；设置本局密钥 ROSTER_PERSON_KEY 时换算为身份指纹
    person_key，否则不写入。手机号码、邮箱、微信号一律不写入名册，可用 --contacts-out 另存到仓库以外。

    全部行都正确才写入：有错误的行按表格行号列出，不写入任何文件（退出码 1）。

    \b
    示例（Example）:
      roster import 推荐表.xlsx --dry-run
      roster import 推荐表.xlsx --create-institutions --contacts-out ~/专家联系方式.csv
    """
    now = today()
    on = parse_day(day, "--date", now)
    with expected(), progress_bars():
        report = import_table(registry_dir, file, today=now, on=on, create_institutions=create_institutions,
                              recommended_by=recommended_by, route=route, contacts_out=contacts_out, dry_run=dry_run)
    _show(report, dry_run)


def _show(report: ImportReport, dry_run: bool) -> None:
    table = report.table
    assert table is not None
    verb = "将" if dry_run else "已"
    click.echo(f"读取 {table.where}：表头在第 {table.header_row} 行，{len(report.candidates)} 人")
    click.echo(f"{verb}新建专家候选人 {len(report.candidates)} 人：")
    for c in report.candidates:
        category = label("categories", c.data["category"]) if "category" in c.data else "类别待补"
        missing = f"；尚缺 {len(c.data['incomplete'])} 项材料" if c.data.get("incomplete") else ""
        click.echo(f"  第 {c.row} 行 → {c.data['id']} {c.data['name']}（{category}，{c.data['employer']} {c.employer_name}{missing}）")
    if report.institutions:
        click.echo(f"{verb}新建单位 {len(report.institutions)} 个（请核对单位类型、等级、所属法人单位和行政区划）：")
        for u in report.institutions:
            click.echo(f"  {u['id']} {u['name']}（{label('institution_types', u['type'])}）")
    for note in report.notes:
        click.echo(f"提示：{note}")
    unused = table.unused_headers()
    if unused:
        click.echo(f"提示：以下栏目没有导入：{'、'.join(unused)}")
    show_outcome(report.written, report.checked, dry_run)
    ids = [str(c.data["id"]) for c in report.candidates]
    shown = " ".join(ids) if len(ids) <= 10 else f"{' '.join(ids[:3])} … {ids[-1]}（共 {len(ids)} 人，可分批公示）"
    if any(c.data.get("incomplete") for c in report.candidates):
        click.echo("下一步：收到申请表（附件1）等材料后，把 incomplete 中所列各项填入记录并删去该项；"
                   f"资格审查后公示：roster announce candidates {shown}")
    else:
        click.echo(f"下一步：资格审查后公示：roster announce candidates {shown}")
