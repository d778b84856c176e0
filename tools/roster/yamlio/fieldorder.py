"""The order of fields in a record, as the JSON Schema lists them (what staff see in the editor).

New records are written in this order, and a field added to an existing record is inserted where
the schema puts it, so every file of a kind reads the same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ..check.schemas import SchemaSet, default_schema_dir

__all__ = ["field_order", "schema_node", "sort_record"]


@cache
def _schemas(directory: str) -> SchemaSet:
    return SchemaSet(Path(directory))


def schema_node(kind: str, path: tuple[str | int, ...] = (), directory: Path | None = None) -> dict[str, Any]:
    """The (resolved) schema of the value at `path` in a record of `kind`; {} when unknown."""
    return _schemas(str(directory or default_schema_dir())).node_at(kind, path)


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
