"""Tables of generated pages skip Markdown (issue 16): lifted out of the Markdown, put back by MkDocs
right after it, so the built page and its search entry hold them as before."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from conftest import Built
from roster.site.build import TableFiller
from roster.site.context import SiteError
from roster.site.markup import EXCERPT_END, html_table, lift_tables, placeholder

TABLE = html_table(["编号", "姓名"], [["E0001", "示例甲"]])
OTHER = html_table(["编号", "姓名"], [["E0002", "示例乙"]])


def test_every_table_after_the_excerpt_is_lifted_in_order() -> None:
    text = f"# 标题\n\n{TABLE}\n说明\n\n{OTHER}\n结尾\n"
    lifted_text, lifted = lift_tables(text)
    assert lifted == [("table-1", TABLE), ("table-2", OTHER)]
    assert "<table" not in lifted_text
    assert lifted_text == f"# 标题\n\n{placeholder('table-1')}\n\n说明\n\n{placeholder('table-2')}\n\n结尾\n"


def test_a_table_in_a_blog_excerpt_stays_in_the_markdown() -> None:
    text = f"# 公示\n\n{TABLE}\n{EXCERPT_END}\n\n{OTHER}\n"
    lifted_text, lifted = lift_tables(text)
    assert lifted == [("table-1", OTHER)]
    assert lifted_text.startswith(f"# 公示\n\n{TABLE}\n{EXCERPT_END}")


def _page(src: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src))


def test_the_filler_puts_each_table_back_in_its_own_page_only() -> None:
    filler = TableFiller({"draws/d1.md": [("table-1", TABLE)]})
    hole = f"<p>前</p>\n{placeholder('table-1')}\n<p>后</p>"
    assert filler.on_page_content(hole, page=_page("notices/x.md"), config=None, files=None) == hole
    assert filler.on_page_content(hole, page=_page("draws/d1.md"), config=None, files=None) == \
        f"<p>前</p>\n{TABLE}\n<p>后</p>"
    filler.check_done()


def test_a_lost_placeholder_or_an_unbuilt_page_stops_the_build() -> None:
    filler = TableFiller({"draws/d1.md": [("table-1", TABLE)], "draws/d2.md": [("table-1", OTHER)]})
    with pytest.raises(SiteError, match="找不到表格的位置"):
        filler.on_page_content("<p>表格被删掉了</p>", page=_page("draws/d1.md"), config=None, files=None)
    with pytest.raises(SiteError, match=r"draws/d2\.md"):
        filler.check_done()


def test_generated_tables_skip_markdown_yet_are_built_and_searchable(fixture_site: Built) -> None:
    docs, site = fixture_site.result.docs_dir, fixture_site.result.site_dir
    draw = sorted((docs / "draws").glob("d*.md"))[0]
    assert "<table" not in draw.read_text(encoding="utf-8")
    assert placeholder("table-1") in draw.read_text(encoding="utf-8")
    built = (site / "draws" / draw.stem / "index.html").read_text(encoding="utf-8")
    assert "roster-slot" not in built
    assert built.count('<table class="roster roster--small">') >= 3  # sources, panel, replacements

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = 0
    for post in sorted((docs / "notices" / "posts").glob("*.md")):
        body = post.read_text(encoding="utf-8").split(EXCERPT_END, 1)[-1]
        if placeholder("table-1") not in body:
            continue
        assert "<table" not in body
        page = (site / "notices" / post.stem / "index.html").read_text(encoding="utf-8")
        ids = re.findall(r'<td data-label="编号" class="col-id">(E\d+)</td>', page)
        assert ids, post
        text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith(f"notices/{post.stem}/"))
        assert all(i in text for i in ids), post  # the 公示 table is found by search, as before
        searched += 1
    assert searched
