"""Who may be drawn for a request, and who is excluded with the clause for each, from the registry.

Scope first: the roster's records that match one of the request's quotas (all of them when there
are no quotas); a candidate counts in the first quota it matches.  Then each record in scope is
either a candidate or excluded for the first of these that applies:

    status (not 在库) / suspended → term (does not cover the activity; only where the preset sets
    a term) → age (over the limit before the activity ends) → recusal: current employer is a
    subject → same legal entity as a subject → employed at a subject (or its legal entity) within
    the preset's recusal window before the activity → a declared conflict with a subject (or its
    legal entity) → 补抽: already used by the parent draw.

Automatic exits (term, age) are judged as of the activity with the functions validate uses
(rules.lifecycle), whether or not `roster status --apply` has written them.  Every clause comes
from the roster's preset (policies/<preset>.yaml → draw.clauses).

For "双随机" institution draws the scope is the designated institutions (定点医疗机构 / 定点零售药店)
whose kind matches a quota; one whose agreement does not cover the activity is excluded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..check.registry import Record, Registry
from ..core.timeutil import parse_date, parse_month
from ..rules.base import Person, Policy
from ..rules.lifecycle import age_exit_date, term_exit_date, term_in_force
from ..rules.policy import policy_for_draw
from .model import ROSTER_KIND, Request, clause, policy_of

__all__ = ["Candidate", "Exclusion", "Pool", "compute_pool", "parent_members", "used_by"]

RELATIVE_RELATIONS = ("spouse_employed", "relative_employed")


@dataclass(frozen=True)
class Candidate:
    id: str
    quota: int  # 1-based quota number, 0 when the request has no quotas
    institution: str | None
    legal_entity: str | None
    specialty: str | list[str] | None = None  # only under request.distinct_institutions_per_specialty

    def facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {"quota": self.quota} if self.quota else {}
        if self.institution:
            out["institution"] = self.institution
        if self.legal_entity:
            out["legal_entity"] = self.legal_entity
        if self.specialty:
            out["specialty"] = self.specialty
        return out


@dataclass(frozen=True)
class Exclusion:
    id: str
    kind: str
    clause: str
    detail: str

    def as_data(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "clause": self.clause, "detail": self.detail}


@dataclass(frozen=True)
class Pool:
    candidates: list[Candidate]
    exclusions: list[Exclusion]

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.candidates]

    def facts(self) -> dict[str, dict[str, Any]]:
        return {c.id: c.facts() for c in self.candidates}


def compute_pool(registry: Registry, request: Request, parent: Mapping[str, Any] | None = None) -> Pool:
    """The sorted candidate list and the exclusions, as the registry gives them now."""
    policy = policy_of(request.roster, registry.settings.data if registry.settings else None)
    rules = None if request.roster == "institutions" else policy_for_draw(registry, request.roster)
    institutions = registry.by_id("institution")
    used = used_by(parent) if parent else set()
    context = _Context(request, policy, rules, institutions, used)
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    records = sorted(registry.by_id(ROSTER_KIND[request.roster]).items())
    for record_id, record in records:
        quota = _quota_of(request, record)
        if quota is None:
            continue
        excluded = next(context.reasons(record), None)
        if excluded is not None:
            exclusions.append(excluded)
            continue
        institution = record_id if request.roster == "institutions" else record.data.get("employer")
        specialties = record.data.get("specialties") if request.roster == "experts" else None
        specialty = request.specialty_of(quota, specialties if isinstance(specialties, list) else ())
        candidates.append(Candidate(record_id, quota, institution, context.entity_of(institution), specialty))
    return Pool(candidates, exclusions)


def parent_members(registry: Registry, request: Request, parent: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parent's panel as it stands (replacements made, declines and absences out), each with the
    institution, legal entity and specialty it was drawn with: a 补抽 counts them against the limits and
    GY 第十二条（二） from the start, so the parent's panel and the 补抽 together keep the rules."""
    current = [str(c) for c in (parent.get("result") or {}).get("panel") or []]
    for response in parent.get("responses") or []:
        person = response.get("id")
        if person in current and response.get("response") != "accepted":
            slot = current.index(person)
            if response.get("replaced_by"):
                current[slot] = str(response["replaced_by"])
            else:
                del current[slot]
    facts = parent.get("candidate_facts") or {}
    records = registry.by_id(ROSTER_KIND[request.roster])
    out: list[dict[str, Any]] = []
    for person in sorted(current):
        fact: Mapping[str, Any] = facts[person] if isinstance(facts.get(person), dict) else {}
        item: dict[str, Any] = {"id": person, **{k: fact[k] for k in ("institution", "legal_entity") if fact.get(k)}}
        specialty = fact.get("specialty")
        if request.distinct_specialty and not specialty and person in records and request.roster == "experts":
            own = records[person].data.get("specialties")
            specialty = request.specialty_of(None, own if isinstance(own, list) else ())
        if request.distinct_specialty and specialty:
            item["specialty"] = specialty
        out.append(item)
    return out


def used_by(parent: Mapping[str, Any]) -> set[str]:
    """Everyone the parent draw has used: its panel, its replacements taken and all who answered."""
    result = parent.get("result") or {}
    used = set(result.get("panel") or [])
    for response in parent.get("responses") or []:
        used.add(response.get("id"))
        if response.get("replaced_by"):
            used.add(response["replaced_by"])
    return used


def _quota_of(request: Request, record: Record) -> int | None:
    data = record.data
    if request.roster == "institutions":
        designated = data.get("designated")
        if not isinstance(designated, dict):
            return None
        return request.quota_for(designated.get("kind"), (), ())
    return request.quota_for(data.get("category"), data.get("specialties") or (), data.get("background") or ())


