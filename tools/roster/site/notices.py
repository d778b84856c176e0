"""公示公告 as a blog (Material's blog plugin reads ``notices/posts/*.md``) and its RSS feed.

The index page puts the open announcements first, each with its period, how to object and the
office to contact; the blog plugin lists every post below it. The RSS 2.0 feed is written here
(no plugin): ``notices/rss.xml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from ..core.timeutil import BEIJING, parse_date
from .context import SiteContext
from .labels import label, labels
from .markup import EXCERPT_END, md, page_url
from .pages import person_table
from .people import public_person
from .sanitize import render_body

__all__ = ["notice_pages", "post_path", "rss_feed"]

RSS_ITEMS = 50
SUBJECT_COLUMNS = ("name", "gender", "employer", "position", "title", "specialties", "category", "occupation")


def post_path(announcement: Mapping[str, Any]) -> str:
    return f"notices/posts/{str(announcement['id']).lower()}.md"


def _channels(a: Mapping[str, Any], ctx: SiteContext) -> dict[str, str]:
    """Where to object: the announcement's own contact, then ``announcements.channels``, then the bureau."""
    contact = a.get("contact") or {}
    channels = (ctx.settings.get("announcements") or {}).get("channels") or {}
    bureau = ctx.bureau
    written_to = channels.get("written_to") or bureau.get("office_address")
    postcode = channels.get("postcode") or bureau.get("postcode")
    found = {
        "office": contact.get("office") or channels.get("office") or bureau.get("office"),
        "office_phone": contact.get("office_phone") or channels.get("office_phone") or bureau.get("office_phone"),
        "written_to": f"{written_to}（邮编 {postcode}）" if written_to and postcode else written_to,
        "office_hours": channels.get("office_hours"),
        "online": channels.get("online"),
    }
    return {key: str(value) for key, value in found.items() if value}


def _objection_block(a: Mapping[str, Any], ctx: SiteContext) -> list[str]:
    period = a.get("period") or {}
    how = (a.get("contact") or {}).get("how_to_object") or (ctx.settings.get("announcements") or {}).get("how_to_object")
    days = f"（{period['workdays']} 个工作日）" if period.get("workdays") else ""
    lines = [f"- 公示期：{period.get('start')} 至 {period.get('end')}{days}"]
    if how:
        lines.append(f"- 如何提出异议：{md(how)}")
    names = labels()["objection_channels"]
    for key, value in _channels(a, ctx).items():
        shown = f"[{md(value)}]({value})" if key == "online" else md(value)
        lines.append(f"- {names[key]}：{shown}")
    return lines


def status_line(a: Mapping[str, Any], ctx: SiteContext) -> str:
    """The 公示's state as of the build date: open, closed with its result, or closed awaiting it."""
    as_of = f"（截至 {ctx.today.isoformat()}）"
    period = a.get("period") or {}
    outcome = a.get("outcome")
    if ctx.is_open(a):
        return f"公示中，{period.get('end')} 截止{as_of}"
    if outcome:
        return f"公示已结束，结果：{label('announcement_results', outcome.get('result'))}"
    if str(period.get("start", "")) > ctx.today.isoformat():
        return f"公示将于 {period.get('start')} 开始{as_of}"
    return f"公示期已于 {period.get('end')} 结束，结果待公布{as_of}"


def _chinese_date(day: str) -> str:
    parsed = parse_date(day)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


def _subjects(a: Mapping[str, Any], ctx: SiteContext, path: str) -> list[str]:
    records = {**ctx.data_by_id("expert"), **ctx.data_by_id("supervisor")}
    columns = [c for c in SUBJECT_COLUMNS if c in ctx.fields]
    people = [public_person(records[i], ctx.fields, ctx.institutions) for i in a.get("subjects", []) if i in records]
    if not people:
        return []
    return ["## 公示对象", "", person_table(people, columns, path, cls="roster roster--small"), ""]


