"""The constraint walk: from the RFC 3797 order to a panel and its replacement order.

Rule (docs/draw-algorithm.md, 第四步): walk the full draw order and take a candidate when

1. the candidate's quota group is not yet full, the candidate's institution and legal entity
   have not reached their limits and, where the request keeps same-specialty members apart
   (``distinct_specialty``, GY 第十二条（二）), no member of the same specialty from the same
   institution is on the panel (:func:`fits`), and
2. the rest of the request can still be filled from the candidates after this one in the order
   (the *lookahead*; exactly: the maximum flow of the network below, built from the candidates
   after this one and what is still open once this one is taken, equals the number of places
   still open).

Everyone else is skipped; the walk stops when the panel is full.  Every candidate not on the
panel, in draw order, is the replacement order.

The network for "what is still open" has a source S, a node per quota group g, per institution i,
per legal entity e, and a sink T:  S→g carries the places still open in g; g→i the number of
candidates of group g at institution i still ahead in the order; i→e what is left of i's limit;
e→T what is left of e's limit (no limit: unbounded).  A candidate with no institution goes g→e,
one with neither g→T.  With ``distinct_specialty`` a candidate who has both an institution and a
specialty goes g→s→i through a node s per (institution, specialty) whose edge s→i carries 1 (0 once
that pair is on the panel).  Since each (institution, specialty) pair belongs to one institution
and each institution to exactly one legal entity, the limits nest and a flow of value k is exactly
a set of k candidates that fits every quota and limit.

A member with several pairs (an expert drawn under a quota that names no specialty counts under every
specialty registered) passes no s node: the network then only bounds the answer, and :func:`_best`
makes it exact by branch and bound (a witness of the flow without a shared pair proves the bound;
otherwise branch on taking or leaving one member with several pairs that shares one).  The seated
members of ``PanelRequest.seated`` (a 补抽's parent panel) are in the tally from the start, in no group.

Why this always fills a request that can be filled: before the walk, some valid panel exists
among all candidates.  Suppose at candidate c some completion exists among c and those after it.
If one completion uses c, taking c passes the lookahead; if none does, a completion exists among
those after c.  Either way the invariant holds for the next candidate, and the walk ends full.
When the request cannot be filled the same rule keeps "the most places that can still be filled"
unchanged at every step, so the walk returns a largest possible panel (``complete=False``).

Replacement after a decline or absence: the first candidate of the replacement order (not on the
panel, not already out) that the same rule would take given the current panel; with one open
place that is simply the first who fits.  :func:`feasible` is checked before any randomness.

Speed: the walk keeps one maximum flow of the network and updates it as it moves along the order
(candidates of one group at one institution are interchangeable, so the lookahead for c holds iff
some maximum flow uses the edge g→i, iff the flow already does or the residual graph has a path
from i back to g).  A skipped candidate costs O(1); see tests/perf/bench_draw.py.
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
    # counted only by a request with distinct_specialty: the specialty the member is drawn for, or a
    # tuple of specialties (the expert's own, when the quota names none) of which no one may repeat
    specialty: str | tuple[str, ...] | None = None

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(institution, specialty) pairs: under ``distinct_specialty`` each pair holds at most one member."""
        if self.institution is None or not self.specialty:
            return ()
        specialties = (self.specialty,) if isinstance(self.specialty, str) else tuple(dict.fromkeys(self.specialty))
        return tuple((self.institution, s) for s in specialties)

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
    distinct_specialty: bool = False  # no two members of one specialty from one institution
    # a 补抽's parent panel: counted against the limits and the specialty rule from the start, in no quota
    seated: tuple[Member, ...] = ()
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
    """How many places each group, institution and legal entity holds so far (the seated parent panel
    included, in no group)."""

    request: PanelRequest
    groups: Counter[Group] = field(default_factory=Counter)
    institutions: Counter[str] = field(default_factory=Counter)
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    seat: bool = field(default=True, repr=False)

    def __post_init__(self) -> None:
        if self.seat:
            for member in self.request.seated:
                self.add(member, group=False)
            self.seat = False

    def fits(self, member: Member) -> bool:
        request = self.request
        group = request.group_of(member)
        if self.groups[group] >= request.group_quotas.get(group, 0):
            return False
        if request.distinct_specialty and any(self.pairs[pair] >= 1 for pair in member.pairs):
            return False
        if (request.max_per_institution is not None and member.institution is not None
                and self.institutions[member.institution] >= request.max_per_institution):
            return False
        entity = member.entity
        return not (request.max_per_legal_entity is not None and entity is not None
                    and self.entities[entity] >= request.max_per_legal_entity)

    def add(self, member: Member, group: bool = True) -> None:
        if group:
            self.groups[self.request.group_of(member)] += 1
        if member.institution is not None:
            self.institutions[member.institution] += 1
        if member.entity is not None:
            self.entities[member.entity] += 1
        for pair in member.pairs:
            self.pairs[pair] += 1

    def copy(self) -> _Tally:
        return _Tally(self.request, self.groups.copy(), self.institutions.copy(), self.entities.copy(), self.pairs.copy(),
                      seat=False)


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


