"""What the staff commands read besides the records: data/staff.yaml and each roster's policy."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from ..check.registry import Record, Registry
from ..core.errors import EditError
from ..core.timeutil import parse_date
from ..core.vocab import KIND_OF_ROSTER, ROSTER_OF_KIND
from ..rules.base import Policy
from ..rules.policy import resolve_policy
from ..yamlio.packaged import packaged

__all__ = [
    "KIND_OF_ROSTER",
    "ROSTER_OF_KIND",
    "chinese_date",
    "chosen_policy",
    "cite_rule",
    "parse_day",
    "policy_for",
    "record_name",
    "staff_data",
    "term_years",
]



@cache
def staff_data() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/staff.yaml")
    return data


def chosen_policy(registry: Registry, roster: str) -> Policy | None:
    """The policy of `roster` with the bureau's overrides, None when registry.yaml chooses none;
    EditError (at its line in registry.yaml) when the choice or an override is wrong."""
    policy, problems = resolve_policy(registry, roster)
    errors = [p for p in problems if p.is_error]
    if errors:
        first = errors[0]
        raise EditError(f"{first.path}:{first.line}:{first.col}: {first.message}")
    return policy


def policy_for(registry: Registry, roster: str) -> Policy:
    """The policy of `roster`; EditError when registry.yaml does not name one."""
    policy = chosen_policy(registry, roster)
    if policy is None:
        raise EditError(f"registry.yaml 没有为{'专家库' if roster == 'experts' else '社会监督员名册'}选择政策预设"
                        f"（rosters.{roster}.policy）：无法确定聘期和依据条款，请先在 registry.yaml 中写明")
    return policy


def cite_rule(policy: Policy, *rule_ids: str) -> str:
    """The citation 《简称》第N条 of the first of `rule_ids` the policy has."""
    for rule_id in rule_ids:
        rule = policy.rules.get(rule_id)
        if rule is not None:
            return rule.citation
    return f"《{policy.preset.document.short}》"


def term_years(policy: Policy) -> int | None:
    rule = policy.rules.get("term.length")
    return int(rule.params["years"]) if rule is not None and "years" in rule.params else None


def record_name(record: Record) -> str:
    name = record.data.get("name")
    return f"{record.id} {name}" if isinstance(name, str) else str(record.id)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def parse_day(text: str, option: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise EditError(f"{option} 有误：{exc}") from None
