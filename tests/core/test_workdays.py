from __future__ import annotations

import json
import pickle
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roster.core.workdays import (
    CalendarFileError,
    CalendarYearUnknown,
    add_workdays,
    is_workday,
    load_calendar_dir,
    load_calendar_file,
    publicity_period,
    workdays_between,
)

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "calendar.schema.json"

# 2025 National Day + Mid-Autumn (国办发明电〔2024〕12号, as in chinese-calendar 1.11.0):
#   off 2025-10-01 (Wed) .. 2025-10-08 (Wed);
#   adjusted working days: 2025-09-28 (Sunday) and 2025-10-11 (Saturday).
#
#   Sep 26 Fri  work        Oct 01-08   off
#   Sep 27 Sat  off         Oct 09 Thu  work
#   Sep 28 Sun  WORK (补班)  Oct 10 Fri  work
#   Sep 29 Mon  work        Oct 11 Sat  WORK (补班)
#   Sep 30 Tue  work        Oct 12 Sun  off
#                           Oct 13 Mon  work, Oct 14 Tue work


@pytest.mark.parametrize(
    "d, expected",
    [
        (date(2025, 9, 26), True),
        (date(2025, 9, 27), False),
        (date(2025, 9, 28), True),  # adjusted working Sunday
        (date(2025, 10, 1), False),
        (date(2025, 10, 6), False),  # Monday, Mid-Autumn
        (date(2025, 10, 8), False),  # Wednesday, still off
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # adjusted working Saturday
        (date(2025, 10, 12), False),
    ],
)
def test_is_workday_around_national_day_2025(d: date, expected: bool) -> None:
    assert is_workday(d) is expected


def test_five_workdays_after_friday_before_national_day() -> None:
    # After Fri 09-26: 09-28 (1), 09-29 (2), 09-30 (3), [10-01..10-08 off], 10-09 (4), 10-10 (5).
    assert add_workdays(date(2025, 9, 26), 5) == date(2025, 10, 10)


def test_one_workday_after_last_day_before_holiday() -> None:
    # After Tue 09-30 the next working day is Thu 10-09.
    assert add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_adjusted_saturday_counts() -> None:
    # After Thu 10-09: 10-10 Fri (1), 10-11 Sat 补班 (2), 10-13 Mon (3).
    # Counting weekends only would give 10-14.
    assert add_workdays(date(2025, 10, 9), 3) == date(2025, 10, 13)


def test_zero_and_negative_counts() -> None:
    assert add_workdays(date(2025, 10, 3), 0) == date(2025, 10, 3)
    # One working day before Thu 10-09 is Tue 09-30; three before is Sun 09-28 (补班).
    assert add_workdays(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_workdays(date(2025, 10, 9), -3) == date(2025, 9, 28)


def test_publicity_published_on_workday_counts_that_day() -> None:
    # Published Fri 09-26: 09-26 (1), 09-28 (2), 09-29 (3), 09-30 (4), 10-09 (5).
    assert publicity_period(date(2025, 9, 26), 5) == (date(2025, 9, 26), date(2025, 10, 9))


def test_publicity_over_adjusted_saturday() -> None:
    # Published Thu 10-09: 10-09 (1), 10-10 (2), 10-11 Sat 补班 (3), 10-13 (4), 10-14 (5).
    assert publicity_period(date(2025, 10, 9), 5) == (date(2025, 10, 9), date(2025, 10, 14))


def test_publicity_published_during_holiday_starts_next_workday() -> None:
    # Published Fri 10-03 (holiday): first day 10-09, then 10-10, 10-11, 10-13, 10-14.
    assert publicity_period(date(2025, 10, 3), 5) == (date(2025, 10, 9), date(2025, 10, 14))
    # Published Sat 09-27: the next day is the adjusted working Sunday 09-28.
    assert publicity_period(date(2025, 9, 27), 1) == (date(2025, 9, 28), date(2025, 9, 28))


def test_publicity_needs_a_positive_length() -> None:
    with pytest.raises(ValueError, match="公示期"):
        publicity_period(date(2025, 10, 9), 0)


def test_workdays_between() -> None:
    # (09-30, 10-10]: only 10-09 and 10-10 are working days.
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 10)) == 2
    assert workdays_between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    # Backwards: [09-26, 10-10) holds 09-26, 09-28, 09-29, 09-30, 10-09.
    assert workdays_between(date(2025, 10, 10), date(2025, 9, 26)) == -5
    assert workdays_between(date(2025, 10, 1), date(2025, 10, 1)) == 0


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31)), st.integers(-20, 40))
def test_workdays_between_inverts_add_workdays(start: date, n: int) -> None:
    # Stays inside 2004..2026, the years chinese-calendar 1.11.0 knows.
    if start + timedelta(days=2 * n - 7) < date(2004, 1, 1):
        return
    assert workdays_between(start, add_workdays(start, n)) == n


