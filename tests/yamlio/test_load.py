from __future__ import annotations

import pytest

from roster.yamlio.load import LoadError, load_bytes


def problems(text: str | bytes) -> list[tuple[int, int, str, str]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(LoadError) as caught:
        load_bytes(raw)
    return [(p.line, p.col, p.rule, p.message) for p in caught.value.problems]


def test_plain_record_loads_with_positions() -> None:
    doc = load_bytes("id: E0001\neducation:\n  level: master\nspecialties:\n  - 内科\n".encode())
    assert doc.data == {"id": "E0001", "education": {"level": "master"}, "specialties": ["内科"]}
    assert doc.positions[("education", "level")] == (3, 3)
    assert doc.positions[("specialties", 0)] == (5, 5)
    assert doc.position(("education", "school")) == (2, 1)


def test_dates_stay_strings() -> None:
    assert load_bytes(b"start: 2026-03-15\n").data == {"start": "2026-03-15"}


def test_true_false_null_numbers_are_typed() -> None:
    data = load_bytes(b"a: true\nb: false\nc: null\nd: 12\ne: 1.5\nf:\n").data
    assert data == {"a": True, "b": False, "c": None, "d": 12, "e": 1.5, "f": None}


@pytest.mark.parametrize("value", ["no", "yes", "on", "off", "Yes", "FALSE", "y"])
def test_yaml11_booleans_are_errors(value: str) -> None:
    [(line, col, rule, message)] = problems(f"id: E0001\ncivil_servant: {value}\n")
    assert (line, col, rule) == (2, 16, "yaml.implicit_type")
    assert "true 或 false" in message


@pytest.mark.parametrize("value", ["010", "0x1F", "1:30", "1_000", "0o17"])
def test_yaml11_numbers_are_errors(value: str) -> None:
    [(line, col, rule, message)] = problems(f"region: {value}\n")
    assert (line, col, rule) == (1, 9, "yaml.implicit_type")
    assert "加引号" in message


@pytest.mark.parametrize("value", ["2026-03-15 10:00:00", "2026-03-15T10:00:00Z"])
def test_dates_in_other_forms_are_errors(value: str) -> None:
    [(line, _, rule, message)] = problems(f"date: {value}\n")
    assert (line, rule) == (1, "yaml.implicit_type")
    assert "YYYY-MM-DD" in message


def test_quoted_values_are_text() -> None:
    assert load_bytes(b"a: 'no'\nb: \"010\"\nc: '1:30'\n").data == {"a": "no", "b": "010", "c": "1:30"}


def test_duplicate_key_points_at_second_and_names_first() -> None:
    [(line, col, rule, message)] = problems("id: E0001\nname: 张明\nname: 李华\n")
    assert (line, col, rule) == (3, 1, "yaml.duplicate_key")
    assert "第 2 行" in message


def test_tab_is_reported_with_its_column() -> None:
    found = problems("id: E0001\nname:\t张明\n")
    assert (2, 6, "yaml.tab") in [(p[0], p[1], p[2]) for p in found]


def test_bom_is_an_error() -> None:
    [(line, col, rule, message)] = problems(b"\xef\xbb\xbfid: E0001\n")
    assert (line, col, rule) == (1, 1, "yaml.bom")
    assert "UTF-8（无 BOM）" in message


def test_gbk_file_is_named_as_gbk_with_position() -> None:
    raw = "id: E0001\nname: 张明\n".encode("gbk")
    [(line, col, rule, message)] = problems(raw)
    assert (line, col, rule) == (2, 7, "yaml.encoding")
    assert "GBK" in message


def test_syntax_error_is_chinese_with_position() -> None:
    [(line, _, rule, message)] = problems("id: E0001\nname: 张明: 李华\n")
    assert (line, rule) == (2, "yaml.syntax")
    assert "冒号" in message


def test_empty_file() -> None:
    [(_, _, rule, _)] = problems("# 只有注释\n")
    assert rule == "yaml.empty"


def test_two_documents() -> None:
    [(_, _, rule, message)] = problems("id: a\n---\nid: b\n")
    assert rule == "yaml.syntax" and "一个文件只能有一条记录" in message


def test_alias_and_merge_key_are_refused() -> None:
    found = {p[2] for p in problems("a: &x {k: 1}\nb: *x\nc:\n  <<: *x\n")}
    assert found == {"yaml.alias"}  # refused before the file is composed
    assert {p[2] for p in problems("c:\n  <<: {k: 1}\n")} == {"yaml.merge"}


def test_explicit_python_tag_is_refused_not_executed() -> None:
    found = problems("a: !!python/object:os.system ls\n")
    assert found[0][2] in ("yaml.tag", "yaml.syntax")


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00\x00", b"\x00\x01\x02", b"- [\n", b"{{{{", b"a: b: c: d\n", b"? [a]\n: 1\n"])
def test_garbage_never_raises_anything_but_load_error(raw: bytes) -> None:
    with pytest.raises(LoadError):
        load_bytes(raw)


# --- hostile files (issue 11) ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "a: " + "[" * 500 + "]" * 500 + "\n",
    "a: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
    "- " * 100_000 + "x\n",
    "".join("  " * i + "k:\n" for i in range(500)) + "  " * 500 + "v\n",
])
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(text.encode())
    (problem,) = caught.value.problems
    assert problem.rule == "yaml.depth" and "嵌套超过 100 层" in problem.message


def test_nesting_a_record_needs_is_fine() -> None:
    assert load_bytes(("a: " + "[" * 60 + "]" * 60 + "\n").encode()).data == {"a": _nested(60)}


def _nested(n: int) -> list[object]:
    value: list[object] = []
    for _ in range(n - 1):
        value = [value]
    return value


@pytest.mark.parametrize(("text", "rule", "line"), [
    ("a: &x foo\nb: *x\n", "yaml.alias", 1),  # a scalar alias
    ("a: x\nb: &y [1]\n", "yaml.alias", 2),  # an anchor alone
    ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", "yaml.alias", 1),
    ("a: !!set {x, y}\n", "yaml.tag", 1),
    ("a: !!omap [x: 1]\n", "yaml.tag", 1),
    ("a: !!python/object:os.system {}\n", "yaml.tag", 1),
    ("a: !!python/object/apply:os.system [ls]\n", "yaml.tag", 1),
    ("a: !!python/name:os.system\n", "yaml.tag", 1),
    ("a:\n  b: !!str 010\n", "yaml.tag", 2),
    ("a: !local x\n", "yaml.tag", 1),
    ("a: ! 12\n", "yaml.tag", 1),
    ("!!map\na: 1\n", "yaml.tag", 1),
])
def test_aliases_and_explicit_tags_of_any_kind_are_errors(text: str, rule: str, line: int) -> None:
    with pytest.raises(LoadError) as caught:
        load_bytes(text.encode())
    assert caught.value.problems[0].rule == rule and caught.value.problems[0].line == line


def test_ampersand_and_bang_in_text_are_fine() -> None:
    assert load_bytes("a: 'x & y!'\nb: 医保 & 监管!\n".encode()).data == {"a": "x & y!", "b": "医保 & 监管!"}
