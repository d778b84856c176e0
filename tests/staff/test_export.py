"""`roster export`: Chinese column names, UTF-8 BOM CSV, xlsx as text, never person_key, outside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Run, snapshot
from openpyxl import load_workbook

from roster.staff.exporter import columns


def test_csv_to_stdout_has_a_bom_and_chinese_headers(demo: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from roster.cli import main

    assert main(["export", "experts", "--format", "csv", "--status", "active"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith("\ufeff编号,姓名,性别,民族,专家类别,专业,专业特长,工作单位,职务,".encode())
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[1].startswith("E0001,扎西次仁,男,藏族,医药类,呼吸与危重症医学、高原病,")
    assert ",I0001 示例市人民医院," in lines[1] and lines[1].endswith(",在库,否,示例数据，虚构人物")
    assert "出生年月" not in lines[0] and "1969-04" not in text and "hmac-sha256" not in text


def test_xlsx_file_outside_the_repository(demo: Path, tmp_path: Path, run: Run) -> None:
    target = tmp_path / "专家名单.xlsx"
    code, out, err = run("export", "experts", "--out", str(target), "--with-birth")
    assert (code, err) == (0, "")
    total = len(list((demo / "experts").glob("*.yaml")))
    assert out == f"已导出 {total} 条到 {target}（专家库，xlsx；内部资料，不得公开）\n"
    book = load_workbook(target)
    sheet = book["专家库"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["编号", "姓名", "性别", "民族", "出生年月"]
    assert [c.value for c in sheet[2]][:5] == ["E0001", "扎西次仁", "男", "藏族", "1969-04"]
    assert sheet.max_row == total + 1 and sheet.freeze_panes == "C2"
    notes = {row[0].value: row[1].value for row in book["说明"].iter_rows()}
    assert notes["出生年月"] == "已导出（仅供核对年龄）" and notes["注意"].startswith("内部工作资料，不得公开或外传")
    book.close()


def test_a_cell_that_looks_like_a_formula_stays_text(demo: Path, tmp_path: Path, run: Run) -> None:
    path = demo / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("remarks: 示例数据，虚构人物", "remarks: =HYPERLINK(\"x\")"),
                    encoding="utf-8")
    assert run("export", "experts", "--out", str(tmp_path / "a.xlsx"))[0] == 0
    assert run("export", "experts", "--format", "csv", "--out", str(tmp_path / "a.csv"))[0] == 0
    book = load_workbook(tmp_path / "a.xlsx")
    sheet = book["专家库"]
    cell = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("备注") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")
    book.close()
    assert "'=HYPERLINK(\"\"x\"\")" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


def test_refusals_write_nothing(demo: Path, tmp_path: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    assert run("export", "experts", "--out", "registry/专家.xlsx") == (
        1, "", f"错误：导出文件 registry/专家.xlsx 在仓库（{demo.parent}）之内，可能被提交：请写到仓库以外的位置，例如 ~/专家名单.xlsx\n")
    assert run("export", "experts") == (1, "", "错误：导出 xlsx 须用 --out 指定文件（仓库以外），例如 --out ~/专家名单.xlsx\n")
    taken = tmp_path / "已有.csv"
    taken.write_text("旧内容", encoding="utf-8")
    assert run("export", "supervisors", "--format", "csv", "--out", str(taken))[2] == f"错误：{taken} 已经存在：不会覆盖，请换一个文件名\n"
    assert taken.read_text(encoding="utf-8") == "旧内容"
    assert snapshot(demo.parent) == before


@pytest.mark.parametrize("roster", ["experts", "supervisors", "institutions"])
def test_no_private_field_is_ever_a_column(roster: str) -> None:
    fields = {str(c["field"]).split(".")[0] for c in columns(roster, with_birth=True)}
    assert not fields & {"person_key", "conflicts", "declarations", "exceptions", "employment_history"}
    assert "birth" not in {str(c["field"]) for c in columns(roster)}
