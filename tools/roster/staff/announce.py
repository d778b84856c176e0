"""公示: publish candidates for a period counted in 工作日, then record the outcome.

`announce_candidates` writes registry/announcements/<year>/A<year>-NNN.yaml with the period from
workdays.publicity_period (public holidays and adjusted working days included, a year the calendar
does not know is an error unless registry/calendar/<year>.yaml exists), and points each candidate's
admission.announcement at it. `close` records the outcome once the period is over; `roster admit`
then passes the 公示 rule (XZ 第九条（三）, GY 第八条).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..check.registry import Record
from ..core.errors import EditError
from ..core.workdays import CalendarFileError, CalendarYearUnknown, is_workday, load_calendar_dir, publicity_period
from ..policies.presets import label, labelled
from ..rules.readmission import earlier_announcement
from ..yamlio.fieldorder import sort_record
from ..yamlio.yamltext import render_document, schema_comment
from .changes import require_complete
from .ids import next_id, record_path
from .session import Result, Session
from .staffdata import ROSTER_OF_KIND, chinese_date, cite_rule, policy_for, record_name, staff_data, term_years

__all__ = ["KINDS", "RESULTS", "announce_candidates", "close", "period_notes"]

KINDS = ("admission", "renewal", "supervisor")
RESULTS = ("passed", "partial", "failed")
_WEEKDAYS = "一二三四五六日"


def _calendar(root: Path) -> dict[date, bool]:
    try:
        return load_calendar_dir(root / "calendar")
    except CalendarFileError as exc:
        raise EditError(str(exc)) from None


def period_notes(start: date, end: date, extra: dict[date, bool]) -> list[str]:
    """Which days inside the period do not follow the ordinary Monday–Friday rule."""
    off, on = [], []
    day = start
    while day <= end:
        working = is_workday(day, extra)
        if day.weekday() < 5 and not working:
            off.append(day)
        elif day.weekday() >= 5 and working:
            on.append(day)
        day += timedelta(days=1)
    notes = []
    if off:
        notes.append("不计入的节假日：" + "、".join(f"{d.isoformat()}（星期{_WEEKDAYS[d.weekday()]}）" for d in off))
    if on:
        notes.append("计入的调休上班日：" + "、".join(f"{d.isoformat()}（星期{_WEEKDAYS[d.weekday()]}）" for d in on))
    return notes


def announce_candidates(root: Path, ids: list[str], *, today: date, published: date | None = None,
                        workdays: int | None = None, kind: str | None = None, title: str | None = None,
                        dry_run: bool = False) -> Result:
    session = Session(root, today)
    if not ids:
        raise EditError("请写出至少一个公示对象的编号")
    if len(set(ids)) != len(ids):
        raise EditError(f"编号重复：{'、'.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    people = [session.person(i) for i in ids]
    kinds = {p.kind for p in people}
    if len(kinds) > 1:
        raise EditError("专家和社会监督员请分别公示：一份公示只能有一类对象")
    roster = ROSTER_OF_KIND[people[0].kind]
    kind = kind or ("admission" if roster == "experts" else "supervisor")
    spec = staff_data()["announcements"].get(kind)
    if spec is None:
        raise EditError(f"公示类别应为 {'、'.join(KINDS)} 之一，现在是“{kind}”")
    if spec["roster"] != roster:
        raise EditError(f"{kind} 公示的对象应为{label('rosters', spec['roster'])}中的人员")
    for person in people:
        if person.data.get("status") not in spec["statuses"]:
            wanted = "、".join(labelled("statuses", s) for s in spec["statuses"])
            raise EditError(f"{person.display}：{record_name(person)} 的状态是 {labelled('statuses', str(person.data.get('status')))}，"
                            f"{kind} 公示的对象须为 {wanted}")
        if kind != "renewal":
            _not_already_announced(session, person)
    policy = policy_for(session.registry, roster)
    for person in people:
        require_complete(session, person, policy, "公示")
    settings = session.registry.settings.data if session.registry.settings else {}
    defaults = staff_data()["announcements"]
    count = workdays or (settings.get("announcements") or {}).get("workdays") or policy.preset.announcement_workdays
    day = published or today
    extra = _calendar(root)
    try:
        start, end = publicity_period(day, int(count), extra)
        notes = period_notes(start, end, extra)
    except CalendarYearUnknown as exc:
        raise EditError(str(exc)) from None
    except ValueError as exc:
        raise EditError(f"--workdays 有误：{exc}") from None
    ident = next_id(root, "announcement", day.year)
    bureau = settings.get("bureau") or {}
    fill = {"bureau": bureau.get("name", ""), "year": day.year, "count": len(people),
            "citation": cite_rule(policy, str(spec["rule"])), "years": term_years(policy) or "",
            "start": chinese_date(start), "end": chinese_date(end), "workdays": count}
    data: dict[str, Any] = {
        "id": ident, "kind": kind, "title": title or str(spec["title"]).format(**fill), "published": day.isoformat(),
        "period": {"start": start.isoformat(), "end": end.isoformat(), "workdays": int(count)},
        "subjects": list(ids), "body": str(spec["body"]).format(**fill),
    }
    contact = _contact(settings, defaults)
    if contact:
        data["contact"] = contact
    data = sort_record("announcement", data)
    path = record_path(root, "announcement", ident)
    text = render_document(data, [schema_comment("announcement", len(path.relative_to(root).parts))])
    session.changes.create(path, text.encode("utf-8"))
    if kind != "renewal":
        for person in people:
            session.edit(person).set(("admission", "announcement"), ident)
    result = Result()
    result.lines.append(f"公示 {ident}：{data['title']}")
    result.lines.append(f"  公示期：{start.isoformat()} 至 {end.isoformat()}（{count} 个工作日）")
    result.lines += [f"  {note}" for note in notes]
    result.lines.append("  公示对象：" + "、".join(record_name(p) for p in people))
    result.next_steps.append(f"公示期满（{end.isoformat()} 之后）办结：roster announce close {ident} --objections <异议件数> --outcome passed")
    return session.commit(result, dry_run=dry_run)


def _not_already_announced(session: Session, person: Record) -> None:
    ref = (person.data.get("admission") or {}).get("announcement")
    if not isinstance(ref, str):
        return
    notice = session.registry.by_id("announcement").get(ref)
    if notice is not None and earlier_announcement(person.data, notice.data, None) is not None:
        return  # an earlier application's 公示: this application is announced anew
    outcome = notice.data.get("outcome") if notice else None
    if notice is not None and not isinstance(outcome, dict):
        raise EditError(f"{record_name(person)} 已在公示 {ref} 中，该公示尚未办结：请先办结（roster announce close {ref}）")
    if isinstance(outcome, dict) and outcome.get("result") != "failed" and person.id not in (outcome.get("upheld") or []):
        raise EditError(f"{record_name(person)} 已经公示合格（{ref}）：可以直接入库（roster admit {person.id}）")


def _contact(settings: dict[str, Any], defaults: dict[str, Any]) -> dict[str, str] | None:
    bureau = settings.get("bureau") or {}
    office = bureau.get("office")
    if not isinstance(office, str):
        return None
    contact = {"office": office}
    if isinstance(bureau.get("office_phone"), str):
        contact["office_phone"] = bureau["office_phone"]
    how = (settings.get("announcements") or {}).get("how_to_object") or defaults["default_how_to_object"]
    contact["how_to_object"] = str(how)
    return contact


def close(root: Path, ids: list[str], *, today: date, objections: int, outcome: str, upheld: list[str],
          closed: date | None = None, note: str | None = None, dry_run: bool = False) -> Result:
    session = Session(root, today)
    day = closed or today
    session.not_after_today(day, "办结日期")
    if outcome not in RESULTS:
        raise EditError(f"--outcome 应为 passed（通过）、partial（部分异议成立）或 failed（不予通过），现在是“{outcome}”")
    if objections < 0:
        raise EditError("--objections 不能为负数")
    if not ids:
        raise EditError("请写出至少一个公示编号")
    result = Result()
    for ident in ids:
        notice = session.announcement(ident)
        _check_close(notice, day, objections, outcome, upheld, _citation(session, notice))
        value: dict[str, Any] = {"closed": day.isoformat(), "objections": objections}
        if upheld and outcome != "passed":
            value["upheld"] = list(upheld)
        value["result"] = outcome
        if note:
            value["note"] = note
        session.edit(notice).set(("outcome",), value)
        subjects = [s for s in notice.data.get("subjects") or [] if s not in upheld]
        verdict = {"passed": "通过", "partial": f"部分通过（异议成立：{'、'.join(upheld)}）", "failed": "不予通过"}[outcome]
        result.lines.append(f"公示 {ident} 已办结：收到异议 {objections} 件，{verdict}")
        if outcome != "failed" and subjects and notice.data.get("kind") != "renewal":
            result.next_steps.append(f"入库（聘任）：roster admit {' '.join(subjects)} --date <入库日期>")
    return session.commit(result, dry_run=dry_run)


def _citation(session: Session, notice: Record) -> str:
    """The clause that makes a 公示 a condition of admission, for the roster of its subjects."""
    subjects = [s for s in notice.data.get("subjects") or [] if isinstance(s, str)]
    roster = "supervisors" if subjects and subjects[0].startswith("S") else "experts"
    try:
        return cite_rule(policy_for(session.registry, roster), "admission.announcement", "supervisor.route")
    except EditError:
        return ""


def _check_close(notice: Record, day: date, objections: int, outcome: str, upheld: list[str], citation: str) -> None:
    ident = notice.id
    if isinstance(notice.data.get("outcome"), dict):
        raise EditError(f"{notice.display}：公示 {ident} 已于 {notice.data['outcome'].get('closed')} 办结，结果不得修改")
    end = (notice.data.get("period") or {}).get("end")
    if not isinstance(end, str):
        raise EditError(f"{notice.display}：公告 {ident} 没有公示期（period），不是需要办结的公示")
    if day.isoformat() <= end:
        why = f"（{citation}：经公示合格的，才正式纳入）" if citation else ""
        raise EditError(f"公示 {ident} 的公示期至 {end} 止：须在公示期满之后办结{why}，办结日期最早为 "
                        f"{(date.fromisoformat(end) + timedelta(days=1)).isoformat()}，现在是 {day.isoformat()}")
    subjects = notice.data.get("subjects") or []
    strangers = [u for u in upheld if u not in subjects]
    if strangers:
        raise EditError(f"--upheld 中的 {'、'.join(strangers)} 不是公示 {ident} 的公示对象（{'、'.join(subjects)}）")
    if outcome == "passed" and upheld:
        raise EditError("结论为 passed（通过）时不能有异议成立的对象：部分对象异议成立请用 --outcome partial")
    if outcome == "partial" and not upheld:
        raise EditError("结论为 partial（部分异议成立）时请用 --upheld 写明异议成立的对象编号")
    if outcome == "partial" and set(upheld) == set(subjects):
        raise EditError("全部对象的异议都成立：请用 --outcome failed")
    if outcome != "passed" and objections == 0:
        raise EditError(f"没有收到异议（--objections 0）时结论只能是 passed，现在是 {outcome}")
    if len(upheld) > objections:
        raise EditError(f"异议成立的对象有 {len(upheld)} 个，多于收到的异议件数 {objections}")

