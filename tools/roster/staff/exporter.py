"""`roster export`: a roster as a spreadsheet with Chinese column names, for offline work and printing.

Decision (also in docs/guide and data/export_columns.yaml): an export is an internal working copy,
not the public list. It holds what staff need to check and print (status, term, route, units by
name), never the keyed fingerprint `person_key`, declared conflicts, pledges or exception approvals,
and the birth month only when asked for (``--with-birth``, for age checks). It is written outside the
repository only, so it cannot be committed by mistake; CSV carries a UTF-8 BOM so Excel reads the
Chinese correctly, and a cell that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..check.registry import Record, Registry
from ..check.validate import open_registry
from ..core import progress
from ..core.cells import spreadsheet_text as _safe
from ..core.errors import EditError
from ..core.files import write_atomic
from ..core.vocab import ROSTER_KIND as KIND
from ..core.vocab import ROSTERS
from ..yamlio.packaged import packaged
from .outputs import output_path
from .scaffold import choice_labels

__all__ = ["ROSTERS", "Export", "columns", "export_rows", "to_csv", "to_print_xlsx", "to_xlsx", "write_export"]



@cache
def _spec() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/export_columns.yaml")
    return data


def columns(roster: str, with_birth: bool = False, for_print: bool = False) -> list[dict[str, Any]]:
    return [c for c in _spec()[roster] if (with_birth or not c.get("birth")) and (c.get("print") or not for_print)]


@dataclass
class Export:
    roster: str
    headers: list[str]
    rows: list[list[str]]
    as_of: date
    statuses: tuple[str, ...]
    with_birth: bool

    @property
    def sheet(self) -> str:
        return str(_spec()["sheet_names"][self.roster])


def _value(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _cell(value: Any, column: dict[str, Any], names: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(_cell(v, column, names) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if column.get("labels"):
        return choice_labels(str(column["labels"])).get(text, text)
    if column.get("institution"):
        return f"{text} {names[text]}" if text in names else text
    return text


def export_rows(registry: Registry, roster: str, *, statuses: Sequence[str] = (), with_birth: bool = False,
                as_of: date, for_print: bool = False) -> Export:
    chosen = columns(roster, with_birth, for_print)
    names = {r.id: str(r.data.get("name", "")) for r in registry.of_kind("institution") if r.id}
    records: list[Record] = sorted((r for r in registry.of_kind(KIND[roster]) if r.id and not r.problems),
                                   key=lambda r: str(r.id))
    if statuses:
        records = [r for r in records if r.data.get("status") in statuses]
    rows = [[_cell(_value(r.data, str(c["field"])), c, names) for c in chosen] for r in records]
    return Export(roster, [str(c["header"]) for c in chosen], rows, as_of, tuple(statuses), with_birth)


def to_csv(export: Export) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(export.headers)
    for row in progress.track(export.rows, "写入 CSV"):
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(export: Export, registry_name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    book.properties.title = f"{export.sheet}（内部资料）"
    sheet = book.create_sheet(export.sheet)
    sheet.freeze_panes = "C2"
    widths = [max([_width(h), *(_width(r[i]) for r in export.rows[:500])]) for i, h in enumerate(export.headers)]
    for i, width in enumerate(widths):
        sheet.column_dimensions[_letter(i)].width = min(max(width + 2, 6), 50)
    bold = Font(bold=True)
    header = []
    for text in export.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in progress.track(export.rows, "写入 Excel"):
        cells = []
        for text in row:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # always text: no formulas, no numbers or dates guessed by Excel
            cells.append(cell)
        sheet.append(cells)
    about = book.create_sheet("说明")
    filters = "、".join(choice_labels("statuses").get(s, s) for s in export.statuses) or "全部"
    for line in (["名册", registry_name], ["导出日期", export.as_of.isoformat()], ["状态", filters],
                 ["人数" if export.roster != "institutions" else "单位数", str(len(export.rows))],
                 ["出生年月", "已导出（仅供核对年龄）" if export.with_birth else "未导出"], ["注意", str(_spec()["notice"])]):
        about.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_print_xlsx(export: Export, registry_name: str) -> bytes:
    """The roster as an office prints it: a title, 序号, the print columns, landscape A4 fitted to the page
    width, the header row repeated on every page, 内部资料 and page numbers in the footer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    book = Workbook()
    sheet = book.active
    sheet.title = export.sheet
    headers = ["序号", *export.headers]
    filters = "、".join(choice_labels("statuses").get(s, s) for s in export.statuses)
    title = f"{registry_name}{export.sheet}" + (f"（{filters}）" if filters else "")
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([f"截至 {export.as_of.year}年{export.as_of.month}月{export.as_of.day}日，共 {len(export.rows)} "
                  + ("人" if export.roster != "institutions" else "个单位")])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet["A2"].alignment = Alignment(horizontal="right")
    sheet.append(headers)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for n, row in enumerate(export.rows, 1):
        sheet.append([str(n), *(_safe(v) for v in row)])
    for cells in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in cells:
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.font = Font(name="宋体", size=10.5, bold=cell.row == 3)
    for i, header in enumerate(headers):
        width = max([_width(header), *(_width(r[i - 1]) for r in export.rows[:500])] if i else [4])
        sheet.column_dimensions[_letter(i)].width = min(max(width + 2, 6), 30)
    sheet.print_title_rows = "3:3"  # the header row on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as many pages long as needed
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "内部资料　不得公开　　第 &P 页 共 &N 页"
    sheet.oddHeader.right.text = "内部资料"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def check_target(registry_dir: Path, target: Path) -> Path:
    """An export goes outside the repository (never committed by mistake) and never over another file."""
    return output_path(registry_dir, target, "导出文件", "~/专家名单.xlsx")


def write_export(registry_dir: Path, roster: str, fmt: str, target: Path | None, *, as_of: date,
                 statuses: Sequence[str] = (), with_birth: bool = False, for_print: bool = False) -> tuple[Export, bytes, Path | None]:
    """The export's bytes, written to `target` (outside the repository) when given."""
    if not registry_dir.is_dir():
        raise EditError(f"找不到名册文件夹 {registry_dir}：请用 --registry 指定，或在项目根目录运行")
    if fmt == "xlsx" and target is None:
        raise EditError("导出 xlsx 须用 --out 指定文件（仓库以外），例如 --out ~/专家名单.xlsx")
    path = check_target(registry_dir, target) if target is not None else None
    registry = open_registry(registry_dir)
    export = export_rows(registry, roster, statuses=statuses, with_birth=with_birth, as_of=as_of, for_print=for_print)
    bureau = (registry.settings.data.get("bureau") or {}).get("name", "") if registry.settings else ""
    if for_print and fmt != "xlsx":
        raise EditError("打印版只能是 xlsx：请去掉 --format csv")
    data = (to_print_xlsx if for_print else to_xlsx)(export, str(bureau)) if fmt == "xlsx" else to_csv(export)
    if path is not None:
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise EditError(f"无法写入 {path}（{exc.strerror}）：没有留下不完整的文件") from None
    return export, data, path
