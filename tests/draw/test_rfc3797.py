from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roster.draw import rfc3797
from roster.draw.rfc3797 import (
    AlgorithmUnavailable,
    Step,
    format_rfc_table,
    key_string,
    parse_source_value,
    parse_sources,
    permutation,
    pick_digest,
    select,
)

REPO = Path(__file__).resolve().parents[2]
VECTOR_NAME = "rfc3797-example.txt"
# the RFC's own worked example (section 6), kept in the repository
VECTOR_CANDIDATES = [REPO / "tests" / "vectors" / VECTOR_NAME]

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def vector() -> dict[str, object]:
    path = next((p for p in VECTOR_CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.fail(f"RFC 3797 test vector not found; looked in {', '.join(map(str, VECTOR_CANDIDATES))}")
    return parse_vector(path.read_text(encoding="utf-8"))


def parse_vector(text: str) -> dict[str, object]:
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    pool_start = next(i for i, c in enumerate(comments) if c.startswith("Pool"))
    sources_at = next(i for i, c in enumerate(comments) if c.startswith("Random sources"))
    numbered = re.findall(r"(\d+) (\S+)", " ".join(comments[pool_start + 1:sources_at]))
    pool = [name for _, name in sorted(numbered, key=lambda pair: int(pair[0]))]
    assert [int(n) for n, _ in numbered] == list(range(1, len(pool) + 1))
    sources = [parse_source_value(part) for part in comments[sources_at].split(":", 1)[1].split("/")]
    key = next(c for c in comments if c.startswith("Key string:")).split(":", 1)[1].strip()
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {"pool": pool, "sources": sources, "key": key, "rows": rows}


# ---------------------------------------------------------------- the RFC's worked example


def test_vector_key_string(vector: dict[str, object]) -> None:
    assert key_string(vector["sources"]) == vector["key"]  # type: ignore[arg-type]
    assert vector["key"] == "9319./2.5.8.10.12./9.18.26.34.41.45./"


def test_vector_table_reproduced_exactly(vector: dict[str, object]) -> None:
    pool, key, rows = vector["pool"], vector["key"], vector["rows"]
    steps = permutation(len(pool), key, limit=len(rows))  # type: ignore[arg-type]
    table = format_rfc_table(steps, pool).splitlines()  # type: ignore[arg-type]
    assert table[1:] == rows
    assert table[0].split() == ["index", "MD5", "(hex)", "div", "selected"]


def test_vector_select(vector: dict[str, object]) -> None:
    rows: list[str] = vector["rows"]  # type: ignore[assignment]
    chosen = select(vector["pool"], vector["key"], len(rows))  # type: ignore[arg-type]
    assert chosen == [row.split()[-1] for row in rows]


def test_header_lines_up_with_columns(vector: dict[str, object]) -> None:
    pool, key = vector["pool"], vector["key"]
    header, first = format_rfc_table(permutation(len(pool), key, limit=1), pool).splitlines()  # type: ignore[arg-type]
    assert header.index("div") + len("div") == first.index(" 25  ->") + len(" 25")
    assert header.index("selected") == first.index("->")


# ---------------------------------------------------------------- key string


def test_key_string_sorts_each_source_and_keeps_source_order() -> None:
    assert key_string([[9319], [2, 5, 12, 8, 10], [9, 18, 26, 34, 41, 45]]) == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    assert key_string([[45, 9], [1]]) == "9.45./1./"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("3245.67"), "3245.67/"),
        (Decimal("3245.670"), "3245.67/"),
        (Decimal("3245.00"), "3245./"),
        (Decimal("0.50"), "0.5/"),
        (Decimal("1E+3"), "1000./"),
        (0, "0./"),
        (10**30, "1" + "0" * 30 + "./"),
    ],
)
def test_key_string_values(value: int | Decimal, expected: str) -> None:
    assert key_string([[value]]) == expected


def test_a_decimal_must_be_alone_in_its_source() -> None:
    # "9.25" and "10.5" would run together as "9.2510.5": the key would stop being unambiguous.
    with pytest.raises(ValueError, match=CJK):
        key_string([[Decimal("10.5"), 9, Decimal("9.25")]])
    assert key_string([[Decimal("10.00"), 9]]) == "9.10./"
    assert key_string([[9], [Decimal("9.25")], [Decimal("10.5")]]) == "9./9.25/10.5/"


@pytest.mark.parametrize("bad", [[[-1]], [[Decimal("-0.5")]], [[Decimal("-0")]], [[Decimal("NaN")]], [[]], []])
def test_key_string_refuses_bad_values(bad: list[list[int | Decimal]]) -> None:
    with pytest.raises(ValueError, match=CJK):
        key_string(bad)


@pytest.mark.parametrize("bad", [1.5, True, "3"])
def test_key_string_refuses_other_types(bad: object) -> None:
    with pytest.raises(TypeError):
        key_string([[bad]])  # type: ignore[list-item]


# ---------------------------------------------------------------- what people type


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 5 12 8 10", [2, 5, 12, 8, 10]),
        ("2,5,12", [2, 5, 12]),
        ("０２，０５、１２；０８", [2, 5, 12, 8]),
        ("　03　09\t15\n", [3, 9, 15]),
        ("9319", [9319]),
        ("057", [57]),
        ("3245.67", [Decimal("3245.67")]),
        ("３２４５．６７", [Decimal("3245.67")]),
        ("3245.00", [3245]),
        ("0.5", [Decimal("0.5")]),
    ],
)
def test_parse_source_value(text: str, expected: list[int | Decimal]) -> None:
    assert parse_source_value(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "-5", "−5", "－５", "abc", "3,245.67", "2,500", "1.2.3", ".5", "5.", "2/5", "0x1F", "٣", "02 05 12 ＋ 08"])
