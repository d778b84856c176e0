"""The committed pkijs bundle (tools/roster/site/assets/javascripts/vendor/pkijs.js) is exactly what the pinned
packages of tools/tsa build: rebuilding it with `node tools/tsa/build.mjs` gives the same bytes. So the file the
public runs is provably pkijs and asn1js at the versions of tools/tsa/package-lock.json, bundled by the pinned esbuild.

Needs `npm ci` in tools/tsa (`make test` does it). Without it the test is skipped here and fails in CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TSA = REPO / "tools" / "tsa"
BUNDLE = REPO / "tools" / "roster" / "site" / "assets" / "javascripts" / "vendor" / "pkijs.js"


def _need_tools() -> None:
    missing = "" if shutil.which("node") else "没有 node"
    if not missing and not (TSA / "node_modules" / "esbuild").is_dir():
        missing = "tools/tsa 中没有安装 npm 包（make test 会运行 npm ci）"
    if missing:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI 里必须检查 pkijs 打包文件：{missing}")
        pytest.skip(missing)


def test_rebuilding_the_bundle_gives_the_committed_bytes(tmp_path: Path) -> None:
    _need_tools()
    out = tmp_path / "pkijs.js"
    subprocess.run(["node", str(TSA / "build.mjs"), str(out)], check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == BUNDLE.read_bytes(), "重新打包的 pkijs.js 与提交的不同：请运行 make tsa-bundle 并提交"


def test_the_versions_are_pinned_exactly() -> None:
    wanted = json.loads((TSA / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((TSA / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, version in wanted.items():
        assert version[0].isdigit(), f"{name} 的版本应精确锁定，而不是 {version}"
        assert lock[f"node_modules/{name}"]["version"] == version
    assert "integrity" in lock["node_modules/pkijs"] and "integrity" in lock["node_modules/asn1js"]


def test_the_bundle_is_not_listed_for_every_page() -> None:
    """Only draw pages load tsa.js, and tsa.js loads the bundle when a token is checked (the home page stays light)."""
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "pkijs" not in mkdocs and "tsa.js" not in mkdocs
