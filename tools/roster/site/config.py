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
from .markup import esc

__all__ = ["derive_config", "footer_html", "load_base_config"]

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


def footer_html(site: Mapping[str, Any]) -> str:
    """The footer line: 主办单位 and 网站标识码, then the ICP and 公安 filing numbers (linked as required)."""
    first = [f"主办单位：{esc(site.get('host', ''))}"]
    if site.get("site_code"):
        first.append(f"网站标识码：{esc(site['site_code'])}")
    second = []
    if site.get("icp"):
        second.append(f'<a href="{ICP_URL}" rel="noopener">{esc(site["icp"])}</a>')
    if site.get("psb"):
        second.append(f'<a href="{PSB_URL}" rel="noopener">{esc(site["psb"])}</a>')
    lines = ["　".join(first)] + (["　".join(second)] if second else [])
    return '<div class="roster-footer">' + "<br>".join(lines) + "</div>"


def derive_config(base: Mapping[str, Any], ctx: SiteContext, docs_dir: Path, site_dir: Path) -> dict[str, Any]:
    config = dict(base)
    config["docs_dir"] = str(docs_dir.resolve())
    config["site_dir"] = str(site_dir.resolve())
    # The theme prints site_name into HTML mostly without escaping it, so it is escaped here.
    if ctx.site.get("title"):
        config["site_name"] = esc(ctx.site["title"])
    if ctx.site.get("url"):
        url = str(ctx.site["url"])
        if not SITE_URL.fullmatch(url):
            raise SiteError(f"registry.yaml 中 site.url“{esc(url)}”不是网址：应写成 https://域名/路径/，只含字母、数字和 . - _ ~ /")
        config["site_url"] = url
    config["copyright"] = footer_html(ctx.site)
    return config
