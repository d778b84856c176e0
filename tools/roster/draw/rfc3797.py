"""RFC 3797 (Publicly Verifiable Nominations Committee Random Selection), exactly.

Key string (RFC 3797 §4): every value of a source is written in decimal without leading zeros
and ended by "."; the values of one source are sorted ascending and the source is ended by "/";
sources follow one another in their announced order.  Pick i (i = 0, 1, …) hashes the two-byte
big-endian i, the key string's ASCII bytes and the two-byte i again; the digest, read as a
big-endian integer, is taken modulo the number still unselected, and the pick is that
(0-based) one of those still unselected, in pool order.  The §6 worked example is reproduced by
the tests from ``tests/vectors/rfc3797-example.txt``.

"rfc3797-sm3" is the same procedure with SM3 (GB/T 32905) in place of MD5, for offices that must
use a national algorithm; it is not RFC 3797 and no RFC implementation reproduces it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

__all__ = [
    "ALGORITHMS",
    "AlgorithmUnavailable",
    "SourceValue",
    "Step",
    "format_rfc_table",
    "format_value",
    "key_string",
    "parse_source_value",
    "parse_sources",
    "permutation",
    "pick_digest",
    "select",
]

SourceValue = int | Decimal

MAX_POOL = 0x10000  # i is written in two bytes, so at most 65,536 picks


class _HashObject(Protocol):
    def digest(self) -> bytes: ...


class AlgorithmUnavailable(RuntimeError):
    """The hash an algorithm needs is missing from this Python's OpenSSL."""


def _md5(data: bytes) -> _HashObject:
    # MD5 here is RFC 3797's mixing function, not a security control; the flag keeps FIPS builds working.
    return hashlib.md5(data, usedforsecurity=False)


def _sm3(data: bytes) -> _HashObject:
    try:
        return hashlib.new("sm3", data)
    except ValueError:
        raise AlgorithmUnavailable(
            "当前 Python 所用的 OpenSSL 不提供 SM3 算法（需要 OpenSSL 1.1.1 及以上且未禁用 SM3），"
            "无法使用 rfc3797-sm3；请改用 rfc3797（MD5）或更换运行环境"
        ) from None


ALGORITHMS: dict[str, Callable[[bytes], _HashObject]] = {"rfc3797": _md5, "rfc3797-sm3": _sm3}
_DIGEST_LABEL: dict[str, str] = {"rfc3797": "MD5", "rfc3797-sm3": "SM3"}


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the RFC's table: pick ``index`` (1-based) chose pool ``position`` (1-based)."""

    index: int
    digest: str
    div: int
    position: int


# ---------------------------------------------------------------- key string


