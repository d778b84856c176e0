"""The constraint walk: from the RFC 3797 order to a panel and its replacement order.

Rule (DESIGN “Verifiable draws”): walk the full draw order and take each candidate whose quota
group is not yet full and whose institution / legal-entity limit is not yet reached; skip the
rest; stop when the panel is full.  Every candidate not on the panel, in draw order (those
skipped on the way and everyone after the last member), is the replacement order.  A declined
place goes to the first candidate of that order who fits at that moment — never to a later one.

The walk is greedy, so a request that can be filled may still come out short on an unlucky order
(quota A 1, B 1, one per institution; order a1@X, b1@X, a2@Y: a1 is taken, b1 is blocked by X,
a2 by the full quota A, although {a2, b1} was possible).  Then :func:`walk` returns the panel it
got with ``complete=False``; :func:`next_fitting` fills open places from the replacement order by
the same rule, and what it cannot fill needs a new request (补抽).  :func:`feasible` is checked
before any randomness: a request it refuses can never be filled, by any order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

__all__ = [
    "Feasibility",
    "Member",
    "PanelRequest",
    "WalkResult",
    "feasible",
    "fits",
    "next_fitting",
    "replacement",
    "walk",
]

Group = Hashable
_ALL = "__all__"  # the one group of a request that has a size and no quotas


@dataclass(frozen=True)
class Member:
    """What the walk needs to know about a candidate.

    ``group`` is the quota key (a category, or a (category, specialty) tuple).  An institution
    belongs to exactly one legal entity; ``legal_entity=None`` means the institution is its own.
    A candidate with no institution (e.g. retired, independent) counts against no limit.
    """

    group: Group
    institution: str | None = None
    legal_entity: str | None = None

    @property
    def entity(self) -> tuple[str, str] | None:
        """The key the legal-entity limit counts by."""
        if self.legal_entity is not None:
            return ("legal_entity", self.legal_entity)
        if self.institution is not None:
            return ("institution", self.institution)
        return None


@dataclass(frozen=True)
class PanelRequest:
    """Quotas by group (panel size = their sum), or a bare ``size``; limits ``None`` = unlimited."""

    quotas: Mapping[Group, int] | None = None
    size: int | None = None
    max_per_institution: int | None = None
    max_per_legal_entity: int | None = None
    _quotas: dict[Group, int] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if self.quotas is None and self.size is None:
            raise ValueError("抽取请求须给出各类别人数或总人数")
        if self.quotas is not None:
            object.__setattr__(self, "quotas", dict(self.quotas))
            if any(count < 0 for count in self.quotas.values()):
                raise ValueError("各类别抽取人数不能为负数")
            if self.size is not None and self.size != sum(self.quotas.values()):
                raise ValueError(f"总人数 {self.size} 与各类别人数之和 {sum(self.quotas.values())} 不一致")
        elif self.size is not None and self.size < 0:
            raise ValueError("抽取人数不能为负数")
        for label, limit in (("每个机构", self.max_per_institution), ("每个法人单位", self.max_per_legal_entity)):
            if limit is not None and limit < 1:
                raise ValueError(f"{label}最多人数须为正整数，收到 {limit}")
        object.__setattr__(self, "_quotas", dict(self.quotas) if self.quotas is not None else {_ALL: self.size or 0})

    @property
    def group_quotas(self) -> Mapping[Group, int]:
        """Quota per group; a request with only a size has one group holding everyone."""
        return self._quotas

    def group_of(self, member: Member) -> Group:
        return member.group if self.quotas is not None else _ALL

    @property
    def panel_size(self) -> int:
        return sum(self.group_quotas.values())


@dataclass(frozen=True)
class WalkResult:
    panel: tuple[str, ...]
    replacements: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class Feasibility:
    ok: bool
    reason: str | None = None
    max_panel: int = 0


@dataclass
class _Tally:
    """How many places each group, institution and legal entity holds so far."""

    request: PanelRequest
    groups: Counter[Group] = field(default_factory=Counter)
    institutions: Counter[str] = field(default_factory=Counter)
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)

    def fits(self, member: Member) -> bool:
        request = self.request
        group = request.group_of(member)
        if self.groups[group] >= request.group_quotas.get(group, 0):
            return False
        if (request.max_per_institution is not None and member.institution is not None
                and self.institutions[member.institution] >= request.max_per_institution):
            return False
        entity = member.entity
        return not (request.max_per_legal_entity is not None and entity is not None
                    and self.entities[entity] >= request.max_per_legal_entity)

    def add(self, member: Member) -> None:
        self.groups[self.request.group_of(member)] += 1
        if member.institution is not None:
            self.institutions[member.institution] += 1
        if member.entity is not None:
            self.entities[member.entity] += 1


def _tally(request: PanelRequest, members: Mapping[str, Member], panel: Iterable[str]) -> _Tally:
    tally = _Tally(request)
    for candidate in panel:
        tally.add(_lookup(members, candidate))
    return tally


def _lookup(members: Mapping[str, Member], candidate: str) -> Member:
    try:
        return members[candidate]
    except KeyError:
        raise ValueError(f"抽取顺序中的“{candidate}”不在候选名单中") from None


def _check_order(order: Sequence[str]) -> None:
    seen: set[str] = set()
    for candidate in order:
        if candidate in seen:
            raise ValueError(f"抽取顺序中“{candidate}”出现了不止一次")
        seen.add(candidate)


def _check_entities(members: Iterable[Member]) -> None:
    entity_of: dict[str, str | None] = {}
    for member in members:
        if member.institution is None:
            continue
        known = entity_of.setdefault(member.institution, member.legal_entity)
        if known != member.legal_entity:
            raise ValueError(
                f"机构“{member.institution}”的法人单位不一致：“{known or '（未填）'}”与"
                f"“{member.legal_entity or '（未填）'}”"
            )


def fits(request: PanelRequest, members: Mapping[str, Member], panel: Iterable[str], candidate: str) -> bool:
    """Whether ``candidate`` may join ``panel`` without breaking a quota or a limit."""
    return _tally(request, members, panel).fits(_lookup(members, candidate))


def walk(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest) -> WalkResult:
    """Take, in draw order, each candidate who fits; the rest, in draw order, are the replacements."""
    _check_order(order)
    _check_entities(members.values())
    tally = _Tally(request)
    target = request.panel_size
    panel: list[str] = []
    for candidate in order:
        if len(panel) == target:
            break
        member = _lookup(members, candidate)
        if tally.fits(member):
            tally.add(member)
            panel.append(candidate)
    taken = set(panel)
    replacements = tuple(c for c in order if c not in taken)
    return WalkResult(panel=tuple(panel), replacements=replacements, complete=len(panel) == target)


def next_fitting(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
                 panel: Collection[str], used: Collection[str] = ()) -> str | None:
    """The first candidate in draw order, not on ``panel`` nor ``used``, who fits ``panel`` now."""
    tally = _tally(request, members, panel)
    for candidate in order:
        if candidate in panel or candidate in used:
            continue
        if tally.fits(_lookup(members, candidate)):
            return candidate
    return None


def replacement(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
                panel: Collection[str], declined: str, used: Collection[str] = ()) -> str | None:
    """Who takes the place ``declined`` leaves on ``panel``; ``None`` when the order runs dry (补抽).

    ``used`` are candidates already out of the running (earlier declines, no answers); the one who
    declines joins them.  The answer is the first of the rest of the draw order who fits.
    """
    if declined not in panel:
        raise ValueError(f"“{declined}”不在当前专家组中")
    remaining = [c for c in panel if c != declined]
    return next_fitting(order, members, request, remaining, {*used, declined})


# ---------------------------------------------------------------- feasibility, before the draw


def feasible(members: Mapping[str, Member], request: PanelRequest) -> Feasibility:
    """Whether some choice of candidates fills every quota within the limits, so that a panel exists.

    Exact, as a maximum flow: source → group (quota) → institution (per-institution limit) →
    legal entity (per-legal-entity limit) → sink, each group → institution edge carrying the
    number of candidates of that group there.  This is exact because each institution belongs
    to exactly one legal entity, so the limits nest.
    """
    _check_entities(members.values())
    quotas = request.group_quotas
    target = sum(quotas.values())
    short = _short_groups(members, request)
    best = _max_panel(members, request, quotas)
    if best == target:
        return Feasibility(ok=True, max_panel=best)
    if short:
        return Feasibility(ok=False, reason="；".join(short), max_panel=best)
    return Feasibility(ok=False, reason=_limit_reason(members, request, best, target), max_panel=best)


def _short_groups(members: Mapping[str, Member], request: PanelRequest) -> list[str]:
    have = Counter(request.group_of(m) for m in members.values())
    reasons = []
    for group, quota in request.group_quotas.items():
        if have[group] < quota:
            label = "专家组" if group == _ALL else f"「{_group_label(group)}」"
            reasons.append(f"{label}需要 {quota} 人，符合条件的候选人只有 {have[group]} 人")
    return reasons


def _limit_reason(members: Mapping[str, Member], request: PanelRequest, best: int, target: int) -> str:
    limits = []
    if request.max_per_institution is not None:
        limits.append(f"每个机构最多 {request.max_per_institution} 人")
    if request.max_per_legal_entity is not None:
        limits.append(f"每个法人单位最多 {request.max_per_legal_entity} 人")
    reason = f"受“{'、'.join(limits)}”的限制，最多只能组成 {best} 人的专家组（需要 {target} 人）"
    alone = []
    for group, quota in request.group_quotas.items():
        most = _max_panel(members, request, {group: quota})
        if most < quota:
            alone.append(f"「{_group_label(group)}」需要 {quota} 人，单独抽取也最多 {most} 人")
    return reason + ("；其中" + "；".join(alone) if alone and request.quotas is not None else "")


def _group_label(group: Group) -> str:
    if isinstance(group, tuple):
        return "·".join(str(part) for part in group)
    return str(group)


_Node = tuple[str, Hashable]
_SOURCE: _Node = ("source", None)
_SINK: _Node = ("sink", None)


def _max_panel(members: Mapping[str, Member], request: PanelRequest, quotas: Mapping[Group, int]) -> int:
    capacity: defaultdict[_Node, Counter[_Node]] = defaultdict(Counter)
    target = sum(quotas.values())
    unlimited = target  # no edge ever needs to carry more than the whole panel
    for group, quota in quotas.items():
        capacity[_SOURCE][("group", group)] = quota
    for member in members.values():
        group = request.group_of(member)
        if group not in quotas:
            continue
        path: list[_Node] = [("group", group)]
        if member.institution is not None:
            path.append(("institution", member.institution))
        if member.entity is not None:
            path.append(("entity", member.entity))
        path.append(_SINK)
        capacity[path[0]][path[1]] += 1
        for here, there in pairwise(path[1:]):
            capacity[here][there] = _limit_for(here, request, unlimited)
    return _max_flow(capacity, target)


def _limit_for(node: _Node, request: PanelRequest, unlimited: int) -> int:
    limit = request.max_per_institution if node[0] == "institution" else request.max_per_legal_entity
    return unlimited if limit is None else limit


def _max_flow(capacity: defaultdict[_Node, Counter[_Node]], target: int) -> int:
    """Edmonds–Karp; at most ``target`` augmentations, each one breadth-first search."""
    residual: defaultdict[_Node, Counter[_Node]] = defaultdict(Counter)
    for here, edges in capacity.items():
        for there, amount in edges.items():
            residual[here][there] += amount
            residual[there][here] += 0
    flow = 0
    while flow < target:
        parents = _augmenting_path(residual)
        if parents is None:
            break
        bottleneck, node = target - flow, _SINK
        while node != _SOURCE:
            bottleneck = min(bottleneck, residual[parents[node]][node])
            node = parents[node]
        node = _SINK
        while node != _SOURCE:
            residual[parents[node]][node] -= bottleneck
            residual[node][parents[node]] += bottleneck
            node = parents[node]
        flow += bottleneck
    return flow


def _augmenting_path(residual: defaultdict[_Node, Counter[_Node]]) -> dict[_Node, _Node] | None:
    parents: dict[_Node, _Node] = {_SOURCE: _SOURCE}
    frontier = [_SOURCE]
    while frontier:
        following: list[_Node] = []
        for here in frontier:
            for there, amount in residual[here].items():
                if amount > 0 and there not in parents:
                    parents[there] = here
                    if there == _SINK:
                        return parents
                    following.append(there)
        frontier = following
    return None
