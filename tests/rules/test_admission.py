"""Admission conditions: each rule passes a good record and fails a bad one with its id and clause."""

from __future__ import annotations

import pytest
from rulekit import ANNOUNCEMENT, GY, XZ, Maker, expert, merged, only, with_policy

from roster.core.findings import Finding
from roster.rules.admission import is_priority
from roster.rules.policy import resolve_policy

TODAY = "2026-03-15"

# the qualification review (XZ 第九条（三）) and the unit's statement (XZ 附件1 备注3) of an open-call applicant
PAPERS = {"review": {"date": "2026-01-20", "result": "passed"}, "unit_statement": {"date": "2026-01-05", "bad_records": False}}
E = "experts/E0001.yaml"


def test_the_base_expert_passes_every_rule(make: Maker) -> None:
    assert make(expert()).findings(TODAY) == []


# --- admission.age ---------------------------------------------------------------------------------


@pytest.mark.parametrize("birth", ["1966-03", "1965-04"])
def test_age_exactly_60_years_0_months_and_60_years_11_months_pass(make: Maker, birth: str) -> None:
    # term starts 2026-03-01: born 1966-03 is 60 周岁 0 months, 1965-04 is 60 周岁 11 months — both “不超过60周岁”
    assert make(expert(birth=birth)).findings(TODAY, "admission.age") == []


def test_age_61_needs_an_exception(make: Maker) -> None:
    built = make(expert(birth="1965-03"))
    finding = only(built.findings(TODAY, "admission.age"))
    assert finding.severity == "error"
    assert finding.citation == f"{XZ}第六条 基本条件（四）"
    assert (finding.path, finding.line, finding.record) == (E, built.line(E, "birth:"), "E0001")
    assert finding.message == (
        "聘期开始日 2026-03-01，年龄为 61 周岁（61 年 0 个月，出生年月 1965-03 按当月1日计），超过 60 周岁："
        "须有经批准的例外（在 exceptions 中登记 rule: admission.age、理由、批准日期和批准文号），且不得超过 65 周岁")


EXCEPTION = {"rule": "admission.age", "reason": "本地稀缺专业，经局务会研究同意放宽", "approved": "2026-02-20",
             "reference": "测医保局务会纪要〔2026〕2号"}


def test_age_61_with_an_approved_exception_passes(make: Maker) -> None:
    assert make(expert(birth="1965-03", exceptions=[EXCEPTION])).findings(TODAY) == []


def test_age_exception_approved_after_the_term_start_fails(make: Maker) -> None:
    late = {**EXCEPTION, "approved": "2026-03-05"}
    built = make(expert(birth="1965-03", exceptions=[late]))
    finding = only(built.findings(TODAY, "admission.age"))
    assert finding.line == built.line(E, "approved: '2026-03-05'")
    assert "年龄例外的批准日期 2026-03-05 晚于聘期开始日 2026-03-01" in finding.message


def test_age_above_the_hard_limit_fails_even_with_an_exception(make: Maker) -> None:
    finding = only(make(expert(birth="1960-02", exceptions=[EXCEPTION])).findings(TODAY, "admission.age"))
    assert "66 周岁" in finding.message and "超过 65 周岁：不得入库或续聘（特殊情况经批准也最多放宽至 65 周岁）" in finding.message


def test_age_under_guiyang_is_65(make: Maker) -> None:
    settings = with_policy("experts", "gy-2022")
    gy_ok = {"route": "open_call", "date": "2026-03-01", "announcement": "A2026-001", "notice": {"date": "2026-02-20"},
             "certificate": {"number": "聘1", "date": "2026-03-01"}}
    extra = {"announcements/2026/A2026-001.yaml": ANNOUNCEMENT}
    assert make(expert(birth="1961-03", admission=gy_ok), settings=settings, extra=extra).findings(TODAY) == []
    finding = only(make(expert(birth="1960-03", admission=gy_ok), settings=settings, extra=extra)
                   .findings(TODAY, "admission.age"))
    assert finding.citation == f"{GY}第六条（四）"
    assert finding.message.endswith("超过 65 周岁：不得入库或续聘")


def test_age_of_a_candidate_is_taken_on_the_day_of_the_check(make: Maker) -> None:
    candidate = expert(birth="1965-03", term=None, admission={"route": "invited"}, status="candidate",
                       status_history=[{"date": "2026-03-01", "status": "candidate"}])
    assert "校验日 2026-03-15，年龄为 61 周岁" in only(make(candidate).findings(TODAY, "admission.age")).message
    assert make(candidate).findings("2026-02-28", "admission.age") == []


