"""Documents as offices file them: each opened with python-docx / openpyxl and checked for its parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from helpers import Run, snapshot
from openpyxl import load_workbook


def text_of(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in doc.sections for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    return "\n".join(parts)


@pytest.fixture
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the demo repository, as an office's document folder would be."""
    return tmp_path_factory.mktemp("archive")


def test_written_draw_record(demo: Path, archive: Path, run: Run) -> None:
    target = archive / "D2026-001书面记录.docx"
    code, out, err = run("draw", "record", "D2026-001", "--format", "docx", "--out", str(target))
    assert (code, out, err) == (0, f"已写入书面记录：{target}\n", "")
    doc = Document(str(target))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape: wide tables
    assert doc.sections[0].header.paragraphs[0].text == "内部资料　不得公开"
    text = text_of(target)
    assert doc.paragraphs[0].text == "示例市医疗保障局随机抽取书面记录 D2026-001"
    for part in ("抽取时间", "抽取地点", "抽取人：示例抽取人甲", "监督人：示例监督人乙", "记录人：", "科室负责人（基金监管科）：",
                 "递补时跳过的人员及原因", "E0034 益西多吉（属信息技术类，空出的是医药类名额）",
                 "状态为 期满退出，不是在库", "有利益关系（配偶在该单位任职）"):
        assert part in text, part
    assert "expired" not in text and "spouse_employed" not in text
    panel = next(t for t in doc.tables if len(t.columns) == 5 and t.rows[0].cells[2].text == "类别（名额组）")
    assert [c.text for c in panel.rows[0].cells] == ["序", "人员", "类别（名额组）", "工作单位", "在完整顺序中的位置"]
    assert panel.rows[1].cells[3].text.startswith("I0")
    assert all(t.rows[0]._tr.trPr.xml.count("tblHeader") == 1 for t in doc.tables)  # header row repeats on each page


def test_the_written_record_is_never_written_inside_the_repository(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    for target in ("docs/D2026-001.docx", "D2026-001.docx"):
        code, out, err = run("draw", "record", "D2026-001", "--format", "docx", "--out", target)
        assert (code, out) == (1, "")
        assert err.startswith(f"错误：书面记录 {target} 在仓库（{demo.parent}）之内，可能被提交")
    assert snapshot(demo.parent) == before


def test_notice_with_reference_and_sign_off(demo: Path, archive: Path, run: Run) -> None:
    target = archive / "公示.docx"
    code, out, _ = run("document", "notice", "A2026-002", "--reference", "示医保公〔2026〕3号", "--out", str(target))
    assert (code, out) == (0, f"已写入 {target}\n")
    doc = Document(str(target))
    lines = [p.text for p in doc.paragraphs if p.text]
    assert lines[:2] == ["示例市医疗保障基金监管专家库拟入库专家公示（2026年）", "示医保公〔2026〕3号"]
    assert lines[-2:] == ["示例市医疗保障局", "2026年11月19日"]
    assert "公示期：2026年11月19日至2026年11月25日（5个工作日）。" in lines
    people = doc.tables[0]
    assert [c.text for c in people.rows[0].cells] == ["序号", "姓名", "性别", "工作单位", "职称/职务", "专业类别", "专业"]
    assert [c.text for c in people.rows[1].cells][:4] == ["1", "郑凯", "男", "示例市第二人民医院"]
    assert "E0059" not in text_of(target)  # a public notice shows names, not internal ids


def test_certificate_only_for_an_active_person(demo: Path, archive: Path, run: Run) -> None:
    target = archive / "聘书.docx"
    assert run("document", "certificate", "E0001", "--number", "示医保专聘〔2026〕001号", "--out", str(target))[0] == 0
    lines = [p.text for p in Document(str(target)).paragraphs if p.text]
    assert lines[:3] == ["聘　书", "示医保专聘〔2026〕001号",
                         "兹聘请 扎西次仁 同志为示例市医疗保障基金监管专家库专家，聘期自2026年4月1日至2029年3月31日。"]
    assert lines[-2:] == ["示例市医疗保障局", "2026年4月1日"]
    code, _, err = run("document", "certificate", "E0059", "--out", str(archive / "候选.docx"))
    assert code == 1 and "只有在库（已入库、有聘期）的人员才能出具聘书" in err


def test_roster_for_printing(demo: Path, archive: Path, run: Run) -> None:
    target = archive / "打印.xlsx"
    code, _, err = run("export", "experts", "--print", "--status", "在库", "--out", str(target))
    assert (code, err) == (0, "")
    sheet = load_workbook(target)["专家库"]
    assert sheet["A1"].value == "示例市医疗保障局专家库（在库）"
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "性别", "专家类别", "专业", "工作单位", "职务", "职称", "聘期结束", "状态"]
    assert [c.value for c in sheet[4]][:2] == ["1", "扎西次仁"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.oddFooter.center.text == "内部资料　不得公开　　第 &P 页 共 &N 页"
