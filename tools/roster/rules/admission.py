"""Admission conditions (入库条件): who may be in the expert pool, judged at the start of the term."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from ..check.registry import Record
from ..core.findings import Finding
from ..policies.presets import label, labelled
from .base import (
    CURRENT,
    SERVING,
    Context,
    Person,
    Rule,
    approved_exception,
    as_date,
    as_month,
    choice_list,
    field_at,
    ranks,
    whole_months,
    years_months,
)
from .readmission import earlier_announcement, follows_readmission

# --- age -------------------------------------------------------------------------------------------


def age_limit(person: Person, age_rule: Rule) -> int:
    """The limit that applies to this person: the normal one, or the raised one with an approved exception."""
    normal = int(age_rule.params["max_age"])
    hard = int(age_rule.params.get("hard_max_age", normal))
    return hard if age_rule.exceptions and approved_exception(person, age_rule.id) else normal


def age(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Completed years (周岁) at the term start must not exceed the limit; above it only with an
    approved exception, and never above the hard limit."""
    if p.status not in CURRENT or p.birth is None:
        return
    months = whole_months(p.birth, p.reference)
    normal = int(rule.params["max_age"])
    hard = max(int(rule.params.get("hard_max_age", normal)), normal)
    if months is None or months // 12 <= normal:
        return
    years = months // 12
    found = f"{p.when}，年龄为 {years} 周岁（{years_months(months)}，出生年月 {p.data['birth']} 按当月1日计）"
    if not rule.exceptions or hard == normal:
        yield rule.finding(p, ("birth",), f"{found}，超过 {normal} 周岁：不得入库或续聘")
        return
    if years > hard:
        yield rule.finding(p, ("birth",),
                           f"{found}，超过 {hard} 周岁：不得入库或续聘（特殊情况经批准也最多放宽至 {hard} 周岁）")
        return
    exception = approved_exception(p, rule.id)
    if exception is None:
        yield rule.finding(p, ("birth",),
                           f"{found}，超过 {normal} 周岁：须有经批准的例外（在 exceptions 中登记 rule: {rule.id}、"
                           f"理由、批准日期和批准文号），且不得超过 {hard} 周岁")
        return
    approved = as_date(exception.get("approved"))
    if approved and approved > p.reference:
        index = p.data["exceptions"].index(exception)
        yield rule.finding(p, ("exceptions", index, "approved"),
                           f"年龄例外的批准日期 {approved.isoformat()} 晚于{p.when}：超过 {normal} 周岁入库或续聘须在聘期开始前批准")


# --- education, work, title ----------------------------------------------------------------------