def format_value(value: SourceValue) -> str:
    """One value as it appears in the key string: ``9319.`` or ``3245.67``.

    RFC 3797 §4 writes each value as a decimal number "terminated by a period (or with a period
    separating the whole from the fractional part)", without leading zeros; the RFC's reference code
    (§8, floating point input by Matt Crawford) prints a real as ``%ld.%s`` with trailing zeros of
    the fraction removed, so 3245.670 → ``3245.67`` and 3245.00 → ``3245.`` (the integer's form).
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"随机源的数值必须是整数或 Decimal，收到 {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"随机源的数值“{value}”不是有限的数")
    if value < 0 or (isinstance(value, Decimal) and value.is_signed()):
        raise ValueError(f"随机源的数值不能为负数：{value}")
    if isinstance(value, int):
        return f"{value}."
    whole, _, fraction = format(value, "f").partition(".")
    return f"{whole}.{fraction.rstrip('0')}"


def key_string(sources: Sequence[Sequence[SourceValue]]) -> str:
    """RFC 3797 §4 key string, e.g. ``[[9319], [2, 5, 12, 8, 10]]`` → ``"9319./2.5.8.10.12./"``.

    Values are sorted numerically within each source, as §4 step 2 says.  A value with a fraction
    has no terminating period, so two of them in one source would run together ("9.25" then
    "10.5" gives "9.2510.5", which other values could also give); such a source must hold that one
    value alone.  (The reference code also leaves several reals unsorted; with one value per source
    the text and the code agree.)
    """
    if not sources:
        raise ValueError("至少需要一个随机源")
    parts: list[str] = []
    for number, values in enumerate(sources, start=1):
        if not values:
            raise ValueError(f"第 {number} 个随机源没有数值")
        written = [format_value(v) for v in sorted(values)]
        if len(written) > 1 and not all(w.endswith(".") for w in written):
            raise ValueError(f"第 {number} 个随机源含有小数：带小数的数值须单独作为一个随机源")
        parts.append("".join(written) + "/")
    return "".join(parts)


# ---------------------------------------------------------------- parsing what people type

_SEPARATORS = re.compile(r"[\s,、;]+")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?", re.ASCII)
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)", re.ASCII)
_SIGNS = "-−－"


def parse_source_value(text: str) -> list[SourceValue]:
    """The values of one source as a person types them: ``"02 05 12，08"`` → ``[2, 5, 12, 8]``.

    Full-width digits and punctuation are read as ASCII (NFKC).  Values are separated by spaces,
    commas, 顿号 or semicolons; a "+" is not allowed here, because everywhere a typed value is read
    (draw run, draw rfc3797 --source, the browser) it goes through :func:`parse_sources`, where "+"
    splits the value into sources (双色球 red and blue balls).  A decimal such as an
    index close "3245.67" becomes a :class:`~decimal.Decimal` (an integer if its fraction is all
    zeros: both have the same key string form).
    """
    normalized = unicodedata.normalize("NFKC", text).strip()
    if not normalized:
        raise ValueError("随机源没有填写数值")
    if "+" in normalized:
        raise ValueError(f"“{text.strip()}”中的“+”把数值分成几个来源，只能在 parse_sources 中使用")
    if _THOUSANDS.search(normalized):
        raise ValueError(f"“{text.strip()}”像是带千位分隔符的数，有歧义：请去掉分隔符，数值之间用空格分开")
    return [_parse_token(token) for token in _SEPARATORS.split(normalized) if token]


def parse_sources(text: str) -> list[list[SourceValue]]:
    """Several sources typed on one line separated by "+": ``"03 09 15 21 27 33 + 08"`` → two sources."""
    normalized = unicodedata.normalize("NFKC", text)
    return [parse_source_value(part) for part in normalized.split("+")]


def _parse_token(token: str) -> SourceValue:
    if token[0] in _SIGNS:
        raise ValueError(f"随机源的数值不能为负数：“{token}”")
    match = _NUMBER.fullmatch(token)
    if match is None:
        raise ValueError(
            f"无法识别的数值“{token}”：只能填写非负整数或小数（如 3245.67），"
            "数值之间用空格、逗号、顿号或加号分隔"
        )
    whole, fraction = match.groups()
    if fraction is None or not fraction.strip("0"):
        return int(whole)
    return Decimal(token)


# ---------------------------------------------------------------- the selection


def _hash_factory(algorithm: str) -> Callable[[bytes], _HashObject]:
    try:
        return ALGORITHMS[algorithm]
    except KeyError:
        known = "、".join(ALGORITHMS)
        raise ValueError(f"未知的抽取算法“{algorithm}”，可用：{known}") from None


def _key_bytes(key: str) -> bytes:
    try:
        return key.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("密钥串只能包含 ASCII 字符（数字、“.”和“/”）") from None


def _digest(factory: Callable[[bytes], _HashObject], key: bytes, i: int) -> bytes:
    affix = i.to_bytes(2, "big")
    return factory(affix + key + affix).digest()


def pick_digest(key: str, i: int, algorithm: str = "rfc3797") -> bytes:
    """Digest of two-byte big-endian ``i`` ‖ key ‖ two-byte big-endian ``i`` (i = 0 for the first pick)."""
    if not 0 <= i < MAX_POOL:
        raise ValueError(f"序号 i 必须在 0 到 {MAX_POOL - 1} 之间，收到 {i}")
    return _digest(_hash_factory(algorithm), _key_bytes(key), i)


def permutation(n: int, key: str, algorithm: str = "rfc3797", *, limit: int | None = None) -> list[Step]:
    """The full RFC 3797 order of a pool of ``n`` (or its first ``limit`` picks)."""
    if not 0 <= n <= MAX_POOL:
        raise ValueError(f"候选人数必须在 0 到 {MAX_POOL} 之间（RFC 3797 的序号为两个字节），收到 {n}")
    if limit is not None and limit < 0:
        raise ValueError(f"抽取人数不能为负数：{limit}")
    factory, key_bytes = _hash_factory(algorithm), _key_bytes(key)
    # list.pop is quadratic, but its memmove is so cheap that up to the RFC's limit of 65,536 it
    # beat an O(log n) segment tree (measured: 4 ms vs 17 ms at 10,000; 100 ms vs 130 ms at 65,536).
    unselected = list(range(1, n + 1))
    steps: list[Step] = []
    for i in range(n if limit is None else min(limit, n)):
        digest = _digest(factory, key_bytes, i)
        div = n - i
        position = unselected.pop(int.from_bytes(digest, "big") % div)
        steps.append(Step(index=i + 1, digest=digest.hex().upper(), div=div, position=position))
    return steps


def select(pool: Sequence[str], key: str, count: int, algorithm: str = "rfc3797") -> list[str]:
    """The first ``count`` names RFC 3797 picks from ``pool`` (in its published order)."""
    if not 0 <= count <= len(pool):
        raise ValueError(f"抽取人数 {count} 超出范围：候选共 {len(pool)} 人")
    return [pool[step.position - 1] for step in permutation(len(pool), key, algorithm, limit=count)]


def format_rfc_table(steps: Sequence[Step], pool: Sequence[str], algorithm: str = "rfc3797") -> str:
    """The RFC's §6 table: a header, then ``    1  990DD0A5…3459  25  -> 17  Lee`` per pick."""
    label = f"{_DIGEST_LABEL.get(algorithm, algorithm)} (hex)"
    index_width = max(5, *(len(str(s.index)) for s in steps)) if steps else 5
    digest_width = max((len(s.digest) for s in steps), default=32)
    number_width = max(2, *(len(str(s.div)) for s in steps)) if steps else 2
    # "div" is wider than a two-digit column: borrow one space of the gap so the columns line up.
    lines = [f"{'index':>{index_width}}  {label:<{digest_width}} {'div':>{number_width + 1}}  selected"]
    for s in steps:
        lines.append(
            f"{s.index:>{index_width}}  {s.digest}  {s.div:>{number_width}}  "
            f"-> {s.position:>{number_width}}  {pool[s.position - 1]}"
        )
    return "\n".join(lines)