def test_an_override_raises_the_age_limit(make: Maker) -> None:
    settings = with_policy("experts", "xz-2023", overrides={"admission.age": {"max_age": 61}})
    assert make(expert(birth="1965-03"), settings=settings).findings(TODAY, "admission.age") == []


# --- admission.education ---------------------------------------------------------------------------


def test_education_below_college_fails(make: Maker) -> None:
    built = make(expert(education={"level": "none"}))
    finding = only(built.findings(TODAY, "admission.education"))
    assert finding.citation == f"{XZ}第六条 基本条件（二）、专业条件（一）"
    assert finding.line == built.line(E, "level: none")
    assert finding.message.startswith("学历为 none（中专及以下）：须具有大专以上学历；经自治区卫健委批准的藏医名老专家不受此限")


def test_education_exemption_for_tibetan_medicine_masters(make: Maker) -> None:
    master = {"approved": True, "reference": "藏卫发〔2020〕1号"}
    assert make(expert(education={"level": "none"}, tibetan_medicine_master=master)).findings(TODAY) == []
    unapproved = {"approved": False, "reference": "藏卫发〔2020〕1号"}
    assert make(expert(education={"level": "none"}, tibetan_medicine_master=unapproved)).findings(
        TODAY, "admission.education")


def test_college_is_enough(make: Maker) -> None:
    assert make(expert(education={"level": "college"})).findings(TODAY) == []


# --- admission.work_years --------------------------------------------------------------------------


def test_five_years_of_work_to_the_month(make: Maker) -> None:
    assert make(expert(work_start="2021-03")).findings(TODAY, "admission.work_years") == []
    finding = only(make(expert(work_start="2021-04")).findings(TODAY, "admission.work_years"))
    assert finding.citation == f"{XZ}第六条 专业条件（二）"
    assert finding.message == ("自参加工作（2021-04）至聘期开始日 2026-03-01 共 4 年 11 个月，不满 5 年："
                               "须工作满 5 年（60 个月）")


# --- admission.title -------------------------------------------------------------------------------


def test_intermediate_title_for_exactly_five_years_passes(make: Maker) -> None:
    title = {"name": "主治医师", "level": "intermediate", "since": "2021-03"}
    assert make(expert(title=title)).findings(TODAY, "admission.title") == []


def test_intermediate_title_one_month_short_fails(make: Maker) -> None:
    built = make(expert(title={"name": "主治医师", "level": "intermediate", "since": "2021-04"}))
    finding = only(built.findings(TODAY, "admission.title"))
    assert finding.citation == f"{XZ}第六条 专业条件（三）"
    assert finding.line == built.line(E, "since: 2021-04")
    assert finding.message == ("医药类专家取得中级职称（2021-04）至聘期开始日 2026-03-01 共 4 年 11 个月，"
                               "不满 5 年：须具有副高级以上职称，或取得中级职称满 5 年（60 个月）")


def test_junior_title_fails_and_policy_experts_are_exempt(make: Maker) -> None:
    junior = {"name": "医师", "level": "junior", "since": "2020-01"}
    assert "junior（初级）：须具有副高级以上职称" in only(make(expert(title=junior)).findings(TODAY, "admission.title")).message
    assert make(expert(title=junior, category="policy")).findings(TODAY, "admission.title") == []


def test_intermediate_title_without_a_date_fails(make: Maker) -> None:
    finding = only(make(expert(title={"level": "intermediate"})).findings(TODAY, "admission.title"))
    assert "没有写取得年月（title.since）" in finding.message


def test_guiyang_needs_intermediate_for_every_category(make: Maker) -> None:
    settings = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                           {"rule": "admission.route", "reason": "测试"}])
    junior = {"level": "junior", "since": "2020-01"}
    finding = only(make(expert(title=junior, category="policy"), settings=settings).findings(TODAY, "admission.title"))
    assert finding.citation == f"{GY}第六条（二）"
    assert finding.message.endswith("须具有中级以上职称")
    fresh = {"level": "intermediate", "since": "2025-12"}
    assert make(expert(title=fresh), settings=settings).findings(TODAY) == []


# --- admission.declarations, civil_servant, category -----------------------------------------------


GY_SETTINGS = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                          {"rule": "admission.route", "reason": "测试"}])


