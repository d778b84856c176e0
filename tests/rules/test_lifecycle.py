"""Terms, renewals, automatic exits and the reason codes of status changes."""

from __future__ import annotations

from datetime import date

import pytest
from rulekit import GY, JN, XZ, Built, Maker, expert, only, supervisor, with_policy

from roster.check.integrity import check_integrity
from roster.core.findings import Finding

E = "experts/E0001.yaml"
TERM = {"start": "2023-03-01", "end": "2026-02-28"}


# --- term.length -----------------------------------------------------------------------------------


def test_three_year_term_ends_the_day_before_the_anniversary(make: Maker) -> None:
    assert make(expert()).findings("2026-03-15", "term.length") == []


def test_a_term_one_day_too_long(make: Maker) -> None:
    built = make(expert(term={"start": "2026-03-01", "end": "2029-03-01"}))
    finding = only(built.findings("2026-03-15", "term.length"))
    assert (finding.citation, finding.line) == (f"{XZ}第二十九条", built.line(E, "end: '2029-03-01'"))
    assert finding.message == ("聘期自 2026-03-01 起至 2029-03-01 止：聘期为 3 年，应至 2029-02-28 止（开始日加 3 年减 1 天）")


def test_an_active_expert_needs_a_term(make: Maker) -> None:
    finding = only(make(expert(term=None)).findings("2026-03-15", "term.length"))
    assert "没有写本届聘期（term）" in finding.message


def test_supervisor_terms_are_two_years(make: Maker) -> None:
    assert make(supervisor()).findings("2026-03-15") == []
    finding = only(make(supervisor(term={"start": "2026-03-01", "end": "2029-02-28"})).findings("2026-03-15"))
    assert (finding.rule, finding.citation) == ("term.length", f"{JN}第十条")
    assert "应至 2028-02-29 止" in finding.message


# --- term.renewal ----------------------------------------------------------------------------------


def test_a_renewal_starts_after_the_previous_term(make: Maker) -> None:
    renewed = expert(past_terms=[TERM])
    assert make(renewed).findings("2026-03-15") == []
    overlapping = expert(past_terms=[{"start": "2023-03-02", "end": "2026-03-01"}])
    finding = only(make(overlapping).findings("2026-03-15", "term.renewal"))
    assert finding.citation == f"{XZ}第二十九条"
    assert "上一届聘期（past_terms 最后一条）至 2026-03-01 才结束" in finding.message


def test_supervisor_renewal_needs_consent(make: Maker) -> None:
    previous = {"start": "2024-03-01", "end": "2026-02-28"}
    without = supervisor(past_terms=[previous])
    finding = only(make(without).findings("2026-03-15", "term.renewal"))
    assert (finding.citation, finding.severity) == (f"{JN}第十条", "error")
    assert "没有登记本人同意：续聘须征得本人同意" in finding.message
    stale = supervisor(past_terms=[previous], admission={"date": "2024-03-01", "consent": "2024-02-20"})
    assert "登记的同意日期为 2024-02-20" in only(make(stale).findings("2026-03-15", "term.renewal")).message
    given = supervisor(past_terms=[previous], admission={"date": "2026-03-01", "consent": "2026-02-15"})
    assert make(given).findings("2026-03-15") == []


# --- exit.term_ended -------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "severity"), [
    ("2026-02-28", None),       # the last day of the term
    ("2026-03-01", "warning"),  # the first day after it: within the 30-day grace period
    ("2026-03-30", "warning"),
    ("2026-03-31", "error"),    # 30 days after the exit took effect
])
def test_an_active_expert_past_the_term(make: Maker, today: str, severity: str | None) -> None:
    built = make(expert(term=TERM, admission={"route": "invited", "date": "2023-03-01", "consent": {"date": "2023-02-01"}},
                        status_history=[{"date": "2023-03-01", "status": "active"}]))
    found = built.findings(today, "exit.term_ended")
    if severity is None:
        assert found == []
        return
    finding = only(found)
    assert (finding.severity, finding.citation) == (severity, f"{XZ}第三十一条")
    assert finding.line == built.line(E, "end: '2026-02-28'")
    assert finding.message.startswith(
        "聘期已于 2026-02-28 届满，没有续聘，状态仍为 active（在库）：自 2026-03-01 起应自动变更为 expired（期满退出），"
        "在 status_history 末尾追加一条（原因代码 term_ended）（可运行 roster status --apply 写入）")
    assert ("（本系统规则：宽限期 30 天，2026-03-31 起为错误）" in finding.message) == (severity == "warning")


