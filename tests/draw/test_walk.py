from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from roster.draw.walk import (
    Member,
    PanelRequest,
    feasible,
    fits,
    next_fitting,
    replacement,
    walk,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
GROUPS: list[Hashable] = ["A", "B", ("C", "心内科")]
# Institution → legal entity; i1 and i2 share L1 (e.g. two campuses of one hospital), i4 is its own.
INSTITUTIONS: dict[str, str | None] = {"i1": "L1", "i2": "L1", "i3": "L2", "i4": None, "i5": "L3"}
# a specialty the member is drawn for, or an expert's several specialties (none of them may repeat at one institution)
SPECIALTIES: list[str | tuple[str, ...] | None] = [None, "心内科", "呼吸内科", ("心内科", "呼吸内科"), ("呼吸内科", "骨科")]

Scenario = tuple[dict[str, Member], PanelRequest, list[str]]


@st.composite
def scenarios(draw: st.DrawFn, max_candidates: int = 9) -> Scenario:
    members: dict[str, Member] = {}
    for k in range(draw(st.integers(0, max_candidates))):
        institution = draw(st.sampled_from([None, *INSTITUTIONS]))
        legal_entity = INSTITUTIONS[institution] if institution else None
        members[f"c{k}"] = Member(draw(st.sampled_from(GROUPS)), institution, legal_entity,
                                  draw(st.sampled_from(SPECIALTIES)))
    distinct = draw(st.booleans())  # GY 第十二条（二）: one per (institution, specialty)
    if draw(st.booleans()):
        quotas = draw(st.dictionaries(st.sampled_from(GROUPS), st.integers(0, 3), max_size=3))
        request = PanelRequest(quotas=quotas, max_per_institution=draw(st.none() | st.integers(1, 3)),
                               max_per_legal_entity=draw(st.none() | st.integers(1, 3)), distinct_specialty=distinct)
    else:
        request = PanelRequest(size=draw(st.integers(0, 5)), max_per_institution=draw(st.none() | st.integers(1, 3)),
                               max_per_legal_entity=draw(st.none() | st.integers(1, 3)), distinct_specialty=distinct)
    order = draw(st.permutations(list(members)))
    return members, request, list(order)


def within_limits(members: Mapping[str, Member], request: PanelRequest, panel: Collection[str]) -> bool:
    """The rules written out plainly, independently of the module under test."""
    groups = Counter(request.group_of(members[c]) for c in panel)
    institutions = Counter(members[c].institution for c in panel if members[c].institution is not None)
    entities = Counter(members[c].entity for c in panel if members[c].entity is not None)
    pairs = Counter((members[c].institution, specialty) for c in panel if members[c].institution is not None
                    for specialty in ((members[c].specialty,) if isinstance(members[c].specialty, str)
                                      else members[c].specialty or ()))
    quotas = request.group_quotas
    return (
        all(g in quotas and n <= quotas[g] for g, n in groups.items())
        and (not request.distinct_specialty or all(n <= 1 for n in pairs.values()))
        and (request.max_per_institution is None or all(n <= request.max_per_institution for n in institutions.values()))
        and (request.max_per_legal_entity is None or all(n <= request.max_per_legal_entity for n in entities.values()))
    )


def largest_valid_panel(members: Mapping[str, Member], request: PanelRequest) -> int:
    ids = list(members)
    for size in range(min(len(ids), request.panel_size), 0, -1):
        if any(within_limits(members, request, combo) for combo in itertools.combinations(ids, size)):
            return size
    return 0


def is_subsequence(part: Sequence[str], whole: Sequence[str]) -> bool:
    it = iter(whole)
    return all(x in it for x in part)


# ---------------------------------------------------------------- the walk


@given(scenarios())
def test_walk_respects_quotas_and_limits(scenario: Scenario) -> None:
    members, request, order = scenario
    result = walk(order, members, request)
    assert within_limits(members, request, result.panel)
    assert is_subsequence(result.panel, order)
    assert result.replacements == tuple(c for c in order if c not in result.panel)
    assert result.complete == (len(result.panel) == request.panel_size)
    if result.complete:
        assert Counter(request.group_of(members[c]) for c in result.panel) == +Counter(request.group_quotas)


def best_completion(members: Mapping[str, Member], request: PanelRequest, panel: Sequence[str],
                    pool: Sequence[str]) -> int:
    """Most candidates of ``pool`` that can join ``panel`` within the rules (brute force)."""
    room = request.panel_size - len(panel)
    for size in range(min(room, len(pool)), 0, -1):
        if any(within_limits(members, request, [*panel, *combo]) for combo in itertools.combinations(pool, size)):
            return size
    return 0


def reference_walk(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest) -> list[str]:
    """The walk rule written out by brute force: take c if it fits and the most places that can still
    be filled does not drop (for a feasible request: the rest can still be filled from after c)."""
    panel: list[str] = []
    for position, candidate in enumerate(order):
        later = order[position + 1:]
        if not within_limits(members, request, [*panel, candidate]):
            continue
        if 1 + best_completion(members, request, [*panel, candidate], later) == \
                best_completion(members, request, panel, order[position:]):
            panel.append(candidate)
    return panel


@given(scenarios(max_candidates=8))
def test_walk_follows_the_rule_exactly(scenario: Scenario) -> None:
    members, request, order = scenario
    assert list(walk(order, members, request).panel) == reference_walk(order, members, request)


@given(scenarios())
def test_walk_fills_every_feasible_request(scenario: Scenario) -> None:
    members, request, order = scenario
    result = walk(order, members, request)
    answer = feasible(members, request)
    assert result.complete == answer.ok
    assert len(result.panel) == answer.max_panel  # infeasible: still a largest possible panel


@given(scenarios(max_candidates=14))
def test_walk_fills_every_feasible_request_in_bigger_pools(scenario: Scenario) -> None:
    members, request, order = scenario
    result = walk(order, members, request)
    assert within_limits(members, request, result.panel)
    assert len(result.panel) == feasible(members, request).max_panel


@given(scenarios())
def test_walk_skips_only_those_who_did_not_fit_or_would_block_the_rest(scenario: Scenario) -> None:
    members, request, order = scenario
    result = walk(order, members, request)
    assume(result.complete and result.panel)
    stop = order.index(result.panel[-1])
    for position, candidate in enumerate(order[:stop]):
        if candidate not in result.panel:
            earlier = [c for c in result.panel if order.index(c) < position]
            blocked = best_completion(members, request, [*earlier, candidate], order[position + 1:])
            assert not fits(request, members, earlier, candidate) or \
                len(earlier) + 1 + blocked < request.panel_size


@given(scenarios())
def test_feasible_is_exact(scenario: Scenario) -> None:
    members, request, _ = scenario
    answer = feasible(members, request)
    best = largest_valid_panel(members, request)
    assert answer.max_panel == best
    assert answer.ok == (best == request.panel_size)
    assert (answer.reason is None) == answer.ok
    if not answer.ok:
        assert CJK.search(answer.reason or "")


def test_lookahead_keeps_the_scarce_group_fillable() -> None:
    """The only two IT experts work at X, one per institution: a medical expert from X who comes
    first would block them, so the walk passes over that one."""
    members = {"m_x": Member("medical", "X"), "it1_x": Member("it", "X"), "it2_x": Member("it", "X"),
               "m_y": Member("medical", "Y"), "m_z": Member("medical", "Z")}
    request = PanelRequest(quotas={"medical": 2, "it": 1}, max_per_institution=1)
    result = walk(["m_x", "m_y", "it1_x", "m_z", "it2_x"], members, request)
    assert result.panel == ("m_y", "it1_x", "m_z") and result.complete
    assert result.replacements == ("m_x", "it2_x")
    plain_greedy_panel = ("m_x", "m_y")  # a walk without lookahead would stop here, IT unfilled
    assert set(plain_greedy_panel) - set(result.panel) == {"m_x"}


def test_the_unlucky_order_is_filled() -> None:
    members = {"a1": Member("A", "X"), "b1": Member("B", "X"), "a2": Member("A", "Y")}
    request = PanelRequest(quotas={"A": 1, "B": 1}, max_per_institution=1)
    result = walk(["a1", "b1", "a2"], members, request)
    assert result.panel == ("b1", "a2") and result.complete
    assert result.replacements == ("a1",)
    assert next_fitting(["a1", "b1", "a2"], members, request, result.panel) is None  # panel is full


def test_an_infeasible_request_gives_a_largest_panel() -> None:
    members = {"a1": Member("A", "X"), "b1": Member("B", "X"), "a2": Member("A", "X")}
    request = PanelRequest(quotas={"A": 1, "B": 1}, max_per_institution=1)
    result = walk(["a1", "b1", "a2"], members, request)
    assert result.panel == ("a1",) and not result.complete


# ---------------------------------------------------------------- replacements


@st.composite
def declines(draw: st.DrawFn) -> tuple[Scenario, tuple[str, ...], str, list[str]]:
    members, request, order = draw(scenarios())
    result = walk(order, members, request)
    assume(result.complete and result.panel)  # one open place after the decline
    panel = result.panel
    declined = draw(st.sampled_from(panel))
    outside = [c for c in order if c not in panel]
    used = draw(st.lists(st.sampled_from(outside), unique=True)) if outside else []
    return (members, request, order), panel, declined, used


@given(declines())
def test_replacement_never_skips_one_who_fits(case: tuple[Scenario, tuple[str, ...], str, list[str]]) -> None:
    (members, request, order), panel, declined, used = case
    chosen = replacement(order, members, request, panel, declined, used)
    remaining = [c for c in panel if c != declined]
    out = {*panel, *used}
    before = order if chosen is None else order[: order.index(chosen)]
    for candidate in before:
        if candidate not in out:
            assert not within_limits(members, request, [*remaining, candidate])
    if chosen is not None:
        assert chosen not in out
        assert within_limits(members, request, [*remaining, chosen])


def test_replacement_can_be_one_skipped_earlier() -> None:
    members = {"a1": Member("A", "X"), "a2": Member("A", "Y"), "b1": Member("B", "Z")}
    request = PanelRequest(quotas={"A": 1, "B": 1})
    order = ["a1", "a2", "b1"]
    result = walk(order, members, request)
    assert result.panel == ("a1", "b1") and result.replacements == ("a2",)
    assert replacement(order, members, request, result.panel, "a1") == "a2"
    assert replacement(order, members, request, result.panel, "b1") is None  # order ran dry: 补抽
    assert replacement(order, members, request, ["a2", "b1"], "a2", used=["a1"]) is None


def test_replacement_respects_limits_of_those_staying() -> None:
    members = {"a1": Member("A", "X", "L"), "b1": Member("B", "Y", "L"), "b2": Member("B", "Z", "L"),
               "b3": Member("B", "W", "M")}
    request = PanelRequest(quotas={"A": 1, "B": 1}, max_per_legal_entity=1)
    order = ["b1", "a1", "b2", "b3"]
    result = walk(order, members, request)
    assert result.panel == ("a1", "b3") and result.replacements == ("b1", "b2")  # b1 would have blocked A
    assert replacement(order, members, request, result.panel, "b3") is None  # b1, b2 share L with a1
    assert replacement(order, members, request, result.panel, "a1") is None  # no other A
    assert replacement(order, members, request, ["b1"], "b1") == "a1"  # from a panel of one


@given(scenarios(max_candidates=8))
def test_next_fitting_with_several_open_places_follows_the_walk_rule(scenario: Scenario) -> None:
    members, request, order = scenario
    panel = reference_walk(order, members, request)[:1]  # keep one, open the rest
    rest = [c for c in order if c not in panel]
    expected = None
    for position, candidate in enumerate(rest):
        if within_limits(members, request, [*panel, candidate]) and \
                1 + best_completion(members, request, [*panel, candidate], rest[position + 1:]) == \
                best_completion(members, request, panel, rest[position:]):
            expected = candidate
            break
    assert next_fitting(order, members, request, panel) == expected


# ---------------------------------------------------------------- refusals and reasons


def test_reason_names_the_short_group() -> None:
    members = {"a1": Member("A"), "c1": Member(("C", "心内科"))}
    answer = feasible(members, PanelRequest(quotas={"A": 2, ("C", "心内科"): 1}))
    assert not answer.ok
    assert answer.reason == "「A」需要 2 人，符合条件的候选只有 1 人"


def test_reason_names_the_limits() -> None:
    members = {f"a{k}": Member("A", f"i{k}", "L") for k in range(5)}
    answer = feasible(members, PanelRequest(quotas={"A": 3}, max_per_legal_entity=2))
    assert not answer.ok and answer.max_panel == 2
    assert answer.reason is not None
    assert "每个法人单位最多 2 人" in answer.reason and "最多只能抽出 2 人" in answer.reason
    assert "「A」需要 3 人，单独抽取也最多 2 人" in answer.reason


def test_reason_for_a_size_without_quotas() -> None:
    answer = feasible({"x": Member("A")}, PanelRequest(size=3))
    assert answer.reason == "抽取名单需要 3 人，符合条件的候选只有 1 人"


def test_size_without_quotas_ignores_groups() -> None:
    members = {"a": Member("A", "X"), "b": Member("B", "X"), "c": Member("C", "Y")}
    result = walk(["a", "b", "c"], members, PanelRequest(size=2, max_per_institution=1))
    assert result.panel == ("a", "c") and result.complete


def test_candidates_outside_every_quota_are_never_taken() -> None:
    members = {"z": Member("Z"), "a": Member("A")}
    assert walk(["z", "a"], members, PanelRequest(quotas={"A": 1})).panel == ("a",)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"quotas": {"A": -1}}, {"size": -1}, {"quotas": {"A": 1}, "size": 2}, {"size": 1, "max_per_institution": 0},
     {"size": 1, "max_per_legal_entity": 0}],
)
def test_bad_requests(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=CJK):
        PanelRequest(**kwargs)  # type: ignore[arg-type]


