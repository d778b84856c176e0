"""Terms, automatic exits and the reasons recorded for every change of status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

from ..check.integrity import lifecycle
from ..core.findings import Finding, Severity
from ..core.timeutil import add_years_minus_one_day
from ..policies.presets import label, labelled
from .admission import age_limit
from .base import SERVING, Context, Person, Policy, Rule, as_date, field_at
from .readmission import follows_readmission, term_cut_at_exit

AGE_RULE = "admission.age"

# --- when a person must leave (shared with `roster status`) --------------------------------------


def term_exit_date(p: Person, on: date | None = None) -> date | None:
    """The first day after the term (the one in force on `on`, else the current one), for someone serving."""
    term = term_in_force(p, on) if on is not None else p.term
    if p.status not in SERVING or term is None:
        return None
    return term[1] + timedelta(days=1)


def age_exit_date(p: Person, policy: Policy) -> date | None:
    """The first day of the month in which the person exceeds the age limit (turns limit + 1 周岁).

    Birth is known to the month and taken as its first day, so this is the earliest the limit can
    be exceeded — an upper limit is never applied late.
    """
    age_rule = policy.rules.get(AGE_RULE)
    if p.status not in SERVING or p.birth is None or age_rule is None:
        return None
    return date(p.birth[0] + age_limit(p, age_rule) + 1, p.birth[1], 1)


def renewal_opens(term_end: date, renewal: Rule | None) -> date | None:
    """The first day a renewal may be decided: the term's end less the preset's window (XZ 第二十九条
    期满再申请; the window is this system's rule), or None where the preset sets no window."""
    days = renewal.params.get("window_days") if renewal is not None else None
    return term_end - timedelta(days=int(days)) if days is not None else None


def term_in_force(p: Person, on: date) -> tuple[date, date] | None:
    """The term that applies on a day: the latest of past_terms and term to have started by then, else the
    current one — what validate and `roster status` both judge exits by."""
    started: tuple[date, date] | None = None
    for term in [*(p.data.get("past_terms") or []), p.data.get("term")]:
        if isinstance(term, dict):
            start, end = as_date(term.get("start")), as_date(term.get("end"))
            if start and end and start <= on and (started is None or start >= started[0]):
                started = (start, end)
    return started or p.term


def can_become(current: str, target: str) -> bool:
    """Whether data/lifecycle.yaml allows this change of status in one step."""
    return target in lifecycle()["transitions"].get(current, [])


def _overdue(rule: Rule, due: date, today: date) -> Severity | None:
    """Nothing before `due`; a warning during the grace period; then the rule's severity."""
    if today < due:
        return None
    if (today - due).days < int(rule.params.get("grace_days", 0)):
        return "warning"
    return "warning" if rule.severity == "warning" else "error"


def _action(p: Person, rule: Rule, ctx: Context) -> str:
    reason = ctx.policy.reason(str(rule.params["reason"]))
    if reason is None:
        return "请办理"
    if not can_become(p.status, reason.status):
        # e.g. suspended → expired is not a transition: the bureau first ends the suspension or removes
        return (f"应退出；{labelled('statuses', p.status)}不能直接改为 {labelled('statuses', reason.status)}，"
                f"请由本局决定：结束暂停（改回 active）后按原因代码 {reason.code} 退出，或移出")
    verb = "自动变更" if reason.automatic else "经本局决定后变更"
    tail = "（可运行 roster status --apply 写入）" if reason.automatic else ""
    return (f"应{verb}为 {labelled('statuses', reason.status)}，在 status_history 末尾追加一条"
            f"（原因代码 {reason.code}）{tail}")


# --- term.length, term.renewal -----------------------------------------------------------------


def length(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    years = int(rule.params["years"])
    if "term" not in p.data:
        if p.status in SERVING:
            yield rule.finding(p, ("status",),
                               f"状态为 {labelled('statuses', p.status)}，但没有写本届聘期（term）：请写明聘期开始和结束日期"
                               f"（聘期 {years} 年）")
        return
    term = p.term
    if term is None:
        return
    start, end = term
    expected = _term_end(start, years)
    if end != expected:
        yield rule.finding(p, ("term", "end"),
                           f"聘期自 {start.isoformat()} 起至 {end.isoformat()} 止：聘期为 {years} 年，应至 {expected.isoformat()} 止"
                           f"（开始日加 {years} 年减 1 天）")


@lru_cache(maxsize=8192)
def _term_end(start: date, years: int) -> date:
    return add_years_minus_one_day(start, years)


def renewal(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    past = p.data.get("past_terms") or []
    term = p.term
    if not past or term is None or not isinstance(past[-1], dict):
        return
    previous_start, previous_end = as_date(past[-1].get("start")), as_date(past[-1].get("end"))
    again = follows_readmission(p.data, term[0])
    if again is not None and (previous_start is None or previous_start < again):
        # the first term after readmit is a new admission, not a renewal: only the earlier term's end is judged
        if previous_start and previous_end and previous_end >= term[0]:
            cut = term_cut_at_exit(p.data, previous_start, previous_end)
            yield rule.finding(p, ("past_terms", len(past) - 1, "end"),
                               f"本届聘期自 {term[0].isoformat()} 起，是本人 {again.isoformat()} 再次申请（roster readmit）后的"
                               f"新入库，不是续聘；上一届聘期（past_terms 最后一条）至 {previous_end.isoformat()}，"
                               f"应在退出时结束：请把它的 end 改为 {cut.isoformat()}（退出日期的前一天）")
        yield from _renewal_applied(p, rule)
        return
    if previous_end and term[0] <= previous_end:
        yield rule.finding(p, ("term", "start"),
                           f"本届聘期自 {term[0].isoformat()} 起，但上一届聘期（past_terms 最后一条）至 {previous_end.isoformat()} 才结束："
                           f"续聘开始新的聘期，须在上一届结束之后开始，旧聘期不得改写")
    yield from _renewed_early(p, rule, previous_end)
    yield from _renewal_applied(p, rule)
    if not rule.params.get("consent_required") or p.status not in SERVING:
        return
    given_raw = field_at(p.data, "admission", "consent")
    given = as_date(given_raw.get("date") if isinstance(given_raw, dict) else given_raw)
    if given is None or (previous_start and given <= previous_start) or given > term[0]:
        found = f"登记的同意日期为 {given.isoformat()}" if given else "没有登记本人同意"
        yield rule.finding(p, ("admission", "consent") if given else ("term", "start"),
                           f"本届聘期（自 {term[0].isoformat()} 起）是续聘，{found}：续聘须征得本人同意，"
                           f"请在 admission.consent 中写明本人同意续聘的日期（上一届开始之后、本届开始之前）")


def _renewal_applied(p: Person, rule: Rule) -> Iterator[Finding]:
    """XZ 第二十九条: 专家在库期满需再次申请 — a renewal entry records the application it rests on."""
    if not rule.params.get("application_required"):
        return
    for i, entry in enumerate(p.data.get("status_history") or []):
        if not isinstance(entry, dict) or entry.get("reason") not in lifecycle()["repeat_reasons"]:
            continue
        application = entry.get("application")
        applied = as_date(application.get("date")) if isinstance(application, dict) else None
        decided = as_date(entry.get("date"))
        if applied is None:
            yield rule.finding(p, ("status_history", i), f"状态记录第 {i + 1} 条是续聘，没有登记本人申请："
                                                         f"请在 application 中写明申请日期（和材料编号）", severity="warning")
        elif decided and applied > decided:
            yield rule.finding(p, ("status_history", i, "application", "date"),
                               f"续聘申请日期 {applied.isoformat()} 晚于续聘决定日期 {decided.isoformat()}", severity="warning")


def _renewed_early(p: Person, rule: Rule, previous_end: date | None) -> Iterator[Finding]:
    """A renewal decided (status_history, reason renewed) before the window opens is too early."""
    opens = renewal_opens(previous_end, rule) if previous_end else None
    if opens is None:
        return
    history = p.data.get("status_history") or []
    for i in range(len(history) - 1, -1, -1):
        entry = history[i]
        if isinstance(entry, dict) and entry.get("reason") in lifecycle()["repeat_reasons"]:
            decided = as_date(entry.get("date"))
            if decided and decided < opens:
                yield rule.finding(p, ("status_history", i, "date"),
                                   f"续聘于 {decided.isoformat()} 决定，早于上一届聘期结束（{previous_end}）前 "
                                   f"{rule.params['window_days']} 天（{opens.isoformat()}）：在库期满再申请续聘，不得提前办理")
            return


# --- automatic exits ---------------------------------------------------------------------------


def term_ended(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    due = term_exit_date(p, ctx.today)
    severity = _overdue(rule, due, ctx.today) if due else None
    if due is None or severity is None:
        return
    end = due - timedelta(days=1)
    yield rule.finding(p, ("term", "end"),
                       f"聘期已于 {end.isoformat()} 届满，没有续聘，状态仍为 {labelled('statuses', p.status)}："
                       f"自 {due.isoformat()} 起{_action(p, rule, ctx)}；续聘的请开始新的聘期"
                       + _grace_note(rule, due, severity), severity)


def age_over(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    due = age_exit_date(p, ctx.policy)
    severity = _overdue(rule, due, ctx.today) if due else None
    if due is None or severity is None:
        return
    limit = due.year - int(p.data["birth"][:4]) - 1
    yield rule.finding(p, ("birth",),
                       f"出生年月 {p.data['birth']}，自 {due.isoformat()} 起年龄超过 {limit} 周岁，"
                       f"状态仍为 {labelled('statuses', p.status)}：{_action(p, rule, ctx)}"
                       + _grace_note(rule, due, severity), severity)


def _grace_note(rule: Rule, due: date, severity: Severity) -> str:
    grace = int(rule.params.get("grace_days", 0))
    if severity == "warning" and grace:
        return f"（本系统规则：宽限期 {grace} 天，{(due + timedelta(days=grace)).isoformat()} 起为错误）"
    return ""


# --- reasons for changes of status ---------------------------------------------------------------


def removal_reason(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    yield from _required_reasons(p, rule, ctx, "removed", "removal")


def rejection_reason(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """不予入库 (XZ 第七条、第九条（三）; GY 第七条、第八条; JN 第六条（三）) carries a rejection code."""
    yield from _required_reasons(p, rule, ctx, "rejected", "rejection")


def _required_reasons(p: Person, rule: Rule, ctx: Context, status: str, group: str) -> Iterator[Finding]:
    history = p.data.get("status_history") or []
    if not any(isinstance(e, dict) and e.get("status") == status for e in history):
        return
    codes = [r.code for r in ctx.policy.preset.reasons_in(group)]
    name = label("statuses", status)
    for i, entry in enumerate(history):
        if not isinstance(entry, dict) or entry.get("status") != status:
            continue
        reason = entry.get("reason")
        if reason is None:
            yield rule.finding(p, ("status_history", i, "status"),
                               f"状态记录第 {i + 1} 条（{entry.get('date')}）为{name}，没有写原因代码（reason）："
                               f"{name}须写明依据的情形，可用代码：{_codes(codes)}")
        elif reason not in codes:
            yield rule.finding(p, ("status_history", i, "reason"),
                               f"状态记录第 {i + 1} 条的{name}原因代码“{reason}”不在政策预设 {ctx.policy.preset.id} 中："
                               f"可用代码：{_codes(codes)}")


def exit_reason(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    groups = {"withdrawn": "withdrawal", "expired": "exit"}
    history = p.data.get("status_history") or []
    # the first entry is always candidate or active (integrity checks that), so exits start at the second
    for i in range(1, len(history)):
        entry = history[i]
        if not isinstance(entry, dict) or entry.get("status") not in groups or entry.get("reason") is None:
            continue
        group = groups[entry["status"]]
        codes = [r.code for r in ctx.policy.preset.reasons_in(group)]
        if entry["reason"] not in codes:
            yield rule.finding(p, ("status_history", i, "reason"),
                               f"状态记录第 {i + 1} 条为{label('statuses', entry['status'])}，原因代码“{entry['reason']}”"
                               f"不是{label('reason_groups', group)}的原因：可用代码：{_codes(codes) or '（无）'}")


def _codes(codes: list[str]) -> str:
    return "、".join(codes)
