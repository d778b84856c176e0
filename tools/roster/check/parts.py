"""Findings in two parts: each person file's own (its file checks and its person-level cross-record
findings, which depend only on that file, the non-person records, the settings and the date) and the
rest (layout, non-person files, checks across records and rosters, draws). `check/state.py` keeps the
first part per file, so a run after an edit re-checks only the edited people."""

from __future__ import annotations

from datetime import date

from ..core.findings import Finding, error, warning
from ..core.vocab import PEOPLE
from ..rules import check_rules
from .integrity import check_integrity
from .registry import Record, Registry

# the fields of a person record that checks across people read (identity.duplicate, admission.no_return,
# unique certificate numbers, references to people by id or name, the supervisors' ledger and meetings)
PROJECTED_FIELDS = ("id", "status", "person_key", "name", "aliases", "gender", "birth", "certificate_no")
# a finding without its path: (line, col, severity, rule, message, record id, citation)
Packed = tuple[int, int, str, str, str, str | None, str | None]


def pack(f: Finding) -> Packed:
    return (f.line, f.col, f.severity, f.rule, f.message, f.record, f.citation)


def unpack(path: str, p: Packed) -> Finding:
    return Finding(path, p[0], p[1], p[2], p[3], p[4], p[5], p[6])  # type: ignore[arg-type]


def projection_of(data: object) -> dict[str, object]:
    """What the checks across people read of one person's data."""
    if not isinstance(data, dict):
        return {}
    return {name: data[name] for name in PROJECTED_FIELDS if name in data}


def file_findings_of(record: Record) -> list[Finding]:
    return ([error(record.display, p.line, p.col, p.rule, p.message, record=record.id) for p in record.problems]
            + [warning(record.display, p.line, p.col, p.rule, p.message, record=record.id) for p in record.notes])


def person_findings(registry: Registry, today: date, files: set[str]) -> dict[str, list[Finding]]:
    """The person-level cross-record findings of the person records in `files`, by file."""
    by_display = {r.display: r.file for r in registry.records if r.file in files}
    found: dict[str, list[Finding]] = {file: [] for file in by_display.values()}
    for f in list(check_integrity(registry, records=files, registry_level=False)) + \
            list(check_rules(registry, today, people=files, roster_level=False)):
        found[by_display[f.path]].append(f)
    return found


def across_records(registry: Registry, today: date) -> list[Finding]:
    """The checks of the non-person records and across records (draws and --base aside); of each person
    they read only the projected fields."""
    others = {r.file for r in registry.records if r.kind not in PEOPLE}
    return list(check_integrity(registry, records=others)) + list(check_rules(registry, today, people=frozenset()))
