"""Changes of a person's standing: admit (入库/聘任), renew (续聘), remove (移出), withdraw (主动退出),
reject (不予入库: a candidate who failed review or whose 公示 objection was upheld), readmit (再次申请:
a person recorded 不予入库, or removed where the preset does not make removal final, is a candidate again).

Each appends one status_history entry with the date, the reason code and the clause it rests on,
edits only the lines concerned (yamledit.py), and is written only if the whole registry then passes
(session.py). Reason codes for removal and withdrawal come from the roster's policy preset; the
citation is the preset's clause for that reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..check.registry import Record
from ..core.errors import EditError
from ..core.timeutil import add_years_minus_one_day
from ..policies.presets import label, labelled
from ..rules.admission import stale_declarations, stale_message
from ..rules.base import Policy, as_date
from ..rules.lifecycle import renewal_opens
from ..rules.readmission import APPLY_AGAIN, earlier_announcement, follows_readmission, term_cut_at_exit
from .session import Result, Session
from .staffdata import ROSTER_OF_KIND, cite_rule, policy_for, record_name, staff_data, term_years

__all__ = ["admit", "readmit", "reject", "remove", "renew", "withdraw"]


def _policy(session: Session, record: Record) -> Policy:
    return policy_for(session.registry, ROSTER_OF_KIND[record.kind])


def _entry(day: date, status: str, reason: str | None, citation: str, reference: str | None,
           note: str | None, application: dict[str, str] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": day.isoformat(), "status": status}
    if reason:
        entry["reason"] = reason
    entry["citation"] = citation
    if reference:
        entry["reference"] = reference
    if application:
        entry["application"] = application
    if note:
        entry["note"] = note
    return entry


def _unique(ids: list[str]) -> list[str]:
    if not ids:
        raise EditError("请写出至少一个编号")
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise EditError(f"编号重复：{'、'.join(repeated)}")
    return ids


# --- admit -----------------------------------------------------------------------------------------


def admit(root: Path, ids: list[str], *, on: date, today: date, reference: str | None = None,
          certificates: dict[str, str] | None = None, dry_run: bool = False) -> Result:
    """Candidates become active from `on`: admission date, a term of the policy's length, the history entry."""
    session = Session(root, today)
    session.not_after_today(on, "入库日期")
    certificates = dict(certificates or {})
    result = Result()
    for ident in _unique(ids):
        record = session.person(ident)
        policy = _policy(session, record)
        session.check_transition(record, "active")
        if record.data.get("status") != "candidate":
            raise EditError(f"{record.display}：{record_name(record)} 的状态是 {labelled('statuses', str(record.data.get('status')))}，"
                            "只有候选人可以入库；期满后续聘请用 roster renew")
        require_complete(session, record, policy)
        rule_id = staff_data()["admit_rule"][ROSTER_OF_KIND[record.kind]].get(_route(record), "")
        if needs_announcement(policy, record):
            _announced(session, record, policy, on)
        again = follows_readmission(record.data, on)
        if again is not None:
            _declared_again(record, policy, again)
        edit = session.edit(record)
        edit.set(("status",), "active")
        edit.set(("admission", "date"), on.isoformat())
        years = term_years(policy)
        term = ""
        if years:
            old = record.data.get("term")
            start, finish = (as_date(old.get("start")), as_date(old.get("end"))) if isinstance(old, dict) else (None, None)
            if again is not None and start and finish:  # readmitted: the earlier term is kept, ended at the exit
                edit.append(("past_terms",), {"start": start.isoformat(),
                                              "end": term_cut_at_exit(record.data, start, finish).isoformat()})
            end = add_years_minus_one_day(on, years)
            edit.set(("term",), {"start": on.isoformat(), "end": end.isoformat()})
            term = f"，聘期 {on.isoformat()} 至 {end.isoformat()}"
        if record.kind == "supervisor":
            number = certificates.pop(ident, None)
            if number:
                edit.set(("certificate_no",), number)
            elif not record.data.get("certificate_no") and policy.is_enabled("supervisor.certificate"):
                raise EditError(f"{record_name(record)}：聘任须颁发《社会监督员证》（{cite_rule(policy, 'supervisor.certificate')}）："
                                f"请加 --certificate {ident}=<证件编号>")
        reason = staff_data()["reasons"]["admitted" if record.kind == "expert" else "appointed"]
        citation = cite_rule(policy, rule_id, "admission.route", "supervisor.route")
        edit.append(("status_history",), _entry(on, "active", reason, citation, reference, None))
        result.lines.append(f"{record_name(record)}：候选 → 在库{term}（依据：{citation}）")
    if certificates:
        raise EditError(f"--certificate 写的 {'、'.join(certificates)} 不在本次入库的名单中")
    return session.commit(result, dry_run=dry_run)