def test_bad_inputs() -> None:
    members = {"a": Member("A", "X", "L"), "b": Member("A", "X", "M")}
    request = PanelRequest(size=1)
    with pytest.raises(ValueError, match="法人单位不一致"):
        walk(["a", "b"], members, request)
    with pytest.raises(ValueError, match="法人单位不一致"):
        feasible(members, request)
    good = {"a": Member("A")}
    with pytest.raises(ValueError, match="不止一次"):
        walk(["a", "a"], good, request)
    with pytest.raises(ValueError, match="不在候选名单"):
        walk(["ghost"], good, request)
    with pytest.raises(ValueError, match="不在当前抽中名单"):
        replacement(["a"], good, request, [], "a")


# ---------------------------------------------------------------- GY 第十二条（二）: same specialty, different institutions

SAME_HOSPITAL = {
    "a": Member("全部", "i1", "L1", "心内科"),
    "b": Member("全部", "i1", "L1", "呼吸内科"),
    "c": Member("全部", "i1", "L1", "心内科"),
    "d": Member("全部", "i3", "L2", "心内科"),
}


def test_two_specialties_of_one_institution_are_both_taken() -> None:
    """The text bars same-specialty experts of one institution, not one institution twice."""
    request = PanelRequest(size=2, distinct_specialty=True)
    assert walk(["a", "b", "c", "d"], SAME_HOSPITAL, request).panel == ("a", "b")


