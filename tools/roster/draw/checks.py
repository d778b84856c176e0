"""`roster validate` for draws: re-verify every draw from its file; across draws; against the base.

- every draw file is re-run by :func:`~roster.draw.protocol.verify`;
- a 补抽 names an existing parent that has been run; two draws of the same request (same roster,
  purpose, activity and subjects) where neither is the other's 补抽 are a second result;
- with ``--base``: a draw whose request, candidate list or exclusions are new or changed in the
  pull request must match what the registry gives now (the candidate list is frozen at request).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..check.history import BaseTree, blob_id, open_base
from ..check.registry import Record, Registry
from ..core.findings import Finding, error
from ..yamlio.load import LoadError, load_bytes
from .candidates import compute_pool
from .model import DrawError, clause, parse_request, policy_of
from .protocol import verify

__all__ = ["check_draws"]

FROZEN_FIELDS = ("roster", "request", "candidates", "candidate_facts", "exclusions")


def check_draws(registry: Registry, base: str | None = None) -> list[Finding]:
    draws = [r for r in registry.of_kind("draw") if r.document is not None and not r.problems]
    findings: list[Finding] = []
    for record in draws:
        findings += verify(record, registry)
    findings += _parents_and_duplicates(registry, draws)
    if base:
        findings += _against_registry(registry, draws, _new_or_changed(registry, draws, base))
    return findings


def _cite(registry: Registry, record: Record) -> str:
    settings = registry.settings.data if registry.settings else None
    return clause(policy_of(str(record.data.get("roster", "experts")), settings), "record")


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
                        record=record.id, citation=_cite(registry, record))
        key = (record.data.get("roster"), request.get("purpose"), repr(request.get("activity")),
               tuple(request.get("subjects") or ()))
        earlier = seen.get(key)
        if earlier is not None and parent != earlier.id and not _descends(record, earlier, by_id):
            line, col = record.line("request")
            yield error(record.display, line, col, "draw.second_result",
                        f"与 {earlier.id} 是同一抽取请求（用途、活动时间、被检查单位相同）：一个请求只能有一个结果，"
                        f"不得重新抽取；原抽取的人员不够时，请建立补抽请求（--parent {earlier.id} --parent-reason …）",
                        record=record.id, citation=_cite(registry, record))
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


def _new_or_changed(registry: Registry, draws: list[Record], rev: str) -> list[Record]:
    tree, _ = open_base(registry.root, rev)
    repo = tree.repo.resolve()
    changed: list[Record] = []
    old_paths: dict[str, Record] = {}
    for record in draws:
        path = record.path.resolve().relative_to(repo).as_posix()
        if path not in tree.blobs:
            changed.append(record)
        elif tree.blobs[path] != blob_id(record.path.read_bytes()):
            old_paths[path] = record
    for path, old in _read_old(tree, list(old_paths)).items():
        record = old_paths[path]
        if old is None or any(old.get(f) != record.data.get(f) for f in FROZEN_FIELDS):
            changed.append(record)
    return changed


def _read_old(tree: BaseTree, paths: list[str]) -> dict[str, dict[str, Any] | None]:
    out: dict[str, dict[str, Any] | None] = {}
    for path, raw in tree.read(paths).items():
        try:
            data = load_bytes(raw).data
        except LoadError:
            data = None
        out[path] = data if isinstance(data, dict) else None
    return out


def _against_registry(registry: Registry, draws: list[Record], changed: list[Record]) -> Iterator[Finding]:
    by_id = {r.id: r for r in draws}
    for record in changed:
        try:
            request = parse_request(record.data)
        except DrawError:
            continue  # reported by verify
        parent_id = request.parent
        parent = by_id[parent_id].data if parent_id in by_id else None
        pool = compute_pool(registry, request, parent)
        yield from _compare(registry, record, "candidates", "候选名单", pool.ids, _ids(record.data.get("candidates")))
        yield from _compare(registry, record, "candidate_facts", "候选抽取属性", pool.facts(), record.data.get("candidate_facts"))
        now = {e.id: e.kind for e in pool.exclusions}
        filed = {e.get("id"): e.get("kind") for e in record.data.get("exclusions") or []}
        yield from _compare(registry, record, "exclusions", "排除名单", now, filed)


def _ids(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else []


def _compare(registry: Registry, record: Record, field: str, label: str, now: Any, filed: Any) -> Iterator[Finding]:
    if now == filed:
        return
    line, col = record.line(field)
    yield error(record.display, line, col, f"draw.{field}_changed",
                f"{label}与按当前名册重新计算的不一致（{_difference(now, filed)}）：抽取请求新建或修改时，"
                f"候选名单和排除名单必须由 roster draw new 按名册计算，不得手工增删",
                record=record.id, citation=_cite(registry, record))


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
