"""Conduct events that require removal: bad-behaviour records (XZ 第二十七条), absences (GY 第九条（八））."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..core.findings import Finding
from ..core.timeutil import add_years_minus_one_day
from ..policies.presets import label, labelled
from .base import SERVING, Context, Person, Rule, as_date


@dataclass(frozen=True)
class Breach:
    """The threshold was reached on `reached`, by these events (date, id), oldest first."""

    reached: date
    events: tuple[tuple[date, str], ...]
    period: str


def counted_events(p: Person, rule: Rule, ctx: Context) -> list[tuple[date, str]]:
    """Events of the counted kinds, excused absences left out, sorted by date."""
    kinds = rule.params["kinds"]
    found = []
    for event in ctx.conduct_of(p.id):
        data = event.data
        when = as_date(data.get("date"))
        if when and data.get("kind") in kinds and data.get("excused") is not True and when <= ctx.today:
            found.append((when, str(event.id)))
    return sorted(found)


def first_breach(events: list[tuple[date, str]], threshold: int, window: str) -> Breach | None:
    """The earliest moment `threshold` events fall in one counting window."""
    if threshold < 1 or len(events) < threshold:
        return None
    if window == "calendar_year":
        by_year: defaultdict[int, list[tuple[date, str]]] = defaultdict(list)
        for event in events:
            by_year[event[0].year].append(event)
        hits = [(year, group[:threshold]) for year, group in by_year.items() if len(group) >= threshold]
        if not hits:
            return None
        year, group = min(hits, key=lambda h: h[1][-1][0])
        return Breach(group[-1][0], tuple(group), f"{year} 年内")
    if window == "rolling_12_months":
        for i in range(len(events) - threshold + 1):
            group = events[i:i + threshold]
            if group[-1][0] <= add_years_minus_one_day(group[0][0], 1):
                return Breach(group[-1][0], tuple(group), f"{group[0][0].isoformat()} 起12个月内")
        return None
    group = events[:threshold]
    return Breach(group[-1][0], tuple(group), "累计")


def breach(p: Person, rule: Rule, ctx: Context) -> Breach | None:
    if p.status not in SERVING or p.id not in ctx.indexes.conduct:
        return None
    return first_breach(counted_events(p, rule, ctx), int(rule.params["threshold"]), str(rule.params["window"]))


def threshold_reached(p: Person, rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Reaching the threshold while still serving: a warning during the grace period, then an error."""
    found = breach(p, rule, ctx)
    if found is None:
        return
    grace = int(rule.params.get("grace_days", 0))
    late = (ctx.today - found.reached).days >= grace
    kinds = "、".join(label("conduct_kinds", k) for k in rule.params["kinds"])
    listed = "、".join(f"{event_id}（{when.isoformat()}）" for when, event_id in found.events)
    reason = ctx.policy.reason(str(rule.params["reason"]))
    code = f"（原因代码 {reason.code}）" if reason else ""
    tail = "" if late else f"（本系统规则：宽限期 {grace} 天，{(found.reached + timedelta(days=grace)).isoformat()} 起为错误）"
    yield rule.finding(
        p, ("status",),
        f"{found.period}有 {len(found.events)} 次{kinds}记录：{listed}，达到 {rule.params['threshold']} 次应移出{code}，"
        f"状态仍为 {labelled('statuses', p.status)}：请由本局作出移出决定，将状态改为 removed 并在 status_history 末尾追加一条"
        + tail,
        None if late else "warning")
