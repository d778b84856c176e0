"""The draw protocol, each step one change to one file: request → run → responses; and verification.

No click and no writing here: functions take and return plain data, raise :class:`DrawError` (Chinese
message, path into the file) for expected problems, and :func:`verify` returns findings. The files
are written by staff/draws.py, through the change path every command uses.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..check.registry import Record, Registry
from ..core.findings import Finding, error, warning
from ..policies.presets import load_preset, preset_ids
from .candidates import Pool, compute_pool, parent_members
from .canonical import commitment
from .entropy import check_values, drand_values, find_source, margin_bits, required_bits, source_entropy
from .files import draw_path
from .model import (
    RESPONSE_LABELS,
    ROSTER_KIND,
    DrawError,
    Request,
    SourceSpec,
    clause,
    members_of,
    panel_problems,
    parse_request,
    policy_of,
    reason_codes,
    rule_clause,
)
from .rfc3797 import SourceValue, key_string, parse_sources, permutation
from .walk import Member, PanelRequest, feasible, replacement, walk

__all__ = [
    "DrawError",
    "Replay",
    "entropy_verdict",
    "load_draw",
    "new_request",
    "replay",
    "respond",
    "run",
    "source_parts",
    "verify",
]

Path_ = tuple[str | int, ...]


# ---------------------------------------------------------------- sources and entropy


def source_parts(spec: SourceSpec, text: str) -> list[list[SourceValue]]:
    """The RFC 3797 sources one announced value gives (双色球: red balls, blue ball), shape-checked."""
    if spec.kind == "other":
        return parse_sources(text)
    find_source(spec.kind)
    if spec.kind == "drand" and len(text.strip().removeprefix("0x")) == 64:
        return [list(drand_values(text))]
    parts = parse_sources(text)
    check_values(spec.kind, parts)
    return parts


def source_bits(spec: SourceSpec) -> float:
    """Entropy only from the catalog: a source of kind ``other`` counts for nothing."""
    return 0.0 if spec.kind == "other" else source_entropy(spec.kind)


def entropy_verdict(request: Request, pool_size: int) -> tuple[str, str] | None:
    """("error" | "warning", message) when the sources give too little entropy (RFC 3797 §3.3), else None."""
    if request.size > pool_size:
        return None  # reported as infeasible
    have = sum(source_bits(s) for s in request.sources)
    need = required_bits(pool_size, request.size)
    margin = margin_bits()
    if have < need:
        return ("error", f"随机源的熵共 {have:.1f} 位，少于从 {pool_size} 名候选中抽取 {request.size} 名所需的 "
                         f"{need:.1f} 位（RFC 3797 第 3.3 节）：请增加随机源，例如再加一期双色球或大乐透")
    if have < need + margin:
        return ("warning", f"随机源的熵共 {have:.1f} 位，只比所需的 {need:.1f} 位多 {have - need:.1f} 位，"
                           f"不足本项目要求的余量 {margin:g} 位（见 docs/draw-algorithm.md）：建议再加一个随机源")
    return None


def key_from_values(request: Request, values: Sequence[str]) -> str:
    if len(values) != len(request.sources):
        raise DrawError(f"请求指定了 {len(request.sources)} 个随机源，给出了 {len(values)} 个数值：须按顺序一一对应",
                        ("result", "values"))
    parts: list[list[SourceValue]] = []
    for n, (spec, text) in enumerate(zip(request.sources, values, strict=True)):
        try:
            parts += source_parts(spec, text)
        except ValueError as e:
            raise DrawError(f"第 {n + 1} 个随机源“{spec.name}”的数值“{text}”有误：{e}", ("result", "values", n)) from None
    return key_string(parts)


# ---------------------------------------------------------------- replaying a file


@dataclass
class Replay:
    """Everything that follows from the file alone."""

    request: Request
    members: dict[str, Member]
    key: str | None = None
    order: list[str] = field(default_factory=list)
    panel: list[str] = field(default_factory=list)
    replacements: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)  # the panel after the responses so far
    used: set[str] = field(default_factory=set)  # declined or absent
    accepted: set[str] = field(default_factory=set)
    expected_replaced_by: list[str | None] = field(default_factory=list)
    problems: list[tuple[Path_, str, str]] = field(default_factory=list)  # (path, rule, message)

    @property
    def panel_request(self) -> PanelRequest:
        return self.request.panel_request()


def replay(data: Mapping[str, Any]) -> Replay:
    """Re-run the draw from its file: key from the values, order, walk, then the responses in turn."""
    request = parse_request(data)
    state = Replay(request, members_of(data, request))
    result = data.get("result")
    if not result:
        return state
    state.key = key_from_values(request, result.get("values") or [])
    candidates = list(data.get("candidates") or [])
    state.order = [candidates[s.position - 1] for s in permutation(len(candidates), state.key, request.algorithm)]
    walked = walk(state.order, state.members, state.panel_request)
    state.panel, state.replacements = list(walked.panel), list(walked.replacements)
    state.current = list(walked.panel)
    for n, response in enumerate(data.get("responses") or []):
        _apply(state, n, response)
    return state


def _apply(state: Replay, n: int, response: Mapping[str, Any]) -> None:
    person, kind = response.get("id"), response.get("response")
    path: Path_ = ("responses", n)
    if person not in state.current:
        state.expected_replaced_by.append(None)
        why = "已婉拒或缺席" if person in state.used else "不在抽中名单中"
        state.problems.append(((*path, "id"), "draw.response_person", f"第 {n + 1} 条答复的“{person}”{why}：只有当前抽中名单中的人员可以答复"))
        return
    if kind == "accepted":
        state.expected_replaced_by.append(None)
        if person in state.accepted:
            state.problems.append(((*path, "response"), "draw.response_repeated", f"第 {n + 1} 条答复：“{person}”已经同意过，不必重复记录"))
        state.accepted.add(person)
        return
    state.used.add(person)
    state.accepted.discard(person)
    chosen = replacement(state.order, state.members, state.panel_request, state.current, person, state.used)
    state.expected_replaced_by.append(chosen)
    slot = state.current.index(person)
    if chosen is None:
        del state.current[slot]
    else:
        state.current[slot] = chosen


# ---------------------------------------------------------------- step 1: the request


@dataclass
class Drafted:
    data: dict[str, Any]
    pool: Pool
    warnings: list[str]


def new_request(registry: Registry, fields: Mapping[str, Any], *, next_id: Callable[[int], str],
                roster: str = "experts", algorithm: str = "rfc3797") -> Drafted:
    """Freeze the candidate list and exclusions for a request: the new draw file's data, id from `next_id(year)`.

    Refused when the request cannot be filled, the sources give too little entropy, a subject or the
    parent is unknown.
    """
    request_data = {k: v for k, v in fields.items() if v not in (None, [], {})}
    policy = policy_of(roster, registry.settings.data if registry.settings else None)
    if roster == "experts" and policy in preset_ids() and load_preset(policy).draw.distinct_institutions_per_specialty:
        request_data.setdefault("distinct_institutions_per_specialty", True)  # GY 第十二条（二）
    data: dict[str, Any] = {"id": "D0000-000", "roster": roster, "algorithm": algorithm, "request": request_data}
    request = parse_request(data)
    for n, message in _already_public(request):
        raise DrawError(message, ("request", "sources", n, "public_on"))
    warnings = list(_request_warnings(request))
    _check_registry_files(registry, roster)
    _check_references(registry, request)
    parent = _parent_data(registry, request)
    if parent is not None and (seated := parent_members(registry, request, parent)):
        request_data["parent_members"] = seated
        request = parse_request(data)
    pool = compute_pool(registry, request, parent)
    data["candidates"] = pool.ids
    data["candidate_facts"] = pool.facts()
    data["exclusions"] = [e.as_data() for e in pool.exclusions]
    for where, _, message, severity in _request_problems(data, request, policy):
        if severity == "error":
            raise DrawError(message, where)
        warnings.append(message)
    data["id"] = next_id(request.requested.year)
    data["commitment"] = commitment(data)
    return Drafted(data, pool, warnings)


def _request_warnings(request: Request) -> Iterator[str]:
    for spec in request.sources:
        if spec.kind == "other":
            yield (f"随机源“{spec.name}”不在随机源目录中（批准人：{spec.approved_by}）：它不计入熵，"
                   "网站上会标注为目录外来源")


def _already_public(request: Request) -> Iterator[tuple[int, str]]:
    for n, spec in enumerate(request.sources):
        if spec.public_on <= request.requested:
            yield n, (f"随机源“{spec.name}”的公布日期 {spec.public_on} 不晚于请求日期 {request.requested}："
                      "随机源必须在其数值公布之前指定，否则抽取结果可被预先知道（RFC 3797 第 3.1 节）；请改用尚未公布的随机源")


def _check_registry_files(registry: Registry, roster: str) -> None:
    kinds = {ROSTER_KIND[roster], "institution", "draw"}
    broken = [r.display for r in registry.records if r.kind in kinds and (r.problems or r.document is None)]
    if broken:
        shown = "、".join(broken[:3]) + ("等" if len(broken) > 3 else "")
        raise DrawError(f"名册中有 {len(broken)} 个文件有错误（{shown}），候选名单可能不完整：请先运行 roster validate 并改正")


def _check_references(registry: Registry, request: Request) -> None:
    institutions = registry.by_id("institution")
    for n, subject in enumerate(request.subjects):
        if subject not in institutions:
            raise DrawError(f"被检查单位“{subject}”不在名册的单位记录（registry/institutions/）中", ("request", "subjects", n))


def _parent_data(registry: Registry, request: Request) -> dict[str, Any] | None:
    if not request.parent:
        return None
    parent = registry.by_id("draw").get(request.parent)
    if parent is None:
        raise DrawError(f"补抽的原抽取 {request.parent} 不存在", ("request", "parent"))
    if not parent.data.get("result"):
        raise DrawError(f"原抽取 {request.parent} 还没有执行，不能补抽：请先执行原抽取", ("request", "parent"))
    return parent.data


def _request_problems(data: Mapping[str, Any], request: Request, policy: str) -> Iterator[tuple[Path_, str, str, str]]:
    """(path, rule, message, severity) for what is wrong with a request and its frozen candidates."""
    if request.publish < request.activity_end:
        yield (("request", "publish"), "draw.publish_early",
               f"公开日期 {request.publish} 早于活动结束日期 {request.activity_end}：抽取结果在活动结束前应予保密"
               f"（{clause(policy, 'secrecy')}）", "error")
    for path, rule, message in panel_problems(request, policy):
        yield (path, rule, message, "error")
    for n, spec in enumerate(request.sources):
        if spec.kind != "other":
            try:
                find_source(spec.kind)
            except ValueError as e:
                yield (("request", "sources", n, "kind"), "draw.source_kind", str(e), "error")
                return
    candidates = list(data.get("candidates") or [])
    if candidates != sorted(set(candidates)):
        yield (("candidates",), "draw.candidates_order", "候选名单必须按编号升序排列且不重复（它就是 RFC 3797 的候选顺序）", "error")
        return
    members = members_of(data, request)
    answer = feasible(members, request.panel_request())
    if not answer.ok:
        composition = f"；同一专业的专家来自不同单位：{clause(policy, 'composition')}" if request.distinct_specialty else ""
        yield (("request",), "draw.infeasible",
               f"这个抽取请求无法满足：{answer.reason}{_seated_note(data)}。请调整名额或单位上限，或扩大范围"
               f"（抽取前即拒绝，不使用任何随机源{composition}）",
               "error")
        return
    verdict = entropy_verdict(request, len(candidates))
    if verdict is not None:
        yield (("request", "sources"), "draw.entropy", verdict[1], verdict[0])


def _seated_note(data: Mapping[str, Any]) -> str:
    """Why a 补抽 may be short: its parent's serving members already hold their institutions' places."""
    seated = [str(m.get("id")) for m in (data.get("request") or {}).get("parent_members") or [] if isinstance(m, dict)]
    if not seated:
        return ""
    return (f"（原抽取在任的 {'、'.join(seated)} 已计入单位、法人和专业的限制：补抽与原抽取合起来"
            "也不得超过这些限制）")


# ---------------------------------------------------------------- step 2: the run


def run(data: Mapping[str, Any], values: Sequence[str], day: date) -> dict[str, Any]:
    """The draw with its result: values, key string, full order, panel, replacement order."""
    if data.get("result"):
        raise DrawError(f"抽取 {data.get('id')} 已经执行过：结果一经写入不得修改；需要重新抽取时请新建补抽请求",
                        ("result",))
    request = parse_request(data)
    for spec in request.sources:
        if day < spec.public_on:
            raise DrawError(f"随机源“{spec.name}”要到 {spec.public_on} 才公布，今天（北京时间）是 {day}：须在所有随机源公布后才能执行抽取",
                            ("request", "sources"))
    if day < request.requested:
        raise DrawError(f"执行日期 {day} 早于请求日期 {request.requested}", ("request", "requested"))
    members = members_of(data, request)
    answer = feasible(members, request.panel_request())
    if not answer.ok:
        raise DrawError(f"这个抽取请求无法满足：{answer.reason}{_seated_note(data)}", ("request",))
    cleaned = [" ".join(v.split()) for v in values]
    key = key_from_values(request, cleaned)
    candidates = list(data.get("candidates") or [])
    order = [candidates[s.position - 1] for s in permutation(len(candidates), key, request.algorithm)]
    walked = walk(order, members, request.panel_request())
    updated = copy.deepcopy(dict(data))
    updated["result"] = {"run": day.isoformat(), "values": cleaned, "key": key, "order": order,
                         "panel": list(walked.panel), "replacements": list(walked.replacements)}
    return updated


# ---------------------------------------------------------------- step 3: responses


@dataclass
class Response:
    data: dict[str, Any]
    replaced_by: str | None
    exhausted: bool


def respond(data: Mapping[str, Any], person: str, response: str, reason: str | None, day: date,
            reason_code: str | None = None, recorded_by: str | None = None) -> Response:
    """Append one response; a declined or absent place goes to the next fitting candidate in the order.
    A decline or absence carries a reason code (responses.yaml) and who recorded it."""
    if response not in RESPONSE_LABELS:
        raise DrawError(f"答复只能是 {'、'.join(f'{k}（{v}）' for k, v in RESPONSE_LABELS.items())}，收到“{response}”")
    if not data.get("result"):
        raise DrawError(f"抽取 {data.get('id')} 还没有执行，不能记录答复", ("result",))
    state = replay(data)
    if state.problems:
        raise DrawError(f"抽取记录中已有的答复有误，请先修正：{state.problems[0][2]}", state.problems[0][0])
    run_day = date.fromisoformat(data["result"]["run"])
    if day < run_day:
        raise DrawError(f"答复日期 {day} 早于抽取日期 {run_day}")
    problem = _response_problem(response, reason_code, recorded_by)
    if problem:
        raise DrawError(problem)
    if person not in state.current:
        why = "已经婉拒或缺席，已由他人递补" if person in state.used else "不在当前抽中名单中"
        raise DrawError(f"“{person}”{why}；当前抽中名单：{'、'.join(state.current) or '（空）'}")
    if response == "accepted" and person in state.accepted:
        raise DrawError(f"“{person}”已经同意过，不必重复记录")
    entry: dict[str, Any] = {"id": person, "response": response, "date": day.isoformat()}
    if reason and reason.strip():
        entry["reason"] = reason.strip()
    if response != "accepted":
        entry["reason_code"] = reason_code
        entry["recorded_by"] = (recorded_by or "").strip()
    chosen: str | None = None
    if response != "accepted":
        chosen = replacement(state.order, state.members, state.panel_request, state.current, person, {*state.used, person})
        if chosen is not None:
            entry["replaced_by"] = chosen
    updated = copy.deepcopy(dict(data))
    updated.setdefault("responses", []).append(entry)
    return Response(updated, chosen, response != "accepted" and chosen is None)


def _response_problem(response: str | None, code: str | None, recorded_by: str | None) -> str | None:
    if response == "accepted" or response not in RESPONSE_LABELS:
        return None
    codes = reason_codes()[response]
    label = RESPONSE_LABELS[response]
    if code not in codes:
        listed = "、".join(f"{k}（{v}）" for k, v in codes.items())
        return f"{label}须写原因代码（--reason-code）：{listed}；收到“{code or ''}”"
    if not (recorded_by or "").strip():
        return f"{label}须写明记录人（--recorded-by）"
    return None


# ---------------------------------------------------------------- files


def load_draw(registry: Registry, draw_id: str) -> Record:
    """The draw's record, refusing one whose file has problems (they are listed by roster validate)."""
    try:
        path = draw_path(registry.root, draw_id)
    except ValueError as e:
        raise DrawError(str(e)) from None
    record = next((r for r in registry.of_kind("draw") if r.path.resolve() == path.resolve()), None)
    if record is None:
        raise DrawError(f"找不到抽取记录 {draw_id}（应在 {path}）")
    if record.problems or record.document is None:
        problem = record.problems[0] if record.problems else None
        where = f"第 {problem.line} 行：{problem.message}" if problem else "无法读取"
        raise DrawError(f"抽取记录 {record.display} 有错误，请先修正（{where}；roster validate 可列出全部问题）")
    return record


