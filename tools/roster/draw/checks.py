"""`roster validate` for draws: re-verify every draw from its file; across draws; against the base.

- every draw file is re-run by :func:`~roster.draw.protocol.verify`;
- a 补抽 names an existing parent that has been run; two draws of the same request (same roster,
  purpose, activity and subjects) where neither is the other's 补抽 are a second result;
- with ``--base``: a draw on the base is frozen (every field but ``result`` and ``responses``); a
  result is added only to a request the base already holds, a result never changes, responses are
  appended; a draw id is never deleted or reused; a request new in the change must match the
  registry as of the commit that wrote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..check.history import BaseTree, blob_id, open_base
from ..check.registry import Record, Registry
from ..core.findings import Finding, error, warning
from ..core.timeutil import BEIJING
from ..yamlio.load import LoadError, load_bytes
from .candidates import compute_pool, parent_members
from .canonical import commitment
from .model import DrawError, parse_request, policy_of, rule_clause
from .protocol import verify
from .snapshot import RegistryAsOf, git_out
from .timestamp import TimestampError, authorities, beijing_day, check_token, tokens_of

__all__ = ["check_draws"]



def check_draws(registry: Registry, base: str | None = None) -> list[Finding]:
    draws = [r for r in registry.of_kind("draw") if r.document is not None and not r.problems]
    findings: list[Finding] = []
    for record in draws:
        findings += verify(record, registry)
    findings += _parents_and_duplicates(registry, draws)
    findings += _timestamps(registry, draws)
    findings += _absences_recorded(registry, draws)
    if base:
        findings += _against_base(registry, draws, base)
    return findings


def _absences_recorded(registry: Registry, draws: list[Record]) -> Iterator[Finding]:
    """Every absence has the conduct record (kind absence, this draw) the presets count."""
    conduct = [r.data for r in registry.of_kind("conduct") if r.document is not None]
    for record in draws:
        for n, response in enumerate(record.data.get("responses") or []):
            if response.get("response") != "absent":
                continue
            person, excused = response.get("id"), response.get("reason_code") == "excused"
            matches = [c for c in conduct if c.get("kind") == "absence" and c.get("person") == person
                       and c.get("draw") == record.id]
            if not matches:
                yield _error(registry, record, ("responses", n), "draw.absence_conduct",
                             f"第 {n + 1} 条答复记录 {person} 缺席，但 registry/conduct/ 中没有对应的履职记录（kind: absence、"
                             f"person: {person}、draw: {record.id}{'、excused: true' if excused else ''}）：缺席须记入履职记录，政策据此统计")
            elif not any(bool(c.get("excused")) == excused for c in matches):
                yield _error(registry, record, ("responses", n, "reason_code"), "draw.absence_conduct",
                             f"第 {n + 1} 条答复的原因代码为 {response.get('reason_code')}，与履职记录的 excused 不一致")


# ---------------------------------------------------------------- timing: time-stamp tokens


def _earliest_source(record: Record) -> date | None:
    try:
        return min(s.public_on for s in parse_request(record.data).sources)
    except (DrawError, ValueError):
        return None  # reported by verify


def _timestamps(registry: Registry, draws: list[Record]) -> Iterator[Finding]:
    """Every token beside a draw verifies offline against its TSA's kept certificate, and its time
    (Beijing date) is before the day the earliest source became public."""
    kept = {a.name: a for a in authorities(registry.settings.data if registry.settings else None)}
    for record in draws:
        stored = record.data.get("commitment")
        tokens = tokens_of(record.path)
        if kept and not tokens and not record.data.get("result"):
            yield _warning(registry, record, ("commitment",), "draw.timestamp_missing",
                           f"抽取请求 {record.id} 没有可信时间戳（registry.yaml 配置了 {'、'.join(kept)}）：请求的时间只能由默认分支的历史证明")
        first = _earliest_source(record)
        for name, path in tokens.items():
            authority = kept.get(name)
            if authority is None:
                yield _error(registry, record, ("commitment",), "draw.timestamp",
                             f"时间戳令牌 {path.name} 来自 registry.yaml 中没有的时间戳服务“{name}”：无法核验")
                continue
            try:
                moment = check_token(path.read_bytes(), str(stored), authority)
            except TimestampError as e:
                yield _error(registry, record, ("commitment",), "draw.timestamp", f"时间戳令牌 {path.name}：{e}")
                continue
            if first is not None and beijing_day(moment) >= first:
                yield _error(registry, record, ("request", "sources"), "draw.timestamp_late",
                             f"时间戳令牌 {path.name} 的时间 {moment.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）不早于"
                             f"最早的随机源公布日期 {first}：不能证明请求在随机数公布之前已经固定")


def _warning(registry: Registry, record: Record, path: tuple[str | int, ...], rule: str, message: str) -> Finding:
    line, col = record.line(*path)
    return warning(record.display, line, col, rule, message, record=record.id, citation=_cite(registry, record, rule))


def _cite(registry: Registry, record: Record, rule: str) -> str:
    settings = registry.settings.data if registry.settings else None
    return rule_clause(policy_of(str(record.data.get("roster", "experts")), settings), rule)


def _parents_and_duplicates(registry: Registry, draws: list[Record]) -> Iterator[Finding]:
    by_id: dict[str, Record] = {r.id: r for r in draws if r.id}
    seen: dict[tuple[Any, ...], Record] = {}
    for record in sorted(draws, key=lambda r: str(r.id)):
        request = record.data.get("request") or {}
        parent = request.get("parent")
        if parent and (parent not in by_id or not by_id[parent].data.get("result")):
            line, col = record.line("request", "parent")
            why = "不存在" if parent not in by_id else "还没有执行"
            yield error(record.display, line, col, "draw.parent", f"补抽的原抽取 {parent} {why}",
                        record=record.id, citation=_cite(registry, record, "draw.parent"))
        key = (record.data.get("roster"), request.get("purpose"), repr(request.get("activity")),
               tuple(request.get("subjects") or ()))
        earlier = seen.get(key)
        if earlier is not None and parent != earlier.id and not _descends(record, earlier, by_id):
            line, col = record.line("request")
            yield error(record.display, line, col, "draw.second_result",
                        f"与 {earlier.id} 是同一抽取请求（用途、活动时间、被检查单位相同）：一个请求只能有一个结果，"
                        f"不得重新抽取；原抽取的人员不够时，请建立补抽请求（--parent {earlier.id} --parent-reason …）",
                        record=record.id, citation=_cite(registry, record, "draw.second_result"))
        seen.setdefault(key, record)


def _descends(record: Record, ancestor: Record, by_id: Mapping[str, Record]) -> bool:
    current: Record | None = record
    for _ in range(len(by_id) + 1):
        parent = ((current.data.get("request") or {}).get("parent")) if current else None
        if parent is None:
            return False
        if parent == ancestor.id:
            return True
        current = by_id.get(parent)
    return False


# ---------------------------------------------------------------- against the base: the freeze


def _against_base(registry: Registry, draws: list[Record], rev: str) -> Iterator[Finding]:
    tree, _ = open_base(registry.root, rev)
    repo = tree.repo.resolve()
    by_path = {r.path.resolve().relative_to(repo).as_posix(): r for r in draws}
    base_paths = {p for p in tree.blobs if _DRAW_FILE.search(p)}
    base_ids = {_DRAW_FILE.search(p).group(1): p for p in base_paths}  # type: ignore[union-attr]
    changed = [p for p in base_paths if p in by_path and tree.blobs[p] != blob_id(by_path[p].path.read_bytes())]
    old = _read_old(tree, changed)
    yield from _tokens_kept(registry, by_path, tree, rev)
    new_requests: list[Record] = []
    for path, record in sorted(by_path.items()):
        if path in base_paths:
            if path in old:
                yield from _frozen(registry, record, old[path], rev)
                if old[path] is not None and not old[path].get("result") and record.data.get("result"):  # type: ignore[union-attr]
                    yield from _reached_base_in_time(registry, record, tree, path, rev)
            continue
        if record.id in base_ids:
            yield _error(registry, record, ("id",), "draw.id_reused",
                         f"抽取编号 {record.id} 在基准版本 {rev} 中已用于 {base_ids[record.id]}：编号永不复用，也不得删除后重建")
            continue
        new_requests.append(record)
        if record.data.get("result"):
            yield _error(registry, record, ("result",), "draw.result_with_request",
                         "请求和结果不能在同一次改动中提交：先合并抽取请求（roster draw new），它进入默认分支、取得时间戳之后，"
                         "随机源公布了，再在另一次改动中执行抽取（roster draw run）。请求日期是手填的，不能证明请求早于随机源")
    yield from _against_registry(registry, draws, new_requests)


def _tokens_kept(registry: Registry, by_path: Mapping[str, Record], tree: BaseTree, rev: str) -> Iterator[Finding]:
    """A token on the base is kept as it is: never replaced or deleted."""
    for path in sorted(p for p in tree.blobs if p.endswith(".tsr")):
        draw = by_path.get(re.sub(r"\.[^./]+\.tsr$", ".yaml", path))
        now = tree.repo / path
        if draw is not None and (not now.is_file() or blob_id(now.read_bytes()) != tree.blobs[path]):
            yield _error(registry, draw, ("commitment",), "draw.timestamp_changed",
                         f"时间戳令牌 {Path(path).name} 在基准版本 {rev} 中已有，本次被{'删除' if not now.is_file() else '替换'}：令牌一经合并不得改动")


def _reached_base_in_time(registry: Registry, record: Record, tree: BaseTree, path: str, rev: str) -> Iterator[Finding]:
    """The run is added now: the request must have reached the default branch before its earliest source."""
    first = _earliest_source(record)
    # first parent: on a merged pull request this is the merge commit, dated when the request reached the branch
    dates = git_out(tree.repo, "log", "--first-parent", "--diff-filter=A", "--format=%cI", rev, "--", path).split()
    if first is None or not dates:
        return
    reached = datetime.fromisoformat(dates[-1]).astimezone(BEIJING)
    if reached.date() >= first:
        yield _error(registry, record, ("request", "sources"), "draw.late_request",
                     f"抽取请求 {record.id} 进入默认分支的时间 {reached:%Y-%m-%d %H:%M}（北京时间，提交历史）不早于最早的随机源"
                     f"公布日期 {first}：不能证明请求在随机数公布之前已经固定，不能执行；请新建请求并指定尚未公布的随机源")


_DRAW_FILE = re.compile(r"/draws/[0-9]{4}/(D[0-9]{4}-[0-9]{3,4})\.yaml$")


def _error(registry: Registry, record: Record, path: tuple[str | int, ...], rule: str, message: str) -> Finding:
    line, col = record.line(*path)
    return error(record.display, line, col, rule, message, record=record.id, citation=_cite(registry, record, rule))


def _frozen(registry: Registry, record: Record, old: dict[str, Any] | None, rev: str) -> Iterator[Finding]:
    new = record.data
    if old is None:
        return
    old, legacy = _upgraded(old), "commitment" not in old
    changed = [d for d in _differences(old, new, ()) if not (d[0] and d[0][0] in MUTABLE_FIELDS)]
    for path, before, after in changed[:10]:
        yield _error(registry, record, path, "draw.frozen",
                     f"抽取请求 {record.id} 已在基准版本 {rev} 中，字段 {_dotted(path)} 被修改（原为 {_shown(before)}，"
                     f"现为 {_shown(after)}）：请求一经合并即冻结，除 result 和 responses 外任何字段都不得修改。"
                     "要改只能新建请求，并指定新的、尚未公布的随机源")
    if old.get("result") and old.get("result") != new.get("result"):
        yield _error(registry, record, ("result",), "draw.result_changed",
                     "抽取结果一经写入不得修改或删除：需要重新抽取时请新建补抽请求（request.parent）")
    old_responses, new_responses = old.get("responses") or [], new.get("responses") or []
    if isinstance(old_responses, list) and isinstance(new_responses, list) and not (
            len(new_responses) >= len(old_responses)
            and all(_same_response(a, b, legacy) for a, b in zip(old_responses, new_responses, strict=False))):
        yield _error(registry, record, ("responses",), "draw.responses_rewritten",
                     "答复（responses）中已有的条目被修改或删除：答复只能在末尾追加")


def _upgraded(old: dict[str, Any]) -> dict[str, Any]:
    """A draw written before commitments existed, as this protocol writes it: the commitment of its unchanged
    request added and ``result.digest`` (which the commitment replaces) dropped. A change may bring an old
    record to this form — it adds no freedom: the request, the result and the responses stay as they were."""
    if "commitment" in old:
        return old
    upgraded = {**old, "commitment": commitment(old)}
    if isinstance(old.get("result"), dict):
        upgraded["result"] = {k: v for k, v in old["result"].items() if k != "digest"}
    return upgraded


def _same_response(old: Any, new: Any, legacy: bool) -> bool:
    """Unchanged; in an old record a decline or absence may gain the reason code and recorder it now needs."""
    if old == new:
        return True
    added = {"reason_code", "recorded_by"}
    return (legacy and isinstance(old, dict) and isinstance(new, dict) and not added & set(old)
            and {k: v for k, v in new.items() if k not in added} == old)


MUTABLE_FIELDS = ("result", "responses")


def _differences(old: Any, new: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any, Any]]:
    """(path, before, after) for every leaf that differs; a list of another length differs as a whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if old.get(key) != new.get(key):
                yield from _differences(old.get(key), new.get(key), (*path, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for n, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                yield from _differences(a, b, (*path, n))
    elif old != new:
        yield path, old, new


def _dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def _shown(value: Any) -> str:
    if value is None:
        return "（无）"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


def _read_old(tree: BaseTree, paths: list[str]) -> dict[str, dict[str, Any] | None]:
    out: dict[str, dict[str, Any] | None] = {}
    for path, raw in tree.read(paths).items():
        try:
            data = load_bytes(raw).data
        except LoadError:
            data = None
        out[path] = data if isinstance(data, dict) else None
    return out


# ---------------------------------------------------------------- a new request against the registry it was made from


def _against_registry(registry: Registry, draws: list[Record], changed: list[Record]) -> Iterator[Finding]:
    """Candidates, facts and exclusions of a request new in this change, recomputed from the registry as of
    the commit that last wrote the draw file (the working tree when the file is not committed as it is):
    later changes to the default branch never make a pending request wrong."""
    by_id = {r.id: r for r in draws}
    with RegistryAsOf(registry) as snapshots:
        for record in changed:
            yield from _pool_matches(registry, record, by_id, snapshots)


def _pool_matches(registry: Registry, record: Record, by_id: Mapping[str | None, Record],
                  snapshots: RegistryAsOf) -> Iterator[Finding]:
    try:
        request = parse_request(record.data)
    except DrawError:
        return  # reported by verify
    parent = by_id[request.parent].data if request.parent in by_id else None
    pool = compute_pool(snapshots.for_file(record.path), request, parent)
    yield from _compare(registry, record, "candidates", "候选名单", pool.ids, _ids(record.data.get("candidates")))
    yield from _compare(registry, record, "candidate_facts", "候选抽取属性", pool.facts(), record.data.get("candidate_facts"))
    now = {e.id: e.kind for e in pool.exclusions}
    filed = {e.get("id"): e.get("kind") for e in record.data.get("exclusions") or []}
    yield from _compare(registry, record, "exclusions", "排除名单", now, filed)
    if parent is not None:
        seated = {m["id"]: m for m in parent_members(snapshots.for_file(record.path), request, parent)}
        filed_seated = {m.get("id"): m for m in (record.data.get("request") or {}).get("parent_members") or []
                        if isinstance(m, dict)}
        yield from _compare(registry, record, "parent_members", "原抽取的在任人员", seated, filed_seated)


def _ids(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else []


def _compare(registry: Registry, record: Record, field: str, label: str, now: Any, filed: Any) -> Iterator[Finding]:
    if now == filed:
        return
    line, col = record.line(field)
    yield error(record.display, line, col, f"draw.{field}_changed",
                f"{label}与按当前名册重新计算的不一致（{_difference(now, filed)}）：抽取请求新建或修改时，"
                f"候选名单和排除名单必须由 roster draw new 按名册计算，不得手工增删",
                record=record.id, citation=_cite(registry, record, f"draw.{field}_changed"))


def _difference(now: Any, filed: Any) -> str:
    if isinstance(now, dict) and isinstance(filed, dict):
        extra = sorted(set(filed) - set(now))
        missing = sorted(set(now) - set(filed))
        other = sorted(k for k in set(now) & set(filed) if now[k] != filed[k])
    else:
        now_set, filed_set = set(now or []), set(filed or [])
        extra, missing, other = sorted(filed_set - now_set), sorted(now_set - filed_set), []
    parts = []
    if missing:
        parts.append(f"应有而没有：{'、'.join(missing[:10])}")
    if extra:
        parts.append(f"不应有：{'、'.join(extra[:10])}")
    if other:
        parts.append(f"内容不同：{'、'.join(other[:10])}")
    return "；".join(parts) or "顺序不同"
