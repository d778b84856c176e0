from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from site_fixture import Fixture, write_registry

from roster.check.validate import open_registry
from roster.commands.reference import generated_pages
from roster.core.timeutil import today_beijing
from roster.site.build import BuildResult, build_site, serve_site
from variants import gy_valid_variant

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 1)
DEMO_TODAY = date(2026, 12, 18)  # the staff tests' “today” of the demo
CHROMIUM = Path(os.environ.get("ROSTER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"


@dataclass(frozen=True)
class Built:
    fixture: Fixture | None
    result: BuildResult
    today: date

    @property
    def site(self) -> Path:
        return self.result.site_dir


def _build(registry: Path, out: Path, today: date) -> BuildResult:
    return build_site(open_registry(registry, use_cache=False), out, config=REPO / "mkdocs.yml", docs=REPO / "docs",
                      schemas=REPO / "schemas", today=today, extra_pages=generated_pages())


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A small synthetic registry (with one embargoed draw and one open 公示), built."""
    base = tmp_path_factory.mktemp("fixture-site")
    fx = write_registry(base / "registry", today=TODAY)
    return Built(fx, _build(fx.root, base / "build", TODAY), TODAY)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The demo registry of the repository, built as of today (Beijing)."""
    base = tmp_path_factory.mktemp("demo-site")
    shutil.copytree(REPO / "registry", base / "registry")
    today = today_beijing()
    return Built(None, _build(base / "registry", base / "build", today), today)


@pytest.fixture(scope="session")
def gy_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The demo registry as a Guiyang bureau keeps it (preset gy-2022 for the expert roster), built."""
    base = tmp_path_factory.mktemp("gy-site")
    shutil.copytree(REPO / "registry", base / "registry")
    gy_valid_variant(base / "registry")
    return Built(None, _build(base / "registry", base / "build", DEMO_TODAY), DEMO_TODAY)


class Server:
    def __init__(self, site: Path) -> None:
        self.httpd = serve_site(site, port=0)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def fixture_server(fixture_site: Built) -> Iterator[Server]:
    server = Server(fixture_site.site)
    yield server
    server.close()


@pytest.fixture(scope="session")
def demo_server(demo_site: Built) -> Iterator[Server]:
    server = Server(demo_site.site)
    yield server
    server.close()


def browser_available() -> str | None:
    """Why browser tests cannot run here, or None. With CI=true they must run: a reason is a failure."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python 包 playwright 未安装"
    if not CHROMIUM.is_file():
        return f"找不到 Chromium（{CHROMIUM}）：apt-get install chromium"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = browser_available()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI 中浏览器测试不得跳过：{reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Page:
    """A phone-width page that records every request to a host other than 127.0.0.1 (and blocks it)."""

    def __init__(self, browser: object, width: int = 390) -> None:
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=1,  # type: ignore[attr-defined]
                                           locale="zh-CN", service_workers="block")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _route(self, route: object, request: object) -> None:
        from urllib.parse import urlsplit

        url = request.url  # type: ignore[attr-defined]
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.foreign.append(url)
            route.abort()  # type: ignore[attr-defined]

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser: object) -> Iterator[Page]:
    page = Page(browser)
    yield page
    page.close()


@pytest.fixture(params=[390, 1280], ids=["phone", "desktop"])
def screen(browser: object, request: pytest.FixtureRequest) -> Iterator[Page]:
    """The page at phone width and at desktop width."""
    page = Page(browser, request.param)
    yield page
    page.close()
