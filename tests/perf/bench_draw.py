"""Benchmark (not a test): RFC 3797 order + constraint walk (with lookahead) for a pool of 10,000.

Run: PYTHONPATH=tools python tests/perf/bench_draw.py [--runs N]
Prints the median (and fastest) wall time of each stage over N runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from roster.draw.rfc3797 import key_string, parse_sources, permutation
from roster.draw.walk import Member, PanelRequest, feasible, replacement, walk

POOL = 10_000
CATEGORIES = ["临床医学", "药学", "医保管理", "财务审计", "法律", "信息技术", "护理", "中医"]
INSTITUTIONS = 1_500
LEGAL_ENTITIES = 400
KEY = key_string([*parse_sources("03 09 15 21 27 33 + 08"), *parse_sources("02 11 19 27 33 + 04 10"), [3245]])


def candidates() -> dict[str, Member]:
    """A sorted candidate list with a spread of categories, institutions and legal entities."""
    members: dict[str, Member] = {}
    for n in range(POOL):
        institution = (n * 7919) % INSTITUTIONS
        members[f"E{n:05d}"] = Member(
            group=CATEGORIES[(n * 31) % len(CATEGORIES)] if n % 250 else "稀缺专业",
            institution=f"I{institution:04d}",
            legal_entity=f"L{institution % LEGAL_ENTITIES:03d}",
        )
    return members


def concentrated() -> tuple[dict[str, Member], PanelRequest]:
    """The case the lookahead exists for: the only 3 IT experts work at 3 hospitals that also employ
    600 medical experts, one per institution; every medical expert of those 3 must be passed over."""
    members = candidates()
    for n, key in enumerate(sorted(members)):
        if n % 16 == 0:
            members[key] = Member("临床医学", f"I{n % 3:04d}", f"L{n % 3:03d}")
    for n in range(3):
        members[f"E{POOL + n:05d}"] = Member("信息技术专家", f"I{n:04d}", f"L{n:03d}")
    request = PanelRequest(quotas={"临床医学": 5, "信息技术专家": 3}, max_per_institution=1, max_per_legal_entity=1)
    return members, request


def several_specialties(size: int = 400) -> dict[str, Member]:
    """A GY-sized pool crowded into 12 institutions and 6 specialties; every other expert registered 2 or 3
    specialties, so the walk's lookahead is the exact branch and bound rather than the network alone."""
    specialties = ["心血管内科", "呼吸内科", "老年医学", "数据安全", "网络安全", "医保管理"]
    members: dict[str, Member] = {}
    for n in range(size):
        own = tuple(specialties[(n * k + n // 7) % 6] for k in range(1, 2 + n % 3))
        members[f"E{n:05d}"] = Member(CATEGORIES[(n * 31) % 3], f"I{(n * 37) % 12:04d}", f"L{(n * 37) % 12 % 5:03d}",
                                      tuple(dict.fromkeys(own)) if n % 2 else own[0])
    return members


def timed(stage: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        stage()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    members = candidates()
    ids = sorted(members)
    # 稀缺专业 has 40 candidates, so its quota makes the walk go deep into the order.
    request = PanelRequest(
        quotas={"临床医学": 3, "药学": 1, "医保管理": 1, "财务审计": 1, "法律": 1, "稀缺专业": 2},
        max_per_institution=1,
        max_per_legal_entity=2,
    )
    order = [ids[s.position - 1] for s in permutation(POOL, KEY)]
    result = walk(order, members, request)
    assert result.complete and feasible(members, request).ok

    def full_draw() -> object:
        draw_order = [ids[s.position - 1] for s in permutation(POOL, KEY)]
        return walk(draw_order, members, request)

    hard_members, hard_request = concentrated()
    hard_ids = sorted(hard_members)
    hard_order = [hard_ids[s.position - 1] for s in permutation(len(hard_ids), KEY)]
    hard = walk(hard_order, hard_members, hard_request)
    assert hard.complete

    several = several_specialties()
    several_request = PanelRequest(quotas={c: 3 for c in CATEGORIES[:3]}, max_per_legal_entity=3,
                                   distinct_specialty=True)
    several_ids = sorted(several)
    several_order = [several_ids[s.position - 1] for s in permutation(len(several_ids), KEY)]
    first_only = {k: Member(m.group, m.institution, m.legal_entity,
                            m.specialty if isinstance(m.specialty, str) else (m.specialty or ("",))[0])
                  for k, m in several.items()}
    assert walk(several_order, several, several_request).complete

    stages: list[tuple[str, Callable[[], object]]] = [
        ("permutation, MD5 (rfc3797)", lambda: permutation(POOL, KEY)),
        ("permutation, SM3 (rfc3797-sm3)", lambda: permutation(POOL, KEY, "rfc3797-sm3")),
        ("walk", lambda: walk(order, members, request)),
        ("permutation + walk", full_draw),
        ("walk, scarce group concentrated", lambda: walk(hard_order, hard_members, hard_request)),
        ("feasible (max-flow)", lambda: feasible(members, request)),
        ("replacement of the first member", lambda: replacement(order, members, request, result.panel, result.panel[0])),
        ("walk, 400, several specialties", lambda: walk(several_order, several, several_request)),
        ("walk, 400, first specialty only", lambda: walk(several_order, first_only, several_request)),
        ("feasible, 400, several specialties", lambda: feasible(several, several_request)),
    ]
    print(f"concentrated case: walk reached position {hard_order.index(hard.panel[-1]) + 1:,}")
    print(f"pool {POOL:,}, panel {request.panel_size}, {runs} runs; walk reached position "
          f"{order.index(result.panel[-1]) + 1:,} of the order")
    for name, stage in stages:
        median, best = timed(stage, runs)
        print(f"{name:<34} median {median * 1000:7.2f} ms   fastest {best * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
