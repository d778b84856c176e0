"""The draw protocol's steps as registry changes: each goes through the one change path.

draw/protocol.py computes (request, run, responses) on plain data; here each result becomes a
ChangeSet, is checked with the whole registry as it would be — the same check every other command
gets — and is written through the journal, or refused with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..check.registry import Registry
from ..check.schemas import SchemaSet
from ..check.validate import open_registry
from ..core.timeutil import today_beijing
from ..draw import protocol
from ..draw.candidates import Pool
from ..draw.canonical import canonical_request
from ..draw.files import draw_path, dump_draw
from ..draw.model import DrawError
from ..draw.timestamp import TimestampError, ask, authorities, token_path
from ..yamlio.fieldorder import sort_record
from ..yamlio.yamltext import render_document, schema_comment
from .changeset import ChangeSet, Checked
from .ids import next_id, record_path
from .staffdata import policy_for

__all__ = ["NewDraw", "absence_record", "new_request", "save_draw"]


@dataclass
class NewDraw:
    path: Path
    data: dict[str, Any]
    pool: Pool
    warnings: list[str]
    checked: Checked
    tokens: list[Path]


def new_request(registry: Registry, fields: Mapping[str, Any], *, roster: str = "experts", algorithm: str = "rfc3797",
                schemas: SchemaSet | None = None, today: date | None = None, timestamp: bool = True) -> NewDraw:
    """Freeze a request (protocol.new_request), commit to it and write it as the next draw file of its
    year, with a time-stamp token over the commitment from each TSA of registry.yaml beside it.

    Refused (DrawError, or InvalidChange when the registry would not validate), nothing written.
    """
    drafted = protocol.new_request(registry, fields, roster=roster, algorithm=algorithm,
                                   next_id=lambda year: next_id(registry.root, "draw", year))
    path = draw_path(registry.root, drafted.data["id"])
    stamps = _stamps(registry, drafted.data, drafted.warnings) if timestamp else {}
    changes = ChangeSet(registry.root)
    changes.create(path, dump_draw(drafted.data).encode("utf-8"))
    tokens = []
    for name, raw in stamps.items():
        tokens.append(token_path(path, name))
        changes.create(tokens[-1], raw)
    checked = _write(changes, registry, schemas, today)
    return NewDraw(path, drafted.data, drafted.pool, drafted.warnings, checked, tokens)


def _stamps(registry: Registry, data: Mapping[str, Any], warnings: list[str]) -> dict[str, bytes]:
    """Tokens over the commitment from every TSA of registry.yaml that has an address; refused (nothing
    written) when TSAs are configured and none answers."""
    kept = authorities(registry.settings.data if registry.settings else None)
    asked = [a for a in kept if a.url]
    if not asked:
        where = "中的时间戳服务都没有写 url" if kept else "没有配置可信时间戳服务（timestamping）"
        warnings.append(f"registry.yaml {where}：请求的时间只能由默认分支的提交历史证明")
        return {}
    stamps: dict[str, bytes] = {}
    failures: list[str] = []
    for authority in asked:
        try:
            stamps[authority.name] = ask(authority, canonical_request(data), data["commitment"])
        except TimestampError as e:
            failures.append(str(e))
    if not stamps:
        raise DrawError("；".join(failures) + "。没有取得任何时间戳，未建立请求：请稍后重试")
    warnings += failures
    return stamps


def save_draw(path: Path, data: Mapping[str, Any], *, registry: Registry | None = None,
              schemas: SchemaSet | None = None, today: date | None = None,
              also: Sequence[tuple[Path, bytes]] = ()) -> Checked:
    """Write a draw after a step (run, a response) over its file at registry/draws/<year>/<id>.yaml, with
    the new records that step brings (`also`: an absence's conduct record) in the same change."""
    root = path.parents[2]
    changes = ChangeSet(root)
    changes.modify(path, path.read_bytes(), dump_draw(dict(data)).encode("utf-8"))
    for new_path, content in also:
        changes.create(new_path, content)
    return _write(changes, registry, schemas, today)


def absence_record(registry: Registry, draw_id: str, person: str, day: date, reason_code: str | None) -> tuple[Path, bytes]:
    """The conduct record an absence produces (kind absence, this draw), which the presets count; its
    clause is the preset's for absences. The free-text reason stays in the draw file (not public)."""
    ident = next_id(registry.root, "conduct", day.year)
    roster = "experts" if person.startswith("E") else "supervisors"
    policy = policy_for(registry, roster)
    data: dict[str, Any] = {"id": ident, "person": person, "kind": "absence", "date": day.isoformat(),
                            "excused": reason_code == "excused", "draw": draw_id,
                            "description": f"被抽中参加 {draw_id} 的活动后缺席或未答复（原因代码 {reason_code}）"}
    clause = policy.preset.conduct_clauses.get("absence")
    if clause:
        data["clause"] = policy.cite(clause)
    data = sort_record("conduct", data)
    path = record_path(registry.root, "conduct", ident)
    text = render_document(data, [schema_comment("conduct", len(path.relative_to(registry.root).parts))])
    return path, text.encode("utf-8")


def _write(changes: ChangeSet, registry: Registry | None, schemas: SchemaSet | None, today: date | None) -> Checked:
    schemas = schemas or SchemaSet()
    if registry is None:
        registry = open_registry(changes.root, schemas=schemas)
    checked = changes.check_or_raise(today or today_beijing(), schemas, registry)
    changes.write()
    return checked