# --- years the package does not know -----------------------------------------------------------


def test_unknown_year_fails_clearly() -> None:
    # Wed 2026-12-30: 12-31 (1) is known, the second working day falls in 2027.
    with pytest.raises(CalendarYearUnknown) as info:
        add_workdays(date(2026, 12, 30), 3)
    assert info.value.year == 2027
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "2027 年" in message
    assert "registry/calendar/2027.yaml" in message
    assert "调休上班日" in message and "补班" in message


@pytest.mark.parametrize("d", [date(2027, 1, 4), date(2003, 6, 2)])
def test_is_workday_unknown_year(d: date) -> None:
    with pytest.raises(CalendarYearUnknown, match=f"{d.year} 年"):
        is_workday(d)


def test_calendar_year_unknown_pickles() -> None:
    copy = pickle.loads(pickle.dumps(CalendarYearUnknown(2027)))
    assert copy.year == 2027 and str(copy) == str(CalendarYearUnknown(2027))


# An invented 2027 calendar used only by these tests (the real one is not published yet):
# 2027-01-01 is a Friday, 2027-01-09 a Saturday, 2027-02-05 a Friday.
CALENDAR_2027 = """\
year: 2027
source: 测试用虚构数据，并非国务院通知
holidays:
  - 2027-01-01
  - {date: 2027-02-05, name: 春节}
workdays:
  - {date: 2027-01-09, name: 调休}
"""


@pytest.fixture
def calendar_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "2027.yaml").write_text(CALENDAR_2027, encoding="utf-8")
    return folder


def test_load_calendar_file(calendar_dir: Path) -> None:
    assert load_calendar_file(calendar_dir / "2027.yaml") == {
        date(2027, 1, 1): False,
        date(2027, 2, 5): False,
        date(2027, 1, 9): True,
    }


def test_calendar_file_fills_unknown_year(calendar_dir: Path) -> None:
    extra = load_calendar_dir(calendar_dir)
    # After Wed 2026-12-30: 12-31 Thu (1, from the package), 01-01 holiday, 01-02/03 weekend,
    # 01-04 Mon (2), 01-05 Tue (3).
    assert add_workdays(date(2026, 12, 30), 3, extra) == date(2027, 1, 5)
    # After Thu 2027-01-07: 01-08 Fri (1), 01-09 Sat adjusted working day (2).
    assert add_workdays(date(2027, 1, 7), 2, extra) == date(2027, 1, 9)
    assert not is_workday(date(2027, 2, 5), extra)
    assert is_workday(date(2027, 2, 8), extra)  # an ordinary Monday


def test_extra_is_used_exclusively_for_its_year() -> None:
    extra = {date(2025, 10, 1): False}
    # 2025 now comes only from `extra`: 09-28 is a plain Sunday, 10-02 a plain Thursday.
    assert not is_workday(date(2025, 9, 28), extra)
    assert is_workday(date(2025, 10, 2), extra)
    # Other years still come from the package: Sat 2026-02-14 is an adjusted working day there.
    assert is_workday(date(2026, 2, 14), extra)


