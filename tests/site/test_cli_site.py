"""`roster site build`: exit codes and the one line it prints."""

from __future__ import annotations

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