class _Context:
    def __init__(self, request: Request, policy: str, rules: Policy | None, institutions: Mapping[str, Record],
                 used: Collection[str]) -> None:
        self.request = request
        self.policy = policy
        self.rules = rules
        self.institutions = institutions
        self.used = used
        self.subjects = set(request.subjects)
        self.subject_entities = {self.entity_of(s) for s in request.subjects} - {None}

    def entity_of(self, institution: str | None) -> str | None:
        if institution is None:
            return None
        record = self.institutions.get(institution)
        entity = record.data.get("legal_entity") if record else None
        return entity if isinstance(entity, str) else institution

    def touches_subject(self, institution: str | None) -> bool:
        return institution in self.subjects or self.entity_of(institution) in self.subject_entities

    def name(self, institution: str | None) -> str:
        record = self.institutions.get(institution or "")
        return f"{institution}（{record.data.get('name')}）" if record and record.data.get("name") else str(institution)

    def exclusion(self, record: Record, kind: str, detail: str, clause_kind: str | None = None) -> Exclusion:
        return Exclusion(str(record.id), kind, clause(self.policy, clause_kind or kind), detail)

    def reasons(self, record: Record) -> Iterator[Exclusion]:
        if self.request.roster == "institutions":
            yield from self._designation(record)
        else:
            person = Person.of(record, self.request.activity_start)
            yield from self._status(record)
            yield from self._term(record, person)
            yield from self._age(record, person)
            yield from self._recusal(record)
        if record.id in self.used:
            yield self.exclusion(record, "previous_draw", f"已在原抽取 {self.request.parent} 中被抽中或已答复")

    def _designation(self, record: Record) -> Iterator[Exclusion]:
        designated = record.data.get("designated") or {}
        since = _maybe_date(designated.get("since"))
        until = _maybe_date(designated.get("until"))
        start, end = self.request.activity_start, self.request.activity_end
        if since is None or since > start or (until is not None and until < end):
            period = f"{designated.get('since')} 至 {designated.get('until') or '今'}"
            yield self.exclusion(record, "designation", f"定点协议 {period} 不覆盖活动期间 {start} 至 {end}")

    def _status(self, record: Record) -> Iterator[Exclusion]:
        status = record.data.get("status")
        if status == "suspended":
            yield self.exclusion(record, "suspended", "状态为暂停")
        elif status != "active":
            yield self.exclusion(record, "status", f"状态为 {status}，不是在库（active）", f"status_{status}")

    def _term(self, record: Record, person: Person) -> Iterator[Exclusion]:
        """Where the preset sets a term, it must cover the activity (the day after it ends is an exit)."""
        if self.rules is None or not self.rules.preset.draw.term:
            return
        term = record.data.get("term") or {}
        first, last = self.request.activity_start, self.request.activity_end
        at_start, at_end = term_in_force(person, first), term_in_force(person, last)
        exit_day = term_exit_date(person, last)
        if at_start is None or at_end is None or at_start[0] > first or at_start[1] < first or exit_day is None \
                or exit_day <= last:
            yield self.exclusion(record, "term", f"聘期 {term.get('start')} 至 {term.get('end')} 不覆盖活动期间 {first} 至 {last}")

    def _age(self, record: Record, person: Person) -> Iterator[Exclusion]:
        exit_day = age_exit_date(person, self.rules) if self.rules is not None else None
        if exit_day is not None and exit_day <= self.request.activity_end:
            yield self.exclusion(record, "age", f"出生年月 {record.data.get('birth')}，自 {exit_day} 起超过年龄上限，"
                                                f"早于活动结束日期 {self.request.activity_end}")

    def _recusal(self, record: Record) -> Iterator[Exclusion]:
        data = record.data
        employer = data.get("employer")
        if employer in self.subjects:
            yield self.exclusion(record, "recusal_employer", f"现工作单位 {self.name(employer)}是被检查单位")
        elif employer is not None and self.entity_of(employer) in self.subject_entities:
            yield self.exclusion(record, "recusal_legal_entity",
                                 f"现工作单位 {self.name(employer)}与被检查单位同属法人单位 {self.name(self.entity_of(employer))}")
        for job in data.get("employment_history") or []:
            if self.touches_subject(job.get("institution")) and self._within_two_years(job.get("to")):
                yield self.exclusion(record, "recusal_former",
                                     f"{job.get('from')} 至 {job.get('to')} 在 {self.name(job.get('institution'))}任职，"
                                     f"距活动开始不满 {self._window()} 个月")
        for conflict in data.get("conflicts") or []:
            if self.touches_subject(conflict.get("institution")):
                relation = conflict.get("relation")
                yield self.exclusion(record, "recusal_conflict",
                                     f"申报与 {self.name(conflict.get('institution'))}有利益关系（{relation}）",
                                     "recusal_relative" if relation in RELATIVE_RELATIONS else "recusal_conflict")

    def _within_two_years(self, to: Any) -> bool:
        try:
            year, month = parse_month(to)
        except ValueError:
            return True  # an unreadable end month is reported by the schema; recusing is the safe side
        start = self.request.activity_start
        return (start.year * 12 + start.month) - (year * 12 + month) <= self._window()

    def _window(self) -> int:
        """The preset's recusal window in months (policies/<preset>.yaml → draw.recusal_months)."""
        return self.rules.preset.draw.recusal_months if self.rules is not None else 0


def _maybe_date(value: Any) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None
