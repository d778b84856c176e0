"""A cache of per-file results, keyed by file content, kept outside the registry.

A result depends only on (record kind, file bytes, schemas, this tool's code), so the key is the
content hash and the whole cache is dropped when the schemas or the code change: it can be cold,
never stale. Cross-record checks are never cached.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from . import __version__
from .filecheck import FileResult
from .load import Document, Problem

CACHE_DIR_ENV = "ROSTER_CACHE_DIR"
_FORMAT = 3  # 3: keys are git blob ids
# the modules whose code decides a per-file result
_CODE_FILES = ("load.py", "schemas.py", "filecheck.py", "pii.py")


def cache_dir() -> Path:
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roster"


def code_fingerprint(schema_fingerprint: str) -> str:
    digest = hashlib.sha256(f"{_FORMAT}:{__version__}:{schema_fingerprint}".encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


# Stored with marshal: the records are plain dicts, lists and strings, and marshal reads 10,000 of them
# several times faster than pickle. A file's bytes are not stored: the caller has just read them.
Entry = tuple[Any, bool, list[tuple[int, int, str, str]]]


def _pack(result: FileResult) -> Entry:
    data = result.document.data if result.document is not None else None
    return data, result.document is not None, [(p.line, p.col, p.rule, p.message) for p in result.problems]


def _unpack(entry: Entry) -> FileResult:
    data, loaded, problems = entry
    return FileResult(Document(data) if loaded else None, [Problem(*p) for p in problems])


class ResultCache:
    def __init__(self, registry_root: Path, fingerprint: str, directory: Path | None = None) -> None:
        where = hashlib.sha256(str(registry_root.resolve()).encode()).hexdigest()[:16]
        self.path = (directory or cache_dir()) / f"validate-{where}.marshal"
        self.fingerprint = fingerprint
        self._entries: dict[str, Entry] = {}
        self._used: set[str] = set()
        self._dirty = False
        self._read()

    def _read(self) -> None:
        try:
            stored = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            self._entries = stored.get("entries", {})

    def get(self, kind: str, sha: str) -> FileResult | None:
        key = f"{kind}:{sha}"
        self._used.add(key)
        entry = self._entries.get(key)
        return _unpack(entry) if entry is not None else None

    def has(self, kind: str, sha: str) -> bool:
        return f"{kind}:{sha}" in self._entries

    def put(self, kind: str, sha: str, result: FileResult) -> None:
        key = f"{kind}:{sha}"
        self._entries[key] = _pack(result)
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write atomically; entries for content no longer in the registry are dropped."""
        if not self._dirty and len(self._used) == len(self._entries):
            return
        entries = {key: value for key, value in self._entries.items() if key in self._used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".validate-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps({"fingerprint": self.fingerprint, "entries": entries}))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only makes the next run cold
