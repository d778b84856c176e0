"""Helpers of the staff-workflow tests (fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (hidden files included: temp files must not be left behind)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def nth(registry: Path, kind: str, k: int = 0, year: int | None = None) -> str:
    """The id the k-th new record of `kind` gets (k = 0: the next free id), so tests follow the demo as it grows."""
    from roster.staff.ids import next_id

    taken: list[str] = []
    for _ in range(k + 1):
        taken.append(next_id(registry, kind, year, taken))
    return taken[-1]
