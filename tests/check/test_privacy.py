"""`roster validate` finds personal data in parsed values and in every file under registry/ (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.cli import main

PHONE = "13812345678"
ID_A = "11010519491231002X"


@pytest.fixture(autouse=True)
def _inside_policy_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")


def run(capsys: pytest.CaptureFixture[str], mini: Path) -> tuple[int, str]:
    code = main(["validate", "--registry", str(mini)])
    out = capsys.readouterr()
    return code, out.out + out.err


def add_remarks(mini: Path, text: str) -> Path:
    path = mini / "institutions/I0002.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


ESCAPED = "".join(f"\\u{ord(c):04x}" for c in PHONE)


@pytest.mark.parametrize(("text", "line", "kind"), [
    (f'remarks: "{ESCAPED}"\n', 6, "手机号码"),  # YAML escapes
    ('remarks: "\\x31\\x33\\x38\\x31\\x32\\x33\\x34\\x35\\x36\\x37\\x38"\n', 6, "手机号码"),
    ('remarks: "138\\\n  1234\\\n  5678"\n', 6, "手机号码"),  # quoted line continuation
    ("remarks: 联系 138\n  1234 5678\n", 6, "手机号码"),  # folded plain scalar
    ("remarks: |\n  说明\n  手机 138 1234 5678\n", 8, "手机号码"),  # block scalar
    ("remarks: 电话 +86 138.1234.5678\n", 6, "手机号码"),
    ("remarks: 电话 138\u00a01234\u00a05678\n", 6, "手机号码"),
    ("remarks: 电话 １３８\u30001234\u30005678\n", 6, "手机号码"),
    (f"remarks: 身份证 {ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}\n", 6, "身份证号"),
    ("remarks: 旧证 320106900307001\n", 6, "身份证号"),
    ("remarks: 工资卡 6222 0212 3456 7890 128\n", 6, "银行卡号"),
    ('remarks: "zhang\\uff20example.org"\n', 6, "电子邮箱"),
    ("remarks: zhang＠example.org\n", 6, "电子邮箱"),
    (f"# 张明 {PHONE}\n", 6, "手机号码"),  # a comment is part of the file too
])
def test_personal_data_in_values_is_an_error_at_its_line(mini: Path, capsys: pytest.CaptureFixture[str],
                                                        text: str, line: int, kind: str) -> None:
    add_remarks(mini, text)
    code, out = run(capsys, mini)
    assert code == 1, out
    assert f"{mini}/institutions/I0002.yaml:{line}:" in out
    assert f"这里有疑似个人{kind}" in out or f"这里有疑似{kind}" in out
    for part in ("13812345678", "1234 5678", "138.1234", "19491231", "zhang", "0212 3456", "900307"):
        assert part not in out, "the value is never repeated"


@pytest.mark.parametrize("text", [
    "remarks: 统一社会信用代码 91540100MA6T0ABC1C，定点编码 H54010200123，办公电话 0891-6831234\n",
    "remarks: 依据藏医保发〔2023〕12号文件\n",
])
def test_public_identifiers_of_institutions_pass(mini: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    add_remarks(mini, text)
    code, out = run(capsys, mini)
    assert code == 0, out


@pytest.mark.parametrize(("key", "label"), [("手机", "手机号码"), ("电话", "电话号码"), ("邮箱", "电子邮箱"),
                                            ("微信", "微信号"), ("住址", "通讯地址"), ("身份证", "身份证号"),
                                            ("本人手机号", "手机号码")])
def test_contact_field_names_are_errors(mini: Path, capsys: pytest.CaptureFixture[str], key: str, label: str) -> None:
    add_remarks(mini, f"{key}: 见纸质档案\n")
    code, out = run(capsys, mini)
    assert code == 1
    assert f"I0002.yaml:6:1: 错误: 字段“{key}”是{label}" in out


@pytest.mark.parametrize("name", ["notes.txt", "README.md", "experts/E0001.txt", "experts/.E0002.yaml",
                                  ".secret", "experts/.hidden/E0003.yaml", "institutions/2026/I0009.yaml"])
def test_files_that_do_not_belong_are_errors_and_are_scanned(mini: Path, capsys: pytest.CaptureFixture[str],
                                                             name: str) -> None:
    path = mini / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"张明\n手机 {PHONE}\n", encoding="utf-8")
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini}/{name}:1:1: 错误:" in out
    assert f"{mini}/{name}:2:4: 错误: 这里有疑似个人手机号码" in out
    assert PHONE not in out


def test_hand_written_pages_beside_the_registry_are_scanned(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = mini.parent / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide/contact.md").write_text(f"# 联系\n\n值班手机 {PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}\n", encoding="utf-8")
    (docs / "logo.png").write_bytes(PHONE.encode())  # not text: not read
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini.parent}/docs/guide/contact.md:3:6: 错误: 这里有疑似个人手机号码" in out
    assert "logo.png" not in out and f"{PHONE[:3]} {PHONE[3:7]}" not in out