def _route(record: Record) -> str:
    return str((record.data.get("admission") or {}).get("route") if record.kind == "expert" else record.data.get("route"))


def needs_announcement(policy: Policy, record: Record) -> bool:
    """Whether roster admit asks for a closed 公示 before admitting this person (the preset's routes)."""
    rule = policy.rules.get("admission.announcement")
    return rule is not None and policy.is_enabled(rule.id) and _route(record) in rule.params["routes"]


def require_complete(session: Session, record: Record, policy: Policy, action: str = "入库") -> None:
    """A candidate imported with missing material (`incomplete`) is admitted (or announced) only once it is complete."""
    items = [i for i in record.data.get("incomplete") or [] if isinstance(i, dict)]
    if not items:
        return
    line = record.line("incomplete")[0]
    missing = "；".join(f"{i.get('field')}（{session.schemas.title(record.kind, tuple(str(i.get('field')).split('.')))}，"
                       f"见{i.get('source')}）" for i in items)
    raise EditError(f"{record.display}:{line}：{record_name(record)} 的材料还不齐全，不能{action}（资格审查须材料齐全，"
                    f"{cite_rule(policy, 'admission.announcement', 'admission.route')}）：还缺 {len(items)} 项：{missing}。"
                    f"请把这些字段填入该文件，并删去 incomplete 中相应的项（全部补齐后删去整个 incomplete），再运行 roster {'admit' if action == '入库' else 'announce candidates'}")


def _announced(session: Session, record: Record, policy: Policy, on: date) -> None:
    """An open-call candidate needs a closed 公示 that did not uphold an objection against them."""
    citation = cite_rule(policy, "admission.announcement")
    ref = (record.data.get("admission") or {}).get("announcement")
    if not isinstance(ref, str):
        raise EditError(f"{record_name(record)} 是公开征集的候选人，还没有经过公示（{citation}）："
                        f"请先运行 roster announce candidates {record.id}，公示期满后 roster announce close")
    notice = session.announcement(ref)
    again = earlier_announcement(record.data, notice.data, on)
    if again is not None:
        raise EditError(f"{record_name(record)} 于 {again.isoformat()} 再次申请，公示 {ref} 是此前的公示，不能作为这次入库的公示"
                        f"（{citation}）：请先运行 roster announce candidates {record.id}，公示期满后 roster announce close")
    outcome = notice.data.get("outcome")
    if not isinstance(outcome, dict):
        end = (notice.data.get("period") or {}).get("end", "?")
        raise EditError(f"{record_name(record)} 的公示 {ref}（公示期至 {end}）还没有办结：公示期满后请先运行 "
                        f"roster announce close {ref} --objections <异议件数> --outcome passed|partial|failed")
    if record.id in (outcome.get("upheld") or []) or outcome.get("result") == "failed":
        raise EditError(f"公示 {ref} 中对 {record_name(record)} 的异议成立（结论 {outcome.get('result')}），不得入库（{citation}）")


def _declared_again(record: Record, policy: Policy, again: date) -> None:
    """After a readmission the declarations of the earlier application do not count: each must be dated anew."""
    stale = stale_declarations(record.data, again)
    if not stale:
        return
    known = policy.preset.declarations
    clauses = "、".join(dict.fromkeys(policy.cite(known.items[k].clause) for k in stale if k in known.items))
    raise EditError(f"{record.display}:{record.line('declarations', stale[0], 'date')[0]}：{record_name(record)} 于 "
                    f"{again.isoformat()} 再次申请：{stale_message(record.data, stale, again)}（{clauses or cite_rule(policy, 'admission.declarations')}），"
                    f"再运行 roster admit {record.id}")


