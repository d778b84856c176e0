"""A full validation run that keeps of each person only what the checks across people read.

Each person file is read, parsed and given its own checks — its file checks and its person-level
findings, which depend only on that file, the non-person records, the settings and the date (see
parts.py) — and then only its projection (`parts.PROJECTED_FIELDS`) and its findings are kept. The
checks across records then run on the projections. Past `PARALLEL_MIN` person files this per-person
work is shared among worker processes, forked once the non-person records are loaded; each sends back
its projections and findings, which are a small part of the records. The memory of a run so grows
with the projections, not with the records.
"""

from __future__ import annotations

import gc
import marshal
import os
from datetime import date
from pathlib import Path
from typing import Any

from ..core import progress
from ..core.findings import Finding
from ..core.forked import map_forked
from ..core.vocab import PEOPLE
from ..yamlio.load import Document, Problem
from .filecheck import check_file
from .parts import Packed, file_findings_of, pack, person_findings, projection_of, unpack
from .registry import Record, Registry, blob_id, discover, load_files, read_regular, unreadable_finding, worker_count
from .schemas import SchemaSet

PARALLEL_MIN = 2_000  # person files; fewer are checked in this process
_CHUNK = 500
# one person file's outcome: (sha, loaded, projection, problems, notes, own findings); or, for a file
# that could not be read, (None, finding fields)
PersonOutcome = tuple[Any, ...]
_work: tuple[Registry, list[tuple[str, str, str]], SchemaSet, date] | None = None  # set before forking


def load_projected(root: Path, schemas: SchemaSet, today: date) -> tuple[Registry, dict[str, list[Finding]]]:
    """The registry with person records projected, and each person file's own findings by file."""
    files, layout_findings = discover(root)
    people = [entry for entry in files if entry[0] in PEOPLE]
    context = load_files(root, [entry for entry in files if entry[0] not in PEOPLE], layout_findings, schemas)
    outcomes = _check_people(context, people, schemas, today)
    loaded = {r.file: r for r in context.records}
    registry = Registry(root, context.settings, [], context.layout_findings, projected=True)
    own: dict[str, list[Finding]] = {}
    for kind, path, shown in files:
        if kind == "registry":
            continue
        if kind not in PEOPLE:
            if path in loaded:  # else unreadable: its finding is among the layout findings
                registry.records.append(loaded[path])
            continue
        outcome = outcomes[path]
        if outcome[0] is None:
            registry.layout_findings.append(Finding(*outcome[1]))
            continue
        sha, was_loaded, projected, problems, notes, found = outcome
        document = Document(projected, source=path) if was_loaded else None
        stem = os.path.splitext(os.path.basename(shown))[0]
        registry.records.append(Record(kind, path, shown, stem, sha, document, [Problem(*p) for p in problems],
                                       [Problem(*p) for p in notes]))
        own[path] = [unpack(shown, p) for p in found]
    return registry, own


def _check_people(context: Registry, people: list[tuple[str, str, str]], schemas: SchemaSet,
                  today: date) -> dict[str, PersonOutcome]:
    global _work
    _work = (context, people, schemas, today)
    bounds = [(start, min(start + _CHUNK, len(people))) for start in range(0, len(people), _CHUNK)]
    workers = worker_count(len(people), PARALLEL_MIN)
    outcomes: dict[str, PersonOutcome] = {}
    try:
        results = map_forked(_check_chunk, bounds, workers)
        with progress.task("校验文件", len(people)) as advance:
            for (start, end), blob in zip(bounds, results, strict=True):
                _collect(outcomes, people, start, end, blob)
                advance(end - start)
    finally:
        _work = None
    return outcomes


def _collect(outcomes: dict[str, PersonOutcome], people: list[tuple[str, str, str]], start: int, end: int,
             blob: bytes) -> None:
    for (_, path, _), outcome in zip(people[start:end], marshal.loads(blob), strict=True):
        outcomes[path] = outcome


def _check_chunk(bounds: tuple[int, int]) -> bytes:
    """The outcomes of people[start:end], checked against the non-person records (run in a worker).
    A chunk's objects are freed by reference counting; the cycle collector, which would walk them again
    and again while they are made, waits until the chunk is done."""
    gc.disable()
    try:
        return _checked(bounds)
    finally:
        gc.enable()


def _checked(bounds: tuple[int, int]) -> bytes:
    assert _work is not None
    context, people, schemas, today = _work
    records: list[Record] = []
    failed: dict[str, PersonOutcome] = {}
    for kind, path, shown in people[bounds[0]:bounds[1]]:
        try:
            raw = read_regular(path)
        except OSError as exc:
            f = unreadable_finding(shown, exc)
            failed[path] = (None, (f.path, f.line, f.col, f.severity, f.rule, f.message, f.record, f.citation))
            continue
        result = check_file(kind, raw, schemas)
        if result.document is not None:
            result.document.raw = raw  # positions of findings are worked out from the bytes
        stem = os.path.splitext(os.path.basename(shown))[0]
        records.append(Record(kind, path, shown, stem, blob_id(raw), result.document, result.problems, result.notes))
    found = person_findings(Registry(context.root, context.settings, context.records + records),
                            today, {r.file for r in records})
    done: dict[str, PersonOutcome] = dict(failed)
    for r in records:
        own: list[Packed] = [pack(f) for f in file_findings_of(r) + found.get(r.file, [])]
        done[r.file] = (r.sha, r.document is not None, projection_of(r.document.data if r.document else None),
                        [(p.line, p.col, p.rule, p.message) for p in r.problems],
                        [(p.line, p.col, p.rule, p.message) for p in r.notes], own)
    return marshal.dumps([done[path] for _, path, _ in people[bounds[0]:bounds[1]]])
