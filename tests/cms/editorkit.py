"""Helpers for the editor's browser test: the scratch repository, the Decap form driven by Chinese labels."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

REPO = Path(__file__).resolve().parents[2]
CMS_DIR = REPO / "tools" / "cms"
DECAP_SERVER = CMS_DIR / "node_modules" / "decap-server" / "dist" / "index.js"
CHROMIUM = Path(os.environ.get("ROSTER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8",
                          check=True, env={**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.org",
                                           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.org"})
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def unavailable() -> str | None:
    """Why the editor test cannot run here, or None. With CI=true a reason is a failure."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python 包 playwright 未安装"
    if not CHROMIUM.is_file():
        return f"找不到 Chromium（{CHROMIUM}）：apt-get install chromium"
    if shutil.which("node") is None or not DECAP_SERVER.is_file():
        return "没有 node 或 decap-server（运行 make cms）"
    return None


@dataclass
class Editor:
    repo: Path  # the scratch repository decap-server writes to (branch main, one branch per saved entry)
    url: str  # http://127.0.0.1:PORT/admin/


class Quiet(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".js": "text/javascript"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Form:
    """The Decap editor in a desktop-sized page; every request to a host other than 127.0.0.1 is blocked and kept."""

    def __init__(self, browser: Any, editor: Editor) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.url = editor.url

    def _route(self, route: Any, request: Any) -> None:
        from urllib.parse import urlsplit

        if request.url.startswith(("data:", "blob:")) or urlsplit(request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort()

    def login(self) -> None:
        self.page.goto(self.url)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_selector("text=E0001 扎西次仁")

    def open(self, fragment: str, first_label: str = "专家编号") -> None:
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector(f"label:text-is('{first_label}')")

    def control(self, label: str) -> Any:
        """The input of the visible field with this label (the last one: a list's newest item); a field of a
        collapsed optional group may share the label (签署日期 of the unit's statement)."""
        target = self.page.locator(f"label:text-is('{label}'):visible").last.get_attribute("for")
        return self.page.locator(f"[id='{target}']")

    def expand(self, group_label: str) -> None:
        """Open a collapsed group (an optional object field, e.g. one declaration item) by its label."""
        self.control(group_label).locator("[data-testid='expand-button']").first.click()

    def fill(self, label: str, value: str) -> None:
        self.control(label).fill(value)

    def choose(self, label: str, option: str) -> None:
        """Pick an option of a select by its Chinese label."""
        self.control(label).click()
        self.page.locator("[class*='-option']").get_by_text(option, exact=True).first.click()

    def relate(self, label: str, search: str, option: str) -> None:
        """Pick a record in a relation widget: type part of its name, click the "编号 名称" line."""
        box = self.control(label)
        box.click()
        box.fill(search)
        self.page.locator("[class*='-option']").get_by_text(option, exact=True).first.click()

    def add(self, list_label: str) -> None:
        self.page.get_by_role("button", name=f"新增{list_label}").click()

    def save(self) -> None:
        self.page.get_by_role("button", name="保存").click()
        self.page.wait_for_selector("text=内容已保存", timeout=30_000)

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()


