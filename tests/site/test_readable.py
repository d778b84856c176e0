"""Rosters a citizen can read at 390 px and 1280 px: no name, date or (on a desktop) title and header is
broken across lines, and a column that is empty for the whole roster is not shown."""

from __future__ import annotations

import pytest

from conftest import Built, Page, Server
from roster.site.labels import labels

pytestmark = pytest.mark.browser

# every text that must stay on one line, and how many lines each one takes on screen
LINES = """(selector) => Array.from(document.querySelectorAll(selector)).map((el) => {
  const range = document.createRange(); range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
}).filter(([text]) => text.length > 0)"""


def roster_pages(built: Built) -> list[str]:
    posts = sorted(p.stem for p in (built.result.docs_dir / "notices" / "posts").glob("*.md"))
    return ([f"experts/{c['slug']}/" for c in labels()["categories"].values()]
            + ["experts/committee/", "supervisors/", "supervisors/institutions/"] + [f"notices/{p}/" for p in posts])


def test_no_name_or_date_wraps(demo_site: Built, demo_server: Server, screen: Page) -> None:
    one_line = "table.roster td.col-name, table.roster .nw"
    if screen.width > 800:
        one_line += ", table.roster th, table.roster td.col-id, table.roster td.col-title, table.roster td.col-gender"
    checked, wrapped = 0, []
    for path in roster_pages(demo_site):
        response = screen.page.goto(demo_server.url + path, wait_until="load")
        assert response is not None and response.ok, path
        rows = screen.page.locator("table.roster tbody tr").count()
        names = screen.page.locator("table.roster td.col-name").count()
        assert names == 0 or names == rows, f"{path}: a row without its name cell"
        found = screen.page.evaluate(LINES, one_line)
        checked += len(found)
        wrapped += [f"{path}: {text!r} on {n} lines" for text, n in found if n > 1]
        if path == "experts/medical/":
            screen.screenshot(f"roster-medical-{screen.width}")
    assert checked > 100, "the roster tables lost their column classes"
    assert wrapped == []


def test_empty_columns_are_not_shown(demo_site: Built, demo_server: Server, screen: Page) -> None:
    for path in roster_pages(demo_site):
        screen.page.goto(demo_server.url + path, wait_until="load")
        empty = screen.page.evaluate("""() => Array.from(document.querySelectorAll('table.roster')).flatMap((t) =>
            Array.from(t.tHead.rows[0].cells).map((th, i) => [th.textContent,
              Array.from(t.tBodies[0].rows).every((r) => !r.cells[i] || r.cells[i].textContent.trim() === '')])
            ).filter(([, blank]) => blank).map(([name]) => name)""")
        assert empty == [], f"{path}: empty columns {empty}"


def test_a_table_too_wide_for_the_screen_says_it_scrolls(demo_server: Server, screen: Page) -> None:
    """Every table that must scroll sideways shows the hint above it, and no other does."""
    seen = 0
    for path in ["experts/medical/", "draw-algorithm/", "stats/", "opendata/", "regulations/xz-2023/"]:
        screen.page.goto(demo_server.url + path, wait_until="load")
        wraps = screen.page.evaluate("""() => Array.from(document.querySelectorAll('.roster-scroll, .md-typeset__scrollwrap'))
            .map((w) => [w.scrollWidth > w.clientWidth + 1, getComputedStyle(w, '::before').content])""")
        for wide, hint in wraps:
            assert ("可左右滑动" in hint) == wide, (path, wide, hint)
            seen += wide
    assert seen >= 1, "no table was too wide: the hint was not exercised"


def test_draw_page_shows_the_whole_lottery_numbers(demo_site: Built, demo_server: Server, screen: Page) -> None:
    draws = sorted(p.stem for p in (demo_site.site / "opendata" / "draws").glob("*.json"))
    assert draws
    screen.page.goto(demo_server.url + f"draws/{draws[0].lower()}/", wait_until="load")
    cut = screen.page.evaluate("""() => Array.from(document.querySelectorAll('td.col-value, .roster-key code'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                        || el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)""")
    assert screen.page.locator("td.col-value").count() >= 2
    assert cut == []
