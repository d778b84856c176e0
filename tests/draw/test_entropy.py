from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roster.draw.entropy import (
    check_values,
    drand_values,
    enough_entropy,
    find_source,
    load_sources,
    required_bits,
    source_entropy,
    total_entropy,
)
from roster.draw.rfc3797 import key_string, parse_sources

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("kind", "bits"),
    [
        ("ssq", math.log2(math.comb(33, 6) * 16)),
        ("dlt", math.log2(math.comb(35, 5) * math.comb(12, 2))),
        ("fc3d", math.log2(1000)),
        ("pl5", math.log2(100_000)),
        ("stock_close", 10.0),
        ("drand", 256 - math.log2(math.factorial(8))),
    ],
)
def test_source_entropy(kind: str, bits: float) -> None:
    assert source_entropy(kind) == pytest.approx(bits)


def test_known_figures() -> None:
    assert source_entropy("双色球") == pytest.approx(24.08, abs=0.01)
    assert source_entropy("体彩超级大乐透") == pytest.approx(24.35, abs=0.01)
    assert total_entropy(["ssq", "dlt", "stock_close"]) == pytest.approx(58.43, abs=0.01)


def test_find_source_by_kind_name_or_alias() -> None:
    assert find_source("ssq") is find_source("中国福利彩票双色球") is find_source("双色球")
    with pytest.raises(ValueError, match="未知的随机源"):
        find_source("六合彩")


def test_every_estimate_states_its_assumption() -> None:
    for source in load_sources().values():
        if any(part.type == "estimate" for part in source.parts):
            assert source.assumption and CJK.search(source.assumption)


def test_sources_stay_within_the_reference_code() -> None:
    # The IETF reference code reads at most 16 values per source with %ld.
    for source in load_sources().values():
        for part in source.parts:
            assert part.count <= 16
            assert part.max < 2**63


def reference_npentropy(n: int, p: int) -> float:
    """RFC 3797 §8's NPentropy, transcribed (it divides by 0.69315 for ln 2)."""
    if n < 1 or n >= p:
        return 0.0
    result = sum(math.log(i) for i in range(p, p - n, -1)) - sum(math.log(i) for i in range(n, 1, -1))
    return result / 0.69315


@given(p=st.integers(1, 2000), data=st.data())
def test_required_bits_is_log2_of_p_choose_n(p: int, data: st.DataObject) -> None:
    n = data.draw(st.integers(0, p))
    bits = required_bits(p, n)
    assert bits == pytest.approx(math.log2(math.comb(p, n)))
    assert bits == pytest.approx(reference_npentropy(n, p), rel=1e-4, abs=1e-9)
    assert bits == pytest.approx(required_bits(p, p - n))


def test_required_bits_examples() -> None:
    assert required_bits(25, 16) == pytest.approx(20.96, abs=0.01)  # the §6 example
    assert required_bits(25, 10) == pytest.approx(21.64, abs=0.01)
    assert required_bits(10_000, 9) == pytest.approx(101.1, abs=0.1)
    assert required_bits(5, 0) == required_bits(5, 5) == 0.0


@pytest.mark.parametrize(("pool", "panel"), [(3, 4), (-1, 0), (3, -1)])
def test_required_bits_refuses(pool: int, panel: int) -> None:
    with pytest.raises(ValueError, match=CJK):
        required_bits(pool, panel)


def test_enough_entropy_margin() -> None:
    need = required_bits(200, 5)
    assert enough_entropy(need, 200, 5, margin_bits=0)
    assert not enough_entropy(need + 7.9, 200, 5, margin_bits=8)
    assert enough_entropy(source_entropy("ssq") + source_entropy("dlt"), 200, 5, margin_bits=8)
    assert not enough_entropy(source_entropy("ssq"), 200, 5, margin_bits=8)


# ---------------------------------------------------------------- shapes of typed values


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("ssq", "03 09 15 21 27 33 + 08"),
        ("dlt", "02 11 19 27 33 ＋ 04 10"),
        ("fc3d", "057"),
        ("pl5", "30915"),
        ("stock_close", "3245.67"),
        ("drand", " ".join(map(str, drand_values("f" * 64)))),
    ],
)
def test_check_values_accepts(kind: str, text: str) -> None:
    check_values(kind, parse_sources(text))


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("ssq", "03 09 15 21 27 33 08", "应有 2 组数值"),
        ("ssq", "03 09 15 21 27 34 + 08", "1 到 33 之间的整数"),
        ("ssq", "03 03 15 21 27 33 + 08", "重复"),
        ("ssq", "03 09 15 21 27 + 08", "应有 6 个数值"),
        ("ssq", "03 09 15 21 27 33 + 17", "1 到 16"),
        ("fc3d", "0 5 7", "应有 1 个数值"),
        ("fc3d", "1000", "0 到 999"),
        ("pl5", "3.5", "整数"),
        ("stock_close", "3245.67 3246.01", "应有 1 个数值"),
    ],
)
def test_check_values_refuses(kind: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_values(kind, parse_sources(text))


def test_drand_values() -> None:
    randomness = "0123456789abcdef" * 4
    values = drand_values(randomness)
    assert values == [0x01234567, 0x89ABCDEF] * 4
    assert drand_values("0x" + randomness.upper()) == values
    assert key_string([values]) == "19088743.19088743.19088743.19088743.2309737967.2309737967.2309737967.2309737967./"
    for bad in ("abc", "g" * 64, "0" * 63):
        with pytest.raises(ValueError, match="drand"):
            drand_values(bad)


def test_merged_lottery_note_is_right() -> None:
    """sources.yaml says entering 双色球 as one source keeps only about 22.6 of its 24.1 bits."""

    def merged_entropy(red: int, red_of: int, blue_of: int) -> float:
        total = math.comb(red_of, red) * blue_of
        h = 0.0
        for low in range(1, red + 2):  # a key of red+1 distinct numbers, `low` of them ≤ blue_of
            keys = math.comb(blue_of, low) * math.comb(red_of - blue_of, red + 1 - low)
            h += keys * (low / total) * math.log2(total / low)
        repeats = blue_of * math.comb(red_of - 1, red - 1)  # blue equals a red: one way each
        return h + repeats / total * math.log2(total)

    # the formula against counting, on a small lottery (2 of 6 red, 1 of 4 blue)
    keys = Counter(tuple(sorted((*r, b))) for r in itertools.combinations(range(1, 7), 2) for b in range(1, 5))
    n = sum(keys.values())
    assert merged_entropy(2, 6, 4) == pytest.approx(-sum(c / n * math.log2(c / n) for c in keys.values()))
    note = find_source("ssq").note or ""
    assert "24.1" in note and "22.6" in note
    assert source_entropy("ssq") == pytest.approx(24.1, abs=0.05)
    assert merged_entropy(6, 33, 16) == pytest.approx(22.6, abs=0.05)


def test_estimates_are_not_typed_values() -> None:
    check_values("stock_close", [[Decimal("3245.67")]])