# ---------------------------------------------------------------- the network of what is still open

_Node = tuple[str, Hashable]
_SOURCE: _Node = ("S", None)
_SINK: _Node = ("T", None)


class _Network:
    """A maximum flow of the network of open places (module docstring), kept up to date.

    ``res[u][v]`` is the residual capacity of u→v.  Every edge of the network goes "forward"
    (S→g→i→e→T), so the flow on u→v is ``res[v][u]``.
    """

    def __init__(self, request: PanelRequest, tally: _Tally, ahead: Iterable[Member]) -> None:
        self.request = request
        self.res: defaultdict[_Node, dict[_Node, int]] = defaultdict(dict)
        self.open = 0
        quotas = request.group_quotas
        unbounded = request.panel_size + 1  # no edge ever carries more than the whole panel
        for group, quota in quotas.items():
            need = max(quota - tally.groups[group], 0)
            if need:
                self._edge(_SOURCE, ("g", group), need)
                self.open += need
        for member in ahead:
            path = self.path(member)
            if path is None:
                continue
            self._edge(path[1], path[2], 1)
            for here, there in pairwise(path[2:]):
                if there not in self.res[here]:
                    self._edge(here, there, self._limit(here, tally, unbounded))
        self.value = self._augment_all()

    # -- building

    def path(self, member: Member) -> list[_Node] | None:
        """S, g, then i, e as the member has them, then T; ``None`` if the member's group is full."""
        group: _Node = ("g", self.request.group_of(member))
        if group not in self.res[_SOURCE]:
            return None
        path = [_SOURCE, group]
        if self.request.distinct_specialty and len(member.pairs) == 1:
            path.append(("s", member.pairs[0]))  # several pairs: relaxed here, made exact by _best
        if member.institution is not None:
            path.append(("i", member.institution))
        if member.entity is not None:
            path.append(("e", member.entity))
        path.append(_SINK)
        return path

    def _edge(self, here: _Node, there: _Node, amount: int) -> None:
        self.res[here][there] = self.res[here].get(there, 0) + amount
        self.res[there].setdefault(here, 0)

    def _limit(self, node: _Node, tally: _Tally, unbounded: int) -> int:
        if node[0] == "s":
            return max(1 - tally.pairs[node[1]], 0)  # type: ignore[index]
        if node[0] == "i":
            limit, used = self.request.max_per_institution, tally.institutions[str(node[1])]
        else:
            limit, used = self.request.max_per_legal_entity, tally.entities[node[1]]  # type: ignore[index]
        return unbounded if limit is None else max(limit - used, 0)

    # -- flow

    def _find_path(self, start: _Node, goal: _Node) -> list[_Node] | None:
        """A path of positive residual capacity from ``start`` to ``goal`` (depth first)."""
        parents: dict[_Node, _Node] = {start: start}
        stack = [start]
        while stack:
            here = stack.pop()
            for there, amount in self.res[here].items():
                if amount > 0 and there not in parents:
                    parents[there] = here
                    if there == goal:
                        path = [goal]
                        while path[-1] != start:
                            path.append(parents[path[-1]])
                        return path[::-1]
                    stack.append(there)
        return None

    def _push(self, path: Sequence[_Node]) -> None:
        for here, there in pairwise(path):
            self.res[here][there] -= 1
            self.res[there][here] += 1

    def _augment_all(self) -> int:
        value = 0
        while value < self.open:
            path = self._find_path(_SOURCE, _SINK)
            if path is None:
                break
            self._push(path)
            value += 1
        return value

    # -- the walk's two moves

    def usable(self, path: Sequence[_Node]) -> bool:
        """Whether some maximum flow sends a unit along ``path`` (the lookahead for its candidate).

        It does if the current flow uses the first edge g→x; otherwise iff a residual path leads
        from x back to g, and then the flow is turned around that cycle so that it does.
        """
        group, first = path[1], path[2]
        if self.res[first].get(group, 0) > 0:
            return True
        back = self._find_path(first, group)
        if back is None:
            return False
        self._push([group, *back])
        return True

    def take(self, path: Sequence[_Node]) -> None:
        """Remove one unit along ``path`` with the capacities it used (the member is on the panel)."""
        for here, there in pairwise(path):
            self.res[there][here] -= 1
        self.value -= 1
        self.open -= 1

    def skip(self, path: Sequence[_Node]) -> None:
        """The member falls behind: one fewer candidate on the first edge (which carries no flow)."""
        self.res[path[1]][path[2]] -= 1