def test_an_expired_expert_is_not_flagged(make: Maker) -> None:
    done = expert(term=TERM, status="expired",
                  status_history=[{"date": "2023-03-01", "status": "active"},
                                  {"date": "2026-03-01", "status": "expired", "reason": "term_ended"}])
    assert make(done).findings("2026-06-01") == []


# --- exit.age --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("today", "severity"), [
    ("2027-02-28", None),       # 60 周岁 11 months
    ("2027-03-01", "warning"),  # 61 周岁 from the first day of the birth month
    ("2027-03-31", "error"),
])
def test_ageing_out(make: Maker, today: str, severity: str | None) -> None:
    built = make(expert(birth="1966-03"))
    found = built.findings(today, "exit.age")
    if severity is None:
        assert found == []
        return
    finding = only(found)
    assert (finding.severity, finding.citation, finding.line) == (severity, f"{XZ}第三十一条", built.line(E, "birth:"))
    assert finding.message.startswith("出生年月 1966-03，自 2027-03-01 起年龄超过 60 周岁，状态仍为 active（在库）："
                                      "应自动变更为 expired（期满退出）")


def test_ageing_out_with_an_exception_uses_the_raised_limit(make: Maker) -> None:
    exception = {"rule": "admission.age", "reason": "稀缺专业", "approved": "2026-02-20", "reference": "纪要〔2026〕2号"}
    built = make(expert(birth="1962-05", exceptions=[exception]))
    assert built.findings("2028-04-30", "exit.age") == []
    assert "自 2028-05-01 起年龄超过 65 周岁" in only(built.findings("2028-05-01", "exit.age")).message


def test_guiyang_age_limit_needs_a_removal_decision(make: Maker) -> None:
    settings = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                           {"rule": "admission.route", "reason": "测试"}])
    finding = only(make(expert(birth="1960-05"), settings=settings).findings("2026-06-01", "exit.age"))
    assert finding.citation == f"{GY}第六条（四）、第九条（九）"
    assert "应经本局决定后变更为 removed（移出），在 status_history 末尾追加一条（原因代码 not_eligible）" in finding.message


# --- removal.reason, exit.reason -------------------------------------------------------------------

def removed(reason: str | None) -> dict[str, object]:
    entry = {"date": "2026-03-10", "status": "removed", **({"reason": reason} if reason else {})}
    return expert(status="removed", status_history=[{"date": "2026-03-01", "status": "active"}, entry])


def test_removal_with_a_reason_from_the_preset(make: Maker) -> None:
    assert make(removed("three_bad_records")).findings("2026-03-15") == []


def test_removal_without_a_reason(make: Maker) -> None:
    built = make(removed(None))
    finding = only(built.findings("2026-03-15", "removal.reason"))
    assert (finding.citation, finding.line) == (f"{XZ}第二十八条", built.line(E, "  status: removed"))
    assert finding.message.startswith("状态记录第 2 条（2026-03-10）为移出，没有写原因代码（reason）：移出须写明依据的情形，"
                                      "可用代码：leaked_secrets、dismissed_by_employer")


def test_removal_with_an_unknown_reason(make: Maker) -> None:
    finding = only(make(removed("absence_twice")).findings("2026-03-15", "removal.reason"))
    assert "移出原因代码“absence_twice”不在政策预设 xz-2023 中" in finding.message


