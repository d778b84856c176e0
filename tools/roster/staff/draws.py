"""The draw protocol's steps as registry changes: each goes through the one change path.

draw/protocol.py computes (request, run, responses) on plain data; here each result becomes a
ChangeSet, is checked with the whole registry as it would be — the same check every other command
gets — and is written through the journal, or refused with nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from ..draw.files import draw_path, dump_draw
from .changeset import ChangeSet, Checked
from .ids import next_id

__all__ = ["NewDraw", "new_request", "save_draw"]


@dataclass
class NewDraw:
    path: Path
    data: dict[str, Any]
    pool: Pool
    warnings: list[str]
    checked: Checked


def new_request(registry: Registry, fields: Mapping[str, Any], *, roster: str = "experts", algorithm: str = "rfc3797",
                schemas: SchemaSet | None = None, today: date | None = None) -> NewDraw:
    """Freeze a request (protocol.new_request) and write it as the next draw file of its year.

    Refused (DrawError, or InvalidChange when the registry would not validate), nothing written.
    """
    drafted = protocol.new_request(registry, fields, roster=roster, algorithm=algorithm,
                                   next_id=lambda year: next_id(registry.root, "draw", year))
    path = draw_path(registry.root, drafted.data["id"])
    changes = ChangeSet(registry.root)
    changes.create(path, dump_draw(drafted.data).encode("utf-8"))
    checked = _write(changes, registry, schemas, today)
    return NewDraw(path, drafted.data, drafted.pool, drafted.warnings, checked)


def save_draw(path: Path, data: Mapping[str, Any], *, registry: Registry | None = None,
              schemas: SchemaSet | None = None, today: date | None = None) -> Checked:
    """Write a draw after a step (run, a response) over its file at registry/draws/<year>/<id>.yaml."""
    root = path.parents[2]
    changes = ChangeSet(root)
    changes.modify(path, path.read_bytes(), dump_draw(dict(data)).encode("utf-8"))
    return _write(changes, registry, schemas, today)


def _write(changes: ChangeSet, registry: Registry | None, schemas: SchemaSet | None, today: date | None) -> Checked:
    schemas = schemas or SchemaSet()
    if registry is None:
        registry = open_registry(changes.root, schemas=schemas)
    checked = changes.check_or_raise(today or today_beijing(), schemas, registry)
    changes.write()
    return checked
