"""Find a person: the home page's lookup finds an expert by name, unit or specialty across every roster and
leads to the row on the roster page; a category filter with no match names the other rosters that have one;
pasted and IME text is searched at once, in the lookup, the filters and the theme's own search box."""

from __future__ import annotations

import json

import pytest

from conftest import Built, Page, Server

pytestmark = pytest.mark.browser


def _people(built: Built) -> list[list[str]]:
    data = json.loads((built.site / "opendata" / "lookup.json").read_text(encoding="utf-8"))
    return list(data["people"])


def test_lookup_finds_an_expert_by_name_from_the_home_page(demo_site: Built, demo_server: Server,
                                                           screen: Page) -> None:
    person = next(p for p in _people(demo_site) if p[1] == "扎西次仁")
    screen.page.goto(demo_server.url, wait_until="load")
    screen.page.fill("#lookup-q", "扎西次仁")
    result = screen.page.locator(".roster-lookup__results a", has_text="扎西次仁")
    result.wait_for()
    assert screen.page.locator(".roster-lookup__results li").count() == 1
    assert "找到 1 人" in screen.page.locator("#lookup-count").inner_text()
    screen.screenshot(f"lookup-{screen.width}")
    result.click()
    screen.page.wait_for_load_state("load")
    assert screen.page.url.startswith(demo_server.url + person[3] + "?find=")
    visible = screen.page.locator("table.roster tbody tr:visible")
    assert visible.count() == 1 and "扎西次仁" in visible.inner_text()
    assert not screen.page.locator(".md-search__output").is_visible()  # the theme's search did not open
    assert screen.foreign == [] and screen.errors == []


def test_lookup_by_unit_and_specialty_reacts_to_pasted_and_ime_text(demo_site: Built, demo_server: Server,
                                                                    phone: Page) -> None:
    people = _people(demo_site)
    phone.page.goto(demo_server.url, wait_until="load")
    phone.page.focus("#lookup-q")
    phone.page.keyboard.insert_text("呼吸")  # like a paste: an input event and no key
    phone.page.wait_for_function("() => document.querySelector('#lookup-count').textContent.startsWith('找到')")
    expected = sum(1 for p in people if "呼吸" in p[4] + p[5] + p[1])
    assert expected >= 1 and phone.page.locator(".roster-lookup__results li").count() == expected
    phone.page.fill("#lookup-q", "")
    phone.page.evaluate("""() => { const i = document.querySelector('#lookup-q');
        i.dispatchEvent(new CompositionEvent('compositionstart'));
        i.value = '示例市藏医院'; i.dispatchEvent(new InputEvent('input', {isComposing: true}));
        i.dispatchEvent(new CompositionEvent('compositionend', {data: '示例市藏医院'})); }""")
    phone.page.wait_for_function("() => document.querySelector('#lookup-count').textContent.startsWith('找到')")
    units = [p for p in people if "示例市藏医院" in p[4]]
    assert len(units) >= 1 and phone.page.locator(".roster-lookup__results li").count() == len(units)


def test_an_empty_category_points_to_the_other_rosters(demo_site: Built, demo_server: Server, phone: Page) -> None:
    person = next(p for p in _people(demo_site) if p[3] == "experts/medical/")
    phone.page.goto(demo_server.url + "experts/it/", wait_until="load")
    phone.page.fill("#experts-it-q", person[1])
    count = phone.page.locator('[data-filter-count="experts-it"]')
    other = count.locator("a", has_text="医药类专家")
    other.wait_for()
    assert count.inner_text().startswith("本名单中没有找到。其他名单中有：")
    phone.screenshot("filter-hint-390")
    other.click()
    phone.page.wait_for_load_state("load")
    assert phone.page.url.startswith(demo_server.url + "experts/medical/?find=")
    assert person[1] in phone.page.locator("#experts-medical tbody tr:visible").first.inner_text()


def test_theme_search_reacts_to_pasted_text(demo_server: Server, phone: Page) -> None:
    phone.page.goto(demo_server.url + "about/", wait_until="load")
    phone.page.click("label[for='__search']")
    phone.page.focus(".md-search__input")
    phone.page.keyboard.type("公示")  # typed: the theme searches on each key
    meta = phone.page.locator(".md-search-result__meta")
    phone.page.wait_for_function("() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)",
                                 timeout=15_000)
    typed = meta.inner_text()
    phone.page.keyboard.press("Control+A")
    phone.page.keyboard.insert_text("随机源")  # pasted: no key at all
    phone.page.wait_for_function("(old) => document.querySelector('.md-search-result__meta').textContent !== old",
                                 arg=typed, timeout=5_000)
    assert "随机源" in phone.page.locator(".md-search-result__list").inner_text().replace("\u200b", "")