# ---------------------------------------------------------------- verification


def verify(record: Record, registry: Registry | None = None) -> list[Finding]:
    """Re-run the draw from its file and report every difference, each with its clause."""
    data = record.data
    settings = registry.settings.data if registry is not None and registry.settings else None
    policy = policy_of(str(data.get("roster", "experts")), settings)
    found: list[Finding] = []

    def add(path: Path_, rule: str, message: str, severity: str = "error", citation: str | None = None) -> None:
        line, col = record.line(*path)
        make = error if severity == "error" else warning
        found.append(make(record.display, line, col, rule, message, record=record.id,
                          citation=citation or rule_clause(policy, rule)))

    try:
        request = parse_request(data)
        for path, rule, message, severity in _request_problems(data, request, policy):
            add(path, rule, message, severity)
        for n, message in _already_public(request):
            add(("request", "sources", n, "public_on"), "draw.source_public", message)
        for message in _request_warnings(request):
            add(("request", "sources"), "draw.source_other", message, "warning")
        _check_exclusions(data, add)
        _check_commitment(data, add)
        if data.get("result"):
            _check_result(data, request, add)
    except DrawError as e:
        add(e.path, "draw.invalid", str(e))
    except ValueError as e:
        add((), "draw.invalid", f"无法重新计算这次抽取：{e}")
    return found


