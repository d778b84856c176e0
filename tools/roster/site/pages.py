"""Markdown of the roster pages: home, 专家名单 by category, 专家咨询委员会, 社会监督员名单.

Every generator returns ``{path in the docs folder: text}``; ``build`` writes them. Persons come
only from :class:`~.context.SiteContext` (already reduced to their published fields).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..draw.model import policy_of
from ..policies.presets import load_preset
from .context import SiteContext
from .labels import label, labels
from .lookup import LOOKUP_DATA, lookup_box
from .markup import esc, html_table, md, md_table, nowrap, page_url, rel_url, slot

__all__ = ["committee_page", "expert_pages", "home_page", "person_cells", "person_table", "supervisor_pages"]

SEARCH_EXCLUDED = "---\nsearch:\n  exclude: true\n---\n\n"
# Roster pages need the width of the table of contents (they have no headings to list).
ROSTER_PAGE = "---\nhide:\n  - toc\n---\n\n"
CATEGORY_PAGE = "---\nhide:\n  - toc\nsearch:\n  exclude: true\n---\n\n"


def title(key: str) -> str:
    return str(labels()["pages"][key])


# ------------------------------------------------------------------ person cells


def _term(value: Mapping[str, Any]) -> str:
    return f"{nowrap(value.get('start', ''))} 至 {nowrap(value.get('end', ''))}"


def _title(value: Mapping[str, Any]) -> str:
    return str(value.get("name") or label("title_levels", value.get("level")))


def _education(value: Mapping[str, Any]) -> str:
    parts = [label("education_levels", value.get("level"))] if value.get("level") else []
    parts += [str(value[k]) for k in ("school", "major") if value.get(k)]
    return " ".join(parts)


def _claims(value: Sequence[Mapping[str, Any]], page: str) -> str:
    target = rel_url(page, "supervisors/institutions.md")
    return "<br>".join(f'<a href="{target}#{esc(c["id"].lower())}">{esc(c["name"])}</a>' for c in value)


def person_cells(person: Mapping[str, Any], columns: Sequence[str], page: str) -> list[str]:
    """HTML cells of one published person for the given columns."""
    cells = []
    for column in columns:
        value = person.get(column)
        if value is None or value == []:
            cells.append("")
        elif column == "employer":
            cells.append(esc(value["name"]))
        elif column == "title":
            cells.append(esc(_title(value)))
        elif column == "education":
            cells.append(esc(_education(value)))
        elif column == "term":
            cells.append(_term(value))
        elif column == "category":
            cells.append(esc(label("categories", value)))
        elif column == "background":
            cells.append(esc("、".join(label("backgrounds", b) for b in value)))
        elif column == "claims":
            cells.append(_claims(value, page))
        elif column == "advisory_committee":
            cells.append("是" if value else "")
        elif isinstance(value, list):
            cells.append(esc("、".join(str(v) for v in value)))
        else:
            cells.append(esc(value))
    return cells


def _columns(fields: Sequence[str], order: Sequence[str]) -> list[str]:
    return [f for f in order if f in fields]


EXPERT_COLUMNS = ("name", "gender", "ethnicity", "employer", "position", "title", "specialties", "expertise",
                  "education", "term", "advisory_committee")
SUPERVISOR_COLUMNS = ("name", "gender", "ethnicity", "occupation", "employer", "background", "certificate_no",
                      "claims", "term")


def _headers(columns: Sequence[str]) -> list[str]:
    names = labels()["field_labels"]
    return [str(names[c]) for c in columns]


def person_table(people: Sequence[Mapping[str, Any]], columns: Sequence[str], page: str, *,
                 table_id: str | None = None, cls: str = "roster") -> str:
    """The roster table of ``people``: 编号 and each column that is filled for at least one of them."""
    rows = [[esc(p["id"]), *person_cells(p, columns, page)] for p in people]
    kept = [0] + [i + 1 for i in range(len(columns)) if any(row[i + 1] for row in rows)]
    keys = ["id", *columns]
    return html_table(_headers([keys[i] for i in kept]), ([row[i] for i in kept] for row in rows),
                      table_id=table_id, cls=cls, keys=[keys[i] for i in kept])


def _filter_box(table_id: str, count: int, what: str, page: str) -> str:
    """The filter of one roster table; with no match it points to the other rosters (``lookup.js``)."""
    root = rel_url(page, "index.md").rstrip("/") + "/"
    lookup = (f'data-lookup-index="{rel_url(page, LOOKUP_DATA)}" data-lookup-root="{root}" '
              f'data-lookup-page="{page_url(page)}"')
    return (
        f'<div class="roster-filter" role="search" {lookup}>\n'
        f'<label for="{table_id}-q">筛选{esc(what)}（输入姓名、单位或专业）</label>\n'
        f'<input id="{table_id}-q" type="search" data-filter-table="{table_id}" autocomplete="off" '
        'enterkeyhint="search">\n'
        f'<p class="roster-filter__count" aria-live="polite" data-filter-count="{table_id}">共 {count} 人</p>\n'
        "</div>\n\n"
    )


# ------------------------------------------------------------------ pages


def home_page(ctx: SiteContext, *, intro: str | None = None) -> dict[str, str]:
    site, bureau = ctx.site, ctx.bureau
    by_category = Counter(str(e.get("category")) for e in ctx.active_experts)
    committee = sum(1 for e in ctx.active_experts if e.get("advisory_committee"))
    lines = [f"# {md(site.get('title', bureau.get('name', '')))}", ""]
    intro = intro or str(labels()["home_intro"]).format(bureau=bureau.get("name", ""))
    lines += [intro, "", "## 查找人员", "", lookup_box(LOOKUP_DATA, "./"), "## 概况", ""]
    rows = [[f"[{md(label('categories', c))}专家](experts/{labels()['categories'][c]['slug']}.md)",
             f"{by_category.get(c, 0)} 人"] for c in labels()["categories"]]
    rows += [[f"[{title('committee')}](experts/committee.md)", f"{committee} 人"],
             [f"[{title('supervisors')}](supervisors/index.md)", f"{len(ctx.supervisors)} 人"],
             ["[已公开的抽取记录](draws/index.md)", f"{len(ctx.draws)} 次"]]
    lines += [md_table(["名单", "人数"], rows), f"在库专家合计 {len(ctx.active_experts)} 人（截至 {ctx.today.isoformat()}）。", ""]
    lines += ["## 最新公告", ""]
    latest = ctx.announcements[: int(labels()["home_latest"])]
    if not latest:
        lines.append("暂无公告。")
    for a in latest:
        flag = " **（公示中）**" if ctx.is_open(a) else ""
        lines.append(f"- {a.get('published')} [{md(a.get('title'))}](notices/posts/{str(a['id']).lower()}.md){flag}")
    lines += ["", "[全部公告](notices/index.md) · [RSS 订阅](notices/rss.xml)", "", "## 联系我们", ""]
    lines += _contact_lines(bureau)
    return {"index.md": "\n".join(lines) + "\n"}


def _contact_lines(bureau: Mapping[str, Any]) -> list[str]:
    out = [f"- 单位：{md(bureau.get('name', ''))}"]
    if bureau.get("office"):
        out.append(f"- 科室：{md(bureau['office'])}")
    if bureau.get("office_phone"):
        out.append(f"- 办公电话：{md(bureau['office_phone'])}")
    if bureau.get("office_address"):
        out.append(f"- 地址：{md(bureau['office_address'])}" + (f"（邮编 {bureau['postcode']}）" if bureau.get("postcode") else ""))
    return out


def expert_pages(ctx: SiteContext) -> dict[str, str]:
    """One page per category (excluded from search: its filter serves instead) and an overview."""
    columns = _columns(ctx.fields, EXPERT_COLUMNS)
    pages: dict[str, str] = {}
    rows = []
    for code, entry in labels()["categories"].items():
        people = [p for p, d in zip(ctx.experts, ctx.active_experts, strict=True) if d.get("category") == code]
        path = f"experts/{entry['slug']}.md"
        rows.append([f"[{md(entry['label'])}]({entry['slug']}.md)", f"{len(people)} 人"])
        table_id = f"experts-{entry['slug']}"
        text = CATEGORY_PAGE + f"# {md(entry['label'])}专家名单\n\n"
        text += f"在库{md(entry['label'])}专家 {len(people)} 人（截至 {ctx.today.isoformat()}），按编号排列。\n\n"
        text += _filter_box(table_id, len(people), "本类专家", path)
        placeholder, filler = slot(path, table_id, person_table(people, columns, path, table_id=table_id))
        pages[path] = text + placeholder
        pages.update(filler)
    overview = [f"# {title('experts')}", "",
                f"专家库按专业分类管理{_cited(ctx, 'admission.category')}。名单只公开"
                + "、".join(labels()["field_labels"][f] for f in columns)
                + "，不公开出生年月、联系方式等个人信息。", "",
                md_table(["类别", "人数"], rows),
                f"[{title('committee')}](committee.md)", ""]
    pages["experts/index.md"] = "\n".join(overview)
    return pages


def _cited(ctx: SiteContext, rule: str) -> str:
    """"（《简称》第N条）" of a rule of the expert roster's own preset, or nothing where it has no such rule."""
    preset = load_preset(policy_of("experts", ctx.settings))
    spec = preset.rules.get(rule)
    return f"（{preset.cite(spec.clause)}）" if spec is not None and not spec.system else ""


