"""`roster person-key` and `roster calendar new`: the two tools staff used to need a programmer for."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from click.testing import CliRunner
from helpers import Run, snapshot
from sheets import id_number

from roster.check.pii import person_key
from roster.cli import cli
from roster.core.workdays import load_calendar_file

SECRET = "示例局密钥-0123456789abcdef"
NOTICE_2025 = """\
国务院办公厅关于2025年部分节假日安排的通知
国办发明电〔2024〕12号

一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""


def test_person_key_reads_the_number_and_prints_only_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_PERSON_KEY", SECRET)
    number = id_number("19750612", 13)
    result = CliRunner().invoke(cli, ["person-key"], input=number + "\n")
    assert result.exit_code == 0
    assert result.stdout == f"person_key: {person_key(number, SECRET.encode())}\n"
    assert number not in result.output


def test_person_key_refuses_a_bad_number_or_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_PERSON_KEY", SECRET)
    bad = id_number("19750612", 13)[:-1] + "0"
    result = CliRunner().invoke(cli, ["person-key"], input=bad + "\n")
    assert (result.exit_code, result.stderr) == (
        1, f"错误：身份证号 54*************{bad[-3:]} 无效（位数、出生日期或校验位不对）：请核对后重新输入\n")
    monkeypatch.delenv("ROSTER_PERSON_KEY")
    result = CliRunner().invoke(cli, ["person-key"], input=bad + "\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：没有设置本局密钥（环境变量 ROSTER_PERSON_KEY）")


def test_calendar_new_writes_the_year_from_the_notice(demo: Path, tmp_path: Path, run: Run) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(NOTICE_2025, encoding="utf-8")
    code, out, err = run("calendar", "new", "2025", "--notice", str(notice))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "  元旦：2025-01-01 至 2025-01-01 放假，共 1 天",
        "  春节：2025-01-28 至 2025-02-04 放假，共 8 天；调休上班 2025-01-26、2025-02-08",
        "  清明节：2025-04-04 至 2025-04-06 放假，共 3 天",
        "  劳动节：2025-05-01 至 2025-05-05 放假，共 5 天；调休上班 2025-04-27",
        "  端午节：2025-05-31 至 2025-06-02 放假，共 3 天",
        "  国庆节、中秋节：2025-10-01 至 2025-10-08 放假，共 8 天；调休上班 2025-09-28、2025-10-11",
        "已写入 registry/calendar/2025.yaml",
    ]
    # the same working days as chinese-calendar's own 2025 data, day by day
    mine = load_calendar_file(demo / "calendar/2025.yaml")
    day = date(2025, 1, 1)
    while day.year == 2025:
        assert mine.get(day, day.weekday() < 5) == chinese_calendar.is_workday(day), day
        day += timedelta(1)
    assert run("validate")[0] == 0
    # an existing year is never overwritten
    before = snapshot(demo.parent)
    assert run("calendar", "new", "2025", "--notice", str(notice))[0] == 1
    assert snapshot(demo.parent) == before


def test_validate_says_which_holiday_a_year_file_lacks(demo: Path, tmp_path: Path, run: Run) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(NOTICE_2025.replace("三、清明节：4月4日（周五）至6日（周日）放假，共3天。\n", ""), encoding="utf-8")
    before = snapshot(demo.parent)
    code, _, err = run("calendar", "new", "2025", "--notice", str(notice))
    assert code == 1
    assert err.splitlines()[0] == (  # a year whose holiday dates the package knows: each missing date is named
        "registry/calendar/2025.yaml:4:1: 错误: 2025 年的日历没有列出法定节假日 2025-04-04（清明节）：holidays 须列出全年所有放假日期，"
        "否则公示期会把这些日子算作工作日 [calendar.statutory]")
    assert snapshot(demo.parent) == before