def _check_commitment(data: Mapping[str, Any], add: Any) -> None:
    stored, computed = data.get("commitment"), commitment(data)
    if stored is None:
        add((), "draw.commitment", f"缺少承诺值 commitment：应为 {computed}（由 roster draw new 在请求时计算并取得时间戳）")
    elif stored != computed:
        add(("commitment",), "draw.commitment",
            f"承诺值与请求内容不符：按本文件计算为 {computed}，文件中为 {stored}。请求（用途、随机源、候选名单、"
            "候选属性、排除名单、名额、上限、算法）在承诺之后被改动过；只能新建请求")


def _check_exclusions(data: Mapping[str, Any], add: Any) -> None:
    candidates = set(data.get("candidates") or [])
    seen: set[str] = set()
    for n, item in enumerate(data.get("exclusions") or []):
        person = item.get("id")
        if person in candidates:
            add(("exclusions", n, "id"), "draw.exclusions", f"“{person}”同时在候选名单和排除名单中")
        if person in seen:
            add(("exclusions", n, "id"), "draw.exclusions", f"“{person}”在排除名单中出现了不止一次")
        seen.add(person)
    facts = set((data.get("candidate_facts") or {}).keys())
    if facts != candidates:
        extra = sorted(facts - candidates)
        missing = sorted(candidates - facts)
        add(("candidate_facts",), "draw.candidate_facts",
            f"candidate_facts 与候选名单不一致：多出 {'、'.join(extra) or '无'}，缺少 {'、'.join(missing) or '无'}")


