"""Social supervisors (社会监督员, JN): appointment route, pledge, certificate, claimed institutions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from ..check.registry import Record
from ..core.findings import Finding
from ..policies.presets import label, labelled
from .base import CURRENT, SERVING, Context, Person, Rule, as_date, choice_list, field_at


def route(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    chosen = p.data.get("route")
    if p.status not in CURRENT or not isinstance(chosen, str):
        return
    if chosen not in rule.params["routes"]:
        yield rule.finding(p, ("route",), f"聘用方式为 {labelled('supervisor_routes', chosen)}：须为 "
                                               f"{choice_list('supervisor_routes', rule.params['routes'])}")
        return
    if chosen in rule.params["recommendation_required"] and not p.data.get("recommended_by"):
        yield rule.finding(p, ("route",), f"聘用方式为 {labelled('supervisor_routes', chosen)}，没有写推荐单位："
                                               f"请在 recommended_by 中写明推荐的部门或单位")
    if chosen == "direct":
        yield from _direct_employer(p, rule, ctx)


def _direct_employer(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    allowed = list(rule.params["direct_employer_types"])
    employer = ctx.institutions.get(str(p.data.get("employer")))
    kinds = choice_list("institution_types", allowed)
    if employer is None:
        yield rule.finding(p, ("route",), f"直接聘用须为合作保险公司的医保审核人员：请在 employer 中写明其工作单位（{kinds}）")
    elif employer.data.get("type") not in allowed:
        yield rule.finding(p, ("employer",),
                           f"直接聘用者的工作单位 {employer.id}（{employer.data.get('name')}）类型为 "
                           f"{labelled('institution_types', str(employer.data.get('type')))}：直接聘用只适用于合作保险公司"
                           f"的医保审核人员（{kinds}）")


def pledge(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    if p.status in CURRENT and not as_date(field_at(p.data, "pledge", "signed")):
        yield rule.finding(p, ("name",), "没有登记承诺书：申请时须承诺填写内容真实、有效，请在 pledge.signed 中写明签署日期")


def certificate(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    if p.status in SERVING and not p.data.get("certificate_no"):
        yield rule.finding(p, ("status",),
                           f"状态为 {labelled('statuses', p.status)}，没有登记《社会监督员证》编号："
                           f"聘任时须颁发聘书和社会监督员证，请在 certificate_no 中写明证件编号")


def designated_in(institution: Record, year: int) -> str | None:
    """The 定点 kind if the institution's agreement covers some day of `year`."""
    agreement = institution.data.get("designated")
    if not isinstance(agreement, dict):
        return None
    since, until = as_date(agreement.get("since")), as_date(agreement.get("until"))
    if since is None or since > date(year, 12, 31) or (until is not None and until < date(year, 1, 1)):
        return None
    kind = agreement.get("kind")
    return kind if isinstance(kind, str) else None


def claims(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    claimed = p.data.get("claims")
    if p.status not in SERVING or not isinstance(claimed, list):
        return
    year = ctx.today.year
    counts = dict.fromkeys(rule.params["kinds"], 0)
    for i, institution_id in enumerate(claimed):
        institution = ctx.institutions.get(institution_id)
        if institution is None:
            if institution_id in ctx.indexes.broken:
                return  # that unit's file has an error of its own: the count cannot be judged until it is fixed
            continue  # unknown ids are reported by the integrity checks
        kind = designated_in(institution, year)
        if kind is None:
            yield rule.finding(p, ("claims", i),
                               f"认领的 {institution_id}（{institution.data.get('name')}）在 {year} 年不是定点医药机构："
                               f"只能从当年公布的定点医药机构名单中认领")
        elif kind in counts:
            counts[kind] += 1
    need = int(rule.params["min_each"])
    short = [kind for kind, n in counts.items() if n < need]
    if short:
        have = "、".join(f"{label('designated_kinds', k)} {n} 家" for k, n in counts.items())
        yield rule.finding(p, ("claims",),
                           f"{year} 年认领的定点医药机构：{have}：须至少认领 "
                           + "、".join(f"{need} 家{label('designated_kinds', k)}" for k in short))


def annual_meeting(people: Sequence[Person], rule: Rule, ctx: Context) -> Iterator[Finding]:
    """JN 第十二条（四）: at least one meeting of all supervisors a year — warn from the reminder month on
    when this year has no meeting record yet."""
    serving = [p for p in people if p.status in SERVING]
    settings = ctx.settings
    if not serving or settings is None or ctx.today.month < int(rule.params.get("remind_month", 1)):
        return
    year = str(ctx.today.year)
    held = any(str(c.data.get("date", "")).startswith(year) and c.data.get("kind") == "meeting"
               for p in serving for c in ctx.conduct_of(p.id))
    if not held:
        line, col = settings.line("rosters", ctx.policy.roster)
        yield Finding(settings.display, line, col, "warning", rule.id,
                      f"{year} 年还没有全体社会监督员座谈会的记录：每年至少召开一次；召开后请为出席人员登记履职记录"
                      f"（roster new conduct，类别 meeting）", None, rule.citation)


LEDGER_KINDS = ("feedback", "lead")


def feedback_handled(people: Sequence[Person], rule: Rule, ctx: Context) -> Iterator[Finding]:
    """JN 第十二条（一）（二）: supervisors' feedback and leads are kept in a ledger and handled in time —
    a feedback or lead record without `handled` after `days` days is a warning."""
    days = int(rule.params.get("days", 30))
    for p in people:
        for record in ctx.conduct_of(p.id):
            logged = as_date(record.data.get("date"))
            if record.data.get("kind") not in LEDGER_KINDS or "handled" in record.data or logged is None:
                continue
            if (ctx.today - logged).days > days:
                line, col = record.line("kind")
                yield Finding(record.display, line, col, "warning", rule.id,
                              f"{label('conduct_kinds', str(record.data['kind']))}（{p.label()}，{logged.isoformat()} 登记）"
                              f"已超过 {days} 天，还没有办理情况：请按职责分工办理，并在 handled 中写明办结日期和结果",
                              record.id, rule.citation)
