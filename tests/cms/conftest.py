"""The staff editor at /admin/ with its local backend: decap-server (git mode) on a scratch copy of the demo
registry, the admin folder served on 127.0.0.1, Debian's Chromium driven by playwright."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
import yaml
from editorkit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CMS_DIR,
    DECAP_SERVER,
    REPO,
    Editor,
    Form,
    Quiet,
    free_port,
    git,
    unavailable,
)

from roster.cms.admin import assemble
from roster.cms.config import build_config, render


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    reason = unavailable()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI 中浏览器测试不得跳过：{reason}")
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("editor")
    repo = base / "repo"
    repo.mkdir()
    shutil.copytree(REPO / "registry", repo / "registry")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "演示名册")

    api_port, web_port = free_port(), free_port()
    # the committed settings, but the local backend on this test's own port
    settings = yaml.safe_load((CMS_DIR / "settings.yml").read_text(encoding="utf-8"))
    settings["local_backend"] = {"url": f"http://127.0.0.1:{api_port}/api/v1"}
    www = base / "www"
    assemble(CMS_DIR, www / "admin", render(build_config(settings, REPO / "schemas")))

    env = {**os.environ, "MODE": "git", "PORT": str(api_port), "BIND_HOST": "127.0.0.1",
           "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"}
    log = (base / "decap-server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    web = ThreadingHTTPServer(("127.0.0.1", web_port), functools.partial(Quiet, directory=str(www)))
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{api_port}/api/v1", data=b'{"action":"info"}',
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    assert b"local_git" in response.read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("decap-server 没有启动：" + (base / "decap-server.log").read_text()) from None
                time.sleep(0.3)
        yield Editor(repo, f"http://127.0.0.1:{web_port}/admin/")
    finally:
        web.shutdown()
        web.server_close()
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(editor: Editor) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def form(browser: Any, editor: Editor) -> Iterator[Form]:
    page = Form(browser, editor)
    yield page
    page.close()