def test_parse_source_value_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=CJK):
        parse_source_value(text)


def test_parse_sources_splits_on_plus() -> None:
    assert parse_sources("03 09 15 21 27 33 + 08") == [[3, 9, 15, 21, 27, 33], [8]]
    assert parse_sources("02 11 19 27 33 ＋ 04 10") == [[2, 11, 19, 27, 33], [4, 10]]
    assert parse_sources("9319") == [[9319]]
    with pytest.raises(ValueError, match=CJK):
        parse_sources("03 09 +")


# ---------------------------------------------------------------- digests and algorithms

KEY = "9319./2.5.8.10.12./9.18.26.34.41.45./"


def test_pick_digest_is_two_byte_i_key_two_byte_i() -> None:
    for i in (0, 1, 255, 256, 65535):
        affix = i.to_bytes(2, "big")
        assert pick_digest(KEY, i) == hashlib.md5(affix + KEY.encode() + affix).digest()
        assert pick_digest(KEY, i, "rfc3797-sm3") == hashlib.new("sm3", affix + KEY.encode() + affix).digest()


@pytest.mark.parametrize("i", [-1, 65536])
def test_pick_digest_index_range(i: int) -> None:
    with pytest.raises(ValueError, match=CJK):
        pick_digest(KEY, i)


def test_sm3_gives_a_different_but_deterministic_order() -> None:
    md5 = permutation(25, KEY)
    sm3 = permutation(25, KEY, "rfc3797-sm3")
    assert sm3 == permutation(25, KEY, "rfc3797-sm3")
    assert [s.position for s in sm3] != [s.position for s in md5]
    assert sorted(s.position for s in sm3) == list(range(1, 26))
    assert all(len(s.digest) == 64 and s.digest == s.digest.upper() for s in sm3)
    first = hashlib.new("sm3", b"\x00\x00" + KEY.encode() + b"\x00\x00").digest()
    assert sm3[0] == Step(index=1, digest=first.hex().upper(), div=25, position=int.from_bytes(first, "big") % 25 + 1)
    assert "SM3 (hex)" in format_rfc_table(sm3, [str(n) for n in range(25)], "rfc3797-sm3").splitlines()[0]


def test_sm3_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_sm3(name: str, data: bytes = b"") -> object:
        raise ValueError(f"unsupported hash type {name}")

    monkeypatch.setattr(rfc3797.hashlib, "new", no_sm3)
    with pytest.raises(AlgorithmUnavailable, match="SM3"):
        permutation(3, KEY, "rfc3797-sm3")
    assert [s.position for s in permutation(3, KEY)]  # MD5 is unaffected


def test_unknown_algorithm() -> None:
    with pytest.raises(ValueError, match=CJK):
        permutation(3, KEY, "sha256")


def test_key_must_be_ascii() -> None:
    with pytest.raises(ValueError, match=CJK):
        permutation(3, "九./")


@pytest.mark.parametrize("n", [-1, 65537])
def test_pool_size_range(n: int) -> None:
    with pytest.raises(ValueError, match=CJK):
        permutation(n, KEY)


def test_select_count_range() -> None:
    with pytest.raises(ValueError, match=CJK):
        select(["a", "b"], KEY, 3)
    assert select(["a", "b"], KEY, 0) == []


# ---------------------------------------------------------------- permutation properties

keys = st.text(alphabet="0123456789./", min_size=1, max_size=40)


def reference_order(n: int, key: str) -> list[int]:
    """The reference code's loop (RFC 3797 §8) transcribed: count down k over those not yet selected."""
    selected = list(range(1, n + 1))  # 0 marks a position already taken
    order = []
    for usel, remaining in zip(range(n), range(n, 0, -1), strict=True):
        k = int.from_bytes(pick_digest(key, usel), "big") % remaining
        for j in range(n):
            if selected[j]:
                k -= 1
                if k < 0:
                    order.append(selected[j])
                    selected[j] = 0
                    break
    return order


@given(n=st.integers(0, 300), key=keys)
def test_permutation_is_a_permutation(n: int, key: str) -> None:
    steps = permutation(n, key)
    assert sorted(s.position for s in steps) == list(range(1, n + 1))
    assert [s.index for s in steps] == list(range(1, n + 1))
    assert [s.div for s in steps] == list(range(n, 0, -1))


@given(n=st.integers(0, 200), key=keys)
def test_permutation_matches_the_reference_code(n: int, key: str) -> None:
    assert [s.position for s in permutation(n, key)] == reference_order(n, key)


@given(n=st.integers(0, 100), limit=st.integers(0, 120), key=keys)
def test_limit_is_a_prefix(n: int, limit: int, key: str) -> None:
    assert permutation(n, key, limit=limit) == permutation(n, key)[:limit]


def test_largest_pool() -> None:
    steps = permutation(65536, KEY)
    assert sorted(s.position for s in steps) == list(range(1, 65537))


def test_wide_table_stays_aligned() -> None:
    pool = [f"p{n}" for n in range(1, 1001)]
    lines = format_rfc_table(permutation(1000, KEY, limit=3), pool).splitlines()
    assert len({line.index("->") for line in lines[1:]}) == 1
    assert lines[0].index("selected") == lines[1].index("->")
    assert lines[1].split()[2] == "1000"
