"""Run every enabled rule of each roster's policy over the registry, once per record."""

from __future__ import annotations

from collections.abc import Container, Iterator
from datetime import date

from ..check.registry import Registry
from ..core.findings import Finding
from . import admission, conduct, identity, lifecycle, policy, supervisors
from .base import Context, Indexes, Person, RecordRule, RosterRule
from .exceptions import check_exceptions

RECORD_RULES: dict[str, RecordRule] = {
    "admission.age": admission.age,
    "admission.education": admission.education,
    "admission.work_years": admission.work_years,
    "admission.title": admission.title,
    "admission.declarations": admission.declarations,
    "admission.civil_servant": admission.civil_servant,
    "admission.category": admission.category,
    "admission.route": admission.route,
    "admission.consent": admission.consent,
    "admission.announcement": admission.announcement,
    "admission.review": admission.review,
    "admission.unit_statement": admission.unit_statement,
    "admission.appointment": admission.appointment,
    "advisory.in_pool": admission.advisory_in_pool,
    "term.length": lifecycle.length,
    "term.renewal": lifecycle.renewal,
    "exit.term_ended": lifecycle.term_ended,
    "exit.age": lifecycle.age_over,
    "removal.reason": lifecycle.removal_reason,
    "exit.reason": lifecycle.exit_reason,
    "rejection.reason": lifecycle.rejection_reason,
    "conduct.bad_records": conduct.threshold_reached,
    "conduct.absences": conduct.threshold_reached,
    "supervisor.route": supervisors.route,
    "supervisor.pledge": supervisors.pledge,
    "supervisor.certificate": supervisors.certificate,
    "supervisor.claims": supervisors.claims,
}
ROSTER_RULES: dict[str, RosterRule] = {
    "admission.no_return": admission.no_return,
    "identity.duplicate": identity.duplicate,
    "policy.validity": policy.validity,
    "supervisor.annual_meeting": supervisors.annual_meeting,
    "supervisor.feedback_handled": supervisors.feedback_handled,
}
# the fields each admission rule reads: a candidate whose `incomplete` lists one of them is not judged
# by that rule until the field is filled in (completeness itself is required by `roster admit`)
READS: dict[str, frozenset[str]] = {
    "admission.age": frozenset({"birth"}),
    "admission.education": frozenset({"education"}),
    "admission.work_years": frozenset({"work_start"}),
    "admission.title": frozenset({"title", "title.since", "category"}),
    "admission.declarations": frozenset({"declarations"}),
    "admission.civil_servant": frozenset({"civil_servant"}),
    "admission.category": frozenset({"category"}),
}
# rules that inform staff (roster status) and never produce a finding
REPORT_ONLY = frozenset({"admission.priority", "notify.recommending_unit", "notify.bad_behaviour"})
KNOWN_RULES = frozenset(RECORD_RULES) | frozenset(ROSTER_RULES) | REPORT_ONLY
ROSTERS = ("experts", "supervisors")


def check_rules(registry: Registry, today: date, *, people: Container[str] | None = None,
                roster_level: bool = True) -> Iterator[Finding]:
    """Findings of every roster's policy, as of `today` (a Beijing date).

    `people` limits the rules about one person to those whose record file is listed (None: everyone);
    `roster_level` adds the rules over a whole roster and the policy's own settings. The two parts are
    separable because a person's own findings depend only on the record, the non-person records,
    the settings and the date — which is what lets validation cache them.
    """
    indexes = Indexes.build(registry)
    for roster in ROSTERS:
        chosen, problems = policy.resolve_policy(registry, roster)
        if roster_level:
            yield from problems
        if chosen is None:
            continue
        ctx = Context(today, chosen, registry.settings, indexes)
        records = indexes.people.get(chosen.kind, [])
        checked = [Person.of(r, today) for r in records if people is None or r.file in people]
        whole_roster = [Person.of(r, today) for r in records] if roster_level and people is not None else []
        everyone = checked if people is None else whole_roster
        for person in checked:
            yield from check_exceptions(person, ctx)
        for rule in chosen.enabled():
            if rule.severity == "info" or rule.id in REPORT_ONLY:
                continue
            if rule.id in RECORD_RULES:
                check = RECORD_RULES[rule.id]
                reads = READS.get(rule.id)
                for person in checked:
                    if reads is None or "incomplete" not in person.data or not reads & awaited(person):
                        yield from check(person, rule, ctx)
            elif rule.id in ROSTER_RULES and roster_level:
                yield from ROSTER_RULES[rule.id](everyone, rule, ctx)


def awaited(person: Person) -> frozenset[str]:
    """The fields a candidate's `incomplete` lists."""
    items = person.data.get("incomplete")
    if not isinstance(items, list):
        return frozenset()
    return frozenset(str(i.get("field")) for i in items if isinstance(i, dict))
