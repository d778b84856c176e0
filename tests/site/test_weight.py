"""Weight on a phone: the first load of the home page stays under 150 KiB gzipped in total (printed), the
search index is fetched only when search is opened, and search still works then."""

from __future__ import annotations

import gzip
import re

import pytest

from conftest import Built, Page, Server

pytestmark = pytest.mark.browser

BUDGET = 150 * 1024


def _first_load(phone: Page, url: str) -> dict[str, int]:
    """Every response of one page load, as ``{url: gzipped size}`` (what a server compressing at level 6 sends)."""
    sizes: dict[str, int] = {}

    def record(response: object) -> None:
        body = response.body()  # type: ignore[attr-defined]
        sizes[response.url] = len(gzip.compress(body, 6))  # type: ignore[attr-defined]

    phone.page.on("response", record)
    phone.page.goto(url, wait_until="networkidle")
    phone.page.wait_for_timeout(500)
    phone.page.remove_listener("response", record)
    return sizes


def test_home_page_first_load_is_light(demo_site: Built, demo_server: Server, phone: Page) -> None:
    sizes = _first_load(phone, demo_server.url)
    total = sum(sizes.values())
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:6]
    print(f"\n首页首次加载：{len(sizes)} 个请求，gzip 后共 {total / 1024:.1f} KiB（上限 {BUDGET // 1024} KiB）")
    for url, size in biggest:
        print(f"  {size / 1024:6.1f} KiB  {url.removeprefix(demo_server.url)}")
    assert not any("search_index" in url for url in sizes), "the search index was fetched before search was opened"
    assert not any("lookup.json" in url for url in sizes), "the lookup index was fetched before the lookup was used"
    assert total < BUDGET


def test_search_works_once_opened(demo_server: Server, phone: Page) -> None:
    requested: list[str] = []
    phone.page.on("request", lambda request: requested.append(request.url))
    phone.page.goto(demo_server.url, wait_until="networkidle")
    assert not any("search_index" in url for url in requested)
    phone.page.click("label[for='__search']")
    phone.page.focus(".md-search__input")
    phone.page.keyboard.type("抽取")
    phone.page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert any("search_index" in url for url in requested)
    assert phone.errors == [] and phone.foreign == []


def test_chart_text_is_legible_on_a_phone(demo_site: Built, demo_server: Server, phone: Page) -> None:
    """Each chart's text, as drawn on a 390 px screen, is at least 12 px high (it was 7–8 px)."""
    phone.page.goto(demo_server.url + "stats/", wait_until="load")
    charts = phone.page.locator(".md-content img[src$='.svg']")
    assert charts.count() >= 4
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        src = chart.get_attribute("src") or ""
        svg = (demo_site.site / "stats" / src).read_text(encoding="utf-8")
        drawn = float(svg.split('viewBox="0 0 ', 1)[1].split()[0])
        smallest = min(int(size) for size in re.findall(r'font-size="(\d+)"', svg))
        shown = phone.page.evaluate("(img) => img.getBoundingClientRect().width", chart.element_handle())
        assert smallest * shown / drawn >= 12, f"{src}: text {smallest * shown / drawn:.1f} px"
    phone.screenshot("stats-390")
