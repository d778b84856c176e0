"""The synthetic registry generator (tests/perf/generate.py) writes registries that validate cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roster.cli import main

GENERATE = Path(__file__).resolve().parent / "perf" / "generate.py"


def generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(GENERATE), "--out", str(out), "--as-of", "2026-03-15", *args],
                   check=True, capture_output=True)


def test_generated_registry_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-03-15")
    generate(tmp_path / "r", "--experts", "300", "--announcements", "3")
    assert main(["validate", "--registry", str(tmp_path / "r"), "--no-cache"]) == 0, capsys.readouterr().out
    assert len(list((tmp_path / "r/experts").glob("*.yaml"))) == 300


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", "--experts", "50")
    generate(tmp_path / "b", "--experts", "50")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
