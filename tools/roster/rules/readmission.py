"""A person who applied again (roster readmit) after 不予入库, 主动退出 or 移出: when, and what of the earlier
application no longer counts — its 公示, its declarations and its term, which ends at the exit. Shared by the
rules (validate) and the staff change path (roster admit, announce), so both judge a readmission alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from .base import as_date

__all__ = ["APPLY_AGAIN", "announced_since", "applied_since", "earlier_announcement", "exit_after", "follows_readmission",
           "term_cut_at_exit"]

APPLY_AGAIN = ("rejected", "withdrawn", "removed")  # the statuses after which a person may apply again
_EXITS = frozenset({"expired", "withdrawn", "removed", "rejected"})


def _history(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [h for h in data.get("status_history") or [] if isinstance(h, dict)]


def applied_since(data: Mapping[str, Any]) -> date | None:
    """The date a person recorded 不予入库, withdrawn or removed became a candidate again (the last such entry), or None."""
    again = None
    for before, entry in pairwise(_history(data)):
        if entry.get("status") == "candidate" and before.get("status") in APPLY_AGAIN:
            again = as_date(entry.get("date"))
    return again


def follows_readmission(data: Mapping[str, Any], admitted: date | None) -> date | None:
    """The readmission date when the admission on `admitted` (or the candidacy, if None) follows one, else None."""
    again = applied_since(data)
    if again is None or (admitted is not None and admitted < again):
        return None
    return again


def announced_since(notice: Mapping[str, Any], day: date) -> bool:
    """Whether a 公示 began on or after `day` (one that began earlier belongs to an earlier application)."""
    start = as_date((notice.get("period") or {}).get("start"))
    return start is not None and start >= day


def earlier_announcement(data: Mapping[str, Any], notice: Mapping[str, Any], admitted: date | None) -> date | None:
    """The readmission date when the 公示 `notice` began before it, so cannot serve the admission on `admitted`
    (None: the candidacy now) — the one test of roster admit, roster announce and validate."""
    again = follows_readmission(data, admitted)
    return again if again is not None and not announced_since(notice, again) else None


def exit_after(data: Mapping[str, Any], start: date) -> date | None:
    """The first exit (期满、主动退出、移出、不予入库) recorded on or after `start`, the day a term began."""
    for entry in _history(data):
        day = as_date(entry.get("date"))
        if entry.get("status") in _EXITS and day is not None and day >= start:
            return day
    return None


def term_cut_at_exit(data: Mapping[str, Any], start: date, end: date) -> date:
    """The last day of a term that an exit ended early: the day before the exit (the exit date is the first
    day out, as a term's exit is the day after its end), never before the start; else the term's end."""
    left = exit_after(data, start)
    if left is None or left > end:
        return end
    return max(start, left - timedelta(days=1))
