"""The MkDocs configuration of a build: the top-level ``mkdocs.yml`` with the generated docs folder,
the build's site folder, and the title, address and footer (主办单位、网站标识码、ICP备案号、公安备案号)
taken from ``registry.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .context import SiteContext, SiteError
from .labels import labels
from .markup import esc

__all__ = ["derive_config", "footer_html", "internal_folders", "load_base_config"]

INTERNAL_NAV = "internal_nav"
INTERNAL_SUFFIX = "（内部版，仅供工作人员使用）"

SITE_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/\-]*)?")
ICP_URL = "https://beian.miit.gov.cn/"
PSB_URL = "https://beian.mps.gov.cn/"


def load_base_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise SiteError(f"找不到网站配置文件 {path}") from None
    except yaml.YAMLError as exc:
        raise SiteError(f"网站配置文件 {path} 不是有效的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise SiteError(f"网站配置文件 {path} 应为键值表")
    return data


def report_html(site: Mapping[str, Any]) -> str:
    """监督举报: the national 医保 hotline and the bureau's own channels (``site.report``)."""
    items = []
    for entry in [*labels()["report_national"], *(site.get("report") or [])]:
        parts = [esc(entry["label"])]
        if entry.get("hotline"):
            parts.append(f'<a href="tel:{esc(entry["hotline"])}">{esc(entry["hotline"])}</a>')
        if entry.get("url"):
            parts.append(f'<a href="{esc(entry["url"])}" rel="noopener">网上举报</a>')
        items.append("：".join(parts[:2]) + ("　" + parts[2] if len(parts) > 2 else ""))
    return ('<div class="roster-report"><strong>监督举报</strong>　欺诈骗取医保基金的行为，欢迎举报：'
            + "；".join(items) + "。</div>")


def footer_html(site: Mapping[str, Any]) -> str:
    """The footer: 监督举报, then 主办单位 and 网站标识码, then the ICP and 公安 filing numbers (linked as required)."""
    first = [f"主办单位：{esc(site.get('host', ''))}"]
    if site.get("site_code"):
        first.append(f"网站标识码：{esc(site['site_code'])}")
    second = []
    if site.get("icp"):
        second.append(f'<a href="{ICP_URL}" rel="noopener">{esc(site["icp"])}</a>')
    if site.get("psb"):
        second.append(f'<a href="{PSB_URL}" rel="noopener">{esc(site["psb"])}</a>')
    lines = ["　".join(first)] + (["　".join(second)] if second else [])
    return '<div class="roster-footer">' + report_html(site) + "<br>".join(lines) + "</div>"


def _nav_pages(entries: Any) -> list[str]:
    if isinstance(entries, str):
        return [entries]
    if isinstance(entries, list):
        return [page for entry in entries for page in _nav_pages(entry)]
    if isinstance(entries, dict):
        return [page for value in entries.values() for page in _nav_pages(value)]
    return []


def internal_folders(base: Mapping[str, Any]) -> frozenset[str]:
    """The docs folders of the staff-only pages (``extra.internal_nav``): left out of the public site."""
    pages = _nav_pages((base.get("extra") or {}).get(INTERNAL_NAV, []))
    return frozenset(page.split("/")[0] for page in pages if "/" in page)


def derive_config(base: Mapping[str, Any], ctx: SiteContext, docs_dir: Path, site_dir: Path, *,
                  internal: bool = False, overrides: Path | None = None) -> dict[str, Any]:
    """The build's configuration; ``internal`` appends the staff-only menu (``extra.internal_nav``);
    ``overrides`` is the folder of our theme templates (unless the configuration names its own)."""
    config = dict(base)
    if overrides is not None and not (config.get("theme") or {}).get("custom_dir"):
        config["theme"] = {**config.get("theme", {}), "custom_dir": str(overrides.resolve())}
    extra = dict(config.get("extra") or {})
    internal_nav = extra.pop(INTERNAL_NAV, [])
    config["extra"] = extra
    if internal:
        config["nav"] = [*config.get("nav", []), *internal_nav]
    config["docs_dir"] = str(docs_dir.resolve())
    config["site_dir"] = str(site_dir.resolve())
    # The theme prints site_name into HTML mostly without escaping it, so it is escaped here.
    if ctx.site.get("title"):
        config["site_name"] = esc(ctx.site["title"])
    if internal:
        config["site_name"] = str(config.get("site_name", "")) + INTERNAL_SUFFIX
    if ctx.site.get("url"):
        url = str(ctx.site["url"])
        if not SITE_URL.fullmatch(url):
            raise SiteError(f"registry.yaml 中 site.url“{esc(url)}”不是网址：应写成 https://域名/路径/，只含字母、数字和 . - _ ~ /")
        config["site_url"] = url
    config["copyright"] = footer_html(ctx.site)
    for key in ("gov_mark", "error_report"):  # read by the footer template (overrides/partials/copyright.html)
        if ctx.site.get(key):
            extra[key] = ctx.site[key]
    return config