def declared(*items: str, **changes: dict[str, object]) -> dict[str, dict[str, object]]:
    """Declaration items as staff record them (each its own confirmed, source, date), with changes."""
    base = {code: {"confirmed": True, "source": "pledge", "date": "2026-02-01"} for code in items}
    return {code: {**base.get(code, {}), **change} for code, change in changes.items()} | \
        {code: value for code, value in base.items() if code not in changes}


XZ_ITEMS = ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified")
GY_ITEMS = ("healthy", "no_violation", "no_credit_record")


def test_xz_items_from_the_form_and_the_review_pass(make: Maker) -> None:
    """附件1 诚信声明 carries health (第1项) and no criminal record (第2项); the other two come from the review."""
    items = declared(*XZ_ITEMS, healthy={"source": "form"}, no_criminal_record={"source": "form"},
                     no_admin_penalty={"source": "review"}, never_disqualified={"source": "review"})
    assert make(expert(declarations=items)).findings(TODAY) == []


def test_xz_item_false_cites_its_own_clause(make: Maker) -> None:
    built = make(expert(declarations=declared(*XZ_ITEMS, no_admin_penalty={"confirmed": False})))
    finding = only(built.findings(TODAY, "admission.declarations"))
    assert finding.citation == f"{XZ}第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分"
    assert finding.line == built.line(E, "no_admin_penalty:")  # the item (roster new asks it again)
    assert finding.message == (
        "承诺事项“未受过行政处罚或处分”（declarations.no_admin_penalty）为 false（本人未承诺或经核实不属实）："
        "不符合此项的不得入库。核实属实的改为 confirmed: true 并写明来源和日期；确不属实的候选人用 roster reject 不予入库")


def test_xz_item_missing_cites_its_own_clause_and_says_where_it_comes_from(make: Maker) -> None:
    items = {k: v for k, v in declared(*XZ_ITEMS).items() if k != "never_disqualified"}
    built = make(expert(declarations=items))
    finding = only(built.findings(TODAY))
    assert (finding.rule, finding.citation) == ("admission.declarations", f"{XZ}第七条（三）：曾被取消评审专家资格的")
    assert finding.line == built.line(E, "declarations:")
    assert finding.message == (
        "承诺事项“未曾被取消评审专家资格”（declarations.never_disqualified）没有记录：入库须逐项记录此项属实"
        "（见附件1 申请表“诚信声明”不载此项：本人另行签署的书面承诺，或资格审查（第九条（三））中的核实）。"
        "请写明 confirmed: true、source: pledge（另行书面承诺）或 review（资格审查核实）、date: 签署或核实的日期")


def test_xz_item_the_form_does_not_carry_cannot_come_from_the_form(make: Maker) -> None:
    """The old way set every item true from the form's date: the form has no admin-penalty line."""
    built = make(expert(declarations=declared(*XZ_ITEMS, no_admin_penalty={"source": "form"})))
    finding = only(built.findings(TODAY))
    assert finding.citation == f"{XZ}第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分"
    assert finding.line == built.line(E, "no_admin_penalty:")
    assert finding.message == (
        "承诺事项“未受过行政处罚或处分”（declarations.no_admin_penalty）的来源写的是 form（申请表），"
        "但附件1 申请表“诚信声明”不载此项：请按实际材料改为 pledge（另行书面承诺）或 review（资格审查核实），"
        "还没有这份材料的，先取得再记录")


def test_gy_items_pass(make: Maker) -> None:
    assert make(expert(declarations=declared(*GY_ITEMS)), settings=GY_SETTINGS).findings(TODAY) == []


def test_guiyang_requires_the_credit_declaration(make: Maker) -> None:
    built = make(expert(declarations=declared("healthy", "no_violation")), settings=GY_SETTINGS)
    finding = only(built.findings(TODAY))
    assert (finding.rule, finding.citation) == (
        "admission.declarations", f"{GY}第六条（六）：无……医保信用体系评价不良记录")
    assert finding.message == (
        "承诺事项“无医保信用体系评价不良记录”（declarations.no_credit_record）没有记录：入库须逐项记录此项属实"
        "（见本人签署的书面承诺，或市医保局审核（第六条（五）））。"
        "请写明 confirmed: true、source: pledge（另行书面承诺）或 review（市医保局审核）、date: 签署或核实的日期")