def test_the_same_specialty_of_one_institution_is_skipped() -> None:
    request = PanelRequest(size=2, distinct_specialty=True)
    assert walk(["a", "c", "b", "d"], SAME_HOSPITAL, request).panel == ("a", "b")
    assert not fits(request, SAME_HOSPITAL, ["a"], "c")
    # without the rule (requests made before it) the order alone decides
    assert walk(["a", "c", "b", "d"], SAME_HOSPITAL, PanelRequest(size=2)).panel == ("a", "c")


def test_the_lookahead_keeps_a_same_specialty_pair_apart() -> None:
    """a and c (心内科 at i1) cannot both serve: taking a first would leave three places for two people."""
    members = {k: SAME_HOSPITAL[k] for k in ("a", "c", "b")}
    answer = feasible(members, PanelRequest(size=3, distinct_specialty=True))
    assert not answer.ok and answer.max_panel == 2
    assert "同一专业的专家来自不同单位" in (answer.reason or "")


@given(scenarios(max_candidates=8), st.integers(1, 3))
def test_a_seated_parent_panel_counts_as_if_drawn_first(scenario: Scenario, seats: int) -> None:
    """A 补抽 walks with the parent's panel seated (in no quota): the same panel as a walk in which those
    members come first in the order, in a quota of their own."""
    members, request, order = scenario
    assume(len(order) > seats and request.quotas is not None)
    parent, rest = order[:seats], order[seats:]
    assert request.quotas is not None
    own = dict(request.quotas)
    marked = {c: (Member("parent", m.institution, m.legal_entity, m.specialty) if c in parent else m)
              for c, m in members.items()}
    together = PanelRequest(quotas={**own, "parent": seats}, max_per_institution=request.max_per_institution,
                            max_per_legal_entity=request.max_per_legal_entity, distinct_specialty=request.distinct_specialty)
    assume(within_limits(marked, together, parent))
    seated = PanelRequest(quotas=own, max_per_institution=request.max_per_institution,
                          max_per_legal_entity=request.max_per_legal_entity, distinct_specialty=request.distinct_specialty,
                          seated=tuple(members[c] for c in parent))
    child = {c: m for c, m in members.items() if c not in parent}
    reference = reference_walk(order, marked, together)
    assume(set(parent) <= set(reference))  # the parent's panel is seated as a whole
    expected = [c for c in reference if c not in parent]
    assert list(walk(rest, child, seated).panel) == expected
