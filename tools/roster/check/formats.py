"""The formats the schemas declare, "date" and "month", checked by the parsers the rules use
(`core.timeutil`), so that a date the rules cannot read is an error at its line, never skipped."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..core.timeutil import parse_date, parse_month

__all__ = ["FORMATS", "format_error"]

# The shape is the schema's own pattern (which reports a wrong form); the format adds what a pattern
# cannot say: the day exists in that month, and nothing follows (a pattern's $ also matches before a
# final line break).
_SHAPES = {"date": re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
           "month": re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])$")}
_PARSERS = {"date": parse_date, "month": parse_month}
_EXAMPLES = {"date": "2026-03-01", "month": "1975-06"}
FORMATS = tuple(_SHAPES)


def format_error(name: str, value: Any) -> str | None:
    """Why `value` is not a valid `name` ("date" or "month"), or None (also for a value of the wrong
    type or form, which the schema's type and pattern report)."""
    return _string_format_error(name, value) if isinstance(value, str) else None


@lru_cache(maxsize=1 << 16)  # every record holds a dozen dates, mostly the same few hundred
def _string_format_error(name: str, value: str) -> str | None:
    if not _SHAPES[name].match(value):
        return None
    if value != value.rstrip():
        return f"后面多了换行或空格：请只写 {_EXAMPLES[name]} 这样的{'日期' if name == 'date' else '年月'}（不要用 | 或 > 块）"
    try:
        _PARSERS[name](value)
    except ValueError as exc:
        return str(exc)
    return None
