"""What the site may show, as of one Beijing date: the single place that decides visibility.

* experts and supervisors: status ``active`` (the roster in force), through :mod:`people`;
* announcements: published on or before today;
* draws: with a result, and ``request.publish`` on or before today — an embargoed draw never
  reaches any page, data file, chart or count (贵阳规定第十二条（五））; until then only its
  commitment is shown (``pending_draws``: id, roster, kind of activity, sources, commitment and
  time-stamp tokens — no names, purpose, subjects or dates of the activity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ..check.registry import Registry
from ..core.timeutil import parse_date
from .people import public_person, published_fields

__all__ = ["SiteContext", "SiteError"]


class SiteError(Exception):
    """An expected problem (bad registry, missing file): one clear line for the user."""


def _day(value: Any) -> date | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass
class SiteContext:
    registry: Registry
    today: date
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, registry: Registry, today: date) -> SiteContext:
        broken = [r.display for r in registry.all_records() if r.problems]
        if registry.settings is None:
            raise SiteError("名册缺少 registry.yaml，无法生成网站")
        if broken:
            listed = "、".join(broken[:5]) + ("等" if len(broken) > 5 else "")
            raise SiteError(f"有 {len(broken)} 个名册文件未通过校验（{listed}），请先运行 roster validate 并改正")
        return cls(registry, today)

    # -- settings --------------------------------------------------------------------------
    @cached_property
    def settings(self) -> dict[str, Any]:
        return self.registry.settings.data if self.registry.settings else {}

    @cached_property
    def bureau(self) -> dict[str, Any]:
        return dict(self.settings.get("bureau", {}))

    @cached_property
    def site(self) -> dict[str, Any]:
        return dict(self.settings.get("site", {}))

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return published_fields(self.site)

    # -- records ---------------------------------------------------------------------------
    @cached_property
    def institutions(self) -> dict[str, dict[str, Any]]:
        return {r.id: r.data for r in self.registry.of_kind("institution") if r.id}

    def data_by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        """Registry data of every record of a kind, by id (private fields included)."""
        if kind not in self._cache:
            self._cache[kind] = {r.id: r.data for r in self.registry.of_kind(kind) if r.id}
        found: dict[str, dict[str, Any]] = self._cache[kind]
        return found

    def _active(self, kind: str) -> list[dict[str, Any]]:
        records = [r.data for r in self.registry.of_kind(kind) if r.data.get("status") == "active"]
        return sorted(records, key=lambda d: str(d.get("id")))

    @cached_property
    def active_experts(self) -> list[dict[str, Any]]:
        """Registry data of the experts in force (private fields included: for counts only)."""
        return self._active("expert")

    @cached_property
    def experts(self) -> list[dict[str, Any]]:
        """The published form of every expert in force."""
        return [public_person(d, self.fields, self.institutions) for d in self.active_experts]

    @cached_property
    def supervisors(self) -> list[dict[str, Any]]:
        return [public_person(d, self.fields, self.institutions) for d in self._active("supervisor")]

    @cached_property
    def announcements(self) -> list[dict[str, Any]]:
        """Announcements published by today, newest first."""
        shown = [r.data for r in self.registry.of_kind("announcement")
                 if (day := _day(r.data.get("published"))) is not None and day <= self.today]
        return sorted(shown, key=lambda d: (str(d.get("published")), str(d.get("id"))), reverse=True)

    def is_open(self, announcement: Mapping[str, Any]) -> bool:
        """Whether the announcement's 公示期 includes today."""
        period = announcement.get("period") or {}
        start, end = _day(period.get("start")), _day(period.get("end"))
        return start is not None and end is not None and start <= self.today <= end

    @cached_property
    def draws(self) -> list[dict[str, Any]]:
        """Draws with a result whose publish date has come, oldest first."""
        shown = []
        for record in self.registry.of_kind("draw"):
            data = record.data
            publish = _day((data.get("request") or {}).get("publish"))
            if data.get("result") and publish is not None and publish <= self.today:
                shown.append(data)
        return sorted(shown, key=lambda d: str(d.get("id")))

    @cached_property
    def pending_draws(self) -> list[dict[str, Any]]:
        """Draws not yet published (no result, or the publish date still ahead), oldest first."""
        shown = {str(d.get("id")) for d in self.draws}
        pending = [r.data for r in self.registry.of_kind("draw") if r.document is not None and not r.problems
                   and str(r.data.get("id")) not in shown]
        return sorted(pending, key=lambda d: str(d.get("id")))

    @cached_property
    def draw_files(self) -> dict[str, Path]:
        """The file of each draw, by id (its time-stamp tokens lie beside it)."""
        return {str(r.id): r.path for r in self.registry.of_kind("draw") if r.id}

    @cached_property
    def published_draw_ids(self) -> frozenset[str]:
        return frozenset(str(d["id"]) for d in self.draws)

    def contacts(self) -> list[str]:
        """Organisational contacts the site prints on purpose (office phones), for the PII scan."""
        found = [self.bureau.get("office_phone")]
        found += [entry.get("hotline") for entry in self.site.get("report") or []]
        found += [((self.settings.get("announcements") or {}).get("channels") or {}).get("office_phone")]
        found += [(a.get("contact") or {}).get("office_phone") for a in self.announcements]
        return sorted({c for c in found if isinstance(c, str)})
