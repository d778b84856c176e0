"""Social supervisors under the Jinning rules: route, pledge, certificate, claimed institutions."""

from __future__ import annotations

from rulekit import JN, Maker, only, supervisor

S = "supervisors/S0001.yaml"
TODAY = "2026-03-15"


def test_the_base_supervisor_passes(make: Maker) -> None:
    assert make(supervisor()).findings(TODAY) == []


def test_invited_supervisor_needs_the_recommending_body(make: Maker) -> None:
    built = make(supervisor(route="invited"))
    finding = only(built.findings(TODAY))
    assert (finding.rule, finding.citation, finding.line) == ("supervisor.route", f"{JN}第五条", built.line(S, "route:"))
    assert finding.message == "聘用方式为 invited（特邀聘任），没有写推荐单位：请在 recommended_by 中写明推荐的部门或单位"
    assert make(supervisor(route="invited", recommended_by="区政协")).findings(TODAY) == []


def test_direct_appointment_is_for_insurer_staff(make: Maker) -> None:
    assert make(supervisor(route="direct", recommended_by="I0003", employer="I0003")).findings(TODAY) == []
    built = make(supervisor(route="direct", recommended_by="I0003", employer="I0001"))
    finding = only(built.findings(TODAY))
    assert finding.line == built.line(S, "employer:")
    assert "类型为 hospital（医院）：直接聘用只适用于合作保险公司的医保审核人员（insurer（保险机构））" in finding.message


def test_pledge_is_required(make: Maker) -> None:
    finding = only(make(supervisor(pledge=None)).findings(TODAY))
    assert (finding.rule, finding.citation) == ("supervisor.pledge", f"{JN}第四条")


def test_certificate_is_required_while_serving(make: Maker) -> None:
    finding = only(make(supervisor(certificate_no=None)).findings(TODAY))
    assert (finding.rule, finding.citation) == ("supervisor.certificate", f"{JN}第六条（四）")
    assert "没有登记《社会监督员证》编号" in finding.message


def test_claims_need_one_pharmacy_and_one_medical_institution(make: Maker) -> None:
    built = make(supervisor(claims=["I0001"]))
    finding = only(built.findings(TODAY))
    assert (finding.rule, finding.citation, finding.line) == ("supervisor.claims", f"{JN}第十二条（五）",
                                                              built.line(S, "claims:"))
    assert finding.message == "2026 年认领的定点医药机构：定点零售药店 0 家、定点医疗机构 1 家：须至少认领 1 家定点零售药店"


def test_a_claim_must_be_designated_in_the_current_year(make: Maker) -> None:
    built = make(supervisor(claims=["I0001", "I0004"]))
    found = built.findings(TODAY)
    assert [f.rule for f in found] == ["supervisor.claims", "supervisor.claims"]
    assert "认领的 I0004（测试市老城药店）在 2026 年不是定点医药机构" in found[1].message
    # I0004's agreement ran until 2024-12-31: in 2024 it still counted
    assert make(supervisor(claims=["I0001", "I0004"])).findings("2024-06-01", "supervisor.claims") == []
    assert make(supervisor(claims=["I0001", "I0003"])).findings(TODAY, "supervisor.claims")  # an insurer is not designated


# --- supervisor.annual_meeting: JN 第十二条（四） -----------------------------------------------------

def _meeting(day: str) -> dict[str, dict[str, object]]:
    return {"conduct/C2026-001.yaml": {"id": "C2026-001", "person": "S0001", "kind": "meeting", "date": day,
                                       "description": "出席全体社会监督员座谈会"}}


def test_no_meeting_this_year_is_a_warning_from_october(make: Maker) -> None:
    assert make(supervisor()).findings("2026-09-30", "supervisor.annual_meeting") == []
    finding = only(make(supervisor()).findings("2026-10-01", "supervisor.annual_meeting"))
    assert (finding.severity, finding.citation) == ("warning", f"{JN}第十二条（四）")
    assert finding.message.startswith("2026 年还没有全体社会监督员座谈会的记录：每年至少召开一次")
    assert make(supervisor(), extra=_meeting("2026-06-18")).findings("2026-10-01", "supervisor.annual_meeting") == []
    assert len(make(supervisor(), extra=_meeting("2025-06-18")).findings("2026-10-01", "supervisor.annual_meeting")) == 1


# --- supervisor.feedback_handled: the ledger of JN 第七条、第十二条（一）（二） -------------------------------

def _lead(**extra: object) -> dict[str, dict[str, object]]:
    return {"conduct/C2026-002.yaml": {"id": "C2026-002", "person": "S0001", "kind": "lead", "date": "2026-03-01",
                                       "description": "反映某药店串换药品的线索", **extra}}


def test_an_unhandled_lead_is_a_warning_after_thirty_days(make: Maker) -> None:
    assert make(supervisor(), extra=_lead()).findings("2026-03-31", "supervisor.feedback_handled") == []
    finding = only(make(supervisor(), extra=_lead()).findings("2026-04-01", "supervisor.feedback_handled"))
    assert (finding.severity, finding.citation, finding.path) == ("warning", f"{JN}第十二条（一）（二）", "conduct/C2026-002.yaml")
    assert finding.message.startswith("反馈线索（S0001（李华），2026-03-01 登记）已超过 30 天，还没有办理情况")
    handled = _lead(handled={"date": "2026-03-20", "result": "已转稽核科核查"})
    assert make(supervisor(), extra=handled).findings("2026-06-01", "supervisor.feedback_handled") == []