def test_guiyang_has_no_form_to_take_an_item_from(make: Maker) -> None:
    built = make(expert(declarations=declared(*GY_ITEMS, healthy={"source": "form"})), settings=GY_SETTINGS)
    finding = only(built.findings(TODAY))
    assert finding.citation == f"{GY}第六条（四）：身体健康，能够承担专家工作"
    assert finding.message == (
        "承诺事项“身体健康，能胜任专家工作”（declarations.healthy）的来源写的是 form（申请表），"
        "但《贵阳专家库管理规定》没有附申请表：请按实际材料改为 pledge（另行书面承诺）或 review（市医保局审核），"
        "还没有这份材料的，先取得再记录")


def test_an_item_awaited_in_incomplete_is_judged_once_filled(make: Maker) -> None:
    items = {k: v for k, v in declared(*XZ_ITEMS).items() if k != "no_admin_penalty"}
    waiting = [{"field": "declarations.no_admin_penalty", "source": "资格审查"}]
    candidate = expert(declarations=items, incomplete=waiting, status="candidate",
                       status_history=[{"date": "2026-02-01", "status": "candidate", "reason": "applied"}],
                       term=None, admission={"route": "invited", "consent": {"date": "2026-02-01"}})
    assert make(candidate).findings(TODAY, "admission.declarations") == []


def test_civil_servants_only_under_guiyang(make: Maker) -> None:
    settings = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                           {"rule": "admission.route", "reason": "测试"}])
    assert make(expert(civil_servant=False), settings=settings).findings(TODAY) == []
    finding = only(make(expert(civil_servant=True), settings=settings).findings(TODAY))
    assert (finding.rule, finding.citation) == ("admission.civil_servant", f"{GY}第四条")
    assert make(expert(civil_servant=True)).findings(TODAY) == []  # XZ has no such rule


def test_category_outside_the_bureaus_list(make: Maker) -> None:
    settings = with_policy("experts", "xz-2023", overrides={"admission.category": {"categories": ["medical", "finance"]}})
    assert make(expert(), settings=settings).findings(TODAY) == []
    finding = only(make(expert(category="it", title={"level": "senior", "since": "2015-01"}), settings=settings)
                   .findings(TODAY))
    assert (finding.rule, finding.citation) == ("admission.category", f"{XZ}第十一条")
    assert finding.message == "专家类别为 it（信息技术类）：须为以下类别之一：medical（医药类）、finance（财务类）"


# --- admission.route, admission.consent ------------------------------------------------------------


def test_unit_recommendation_names_the_unit(make: Maker) -> None:
    recommended = {"route": "unit_recommended", "date": "2026-03-01", "announcement": "A2026-001", **PAPERS}
    extra = {"announcements/2026/A2026-001.yaml": ANNOUNCEMENT}
    finding = only(make(expert(admission=recommended), extra=extra).findings(TODAY))
    assert (finding.rule, finding.citation) == ("admission.route", f"{XZ}第八条")
    assert "admission.recommended_by" in finding.message
    named = {**recommended, "recommended_by": "I0001"}
    assert make(expert(admission=named), extra=extra).findings(TODAY) == []


def test_invited_experts_need_consent_before_admission(make: Maker) -> None:
    built = make(expert(admission={"route": "invited", "date": "2026-03-01"}))
    finding = only(built.findings(TODAY))
    assert (finding.rule, finding.citation) == ("admission.consent", f"{XZ}第八条（一）")
    assert finding.line == built.line(E, "route: invited")
    late = make(expert(admission={"route": "invited", "date": "2026-03-01", "consent": {"date": "2026-03-02"}}))
    assert only(late.findings(TODAY)).message == "本人同意日期 2026-03-02 晚于入库日期 2026-03-01：须先经本人同意，再入库"


# --- admission.announcement (公示) -----------------------------------------------------------------


OPEN = {"route": "open_call", "date": "2026-03-01", "announcement": "A2026-001", **PAPERS}


def with_notice(**changes: object) -> dict[str, dict[str, object]]:
    return {"announcements/2026/A2026-001.yaml": merged(ANNOUNCEMENT, changes)}


