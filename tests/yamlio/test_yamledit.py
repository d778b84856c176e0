"""Surgical edits keep comments, layout and line endings; anything they cannot do exactly is refused."""

from __future__ import annotations

import pytest

from roster.core.errors import EditError
from roster.yamlio.yamledit import RecordEdit
from roster.yamlio.yamltext import render_document, scalar

RECORD = """\
# yaml-language-server: $schema=../../schemas/supervisor.schema.json
# 示例：手写的注释
id: S0001
name: 王淑芬   # 姓名
gender: 女
birth: 1962-08
route: open
background:
- other
claims: [I0011, I0018]
# 聘期
term:
  start: 2025-06-01
  end: 2027-05-31
status: active  # 在聘
status_history:
  - date: 2023-06-01
    status: active   # 首次聘任
    note: |
      第一行
      第二行

# 以下为备注
remarks: 示例
"""


def edit(text: str = RECORD) -> RecordEdit:
    return RecordEdit("supervisor", "S0001.yaml", text.encode("utf-8"))


def test_changes_touch_only_their_lines() -> None:
    e = edit()
    e.set(("status",), "removed")
    e.append(("status_history",), {"date": "2026-12-15", "status": "removed", "reason": "unfit", "citation": "《晋宁》第十一条（三）"})
    e.append(("past_terms",), {"start": "2023-06-01", "end": "2025-05-31"})
    e.set(("admission", "consent"), "2025-05-20")
    e.set(("certificate_no",), "SL-2023-001")
    result = e.result().decode("utf-8")
    assert result == RECORD.replace("status: active  # 在聘", "status: removed  # 在聘").replace(
        "claims: [", "admission:\n  consent: 2025-05-20\ncertificate_no: SL-2023-001\nclaims: [").replace(
        "  end: 2027-05-31\n", "  end: 2027-05-31\npast_terms:\n- start: 2023-06-01\n  end: 2025-05-31\n").replace(
        "      第二行\n", "      第二行\n  - date: 2026-12-15\n    status: removed\n    reason: unfit\n    citation: 《晋宁》第十一条（三）\n")


def test_a_replaced_value_keeps_its_comment() -> None:
    e = edit()
    e.set(("name",), "王淑芳")
    assert "name: 王淑芳   # 姓名\n" in e.result().decode("utf-8")


def test_crlf_files_stay_crlf() -> None:
    e = edit(RECORD.replace("\n", "\r\n"))
    e.set(("term", "end"), "2029-05-31")
    out = e.result()
    assert b"  end: 2029-05-31\r\n" in out and b"\n" not in out.replace(b"\r\n", b"")


def test_values_that_yaml_would_misread_are_quoted() -> None:
    e = edit()
    e.set(("remarks",), "no")
    e.set(("recommended_by",), "010")
    text = e.result().decode("utf-8")
    assert "remarks: 'no'\n" in text and "recommended_by: '010'\n" in text


def test_flow_lists_cannot_be_appended_to() -> None:
    e = edit()
    with pytest.raises(EditError, match=r"S0001.yaml 中 claims 不是逐行列表（每项以“- ”开头）的写法，无法自动修改"):
        e.append(("claims",), "I0020")


def test_a_broken_file_is_not_edited() -> None:
    with pytest.raises(EditError, match=r"S0001.yaml 本身有错误（.*制表符"):
        edit(RECORD.replace("gender: 女", "gender:\t女"))


@pytest.mark.parametrize("value", ["2026-03-05", "1969-04", "540199", "yes", "y", "null", "1:30", "#1", "a: b", "- x",
                                   "'引号'", '"双引号"', "  前后空格 ", "多行\n文字\n", "末行无换行\n结尾", "{x}", "@at", "0o17", "1e3"])
def test_any_text_reads_back_as_itself(value: str) -> None:
    render_document({"id": "I0001", "remarks": value})  # raises if the loader would read something else


def test_plain_where_possible() -> None:
    assert [scalar(v) for v in ("示例市人民医院", "2026-03-05", "540199", "true", True, 3)] == [
        "示例市人民医院", "2026-03-05", "'540199'", "'true'", "true", "3"]