# ---------------------------------------------------------------- the walk and replacements


def _run(sequence: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
         panel: Collection[str], stop_after: int | None = None) -> list[str]:
    """Candidates of ``sequence`` the rule takes, given those already on ``panel``."""
    tally = _tally(request, members, panel)
    ahead = [_lookup(members, c) for c in sequence]
    if _several(request, ahead):
        return _run_exact(sequence, ahead, request, tally, stop_after)
    network = _Network(request, tally, ahead)
    taken: list[str] = []
    limit = network.value if stop_after is None else min(stop_after, network.value)
    for candidate, member in zip(sequence, ahead, strict=True):
        if len(taken) >= limit:
            break
        path = network.path(member)
        if path is None:
            continue
        if tally.fits(member) and network.usable(path):
            network.take(path)
            tally.add(member)
            taken.append(candidate)
        else:
            network.skip(path)
    return taken


def _several(request: PanelRequest, ahead: Iterable[Member]) -> bool:
    """Whether some member holds several (institution, specialty) pairs: the network alone is then a bound."""
    return request.distinct_specialty and any(len(m.pairs) > 1 for m in ahead)


def _run_exact(sequence: Sequence[str], ahead: Sequence[Member], request: PanelRequest, tally: _Tally,
               stop_after: int | None) -> list[str]:
    """The same rule as :func:`_run`, each lookahead by :func:`_best` (members with several specialties)."""
    need = _best(request, tally, ahead, request.panel_size)
    limit = need if stop_after is None else min(stop_after, need)
    taken: list[str] = []
    for n, (candidate, member) in enumerate(zip(sequence, ahead, strict=True)):
        if len(taken) >= limit:
            break
        if not tally.fits(member):
            continue
        trial = tally.copy()
        trial.add(member)
        if 1 + _best(request, trial, ahead[n + 1:], need - 1) == need:
            tally = trial
            taken.append(candidate)
            need -= 1
    return taken


def _best(request: PanelRequest, tally: _Tally, ahead: Sequence[Member], cap: int) -> int:
    """The most members of ``ahead`` (at most ``cap``) that can join the panel ``tally`` holds: exact.

    Branch and bound: the network, where a member with several pairs passes no pair node, bounds the
    answer; a witness of that many whose pairs are all distinct proves it; otherwise the witness has a
    member with several pairs sharing one, and the answer is the better of taking it and leaving it.
    """
    ahead = [m for m in ahead if tally.fits(m)]
    if cap <= 0 or not ahead:
        return 0
    network = _Network(request, tally, ahead)
    bound = min(network.value, cap)
    clash = _clash(network, ahead, bound)
    if clash is None:
        return bound
    rest = [*ahead[:clash], *ahead[clash + 1:]]
    trial = tally.copy()
    trial.add(ahead[clash])
    best = 1 + _best(request, trial, rest, bound - 1)
    return best if best == bound else max(best, _best(request, tally, rest, bound))


def _clash(network: _Network, ahead: Sequence[Member], size: int) -> int | None:
    """``size`` members as the flow carries them, without a shared pair where possible; ``None`` when
    they share none, else the index of a member with several pairs that shares one."""
    units = Counter({(here, there): network.res[there].get(here, 0)
                     for here, edges in list(network.res.items()) if here[0] == "g" for there in edges})
    holder: dict[tuple[str, str], int] = {}  # pair → the chosen member holding it
    taken: set[int] = set()
    for careful in (True, False):
        for n, member in enumerate(ahead):
            if len(taken) >= size:
                return None
            path = network.path(member)
            if path is None or n in taken or units[(path[1], path[2])] <= 0:
                continue
            shared = [holder[p] for p in member.pairs if p in holder]
            if shared and careful:
                continue
            if shared:  # two members with a single pair each never share: the network keeps them apart
                return n if len(member.pairs) > 1 else next(k for k in shared if len(ahead[k].pairs) > 1)
            units[(path[1], path[2])] -= 1
            taken.add(n)
            holder.update(dict.fromkeys(member.pairs, n))
    return None