# --- renew -----------------------------------------------------------------------------------------


def renew(root: Path, ids: list[str], *, today: date, start: date | None = None, reference: str | None = None,
          consent: date | None = None, consent_reference: str | None = None, applied: date | None = None,
          application_reference: str | None = None, dry_run: bool = False) -> Result:
    """A new term after re-review: the current term goes to past_terms, the new one starts the day after
    it (or on `start`) and lasts the policy's years; an expired person becomes active again."""
    session = Session(root, today)
    result = Result()
    for ident in _unique(ids):
        record = session.person(ident)
        policy = _policy(session, record)
        status = str(record.data.get("status"))
        if status not in ("active", "expired"):
            raise EditError(f"{record.display}：{record_name(record)} 的状态是 {labelled('statuses', status)}，"
                            "只有在库（active）或期满退出（expired）的人员可以续聘")
        term = record.data.get("term")
        old_start, old_end = (as_date(term.get("start")), as_date(term.get("end"))) if isinstance(term, dict) else (None, None)
        if old_start is None or old_end is None:
            raise EditError(f"{record.display}：{record_name(record)} 没有本届聘期（term）：无法续聘，请先补写聘期")
        years = term_years(policy)
        if not years:
            raise EditError(f"政策预设 {policy.preset.id} 没有规定聘期年数（term.length）：无法自动计算新聘期，请手工修改")
        begin = start or (old_end + timedelta(days=1) if status == "active" else today)
        if begin <= old_end:
            raise EditError(f"{record_name(record)} 的新聘期自 {begin.isoformat()} 起，但本届聘期至 {old_end.isoformat()} 才结束："
                            "新聘期须在上一届结束之后开始")
        citation = cite_rule(policy, staff_data()["renew_rule"], "term.length")
        renewal = policy.rules.get("term.renewal")
        opens = renewal_opens(old_end, renewal)
        if status == "active" and opens is not None and today < opens:
            raise EditError(f"{record_name(record)} 的本届聘期至 {old_end.isoformat()} 止，续聘最早自 {opens.isoformat()} 起办理"
                            f"（聘期结束前 {renewal.params['window_days'] if renewal else ''} 天；{citation}：在库期满再申请、审查）")
        if renewal is not None and renewal.params.get("consent_required") and consent is None:
            raise EditError(f"{record_name(record)}：续聘须征得本人同意（{citation}）：请加 --consent-date <本人同意日期>")
        if renewal is not None and renewal.params.get("application_required") and applied is None:
            raise EditError(f"{record_name(record)}：在库期满需再次申请（{citation}）：请加 --application-date <本人申请日期>")
        application = {"date": applied.isoformat(), **({"reference": application_reference} if application_reference else {})} \
            if applied else None
        end = add_years_minus_one_day(begin, years)
        edit = session.edit(record)
        edit.append(("past_terms",), {"start": old_start.isoformat(), "end": old_end.isoformat()})
        edit.set(("term", "start"), begin.isoformat())
        edit.set(("term", "end"), end.isoformat())
        if consent is not None:
            session.not_after_today(consent, "本人同意日期")
            _set_consent(edit, record.kind, consent, consent_reference)
        line = f"{record_name(record)}：新聘期 {begin.isoformat()} 至 {end.isoformat()}，上一届 {old_start.isoformat()} 至 {old_end.isoformat()} 移入 past_terms"
        if status == "expired":
            session.not_after_today(begin, "新聘期开始日期（期满退出者重新在库的日期）")
            edit.set(("status",), "active")
            edit.append(("status_history",), _entry(begin, "active", staff_data()["reasons"]["renewed"], citation,
                                                     reference, None, application))
            line += "，期满退出 → 在库"
        else:  # the decision is recorded; the status stays 在库
            edit.append(("status_history",), _entry(today, "active", staff_data()["reasons"]["renewed"], citation,
                                                     reference, f"续聘：新聘期 {begin.isoformat()} 至 {end.isoformat()}",
                                                     application))
        result.lines.append(f"{line}（依据：{citation}）")
    return session.commit(result, dry_run=dry_run)


