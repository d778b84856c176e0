"""The last validated state of a registry, so that a run after a small edit re-checks only what changed.

Kept in the cache folder, per registry: the stat data of every folder (an entry added, removed or
renamed changes its folder's) and of every file (mtime, ctime, size, inode, with the file's git blob
id); the findings of each person file (its own file checks and its person-level cross-record
findings); every other finding; each person's projection (what the checks across people read: ids,
person keys, names, statuses, certificate numbers — see `PROJECTED_FIELDS`); and the non-person
records themselves, which person-level checks consult.

A run with the same code, schemas, date and working directory, and no --base, that finds only person
files edited in place — none added, removed or renamed, projections unchanged, no finding of the
checks across records in them — re-checks those files alone against the stored non-person records.
Anything else is a full run, which writes a fresh state. Stat data is only trusted where it can tell:
a file or folder modified within `RACY_NS` of being looked at is re-read next time (as git does with
"racily clean" entries), and a file whose stat data changed is re-hashed, so an edit that keeps the
size and sets the time back still changes the ctime and is seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import time
from array import array
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.files import write_atomic
from ..core.findings import Finding
from ..core.vocab import FOLDERS, PEOPLE
from ..yamlio.load import Document, Problem
from .cache import cache_dir, package_fingerprint
from .filecheck import check_file
from .parts import PROJECTED_FIELDS, file_findings_of, pack, person_findings, unpack
from .registry import Record, Registry, blob_id, read_regular
from .registry import display_path as registry_display

_FORMAT = 1
RACY_NS = 2_000_000_000  # timestamps this close to the moment they were read are not trusted
MAX_CHANGED = 2_000  # more changed files than this: a full run is as quick

Sig = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode
RACY: Sig = (-1, -1, -1, -1)  # stat data that cannot tell: the file is read again next time
_NO_BLOB = bytes(20).hex()
_NO_PROJECTION = bytes(12)


def _sig(st: os.stat_result, now: int) -> Sig:
    # the ctime too: an edit that sets the mtime back within the same clock tick keeps the ctime
    if st.st_mtime_ns >= now - RACY_NS or st.st_ctime_ns >= now - RACY_NS:
        return RACY
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _names_digest(names: list[str]) -> bytes:
    return hashlib.blake2b("\0".join(sorted(names)).encode("utf-8", "surrogateescape"), digest_size=16).digest()


@dataclass
class Scan:
    """Stat data of everything under the registry, taken before any file is read."""

    dirs: dict[str, tuple[Sig, bytes]]  # folder → (its stat data, digest of its entries' names)
    files: dict[str, Sig]
    complete: bool  # False if a folder could not be listed

    def racy(self) -> set[str]:
        """Files changed too recently for any stat data to vouch for them (git's ids included)."""
        return {rel.replace(os.sep, "/") for rel, sig in self.files.items() if sig == RACY}


def _list(root: Path, rel_folder: str) -> list[os.DirEntry[str]]:
    with os.scandir(os.path.join(root, rel_folder)) as entries:
        return [e for e in entries if rel_folder or e.name != ".git"]  # a registry that is its own repository


def scan(root: Path) -> Scan:
    now = time.time_ns()
    taken = Scan({}, {}, True)
    stack = [""]
    while stack:
        rel_folder = stack.pop()
        try:
            folder_sig = _sig(os.lstat(os.path.join(root, rel_folder)), now)
            listed = _list(root, rel_folder)
        except OSError:
            taken.complete = False
            continue
        taken.dirs[rel_folder] = (folder_sig, _names_digest([e.name for e in listed]))
        for entry in listed:
            rel = os.path.join(rel_folder, entry.name) if rel_folder else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(rel)
                else:
                    taken.files[rel] = _sig(entry.stat(follow_symlinks=False), now)
            except OSError:
                taken.complete = False
    return taken


def state_key(root: Path, today: date, schema_fingerprint: str, shown_root: str) -> str:
    """What every stored finding depends on besides the files: code, data, schemas, date, paths as shown."""
    text = f"{_FORMAT}:{package_fingerprint()}:{schema_fingerprint}:{today.isoformat()}:{shown_root}:{root.resolve()}"
    return hashlib.sha256(text.encode()).hexdigest()


def state_path(root: Path) -> Path:
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"validate-{where}.state"


def projection(record: Record) -> bytes:
    """A digest of what the checks across people read of one person record."""
    data = record.data
    read = (record.kind, record.stem, record.document is None, bool(record.problems),
            *(data.get(name) for name in PROJECTED_FIELDS))
    return hashlib.blake2b(repr(read).encode(), digest_size=12).digest()


def _problems(items: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.col, p.rule, p.message) for p in items]


