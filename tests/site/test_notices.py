"""Notices as a 医保局 publishes them, read in the browser at 390 and 1280 px: 文号, sign-off, the channels
for a written objection, the outcome once a 公示 has closed, no blog "元数据" box, and the 监督举报 block in
the footer of every page."""

from __future__ import annotations

import pytest

from conftest import Built, Page, Server

pytestmark = pytest.mark.browser


def _text(screen: Page, url: str) -> str:
    response = screen.page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    return screen.page.locator("body").inner_text()


def test_a_closed_notice_shows_its_outcome_and_sign_off(fixture_site: Built, fixture_server: Server,
                                                        screen: Page) -> None:
    text = _text(screen, fixture_server.url + "notices/a2026-001/")
    assert "示医保公〔2026〕1号" in text
    assert "公示已结束，结果：公示无异议或异议不成立" in text
    assert "公示结果" in text and "收到异议 1 件" in text and "经核实不成立" in text
    published = fixture_site.today.fromordinal(fixture_site.today.toordinal() - 15)
    assert f"示例市医疗保障局\n{published.year}年{published.month}月{published.day}日" in text
    assert "元数据" not in text
    assert [h.rstrip("¶") for h in screen.page.locator("article h2").all_inner_texts()] == [
        "公示对象", "异议受理（公示期已结束）", "公示结果"]
    screen.screenshot(f"notice-closed-{screen.width}", full_page=True)


def test_an_open_notice_says_how_to_object(fixture_site: Built, fixture_server: Server, screen: Page) -> None:
    assert fixture_site.fixture is not None
    text = _text(screen, fixture_server.url + f"notices/{fixture_site.fixture.open_announcement.lower()}/")
    assert f"（截至 {fixture_site.today.isoformat()}）" in text and "公示中" in text
    for expected in ("受理科室：基金监管科", "受理电话：0891-6000000",
                     "书面材料寄送地址：示例市示例路1号示例市医疗保障局（邮编 850000）", "受理时间：工作日"):
        assert expected in text
    assert "公示结果" not in text
    assert "如何提出异议" in [h.rstrip("¶") for h in screen.page.locator("article h2").all_inner_texts()]


@pytest.mark.parametrize("path", ["", "experts/medical/", "notices/", "stats/", "about/"])
def test_every_footer_has_the_report_block(fixture_server: Server, phone: Page, path: str) -> None:
    phone.page.goto(fixture_server.url + path, wait_until="load")
    footer = phone.page.locator(".roster-report").inner_text()
    assert footer.startswith("监督举报") and "全国医疗保障服务热线：12393" in footer
    assert "示例市医保局举报电话：0891-6000001" in footer
    assert phone.page.locator('.roster-report a[href="tel:12393"]').count() == 1
