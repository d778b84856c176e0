"""`roster site build`: exit codes and the one line it prints."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from site_fixture import write_registry

from conftest import REPO, TODAY
from roster.cli import main


def _args(registry: Path, out: Path) -> list[str]:
    return ["site", "build", "--registry", str(registry), "--out", str(out), "--config", str(REPO / "mkdocs.yml"),
            "--docs", str(REPO / "docs"), "--schemas", str(REPO / "schemas")]


def test_site_build_prints_where_the_site_is(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    fx = write_registry(tmp_path / "registry", draws=2, announcements=2, today=TODAY)
    assert main(_args(fx.root, tmp_path / "out")) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"网站已生成：{tmp_path / 'out' / 'site'}（")
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert (tmp_path / "out" / "docs" / "index.md").is_file()


def test_site_build_refuses_a_registry_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    fx = write_registry(tmp_path / "registry", experts=3, draws=1, announcements=1, today=TODAY)
    (fx.root / "experts" / "E00001.yaml").write_text("id: E00001\nname: [\n", encoding="utf-8")
    assert main(_args(fx.root, tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "未通过校验" in err and "roster validate" in err and err.count("\n") == 1
    assert not (tmp_path / "out" / "site").exists()


def test_site_build_without_a_registry_is_a_usage_error(tmp_path: Path) -> None:
    assert main(_args(tmp_path / "nope", tmp_path / "out")) == 2


def test_staff_pages_are_only_in_the_internal_site(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", TODAY.isoformat())
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    fx = write_registry(tmp_path / "registry", draws=1, announcements=1, today=TODAY)
    public, internal = tmp_path / "public", tmp_path / "internal"
    assert main(_args(fx.root, public)) == 0
    assert main([*_args(fx.root, internal), "--internal"]) == 0
    capsys.readouterr()
    for folder in ("guide", "it", "reference"):
        assert not (public / "site" / folder).exists() and not (public / "docs" / folder).exists()
    assert (internal / "site" / "guide" / "index.html").is_file()
    assert (internal / "site" / "reference" / "cli" / "index.html").is_file()
    public_home = (public / "site" / "index.html").read_text(encoding="utf-8")
    internal_home = (internal / "site" / "index.html").read_text(encoding="utf-8")
    assert "工作人员指南" not in public_home and "命令参考" not in public_home
    assert "工作人员指南" in internal_home and "内部版" in internal_home
    search = (public / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "工作人员指南" not in search and '"location":"guide/' not in search.replace(" ", "")


def test_site_build_prints_only_chinese(tmp_path: Path) -> None:
    """No English progress lines (the search segmenter jieba used to print four on every build)."""
    fx = write_registry(tmp_path / "registry", draws=1, announcements=1, today=TODAY)
    env = {**os.environ, "ROSTER_TODAY": TODAY.isoformat(), "ROSTER_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([str(Path(sys.executable).with_name("roster")), *_args(fx.root, tmp_path / "out")], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    printed = (done.stdout + done.stderr).replace(str(tmp_path / "out" / "site"), "")
    assert re.findall(r"[A-Za-z]{3,}", printed) == [], printed
    assert printed.startswith("网站已生成")


def test_site_serve_reports_a_busy_port_in_chinese_before_building(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    fx = write_registry(tmp_path / "registry", experts=3, draws=1, announcements=1, today=TODAY)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        args = [*_args(fx.root, tmp_path / "out"), "--addr", f"127.0.0.1:{port}"]
        assert main(["site", "serve", *args[2:]]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"错误：无法在 127.0.0.1:{port} 上启动网站预览：端口 {port} 已被其他程序占用")
    assert f"ADDR=127.0.0.1:{port + 1}" in err
    assert not (tmp_path / "out").exists(), "the site was built although it could not be served"


def test_makefile_passes_its_address_to_the_preview() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "--addr $(ADDR)" in serve
