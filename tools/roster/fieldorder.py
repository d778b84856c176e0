"""The order of fields in a record, as the JSON Schema lists them (what staff see in the editor).

New records are written in this order, and a field added to an existing record is inserted where
the schema puts it, so every file of a kind reads the same way.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from .schemas import SCHEMA_FILES, default_schema_dir

__all__ = ["field_order", "schema_node", "sort_record"]


@cache
def _document(directory: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(directory) / name).read_text(encoding="utf-8"))
    return data


def _resolve(node: dict[str, Any], current: str, directory: str) -> tuple[dict[str, Any], str]:
    """Follow ``$ref`` (same file or another schema file) until a node without one."""
    seen = 0
    while "$ref" in node and seen < 20:
        ref = str(node["$ref"])
        target, _, pointer = ref.partition("#")
        current = target or current
        resolved: Any = _document(directory, current)
        for part in [p for p in pointer.split("/") if p]:
            resolved = resolved[part]
        merged = {k: v for k, v in node.items() if k != "$ref"}
        node = {**resolved, **merged}
        seen += 1
    return node, current


def schema_node(kind: str, path: tuple[str | int, ...] = (), directory: Path | None = None) -> dict[str, Any]:
    """The (resolved) schema of the value at `path` in a record of `kind`; {} when unknown."""
    folder = str(directory or default_schema_dir())
    current = SCHEMA_FILES[kind]
    node, current = _resolve(_document(folder, current), current, folder)
    for part in path:
        child = node.get("items") if isinstance(part, int) else (node.get("properties") or {}).get(part)
        if not isinstance(child, dict):
            return {}
        node, current = _resolve(child, current, folder)
    return node


def field_order(kind: str, path: tuple[str | int, ...] = (), directory: Path | None = None) -> list[str]:
    """Names of the fields of the object at `path`, in schema order."""
    return list((schema_node(kind, path, directory).get("properties") or {}).keys())


def sort_record(kind: str, data: Any, path: tuple[str | int, ...] = ()) -> Any:
    """A copy of `data` with every mapping's keys in schema order (unknown keys last, as they were)."""
    if isinstance(data, list):
        return [sort_record(kind, item, (*path, i)) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    order = field_order(kind, path)
    rank = {name: i for i, name in enumerate(order)}
    keys = sorted(data, key=lambda k: (rank.get(k, len(order)), list(data).index(k)))
    return {k: sort_record(kind, data[k], (*path, k)) for k in keys}
