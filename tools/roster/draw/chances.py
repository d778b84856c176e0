"""Each candidate's chance of being drawn, by a seeded simulation of the walk over random orders.

RFC 3797 gives every order of the candidates (nearly) the same chance; the walk then takes the
first who fit. So the chance of a candidate is the share of orders whose walk takes them —
estimated here over ``runs`` orders shuffled by a ``random.Random(seed)`` (never the module-level
``random``), so that a bureau can publish the numbers and anyone can reproduce them.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .walk import Member, PanelRequest, walk

__all__ = ["Chance", "estimate"]


@dataclass(frozen=True)
class Chance:
    candidate: str
    share: float  # drawn in this share of the simulated orders
    margin: float  # half-width of the 95 % interval (normal approximation)


def estimate(candidates: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
             runs: int = 10_000, seed: int = 3797) -> list[Chance]:
    """The share of ``runs`` seeded random orders in which each candidate is on the panel."""
    if runs < 1:
        raise ValueError("模拟次数须为正整数")
    rng = random.Random(seed)
    drawn: Counter[str] = Counter()
    order = list(candidates)
    for _ in range(runs):
        rng.shuffle(order)
        drawn.update(walk(order, members, request).panel)
    out = []
    for candidate in candidates:
        share = drawn[candidate] / runs
        out.append(Chance(candidate, share, 1.96 * math.sqrt(share * (1 - share) / runs)))
    return out
