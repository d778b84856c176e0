"""Approved exceptions on a record (exceptions: rule, reason, approved, reference) must name a rule
of the roster's policy that admits exceptions, and must already have been approved."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding, error
from .base import Context, Person, as_date

RULE_ID = "rules.exception"


def check_exceptions(p: Person, ctx: Context) -> Iterator[Finding]:
    record = p.record
    for i, entry in enumerate(p.data.get("exceptions") or []):
        if not isinstance(entry, dict):
            continue
        target = ctx.policy.rules.get(str(entry.get("rule")))
        if target is None:
            line, col = record.line("exceptions", i, "rule")
            yield error(record.display, line, col, RULE_ID,
                        f"例外针对的规则“{entry.get('rule')}”不在政策预设 {ctx.policy.preset.id} 中："
                        f"请写明要豁免的规则编号（见 roster policy show {ctx.policy.preset.id}）", record=record.id)
        elif not target.exceptions:
            line, col = record.line("exceptions", i, "rule")
            yield error(record.display, line, col, RULE_ID,
                        f"规则 {target.id}（{target.title}）不允许例外：{target.citation} 没有规定可以放宽的情形，"
                        f"请删除这条例外或改正规则编号", record=record.id, citation=target.citation)
        elif (approved := as_date(entry.get("approved"))) and approved > ctx.today:
            line, col = record.line("exceptions", i, "approved")
            yield error(record.display, line, col, RULE_ID,
                        f"例外的批准日期 {approved.isoformat()} 晚于校验日 {ctx.today.isoformat()}："
                        f"只能登记已经批准的例外", record=record.id, citation=target.citation)
