"""Beijing time, strict date parsing, terms and ages.

All dates in the registry are Beijing dates (设计文档“时间”): "today" is today in Asia/Shanghai even
when CI runs on a UTC machine, and it can be pinned with the ``ROSTER_TODAY`` environment variable
(``YYYY-MM-DD``) for tests and reproducible CI runs.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import TodayError

__all__ = [
    "BEIJING",
    "TODAY_ENV",
    "TodayError",
    "add_years_minus_one_day",
    "age_in_months",
    "now_beijing",
    "parse_date",
    "parse_month",
    "today_beijing",
]

TODAY_ENV = "ROSTER_TODAY"

# China has kept UTC+8 without daylight saving since 1991, so the fixed offset is exact for every
# date this project handles; it is only used where the tz database is missing (e.g. some Windows
# machines without the tzdata package).
_FIXED_UTC8 = timezone(timedelta(hours=8), "Asia/Shanghai")


def _beijing_zone(load: Callable[[str], tzinfo] = ZoneInfo) -> tzinfo:
    try:
        return load("Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return _FIXED_UTC8


BEIJING: tzinfo = _beijing_zone()

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def now_beijing() -> datetime:
    """The current time in Beijing (aware datetime)."""
    return datetime.now(BEIJING)


def today_beijing() -> date:
    """Today's date in Beijing, or the date in ``ROSTER_TODAY`` when that is set."""
    pinned = os.environ.get(TODAY_ENV, "").strip()
    if not pinned:
        return now_beijing().date()
    try:
        return parse_date(pinned)
    except ValueError as e:
        raise TodayError(f"环境变量 {TODAY_ENV} 有误：{e}（删除该变量则使用北京时间的今天）") from None


def _check_month(text: str, year: int, month: int) -> None:
    if year < 1:
        raise ValueError(f"“{text}”中的年份无效")
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}”中的月份 {month} 无效，应为 01–12")


def parse_date(s: str) -> date:
    """Parse a date written exactly as ``YYYY-MM-DD`` (ASCII digits, zero-padded)."""
    if not isinstance(s, str):
        raise ValueError(f"日期应写成带引号的文本 YYYY-MM-DD，实际为 {s!r}")
    m = _DATE.fullmatch(s)
    if m is None:
        raise ValueError(f"日期“{s}”格式有误，应为 YYYY-MM-DD（如 2026-03-01）")
    year, month, day = (int(g) for g in m.groups())
    _check_month(s, year, month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"日期“{s}”不存在：{year} 年 {month} 月只有 {last} 天")
    return date(year, month, day)


def parse_month(s: str) -> tuple[int, int]:
    """Parse a month written exactly as ``YYYY-MM`` into ``(year, month)``."""
    if not isinstance(s, str):
        raise ValueError(f"年月应写成带引号的文本 YYYY-MM，实际为 {s!r}")
    m = _MONTH.fullmatch(s)
    if m is None:
        raise ValueError(f"年月“{s}”格式有误，应为 YYYY-MM（如 1966-03）")
    year, month = int(m.group(1)), int(m.group(2))
    _check_month(s, year, month)
    return year, month


def add_years_minus_one_day(start: date, years: int) -> date:
    """Last day of a term of `years` years that begins on `start`: start + N years − 1 day.

    2026-03-01 + 3 years → 2029-02-28; 2027-03-01 + 1 year → 2028-02-29.  A term beginning on
    29 February has its anniversary on 1 March in a common year, so 2024-02-29 + 1 year →
    2025-02-28 (exactly 365 days, like any other one-year term).
    """
    if years < 1:
        raise ValueError(f"任期年数应为正整数，实际为 {years}")
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        anniversary = date(year, 3, 1)
    else:
        anniversary = start.replace(year=year)
    return anniversary - timedelta(days=1)


def age_in_months(birth_ym: tuple[int, int], on: date) -> int:
    """Age in whole months on `on` of a person whose birth is known only as (year, month).

    Convention: the person is taken to be born on the 1st of the birth month, the earliest date
    the record allows, so the result is the highest age the person can have.  Someone born
    1966-03 is 60 years 0 months (720) on every day of 2026-03 and 719 on 2026-02-28: an upper age
    limit ("未满 60 周岁") therefore takes effect from the first day of the birthday month, never
    late.  For a lower age limit the same convention is the lenient reading.
    """
    year, month = birth_ym
    if not 1 <= month <= 12:
        raise ValueError(f"出生月份 {month} 无效，应为 1–12")
    months = (on.year - year) * 12 + (on.month - month)
    if months < 0:
        raise ValueError(f"出生年月 {year:04d}-{month:02d} 晚于计算日期 {on.isoformat()}")
    return months
