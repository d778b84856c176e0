"""Text typed by staff that the site shows as formatted text: announcement bodies.

A body is Markdown. It is rendered with raw HTML switched off (an HTML tag in a body is shown as text),
and the result is cleaned by an allow-list sanitizer (nh3): only the tags and attributes below survive,
links keep only http and https targets, and an image keeps its address only when it is on the site's
own host (a relative address), so a page never loads anything from elsewhere.
"""

from __future__ import annotations

import re

import markdown
import nh3

__all__ = ["render_body"]

TAGS = {"p", "br", "hr", "strong", "em", "b", "i", "del", "sub", "sup", "code", "pre", "blockquote",
        "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "img"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https"}

_SCHEME = re.compile(r"^[\s\x00-\x1f]*[A-Za-z][A-Za-z0-9+.\-]*:")


def _same_host(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image only at a relative address (no scheme, not ``//host``)."""
    if tag == "img" and attribute == "src":
        bare = value.strip()
        if _SCHEME.match(bare) or bare.startswith(("//", "\\", "/\\")):
            return None
    return value


def render_body(text: str) -> str:
    """Safe HTML for a body written in Markdown."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    html = converter.convert(text)
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, attribute_filter=_same_host,
                     link_rel="noopener noreferrer nofollow", strip_comments=True)
