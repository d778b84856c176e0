"""Documents as an office files them, in Word (.docx): the 公示 notice, the expert's 聘书, and the
written draw record (书面记录) — each a list of blocks laid out on A4 with Chinese fonts.

Blocks are the same small vocabulary the draw record already uses: ("h", text), ("p", text),
("table", header, rows), ("sign", names); a document adds its title, 文号, mark (内部资料) and sign-off.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..check.registry import Record, Registry
from ..check.validate import open_registry
from ..core.document import Document
from ..core.errors import EditError
from ..core.files import write_atomic
from ..draw.record import record_document
from ..policies.presets import label
from .outputs import output_path
from .staffdata import policy_for

__all__ = ["Document", "certificate", "notice", "record_docx", "to_docx", "write_document"]

BODY_FONT, TITLE_FONT, HEADING_FONT = "仿宋", "方正小标宋简体", "黑体"  # 党政机关公文格式 GB/T 9704 的常用字体


def to_docx(doc: Document) -> bytes:
    from docx import Document as Word  # imported when a document is made: it takes a while
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = Word()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    _font(word.styles["Normal"], BODY_FONT, Pt(12))
    if doc.mark:
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = doc.mark
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if part is section.header else WD_ALIGN_PARAGRAPH.CENTER
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, doc.title, TITLE_FONT, Pt(20), bold=True)
    if doc.reference:
        ref = word.add_paragraph()
        ref.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(ref, doc.reference, BODY_FONT, Pt(14))
    for block in doc.blocks:
        if block[0] == "h":
            _run(word.add_paragraph(), block[1], HEADING_FONT, Pt(14), bold=True)
        elif block[0] == "p":
            text = str(block[1])
            strong = text.startswith("**") and text.endswith("**")
            paragraph = word.add_paragraph()
            paragraph.paragraph_format.first_line_indent = None if strong else Pt(2 * doc.body_size)
            paragraph.paragraph_format.line_spacing = 1.5 if doc.body_size > 12 else None
            _run(paragraph, text.strip("*") if strong else text, BODY_FONT, Pt(doc.body_size), bold=strong)
        elif block[0] == "table":
            _table(word, block[1], block[2])
        elif block[0] == "sign":
            for name in block[1]:
                line = word.add_paragraph()
                line.paragraph_format.space_before = Pt(18)
                _run(line, f"{name}　　签字：________________　　日期：________________", BODY_FONT, Pt(12))
    if doc.sign_off:
        for text in doc.sign_off:
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.space_before = Pt(12)
            _run(paragraph, text, BODY_FONT, Pt(14))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _width(text: str) -> float:
    """Display width in Chinese characters (a digit or Latin letter is about 0.7 of one), plus cell padding."""
    return sum(1 if ord(ch) > 0x2E7F else 0.7 for ch in text) + 2


def _font(style: Any, name: str, size: Any) -> None:
    from docx.oxml.ns import qn

    style.font.name, style.font.size = name, size
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _run(paragraph: Any, text: str, font: str, size: Any, *, bold: bool = False) -> Any:
    from docx.oxml.ns import qn

    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold = font, size, bold
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _table(word: Any, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = word.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    section = word.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    # short columns (序号, 姓名, dates) get what their longest entry needs; the long ones share the rest
    need = [max(_width(text) for text in [name, *(row[i] for row in rows)]) for i, name in enumerate(header)]
    room = usable / Pt(10.5) * 0.95  # characters of 10.5 pt that fit across the page
    short = [n if n <= 9 else 0.0 for n in need]
    rest = max(room - sum(short), 1.0)
    long_total = sum(n for n in need if n > 9) or 1.0
    chars = [n if n <= 9 else max(rest * n / long_total, 4.0) for n in need]
    widths = [int(usable * c / sum(chars)) for c in chars]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid, which LibreOffice and WPS follow
    first = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the header row is printed again on every page
    repeat.set(qn("w:val"), "true")
    first._tr.get_or_add_trPr().append(repeat)
    for cell, text, width in zip(first.cells, header, widths, strict=True):
        cell.width = width
        _run(cell.paragraphs[0], text, HEADING_FONT, Pt(10.5), bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, row, widths, strict=True):
            cell.width = width
            _run(cell.paragraphs[0], text, BODY_FONT, Pt(10.5))
    word.add_paragraph()


# --- the documents -------------------------------------------------------------------------------


def _bureau(registry: Registry) -> str:
    return str(((registry.settings.data if registry.settings else {}).get("bureau") or {}).get("name", ""))


def _chinese_date(day: str | date) -> str:
    d = day if isinstance(day, date) else date.fromisoformat(str(day))
    return f"{d.year}年{d.month}月{d.day}日"


def notice(registry: Registry, ident: str, reference: str | None = None) -> Document:
    """The 公示 (or other notice) as published: title, 文号, body, the people in a table, period, how to object, sign-off."""
    record = _record(registry, "announcement", ident, "公告")
    data = record.data
    doc = Document(str(data.get("title")), reference=reference or data.get("reference"))
    paragraphs = [p.strip() for p in str(data.get("body") or "").split("\n\n") if p.strip()]
    if paragraphs:
        doc.p(paragraphs[0])  # “……现予以公示。” — the list of people follows it
    people = {**registry.by_id("expert"), **registry.by_id("supervisor")}
    units = registry.by_id("institution")
    subjects = [people[s] for s in data.get("subjects") or [] if s in people]
    if subjects and data.get("kind") in ("admission", "renewal", "supervisor"):
        doc.table(["序号", "姓名", "性别", "工作单位", "职称/职务", "专业类别", "专业"], [
            [n + 1, p.data.get("name"), p.data.get("gender"), _unit_name(units, p.data.get("employer")),
             _title_of(p.data), label("categories", str(p.data.get("category", ""))) if p.data.get("category") else "—",
             "、".join(p.data.get("specialties") or []) or "—"] for n, p in enumerate(subjects)])
    for paragraph in paragraphs[1:]:
        doc.p(paragraph)
    period = data.get("period") or {}
    if period:
        doc.p(f"公示期：{_chinese_date(period['start'])}至{_chinese_date(period['end'])}"
              + (f"（{period['workdays']}个工作日）" if period.get("workdays") else "") + "。")
    contact = data.get("contact") or {}
    if contact:
        how = str(contact.get("how_to_object") or "公示期间如有异议，请以书面形式实名反映。")
        doc.p(how if how.endswith("。") else how + "。")
        doc.p(f"受理科室：{contact.get('office', '')}" + (f"　　电话：{contact['office_phone']}" if contact.get("office_phone") else ""))
    doc.sign_off = (_bureau(registry), _chinese_date(str(data.get("published"))))
    return doc


def certificate(registry: Registry, ident: str, number: str | None = None) -> Document:
    """The expert's (or supervisor's) 聘书: who, which pool, the term, the bureau and the date of admission."""
    kind = "supervisor" if ident.startswith("S") else "expert"
    record = _record(registry, kind, ident, "专家" if kind == "expert" else "社会监督员")
    data = record.data
    term = data.get("term") or {}
    if data.get("status") != "active" or not term:
        raise EditError(f"{record.display}：{ident} 的状态是 {label('statuses', str(data.get('status')))}，"
                        "只有在库（已入库、有聘期）的人员才能出具聘书：请先 roster admit")
    policy = policy_for(registry, "experts" if kind == "expert" else "supervisors")
    pool = "医疗保障基金监管专家库专家" if kind == "expert" else "医疗保障基金社会监督员"
    doc = Document("聘　书", reference=number or data.get("certificate_no"))
    doc.p(f"兹聘请 {data.get('name')} 同志为{_bureau(registry).removesuffix('医疗保障局')}{pool}，"
          f"聘期自{_chinese_date(term['start'])}至{_chinese_date(term['end'])}。")
    doc.p(f"依据：《{policy.preset.document.title}》（{policy.preset.document.number}）。")
    doc.sign_off = (_bureau(registry), _chinese_date(str(term["start"])))
    doc.body_size = 16
    return doc


def _record(registry: Registry, kind: str, ident: str, what: str) -> Record:
    record = registry.by_id(kind).get(ident)
    if record is None:
        raise EditError(f"名册中没有编号为 {ident} 的{what}")
    if record.problems:
        raise EditError(f"{record.display}:{record.problems[0].line} 本身有错误（{record.problems[0].message}）：请先修正")
    return record


def _unit_name(units: dict[str, Record], ident: Any) -> str:
    unit = units.get(str(ident))
    return str(unit.data.get("name")) if unit else "—"


def _title_of(data: dict[str, Any]) -> str:
    title = data.get("title") or {}
    parts = [str(title.get("name") or label("title_levels", str(title.get("level", ""))) or ""), str(data.get("position") or "")]
    return "、".join(p for p in parts if p) or "—"


def write_document(registry_dir: Path, target: Path, make: str, ident: str, *, reference: str | None = None) -> Path:
    """Make the document `make` (notice | certificate) for `ident` and write it outside the repository."""
    path = output_path(registry_dir, target, "文件", f"~/{ident}.docx")
    registry = open_registry(registry_dir)
    doc = notice(registry, ident, reference) if make == "notice" else certificate(registry, ident, reference)
    write_atomic(path, to_docx(doc))
    return path


def record_docx(data: Mapping[str, Any], registry: Registry) -> bytes:
    """The written record of a draw as a Word document (marked 内部资料, with the signature lines)."""
    doc = record_document(data, registry)
    doc.mark, doc.landscape = "内部资料　不得公开", True
    return to_docx(doc)
