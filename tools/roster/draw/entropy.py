"""How much randomness public sources give, and how much a draw needs (RFC 3797 §3.3).

§3.3: selecting N of a pool of P without replacement can come out in P! / (N! · (P − N)!) ways,
and doing it completely at random needs as many random bits as the base-2 logarithm of that
number; with fewer, some panels can never be drawn.  The RFC's reference code (§8, ``NPentropy``)
computes the same figure.  How far above it a request must be is policy (``margin_bits``), not
RFC text.

Sources and the shape of their values are data (``sources.yaml``): each "part" is one RFC 3797
source in the key string, and its entropy follows from its type.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..yamlio.packaged import packaged
from .rfc3797 import SourceValue

__all__ = [
    "Part",
    "Source",
    "check_values",
    "drand_values",
    "enough_entropy",
    "find_source",
    "load_sources",
    "margin_bits",
    "part_entropy",
    "required_bits",
    "source_entropy",
    "total_entropy",
]


@dataclass(frozen=True)
class Part:
    label: str
    type: str
    count: int = 1
    min: int = 0
    max: int = 0
    bits: float = 0.0

    @property
    def span(self) -> int:
        return self.max - self.min + 1


@dataclass(frozen=True)
class Source:
    kind: str
    name: str
    aliases: tuple[str, ...]
    entry: str
    parts: tuple[Part, ...]
    note: str | None = None
    assumption: str | None = None


@cache
def _data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = packaged("draw/sources.yaml")
    return data


@cache
def load_sources() -> Mapping[str, Source]:
    """The sources of ``sources.yaml``, by kind."""
    return {kind: _source(kind, entry) for kind, entry in _data()["sources"].items()}


def margin_bits() -> float:
    """The project's margin above §3.3's figure (``policy.margin_bits`` in sources.yaml): below the
    figure is an error, above it but within the margin a warning."""
    return float(_data()["policy"]["margin_bits"])


def _source(kind: str, entry: Mapping[str, Any]) -> Source:
    return Source(
        kind=kind,
        name=entry["name"],
        aliases=tuple(entry.get("aliases", ())),
        entry=entry["entry"],
        parts=tuple(Part(**part) for part in entry["parts"]),
        note=entry.get("note"),
        assumption=entry.get("assumption"),
    )


def find_source(kind: str) -> Source:
    """A source by kind (``ssq``), name (``中国福利彩票双色球``) or alias (``双色球``)."""
    sources = load_sources()
    if kind in sources:
        return sources[kind]
    for source in sources.values():
        if kind == source.name or kind in source.aliases:
            return source
    known = "、".join(f"{s.name}（{k}）" for k, s in sources.items())
    raise ValueError(f"未知的随机源“{kind}”，可用：{known}")


def part_entropy(part: Part) -> float:
    if part.type == "combination":
        return math.log2(math.comb(part.span, part.count))
    if part.type == "number":
        return math.log2(part.span)
    if part.type == "multiset":
        return part.count * math.log2(part.span) - math.log2(math.factorial(part.count))
    if part.type == "estimate":
        return float(part.bits)
    raise ValueError(f"随机源数据中有未知的类型“{part.type}”")


def source_entropy(kind: str) -> float:
    """Bits of entropy one draw of the source gives, its parts entered as ``entry`` says."""
    return sum(part_entropy(part) for part in find_source(kind).parts)


def total_entropy(kinds: Iterable[str]) -> float:
    return sum(source_entropy(kind) for kind in kinds)


def required_bits(pool_size: int, panel_size: int) -> float:
    """log2 (P! / (N! (P − N)!)) for a panel of N from a pool of P, as RFC 3797 §3.3 gives it."""
    if pool_size < 0 or not 0 <= panel_size <= pool_size:
        raise ValueError(f"无法从 {pool_size} 名候选人中抽取 {panel_size} 人")
    return math.log2(math.comb(pool_size, panel_size))


def enough_entropy(available_bits: float, pool_size: int, panel_size: int, *, margin_bits: float) -> bool:
    """Whether the sources cover §3.3's requirement with ``margin_bits`` to spare."""
    return available_bits >= required_bits(pool_size, panel_size) + margin_bits


def check_values(kind: str, parts: Sequence[Sequence[SourceValue]]) -> None:
    """Refuse values that do not have the source's shape (count, range, distinctness)."""
    source = find_source(kind)
    if len(parts) != len(source.parts):
        labels = "、".join(part.label for part in source.parts)
        raise ValueError(f"{source.name}应有 {len(source.parts)} 组数值（{labels}），收到 {len(parts)} 组（填写方式：{source.entry}）")
    for part, values in zip(source.parts, parts, strict=True):
        problem = _shape_problem(part, values)
        if problem:
            raise ValueError(f"{source.name}的{part.label}{problem}（填写方式：{source.entry}）")


def _shape_problem(part: Part, values: Sequence[SourceValue]) -> str | None:
    count = 1 if part.type in ("number", "estimate") else part.count
    if len(values) != count:
        return f"应有 {count} 个数值，收到 {len(values)} 个"
    if part.type == "estimate":
        return None
    if any(not isinstance(v, int) or not part.min <= v <= part.max for v in values):
        return f"须为 {part.min} 到 {part.max} 之间的整数"
    if part.type == "combination" and len(set(values)) != len(values):
        return "有重复的号码"
    return None


def drand_values(randomness: str) -> list[int]:
    """A drand round's 256-bit randomness (64 hex digits) as eight 32-bit integers.

    Eight values of one source fit the RFC reference code (at most 16 ``%ld`` per source) where
    one 78-digit integer would not; sorting them loses at most log2 8! ≈ 15.3 of the 256 bits.
    """
    digits = randomness.strip().lower().removeprefix("0x")
    if len(digits) != 64 or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError("drand 的 randomness 应为 64 位十六进制数")
    return [int(digits[i:i + 8], 16) for i in range(0, 64, 8)]
