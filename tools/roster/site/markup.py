"""Small helpers for writing Markdown and HTML: escaping, tables, URLs between generated pages."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Sequence

__all__ = ["EXCERPT_END", "SLOT_PREFIX", "esc", "html_table", "lift_tables", "md", "md_table", "nowrap", "page_url",
           "placeholder", "rel_url", "slot", "src_rel"]

_ANGLE_BRACKETS = str.maketrans("<>", "＜＞")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|!])")


def esc(text: object) -> str:
    """HTML-escape for raw HTML blocks."""
    return html.escape("" if text is None else str(text), quote=True)


def md(text: object) -> str:
    """Escape text for inline Markdown (names and titles typed by staff): Markdown characters get a
    backslash, ``&`` becomes an entity, and ``<`` ``>`` become the full-width ＜ ＞. Not entities: the
    theme turns a heading back into text for the page's <title> (``striptags`` decodes entities), where
    ``&lt;/title&gt;&lt;script&gt;`` would become markup again."""
    text = ("" if text is None else str(text)).replace("&", "&amp;").translate(_ANGLE_BRACKETS)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be escaped (use :func:`md`)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, table_id: str | None = None,
               cls: str = "roster", caption: str | None = None, keys: Sequence[str] | None = None) -> str:
    """A raw HTML table on one block (fast to build for thousands of rows); cells are HTML.

    Each cell carries its column name in ``data-label`` so the stylesheet can show rows as cards on
    a phone, and, given ``keys`` (field names), the class ``col-<key>`` so it can keep names, titles
    and dates on one line. The table sits in a region that scrolls sideways when it is too wide.
    """
    ident = f' id="{esc(table_id)}"' if table_id else ""
    classes = [f' class="col-{esc(k)}"' for k in keys] if keys else ["" for _ in headers]
    head = "".join(f'<th scope="col"{c}>{esc(h)}</th>' for h, c in zip(headers, classes, strict=True))
    labels = [f' data-label="{esc(h)}"{c}' for h, c in zip(headers, classes, strict=True)]
    body = "\n".join("<tr>" + "".join(f"<td{labels[i]}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
                     for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="roster-scroll">'
            f'<table class="{esc(cls)}"{ident}>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>'
            "</div>\n")


def nowrap(text: str) -> str:
    """Escaped text that never breaks across lines (a date, a code)."""
    return f'<span class="nw">{esc(text)}</span>'


def page_url(path: str) -> str:
    """The site URL (from the site root, directory style) of a generated Markdown page."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def rel_url(from_page: str, target: str) -> str:
    """URL of ``target`` (a page ``x/y.md`` or a file ``x/y.json``) relative to page ``from_page``."""
    base = page_url(from_page)
    dest = page_url(target) if target.endswith(".md") else target
    rel = posixpath.relpath("/" + dest, "/" + base) if base else dest
    if dest.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel == "./" else rel


def src_rel(from_page: str, target: str) -> str:
    """Path of ``target`` relative to the source file ``from_page``, as Markdown links are written."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


SLOT_PREFIX = ".slots/"


EXCERPT_END = "<!-- more -->"  # the blog plugin renders what comes before it again, outside the page's own events

_TABLE_BLOCK = re.compile(r'^<div class="roster-scroll">.*?</table></div>\n', re.M | re.S)


def placeholder(name: str) -> str:
    """The line a slot leaves in the Markdown (see :func:`slot`)."""
    return f'<div class="roster-slot" data-slot="{esc(name)}"></div>'


def slot(page: str, name: str, html: str) -> tuple[str, dict[str, str]]:
    """A placeholder for a big HTML block that skips Markdown, and the generated "file" that fills it.

    Python-Markdown parses raw HTML blocks in full (seconds for a 10,000-row table), so roster tables
    are put into the built page after the engine (MkDocs or Zensical) has run: ``build.fill_slots``
    replaces ``<div class="roster-slot" data-slot="NAME"></div>`` with the block. The page's search
    entry (if any) does not hold the block.
    """
    return placeholder(name) + "\n", {f"{SLOT_PREFIX}{page}#{name}": html}


def lift_tables(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Every table block of :func:`html_table` in a generated page, replaced by a placeholder
    (``table-1`` …), and the blocks: MkDocs puts them back as soon as it has the page's HTML
    (``build.TableFiller``), so the page and its search entry are as if they had been in the Markdown,
    but neither Python-Markdown nor MkDocs parses them (both would, in full, in pure Python).

    A blog post keeps the tables of its excerpt (before :data:`EXCERPT_END`) in the Markdown: the blog
    plugin renders the excerpt for the notice list itself, outside the page's events.
    """
    cut = text.find(EXCERPT_END)
    head, body = (text[:cut], text[cut:]) if cut >= 0 else ("", text)
    lifted: list[tuple[str, str]] = []

    def lift(match: re.Match[str]) -> str:
        name = f"table-{len(lifted) + 1}"
        lifted.append((name, match.group()))
        return placeholder(name) + "\n"

    return head + _TABLE_BLOCK.sub(lift, body), lifted
