"""Cross-record integrity: ids match file names, every reference resolves, histories are in order."""

from __future__ import annotations

import json
import os
from collections.abc import Container, Iterator
from datetime import timedelta
from functools import cache
from typing import Any

from ..core.findings import Finding, error, warning
from ..core.holidays import statutory_holidays, statutory_source
from ..core.timeutil import parse_date
from ..core.vocab import FOLDERS, KIND_LABEL
from ..core.workdays import CalendarFileError, CalendarYearUnknown, load_calendar_dir, workdays_between
from ..policies.bureau import roster_policy
from ..policies.presets import load_preset
from ..yamlio.packaged import packaged
from .registry import Record, Registry
from .schemas import default_schema_dir

# field paths that hold references, per record kind: (path with "*" for list items, target kind)
REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "institution": [(("legal_entity",), "institution"), (("parent",), "institution")],
    "expert": [
        (("employer",), "institution"),
        (("employment_history", "*", "institution"), "institution"),
        (("admission", "recommended_by"), "institution"),
        (("admission", "announcement"), "announcement"),
        (("conflicts", "*", "institution"), "institution"),
    ],
    "supervisor": [
        (("employer",), "institution"),
        (("employment_history", "*", "institution"), "institution"),
        (("conflicts", "*", "institution"), "institution"),
        (("claims", "*"), "institution"),
        (("admission", "announcement"), "announcement"),
    ],
    "announcement": [(("subjects", "*"), "person"), (("outcome", "upheld", "*"), "person"), (("draw",), "draw")],
    "conduct": [(("person",), "person"), (("draw",), "draw")],
    "draw": [(("request", "subjects", "*"), "institution"), (("request", "parent"), "draw")],
}
_FOLDER_OF_KIND = {kind: (folder, by_year, pattern) for folder, (kind, by_year, pattern) in FOLDERS.items()}


@cache
def lifecycle() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/lifecycle.yaml")
    return data


def status_label(status: str) -> str:
    return f"{status}（{lifecycle()['labels'].get(status, '?')}）"


ROSTER_OF_KIND = {"expert": "experts", "supervisor": "supervisors"}


def removal_final(registry: Registry, kind: str) -> str | None:
    """The clause that makes a removal final for this kind of person under the registry's preset
    (XZ 第二十八条), or None where the preset's document sets no such bar (GY, JN)."""
    settings = registry.settings.data if registry.settings is not None and registry.settings.document is not None else None
    return load_preset(roster_policy(settings, ROSTER_OF_KIND[kind])).removal_citation()


def allowed_after(status: Any, final: str | None) -> list[str]:
    """The statuses ``status`` may change to; a removal that is not final allows re-entry."""
    allowed: list[str] = lifecycle()["transitions"].get(status, [])
    return lifecycle()["reentry"] if status == "removed" and final is None else allowed


def check_integrity(registry: Registry, *, records: Container[str] | None = None,
                    registry_level: bool = True) -> Iterator[Finding]:
    """`records` limits the checks of single records to these files (None: all); `registry_level` adds
    the checks across records (legal-entity roots, unique certificate numbers)."""
    ids: dict[str, set[str]] = {kind: set() for kind in KIND_LABEL}
    for record in registry.records:
        if record.id:
            ids[record.kind].add(record.id)
        elif record.document is None:
            ids[record.kind].add(record.stem)  # unreadable: its own error says so; references to it are not errors too
    ids["person"] = ids["expert"] | ids["supervisor"]
    names = _Names(registry)
    final = {kind: removal_final(registry, kind) for kind in ROSTER_OF_KIND}
    for record in registry.records:
        if record.document is None or (records is not None and record.file not in records):
            continue
        yield from _id_matches_file(record)
        yield from _references(record, ids, names)
        yield from _status_history(record, final.get(record.kind))
        yield from _dates_in_order(record)
        if record.kind == "expert" and "incomplete" in record.data:
            yield from _incomplete(record)
        elif record.kind == "calendar":
            yield from _calendar_complete(record)
    if registry_level:
        yield from _legal_entities(registry)
        yield from _unique_certificates(registry)
        yield from _calendars_complete(registry)
        yield from _announcement_periods(registry)