def _set_consent(edit: Any, kind: str, day: date, reference: str | None) -> None:
    if kind == "supervisor":
        edit.set(("admission", "consent"), day.isoformat())
        return
    value: dict[str, str] = {"date": day.isoformat()}
    if reference:
        value["reference"] = reference
    edit.set(("admission", "consent"), value)


# --- remove, withdraw --------------------------------------------------------------------------------


def remove(root: Path, ids: list[str], *, reason: str, on: date, today: date, reference: str | None = None,
           note: str | None = None, dry_run: bool = False) -> Result:
    """Removal (移出 / 停止聘用) for a reason of the policy's removal list; final."""
    return _leave(root, ids, "removal", "removed", reason, on, today, reference, note, dry_run)


def withdraw(root: Path, ids: list[str], *, on: date, today: date, reason: str | None = None,
             reference: str | None = None, note: str | None = None, dry_run: bool = False) -> Result:
    """Voluntary withdrawal (主动退出) of a candidate or an active person."""
    return _leave(root, ids, "withdrawal", "withdrawn", reason, on, today, reference, note, dry_run)


def reject(root: Path, ids: list[str], *, reason: str | None, on: date, today: date, reference: str | None = None,
           note: str | None = None, dry_run: bool = False) -> Result:
    """不予入库 of a candidate, for a reason of the policy's rejection list (review failed, objection upheld)."""
    return _leave(root, ids, "rejection", "rejected", reason, on, today, reference, note, dry_run)


GROUP_NAMES = {"removal": "移出", "withdrawal": "主动退出", "rejection": "不予入库"}


def _leave(root: Path, ids: list[str], group: str, status: str, reason: str | None, on: date, today: date,
           reference: str | None, note: str | None, dry_run: bool) -> Result:
    session = Session(root, today)
    session.not_after_today(on, "日期")
    result = Result()
    for ident in _unique(ids):
        record = session.person(ident)
        policy = _policy(session, record)
        if status == "removed" and record.data.get("status") == "candidate":
            raise EditError(f"{record.display}：{record_name(record)} 是候选人，尚未入库，不能移出：不予入库的候选人请用 roster reject")
        if status == "rejected" and record.data.get("status") != "candidate":
            raise EditError(f"{record.display}：{record_name(record)} 的状态是 {labelled('statuses', str(record.data.get('status')))}，"
                            "只有候选人可以不予入库")
        session.check_transition(record, status)
        choices = policy.preset.reasons_in(group)
        # the code, or the reason's Chinese text as the preset words it (e.g. 在一个年度内达三次不良行为记录)
        code = next((c.code for c in choices if reason in (c.code, c.label)), reason) if reason else (
            choices[0].code if len(choices) == 1 else None)
        chosen = policy.reason(code) if code else None
        if chosen is None or chosen.group != group:
            listed = "；".join(f"{r.code}（{r.label}，{policy.cite(r.clause)}）" for r in choices) or "（政策预设中没有）"
            given = f"原因代码“{code}”不在政策预设 {policy.preset.id} 的{GROUP_NAMES[group]}原因中" \
                if code else "请用 --reason 写明原因代码"
            raise EditError(f"{given}：可用的原因代码：{listed}")
        citation = policy.cite(chosen.clause)
        session.change_status(record, status, _entry(on, status, chosen.code, citation, reference, note))
        before, after = label("statuses", str(record.data.get("status"))), label("statuses", status)
        committee = ""
        if record.data.get("advisory_committee") is True:  # XZ 第十二条: members come from the pool
            session.edit(record).set(("advisory_committee",), False)
            committee = "；同时退出专家咨询委员会"
        result.lines.append(f"{record_name(record)}：{before} → {after}，原因 {chosen.code}（{chosen.label}；依据：{citation}）{committee}")
    return session.commit(result, dry_run=dry_run)


# --- readmit -----------------------------------------------------------------------------------------