def save(root: Path, key: str, taken: Scan, registry: Registry, own: dict[str, list[Finding]],
         rest: list[Finding]) -> None:
    """Store the state a full run has just validated (`taken` before it read any file).

    Per file, in columns (one list of names, two byte strings) so that 100,000 files load in
    milliseconds: its stat data and, for a person file, its blob id and projection digest."""
    if not taken.complete:
        return
    prefix = os.path.join(root, "")
    rels = sorted(taken.files)
    index = {rel: i for i, rel in enumerate(rels)}
    sigs = array("q", [v for rel in rels for v in taken.files[rel]])
    ids = bytearray(32 * len(rels))
    own_of: dict[str, Any] = {}
    others: list[Any] = []
    for record in registry.all_records():
        rel = record.file[len(prefix):] if record.file.startswith(prefix) else None
        if rel is None or rel not in index:
            return  # a file seen by loading but not by the scan: changed meanwhile; no state this time
        i = 32 * index.pop(rel)
        ids[i:i + 20] = bytes.fromhex(record.sha)
        if record.kind in PEOPLE:
            ids[i + 20:i + 32] = projection(record)
            if own.get(record.file):
                own_of[rel] = [pack(f) for f in own[record.file]]
        else:
            document = record.document
            others.append((record.kind, record.file, record.display, record.stem, record.sha,
                           document.data if document is not None else None, document is not None,
                           _problems(record.problems), _problems(record.notes)))
    for rel, i in index.items():  # files that are not records (time-stamp tokens, stray files): their blob id
        with contextlib.suppress(OSError):  # not a plain file: any change to it makes a full run
            ids[32 * i:32 * i + 20] = bytes.fromhex(blob_id(read_regular(os.path.join(root, rel))))
    _write(root, {"key": key, "dirs": taken.dirs, "rels": rels, "sigs": sigs.tobytes(), "ids": bytes(ids),
                  "own": own_of, "others": others, "shown": registry_display(root),
                  "rest": [(f.path, *pack(f)) for f in rest], "count": len(registry.all_records())})


def _write(root: Path, payload: dict[str, Any]) -> None:
    try:
        path = state_path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, marshal.dumps(payload), durable=False)
    except (OSError, ValueError):
        pass  # a state that cannot be written only makes the next run a full one


def _load(root: Path, key: str) -> dict[str, Any] | None:
    try:
        stored = marshal.loads(state_path(root).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, dict) and stored.get("key") == key:
        return stored
    return None


def _changed(root: Path, stored: dict[str, Any]) -> dict[int, Sig] | None:
    """Files whose stat data differs from the stored state (by index), with their new stat data; None
    when an entry was added, removed or renamed. A folder whose own stat data changed is listed again:
    an editor that saves by renaming a new file over the old one changes the folder, not its names."""
    now = time.time_ns()
    dirs: dict[str, tuple[Sig, bytes]] = stored["dirs"]
    for rel, (old, names) in dirs.items():
        try:
            st = os.lstat(os.path.join(root, rel))
            if not stat.S_ISDIR(st.st_mode):
                return None
            new = _sig(st, now)
            if new == old and new != RACY:
                continue
            if _names_digest([e.name for e in _list(root, rel)]) != names:
                return None
        except OSError:
            return None
        dirs[rel] = (new, names)
    sigs = array("q")
    sigs.frombytes(stored["sigs"])
    changed: dict[int, Sig] = {}
    lstat, prefix = os.lstat, os.path.join(root, "")
    for i, rel in enumerate(stored["rels"]):
        try:
            st = lstat(prefix + rel)
        except OSError:
            return None
        j = 4 * i
        if st.st_mtime_ns != sigs[j] or st.st_ctime_ns != sigs[j + 1] or st.st_size != sigs[j + 2] \
                or st.st_ino != sigs[j + 3]:
            changed[i] = _sig(st, now)
    return changed


