"""`roster validate`: load → per-file checks → cross-record checks → base checks → findings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.findings import Finding, error, warning
from ..core.timeutil import today_beijing
from ..core.vocab import PEOPLE
from ..rules import check_rules
from .cache import PersonFindingsCache, ResultCache, Stored, code_fingerprint, package_fingerprint
from .history import check_against_base
from .integrity import check_integrity
from .registry import Record, Registry, docs_findings, load_registry, start_clean_blob_ids
from .schemas import SchemaSet


@dataclass
class Outcome:
    registry: Registry
    findings: list[Finding]

    @property
    def files(self) -> int:
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
        for p in record.problems:
            found.append(error(record.display, p.line, p.col, p.rule, p.message, record=record.id))
        for p in record.notes:
            found.append(warning(record.display, p.line, p.col, p.rule, p.message, record=record.id))
    return found




def check_registry(registry: Registry, today: date, base: str | None = None,
                   people_cache: bool = False) -> list[Finding]:
    """Every finding about a loaded registry, sorted; rules that depend on the date use `today`.

    With `people_cache`, each person's own findings are reused from the last run when neither the
    person's file nor anything those findings depend on has changed.
    """
    findings = file_findings(registry)
    if people_cache:
        findings += _cross_record_with_cache(registry, today)
    else:
        findings += check_integrity(registry)
        findings += check_rules(registry, today)
    if registry.of_kind("draw"):
        from ..draw.checks import check_draws  # the draw engine is only loaded for a registry with draws

        findings += check_draws(registry, base)
    if base:
        findings += check_against_base(registry, base)
    return sorted(_one_per_place(set(findings)))


def _one_per_place(findings: set[Finding]) -> set[Finding]:
    """A reference written as a name breaks both the id pattern and the reference check; the reference
    finding says the fix (the unit's id), so the pattern finding at the same place is dropped."""
    references = {(f.path, f.line, f.col) for f in findings if f.rule == "integrity.reference"}
    if not references:
        return findings
    return {f for f in findings if not (f.rule == "schema.pattern" and (f.path, f.line, f.col) in references)}


def context_digest(registry: Registry, today: date) -> str:
    """What a person's own findings depend on besides the person's file."""
    digest = hashlib.sha256(f"{today.isoformat()}:{package_fingerprint()}".encode())
    for record in registry.all_records():
        if record.kind not in PEOPLE:
            digest.update(f"{record.file}\0{record.sha}\0".encode())
    return digest.hexdigest()


def _cross_record_with_cache(registry: Registry, today: date) -> list[Finding]:
    cache = PersonFindingsCache(registry.root, context_digest(registry, today))
    people = [r for r in registry.records if r.kind in PEOPLE and r.document is not None]
    others = {r.file for r in registry.records if r.kind not in PEOPLE}
    found: list[Finding] = []
    entries: dict[str, tuple[str, list[Stored]]] = {}
    fresh: dict[str, Record] = {}
    for record in people:
        stored = cache.lookup(record.file, record.sha)
        if stored is None:
            fresh[record.display] = record
            continue
        entries[record.file] = (record.sha, stored)
        found += [Finding(record.display, line, col, severity, rule, message, record.id, citation)  # type: ignore[arg-type]
                  for line, col, severity, rule, message, citation in stored]
    files = {r.file for r in fresh.values()}
    own = list(check_integrity(registry, records=files, registry_level=False))
    own += check_rules(registry, today, people=files, roster_level=False)
    found += own
    for record in fresh.values():
        entries[record.file] = (record.sha, [])
    for f in own:
        entries[fresh[f.path].file][1].append((f.line, f.col, f.severity, f.rule, f.message, f.citation))
    found += check_integrity(registry, records=others)
    found += check_rules(registry, today, people=frozenset())
    cache.save(entries)
    return found


def validate(root: Path, *, base: str | None = None, use_cache: bool = True, today: date | None = None) -> Outcome:
    """Every finding about the registry at `root` (today: Beijing today unless given), and personal data
    in the hand-written pages of docs/ beside it."""
    registry = open_registry(root, use_cache=use_cache)
    findings = check_registry(registry, today or today_beijing(), base, people_cache=use_cache)
    return Outcome(registry, sorted(set(findings + docs_findings(root))))
