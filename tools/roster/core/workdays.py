"""Working days (工作日) in mainland China: public holidays and adjusted working weekends (补班).

The calendar comes from the `chinese-calendar` package.  For a year the package does not know yet,
every function raises `CalendarYearUnknown` — weekends alone are never used silently (设计文档
“工作日”).  The bureau then adds ``registry/calendar/<year>.yaml`` (schema
``schemas/calendar.schema.json``), copied from the State Council's notice for that year; load it with
`load_calendar_file` or `load_calendar_dir` and pass the result as `extra`.

`extra` maps dates to True (working day) or False (day off).  For every year that has at least one
date in `extra`, `extra` is used exclusively and must be complete for that year: its days off and
adjusted working days are listed, and every other date is a working day exactly when it falls on
Monday–Friday.  Years without dates in `extra` come from the package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import chinese_calendar.constants
import yaml

from .errors import RosterError
from .timeutil import parse_date

__all__ = [
    "CalendarFileError",
    "CalendarYearUnknown",
    "add_workdays",
    "is_workday",
    "load_calendar_dir",
    "load_calendar_file",
    "publicity_period",
    "workdays_between",
]

_ONE_DAY = timedelta(days=1)


def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.constants.holidays]
    return min(years), max(years)


class CalendarYearUnknown(ValueError):
    """The working-day calendar of `year` is known neither to chinese-calendar nor to `extra`."""

    def __init__(self, year: int) -> None:
        self.year = year
        first, last = _package_years()
        super().__init__(
            f"无法计算 {year} 年的工作日：chinese-calendar 软件包（{chinese_calendar.__version__} 版，"
            f"收录 {first}–{last} 年）尚未收录 {year} 年的节假日安排。"
            f"请把国务院办公厅关于 {year} 年部分节假日安排的通知正文存为文本文件，运行 roster calendar new {year} "
            f"--notice <文件>，写出 registry/calendar/{year}.yaml（全年放假日期 holidays 和调休上班日即补班的周六、周日 workdays）；"
            "或升级 chinese-calendar。系统不会只按周末推算工作日。"
        )

    def __reduce__(self) -> tuple[type[CalendarYearUnknown], tuple[int]]:
        return (type(self), (self.year,))


class CalendarFileError(RosterError, ValueError):
    """A calendar file that cannot be used; the message names file, line and column."""


# --- working-day test ------------------------------------------------------------------------------

_WorkdayTest = Callable[[date], bool]


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _package_is_workday(d: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        raise CalendarYearUnknown(d.year) from None


def _workday_test(extra: Mapping[date, bool] | None) -> _WorkdayTest:
    if not extra:
        return _package_is_workday
    table = dict(extra)
    years = {d.year for d in table}

    def test(d: date) -> bool:
        if d.year in years:
            return table.get(d, d.weekday() < 5)
        return _package_is_workday(d)

    return test


def is_workday(d: date, extra: Mapping[date, bool] | None = None) -> bool:
    """True if `d` is a working day (adjusted working weekends included, holidays excluded)."""
    return _workday_test(extra)(_as_date(d))


def _step(start: date, n: int, test: _WorkdayTest) -> date:
    day = start
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if test(day):
            remaining -= 1
    return day


def add_workdays(start: date, n: int, extra: Mapping[date, bool] | None = None) -> date:
    """The n-th working day after `start`, counting from the day after `start`.

    `start` itself never counts, whether or not it is a working day (as 《民法典》第二百零一条
    counts periods: 开始的当日不计入).  n = 0 gives `start`; a negative n counts backwards.
    Friday 2025-09-26 + 5 → 2025-10-10 (09-28 is an adjusted working Sunday; 10-01..10-08 are off).
    For a 公示 use `publicity_period`, which follows the usual notice practice instead.
    """
    return _step(_as_date(start), n, _workday_test(extra))


def publicity_period(
    published: date, n: int, extra: Mapping[date, bool] | None = None
) -> tuple[date, date]:
    """First and last day of a 公示 of `n` working days (“公示期为 n 个工作日”).

    Choice, following usual government practice: a notice published on a working day counts that
    day as the first of its n working days; one published on a day off starts on the next working
    day.  The 公示 ends at the end of the last day.  Published Friday 2025-09-26 for 5 working days →
    (2025-09-26, 2025-10-09).  A bureau that wants the publication day not to count uses
    ``add_workdays(published, n)`` for the last day instead.
    """
    if n < 1:
        raise ValueError(f"公示期工作日数应为正整数，实际为 {n}")
    test = _workday_test(extra)
    published = _as_date(published)
    first = published if test(published) else _step(published, 1, test)
    return first, _step(first, n - 1, test)


def workdays_between(a: date, b: date, extra: Mapping[date, bool] | None = None) -> int:
    """Working days from `a` to `b`: those d with a < d <= b; when b is before a, minus those
    with b <= d < a.

    The inverse of `add_workdays` in both directions: ``workdays_between(a, add_workdays(a, n))``
    is n.  (09-30, 10-10] in 2025 holds two working days, 10-09 and 10-10.
    """
    a, b = _as_date(a), _as_date(b)
    first, last, sign = (a + _ONE_DAY, b, 1) if b >= a else (b, a - _ONE_DAY, -1)
    test = _workday_test(extra)
    return sign * sum(1 for k in range((last - first).days + 1) if test(first + timedelta(days=k)))


# --- calendar files ----------------------------------------------------------------------------------

_YEAR_FILE = re.compile(r"[0-9]{4}")
_INT_TAG = "tag:yaml.org,2002:int"
_STR_TAG = "tag:yaml.org,2002:str"
_TOP_KEYS = {"year", "holidays", "workdays", "source"}
_ITEM_KEYS = {"date", "name"}
_WEEKDAYS = "一二三四五六日"


def _fail(path: Path, node: yaml.Node | None, message: str) -> CalendarFileError:
    if node is None:
        return CalendarFileError(f"{path}: {message}")
    mark = node.start_mark
    return CalendarFileError(f"{path}:{mark.line + 1}:{mark.column + 1}: {message}")


def _compose(path: Path) -> yaml.Node:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise CalendarFileError(f"{path}: 无法读取日历文件（{e.strerror}）") from None
    except UnicodeDecodeError:
        raise CalendarFileError(f"{path}: 日历文件不是 UTF-8 编码") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}: " if mark else ""
        raise CalendarFileError(f"{path}:{where}YAML 格式错误（{e.problem}）") from None
    except yaml.YAMLError as e:
        raise CalendarFileError(f"{path}: YAML 格式错误（{e}）") from None
    if node is None:
        raise CalendarFileError(f"{path}: 日历文件是空的")
    return node


def _mapping(path: Path, node: yaml.Node, allowed: set[str], what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise _fail(path, node, f"{what}应为键值对（映射）")
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if not isinstance(key_node, yaml.ScalarNode) or key not in allowed:
            raise _fail(path, key_node, f"{what}中不能有字段“{key}”，可用字段：{'、'.join(sorted(allowed))}")
        if key in fields:
            raise _fail(path, key_node, f"{what}中的字段“{key}”重复")
        fields[key] = value_node
    return fields


def _year(path: Path, node: yaml.Node) -> int:
    ok = isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG and _YEAR_FILE.fullmatch(node.value)
    if not ok or not 1900 <= int(node.value) <= 2999:
        raise _fail(path, node, "year 应为四位年份数字（不加引号），如 2027")
    year = int(node.value)
    if _YEAR_FILE.fullmatch(path.stem) and int(path.stem) != year:
        raise _fail(path, node, f"文件名是 {path.stem}.yaml，但 year 写的是 {year}")
    return year


def _item_date(path: Path, node: yaml.Node, year: int) -> date:
    if isinstance(node, yaml.MappingNode):
        fields = _mapping(path, node, _ITEM_KEYS, "日期条目")
        if "date" not in fields:
            raise _fail(path, node, "日期条目缺少 date 字段")
        name = fields.get("name")
        if name is not None and not (isinstance(name, yaml.ScalarNode) and name.tag == _STR_TAG):
            raise _fail(path, name, "name 应为文字，如 春节")
        node = fields["date"]
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(path, node, "日期应写成 YYYY-MM-DD，或 {date: YYYY-MM-DD, name: 名称}")
    try:
        d = parse_date(node.value)
    except ValueError as e:
        raise _fail(path, node, str(e)) from None
    if d.year != year:
        raise _fail(path, node, f"日期 {d.isoformat()} 不在 {year} 年内")
    return d


def _dates(path: Path, node: yaml.Node | None, year: int, key: str) -> list[tuple[date, yaml.Node]]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(path, node, f"{key} 应为日期列表")
    return [(_item_date(path, item, year), item) for item in node.value]


def _calendar_from_node(path: Path, root: yaml.Node) -> dict[date, bool]:
    fields = _mapping(path, root, _TOP_KEYS, "日历文件")
    for required in ("year", "holidays"):
        if required not in fields:
            raise _fail(path, root, f"日历文件缺少 {required} 字段")
    source = fields.get("source")
    if source is not None and not (isinstance(source, yaml.ScalarNode) and source.tag == _STR_TAG):
        raise _fail(path, source, "source 应为文字（通知名称和文号）")
    year = _year(path, fields["year"])
    holidays = _dates(path, fields["holidays"], year, "holidays")
    if not holidays:
        raise _fail(path, fields["holidays"], f"holidays 不能为空：每年都有法定节假日，请列出 {year} 年全部放假日期")
    days: dict[date, bool] = {}
    for is_work, entries in ((False, holidays), (True, _dates(path, fields.get("workdays"), year, "workdays"))):
        for d, node in entries:
            if d in days:
                raise _fail(path, node, f"日期 {d.isoformat()} 重复出现")
            if is_work and d.weekday() < 5:
                raise _fail(
                    path, node,
                    f"{d.isoformat()} 是星期{_WEEKDAYS[d.weekday()]}，本来就是工作日；"
                    "workdays 只列调休上班的周六、周日",
                )
            days[d] = is_work
    return days


def load_calendar_file(path: str | Path) -> dict[date, bool]:
    """Read one ``registry/calendar/<year>.yaml`` into ``{date: is_working_day}``.

    Format (see ``schemas/calendar.schema.json``)::

        year: 2027
        source: 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号）
        holidays:                  # every day off that is not an ordinary weekend, and may list
          - 2027-01-01             # weekend days of a holiday too; at least one entry
          - {date: 2027-02-06, name: 春节}
        workdays:                  # adjusted working Saturdays and Sundays (补班)
          - {date: 2027-02-20, name: 春节调休}

    Raises `CalendarFileError` (a ValueError) naming file, line and column for anything wrong.
    """
    p = Path(path)
    return _calendar_from_node(p, _compose(p))


def load_calendar_dir(directory: str | Path) -> dict[date, bool]:
    """Read every ``<year>.yaml`` in `directory` (e.g. ``registry/calendar``); {} if it is absent."""
    folder = Path(directory)
    if not folder.is_dir():
        return {}
    days: dict[date, bool] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        if not _YEAR_FILE.fullmatch(path.stem):
            raise CalendarFileError(f"{path}: 日历文件名应为“<四位年份>.yaml”，如 2027.yaml")
        days.update(load_calendar_file(path))
    return days