def test_open_call_with_a_passed_announcement(make: Maker) -> None:
    assert make(expert(admission=OPEN), extra=with_notice()).findings(TODAY) == []
    # the 公示 may end on the admission day itself when its result is concluded by then
    same_day = with_notice(period={"start": "2026-02-23", "end": "2026-03-01"},
                           outcome={"closed": "2026-03-01", "objections": 0, "result": "passed"})
    assert make(expert(admission=OPEN), extra=same_day).findings(TODAY) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"period": {"start": "2026-02-25", "end": "2026-03-03"}},
     "公示公告 A2026-001 的公示期至 2026-03-03 止，晚于入库日期 2026-03-01：须公示期满、经公示合格后才能正式入库"),
    ({"outcome": None}, "公示公告 A2026-001 还没有登记公示结果（outcome）"),
    ({"outcome": {"closed": "2026-02-09", "objections": 1, "upheld": ["E0001"], "result": "partial"}},
     "公示公告 A2026-001 的结果是对 E0001 的异议成立（不予通过）：不得入库"),
    ({"outcome": {"closed": "2026-03-02", "objections": 0, "result": "passed"}},
     "公示公告 A2026-001 的结果于 2026-03-02 办结，晚于入库日期 2026-03-01"),
    ({"subjects": ["E0002"]}, "公示公告 A2026-001 的公示对象（subjects）中没有 E0001"),
    ({"period": None}, "公示公告 A2026-001 没有写公示期（period）"),
])
def test_announcement_problems(make: Maker, changes: dict[str, object], expected: str) -> None:
    built = make(expert(admission=OPEN), extra=with_notice(**changes))
    finding = only(built.findings(TODAY, "admission.announcement"))
    assert finding.citation == f"{XZ}第九条（三）"
    assert finding.line == built.line(E, "announcement: A2026-001")
    assert expected in finding.message


def test_open_call_without_an_announcement(make: Maker) -> None:
    finding = only(make(expert(admission={"route": "open_call", "date": "2026-03-01", **PAPERS})).findings(TODAY))
    assert finding.rule == "admission.announcement" and "没有引用入库前的公示" in finding.message


def test_a_candidate_may_still_be_under_announcement(make: Maker) -> None:
    candidate = expert(admission={"route": "open_call", "announcement": "A2026-001"}, term=None, status="candidate",
                       status_history=[{"date": "2026-02-02", "status": "candidate"}])
    running = with_notice(period={"start": "2026-03-10", "end": "2026-03-16"}, outcome=None)
    assert make(candidate, extra=running).findings(TODAY) == []


# --- admission.no_return ---------------------------------------------------------------------------

KEY = "hmac-sha256:" + "ab" * 32
REMOVED = expert(id="E0002", status="removed", person_key=KEY,
                 status_history=[{"date": "2026-03-01", "status": "active"},
                                 {"date": "2026-03-10", "status": "removed", "reason": "bribery"}])


def test_a_removed_person_returning_under_a_new_id_fails(make: Maker) -> None:
    built = make(REMOVED, expert(person_key=KEY))
    finding = only(built.findings(TODAY, "admission.no_return"))
    assert (finding.severity, finding.record, finding.citation) == ("error", "E0001", f"{XZ}第七条（三）、第二十八条")
    assert finding.line == built.line(E, "person_key:")
    assert finding.message == ("身份指纹与已移出的 E0002（张明）（experts/E0002.yaml）相同：被移出者不得重新入库")


def test_without_keys_the_same_name_birth_and_gender_is_a_warning(make: Maker) -> None:
    built = make(merged(REMOVED, {"person_key": None}), expert())
    finding = only(built.findings(TODAY, "admission.no_return"))
    assert finding.severity == "warning" and finding.line == built.line(E, "name:")
    assert "姓名、出生年月、性别与已移出的 E0002（张明）" in finding.message


def test_two_keyed_people_sharing_a_name_are_different_people(make: Maker) -> None:
    assert make(REMOVED, expert(person_key="hmac-sha256:" + "cd" * 32)).findings(TODAY, "admission.no_return") == []


def test_a_different_person_passes(make: Maker) -> None:
    assert make(REMOVED, expert(name="王芳", gender="女")).findings(TODAY, "admission.no_return") == []


# --- exceptions on records and the priority note ----------------------------------------------------


def test_an_exception_to_a_rule_that_admits_none(make: Maker) -> None:
    wrong = {**EXCEPTION, "rule": "admission.education"}
    finding = only(make(expert(exceptions=[wrong])).findings(TODAY))
    assert (finding.rule, finding.citation) == ("rules.exception", f"{XZ}第六条 基本条件（二）、专业条件（一）")
    assert "规则 admission.education（学历）不允许例外" in finding.message


