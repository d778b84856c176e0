"""公示 periods are counted with the real calendar: period.workdays against its dates, and a bureau's
own calendar file that leaves out a statutory holiday (so a period would run through the Spring Festival)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from roster.check.validate import validate
from roster.core.holidays import statutory_holidays

DEMO = Path(__file__).resolve().parents[2] / "registry"

CALENDAR_2027 = """\
year: 2027
source: 示例：国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - 2027-01-01
{spring}  - 2027-04-05
  - 2027-05-01
  - 2027-05-02
  - 2027-05-03
  - 2027-06-09
  - 2027-09-15
  - 2027-10-01
  - 2027-10-02
  - 2027-10-03
  - 2027-10-04
"""
SPRING = "".join(f"  - 2027-02-{d:02d}\n" for d in range(5, 12))


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    return root


def findings(root: Path, rule: str) -> list[str]:
    outcome = validate(root, use_cache=False, today=date(2026, 12, 18))
    return [f"{f.message}｜{f.citation}" for f in outcome.findings if f.rule == rule]


def test_the_statutory_table_agrees_with_the_package_for_the_years_it_knows() -> None:
    for year in (2025, 2026):
        days = statutory_holidays(year)
        assert days is not None and len(days) == 13  # 元旦1、春节4、清明1、劳动节2、端午1、中秋1、国庆3
        assert all(chinese_calendar.is_holiday(d) for d in days)


def test_a_calendar_file_missing_the_spring_festival_is_an_error(demo: Path) -> None:
    (demo / "calendar").mkdir()
    (demo / "calendar/2027.yaml").write_text(CALENDAR_2027.format(spring=""), encoding="utf-8")
    [message] = findings(demo, "calendar.statutory")
    assert message.startswith("2027 年的日历没有列出法定节假日 2027-02-05（春节）、2027-02-06（春节）、2027-02-07（春节）、"
                              "2027-02-08（春节）：holidays 须列出全年所有放假日期")
    assert message.endswith("｜《全国年节及纪念日放假办法》第二条（2024年国务院令第798号修订）")
    (demo / "calendar/2027.yaml").write_text(CALENDAR_2027.format(spring=SPRING), encoding="utf-8")
    assert findings(demo, "calendar.statutory") == []


def test_period_workdays_must_match_the_dates(demo: Path) -> None:
    path = demo / "announcements/2025/A2025-001.yaml"
    text = path.read_text(encoding="utf-8")
    assert findings(demo, "announcement.workdays") == []
    assert "workdays: 5" in text
    path.write_text(text.replace("workdays: 5", "workdays: 7"), encoding="utf-8")
    [message] = findings(demo, "announcement.workdays")
    assert "共有 5 个工作日（法定节假日和调休已计入），period.workdays 写的是 7" in message