def test_withdrawal_reason_codes(make: Maker) -> None:
    def withdrawn(reason: str) -> dict[str, object]:
        return expert(status="withdrawn", status_history=[
            {"date": "2026-03-01", "status": "active"},
            {"date": "2026-03-10", "status": "withdrawn", "reason": reason}])
    assert make(withdrawn("own_request")).findings("2026-03-15") == []
    finding = only(make(withdrawn("term_ended")).findings("2026-03-15"))
    assert (finding.rule, finding.citation) == ("exit.reason", f"{XZ}第三十条、第三十一条")
    assert finding.message == "状态记录第 2 条为主动退出，原因代码“term_ended”不是主动退出的原因：可用代码：own_request"


def test_a_suspended_expert_past_the_term_exits_automatically(make: Maker) -> None:
    suspended = expert(term=TERM, status="suspended",
                       admission={"route": "invited", "date": "2023-03-01", "consent": {"date": "2023-02-01"}},
                       status_history=[{"date": "2023-03-01", "status": "active"},
                                       {"date": "2025-09-01", "status": "suspended"}])
    finding = only(make(suspended).findings("2026-03-15", "exit.term_ended"))
    # lifecycle.yaml allows suspended → expired: a term can end during a suspension
    assert finding.message.startswith(
        "聘期已于 2026-02-28 届满，没有续聘，状态仍为 suspended（暂停）：自 2026-03-01 起应自动变更为 expired（期满退出），"
        "在 status_history 末尾追加一条（原因代码 term_ended）")


# --- removal is final only where the preset's document says so ------------------------------------

REMOVED_THEN_BACK = [{"date": "2026-03-01", "status": "active"},
                     {"date": "2026-05-01", "status": "removed", "reason": "unfit"},
                     {"date": "2026-09-01", "status": "candidate"}]


def _transitions(built: Built) -> list[Finding]:
    return [f for f in check_integrity(built.registry) if f.rule == "lifecycle.transition"]


def test_xz_removal_is_final(make: Maker) -> None:
    """XZ 第二十八条: 被移出专家库的，不得重新申报入库."""
    finding = only(_transitions(make(expert(status="candidate", status_history=REMOVED_THEN_BACK))))
    assert finding.citation == f"{XZ}第二十八条：被移出专家库的，不得重新申报入库。"
    assert "移出是终局状态" in finding.message


def test_gy_and_jn_removal_is_not_final(make: Maker) -> None:
    """GY 第九条 and JN 第十一条 set no bar on coming back (GY even lists 本人自愿申请退库 as a 移除 ground)."""
    gy = with_policy("experts", "gy-2022")
    history = [dict(h, reason="dishonest") if h["status"] == "removed" else h for h in REMOVED_THEN_BACK]
    assert _transitions(make(expert(status="candidate", status_history=history), settings=gy)) == []
    history = [dict(h, reason="unfit") if h["status"] == "removed" else h for h in REMOVED_THEN_BACK]
    assert _transitions(make(supervisor(status="candidate", status_history=history))) == []
    # but never straight to an exit status
    wrong = [*history[:2], {"date": "2026-09-01", "status": "withdrawn"}]
    finding = only(_transitions(make(supervisor(status="withdrawn", status_history=wrong))))
    assert finding.citation is None and "removed（移出）之后只能变为 candidate（候选）、active（在库）" in finding.message


# --- rejection.reason: 不予入库 is its own outcome --------------------------------------------------

CANDIDATE_REJECTED = [{"date": "2026-02-01", "status": "candidate"}, {"date": "2026-02-20", "status": "rejected"}]


def _rejected(reason: str | None) -> dict[str, object]:
    history = [dict(h) for h in CANDIDATE_REJECTED]
    if reason:
        history[1]["reason"] = reason
    return expert(status="rejected", status_history=history, term=None,
                  admission={"route": "open_call", "date": "2026-02-01"})


def test_a_rejected_candidate_needs_a_rejection_reason(make: Maker) -> None:
    assert make(_rejected("objection_upheld")).findings("2026-03-15") == []
    finding = only(make(_rejected(None)).findings("2026-03-15", "rejection.reason"))
    assert finding.citation == f"{XZ}第七条、第九条（三）"
    assert finding.message.startswith("状态记录第 2 条（2026-02-20）为不予入库，没有写原因代码（reason）")
    wrong = only(make(_rejected("own_request")).findings("2026-03-15", "rejection.reason"))
    assert "原因代码“own_request”不在政策预设 xz-2023 中：可用代码：review_failed、objection_upheld、not_eligible" in wrong.message