def _calendar_complete(record: Record) -> Iterator[Finding]:
    """A year file lists every statutory holiday (by name) with at least its statutory days off; for a
    year whose holiday dates core/holidays.py knows, _calendars_complete checks each date instead."""
    holidays = record.data.get("holidays")
    year = record.data.get("year")
    if record.kind != "calendar" or not isinstance(holidays, list) or (isinstance(year, int) and statutory_holidays(year)):
        return
    law = _statutory_holidays()
    named = [h for h in holidays if isinstance(h, dict) and isinstance(h.get("name"), str)]
    line, col = record.line("holidays")
    if not named:
        yield warning(record.display, line, col, "calendar.complete",
                      f"放假日期都没有写所属节日（name），无法核对是否齐全：请按{law['source']}为每个日期写明节日，"
                      "如 - {date: 2027-01-01, name: 元旦}（roster calendar new 会自动写好）", record=record.id)
        return
    for holiday in law["holidays"]:
        days = sum(1 for h in named if holiday["name"] in h["name"])
        if days < int(holiday["days"]):
            found = f"只列了 {days} 天" if days else "没有列出"
            yield error(record.display, line, col, "calendar.complete",
                        f"{record.data.get('year')} 年的{holiday['name']}放假日期{found}：{law['source']}规定{holiday['name']}"
                        f"放假 {holiday['days']} 天，请按国务院办公厅当年的通知补全（写明 name: {holiday['name']}）",
                        record=record.id)


@cache
def _statutory_holidays() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/holidays.yaml")
    return data


def _incomplete(record: Record) -> Iterator[Finding]:
    """`incomplete` lists exactly what a candidate still lacks: a field listed there is absent from the
    record, and a required field absent from the record is listed there."""
    items = record.data.get("incomplete")
    if record.kind != "expert" or not isinstance(items, list):
        return
    listed = {str(i.get("field")) for i in items if isinstance(i, dict)}
    for index, item in enumerate(items):
        name = str(item.get("field")) if isinstance(item, dict) else ""
        head, _, tail = name.partition(".")
        value = record.data.get(head)
        present = value is not None if not tail else isinstance(value, dict) and tail in value
        if present:
            line, col = record.line("incomplete", index)
            yield error(record.display, line, col, "integrity.incomplete",
                        f"{name} 已经填写，但 incomplete 中仍列为尚缺：请删去 incomplete 的这一项（第 {index + 1} 项）"
                        "，全部补齐后删去整个 incomplete", record=record.id)
    for name in completable_fields():
        # one item of a field awaited (declarations.no_admin_penalty) stands for the field
        if name not in record.data and name not in listed and not any(f.startswith(f"{name}.") for f in listed):
            line, col = record.line("incomplete")
            yield error(record.display, line, col, "integrity.incomplete",
                        f"缺少 {name}：请填写，或在 incomplete 中列出（写明 field: {name} 和应由哪份材料提供 source）",
                        record=record.id)


@cache
def completable_fields() -> tuple[str, ...]:
    """The expert fields a candidate may lack while `incomplete` lists them (schemas/expert.schema.json)."""
    schema = json.loads((default_schema_dir() / "expert.schema.json").read_text(encoding="utf-8"))
    return tuple(schema["else"]["required"])


def _id_matches_file(record: Record) -> Iterator[Finding]:
    record_id = record.id
    if record_id is None:
        return
    if record_id != record.stem:
        line, col = record.line("id")
        yield error(record.display, line, col, "integrity.id_filename",
                    f"编号“{record_id}”与文件名“{record.stem}.yaml”不一致：文件名必须等于编号", record=record_id)
        return
    _, by_year, pattern = _FOLDER_OF_KIND[record.kind]
    if not by_year:
        return
    folder = os.path.basename(os.path.dirname(record.file))
    match = pattern.fullmatch(record_id)
    if match and match.group(1) != folder:
        line, col = record.line("id")
        yield error(record.display, line, col, "integrity.year_folder",
                    f"编号“{record_id}”属于 {match.group(1)} 年，文件应放在 {match.group(1)}/ 文件夹，而不是 {folder}/",
                    record=record_id)