def education(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    level = field_at(p.data, "education", "level")
    order = ranks("education_levels")
    minimum = str(rule.params["min_level"])
    if p.status not in CURRENT or order.get(level, -1) < 0 or order[level] >= order[minimum]:
        return
    exempt = rule.params.get("tibetan_medicine_exemption", False)
    master = p.data.get("tibetan_medicine_master")
    if exempt and isinstance(master, dict) and master.get("approved") is True and master.get("reference"):
        return
    hint = ("；经自治区卫健委批准的藏医名老专家不受此限，须在 tibetan_medicine_master 中写明 approved: true 和认定文号"
            if exempt else "")
    yield rule.finding(p, ("education", "level"),
                       f"学历为 {labelled('education_levels', level)}：须具有{label('education_levels', minimum)}以上学历{hint}")


def work_years(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    started = p.data.get("work_start")
    since = as_month(started)
    if p.status not in CURRENT or since is None:
        return
    months = whole_months(since, p.reference)
    need = int(rule.params["min_years"])
    if months is None:
        yield rule.finding(p, ("work_start",), f"参加工作年月 {started} 晚于{p.when}：须工作满 {need} 年")
    elif months < need * 12:
        yield rule.finding(p, ("work_start",),
                           f"自参加工作（{started}）至{p.when} 共 {years_months(months)}，"
                           f"不满 {need} 年：须工作满 {need} 年（{need * 12} 个月）")


def title(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    level = field_at(p.data, "title", "level")
    order = ranks("title_levels")
    minimum = str(rule.params["min_level"])
    if (p.status not in CURRENT or p.data.get("category") not in rule.params["categories"]
            or order.get(level, -1) < 0 or order[level] >= order[minimum]):
        return
    category = label("categories", p.data["category"])
    or_level, or_years = rule.params.get("or_level"), int(rule.params.get("or_years", 0))
    required = f"须具有{label('title_levels', minimum)}以上职称"
    if or_level:
        required += f"，或取得{label('title_levels', or_level)}职称满 {or_years} 年"
    if not or_level or order[level] < order[str(or_level)]:
        yield rule.finding(p, ("title", "level"), f"{category}专家的职称为 {labelled('title_levels', level)}：{required}")
        return
    since_text = field_at(p.data, "title", "since")
    since = as_month(since_text)
    if since is None:
        yield rule.finding(p, ("title", "level"),
                           f"{category}专家的职称为 {labelled('title_levels', level)}，没有写取得年月（title.since）："
                           f"{required}，请写明取得该职称的年月")
        return
    months = whole_months(since, p.reference)
    if months is None or months < or_years * 12:
        held = years_months(months) if months is not None else "0 个月"
        yield rule.finding(p, ("title", "since"),
                           f"{category}专家取得{label('title_levels', level)}职称（{since_text}）"
                           f"至{p.when} 共 {held}，不满 {or_years} 年：{required}（{or_years * 12} 个月）")


# --- declarations, civil servants, category, route ---------------------------------------------


ADULT_YEARS = 18  # a declaration is signed by an adult: every preset's people are of full age (完全民事行为能力)


def declaration_date_problem(day: date, birth: tuple[int, int] | None, today: date, latest: date | None) -> str | None:
    """What is wrong with the date of a declaration (signed or verified), or None — one test for validate,
    roster import and roster new. `latest`: the admission (or current term) it must precede, if any."""
    if day > today:
        return f"日期 {day.isoformat()} 晚于今天（{today.isoformat()}）：只能记录已经签署或核实的承诺，请写实际日期"
    if birth is not None:
        adult = date(birth[0] + ADULT_YEARS, birth[1], 1)
        if day < adult:
            return (f"日期 {day.isoformat()} 早于本人年满 {ADULT_YEARS} 周岁（出生年月 {birth[0]:04d}-{birth[1]:02d}，"
                    f"最早 {adult.isoformat()}）：日期或出生年月写错了，请核对材料后改正")
    if latest is not None and day > latest:
        return (f"日期 {day.isoformat()} 晚于入库（本届聘期开始）日期 {latest.isoformat()}：承诺须在入库前签署或核实，"
                f"请核对材料后改正日期")
    return None


def stale_declarations(data: dict[str, Any], since: date) -> list[str]:
    """The items recorded before a readmission on `since` (or undated): they belong to the earlier application."""
    recorded = data.get("declarations") or {}
    return [key for key, entry in recorded.items() if isinstance(entry, dict) and entry.get("confirmed") is True
            and ((day := as_date(entry.get("date"))) is None or day < since)]


def _declaration_dates(p: Person, rule: Rule, ctx: Context, citations: dict[str, str]) -> Iterator[Finding]:
    recorded = p.data.get("declarations") or {}
    started = [d for d in (as_date(p.admission.get("date")), p.term[0] if p.term else None) if d]
    latest = max(started) if p.status in SERVING and started else None
    for key, entry in recorded.items():
        day = as_date(entry.get("date")) if isinstance(entry, dict) else None
        problem = declaration_date_problem(day, p.birth, ctx.today, latest) if day else None
        if problem:
            yield rule.finding(p, ("declarations", key, "date"), f"{_item(key)}的{problem}", citation=citations.get(key))
    # a candidate after readmit is told by readmit's next step and refused by roster admit; once admitted, an error
    again = follows_readmission(p.data, latest) if latest is not None else None
    stale = stale_declarations(p.data, again) if again is not None else []
    if again is not None and stale:
        yield rule.finding(p, ("declarations", stale[0], "date"), stale_message(p.data, stale, again),
                           citation="；".join(dict.fromkeys(c for k in stale if (c := citations.get(k)))) or None)


def _item(key: str) -> str:
    return f"承诺事项“{label('declarations', key)}”（declarations.{key}）"


def stale_message(data: dict[str, Any], stale: list[str], again: date) -> str:
    """The one wording, for validate and roster admit, of declarations that predate a readmission."""
    items = "、".join(f"{_item(k)} {data['declarations'][k].get('date')}" for k in stale)
    return (f"{items} 早于本人再次申请（roster readmit）的日期 {again.isoformat()}：是此前申请时的承诺，不能作为这次入库的依据。"
            f"请取得本人重新签署的承诺或经资格审查重新核实，把各项的 date 改为新的日期（{again.isoformat()} 或之后）")


def declarations(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Each required item recorded on its own, true, from a material that carries it, dated when it can have
    been given; each finding cites the item's own clause of the preset (policies/<preset>.yaml, declarations.items)."""
    if p.status not in CURRENT:
        return
    known = ctx.policy.preset.declarations
    citations = {key: f"{ctx.policy.cite(item.clause)}：{item.text}" for key, item in known.items.items()}
    yield from _declaration_dates(p, rule, ctx, citations)
    recorded = p.data.get("declarations") or {}
    for key in recorded:
        if key not in known.items:
            asked = "、".join(f"{label('declarations', k)}（{k}）" for k in known.items) or "（无）"
            yield rule.finding(p, ("declarations", key),
                               f"{_item(key)}不是《{ctx.policy.preset.document.short}》要求记录的承诺事项（本预设的事项："
                               f"{asked}）：多半是按其他地方的规章填写的，请删去此项，或改记为本预设的相应事项",
                               severity="warning")
    listed = {str(i.get("field")) for i in p.data.get("incomplete") or [] if isinstance(i, dict)}
    for key in rule.params["required"]:
        if f"declarations.{key}" in listed:
            continue  # awaited material: roster admit refuses until it is filled in
        item = known.items.get(key)
        citation = f"{ctx.policy.cite(item.clause)}：{item.text}" if item else None
        name = _item(key)
        entry = recorded.get(key)
        sources = f"form（申请表）、pledge（另行书面承诺）或 review（{known.review}）" if known.on_form(key) else \
            f"pledge（另行书面承诺）或 review（{known.review}）"
        if not isinstance(entry, dict):
            yield rule.finding(p, ("declarations", key),
                               f"{name}没有记录：入库须逐项记录此项属实（见{known.where(key)}）。"
                               f"请写明 confirmed: true、source: {sources}、date: 签署或核实的日期", citation=citation)
        elif entry.get("confirmed") is not True:
            yield rule.finding(p, ("declarations", key),
                               f"{name}为 false（本人未承诺或经核实不属实）：不符合此项的不得入库。"
                               f"核实属实的改为 confirmed: true 并写明来源和日期；确不属实的候选人用 roster reject 不予入库",
                               citation=citation)
        elif entry.get("source") == "form" and not known.on_form(key):
            form = f"{known.form}不载此项" if known.form else f"《{ctx.policy.preset.document.short}》没有附申请表"
            yield rule.finding(p, ("declarations", key),
                               f"{name}的来源写的是 form（申请表），但{form}：请按实际材料改为 {sources}，"
                               f"还没有这份材料的，先取得再记录", citation=citation)


def civil_servant(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    if p.status in CURRENT and p.data.get("civil_servant") is True:
        yield rule.finding(p, ("civil_servant",),
                           "登记为在职公务员或参照公务员管理的事业单位工作人员（civil_servant: true）：此类人员不得作为专家入库")


def category(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    value = p.data.get("category")
    allowed = rule.params["categories"]
    if p.status in CURRENT and value not in allowed:
        yield rule.finding(p, ("category",),
                           f"专家类别为 {labelled('categories', str(value))}：须为以下类别之一：{choice_list('categories', allowed)}")


def route(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    chosen = p.admission.get("route")
    if p.status not in CURRENT or not isinstance(chosen, str):
        return
    if chosen not in rule.params["routes"]:
        yield rule.finding(p, ("admission", "route"),
                           f"遴选方式为 {labelled('expert_routes', chosen)}：须为 {choice_list('expert_routes', rule.params['routes'])}")
    elif chosen in rule.params["recommendation_required"] and not p.admission.get("recommended_by"):
        yield rule.finding(p, ("admission", "route"),
                           f"遴选方式为 {labelled('expert_routes', chosen)}，但没有写推荐单位：请在 admission.recommended_by 中写明推荐单位编号")


# --- consent and announcement (公示) ------------------------------------------------------------


def _admitted_on(p: Person) -> tuple[date, str] | None:
    """The admission date and how to name it: admission.date, else the term start."""
    admitted = as_date(p.admission.get("date"))
    if admitted:
        return admitted, f"入库日期 {admitted.isoformat()}"
    if p.term:
        return p.term[0], f"聘期开始日 {p.term[0].isoformat()}"
    return None


def consent(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    chosen = p.admission.get("route")
    if p.status not in SERVING or chosen not in rule.params["routes"]:
        return
    given = as_date(field_at(p.admission, "consent", "date"))
    if given is None:
        yield rule.finding(p, ("admission", "route"),
                           f"遴选方式为 {labelled('expert_routes', str(chosen))}，没有登记本人同意：请在 admission.consent 中写明"
                           f"本人书面同意的日期（date）和同意书编号（reference）")
        return
    admitted = _admitted_on(p)
    if admitted and given > admitted[0]:
        yield rule.finding(p, ("admission", "consent", "date"),
                           f"本人同意日期 {given.isoformat()} 晚于{admitted[1]}：须先经本人同意，再入库")
    again = follows_readmission(p.data, admitted[0]) if admitted else None
    if again is not None and given < again:
        yield rule.finding(p, ("admission", "consent", "date"),
                           f"本人同意日期 {given.isoformat()} 早于本人再次申请（roster readmit）的日期 {again.isoformat()}："
                           f"是此前入库时的同意，不能作为这次入库的依据。请取得本人重新签署的同意书，把 admission.consent 的 "
                           f"date 改为新的日期（{again.isoformat()} 或之后）、reference 改为新同意书的编号")


def announcement(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    chosen = p.admission.get("route")
    if p.status not in SERVING or chosen not in rule.params["routes"]:
        return
    ref = p.admission.get("announcement")
    if not isinstance(ref, str):
        yield rule.finding(p, ("admission", "route"),
                           f"遴选方式为 {labelled('expert_routes', str(chosen))}，没有引用入库前的公示：请在 admission.announcement "
                           f"中写明公示公告编号；须经公示合格才能正式入库")
        return
    notice = ctx.announcements.get(ref)
    if notice is None:
        return  # an unknown id is reported by the integrity checks
    yield from _announcement_problems(p, rule, notice, ctx)


def _announcement_problems(p: Person, rule: Rule, notice: Record, ctx: Context) -> Iterator[Finding]:
    at = ("admission", "announcement")
    ref = notice.id
    if p.id not in ctx.indexes.subjects.get(str(ref), frozenset()):
        yield rule.finding(p, at, f"公示公告 {ref} 的公示对象（subjects）中没有 {p.id}：须对本人进行公示")
        return
    period_end = as_date(field_at(notice.data, "period", "end"))
    if period_end is None:
        yield rule.finding(p, at, f"公示公告 {ref} 没有写公示期（period）：须经公示期满才能入库")
        return
    outcome = notice.data.get("outcome")
    admitted = _admitted_on(p)
    if admitted is None:
        return
    admitted_on, when = admitted
    again = earlier_announcement(p.data, notice.data, admitted_on)
    if again is not None:
        yield rule.finding(p, at, f"公示公告 {ref} 是本人 {again.isoformat()} 再次申请（roster readmit）之前的公示，属于此前的申请，"
                                  f"不能作为{when}这次入库的公示：须对这次申请重新公示（roster announce candidates {p.id}），"
                                  f"公示期满办结后再入库，并把 admission.announcement 改为新公示的编号")
    elif period_end > admitted_on:
        yield rule.finding(p, at, f"公示公告 {ref} 的公示期至 {period_end.isoformat()} 止，晚于{when}："
                                  f"须公示期满、经公示合格后才能正式入库")
    elif not isinstance(outcome, dict):
        yield rule.finding(p, at, f"公示公告 {ref} 还没有登记公示结果（outcome）：须经公示合格（无异议或异议不成立）才能入库")
    elif p.id in (outcome.get("upheld") or []) or outcome.get("result") == "failed":
        yield rule.finding(p, at, f"公示公告 {ref} 的结果是对 {p.id} 的异议成立（不予通过）：不得入库")
    elif (closed := as_date(outcome.get("closed"))) and closed > admitted_on:
        yield rule.finding(p, at, f"公示公告 {ref} 的结果于 {closed.isoformat()} 办结，晚于{when}："
                                  f"须公示结果办结后才能正式入库")


# --- priority (informational) and the removed never returning -----------------------------------


def is_priority(record: Record, rule: Rule) -> bool:
    """XZ 第九条（三）: 副高级以上 or 博士 are preferred — shown to staff, never an error."""
    return (field_at(record.data, "title", "level") in rule.params["title_levels"]
            or field_at(record.data, "education", "level") in rule.params["education_levels"])


def no_return(people: Sequence[Person], rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A removed person may not come back: same person_key is an error; without keys on both sides,
    the same name, birth month and gender is a warning for staff to check."""
    by_key: dict[str, Person] = {}
    by_person: defaultdict[tuple[str, str, str], list[Person]] = defaultdict(list)
    for p in people:
        if p.status == "removed":
            key = p.data.get("person_key")
            if isinstance(key, str):
                by_key[key] = p
            by_person[_fingerprint(p)].append(p)
    if not by_person:
        return
    fallback = rule.params.get("fallback_severity", "warning")
    for p in people:
        if p.status not in CURRENT:
            continue
        key = p.data.get("person_key")
        removed = by_key.get(key) if isinstance(key, str) else None
        if removed is not None:
            yield rule.finding(p, ("person_key",),
                               f"身份指纹与已移出的 {removed.label()}（{removed.record.display}）相同：被移出者不得重新入库")
            continue
        if fallback == "info":
            continue
        for other in by_person.get(_fingerprint(p), []):
            if isinstance(key, str) and isinstance(other.data.get("person_key"), str):
                continue  # both keyed and different: two people who share a name
            yield rule.finding(p, ("name",),
                               f"姓名、出生年月、性别与已移出的 {other.label()}（{other.record.display}）相同，且没有可比对的身份指纹："
                               f"如为同一人则不得重新入库；请核实，并为两条记录补登 person_key",
                               severity="warning" if fallback == "warning" else "error")


def _fingerprint(p: Person) -> tuple[str, str, str]:
    return str(p.data.get("name")), str(p.data.get("birth")), str(p.data.get("gender"))


def advisory_in_pool(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """XZ 第十二条: the advisory committee is chosen from the pool — one who has left it has left the committee."""
    if p.data.get("advisory_committee") is True and p.status not in CURRENT:
        yield rule.finding(p, ("advisory_committee",),
                           f"状态为 {labelled('statuses', p.status)}，已不在专家库，仍登记为专家咨询委员会成员："
                           f"咨询委员会成员从专家库中选择，请把 advisory_committee 改为 false")


# --- procedural records: the review, the unit's statement, GY's letter and certificate ---------------


def review(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """XZ 第九条（三）: an open-call expert was admitted after a qualification review that passed."""
    if p.status not in SERVING or p.admission.get("route") not in rule.params["routes"]:
        return
    done = p.admission.get("review")
    if not isinstance(done, dict):
        yield rule.finding(p, ("admission",), "公开征集入库的专家没有资格审查记录：请在 admission.review 中写明审查日期、结论和文号")
        return
    decided, admitted = as_date(done.get("date")), as_date(p.admission.get("date"))
    if done.get("result") != "passed":
        yield rule.finding(p, ("admission", "review", "result"),
                           "资格审查结论为未通过，却已入库：未通过审查的候选人应不予入库（roster reject）")
    elif decided and admitted and decided > admitted:
        yield rule.finding(p, ("admission", "review", "date"),
                           f"资格审查日期 {decided.isoformat()} 晚于入库日期 {admitted.isoformat()}：须先审查，后入库")


def unit_statement(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """XZ 附件1 备注3: the unit states whether the applicant had bad-behaviour records in the last three years."""
    if p.status not in SERVING or p.admission.get("route") not in rule.params["routes"]:
        return
    statement = p.admission.get("unit_statement")
    if not isinstance(statement, dict):
        yield rule.finding(p, ("admission",), "没有登记申请表“所在单位意见”（近三年内有无不良行为记录的说明）："
                                              "请在 admission.unit_statement 中写明签署日期和 bad_records")
    elif statement.get("bad_records") is True:
        yield rule.finding(p, ("admission", "unit_statement", "bad_records"),
                           "所在单位说明近三年内有不良行为记录：请核对是否符合入库的基本条件和不得遴选的情形，并在 remarks 中写明核实结论")


def appointment(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """GY 第八条: the bureau writes to the expert's unit or the expert, and issues the certificate after the 公示."""
    if p.status not in SERVING:
        return
    if not isinstance(p.admission.get("notice"), dict):
        yield rule.finding(p, ("admission",), "没有函告记录：入库专家由市医疗保障局函告专家所在单位或本人，请在 admission.notice 中写明日期和文号")
    certificate = p.admission.get("certificate")
    if not isinstance(certificate, dict):
        yield rule.finding(p, ("admission",), "没有聘书记录：公示无异议后颁发专家聘书，请在 admission.certificate 中写明编号和颁发日期")
        return
    issued = as_date(certificate.get("date"))
    notice = ctx.announcements.get(str(p.admission.get("announcement")))
    closed = as_date(field_at(notice.data, "outcome", "closed")) if notice is not None else None
    if issued and closed and issued < closed:
        yield rule.finding(p, ("admission", "certificate", "date"),
                           f"聘书颁发日期 {issued.isoformat()} 早于公示办结日期 {closed.isoformat()}：须公示无异议后颁发")
