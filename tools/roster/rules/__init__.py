"""Eligibility and lifecycle rules, one family per module; parameters and citations come from the
policy preset (tools/roster/policies/), never from code.

`check_rules(registry, today)` yields every finding; `roster validate` calls it after the integrity checks.
"""

from __future__ import annotations

from .base import Context, Indexes, Policy, Rule
from .engine import KNOWN_RULES, check_rules
from .policy import resolve_policy

__all__ = ["KNOWN_RULES", "Context", "Indexes", "Policy", "Rule", "check_rules", "resolve_policy"]
