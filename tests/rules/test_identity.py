"""identity.duplicate: the same person entered twice in one roster."""

from __future__ import annotations

from rulekit import GY, JN, XZ, Maker, expert, only, supervisor, with_policy

from roster.check.registry import Record
from roster.rules.identity import duplicates_of

KEY = "hmac-sha256:" + "ab" * 32
OTHER_KEY = "hmac-sha256:" + "cd" * 32
SYSTEM = "本系统规则（为落实{}而定）：同一人只建一份记录"


def test_the_same_key_twice_is_an_error(make: Maker) -> None:
    built = make(expert(person_key=KEY), expert(id="E0002", name="张明明", person_key=KEY))
    finding = only(built.findings("2026-03-15", "identity.duplicate"))
    assert (finding.severity, finding.record, finding.citation) == ("error", "E0002", SYSTEM.format(f"{XZ}第五条"))
    assert finding.message.startswith("身份指纹与 E0001（张明）（experts/E0001.yaml）相同：同一人只能有一份记录")
    assert finding.line == built.line("experts/E0002.yaml", "person_key:")


def test_same_name_gender_and_birth_without_keys_is_a_warning(make: Maker) -> None:
    built = make(expert(), expert(id="E0002"))
    finding = only(built.findings("2026-03-15", "identity.duplicate"))
    assert (finding.severity, finding.record) == ("warning", "E0002")
    assert "姓名、性别、出生年月与 E0001（张明）（experts/E0001.yaml）相同，且没有可比对的身份指纹" in finding.message
    one_keyed = make(expert(person_key=KEY), expert(id="E0002"))
    assert only(one_keyed.findings("2026-03-15", "identity.duplicate")).severity == "warning"


def test_two_keyed_people_who_share_a_name_are_two_people(make: Maker) -> None:
    built = make(expert(person_key=KEY), expert(id="E0002", person_key=OTHER_KEY))
    assert built.findings("2026-03-15", "identity.duplicate") == []
    assert make(expert(), expert(id="E0002", birth="1975-07")).findings("2026-03-15", "identity.duplicate") == []


def test_each_preset_cites_its_own_record_keeping_clause(make: Maker) -> None:
    gy = make(expert(person_key=KEY), expert(id="E0002", person_key=KEY), settings=with_policy("experts", "gy-2022"))
    assert only(gy.findings("2026-03-15", "identity.duplicate")).citation == SYSTEM.format(f"{GY}第七条")
    jn = make(supervisor(person_key=KEY), supervisor(id="S0002", certificate_no="JN-2026-002", person_key=KEY))
    assert only(jn.findings("2026-03-15", "identity.duplicate")).citation == SYSTEM.format(f"{JN}第十二条（一）")


def test_a_removed_persons_new_record_is_reported_once_under_xz(make: Maker) -> None:
    """Under XZ the removed person's return is admission.no_return's finding (第二十八条), not a second one."""
    removed = expert(id="E0002", status="removed", person_key=KEY,
                     status_history=[{"date": "2026-03-01", "status": "active"},
                                     {"date": "2026-05-01", "status": "removed", "reason": "unfit"}])
    found = make(removed, expert(person_key=KEY)).findings("2026-06-15")
    assert [f.rule for f in found] == ["admission.no_return"]


def test_duplicates_of_a_record_not_yet_written(make: Maker) -> None:
    """What roster new / import call before writing a person."""
    built = make(expert(person_key=KEY), expert(id="E0002", name="李四"))
    people: list[Record] = [r for r in built.registry.records if r.kind == "expert"]
    assert [(r.id, how) for r, how in duplicates_of(expert(id="E0003", person_key=KEY), people)] == [("E0001", "key")]
    assert [(r.id, how) for r, how in duplicates_of(expert(id="E0003", name="李四"), people)] == [("E0002", "likely")]
    assert duplicates_of(expert(id="E0003", name="王五"), people) == []
