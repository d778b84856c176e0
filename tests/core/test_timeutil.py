from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roster.core import timeutil
from roster.core.timeutil import (
    BEIJING,
    add_years_minus_one_day,
    age_in_months,
    parse_date,
    parse_month,
    today_beijing,
)

# --- Beijing time ---------------------------------------------------------------------------------


def test_beijing_is_utc_plus_8() -> None:
    assert datetime(2026, 7, 1, 12, tzinfo=BEIJING).utcoffset() == timedelta(hours=8)
    assert datetime(2026, 1, 1, 12, tzinfo=BEIJING).utcoffset() == timedelta(hours=8)


def test_beijing_uses_tz_database_here() -> None:
    assert str(BEIJING) == "Asia/Shanghai"


def test_fixed_offset_fallback_without_tz_database() -> None:
    def missing(key: str) -> tzinfo:
        raise timeutil.ZoneInfoNotFoundError(key)

    zone = timeutil._beijing_zone(missing)
    assert zone == timezone(timedelta(hours=8))
    assert datetime(2026, 7, 1, tzinfo=zone).utcoffset() == timedelta(hours=8)


def test_utc_evening_is_next_day_in_beijing() -> None:
    # 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Beijing.
    utc = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)
    assert utc.astimezone(BEIJING).date() == date(2026, 3, 2)


def test_today_honours_roster_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-03-01")
    assert today_beijing() == date(2026, 3, 1)


def test_today_without_override_is_beijing_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROSTER_TODAY", raising=False)
    before = datetime.now(BEIJING).date()
    today = today_beijing()
    assert today in (before, datetime.now(BEIJING).date())


def test_bad_roster_today_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-3-1")
    with pytest.raises(ValueError, match="ROSTER_TODAY"):
        today_beijing()


# --- parsing --------------------------------------------------------------------------------------------


def test_parse_date() -> None:
    assert parse_date("2026-03-01") == date(2026, 3, 1)
    assert parse_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "s, message",
    [
        ("2026-02-29", "2026 年 2 月只有 28 天"),
        ("2026-04-31", "2026 年 4 月只有 30 天"),
        ("2026-13-01", "月份 13 无效"),
        ("2026-3-1", "格式有误"),
        ("2026/03/01", "格式有误"),
        ("２０２６-03-01", "格式有误"),  # full-width digits
        (" 2026-03-01", "格式有误"),
        ("0000-01-01", "年份无效"),
    ],
)
def test_parse_date_errors_in_chinese(s: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(s)


def test_parse_date_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="带引号的文本"):
        parse_date(date(2026, 3, 1))  # type: ignore[arg-type]


def test_parse_month() -> None:
    assert parse_month("1966-03") == (1966, 3)


@pytest.mark.parametrize("s", ["1966-3", "1966-00", "1966-13", "1966-03-01", "196603"])
def test_parse_month_errors(s: str) -> None:
    with pytest.raises(ValueError, match=r"年月|月份"):
        parse_month(s)


# --- terms ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, years, end",
    [
        (date(2026, 1, 1), 3, date(2028, 12, 31)),
        (date(2026, 3, 1), 3, date(2029, 2, 28)),  # 2029 is a common year
        (date(2027, 3, 1), 1, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # anniversary 2025-03-01
        (date(2024, 2, 29), 4, date(2028, 2, 28)),  # anniversary 2028-02-29
        (date(2026, 2, 1), 5, date(2031, 1, 31)),
    ],
)
def test_term_end(start: date, years: int, end: date) -> None:
    assert add_years_minus_one_day(start, years) == end


def test_term_of_zero_years_is_an_error() -> None:
    with pytest.raises(ValueError, match="任期年数"):
        add_years_minus_one_day(date(2026, 1, 1), 0)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(1, 10))
def test_consecutive_terms_leave_no_gap(start: date, years: int) -> None:
    end = add_years_minus_one_day(start, years)
    next_start = end + timedelta(days=1)
    assert next_start.year == start.year + years
    assert (next_start.month, next_start.day) == (start.month, start.day) or (
        (start.month, start.day) == (2, 29) and (next_start.month, next_start.day) == (3, 1)
    )


# --- ages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "on, months",
    [
        (date(2026, 2, 28), 719),  # 59 years 11 months
        (date(2026, 3, 1), 720),  # exactly 60 years 0 months on the first day of the month
        (date(2026, 3, 31), 720),
        (date(2026, 4, 1), 721),
        (date(1966, 3, 1), 0),
    ],
)
def test_age_in_months_born_1966_03(on: date, months: int) -> None:
    assert age_in_months((1966, 3), on) == months


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="晚于计算日期"):
        age_in_months((1966, 3), date(1966, 2, 28))


def test_age_with_bad_month_is_an_error() -> None:
    with pytest.raises(ValueError, match="出生月份"):
        age_in_months((1966, 13), date(2026, 1, 1))
