"""The next free record id (E0061, A2026-003…) and where its file goes.

Ids are never reused (files are never deleted, CI refuses it), so the next id is one more than the
highest id of that kind in the registry — in that year for announcements, draws and conduct. Ids
already taken by the same command (an import of many rows) are passed in as `taken`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..core.vocab import FOLDER_OF_KIND, FOLDERS, ID_PREFIX, ID_WIDTH

__all__ = ["PREFIX", "IdAllocator", "next_id", "record_path"]

PREFIX, _WIDTH = ID_PREFIX, ID_WIDTH


def _by_year(kind: str) -> bool:
    return FOLDERS[FOLDER_OF_KIND[kind]][1]


def _number(kind: str, ident: str, year: int | None) -> int | None:
    prefix = PREFIX[kind] + (f"{year}-" if year is not None else "")
    match = re.fullmatch(re.escape(prefix) + r"([0-9]+)", ident)
    return int(match.group(1)) if match else None


class IdAllocator:
    """Hands out the next free ids of one kind (and year): the folder is read once, however many are needed."""

    def __init__(self, root: Path, kind: str, year: int | None = None, taken: Iterable[str] = ()) -> None:
        if _by_year(kind) != (year is not None):
            raise ValueError(f"{kind} ids {'need' if _by_year(kind) else 'take no'} year")
        self.kind, self.year = kind, year
        folder = root / FOLDER_OF_KIND[kind] / (str(year) if year is not None else "")
        stems = [p.stem for p in folder.glob("*.yaml")] if folder.is_dir() else []
        prefix = len(PREFIX[kind]) + (5 if year is not None else 0)
        found = [(n, len(s) - prefix) for s in [*stems, *taken] if (n := _number(kind, s, year)) is not None]
        self.last = max((n for n, _ in found), default=0)
        # as wide as the registry writes its ids (E0001 or E00001), and wide enough for the number
        self.width = max([_WIDTH[kind], *(w for _, w in found)])

    def next(self) -> str:
        self.last += 1
        width = max(self.width, len(str(self.last)))
        return f"{PREFIX[self.kind]}{f'{self.year}-' if self.year is not None else ''}{self.last:0{width}d}"


def next_id(root: Path, kind: str, year: int | None = None, taken: Iterable[str] = ()) -> str:
    """One more than the highest id of `kind` (in `year` for kinds filed by year)."""
    return IdAllocator(root, kind, year, taken).next()


def record_path(root: Path, kind: str, ident: str) -> Path:
    folder = root / FOLDER_OF_KIND[kind]
    if _by_year(kind):
        folder = folder / ident[1:5]
    return folder / f"{ident}.yaml"