def _values_at(data: Any, path: tuple[str, ...], trail: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if not path:
        yield trail, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _values_at(item, rest, trail + (i,))
    elif isinstance(data, dict) and head in data:
        yield from _values_at(data[head], rest, trail + (head,))


class _Names:
    """Name or alias → id per kind, where unambiguous; built only when a reference does not resolve."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._found: dict[str, dict[str, str]] | None = None

    def get(self, kind: str) -> dict[str, str]:
        if self._found is None:
            self._found = {k: {} for k in KIND_LABEL}
            for record in self.registry.records:
                if record.id:
                    _add_names(self._found[record.kind], record)
            self._found["person"] = {**self._found["expert"], **self._found["supervisor"]}
        return self._found[kind]


def _add_names(found: dict[str, str], record: Record) -> None:
    aliases = record.data.get("aliases")
    for name in [record.data.get("name"), *(aliases if isinstance(aliases, list) else [])]:
        if isinstance(name, str) and record.id:
            found[name] = record.id if found.get(name, record.id) == record.id else ""


def _references(record: Record, ids: dict[str, set[str]], names: _Names) -> Iterator[Finding]:
    for path, target in REFERENCES.get(record.kind, []):
        for where, value in _values_at(record.data, path):
            if isinstance(value, str) and value not in ids[target]:
                line, col = record.line(*where)
                field = ".".join(str(p) for p in path if p != "*")
                known = names.get(target).get(value)
                if known:
                    written = f"- {known}" if isinstance(where[-1], int) else f"{where[-1]}: {known}"
                    message = (f"{field} 要写{KIND_LABEL[target]}的编号，这里写的是名称“{value}”："
                               f"该{KIND_LABEL[target]}编号是 {known}，请写成 {written}")
                else:
                    message = f"{field} 引用的{KIND_LABEL[target]}“{value}”不存在：请先建立该记录，或改正编号"
                yield error(record.display, line, col, "integrity.reference", message, record=record.id)


def _status_history(record: Record, final: str | None) -> Iterator[Finding]:
    if record.kind not in ("expert", "supervisor"):
        return
    history = record.data.get("status_history")
    status = record.data.get("status")
    if not isinstance(history, list) or not history or not all(isinstance(h, dict) for h in history):
        return
    rules = lifecycle()
    first = history[0].get("status")
    if first not in rules["initial"]:
        line, col = record.line("status_history", 0, "status")
        yield error(record.display, line, col, "lifecycle.initial",
                    f"状态记录的第一条必须是 {'或'.join(status_label(s) for s in rules['initial'])}，现在是 {first}",
                    record=record.id)
    for i in range(1, len(history)):
        before, after = history[i - 1].get("status"), history[i].get("status")
        if after not in allowed_after(before, final) and not _repeated_decision(before, history[i]):
            line, col = record.line("status_history", i, "status")
            yield error(record.display, line, col, "lifecycle.transition", _transition_message(before, after, final),
                        record=record.id, citation=final if before == "removed" else None)
    if history[-1].get("status") != status:
        line, col = record.line("status")
        yield error(record.display, line, col, "lifecycle.status_matches_history",
                    f"status 是 {status}，但状态记录最后一条是 {history[-1].get('status')}：两者必须一致"
                    f"（改变状态时请在 status_history 末尾追加一条）", record=record.id)


def _repeated_decision(before: Any, entry: dict[str, Any]) -> bool:
    """A renewal keeps the status and records the decision (active → active, reason renewed)."""
    return bool(before == entry.get("status") and entry.get("reason") in lifecycle()["repeat_reasons"])


def _transition_message(before: Any, after: Any, final: str | None) -> str:
    allowed = allowed_after(before, final)
    if before == "removed" and final:
        return f"状态不能从 {status_label('removed')}变为 {after}：移出是终局状态，被移出者不得重新入库"
    options = "、".join(status_label(s) for s in allowed)
    then = f"只能变为 {options}" if options else "不能再变更"
    return f"状态不能从 {status_label(str(before))}直接变为 {after}：{status_label(str(before))}之后{then}"


def _dates_in_order(record: Record) -> Iterator[Finding]:
    data = record.data
    history = data.get("status_history")
    if isinstance(history, list):
        dates = [h.get("date") if isinstance(h, dict) else None for h in history]
        for i in range(1, len(dates)):
            earlier, later = dates[i - 1], dates[i]
            if isinstance(earlier, str) and isinstance(later, str) and later < earlier:
                line, col = record.line("status_history", i, "date")
                yield error(record.display, line, col, "integrity.history_order",
                            f"状态记录的日期 {later} 早于上一条的 {earlier}：请按时间先后追加", record=record.id)
    for where in (("term",), ("period",), ("request", "activity")):
        span: Any = data
        for key in where:
            span = span.get(key) if isinstance(span, dict) else None
        if isinstance(span, dict):
            start, end = span.get("start"), span.get("end")
            if isinstance(start, str) and isinstance(end, str) and end < start:
                line, col = record.line(*where, "end")
                yield error(record.display, line, col, "integrity.date_range",
                            f"{'.'.join(where)} 的结束日期 {end} 早于开始日期 {start}", record=record.id)
    for i, job in enumerate(data.get("employment_history") or []):
        if isinstance(job, dict) and isinstance(job.get("from"), str) and isinstance(job.get("to"), str) \
                and job["to"] < job["from"]:
            line, col = record.line("employment_history", i, "to")
            yield error(record.display, line, col, "integrity.date_range",
                        f"工作经历第 {i + 1} 条的结束年月 {job['to']} 早于起始年月 {job['from']}", record=record.id)


def _legal_entities(registry: Registry) -> Iterator[Finding]:
    institutions = registry.by_id("institution")
    for record in institutions.values():
        entity_id = record.data.get("legal_entity")
        entity = institutions.get(entity_id) if isinstance(entity_id, str) else None
        if entity is not None and entity.data.get("legal_entity") != entity.id:
            line, col = record.line("legal_entity")
            yield error(record.display, line, col, "integrity.legal_entity",
                        f"所属法人单位“{entity_id}”本身又属于“{entity.data.get('legal_entity')}”："
                        f"legal_entity 必须指向法人单位本身（其 legal_entity 等于自己的编号）", record=record.id)


def _certificate_citation(registry: Registry) -> str | None:
    """The supervisors' preset's certificate clause (JN 第六条（四）), where the preset has one."""
    settings = registry.settings.data if registry.settings is not None and registry.settings.document is not None else None
    preset = load_preset(roster_policy(settings, "supervisors"))
    rule = preset.rules.get("supervisor.certificate")
    return f"{preset.cite(rule.clause)}：{rule.text}" if rule else None


def _unique_certificates(registry: Registry) -> Iterator[Finding]:
    seen: dict[str, Record] = {}
    for record in registry.of_kind("supervisor"):
        number = record.data.get("certificate_no")
        if not isinstance(number, str):
            continue
        if number in seen:
            line, col = record.line("certificate_no")
            yield error(record.display, line, col, "integrity.certificate_unique",
                        f"社会监督员证编号“{number}”已由 {seen[number].id} 使用：编号必须唯一",
                        record=record.id, citation=_certificate_citation(registry))
        else:
            seen[number] = record


def _listed(data: dict[str, Any], key: str) -> set[str]:
    items = data.get(key) or []
    return {str(i.get("date") if isinstance(i, dict) else i) for i in items if isinstance(i, (dict, str))}


def _calendars_complete(registry: Registry) -> Iterator[Finding]:
    """A bureau's calendar file lists every statutory holiday of its year, or a 公示 would run through them."""
    for record in registry.of_kind("calendar"):
        year = record.data.get("year")
        statutory = statutory_holidays(year) if isinstance(year, int) else None
        if record.document is None or record.problems or statutory is None:
            continue
        missing = sorted(d for d in statutory if d.isoformat() not in _listed(record.data, "holidays"))
        if missing:
            line, col = record.line("holidays")
            shown = "、".join(f"{d.isoformat()}（{statutory[d]}）" for d in missing)
            yield error(record.display, line, col, "calendar.statutory",
                        f"{year} 年的日历没有列出法定节假日 {shown}：holidays 须列出全年所有放假日期，"
                        f"否则公示期会把这些日子算作工作日", record=None, citation=statutory_source())


def _announcement_periods(registry: Registry) -> Iterator[Finding]:
    """A 公示's period.workdays is the number of working days from its start to its end, both included."""
    announcements = [r for r in registry.of_kind("announcement") if r.document is not None and not r.problems]
    if not announcements:
        return
    try:
        extra = load_calendar_dir(registry.root / "calendar")
    except CalendarFileError:
        extra = {}  # the file's own problem is reported where it is read
    for record in announcements:
        period = record.data.get("period")
        if not isinstance(period, dict) or not isinstance(period.get("workdays"), int):
            continue
        try:
            start, end = parse_date(str(period.get("start"))), parse_date(str(period.get("end")))
            counted = workdays_between(start - timedelta(days=1), end, extra)
        except CalendarYearUnknown as exc:
            line, col = record.line("period")
            yield error(record.display, line, col, "announcement.workdays", str(exc), record=record.id)
            continue
        except ValueError:
            continue  # dates the schema reports
        if counted != period["workdays"]:
            line, col = record.line("period", "workdays")
            yield error(record.display, line, col, "announcement.workdays",
                        f"公示期 {start.isoformat()} 至 {end.isoformat()} 共有 {counted} 个工作日（法定节假日和调休已计入），"
                        f"period.workdays 写的是 {period['workdays']}：请改正天数或日期", record=record.id)