def _post(a: Mapping[str, Any], ctx: SiteContext) -> str:
    path = post_path(a)
    kind = label("announcement_kinds", a.get("kind"))
    issuer = a.get("issuer") or (ctx.settings.get("announcements") or {}).get("issuer") or ctx.bureau.get("name", "")
    lines = ["---", f"date: {a['published']}", f"slug: {str(a['id']).lower()}", "---", "",
             f"# {md(a.get('title'))}", ""]
    if a.get("doc_no"):
        lines += [f"{md(a['doc_no'])}", "{ .roster-docno }", ""]
    lines += [f"{kind} · 编号 {a['id']} · 发布日期 {a['published']}", ""]
    if a.get("period"):
        lines += [f"**{status_line(a, ctx)}**", ""]
    lines += [EXCERPT_END, ""]
    body = str(a.get("body", "")).strip()
    if body:  # rendered and sanitized here; passed through MkDocs as one raw HTML block
        lines += ['<div class="roster-notice-body">', render_body(body).replace("\n\n", "\n"), "</div>", ""]
    lines += _subjects(a, ctx, path)
    if a.get("period"):
        closed = not ctx.is_open(a) and str(a["period"].get("end", "")) < ctx.today.isoformat()
        lines += ["## 异议受理（公示期已结束）" if closed else "## 如何提出异议", ""] + _objection_block(a, ctx) + [""]
    lines += [f"{md(issuer)}  ", _chinese_date(str(a["published"])), "{ .roster-signoff }", ""]
    draw = a.get("draw")
    if draw and draw in ctx.published_draw_ids:
        lines += [f"抽取记录：[{draw}](../../draws/{str(draw).lower()}.md)", ""]
    outcome = a.get("outcome")
    if outcome:
        lines += ["## 公示结果", "",
                  f"{outcome.get('closed')} 办结：收到异议 {outcome.get('objections', 0)} 件，"
                  f"{label('announcement_results', outcome.get('result'))}。" + (f" {md(outcome['note'])}" if outcome.get("note") else ""),
                  ""]
    elif a.get("period") and not ctx.is_open(a):
        lines += ["## 公示结果", "", f"{status_line(a, ctx)}。办结后在本页公布结果。", ""]
    return "\n".join(lines)


def notice_pages(ctx: SiteContext) -> dict[str, str]:
    pages = {post_path(a): _post(a, ctx) for a in ctx.announcements}
    open_now = [a for a in ctx.announcements if ctx.is_open(a)]
    lines = [f"# {labels()['pages']['notices']}", "", "[RSS 订阅](rss.xml)", "", "## 正在公示", ""]
    if not open_now:
        lines += ["目前没有正在公示的事项。", ""]
    for a in open_now:
        lines += [f"### [{md(a.get('title'))}](posts/{str(a['id']).lower()}.md)", ""]
        lines += _objection_block(a, ctx) + [""]
    lines += ["## 全部公告", ""]
    pages["notices/index.md"] = "\n".join(lines)
    pages["notices/rss.xml"] = rss_feed(ctx)
    return pages


def _rfc822(day: str) -> str:
    return format_datetime(datetime.combine(parse_date(day), time(9, 0), tzinfo=BEIJING))


def rss_feed(ctx: SiteContext) -> str:
    """RSS 2.0 of the latest announcements; links are absolute when ``site.url`` is set."""
    base = str(ctx.site.get("url") or "").rstrip("/")
    prefix = base + "/" if base else "/"
    title = str(ctx.site.get("title", ""))
    items = []
    for a in ctx.announcements[:RSS_ITEMS]:
        link = prefix + page_url(f"notices/{str(a['id']).lower()}.md")
        summary = label("announcement_kinds", a.get("kind"))
        if a.get("period"):
            summary += f"，公示期 {a['period']['start']} 至 {a['period']['end']}"
        items.append(
            "<item>"
            f"<title>{xml_escape(str(a.get('title')))}</title>"
            f"<link>{xml_escape(link)}</link>"
            f'<guid isPermaLink="false">{xml_escape(str(a["id"]))}</guid>'
            f"<pubDate>{_rfc822(str(a['published']))}</pubDate>"
            f"<description>{xml_escape(summary)}</description>"
            "</item>"
        )
    channel_link = prefix + "notices/"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{xml_escape(title)} · {labels()['pages']['notices']}</title>"
        f"<link>{xml_escape(channel_link)}</link>"
        f"<description>{xml_escape(str(ctx.site.get('host', '')))}发布的公示和公告</description>"
        "<language>zh-CN</language>"
        + "".join(items)
        + "</channel></rss>\n"
    )
