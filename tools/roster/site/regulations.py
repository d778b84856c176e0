"""规章制度: the policy texts shipped in ``texts/``, one page each, an anchor per article.

Articles (``第六条``) become headings with that exact id, so ``regulations/xz-2023/#第六条`` opens
the clause a validation message cites; :func:`article_url` builds such links. Texts structured as
sections (``一、`` / ``（一）``) get an anchor per section and item instead.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from ..policies import load_preset, preset_ids, read_bureau_settings, render_markdown
from .labels import labels, texts_index
from .markup import md

__all__ = ["article_url", "policy_pages", "regulation_pages", "text_markdown"]

_CHAPTER = re.compile(r"^\s*(第[一二三四五六七八九十百零]+章)\s*(.*)$")
_ARTICLE = re.compile(r"^\s*(第[一二三四五六七八九十百零]+条)\s*(.*)$")
_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)、\s*(.*)$")
_ITEM = re.compile(r"^\s*(（[一二三四五六七八九十]+）)\s*(.*)$")


def article_url(code: str, article: str, *, base: str = "/") -> str:
    """Link to an article of a shipped text: ``article_url("xz-2023", "第六条")`` → ``/regulations/xz-2023/#第六条``.

    ``base`` is the site's URL (``site.url``) or ``/``; the anchor is percent-encoded when ``base``
    is an absolute URL, so the link survives being pasted into e-mails and CI annotations.
    """
    if code not in texts_index():
        raise KeyError(f"没有编号为“{code}”的规章文本")
    anchor = quote(article) if base.startswith("http") else article
    return f"{base.rstrip('/')}/regulations/{code}/#{anchor}"


def _read(code: str) -> str:
    return resources.files(__package__ or __name__).joinpath("texts").joinpath(f"{code}.txt").read_text(encoding="utf-8")


def _spaced(heading: str) -> str:
    return re.sub(r"\s+", " ", heading.replace("\u3000", " ")).strip()


def text_markdown(code: str) -> str:
    """The Markdown of one text: chapters as ``##``, articles (or sections/items) as ``###`` with ids."""
    meta = texts_index()[code]
    lines = [f"# {md(meta['title'])}", ""]
    if meta.get("number") or meta.get("issued"):
        lines += [" · ".join(str(meta[k]) for k in ("number", "issued") if meta.get(k)), ""]
    seen: set[str] = set()
    for raw in _read(code).splitlines():
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        if meta["structure"] == "articles":
            chapter, article = _CHAPTER.match(line), _ARTICLE.match(line)
            if chapter:
                lines += [f"## {chapter.group(1)} {md(_spaced(chapter.group(2)))}", ""]
                continue
            if article and article.group(1) not in seen:
                seen.add(article.group(1))
                lines += [f"### {article.group(1)} {{#{article.group(1)}}}", ""]
                if article.group(2):
                    lines += [md(article.group(2)), ""]
                continue
        else:
            section, item = _SECTION.match(line), _ITEM.match(line)
            if section and section.group(1) not in seen:
                seen.add(section.group(1))
                lines += [f"## {section.group(1)}、{md(section.group(2))} {{#{section.group(1)}}}", ""]
                continue
            if item and item.group(1) not in seen:
                seen.add(item.group(1))
                lines += [f"### {item.group(1)} {{#{item.group(1)}}}", "", md(item.group(2)), ""]
                continue
        lines += [md(line), ""]
    return "\n".join(lines)


def policy_pages(registry_root: Path) -> dict[str, str]:
    """One page per policy preset, generated from the preset data, with this bureau's overrides shown."""
    chosen = read_bureau_settings(registry_root)
    pages = {}
    for preset_id in preset_ids():
        bureau = chosen[preset_id][1] if preset_id in chosen else None
        pages[f"policies/{preset_id}.md"] = render_markdown(preset_id, bureau)
    return pages


def regulation_pages() -> dict[str, str]:
    pages = {f"regulations/{code}.md": text_markdown(code) for code in texts_index()}
    lines = [f"# {labels()['pages']['regulations']}", "",
             "本网站和名册校验所依据的规章制度原文。每一条都有固定链接（例如 第六条 的链接以 `#第六条` 结尾），"
             "校验信息中引用的条款可直接打开。", ""]
    for code, meta in texts_index().items():
        lines.append(f"- [{md(meta['title'])}]({code}.md)" + (f"（{meta['number']}）" if meta.get("number") else ""))
    lines += ["", "## 校验规则（政策预设）", "",
              "名册校验把上述规章转成的检查规则、参数和依据条款（由政策预设数据生成）：", ""]
    lines += [f"- [{md(load_preset(preset_id).name)}（{preset_id}）](../policies/{preset_id}.md)" for preset_id in preset_ids()]
    pages["regulations/index.md"] = "\n".join(lines) + "\n"
    return pages
