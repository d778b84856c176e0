"""`roster status`: what must change on a date, and (with --apply) writing the automatic changes.

The report is computed on each person as they stood on the date: their status from status_history
(the last entry dated on or before it) and the term in force then (current or past). A date in the
past therefore shows what was due then; today or a future date shows what is due now or soon.

Applying edits the YAML text itself (yamledit.py) — the status value and one appended status_history
entry — so comments, order and layout of the rest of the file stay byte for byte. A registry with
other errors is refused; otherwise the edits are checked as a whole, in memory, and written all
together or not at all (changeset.py): a failure leaves every file as it was.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..check.registry import Record, Registry
from ..check.schemas import SchemaSet
from ..check.validate import Outcome, check_registry, open_registry
from ..core.errors import EditError
from ..core.findings import Finding
from ..policies.presets import label, labelled
from ..rules import admission, conduct, lifecycle
from ..rules.base import Context, Indexes, Person, Policy, as_date
from ..rules.engine import ROSTERS
from ..rules.policy import policy_expired
from ..yamlio.load import Document
from ..yamlio.yamledit import RecordEdit
from .changeset import ChangeSet, InvalidChange
from .staffdata import chosen_policy

# rules whose findings `--apply` resolves; any other error stops it
RESOLVED_BY_APPLY = frozenset({"exit.term_ended", "exit.age"})
# order of the kinds of item in the report
DUE_KINDS = ("term_ended", "age_over", "removal_due")
UPCOMING_KINDS = ("term_ending", "age_soon")


@dataclass(frozen=True)
class Item:
    roster: str
    record: str
    name: str
    path: str
    line: int
    kind: str
    when: date  # the day the change takes (or took) effect
    detail: str
    status: str | None  # the status it changes to
    reason: str | None
    citation: str
    automatic: bool
    applicable: bool  # False when the record has changed since the date
    current_status: str

    @property
    def due(self) -> bool:
        return self.kind in DUE_KINDS

    def action(self) -> str:
        target = f"{labelled('statuses', self.status)}，原因 {self.reason}" if self.status else "（见依据）"
        if self.kind in UPCOMING_KINDS:
            return f"{'续聘，或' if self.kind == 'term_ending' else ''}届时改为 {target}"
        if not self.applicable:
            return f"应改为 {target}（此后记录已有变更）"
        if self.automatic:
            return f"改为 {target}"
        if self.status and not lifecycle.can_become(self.current_status, self.status):
            return f"现为 {labelled('statuses', self.current_status)}，请本局决定结束暂停后改为 {target}，或移出"
        return f"经本局决定后改为 {target}"


@dataclass(frozen=True)
class Candidate:
    roster: str
    record: str
    name: str
    category: str
    priority: bool


@dataclass(frozen=True)
class Notice:
    """Someone the bureau should inform, and the clause that says so (XZ 第十四条, 第二十七条)."""

    record: str
    name: str
    unit: str
    matter: str
    citation: str


@dataclass
class RosterReport:
    roster: str
    policy: str
    expired_policy: str | None
    notice_days: int
    priority_citation: str = ""  # the preset's priority clause (XZ 第九条（三）), shown beside the candidates
    items: list[Item] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


@dataclass
class StatusReport:
    as_of: date
    rosters: list[RosterReport]
    applied: list[str] = field(default_factory=list)
    validation: Outcome | None = None

    def items(self) -> Iterator[Item]:
        for roster in self.rosters:
            yield from roster.items


# --- planning --------------------------------------------------------------------------------------


def plan(registry: Registry, as_of: date) -> StatusReport:
    indexes = Indexes.build(registry)
    rosters = []
    for roster in ROSTERS:
        policy = chosen_policy(registry, roster)
        if policy is None:
            continue
        ctx = Context(as_of, policy, registry.settings, indexes)
        report = _roster_report(policy, ctx, indexes.people.get(policy.kind, []))
        report.notices = list(_notices(policy, ctx, registry))
        rosters.append(report)
    return StatusReport(as_of, rosters)


def _roster_report(policy: Policy, ctx: Context, people: list[Record]) -> RosterReport:
    note = None
    if policy.is_enabled("policy.validity") and policy_expired(policy, ctx.today):
        eff = policy.preset.effective
        note = f"《{policy.preset.document.title}》有效期至 {eff.until} 止（{eff.clause}），请确认现行依据"
    notice = max((int(r.params["notice_days"]) for r in policy.enabled() if "notice_days" in r.params), default=0)
    priority = policy.rules.get("admission.priority")
    report = RosterReport(policy.roster, policy.preset.id, note, notice, priority.citation if priority else "")
    for record in people:
        view = as_of_view(record, ctx.today)
        if view is None:
            continue
        then, changed_since = view
        report.items += _items(then, not changed_since, ctx)
        if then.data.get("status") == "candidate" and policy.is_enabled("admission.priority"):
            report.candidates.append(Candidate(policy.roster, str(record.id), str(record.data.get("name")),
                                               str(record.data.get("category", "")),
                                               admission.is_priority(record, policy.rules["admission.priority"])))
    report.items.sort(key=lambda i: (i.kind not in DUE_KINDS, i.when, i.record))
    return report


def _notices(policy: Policy, ctx: Context, registry: Registry) -> Iterator[Notice]:
    people = {str(r.id): r for r in ctx.indexes.people.get(policy.kind, [])}
    if policy.is_enabled("notify.recommending_unit"):
        rule = policy.rules["notify.recommending_unit"]
        for draw in registry.of_kind("draw"):
            request = draw.data.get("request") or {}
            end = as_date((request.get("activity") or {}).get("end"))
            if draw.data.get("roster", "experts") != policy.roster or end is None or end < ctx.today:
                continue
            drawn = [*((draw.data.get("result") or {}).get("panel") or []),
                     *(r.get("replaced_by") for r in draw.data.get("responses") or [] if r.get("replaced_by"))]
            for ident in drawn:
                person = people.get(str(ident))
                admission = (person.data.get("admission") or {}) if person else {}
                if person and admission.get("route") == "unit_recommended":
                    yield Notice(str(ident), str(person.data.get("name", "")), str(person.data.get("employer", "")),
                                 f"{draw.id} 抽中：通知其所在用人单位安排外出提供服务", rule.citation)
    if policy.is_enabled("notify.bad_behaviour"):
        rule = policy.rules["notify.bad_behaviour"]
        since = ctx.today - timedelta(days=int(rule.params.get("days", 90)))
        for ident, person in people.items():
            for event in ctx.conduct_of(ident):
                day = as_date(event.data.get("date"))
                if event.data.get("kind") == "bad_behaviour" and day is not None and since <= day <= ctx.today:
                    yield Notice(ident, str(person.data.get("name", "")), str(person.data.get("employer", "")),
                                 f"{event.id}（{day.isoformat()}）列入不良行为记录：视情节轻重向所在单位通报", rule.citation)


def as_of_view(record: Record, on: date) -> tuple[Record, bool] | None:
    """The record as it stood on `on` (status and term then), and whether it has changed since."""
    if record.document is None or record.problems:
        return None
    history = [h for h in record.data.get("status_history") or [] if isinstance(h, dict)]
    known = [h for h in history if (d := as_date(h.get("date"))) is not None and d <= on]
    if not known:
        return None
    data = dict(record.data)
    data["status"] = known[-1].get("status")
    terms = [*(record.data.get("past_terms") or []), record.data.get("term")]
    started = [t for t in terms if isinstance(t, dict) and (s := as_date(t.get("start"))) is not None and s <= on]
    if started:
        data["term"] = started[-1]
    else:
        data.pop("term", None)
    changed = len(known) < len(history) or data.get("term") is not record.data.get("term")
    return replace(record, document=Document(data, record.document.positions, record.document.raw)), changed


def _items(record: Record, current: bool, ctx: Context) -> list[Item]:
    policy = ctx.policy
    p = Person.of(record, ctx.today)
    found: list[Item] = []
    if policy.is_enabled("exit.term_ended") and p.term:
        rule = policy.rules["exit.term_ended"]
        term = lifecycle.term_in_force(p, ctx.today)
        due = lifecycle.term_exit_date(p, ctx.today)
        notice = ctx.today + timedelta(days=int(rule.params.get("notice_days", 0)))
        if due and term and term[1] <= notice:
            kind = "term_ended" if due <= ctx.today else "term_ending"
            detail = f"聘期 {term[0].isoformat()} 至 {term[1].isoformat()}"
            found.append(_item(p, ctx, rule.id, kind, due, detail, current))
    if policy.is_enabled("exit.age") and p.birth:
        rule = policy.rules["exit.age"]
        due = lifecycle.age_exit_date(p, policy)
        notice = ctx.today + timedelta(days=int(rule.params.get("notice_days", 0)))
        if due and due <= notice:
            detail = f"出生年月 {p.data['birth']}，超过 {due.year - p.birth[0] - 1} 周岁"
            found.append(_item(p, ctx, rule.id, "age_over" if due <= ctx.today else "age_soon", due, detail, current))
    for rule_id in ("conduct.bad_records", "conduct.absences"):
        if policy.is_enabled(rule_id):
            breach = conduct.breach(p, policy.rules[rule_id], ctx)
            if breach:
                kinds = "、".join(label("conduct_kinds", k) for k in policy.rules[rule_id].params["kinds"])
                found.append(_item(p, ctx, rule_id, "removal_due", breach.reached,
                                   f"{breach.period}{len(breach.events)} 次{kinds}记录", current))
    return found


def _item(p: Person, ctx: Context, rule_id: str, kind: str, when: date, detail: str, current: bool) -> Item:
    rule = ctx.policy.rules[rule_id]
    reason = ctx.policy.reason(str(rule.params.get("reason")))
    citation = ctx.policy.cite(reason.clause) if reason else rule.citation
    record = p.record
    automatic = bool(reason and reason.automatic and lifecycle.can_become(p.status, reason.status))
    return Item(ctx.policy.roster, str(record.id), str(p.data.get("name", "")), record.display,
                record.line("status")[0], kind, when, detail, reason.status if reason else None,
                reason.code if reason else None, citation, automatic, current, p.status)


# --- applying --------------------------------------------------------------------------------------


def run(root: Path, as_of: date, *, apply: bool, today: date) -> StatusReport:
    """The report for `as_of`; with `apply`, also write the automatic changes and re-validate."""
    if not root.is_dir():
        raise EditError(f"找不到名册文件夹 {root}：请用 --registry 指定，或在项目根目录运行")
    if apply and as_of > today:
        raise EditError(f"--apply 只能写入已经发生的变更：--as-of {as_of.isoformat()} 晚于今天（北京时间 {today.isoformat()}）")
    schemas = SchemaSet()
    registry = open_registry(root, schemas=schemas)
    if registry.settings is None or registry.settings.problems:
        raise EditError(f"名册设置文件 {root / 'registry.yaml'} 缺失或有误：请先运行 roster validate 并修正")
    report = plan(registry, as_of)
    if not apply:
        return report
    before = check_registry(registry, as_of)
    blocking = [f for f in before if f.is_error and f.rule not in RESOLVED_BY_APPLY]
    if blocking:
        raise EditError(f"名册有 {len(blocking)} 个其他错误，未写入任何变更：请先运行 roster validate 并修正"
                          f"（第一个：{_where(blocking[0])}）")
    changes = _changes(root, registry, report)
    if not changes.changes:
        report.validation = Outcome(registry, before)
        return report
    try:
        checked = changes.check_or_raise(as_of, schemas, registry)
    except InvalidChange as exc:
        first = exc.findings[0]
        raise EditError(f"自动变更后名册会出现 {len(exc.findings)} 个新的错误，未写入任何变更："
                        f"{first.path}: {first.message} [{first.rule}]") from None
    changes.write()
    report.applied = sorted(c.path.as_posix() for c in changes.changes.values())
    report.validation = Outcome(checked.registry, check_registry(checked.registry, as_of))
    return report


def _where(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}: {finding.message}"


def _changes(root: Path, registry: Registry, report: StatusReport) -> ChangeSet:
    """Every record with an automatic change due, edited in memory (nothing written yet)."""
    records = {r.id: r for r in registry.records if r.kind in ("expert", "supervisor") and r.id}
    chosen: dict[str, Item] = {}
    for item in report.items():
        if item.due and item.automatic and item.applicable and item.status and item.record not in chosen:
            chosen[item.record] = item  # items are sorted by date: the earliest change wins
    changes = ChangeSet(root)
    for record_id, item in chosen.items():
        record = records[record_id]
        try:
            old = record.path.read_bytes()
            changes.modify(record.path, old, edit_status(record, old, item))
        except OSError as exc:
            raise EditError(f"{record.display} 无法读取（{exc.strerror}）：未写入任何变更") from None
    return changes


def history_entry(item: Item) -> dict[str, str]:
    return {"date": item.when.isoformat(), "status": str(item.status), "reason": str(item.reason),
            "citation": item.citation, "note": f"{item.detail}，自动退出（roster status --apply 写入）"}


def edit_status(record: Record, raw: bytes, item: Item) -> bytes:
    """The file with its status changed and one status_history entry appended, nothing else touched.

    EditError when the file is laid out in a way that cannot be edited safely (yamledit.py)."""
    edit = RecordEdit(record.kind, record.display, raw)
    edit.set(("status",), str(item.status))
    edit.append(("status_history",), history_entry(item))
    if record.data.get("advisory_committee") is True and item.status != "active":
        edit.set(("advisory_committee",), False)  # leaving the pool leaves the advisory committee (XZ 第十二条)
    return edit.result()


# --- presenting ------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]], indent: str = "    ") -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    def line(cells: list[str]) -> str:
        return indent + "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()
    return [line(header), *(line(r) for r in rows)]


_SECTIONS = (
    ("一、已到期，可自动变更（roster status --apply 写入）", lambda i: i.due and i.automatic),
    ("二、已到期，须本局作出决定", lambda i: i.due and not i.automatic),
    ("三、{days} 天内将到期（请提前办理）", lambda i: not i.due),
)


def render_text(report: StatusReport) -> str:
    lines = [f"名册状态：截至 {report.as_of.isoformat()}（北京时间）"]
    for roster in report.rosters:
        lines += ["", f"{label('rosters', roster.roster)}（政策预设 {roster.policy}）"]
        if roster.expired_policy:
            lines.append(f"  注意：{roster.expired_policy}")
        for title, keep in _SECTIONS:
            chosen = [i for i in roster.items if keep(i)]
            lines.append(f"  {title.format(days=roster.notice_days)}：{len(chosen)} 人" if chosen else
                         f"  {title.format(days=roster.notice_days)}：无")
            if chosen:
                lines += _table(["编号", "姓名", "事项", "生效日期", "情况", "应办事项", "依据"],
                                [[i.record, i.name, label("status_items", i.kind), i.when.isoformat(), i.detail,
                                  i.action(), i.citation] for i in chosen])
        if roster.candidates:
            lines.append(f"  四、候选人：{len(roster.candidates)} 人（“优先”指副高级以上职称或博士学位，见{roster.priority_citation}，仅供参考）")
            lines += _table(["编号", "姓名", "类别", "优先"],
                            [[c.record, c.name, label("categories", c.category), "是" if c.priority else ""]
                             for c in roster.candidates])
        if roster.notices:
            lines.append(f"  五、须通知的单位：{len(roster.notices)} 项")
            lines += _table(["编号", "姓名", "单位", "事项", "依据"],
                            [[n.record, n.name, n.unit, n.matter, n.citation] for n in roster.notices])
    if report.applied:
        lines += ["", f"已写入 {len(report.applied)} 个文件：", *(f"  {p}" for p in report.applied)]
    elif report.validation is not None:
        lines += ["", "没有需要自动写入的变更。"]
    return "\n".join(lines)


def as_json(report: StatusReport) -> dict[str, Any]:
    payload: dict[str, Any] = {"as_of": report.as_of.isoformat(), "rosters": []}
    for roster in report.rosters:
        payload["rosters"].append({
            "roster": roster.roster, "policy": roster.policy, "policy_note": roster.expired_policy,
            "items": [{"record": i.record, "name": i.name, "path": i.path, "line": i.line, "kind": i.kind,
                       "kind_label": label("status_items", i.kind), "date": i.when.isoformat(), "detail": i.detail,
                       "status": i.status, "reason": i.reason, "citation": i.citation, "automatic": i.automatic,
                       "applicable": i.applicable, "action": i.action()} for i in roster.items],
            "candidates": [{"record": c.record, "name": c.name, "category": c.category, "priority": c.priority}
                           for c in roster.candidates],
            "notices": [{"record": n.record, "name": n.name, "unit": n.unit, "matter": n.matter, "citation": n.citation}
                        for n in roster.notices],
        })
    payload["applied"] = report.applied
    if report.validation is not None:
        payload["validation"] = {"valid": report.validation.valid,
                                 "errors": sum(f.is_error for f in report.validation.findings),
                                 "warnings": sum(not f.is_error for f in report.validation.findings)}
    return payload
