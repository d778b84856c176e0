"""Reading a staff spreadsheet: .xlsx, or .csv in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16.

A table is found by its header row (the first row, among the first 30, that names at least three
known columns — title lines such as “××单位推荐专家入库（申请）汇总表” and “填表单位（盖章）：…”
above it are allowed), then read down to the first “填表说明” line. Rows are numbered as the
spreadsheet program shows them (Excel row number; CSV line number), so staff can find them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.errors import EditError

__all__ = ["Row", "Table", "normalize_header", "read_table"]

HEADER_SCAN = 30
_SPACE = re.compile(r"\s+")
_MARKS = re.compile(r"[*＊]|（必填）|\(必填\)")


@dataclass
class Row:
    number: int
    cells: dict[str, Any]  # column key → value as read (str, int, float, date or None)


@dataclass
class Table:
    source: str
    sheet: str | None
    header_row: int
    columns: dict[str, int]  # column key → 0-based position
    headers: dict[int, str]  # position → header as written
    rows: list[Row] = field(default_factory=list)
    preamble: list[list[Any]] = field(default_factory=list)  # rows above the header

    @property
    def where(self) -> str:
        return f"{self.source}（工作表“{self.sheet}”）" if self.sheet else self.source

    def unused_headers(self) -> list[str]:
        used = set(self.columns.values())
        return [h for i, h in sorted(self.headers.items()) if i not in used and h]


def normalize_header(text: Any) -> str:
    if text is None:
        return ""
    return _MARKS.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", str(text))))


def _aliases(columns: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, spec in columns.items():
        for name in [spec["header"], *(spec.get("aliases") or [])]:
            found[normalize_header(name)] = key
    return found


def read_table(path: Path, columns: Mapping[str, Mapping[str, Any]], stop_words: tuple[str, ...] = ("填表说明",)) -> Table:
    """The first table in the file whose header names known columns."""
    if not path.is_file():
        raise EditError(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        sheets = _xlsx_sheets(path)
    elif suffix in (".csv", ".txt"):
        sheets = [(None, _csv_rows(path))]
    elif suffix == ".xls":
        raise EditError(f"{path.name} 是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为”.xlsx 后再导入")
    else:
        raise EditError(f"不认识的文件类型 {path.name}：请导入 .xlsx 或 .csv 文件")
    names = _aliases(columns)
    for sheet, rows in sheets:
        table = _table(path.name, sheet, rows, names, stop_words)
        if table is not None:
            return table
    wanted = "、".join(str(columns[k]["header"]) for k in list(columns)[:9])
    raise EditError(f"{path.name} 中找不到表头：前 {HEADER_SCAN} 行中没有一行写着“姓名”等栏目名称（应有 {wanted} 等栏目）")


def _table(source: str, sheet: str | None, rows: Iterator[tuple[int, list[Any]]], names: dict[str, str],
           stop_words: tuple[str, ...]) -> Table | None:
    preamble: list[list[Any]] = []
    table: Table | None = None
    for number, values in rows:
        if table is None:
            keys = {i: names.get(normalize_header(v)) for i, v in enumerate(values)}
            if sum(1 for k in keys.values() if k) >= 3 and "name" in keys.values():
                columns: dict[str, int] = {}
                for i, key in keys.items():
                    if key and key not in columns:
                        columns[key] = i
                headers = {i: str(v).strip() for i, v in enumerate(values) if v not in (None, "")}
                table = Table(source, sheet, number, columns, headers, [], preamble)
            elif len(preamble) < HEADER_SCAN:
                preamble.append(values)
                continue
            else:
                return None
            continue
        texts = [str(v).strip() for v in values if v not in (None, "") and str(v).strip()]
        if not texts:
            continue
        if any(texts[0].startswith(word) for word in stop_words):
            break
        cells = {key: (values[i] if i < len(values) else None) for key, i in table.columns.items()}
        cells = {k: (v.strip() if isinstance(v, str) else v) for k, v in cells.items()}
        cells = {k: (None if v == "" else v) for k, v in cells.items()}
        if all(v is None for k, v in cells.items() if k != "seq"):
            continue  # a numbered but empty line of the printed form
        table.rows.append(Row(number, cells))
    return table


def _xlsx_sheets(path: Path) -> list[tuple[str | None, Iterator[tuple[int, list[Any]]]]]:
    import openpyxl  # only when a workbook is read: it takes a while to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise EditError(f"{path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）：请确认文件未损坏，并另存为 .xlsx") from None

    try:  # read everything, then close: a read-only workbook keeps its file open until closed
        sheets = [(str(ws.title), [(number, [_cell(v) for v in values])
                                   for number, values in enumerate(ws.iter_rows(values_only=True), 1)])
                  for ws in book.worksheets]
    finally:
        book.close()
    return [(title, iter(rows)) for title, rows in sheets]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    return value


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise EditError(f"{name} 既不是 UTF-8 也不是 GBK 编码的文本：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from None


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for values in reader:
        yield start, list(values)
        start = reader.line_num + 1


def as_text(value: Any) -> str | None:
    """A cell as text: numbers without “.0”, dates as YYYY-MM-DD, None for empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()  # free text keeps its full-width punctuation; parsers normalise what they read
    return text or None
