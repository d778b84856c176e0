"""The code stays typed and lint-clean (ruff, mypy with disallow_untyped_defs), as CI checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    done = run("ruff", "check", "--no-cache", "tools", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy() -> None:
    done = run("mypy", "--cache-dir", "/dev/null")
    assert done.returncode == 0, done.stdout + done.stderr