def walk(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest) -> WalkResult:
    """Take, in draw order, each candidate who fits and leaves the rest fillable; the rest are the replacements."""
    _check_order(order)
    _check_entities([*members.values(), *request.seated])
    panel = tuple(_run(order, members, request, ()))
    taken = set(panel)
    replacements = tuple(c for c in order if c not in taken)
    return WalkResult(panel=panel, replacements=replacements, complete=len(panel) == request.panel_size)


def next_fitting(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
                 panel: Collection[str], used: Collection[str] = ()) -> str | None:
    """The first candidate in draw order, not on ``panel`` nor ``used``, whom the walk rule takes now."""
    _check_order(order)
    out = {*panel, *used}
    rest = [c for c in order if c not in out]
    taken = _run(rest, members, request, panel, stop_after=1)
    return taken[0] if taken else None


def replacement(order: Sequence[str], members: Mapping[str, Member], request: PanelRequest,
                panel: Collection[str], declined: str, used: Collection[str] = ()) -> str | None:
    """Who takes the place ``declined`` leaves on ``panel``; ``None`` when the order runs dry (补抽).

    ``used`` are candidates already out of the running (earlier declines, absences); the one who
    declines joins them.  The answer is the first of the rest of the draw order who fits (with
    more than one open place, the first the walk rule takes).
    """
    if declined not in panel:
        raise ValueError(f"“{declined}”不在当前抽中名单中")
    remaining = [c for c in panel if c != declined]
    return next_fitting(order, members, request, remaining, {*used, declined})


# ---------------------------------------------------------------- feasibility, before the draw


def feasible(members: Mapping[str, Member], request: PanelRequest) -> Feasibility:
    """Whether some choice of candidates fills every quota within the limits, so that a panel exists.

    Exact: the maximum flow of the network of the module docstring over all candidates.
    """
    _check_entities([*members.values(), *request.seated])
    target = request.panel_size
    best = _max_panel(members, request)
    if best == target:
        return Feasibility(ok=True, max_panel=best)
    short = _short_groups(members, request)
    if short:
        return Feasibility(ok=False, reason="；".join(short), max_panel=best)
    return Feasibility(ok=False, reason=_limit_reason(members, request, best, target), max_panel=best)


def _max_panel(members: Mapping[str, Member], request: PanelRequest) -> int:
    if _several(request, members.values()):
        return _best(request, _Tally(request), list(members.values()), request.panel_size)
    return _Network(request, _Tally(request), members.values()).value


def _short_groups(members: Mapping[str, Member], request: PanelRequest) -> list[str]:
    have = Counter(request.group_of(m) for m in members.values())
    reasons = []
    for group, quota in request.group_quotas.items():
        if have[group] < quota:
            label = "抽取名单" if group == _ALL else f"「{group_label(group)}」"
            reasons.append(f"{label}需要 {quota} 人，符合条件的候选只有 {have[group]} 人")
    return reasons


def _limit_reason(members: Mapping[str, Member], request: PanelRequest, best: int, target: int) -> str:
    limits = []
    if request.max_per_institution is not None:
        limits.append(f"每个单位最多 {request.max_per_institution} 人")
    if request.max_per_legal_entity is not None:
        limits.append(f"每个法人单位最多 {request.max_per_legal_entity} 人")
    if request.distinct_specialty:
        limits.append("同一专业的专家来自不同单位")
    reason = f"受“{'、'.join(limits)}”的限制，最多只能抽出 {best} 人（需要 {target} 人）"
    alone = []
    if request.quotas is not None:
        for group, quota in request.group_quotas.items():
            single = PanelRequest(quotas={group: quota}, max_per_institution=request.max_per_institution,
                                  max_per_legal_entity=request.max_per_legal_entity,
                                  distinct_specialty=request.distinct_specialty, seated=request.seated)
            most = _max_panel(members, single)
            if most < quota:
                alone.append(f"「{group_label(group)}」需要 {quota} 人，单独抽取也最多 {most} 人")
    return reason + ("；其中" + "；".join(alone) if alone else "")


def group_label(group: Group) -> str:
    if isinstance(group, tuple):
        return "·".join(str(part) for part in group)
    return str(group)