def revalidate(root: Path, key: str, today: date, schemas: Any) -> tuple[list[Finding], int] | None:
    """Every finding about the registry, re-checking only the person files edited since the stored
    state, with the number of files; None when that cannot be done (a full run is needed)."""
    stored = _load(root, key)
    if stored is None:
        return None
    folders = dict(stored["dirs"])
    changed = _changed(root, stored)
    if changed is None or len(changed) > MAX_CHANGED:
        return None
    dirty = stored["dirs"] != folders or any(sig != RACY for sig in changed.values())
    rels: list[str] = stored["rels"]
    ids = bytearray(stored["ids"])
    rest_paths = {entry[0] for entry in stored["rest"]}
    edited: list[tuple[str, Record]] = []
    for i in changed:
        rel = rels[i]
        old_blob, old_projection = ids[32 * i:32 * i + 20].hex(), bytes(ids[32 * i + 20:32 * i + 32])
        if old_blob == _NO_BLOB:
            return None  # not a plain file when stored
        path = os.path.join(root, rel)
        try:
            raw = read_regular(path)
        except OSError:
            return None
        sha = blob_id(raw)
        if sha == old_blob:
            continue  # touched, not changed
        kind = FOLDERS.get(rel.split(os.sep, 1)[0], ("",))[0]
        if kind not in PEOPLE or old_projection == _NO_PROJECTION or os.sep in rel.split(os.sep, 1)[1]:
            return None  # not a person file: settings, institutions, draws … are read by many checks
        display = f"{stored['shown']}/{rel.replace(os.sep, '/')}"
        if display in rest_paths:
            return None  # a finding across records sits in this file: its position may have moved
        result = check_file(kind, raw, schemas)
        if result.document is not None:
            result.document.raw, result.document.source = raw, path
        record = Record(kind, path, display, os.path.splitext(os.path.basename(rel))[0], sha, result.document,
                        result.problems, result.notes)
        if projection(record) != old_projection:
            return None  # what other people's checks read has changed
        ids[32 * i:32 * i + 32] = bytes.fromhex(sha) + old_projection
        edited.append((rel, record))
    if edited:
        dirty = True
        registry = _partial_registry(root, stored["others"], [record for _, record in edited])
        fresh = person_findings(registry, today, {record.file for _, record in edited})
        for rel, record in edited:
            own = file_findings_of(record) + fresh.get(record.file, [])
            stored["own"].pop(rel, None)
            if own:
                stored["own"][rel] = [pack(f) for f in own]
    findings = [unpack(entry[0], entry[1:]) for entry in stored["rest"]]
    for rel, packed in stored["own"].items():
        display = f"{stored['shown']}/{rel.replace(os.sep, '/')}"
        findings += [unpack(display, p) for p in packed]
    if dirty:
        sigs = array("q")
        sigs.frombytes(stored["sigs"])
        for i, sig in changed.items():
            sigs[4 * i:4 * i + 4] = array("q", sig)
        stored["sigs"], stored["ids"] = sigs.tobytes(), bytes(ids)
        _write(root, stored)
    return findings, stored["count"]


def _partial_registry(root: Path, others: list[Any], edited: list[Record]) -> Registry:
    registry = Registry(root, None, [], [])
    for kind, file, display, stem, sha, data, loaded, problems, notes in others:
        document = Document(data, source=file) if loaded else None
        record = Record(kind, file, display, stem, sha, document, [Problem(*p) for p in problems],
                        [Problem(*p) for p in notes])
        if kind == "registry":
            registry.settings = record
        else:
            registry.records.append(record)
    registry.records += edited
    return registry
