"""统计: composition of the experts in force (category, title, institution level, age band) and how
often experts were drawn onto panels of published draws. Ages are computed from the birth month on
the build date and shown only as band counts; no birth month leaves this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.timeutil import age_in_months, parse_month
from .charts import bar_chart
from .context import SiteContext
from .labels import label, labels
from .markup import md_table

__all__ = ["age_band", "stats_pages"]


def age_band(birth: str, ctx: SiteContext) -> str | None:
    try:
        years = age_in_months(parse_month(birth), ctx.today) // 12
    except ValueError:
        return None
    for band in labels()["age_bands"]:
        if years < int(band["below"]):
            return str(band["label"])
    return None


def _ordered(counts: Counter[str], order: Iterable[str]) -> list[tuple[str, int]]:
    known = [(name, counts[name]) for name in order if counts.get(name)]
    rest = sorted((name, n) for name, n in counts.items() if name not in dict(known))
    return known + rest


def _institution_level(expert: Mapping[str, Any], ctx: SiteContext) -> str:
    inst = ctx.institutions.get(str(expert.get("employer")), {})
    if inst.get("level"):
        return str(inst["level"])
    return "非医疗机构（" + label("institution_types", inst.get("type"), "其他") + "）" if inst.get("type") != "hospital" else "未定级"


def _draw_counts(ctx: SiteContext) -> list[tuple[str, int]]:
    times = Counter(ident for draw in ctx.draws for ident in draw.get("result", {}).get("panel", [])
                    if str(ident).startswith("E"))
    spread = Counter(min(times.get(str(e.get("id")), 0), 3) for e in ctx.active_experts)
    names = {0: "未被抽中", 1: "1 次", 2: "2 次", 3: "3 次及以上"}
    return [(names[k], spread.get(k, 0)) for k in range(4)]


def stats_pages(ctx: SiteContext) -> dict[str, str]:
    experts = ctx.active_experts
    charts: list[tuple[str, str, list[tuple[str, int]]]] = [
        ("category", "专家类别", _ordered(Counter(label("categories", e.get("category")) for e in experts),
                                      [label("categories", c) for c in labels()["categories"]])),
        ("title", "职称级别", _ordered(Counter(label("title_levels", (e.get("title") or {}).get("level")) for e in experts),
                                   labels()["title_levels"].values())),
        ("institution-level", "工作单位等级", _ordered(Counter(_institution_level(e, ctx) for e in experts), [])),
        ("age", "年龄段", _ordered(Counter(b for e in experts if (b := age_band(str(e.get("birth")), ctx))),
                                 [b["label"] for b in labels()["age_bands"]])),
        ("draws", "在库专家被抽中次数（已公开的抽取）", _draw_counts(ctx)),
    ]
    pages: dict[str, str] = {}
    lines = [f"# {labels()['pages']['stats']}", "",
             f"在库专家 {len(experts)} 人，统计截至 {ctx.today.isoformat()}（北京时间）。年龄按出生年月计算，只公布各年龄段人数。", ""]
    for slug, heading, items in charts:
        pages[f"stats/{slug}.svg"] = bar_chart(heading, items)
        lines += [f"## {heading}", "", f"![{heading}统计图]({slug}.svg){{ loading=lazy }}", "",
                  md_table([heading, "人数"], [[name, str(n)] for name, n in items] or [["无数据", "0"]]), ""]
    pages["stats/index.md"] = "\n".join(lines)
    return pages
