"""The pages every government site has, linked from each page's footer: 网站地图 (``map.md``, the whole
menu on one page) and 联系我们 (``contact.md``: the bureau, where to object to a 公示, where to report).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .config import report_html
from .context import SiteContext
from .markup import md

__all__ = ["contact_page", "sitemap_page"]


def _entries(nav: Sequence[Any], depth: int) -> list[str]:
    lines = []
    for entry in nav:
        if isinstance(entry, str):  # a section's own index page: linked from the section title instead
            continue
        for title, target in dict(entry).items():
            if isinstance(target, str):
                lines.append(f"{'    ' * depth}- [{md(title)}]({target})")
                continue
            index = next((t for t in target if isinstance(t, str)), None)
            lines.append(f"{'    ' * depth}- " + (f"[{md(title)}]({index})" if index else md(title)))
            lines += _entries(target, depth + 1)
    return lines


def sitemap_page(nav: Sequence[Any]) -> dict[str, str]:
    lines = ["# 网站地图", "", "本网站的全部栏目。公告、抽取记录等逐条的页面在各栏目中列出。", ""]
    lines += _entries(nav, 0) + ["- [联系我们](contact.md)", ""]
    return {"map.md": "\n".join(lines)}


def contact_page(ctx: SiteContext) -> dict[str, str]:
    bureau = ctx.bureau
    channels = (ctx.settings.get("announcements") or {}).get("channels") or {}
    rows = [("单位", bureau.get("name")), ("主管科室", bureau.get("office")), ("办公电话", bureau.get("office_phone")),
            ("办公地址", " ".join(str(x) for x in (bureau.get("office_address"), bureau.get("postcode") and
                                                   f"（邮编 {bureau['postcode']}）") if x)),
            ("办公时间", channels.get("office_hours"))]
    lines = ["# 联系我们", ""]
    lines += [f"- {name}：{md(value)}" for name, value in rows if value]
    lines += ["", "## 对公示有异议", "",
              "请在公示期内按各条公示页面上写明的方式和渠道提出（见[公示公告](notices/index.md)）。", "",
              "## 监督举报", "", report_html(ctx.site), ""]
    if ctx.site.get("error_report"):
        lines += ["## 网站纠错", "", f"发现本网站内容有错误或无法访问，请通过[我为政府网站找错]({ctx.site['error_report']})平台告诉我们。", ""]
    return {"contact.md": "\n".join(lines)}