def _check_result(data: Mapping[str, Any], request: Request, add: Any) -> None:
    result = data["result"]
    run_day = date.fromisoformat(result["run"])
    for spec in request.sources:
        if run_day < spec.public_on:
            add(("result", "run"), "draw.run_early",
                f"抽取日期 {run_day} 早于随机源“{spec.name}”的公布日期 {spec.public_on}：须在随机源公布后才能抽取")
            break
    state = replay(data)
    for field_name, label, expected in (("key", "密钥串", state.key), ("order", "完整顺序", state.order),
                                        ("panel", "抽中名单", state.panel)):
        if result.get(field_name) != expected:
            add(("result", field_name), f"draw.{field_name}",
                f"结果中的{label}与按本文件重新计算的不一致：应为 {_short(expected)}，文件中为 {_short(result.get(field_name))}")
    recorded = result.get("replacements")
    if recorded is not None and recorded != state.replacements:
        skipped = [c for c in state.replacements if c not in (recorded or [])]
        detail = f"漏掉了 {'、'.join(skipped)}" if skipped else "顺序不对"
        add(("result", "replacements"), "draw.replacements",
            f"替补顺序与重新计算的不一致（{detail}）：替补顺序是完整顺序去掉抽中名单，不得跳过任何人")
    for path, rule, message in state.problems:
        add(path, rule, message)
    responses = data.get("responses") or []
    for n, (response, expected) in enumerate(zip(responses, state.expected_replaced_by, strict=False)):
        _check_response(n, response, expected, run_day, responses, add)


