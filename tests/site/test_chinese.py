"""Chinese everywhere a citizen looks: the visible text of every page of the demo site (404 included) has no
English word, except the proper names and codes listed below, each of which the pages show beside its Chinese
name (RFC 3797 随机抽选方法, MD5, 文件格式 JSON/CSV, 监督员证编号 SL-…, 政策预设 xz-2023 …). Text in code
blocks, web addresses and file names are not words to translate. The 校验规则 pages (policies/) list rule ids and
parameter codes beside their Chinese names by design, as the validator prints them, and are checked only for
their headings.

Also: the preview server answers a missing page with the site's Chinese 404 page, headings' anchors are
titled in Chinese, and the build prints nothing in English."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from conftest import Built, Page, Server

ALLOWED = {
    "RFC", "IETF", "MD", "SM", "GB", "JSON", "CSV", "UTF", "BOM", "RSS", "ICP", "Excel", "Schema", "DRG", "DIP",
    "xz", "gy", "jn", "SL", "JN", "log", "SHA", "ASCII", "CI", "CT", "MRI", "ICD", "Base", "TSA",
    # the draw algorithm page names the languages and standards a re-implementer needs (JavaScript, Python,
    # Unicode NFKC, YAML) and the drand beacon; the demo time-stamp authority's name is a file-name code
    "JavaScript", "Python", "Unicode", "NFKC", "YAML", "drand", "demo", "tsa",
    # RFC 3797's own title and the max-flow method's authors, beside their Chinese descriptions
    "Publicly", "Verifiable", "Nominations", "Committee", "NomCom", "Random", "Selection", "Edmonds", "Karp",
}
VISIBLE_TEXT = """() => { const out = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n; while ((n = walk.nextNode())) { const el = n.parentElement;
    if (!el || el.closest('code, pre, script, style, .md-search')) continue;
    if (el.checkVisibility()) out.push(n.textContent); }
  return out.join(' '); }"""
NOT_WORDS = re.compile(r"https?://\S+|[\w.-]+@[\w.-]+|[\w./-]+\.(?:json|csv|xml|yaml|txt)\b")


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z_]+", NOT_WORDS.sub(" ", text))) - ALLOWED


def test_english_words_are_found() -> None:
    assert english_words("共 3 人 Permanent link 见 https://example.org/a 和 experts.json，RFC 3797") == {
        "Permanent", "link"}


@pytest.mark.browser
def test_no_english_in_visible_text_of_any_page(demo_site: Built, demo_server: Server, phone: Page) -> None:
    site = demo_site.site
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    assert len(pages) > 30
    found = {}
    for path in [*pages, "404.html"]:
        path = "" if path == "./" else path
        phone.page.goto(demo_server.url + path, wait_until="load")
        if path.startswith("policies/"):
            text = phone.page.locator("h1").inner_text()
        else:
            text = phone.page.evaluate(VISIBLE_TEXT)
        words = english_words(text)
        if words:
            found[path] = sorted(words)
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.browser
def test_a_missing_page_is_answered_in_chinese(demo_server: Server, phone: Page) -> None:
    response = phone.page.goto(demo_server.url + "no-such-page/", wait_until="load")
    assert response is not None and response.status == 404
    assert "找不到这个页面" in phone.page.locator("h1").inner_text()
    assert phone.page.locator("a", has_text="返回首页").count() == 1
    phone.screenshot("404-390")
    try:
        urllib.request.urlopen(urllib.request.Request(demo_server.url, method="DELETE"))
    except urllib.error.HTTPError as exc:
        assert "不支持这种请求" in exc.read().decode("utf-8")
    else:
        pytest.fail("DELETE was accepted")


def test_heading_anchors_are_titled_in_chinese(demo_site: Built) -> None:
    text = (demo_site.site / "verify" / "index.html").read_text(encoding="utf-8")
    assert 'class="headerlink"' in text and "Permanent link" not in text
    assert 'title="本节的链接"' in text


def test_regulation_texts_are_clean(demo_site: Built) -> None:
    hy = (demo_site.site / "regulations" / "hy" / "index.html").read_text(encoding="utf-8")
    assert 'id="第四十七条"' in hy and "_GoBack" not in hy
    xz = (demo_site.site / "regulations" / "xz-2023" / "index.html").read_text(encoding="utf-8")
    assert "&lt;input" not in xz and "□ 医药类" in xz


def test_verify_page_numbers_its_three_conditions(demo_site: Built) -> None:
    """The three conditions of step 3 are a list inside item 3, not items 4 to 6 of the steps."""
    text = (demo_site.site / "verify" / "index.html").read_text(encoding="utf-8")
    steps = text.split("<ol>", 1)[1].split("</ol>", 1)[0]
    assert steps.count("<ul>") == 1 and "他所在的名额组还没满" in steps.split("<ul>", 1)[1]
