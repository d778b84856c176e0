"""What every rule family shares: the resolved rule, the policy, the context, and small readers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ..check.registry import Record, Registry
from ..core.findings import Finding, Severity
from ..core.timeutil import age_in_months, parse_date, parse_month
from ..policies.presets import Preset, Reason, RuleSeverity, labelled, labels
from ..yamlio.load import JsonPath

# statuses in which a person is in the roster or about to join it; admission conditions apply
CURRENT = frozenset({"candidate", "active", "suspended"})
# statuses in which a person holds a term: exits, terms and conduct thresholds apply
SERVING = frozenset({"active", "suspended"})


@dataclass(frozen=True)
class Rule:
    """One rule of a policy, with the bureau's overrides applied."""

    id: str
    title: str
    clause: str
    citation: str
    severity: RuleSeverity
    exceptions: bool
    params: Mapping[str, Any]

    def finding(self, person: Person, path: JsonPath, message: str, severity: Severity | None = None,
                citation: str | None = None) -> Finding:
        """A finding of this rule; `citation` when one part of the rule rests on its own clause."""
        record = person.record
        line, col = record.line(*path)
        chosen: Severity = severity or ("warning" if self.severity == "warning" else "error")
        return Finding(record.display, line, col, chosen, self.id, message, record.id, citation or self.citation)


@dataclass(slots=True)
class Person:
    """An expert or supervisor record with the facts most rules need, read once (treat as read-only;
    not frozen because a frozen dataclass is markedly slower to build, and one is built per record)."""

    record: Record
    id: str | None
    data: dict[str, Any]
    status: str
    term: tuple[date, date] | None
    birth: tuple[int, int] | None
    reference: date  # the day admission conditions are judged on
    reference_kind: str  # which date that is: 聘期开始日, 入库日期 or 校验日
    admission: dict[str, Any]

    @classmethod
    def of(cls, record: Record, today: date) -> Person:
        data = record.data
        status = data.get("status")
        term = data.get("term")
        start = as_date(term.get("start")) if term.__class__ is dict else None
        end = as_date(term.get("end")) if term.__class__ is dict else None
        admission = data.get("admission")
        admission = admission if admission.__class__ is dict else {}
        admitted = as_date(admission.get("date"))
        reference, kind = (start, "聘期开始日") if start else (admitted, "入库日期") if admitted else (today, "校验日")
        record_id = data.get("id")
        return cls(record, record_id if isinstance(record_id, str) else None, data,
                   status if isinstance(status, str) else "", (start, end) if start and end else None,
                   as_month(data.get("birth")), reference, kind, admission)

    @property
    def when(self) -> str:
        """How messages name the reference day: “聘期开始日 2026-03-01”."""
        return f"{self.reference_kind} {self.reference.isoformat()}"

    def label(self) -> str:
        name = self.data.get("name")
        return f"{self.record.id}（{name}）" if isinstance(name, str) else str(self.record.id)


@dataclass(frozen=True)
class Policy:
    """A preset as one roster of one registry uses it."""

    preset: Preset
    roster: str
    kind: str
    rules: Mapping[str, Rule]  # every rule of the preset, disabled ones included (others read their params)
    disabled: frozenset[str]

    def enabled(self) -> list[Rule]:
        return [rule for rule_id, rule in self.rules.items() if rule_id not in self.disabled]

    def is_enabled(self, rule_id: str) -> bool:
        return rule_id in self.rules and rule_id not in self.disabled

    def reason(self, code: str) -> Reason | None:
        return self.preset.reason(code)

    def cite(self, clause: str) -> str:
        return self.preset.cite(clause)


@dataclass
class Indexes:
    """Look-ups built once per registry, so every rule stays O(records)."""

    institutions: dict[str, Record]
    announcements: dict[str, Record]
    subjects: dict[str, frozenset[str]]  # announcement id → the people it announces
    conduct: dict[str, list[Record]]
    people: dict[str, list[Record]]
    # ids (file names) of the non-person records that cannot be used: their own errors say why (a person's file
    # is never among them: a rule about one person may not depend on another person's file)
    broken: frozenset[str] = frozenset()

    @classmethod
    def build(cls, registry: Registry) -> Indexes:
        institutions: dict[str, Record] = {}
        announcements: dict[str, Record] = {}
        conduct: defaultdict[str, list[Record]] = defaultdict(list)
        people: defaultdict[str, list[Record]] = defaultdict(list)
        broken: set[str] = set()
        for record in registry.records:
            if record.document is None or record.problems:
                if record.kind not in ("expert", "supervisor"):
                    broken.add(record.id or record.stem)
                continue
            if record.kind == "institution" and record.id:
                institutions[record.id] = record
            elif record.kind == "announcement" and record.id:
                announcements[record.id] = record
            elif record.kind == "conduct" and isinstance(record.data.get("person"), str):
                conduct[record.data["person"]].append(record)
            elif record.kind in ("expert", "supervisor"):
                people[record.kind].append(record)
        subjects = {key: frozenset(a.data.get("subjects") or []) for key, a in announcements.items()}
        return cls(institutions, announcements, subjects, dict(conduct), dict(people), frozenset(broken))


@dataclass
class Context:
    """What a rule may consult besides the record: the date, the policy and the registry's indexes."""

    today: date
    policy: Policy
    settings: Record | None
    indexes: Indexes

    @property
    def institutions(self) -> dict[str, Record]:
        return self.indexes.institutions

    @property
    def announcements(self) -> dict[str, Record]:
        return self.indexes.announcements

    def conduct_of(self, person: str | None) -> list[Record]:
        return self.indexes.conduct.get(person or "", [])


RecordRule = Callable[[Person, Rule, Context], Iterator[Finding]]
RosterRule = Callable[[Sequence[Person], Rule, Context], Iterator[Finding]]


# --- reading record fields (records reaching the rules are schema-valid; dates may still not exist) --

def field_at(data: Any, *path: str) -> Any:
    """data[path[0]][path[1]]…, or None where a step is missing or not a mapping."""
    for key in path:
        if data.__class__ is not dict:
            return None
        data = data.get(key)
    return data


def as_date(value: Any) -> date | None:
    return _date(value) if value.__class__ is str else None


def as_month(value: Any) -> tuple[int, int] | None:
    return _month(value) if value.__class__ is str else None


# a registry repeats the same few thousand dates many times over: parse each once
@lru_cache(maxsize=65536)
def _date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def _month(text: str) -> tuple[int, int] | None:
    try:
        return parse_month(text)
    except ValueError:
        return None


def whole_months(since: tuple[int, int], on: date) -> int | None:
    """Whole months from a YYYY-MM to a date (the month counts from its first day); None if later."""
    try:
        return age_in_months(since, on)
    except ValueError:
        return None


def years_months(months: int) -> str:
    return f"{months // 12} 年 {months % 12} 个月"


def approved_exception(person: Person, rule_id: str) -> dict[str, Any] | None:
    for entry in person.data.get("exceptions") or []:
        if isinstance(entry, dict) and entry.get("rule") == rule_id:
            return entry
    return None


@lru_cache(maxsize=32)
def ranks(group: str) -> dict[str, int]:
    """Position of each code in its ordered label group (education and title levels, low to high)."""
    return {code: i for i, code in enumerate(labels()[group])}


def choice_list(group: str, codes: Sequence[str]) -> str:
    return "、".join(labelled(group, c) for c in codes)