def readmit(root: Path, ids: list[str], *, on: date, today: date, reference: str | None = None,
            applied: date | None = None, application_reference: str | None = None, note: str | None = None,
            dry_run: bool = False) -> Result:
    """A person recorded 不予入库, who withdrew (主动退出), or removed where removal is not final (GY, JN), applies again and is a
    candidate again — on the same record: status_history keeps every earlier entry and gets one more, and
    the earlier admission's fields stay until the new admission (which moves the old term to past_terms)."""
    session = Session(root, today)
    session.not_after_today(on, "再次登记日期")
    if applied is not None:
        session.not_after_today(applied, "本人申请日期")
        if applied > on:
            raise EditError(f"--application-date {applied.isoformat()}（本人申请日期）晚于 --date {on.isoformat()}（再次登记日期）："
                            "先有本人申请，才能登记为候选人：请核对申请材料上的日期")
    result = Result()
    for ident in _unique(ids):
        record = session.person(ident)
        policy = _policy(session, record)
        status = str(record.data.get("status"))
        removal = policy.preset.removal
        at = f"{record.display}:{record.line('status')[0]}"
        if status == "removed" and removal.final:
            raise EditError(f"{at}：{record_name(record)} 已被移出，{policy.preset.cite(removal.clause)}规定：“{removal.text}”"
                            "不能重新登记为候选人。需要补充人员的，请另行遴选其他人员（roster new）；移出决定已依法撤销的，"
                            "请凭撤销文件报名册管理员更正记录")
        if status not in APPLY_AGAIN:
            raise EditError(f"{at}：{record_name(record)} 的状态是 {labelled('statuses', status)}，"
                            "只有不予入库（rejected）、主动退出（withdrawn）或已移出（removed）的人员可以再次申请、"
                            "重新登记为候选人")
        left = _left_on(record)
        if applied is not None and left is not None and applied < left:
            raise EditError(f"{at}：--application-date {applied.isoformat()}（本人申请日期）早于 {record_name(record)} "
                            f"{left.isoformat()} {label('statuses', status)}：再次申请须在此之后，"
                            "请核对申请材料上的日期（此前的申请已随那次决定办结）")
        citation = cite_rule(policy, staff_data()["candidate_rule"][ROSTER_OF_KIND[record.kind]])
        application = {"date": applied.isoformat(), **({"reference": application_reference} if application_reference else {})} \
            if applied else None
        session.change_status(record, "candidate", _entry(on, "candidate", staff_data()["reasons"]["candidate"], citation,
                                                         reference, note, application))
        before = label("statuses", status)
        allowed = f"；{policy.preset.cite(removal.clause)}没有不得重新入库的规定" if status == "removed" else ""
        result.lines.append(f"{record_name(record)}：{before} → 候选（再次申请；依据：{citation}{allowed}）")
        result.next_steps.append(_next_step(policy, record))
    return session.commit(result, dry_run=dry_run)


def _left_on(record: Record) -> date | None:
    """The date of the last status_history entry: the decision (不予入库、退出、移出) the person applies again after."""
    history = [h for h in record.data.get("status_history") or [] if isinstance(h, dict)]
    return as_date(history[-1].get("date")) if history else None


def _next_step(policy: Policy, record: Record) -> str:
    """What comes after readmit, as roster admit will decide it: a 公示 for the routes the preset announces,
    otherwise the route's own step (XZ 第八条（一）: the invited expert's written consent; JN: 聘任 with the 证)."""
    admit = f"roster admit {record.id}"
    renewed = "，此前签署的承诺事项须重新签署或核实" if record.data.get("declarations") else ""
    if record.kind == "supervisor" and policy.is_enabled("supervisor.certificate"):
        admit += f" --certificate {record.id}=<证件编号>"
    if needs_announcement(policy, record):
        return (f"{record.id} 须重新经过资格审查和公示才能入库（{cite_rule(policy, 'admission.announcement')}）{renewed}："
                f"roster announce candidates {record.id}，办结后 {admit}")
    rule_id = staff_data()["admit_rule"][ROSTER_OF_KIND[record.kind]].get(_route(record), "")
    if rule_id == "admission.consent":
        return (f"{record.id} 是主动邀请的专家，不经公示（{cite_rule(policy, rule_id)}）：重新审核、取得本人书面同意后入库{renewed}："
                f"{admit} --date <入库日期>")
    verb = "聘任" if record.kind == "supervisor" else "入库"
    return f"{record.id} 重新审核后{verb}（{cite_rule(policy, rule_id, 'admission.route', 'supervisor.route')}）{renewed}：{admit}"
