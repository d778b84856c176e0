"""The /admin/ folder: assembled from this repository and npm only, and never part of the public site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roster.cli import main
from roster.cms.admin import decap_dist

REPO = Path(__file__).resolve().parents[2]
CMS_DIR = REPO / "tools" / "cms"


def need_decap() -> None:
    if not (CMS_DIR / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file():
        pytest.skip("没有安装 Decap CMS（运行 make cms）")


def test_admin_folder_is_the_page_the_config_and_decap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    need_decap()
    monkeypatch.chdir(REPO)
    out = tmp_path / "internal" / "admin"
    assert main(["cms", "build", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert capsys.readouterr().out == f"已组装 {out}：{len(names)} 个文件。\n"
    assert {"index.html", "config.yml", "roster-cms.js", "decap-cms.js"} <= set(names)
    assert len([n for n in names if n.endswith(".decap-cms.js")]) > 50  # the chunks Decap loads on demand
    assert (out / "config.yml").read_text(encoding="utf-8") == (CMS_DIR / "admin" / "config.yml").read_text(encoding="utf-8")
    # the page loads only files beside it: no CDN, no other host
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="([^"]+)"', page) == ["decap-cms.js", "roster-cms.js"]
    assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page))
    # built again: the folder is replaced whole, nothing left over
    (out / "stale.txt").write_text("x", encoding="utf-8")
    assert main(["cms", "build", "--out", str(out)]) == 0
    assert not (out / "stale.txt").exists() and not list(out.parent.glob(".admin-*"))


def test_missing_decap_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("roster.commands.cms.CMS_DIR", tmp_path)
    (tmp_path / "admin").mkdir()
    monkeypatch.chdir(REPO)
    assert main(["cms", "build", "--out", str(tmp_path / "out"), "--settings", str(CMS_DIR / "settings.yml")]) == 1
    err = capsys.readouterr().err
    assert err == f"错误：没有找到 {tmp_path}/node_modules/decap-cms/dist/decap-cms.js：先运行 make cms（在 tools/cms 里 npm ci）\n"
    assert not (tmp_path / "out").exists()


def test_decap_files_are_the_bundle_its_chunks_and_licence() -> None:
    need_decap()
    names = [p.name for p in decap_dist(CMS_DIR)]
    assert "decap-cms.js" in names and "decap-cms.js.LICENSE.txt" in names
    assert not [n for n in names if n.endswith(".map") or n.startswith("cms.")]


def test_public_site_has_no_editor_and_no_internal_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor and the internal guides belong to the internal site only (DESIGN: secrecy model)."""
    monkeypatch.chdir(REPO)
    assert (REPO / "docs" / "it" / "it-guide.md").is_file()  # the guides exist, and must stay out
    assert main(["site", "build", "--out", str(tmp_path / "public")]) == 0
    site = tmp_path / "public" / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 50
    paths = [p.relative_to(site).as_posix() for p in files]
    assert not [p for p in paths if p.startswith(("admin/", "guide/", "it/", "reference/"))]
    leaks = [p.relative_to(site).as_posix() for p in files if p.suffix in {".html", ".js", ".json", ".xml"}
             and re.search(r"decap-cms\.js|CMS_MANUAL_INIT|仅内部网站|IT 部署指南（内部）", p.read_text(encoding="utf-8"))]
    assert not leaks, leaks
