"""The compiled schema predicate must never accept what jsonschema rejects, and should accept what it accepts."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.check.fastcheck import compile_predicate
from roster.check.registry import FOLDERS
from roster.check.schemas import SCHEMA_FILES, SchemaSet
from roster.yamlio.load import load_bytes

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = SchemaSet(REPO / "schemas")


def demo_records() -> list[tuple[str, Any]]:
    records = [("registry", load_bytes((REPO / "registry/registry.yaml").read_bytes()).data)]
    for folder, (kind, _, _) in FOLDERS.items():
        for path in sorted((REPO / "registry" / folder).rglob("*.yaml")):
            records.append((kind, load_bytes(path.read_bytes()).data))
    return records


RECORDS = demo_records()
SIMPLE_KINDS = ["registry", "institution", "expert", "supervisor", "announcement", "conduct"]


@pytest.mark.parametrize("kind", SIMPLE_KINDS)
def test_record_schemas_compile(kind: str) -> None:
    assert compile_predicate(SCHEMA_FILES[kind], SCHEMAS.documents) is not None


def test_every_valid_demo_record_takes_the_fast_path() -> None:
    for kind, data in RECORDS:
        fast = compile_predicate(SCHEMA_FILES[kind], SCHEMAS.documents)
        if fast is not None:
            assert not list(SCHEMAS.validator(kind).iter_errors(data))
            assert fast(data), (kind, data.get("id"))


def paths(data: Any, trail: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [trail]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*trail, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*trail, i))
    return found


VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
                   st.sampled_from(["", "x", "E0001", "I0001", "2026-03-15", "2026-3-15", "1975-06", "active",
                                    "medical", "男", "senior", "hmac-sha256:" + "0" * 64, "2026-02-30", "2026-02-29",
                                    "2026-03-15\n", "1975-06\n", "2024-02-29"]),
                   st.lists(st.sampled_from(["a", "I0001", "b"]), max_size=3), st.just({}), st.just({"x": 1}))


@settings(max_examples=400, deadline=None)
@given(index=st.integers(0, len(RECORDS) - 1), pick=st.integers(0, 10_000), action=st.sampled_from(["set", "delete", "add"]),
       value=VALUES)
def test_fast_predicate_is_never_more_lenient_than_jsonschema(index: int, pick: int, action: str, value: Any) -> None:
    kind, original = RECORDS[index]
    fast = compile_predicate(SCHEMA_FILES[kind], SCHEMAS.documents)
    if fast is None:
        return
    data = copy.deepcopy(original)
    targets = paths(data)[1:]
    path = targets[pick % len(targets)]
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if action == "set":
        parent[path[-1]] = value
    elif action == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent["unexpected_field"] = value
    if fast(data):
        assert not list(SCHEMAS.validator(kind).iter_errors(data)), (path, action, value)
