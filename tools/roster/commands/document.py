"""`roster document notice|certificate`: Word documents as the office files them."""

from __future__ import annotations

from pathlib import Path

import click

from ..staff.documents import write_document
from .common import ChineseCommand, ChineseGroup, expected, registry_option

_OUT = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="文件",
                    help="写入的 .docx 文件（必须在仓库以外，不覆盖已有文件）。")


@click.group(cls=ChineseGroup)
def document() -> None:
    """Word 文档（document）：公示公告、聘书。抽取的书面记录见 roster draw record --format docx。

    \b
    示例（Example）:
      roster document notice A2026-002 --reference 示医保公〔2026〕3号 --out ~/A2026-002公示.docx
      roster document certificate E0001 --out ~/E0001聘书.docx
    """


@document.command("notice", cls=ChineseCommand)
@registry_option
@click.argument("ident", metavar="公告编号")
@click.option("--reference", metavar="文号", help="发文字号，印在标题下；默认取公告记录的 reference。")
@_OUT
def notice_command(registry_dir: Path, ident: str, reference: str | None, out: Path) -> None:
    """公示公告的 Word 文档：标题、文号、正文、公示对象（姓名、性别、工作单位、职称/职务、类别、专业）、
    公示期、异议方式，落款单位和日期。

    \b
    示例（Example）:
      roster document notice A2026-002 --reference 示医保公〔2026〕3号 --out ~/A2026-002公示.docx
    """
    with expected():
        path = write_document(registry_dir, out, "notice", ident, reference=reference)
    click.echo(f"已写入 {path}")


@document.command("certificate", cls=ChineseCommand)
@registry_option
@click.argument("ident", metavar="人员编号")
@click.option("--number", metavar="证号", help="聘书编号，印在标题下；社会监督员默认取 certificate_no。")
@_OUT
def certificate_command(registry_dir: Path, ident: str, number: str | None, out: Path) -> None:
    """在库专家或社会监督员的聘书（Word 文档）：姓名、聘期、依据的办法，落款单位和入库日期。

    \b
    示例（Example）:
      roster document certificate E0001 --number 示医保专聘〔2026〕001号 --out ~/E0001聘书.docx
    """
    with expected():
        path = write_document(registry_dir, out, "certificate", ident, reference=number)
    click.echo(f"已写入 {path}")
