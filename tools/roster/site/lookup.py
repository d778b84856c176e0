"""查找人员: one lookup across every roster (experts of each category, social supervisors) by name, unit or
specialty, in the browser, from a small index built with the site (``opendata/lookup.json``).

The index holds only what the roster pages already show (the published form of each person), one row
per person: ``[id, name, group, page, employer, specialties or occupation]``; ``page`` is the roster page
(site-relative URL), where ``?find=<name>`` pre-fills its filter. ``lookup.js`` fetches it only when the box
is first used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .context import SiteContext
from .labels import label, labels
from .markup import esc, page_url

__all__ = ["LOOKUP_DATA", "lookup_box", "lookup_index"]

LOOKUP_DATA = "opendata/lookup.json"


def _row(person: Mapping[str, Any], group: str, page: str, detail: Any) -> list[str]:
    employer = (person.get("employer") or {}).get("name", "")
    text = "、".join(str(d) for d in detail) if isinstance(detail, list) else str(detail or "")
    return [str(person["id"]), str(person.get("name", "")), group, page_url(page), str(employer), text]


def lookup_index(ctx: SiteContext) -> dict[str, str]:
    rows = []
    for person, data in zip(ctx.experts, ctx.active_experts, strict=True):
        code = data.get("category")  # the page a person is listed on (public by the page itself)
        slug = labels()["categories"].get(code, {}).get("slug")
        if slug:
            rows.append(_row(person, f"{label('categories', code)}专家", f"experts/{slug}.md",
                             person.get("specialties") or person.get("expertise")))
    rows += [_row(p, "社会监督员", "supervisors/index.md", p.get("occupation")) for p in ctx.supervisors]
    data = {"date": ctx.today.isoformat(), "people": rows}
    return {LOOKUP_DATA: json.dumps(data, ensure_ascii=False, separators=(",", ":"))}


def lookup_box(index_url: str, root_url: str) -> str:
    """The search box and result list (HTML; ``lookup.js`` brings it to life)."""
    return (
        f'<div class="roster-lookup" id="lookup" role="search" data-lookup="{esc(index_url)}" '
        f'data-lookup-root="{esc(root_url)}">\n'
        '<label for="lookup-q">查找专家或社会监督员（输入姓名、工作单位或专业）</label>\n'
        '<input id="lookup-q" type="search" autocomplete="off" enterkeyhint="search" aria-describedby="lookup-count">\n'
        '<p class="roster-lookup__count" id="lookup-count" aria-live="polite">在全部名单中查找。</p>\n'
        '<ul class="roster-lookup__results"></ul>\n'
        "</div>\n\n"
    )