def committee_page(ctx: SiteContext) -> dict[str, str]:
    columns = _columns(ctx.fields, [c for c in EXPERT_COLUMNS if c != "advisory_committee"])
    if "category" in ctx.fields:
        columns.insert(1, "category")
    members = [p for p, d in zip(ctx.experts, ctx.active_experts, strict=True) if d.get("advisory_committee")]
    path = "experts/committee.md"
    text = ROSTER_PAGE + f"# {title('committee')}\n\n"
    text += (f"专家咨询委员会由在库专家组成，为医保基金监管重大事项提供咨询{_cited(ctx, 'advisory.in_pool')}。"
             f"现有成员 {len(members)} 人。\n\n")
    if members:
        text += person_table(members, columns, path, cls="roster roster--small")
    else:
        text += "暂无成员。\n"
    return {path: text}


def supervisor_pages(ctx: SiteContext) -> dict[str, str]:
    """The roster, and the designated institutions they watch (linked from each supervisor)."""
    columns = _columns(ctx.fields, SUPERVISOR_COLUMNS)
    path = "supervisors/index.md"
    text = ROSTER_PAGE + f"# {title('supervisors')}\n\n"
    text += (f"在聘社会监督员 {len(ctx.supervisors)} 人。每位监督员认领至少一家定点零售药店和一家定点医疗机构"
             "（《晋宁社会监督员管理办法》第十二条（五））；点击机构名称查看该机构的监督员。\n\n")
    text += _filter_box("supervisors", len(ctx.supervisors), "社会监督员", path)
    placeholder, filler = slot(path, "supervisors", person_table(ctx.supervisors, columns, path,
                                                                 table_id="supervisors"))
    return {path: text + placeholder, "supervisors/institutions.md": _institutions_page(ctx), **filler}


def _institutions_page(ctx: SiteContext) -> str:
    claimed: dict[str, list[Mapping[str, Any]]] = {}
    for person in ctx.supervisors:
        for claim in person.get("claims", []):
            claimed.setdefault(claim["id"], []).append(person)
    text = "# 定点医药机构与社会监督员\n\n本页列出定点医药机构及认领它的社会监督员。\n\n"
    rows = []
    for ident, inst in sorted(ctx.institutions.items()):
        designated = inst.get("designated")
        if not designated and ident not in claimed:
            continue
        names = "、".join(esc(p.get("name", p["id"])) for p in claimed.get(ident, []))
        rows.append([f'<span id="{esc(ident.lower())}">{esc(inst.get("name", ident))}</span>',
                     esc(label("designated_kinds", (designated or {}).get("kind"), "")),
                     esc(inst.get("level", "")), names or "（暂无）"])
    text += html_table(["机构", "定点类别", "等级", "认领的社会监督员"], rows, cls="roster roster--small")
    return text + f"\n[返回{title('supervisors')}](index.md)\n"
