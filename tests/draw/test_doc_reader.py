"""The small reader written from docs/draw-algorithm.md agrees with the engine on every demo draw and on
randomly generated requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from doc_reader import max_flow, order_of, read, replay, rules_of, sources_of, take
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.draw.canonical import commitment
from roster.draw.protocol import replay as engine_replay
from roster.draw.rfc3797 import key_string, parse_sources, permutation
from roster.draw.walk import Member, PanelRequest, feasible, next_fitting, walk

REPO = Path(__file__).resolve().parents[2]
DEMO = sorted((REPO / "registry" / "draws").rglob("D*.yaml"))


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_the_reader_agrees_with_the_engine_on_every_demo_draw(path: Path) -> None:
    record = read(path.read_text(encoding="utf-8"))
    assert replay_commitment(record) == record["commitment"]
    if not record.get("result"):
        return
    mine = replay(record)
    engine = engine_replay(record)
    assert mine["key"] == engine.key == record["result"]["key"]
    assert mine["order"] == engine.order == record["result"]["order"]
    assert mine["panel"] == engine.panel == record["result"]["panel"]
    assert mine["replacements"] == record["result"]["replacements"]
    assert mine["replaced_by"] == [r.get("replaced_by") for r in record.get("responses") or []]


def replay_commitment(record: dict[str, Any]) -> str:
    from doc_reader import commitment as reader_commitment

    mine = reader_commitment(record)
    assert mine == commitment(record)
    return mine


@pytest.mark.parametrize("text", ["03 09 15 21 27 33 + 08", "０３，０９、15;21  27 33＋08", "3449.67", "3245.70",
                                  "3245.00", "9 18 26 34 41 45", "02 11 19 27 33 + 04 10"])
def test_typed_values_are_read_alike(text: str) -> None:
    mine = "".join("".join(f"{w}.{f}" for w, f in sorted(s, key=lambda v: (v[0], v[1]))) + "/" for s in sources_of(text, None))
    assert mine == key_string(parse_sources(text))


def test_drand_is_read_alike() -> None:
    beacon = "0x" + "0123456789abcdef" * 4
    from roster.draw.entropy import drand_values

    assert [w for w, _ in sources_of(beacon, "drand")[0]] == drand_values(beacon)


@st.composite
def requests(draw: st.DrawFn) -> tuple[dict[str, Any], str, list[str]]:
    n = draw(st.integers(3, 14))
    groups = draw(st.integers(1, 3))
    candidates = [f"E{i:04d}" for i in range(1, n + 1)]
    entities = draw(st.lists(st.sampled_from(["I0001", "I0002", "I0003", None]), min_size=4, max_size=4))
    facts = {}
    for c in candidates:
        inst = draw(st.sampled_from(["I0001", "I0002", "I0003", "I0004", None]))
        legal = entities[int(inst[-1]) - 1] if inst else None
        specialty = draw(st.sampled_from(["心血管内科", "呼吸内科", None]))
        facts[c] = {"quota": draw(st.integers(1, groups)), **({"institution": inst} if inst else {}),
                    **({"legal_entity": legal} if legal else {}), **({"specialty": specialty} if specialty else {})}
    quotas = [{"count": draw(st.integers(1, 2))} for _ in range(groups)]
    request = {"size": sum(q["count"] for q in quotas), "quotas": quotas,
               "max_per_institution": draw(st.one_of(st.none(), st.integers(1, 2))),
               "max_per_legal_entity": draw(st.one_of(st.none(), st.integers(1, 3))),
               **({"distinct_institutions_per_specialty": True} if draw(st.booleans()) else {})}
    key = "".join(f"{v}." for v in draw(st.lists(st.integers(0, 99), min_size=1, max_size=6))) + "/"
    declines = draw(st.lists(st.integers(0, 4), max_size=3))
    return {"candidates": candidates, "candidate_facts": facts, "request": request}, key, [str(d) for d in declines]


def _engine(record: dict[str, Any]) -> tuple[dict[str, Member], PanelRequest]:
    facts, request = record["candidate_facts"], record["request"]
    distinct = request.get("distinct_institutions_per_specialty") is True
    members = {c: Member(f["quota"], f.get("institution"), f.get("legal_entity"), f.get("specialty") if distinct else None)
               for c, f in facts.items()}
    quotas = {n: q["count"] for n, q in enumerate(request["quotas"], start=1)}
    return members, PanelRequest(quotas=quotas, max_per_institution=request["max_per_institution"],
                                 max_per_legal_entity=request["max_per_legal_entity"], distinct_specialty=distinct)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_the_reader_agrees_with_the_engine_on_random_requests(case: tuple[dict[str, Any], str, list[str]]) -> None:
    record, key, declines = case
    members, request = _engine(record)
    ids = record["candidates"]
    engine_order = [ids[s.position - 1] for s in permutation(len(ids), key)]
    assert order_of(ids, key) == engine_order
    rules = rules_of(record)
    assert max_flow(rules, [], engine_order) == feasible(members, request).max_panel
    engine_panel = list(walk(engine_order, members, request).panel)
    assert take(rules, engine_order, []) == engine_panel
    current, used = list(engine_panel), set()
    for d in declines:  # several places may be open at once when the order runs dry
        if not current:
            break
        person = current[int(d) % len(current)]
        used.add(person)
        current.remove(person)
        rest = [c for c in engine_order if c not in current and c not in used]
        mine = (take(rules, rest, current, stop_after=1) or [None])[0]
        assert mine == next_fitting(engine_order, members, request, current, used)
        if mine:
            current.append(mine)
