"""`roster validate`: load → per-file checks → cross-record checks → base checks → findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.findings import Finding
from ..core.timeutil import today_beijing
from ..core.vocab import PEOPLE
from ..rules import check_rules
from . import state
from .cache import ResultCache, code_fingerprint
from .history import check_against_base
from .integrity import check_integrity
from .parts import across_records, file_findings_of
from .projected import load_projected
from .registry import Registry, display_path, docs_findings, load_registry, start_clean_blob_ids
from .schemas import SchemaSet


@dataclass
class Outcome:
    registry: Registry | None  # None when only the edited files were loaded (check/state.py)
    findings: list[Finding]
    count: int | None = None

    @property
    def files(self) -> int:
        if self.count is not None or self.registry is None:
            return self.count or 0
        return len(self.registry.all_records())

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)


def open_registry(root: Path, *, use_cache: bool = True, schemas: SchemaSet | None = None) -> Registry:
    schemas = schemas or SchemaSet()
    blob_ids = start_clean_blob_ids(root) if use_cache else None  # git works while the cache is read
    cache = ResultCache(root, code_fingerprint(schemas.fingerprint)) if use_cache else None
    registry = load_registry(root, schemas, cache, blob_ids)
    if cache:
        cache.save()
    return registry


def file_findings(registry: Registry) -> list[Finding]:
    found = list(registry.layout_findings)
    for record in registry.all_records():
        found += file_findings_of(record)
    return found


def check_registry(registry: Registry, today: date, base: str | None = None) -> list[Finding]:
    """Every finding about a registry loaded whole, sorted; rules that depend on the date use `today`."""
    findings = file_findings(registry)
    findings += check_integrity(registry)
    findings += check_rules(registry, today)
    findings += _draws_and_base(registry, base)
    return sorted(_one_per_place(set(findings)))


def _draws_and_base(registry: Registry, base: str | None) -> list[Finding]:
    findings: list[Finding] = []
    if registry.of_kind("draw"):
        from ..draw.checks import check_draws  # the draw engine is only loaded for a registry with draws

        findings += check_draws(registry, base)
    if base:
        findings += check_against_base(registry, base)
    return findings


def _one_per_place(findings: set[Finding]) -> set[Finding]:
    """A reference written as a name breaks both the id pattern and the reference check; the reference
    finding says the fix (the unit's id), so the pattern finding at the same place is dropped."""
    references = {(f.path, f.line, f.col) for f in findings if f.rule == "integrity.reference"}
    if not references:
        return findings
    return {f for f in findings if not (f.rule == "schema.pattern" and (f.path, f.line, f.col) in references)}


def validate(root: Path, *, base: str | None = None, use_cache: bool = True, today: date | None = None) -> Outcome:
    """Every finding about the registry at `root` (today: Beijing today unless given), and personal data
    in the hand-written pages of docs/ beside it.

    With the cache and without `base`, a run after a change to a few person files re-checks only those
    (check/state.py). Otherwise the whole registry is checked, keeping of each person only what the checks
    across people read (check/projected.py); `base` adds the checks against the base revision."""
    today = today or today_beijing()
    schemas = SchemaSet()
    key = state.state_key(root, today, schemas.fingerprint, display_path(root))
    stateful = use_cache and not base
    if stateful:
        quick = state.revalidate(root, key, today, schemas)
        if quick is not None:
            found, count = quick
            return Outcome(None, sorted(_one_per_place(set(found + docs_findings(root)))), count)
    taken = state.scan(root) if stateful else None  # before any file is read: an edit made meanwhile is seen next time
    registry, own = load_projected(root, schemas, today)
    fixed = list(registry.layout_findings)
    for record in registry.all_records():
        if record.kind not in PEOPLE:
            fixed += file_findings_of(record)
    fixed += _draws_and_base(registry, base)
    across = across_records(registry, today)
    if taken is not None:
        state.save(root, key, taken, registry, own, fixed, across)
    findings = fixed + across
    for found in own.values():
        findings += found
    return Outcome(registry, sorted(_one_per_place(set(findings + docs_findings(root)))))