def _check_response(n: int, response: Mapping[str, Any], expected: str | None, run_day: date,
                    responses: Sequence[Mapping[str, Any]], add: Any) -> None:
    path: Path_ = ("responses", n)
    day = date.fromisoformat(response["date"])
    if day < run_day or (n and day < date.fromisoformat(responses[n - 1]["date"])):
        add((*path, "date"), "draw.response_date", f"第 {n + 1} 条答复的日期 {day} 早于抽取日期或上一条答复")
    recorded = response.get("replaced_by")
    problem = _response_problem(response.get("response"), response.get("reason_code"), response.get("recorded_by"))
    if problem:
        add((*path, "reason_code"), "draw.response_reason", f"第 {n + 1} 条答复：{problem}")
    if recorded == expected:
        return
    if expected is None:
        add((*path, "replaced_by"), "draw.replaced_by",
            f"第 {n + 1} 条答复的递补人“{recorded}”不对：按抽取顺序{'同意参加不需要递补' if response.get('response') == 'accepted' else '已无符合条件的人可递补（应补抽）'}")
    else:
        add((*path, "replaced_by"), "draw.replaced_by",
            f"第 {n + 1} 条答复的递补人应为按抽取顺序下一位符合条件的“{expected}”，文件中为“{recorded or '（空）'}”：不得跳过任何符合条件的人")


def _short(value: Any) -> str:
    if isinstance(value, list):
        shown = "、".join(map(str, value[:8]))
        return f"[{shown}{'…' if len(value) > 8 else ''}]（共 {len(value)} 项）"
    return f"“{value}”"
