"""The statutory holidays of a year (法定节假日), from data/statutory_holidays.yaml.

A bureau's own calendar file (registry/calendar/<year>.yaml) must list every one of them; a file that
lists only some would let a 公示 run straight through the Spring Festival.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import chinese_calendar

from ..yamlio.load import load_bytes

__all__ = ["statutory_holidays", "statutory_source"]


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_bytes(resources.files("roster").joinpath("data/statutory_holidays.yaml").read_bytes()).data
    return data


def statutory_source() -> str:
    return str(_data()["source"])


def statutory_holidays(year: int) -> dict[date, str] | None:
    """Date → holiday name for every statutory day off of `year`, or None for a year the table lacks
    (before the current rules, or beyond the lunar table)."""
    data = _data()
    lunar = data["lunar"].get(str(year))
    if year < int(data["since"]) or lunar is None:
        return None
    days = {date.fromisoformat(f"{year}-{md}"): name for name, dates in data["fixed"].items() for md in dates}
    new_year = date.fromisoformat(str(lunar["春节"]))
    days.update({new_year + timedelta(days=k): "春节" for k in (-1, 0, 1, 2)})
    qingming = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    days.update({d: "清明节" for d, name in qingming if name == "清明"})
    days[date.fromisoformat(str(lunar["端午节"]))] = "端午节"
    days[date.fromisoformat(str(lunar["中秋节"]))] = "中秋节"
    return days
