"""A cache of per-file results, keyed by file content, kept outside the registry.

A result depends only on (record kind, file bytes, schemas, this tool's code), so the key is the
content hash and the whole cache is dropped when the schemas or the code change: it can be cold,
never stale. Cross-record checks are never cached.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.files import write_atomic
from ..yamlio.load import Document, Problem
from .filecheck import FileResult

CACHE_DIR_ENV = "ROSTER_CACHE_DIR"
_FORMAT = 4  # 3: keys are git blob ids; 4: notes (warnings) kept
# the modules whose code decides a per-file result
_CODE_FILES = ("yamlio/load.py", "yamlio/fastpath.py", "yamlio/scalars.py", "check/schemas.py", "check/fastcheck.py", "check/filecheck.py", "check/pii.py",
               "check/formats.py", "core/timeutil.py", "data/privacy.yaml")


def cache_dir() -> Path:
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roster"


def code_fingerprint(schema_fingerprint: str) -> str:
    digest = hashlib.sha256(f"{_FORMAT}:{__version__}:{schema_fingerprint}".encode())
    here = Path(__file__).parents[1]
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


# Stored with marshal: the records are plain dicts, lists and strings, and marshal reads 10,000 of them
# several times faster than pickle. A file's bytes are not stored: the caller has just read them.
Entry = tuple[Any, bool, list[tuple[int, int, str, str]], list[tuple[int, int, str, str]]]


def pack_result(result: FileResult) -> Entry:
    data = result.document.data if result.document is not None else None
    return (data, result.document is not None, [(p.line, p.col, p.rule, p.message) for p in result.problems],
            [(p.line, p.col, p.rule, p.message) for p in result.notes])


def unpack_result(entry: Entry) -> FileResult:
    data, loaded, problems, notes = entry
    return FileResult(Document(data) if loaded else None, [Problem(*p) for p in problems], [Problem(*p) for p in notes])


class ResultCache:
    """Entries live in a base file plus a small delta file of what was added since, so a run after a
    one-file edit writes a few kilobytes instead of rewriting every record; the delta is folded into a
    fresh base (dropping entries no longer used) once it grows past a tenth of the base."""

    def __init__(self, registry_root: Path, fingerprint: str, directory: Path | None = None) -> None:
        where = hashlib.sha256(str(registry_root.resolve()).encode()).hexdigest()[:16]
        self.path = (directory or cache_dir()) / f"validate-{where}.marshal"
        self.delta_path = self.path.with_suffix(".delta")
        self.fingerprint = fingerprint
        self._base: dict[str, Entry] = {}
        self._base_id = ""
        self._delta: dict[str, Entry] = {}
        self._used: set[str] = set()
        self._added = False
        self._read()

    def _load(self, path: Path) -> dict[str, Any] | None:
        try:
            stored = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            return stored
        return None

    def _read(self) -> None:
        base = self._load(self.path)
        if base is None:
            return
        self._base, self._base_id = base.get("entries", {}), base.get("id", "")
        delta = self._load(self.delta_path)
        if delta is not None and delta.get("base") == self._base_id:
            self._delta = delta.get("entries", {})

    def _entry(self, key: str) -> Entry | None:
        entry = self._delta.get(key)
        return entry if entry is not None else self._base.get(key)

    def get(self, kind: str, sha: str) -> FileResult | None:
        key = f"{kind}:{sha}"
        self._used.add(key)
        entry = self._entry(key)
        return unpack_result(entry) if entry is not None else None

    def has(self, kind: str, sha: str) -> bool:
        key = f"{kind}:{sha}"
        return key in self._delta or key in self._base

    def put(self, kind: str, sha: str, result: FileResult) -> None:
        key = f"{kind}:{sha}"
        self._delta[key] = pack_result(result)
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        """Write atomically: the delta alone while it is small, else a fresh base of the entries in use."""
        stale = len(self._base) + len(self._delta) - len(self._used)
        small = len(self._delta) <= max(200, len(self._base) // 10) and stale <= max(200, len(self._base) // 10)
        try:
            if self._base_id and small:
                if self._added:
                    self._write(self.delta_path, {"fingerprint": self.fingerprint, "base": self._base_id,
                                                  "entries": self._delta})
                return
            if not self._added and stale == 0 and self._base_id:
                return
            entries = {key: entry for key in self._used if (entry := self._entry(key)) is not None}
            self._write(self.path, {"fingerprint": self.fingerprint, "id": os.urandom(8).hex(), "entries": entries})
            self.delta_path.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only makes the next run cold

    def _write(self, path: Path, payload: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, marshal.dumps(payload), durable=False)


def package_fingerprint() -> str:
    """Hash of every code and data file of the package: any change to a rule or a preset drops the cache."""
    digest = hashlib.sha256(f"{_FORMAT}:{__version__}".encode())
    here = Path(__file__).parents[1]
    for path in sorted(here.rglob("*")):
        if path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(here)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
