"""`roster validate`: load → per-file checks → cross-record checks → base checks → findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .cache import ResultCache, code_fingerprint
from .draw.checks import check_draws
from .findings import Finding, error
from .history import check_against_base
from .integrity import check_integrity
from .registry import Registry, load_registry
from .rules import check_rules
from .schemas import SchemaSet
from .timeutil import today_beijing


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
    cache = ResultCache(root, code_fingerprint(schemas.fingerprint)) if use_cache else None
    registry = load_registry(root, schemas, cache)
    if cache:
        cache.save()
    return registry


def file_findings(registry: Registry) -> list[Finding]:
    found = list(registry.layout_findings)
    for record in registry.all_records():
        for p in record.problems:
            found.append(error(record.display, p.line, p.col, p.rule, p.message, record=record.id))
    return found


def check_registry(registry: Registry, today: date, base: str | None = None) -> list[Finding]:
    """Every finding about a loaded registry, sorted; rules that depend on the date use `today`."""
    findings = file_findings(registry)
    findings += check_integrity(registry)
    findings += check_draws(registry, base)
    findings += check_rules(registry, today)
    if base:
        findings += check_against_base(registry, base)
    return sorted(set(findings))


def validate(root: Path, *, base: str | None = None, use_cache: bool = True, today: date | None = None) -> Outcome:
    """Every finding about the registry at `root` (today: Beijing today unless given)."""
    registry = open_registry(root, use_cache=use_cache)
    return Outcome(registry, check_registry(registry, today or today_beijing(), base))
