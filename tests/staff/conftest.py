"""Fixtures for the staff-workflow tests: a copy of the demo registry, and running the CLI in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import Run

from roster.cli import main

REPO = Path(__file__).resolve().parents[2]
DEMO_TODAY = "2026-12-18"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `roster ARGS…` in-process; returns (exit code, stdout, stderr)."""

    def go(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return go


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo registry at <tmp>/repo/registry; the working directory is <tmp>/repo."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "registry", repo / "registry")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("ROSTER_TODAY", DEMO_TODAY)
    monkeypatch.delenv("ROSTER_PERSON_KEY", raising=False)
    return repo / "registry"
