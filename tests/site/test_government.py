"""Government-site conventions, filled from registry.yaml: every footer links 网站地图, 联系我们 and
我为政府网站找错, shows the 党政机关网站标识 (a local image), and has a 大字版 (larger text) switch that
stays on from page to page."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO, Page, Server

pytestmark = pytest.mark.browser

SETTINGS = yaml.safe_load((REPO / "registry" / "registry.yaml").read_text(encoding="utf-8"))["site"]


def test_footer_services_from_any_page(demo_server: Server, phone: Page) -> None:
    phone.page.goto(demo_server.url + "experts/medical/", wait_until="load")
    services = phone.page.locator(".roster-services")
    assert services.locator("a", has_text="我为政府网站找错").get_attribute("href") == SETTINGS["error_report"]
    mark = phone.page.locator(".roster-govmark")
    assert mark.get_attribute("href") == SETTINGS["gov_mark"]["url"]
    mark.locator("img").scroll_into_view_if_needed()
    phone.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=mark.locator("img").element_handle(),
                                 timeout=5_000)
    for name, heading in (("网站地图", "网站地图"), ("联系我们", "联系我们")):
        phone.page.goto(demo_server.url + "experts/medical/", wait_until="load")
        phone.page.locator(".roster-services a", has_text=name).click()
        phone.page.wait_for_load_state("load")
        assert phone.page.locator("h1").inner_text().rstrip("¶") == heading
    assert "监督举报" in phone.page.locator("article").inner_text()
    phone.screenshot("contact-390", full_page=True)
    assert phone.foreign == [] and phone.errors == []


def test_sitemap_links_every_menu_page(demo_server: Server, phone: Page) -> None:
    phone.page.goto(demo_server.url + "map/", wait_until="load")
    links = phone.page.locator("article a").evaluate_all("(as) => as.map((a) => a.href)")
    assert len(links) > 15
    for link in links:
        response = phone.page.request.get(link)
        assert response.ok, link


def test_large_text_switch_persists(demo_server: Server, phone: Page) -> None:
    def body_size() -> float:
        return float(phone.page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"))

    phone.page.goto(demo_server.url, wait_until="load")
    normal = body_size()
    toggle = phone.page.locator(".roster-large-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == "标准字号"
    assert body_size() >= normal * 1.2
    phone.page.goto(demo_server.url + "notices/", wait_until="load")
    assert body_size() >= normal * 1.2
    phone.screenshot("large-text-390")
    phone.page.locator(".roster-large-toggle").click()
    assert body_size() == normal