def test_gy_rejection_cites_guiyang(make: Maker) -> None:
    finding = only(make(_rejected("not_eligible"), settings=with_policy("experts", "gy-2022")).findings("2026-03-15",
                                                                                                     "rejection.reason"))
    assert finding.citation == f"{GY}第七条、第八条" and "review_failed、objection_upheld" in finding.message


# --- renewals: the window, the decision entry, and one term in force for validate and status ----------

RENEWED = [{"date": "2023-03-01", "status": "active"},
           {"date": "2025-12-01", "status": "active", "reason": "renewed", "citation": "《西藏专家库管理办法》第二十九条",
            "application": {"date": "2025-08-20"}}]


def _renewed(decided: str, **changes: object) -> dict[str, object]:
    history = [dict(RENEWED[0]), dict(RENEWED[1], date=decided, application={"date": decided})]
    data = dict(past_terms=[TERM], term={"start": "2026-03-01", "end": "2029-02-28"}, status_history=history,
                admission={"route": "invited", "date": "2023-03-01", "consent": {"date": "2023-02-01"}})
    data.update(changes)
    return expert(**data)


def test_a_renewal_decision_is_an_entry_of_its_own(make: Maker) -> None:
    """active → active with reason renewed records the decision (XZ 第二十九条), not a change of status."""
    built = make(_renewed("2025-12-01"))
    assert built.findings("2026-03-15") == []
    assert _transitions(built) == []


def test_a_renewal_years_early_is_an_error(make: Maker) -> None:
    """The window opens 180 days before the term ends (2026-02-28 → 2025-09-01)."""
    assert make(_renewed("2025-09-01")).findings("2026-03-15", "term.renewal") == []
    finding = only(make(_renewed("2024-03-01")).findings("2026-03-15", "term.renewal"))
    assert finding.citation == f"{XZ}第二十九条"
    assert finding.message == ("续聘于 2024-03-01 决定，早于上一届聘期结束（2026-02-28）前 180 天（2025-09-01）："
                               "在库期满再申请续聘，不得提前办理")


def test_validate_and_status_judge_the_same_term(make: Maker) -> None:
    """Between a past term and a later renewed one nobody is in term: validate (term in force) and
    `roster status` (as_of_view) now both say so; validate used to judge the future term and say nothing."""
    from roster.rules.base import Context, Indexes
    from roster.rules.policy import resolve_policy
    from roster.staff.status import _roster_report

    built = make(_renewed("2025-12-01", term={"start": "2026-06-01", "end": "2029-05-31"}))
    finding = only(built.findings("2026-03-15", "exit.term_ended"))
    assert finding.message.startswith("聘期已于 2026-02-28 届满")
    policy, _ = resolve_policy(built.registry, "experts")
    assert policy is not None
    ctx = Context(date(2026, 3, 15), policy, built.registry.settings, Indexes.build(built.registry))
    report = _roster_report(policy, ctx, [r for r in built.registry.records if r.kind == "expert"])
    assert [(i.kind, i.when.isoformat()) for i in report.items] == [("term_ended", "2026-03-01")]


def test_a_renewal_records_the_application_it_rests_on(make: Maker) -> None:
    """XZ 第二十九条: 专家在库期满需再次向自治区医保主管部门申请 — without an application, a warning."""
    without = _renewed("2025-12-01")
    without["status_history"][1].pop("application")  # type: ignore[index]
    finding = only(make(without).findings("2026-03-15", "term.renewal"))
    assert (finding.severity, finding.citation) == ("warning", f"{XZ}第二十九条")
    assert finding.message == "状态记录第 2 条是续聘，没有登记本人申请：请在 application 中写明申请日期（和材料编号）"
    late = _renewed("2025-12-01")
    late["status_history"][1]["application"] = {"date": "2025-12-05"}  # type: ignore[index]
    assert only(make(late).findings("2026-03-15", "term.renewal")).message == "续聘申请日期 2025-12-05 晚于续聘决定日期 2025-12-01"
