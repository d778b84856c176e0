"""One person, one record: the same person entered twice in a roster (identity.duplicate).

The same keyed fingerprint (person_key) on two records of one roster is an error. Without keys on
both sides, the same name, gender and birth month is a warning for staff to check. `duplicates_of`
answers the same question for a record not yet written (roster new / import).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..check.registry import Record
from ..core.findings import Finding
from .base import Context, Person, Rule

# a removed person's new record is admission.no_return's to report, where the preset has it
NO_RETURN_RULE = "admission.no_return"


def fingerprint(data: Mapping[str, Any]) -> tuple[str, str, str] | None:
    name, gender, birth = data.get("name"), data.get("gender"), data.get("birth")
    if not (isinstance(name, str) and isinstance(gender, str) and isinstance(birth, str)):
        return None
    return name.strip(), gender, birth


def same_person(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """“key” when both carry the same person_key, “likely” when keys cannot tell and name, gender and
    birth month agree, else None (both keyed and different: two people who share a name)."""
    key_a, key_b = a.get("person_key"), b.get("person_key")
    if isinstance(key_a, str) and isinstance(key_b, str):
        return "key" if key_a == key_b else None
    mine = fingerprint(a)
    return "likely" if mine is not None and mine == fingerprint(b) else None


def duplicates_of(data: Mapping[str, Any], others: Iterable[Record]) -> list[tuple[Record, str]]:
    """Records of ``others`` (one roster) that are the person ``data`` describes: (record, “key”|“likely”)."""
    found = []
    for other in others:
        if other.data.get("id") == data.get("id"):
            continue
        match = same_person(data, other.data)
        if match:
            found.append((other, match))
    return found


def duplicate(people: Sequence[Person], rule: Rule, ctx: Context) -> Iterator[Finding]:
    skip_removed = ctx.policy.is_enabled(NO_RETURN_RULE)
    by_key: defaultdict[str, list[Person]] = defaultdict(list)
    by_print: defaultdict[tuple[str, str, str], list[Person]] = defaultdict(list)
    for p in people:
        if skip_removed and p.status == "removed":
            continue
        key = p.data.get("person_key")
        if isinstance(key, str):
            by_key[key].append(p)
        mark = fingerprint(p.data)
        if mark is not None:
            by_print[mark].append(p)
    fallback = rule.params.get("fallback_severity", "warning")
    for group in by_key.values():
        for later in group[1:]:
            yield rule.finding(later, ("person_key",),
                               f"身份指纹与 {group[0].label()}（{group[0].record.display}）相同：同一人只能有一份记录，"
                               f"请在原记录上办理（续聘、再次申请），并把本记录的内容并入原记录")
    if fallback == "info":
        return
    for group in by_print.values():
        for n, later in enumerate(group[1:], start=1):
            earlier = next((e for e in group[:n] if same_person(e.data, later.data) == "likely"), None)
            if earlier is None:
                continue
            yield rule.finding(later, ("name",),
                               f"姓名、性别、出生年月与 {earlier.label()}（{earlier.record.display}）相同，且没有可比对的身份指纹："
                               f"如为同一人，只能保留一份记录；请核实，并为两条记录补登 person_key",
                               severity="warning" if fallback == "warning" else "error")