def test_missing_calendar_dir_is_empty(tmp_path: Path) -> None:
    assert load_calendar_dir(tmp_path / "none") == {}


def test_calendar_dir_rejects_badly_named_file(calendar_dir: Path) -> None:
    (calendar_dir / "holidays.yaml").write_text(CALENDAR_2027, encoding="utf-8")
    with pytest.raises(CalendarFileError, match="四位年份"):
        load_calendar_dir(calendar_dir)


@pytest.mark.parametrize(
    "text, message",
    [
        ("year: '2027'\nholidays: [2027-01-01]\n", "1:7: year 应为四位年份数字"),
        ("year: 2027\nholidays: []\n", "holidays 不能为空"),
        ("year: 2027\nholidays: [2027-02-30]\n", "2027 年 2 月只有 28 天"),
        ("year: 2027\nholidays: [2026-12-31]\n", "不在 2027 年内"),
        ("year: 2027\nholidays: [2027-01-01, 2027-01-01]\n", "2027-01-01 重复出现"),
        ("year: 2027\nholidays: [2027-01-01]\nworkdays: [2027-01-04]\n", "星期一，本来就是工作日"),
        ("year: 2027\nholidays: [2027-01-01]\nnote: x\n", "不能有字段“note”"),
        ("year: 2027\nyear: 2027\nholidays: [2027-01-01]\n", "字段“year”重复"),
        ("year: 2027\nholidays: [{name: 元旦}]\n", "缺少 date 字段"),
        ("holidays: [2027-01-01]\n", "缺少 year 字段"),
        ("year: 2027\nholidays: [2027-01-01\n", "YAML 格式错误"),
        ("", "日历文件是空的"),
        ("- 2027-01-01\n", "应为键值对"),
    ],
)
def test_calendar_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "2027.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarFileError, match=message):
        load_calendar_file(path)


def test_calendar_file_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "2027.yaml"
    path.write_text("year: 2027\nholidays:\n  - 2027-01-01\n  - 2027-13-01\n", encoding="utf-8")
    with pytest.raises(CalendarFileError) as info:
        load_calendar_file(path)
    assert str(info.value).startswith(f"{path}:4:5: ")
    assert "月份 13 无效" in str(info.value)


def test_calendar_file_year_must_match_name(tmp_path: Path) -> None:
    path = tmp_path / "2028.yaml"
    path.write_text(CALENDAR_2027, encoding="utf-8")
    with pytest.raises(CalendarFileError, match=re.escape("文件名是 2028.yaml，但 year 写的是 2027")):
        load_calendar_file(path)


def test_calendar_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "2027.yaml"
    path.write_bytes("year: 2027\nholidays: [{date: 2027-02-05, name: 春节}]\n".encode("gbk"))
    with pytest.raises(CalendarFileError, match="UTF-8"):
        load_calendar_file(path)


# --- schema ----------------------------------------------------------------------------------------


def _schemas_with_properties(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append(node)
        for value in node.values():
            found.extend(_schemas_with_properties(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_schemas_with_properties(value))
    return found


def test_schema_fields_have_chinese_title_and_description() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    fields = [f for s in _schemas_with_properties(schema) for f in s["properties"].values()]
    assert len(fields) == 6
    for field in [schema, *fields, *schema["$defs"].values()]:
        for key in ("title", "description"):
            assert any("\u4e00" <= c <= "\u9fff" for c in field[key]), field


def test_schema_accepts_the_example_and_rejects_mistakes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = {
        "year": 2027,
        "source": "测试",
        "holidays": ["2027-01-01", {"date": "2027-02-05", "name": "春节"}],
        "workdays": [{"date": "2027-01-09", "name": "调休"}],
    }
    assert list(validator.iter_errors(good)) == []
    for bad in (
        {**good, "year": "2027"},
        {**good, "holidays": []},
        {**good, "holidays": ["2027-1-1"]},
        {**good, "note": "x"},
        {**good, "workdays": [{"name": "调休"}]},
    ):
        assert list(validator.iter_errors(bad)) != [], bad
