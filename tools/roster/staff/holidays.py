"""`roster calendar new YEAR`: a year's working-day calendar from the State Council's holiday notice.

The notice (国务院办公厅关于YYYY年部分节假日安排的通知) has one paragraph per holiday, always in the
same form, for example::

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

Each paragraph gives the days off (a range “至”, or one day) and the adjusted working weekends (“上班”).
Staff paste the notice into a text file; this module turns it into registry/calendar/<year>.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..check.schemas import SchemaSet
from ..check.validate import open_registry
from ..core.errors import EditError
from ..yamlio.load import load_bytes
from ..yamlio.yamltext import render_document, schema_comment
from .changeset import ChangeSet

__all__ = ["Holiday", "calendar_text", "parse_notice", "statutory"]

_PARAGRAPH = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(?P<names>[^：:]+)[：:](?P<body>.*)$")
_DAY = r"(?:(?P<{m}>\d{{1,2}})月)?(?P<{d}>\d{{1,2}})日(?:（[^）]*）|\([^)]*\))?"
_OFF = re.compile(_DAY.format(m="m1", d="d1") + r"(?:\s*至\s*" + _DAY.format(m="m2", d="d2") + r")?\s*放假")
_ONE_DAY = re.compile(_DAY.format(m="m", d="d"))


@dataclass(frozen=True)
class Holiday:
    names: str  # “国庆节、中秋节”
    off: tuple[date, ...]
    workdays: tuple[date, ...]


@cache
def statutory() -> dict[str, Any]:
    data: dict[str, Any] = load_bytes(resources.files("roster").joinpath("data/holidays.yaml").read_bytes()).data
    return data


def parse_notice(text: str, year: int) -> list[Holiday]:
    """Every holiday paragraph of the notice; EditError naming the paragraph that cannot be read."""
    found = []
    for line in text.splitlines():
        paragraph = _PARAGRAPH.match(line)
        if not paragraph:
            continue
        names, body = paragraph.group("names").strip(), paragraph.group("body")
        off = _OFF.search(body)
        if off is None:
            raise EditError(f"通知中“{names}”一段找不到放假日期（应写成“1月1日（周三）放假”或“10月1日至8日放假调休”）")
        first = date(year, int(off.group("m1") or 1), int(off.group("d1")))
        last = date(year, int(off.group("m2") or first.month), int(off.group("d2"))) if off.group("d2") else first
        if last < first:
            raise EditError(f"通知中“{names}”一段的放假日期 {first.isoformat()} 至 {last.isoformat()} 先后颠倒")
        days = tuple(first + timedelta(n) for n in range((last - first).days + 1))
        working = []
        for sentence in re.split(r"[。；;]", body[off.end():]):
            if "上班" in sentence:
                working += [date(year, int(m.group("m") or first.month), int(m.group("d"))) for m in _ONE_DAY.finditer(sentence)]
        found.append(Holiday(names, days, tuple(working)))
    if not found:
        raise EditError("通知中找不到“一、元旦：…放假…”这样的段落：请把国务院办公厅通知的正文原样复制到文本文件中")
    return found


def calendar_text(year: int, holidays: list[Holiday], source: str) -> str:
    """The YAML of registry/calendar/<year>.yaml (schema comment first)."""
    data = {
        "year": year,
        "source": source,
        "holidays": [{"date": d.isoformat(), "name": h.names} for h in holidays for d in h.off],
        "workdays": [{"date": d.isoformat(), "name": f"{h.names}调休上班"} for h in holidays for d in h.workdays],
    }
    if not data["workdays"]:
        del data["workdays"]
    return render_document(data, [schema_comment("calendar", 2)])


def write_calendar(root: Path, year: int, notice: str, *, today: date, source: str | None = None,
                   dry_run: bool = False) -> tuple[Path, list[Holiday], list[str]]:
    """Write registry/calendar/<year>.yaml through the registry's one write path (checked, all or nothing)."""
    target = root / "calendar" / f"{year}.yaml"
    if target.exists():
        raise EditError(f"{target} 已经存在：不会覆盖；要重写请先删去该文件")
    holidays = parse_notice(notice, year)
    changes = ChangeSet(root)
    changes.create(target, calendar_text(year, holidays, source or f"国务院办公厅关于{year}年部分节假日安排的通知").encode("utf-8"))
    changes.check_or_raise(today, SchemaSet(), open_registry(root))
    return target, holidays, [] if dry_run else changes.write()