def test_an_exception_to_an_unknown_rule_or_not_yet_approved(make: Maker) -> None:
    unknown = {**EXCEPTION, "rule": "admission.height"}
    assert "不在政策预设 xz-2023 中" in only(make(expert(exceptions=[unknown])).findings(TODAY)).message
    future = {**EXCEPTION, "approved": "2026-04-01"}
    assert "只能登记已经批准的例外" in only(make(expert(exceptions=[future])).findings(TODAY, "rules.exception")).message


def test_priority_is_senior_title_or_doctorate(make: Maker) -> None:
    built = make(expert())
    policy, _ = resolve_policy(built.registry, "experts")
    assert policy is not None
    priority = policy.rules["admission.priority"]
    record = built.registry.records[-1]
    assert is_priority(record, priority)
    record.document.data["title"]["level"] = "intermediate"  # type: ignore[union-attr]
    assert not is_priority(record, priority)
    record.document.data["education"]["level"] = "doctor"  # type: ignore[union-attr]
    assert is_priority(record, priority)


# --- advisory.in_pool: XZ 第十二条 -------------------------------------------------------------------

def test_a_committee_member_who_left_the_pool_is_a_warning(make: Maker) -> None:
    assert make(expert(advisory_committee=True)).findings("2026-03-15", "advisory.in_pool") == []
    history = [{"date": "2026-03-01", "status": "active"}, {"date": "2026-03-10", "status": "withdrawn", "reason": "own_request"}]
    left = make(expert(advisory_committee=True, status="withdrawn", status_history=history))
    finding = only(left.findings("2026-03-15", "advisory.in_pool"))
    assert (finding.severity, finding.citation) == ("warning", f"{XZ}第十二条")
    assert finding.message.startswith("状态为 withdrawn（主动退出），已不在专家库，仍登记为专家咨询委员会成员")


# --- procedural records: XZ 第九条（三） review, XZ 附件1 备注3 unit statement, GY 第八条 letter and certificate --

OPEN_CALL = {"route": "open_call", "date": "2026-03-01", "announcement": "A2026-001"}
REVIEW = {"date": "2026-01-20", "result": "passed", "reference": "资审〔2026〕1号"}
STATEMENT = {"date": "2026-01-05", "bad_records": False}


def _open_call(**admission: object) -> dict[str, object]:
    return expert(admission={**OPEN_CALL, **admission})


def _notice(make: Maker, *records: dict[str, object], settings: dict[str, object] | None = None) -> list[Finding]:
    built = make(*records, settings=settings, extra={"announcements/2026/A2026-001.yaml": ANNOUNCEMENT})
    return [f for f in built.findings("2026-03-15") if f.rule in ("admission.review", "admission.unit_statement",
                                                                   "admission.appointment")]


def test_an_open_call_expert_was_reviewed_and_has_the_units_statement(make: Maker) -> None:
    assert _notice(make, _open_call(review=REVIEW, unit_statement=STATEMENT)) == []
    found = _notice(make, _open_call())
    assert [(f.rule, f.severity, f.citation) for f in found] == [
        ("admission.review", "warning", f"{XZ}第九条（三）"), ("admission.unit_statement", "warning", f"{XZ}第九条（一）（二）")]
    late = only(_notice(make, _open_call(review=dict(REVIEW, date="2026-03-02"), unit_statement=STATEMENT)))
    assert late.message == "资格审查日期 2026-03-02 晚于入库日期 2026-03-01：须先审查，后入库"
    bad = only(_notice(make, _open_call(review=REVIEW, unit_statement=dict(STATEMENT, bad_records=True))))
    assert bad.message.startswith("所在单位说明近三年内有不良行为记录")


def test_gy_records_the_letter_and_the_certificate(make: Maker) -> None:
    gy = with_policy("experts", "gy-2022")
    found = _notice(make, _open_call(), settings=gy)
    assert [(f.rule, f.citation) for f in found] == [("admission.appointment", f"{GY}第八条")] * 2
    done = _open_call(notice={"date": "2026-02-10"}, certificate={"number": "筑医保专聘〔2026〕1号", "date": "2026-02-12"})
    assert _notice(make, done, settings=gy) == []
    early = _open_call(notice={"date": "2026-02-10"}, certificate={"number": "筑医保专聘〔2026〕1号", "date": "2026-02-05"})
    assert only(_notice(make, early, settings=gy)).message == "聘书颁发日期 2026-02-05 早于公示办结日期 2026-02-09：须公示无异议后颁发"
