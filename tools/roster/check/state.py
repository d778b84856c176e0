"""The last validated state of a registry, so that a run after a small change re-checks only what changed.

Kept in the cache folder, per registry: the stat data of every folder (an entry added, removed or
renamed changes its folder's) and of every file (mtime, ctime, size, inode, with the file's git blob
id); the findings of each person file (its own file checks and its person-level cross-record
findings); the findings of the checks across records, and every other finding apart; each person's
projection (what the checks across people read: ids, person keys, names, statuses, certificate
numbers — see `parts.PROJECTED_FIELDS`), as a digest beside the file and whole in a second file; and
the non-person records themselves, which person-level checks consult.

A run with the same code, schemas, date and working directory, and no --base, that finds only person
files edited, added or removed re-checks those files alone against the stored non-person records; when
what the checks across people read of them changed (or a finding of those checks sits in an edited
file, whose lines may have moved), those checks run again over the stored projections. Anything else
— a non-person file changed, any other entry added, removed or renamed — is a full run, which writes a
fresh state. Stat data is only trusted where it can tell: a file or folder modified within `RACY_NS` of
being looked at is re-read next time (as git does with "racily clean" entries), and a file whose stat
data changed is re-hashed, so an edit that keeps the size and sets the time back still changes the
ctime and is seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import time
from array import array
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.files import write_atomic
from ..core.findings import Finding
from ..core.vocab import FOLDERS, PEOPLE
from ..yamlio.load import Document, Problem
from .cache import cache_dir, package_fingerprint
from .filecheck import check_file
from .parts import across_records, file_findings_of, pack, person_findings, projection_of, unpack
from .registry import SETTINGS_FILE, Record, Registry, blob_id, misplaced, read_regular
from .registry import display_path as registry_display

_FORMAT = 2  # 2: projections kept, findings across records apart
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
    # blob ids of the plain files that are not records (time-stamp tokens, stray files), read before they
    # are checked: a change made while the run checks them makes the next run a full one
    blobs: dict[str, str] = field(default_factory=dict)


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
    for rel in taken.files:
        parts = rel.split(os.sep)
        if rel != SETTINGS_FILE and misplaced(parts, os.path.splitext(rel)[1]) is not None:
            with contextlib.suppress(OSError):  # not a plain file: any change to it makes a full run
                taken.blobs[rel] = blob_id(read_regular(os.path.join(root, rel)))
    return taken


# libraries whose answers are findings: YAML reading, schema checks, the holiday calendar, time-stamp tokens
_LIBRARIES = ("PyYAML", "jsonschema", "referencing", "chinese-calendar", "rfc3161-client", "cryptography")


def state_key(root: Path, today: date, schema_fingerprint: str, shown_root: str) -> str:
    """What every stored finding depends on besides the files: code, data, schemas, libraries, date,
    paths as shown."""
    libraries = ",".join(f"{name}={_version(name)}" for name in _LIBRARIES)
    text = (f"{_FORMAT}:{package_fingerprint()}:{schema_fingerprint}:{libraries}:{sys.version}:{today.isoformat()}:"
            f"{shown_root}:{root.resolve()}")
    return hashlib.sha256(text.encode()).hexdigest()


def _version(name: str) -> str:
    from importlib import metadata  # 9 ms of imports, for the few runs that use the state

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def state_path(root: Path) -> Path:
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"validate-{where}.state"


# what the checks across people read of one person: (kind, file name, loaded, has problems, projected fields)
PersonEntry = tuple[str, str, bool, bool, dict[str, Any]]
# stands in for a person file's own problems when its record is rebuilt from the state: the checks across
# people only ask whether there are any; the problems themselves are among the file's own findings
_SOME_PROBLEM = Problem(1, 1, "file", "")


def person_entry(record: Record) -> PersonEntry:
    return (record.kind, record.stem, record.document is not None, bool(record.problems), projection_of(record.data))


def projection(record: Record) -> bytes:
    """A digest of what the checks across people read of one person record."""
    return _digest(person_entry(record))


def _digest(entry: PersonEntry) -> bytes:
    return hashlib.blake2b(repr(entry).encode(), digest_size=12).digest()


def _problems(items: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.col, p.rule, p.message) for p in items]


def save(root: Path, key: str, taken: Scan, registry: Registry, own: dict[str, list[Finding]],
         fixed: list[Finding], across: list[Finding]) -> None:
    """Store the state a full run has just validated (`taken` before it read any file). `fixed`: the
    findings that depend on no person file (layout, the other records' own, draws); `across`: those of
    the checks across records, which `revalidate` runs again when what they read of people changes.

    Per file, in columns (one list of names, two byte strings) so that 100,000 files load in
    milliseconds: its stat data and, for a person file, its blob id and projection digest. The people's
    projections themselves go to a second file, read only when they are needed."""
    if not taken.complete:
        return
    prefix = os.path.join(root, "")
    rels = sorted(taken.files)
    index = {rel: i for i, rel in enumerate(rels)}
    sigs = array("q", [v for rel in rels for v in taken.files[rel]])
    ids = bytearray(32 * len(rels))
    own_of: dict[str, Any] = {}
    others: list[Any] = []
    people: dict[str, PersonEntry] = {}
    for record in registry.all_records():
        rel = record.file[len(prefix):] if record.file.startswith(prefix) else None
        if rel is None or rel not in index:
            return  # a file seen by loading but not by the scan: changed meanwhile; no state this time
        i = 32 * index.pop(rel)
        ids[i:i + 20] = bytes.fromhex(record.sha)
        if record.kind in PEOPLE:
            people[rel] = entry = person_entry(record)
            ids[i + 20:i + 32] = _digest(entry)
            if own.get(record.file):
                own_of[rel] = [pack(f) for f in own[record.file]]
        else:
            document = record.document
            others.append((record.kind, record.file, record.display, record.stem, record.sha,
                           document.data if document is not None else None, document is not None,
                           _problems(record.problems), _problems(record.notes)))
    for rel, i in index.items():  # files that are not records: their blob id as read before they were checked
        if rel in taken.blobs:
            ids[32 * i:32 * i + 20] = bytes.fromhex(taken.blobs[rel])
    token = os.urandom(8).hex()
    _write(_people_path(root), {"token": token, "people": people})
    _write(state_path(root), {"key": key, "dirs": taken.dirs, "rels": rels, "sigs": sigs.tobytes(), "ids": bytes(ids),
                              "own": own_of, "others": others, "shown": registry_display(root), "token": token,
                              "fixed": [(f.path, *pack(f)) for f in fixed],
                              "across": [(f.path, *pack(f)) for f in across], "count": len(registry.all_records())})


def _people_path(root: Path) -> Path:
    return state_path(root).with_suffix(".projections")


def _write(path: Path, payload: dict[str, Any]) -> None:
    """The payload behind its own digest: a file damaged in any byte is not read as a state."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = marshal.dumps(payload)
        write_atomic(path, hashlib.blake2b(body, digest_size=16).digest() + body, durable=False)
    except (OSError, ValueError):
        pass  # a state that cannot be written only makes the next run a full one


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
        if hashlib.blake2b(data[16:], digest_size=16).digest() != data[:16]:
            return None
        stored = marshal.loads(data[16:])
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return stored if isinstance(stored, dict) else None


def _load(root: Path, key: str) -> dict[str, Any] | None:
    stored = _read(state_path(root))
    return stored if stored is not None and stored.get("key") == key else None


@dataclass
class Differences:
    changed: dict[int, Sig]  # stored files (by index) whose stat data differs, with their new stat data
    added: dict[str, Sig]  # new person files
    removed: set[int]  # stored person files that are gone


_PERSON_FOLDERS = frozenset(name for name, (kind, by_year, *_) in FOLDERS.items() if kind in PEOPLE and not by_year)


def _differences(root: Path, stored: dict[str, Any]) -> Differences | None:
    """What changed on disk since the stored state; None when it is more than person files edited, added or
    removed (anything else added, removed or renamed). A folder whose own stat data changed is listed again:
    an editor that saves by renaming a new file over the old one changes the folder, not its names."""
    now = time.time_ns()
    dirs: dict[str, tuple[Sig, bytes]] = stored["dirs"]
    rels: list[str] = stored["rels"]
    found = Differences({}, {}, set())
    index: dict[str, int] | None = None
    for rel_folder, (old, names) in dirs.items():
        try:
            st = os.lstat(os.path.join(root, rel_folder))
            if not stat.S_ISDIR(st.st_mode):
                return None
            new = _sig(st, now)
            if new == old and new != RACY:
                continue
            listed = _list(root, rel_folder)
            digest = _names_digest([e.name for e in listed])
            if digest != names:
                if rel_folder not in _PERSON_FOLDERS:
                    return None
                index = index if index is not None else {rel: i for i, rel in enumerate(rels)}
                present = {os.path.join(rel_folder, e.name): e for e in listed}
                before = {rel for rel in index if os.path.dirname(rel) == rel_folder}
                for rel in present.keys() - before:
                    entry = present[rel]
                    if entry.name.startswith(".") or not entry.name.endswith(".yaml") \
                            or not entry.is_file(follow_symlinks=False) or entry.is_symlink():
                        return None  # not a record file: its layout finding comes from a full run
                    found.added[rel] = _sig(entry.stat(follow_symlinks=False), now)
                found.removed |= {index[rel] for rel in before - present.keys()}
        except OSError:
            return None
        dirs[rel_folder] = (new, digest)
    sigs = array("q")
    sigs.frombytes(stored["sigs"])
    lstat, prefix = os.lstat, os.path.join(root, "")
    for i, rel in enumerate(rels):
        if i in found.removed:
            continue
        try:
            st = lstat(prefix + rel)
        except OSError:
            return None
        j = 4 * i
        if st.st_mtime_ns != sigs[j] or st.st_ctime_ns != sigs[j + 1] or st.st_size != sigs[j + 2] \
                or st.st_ino != sigs[j + 3]:
            found.changed[i] = _sig(st, now)
    return found


def revalidate(root: Path, key: str, today: date, schemas: Any) -> tuple[list[Finding], int] | None:
    """Every finding about the registry, re-checking only the person files edited, added or removed since
    the stored state (and, when what the checks across people read of them changed, those checks over the
    stored projections), with the number of files; None when that cannot be done (a full run is needed)."""
    stored = _load(root, key)
    if stored is None:
        return None
    folders = dict(stored["dirs"])
    found = _differences(root, stored)
    if found is None or len(found.changed) + len(found.added) + len(found.removed) > MAX_CHANGED:
        return None
    rels: list[str] = stored["rels"]
    ids = bytearray(stored["ids"])
    if any(ids[32 * i + 20:32 * i + 32] == _NO_PROJECTION for i in found.removed):
        return None  # a file that was not a person record
    across_paths = {entry[0] for entry in stored["across"]}
    fixed_paths = {entry[0] for entry in stored["fixed"]}
    dirty = stored["dirs"] != folders or bool(found.added or found.removed) \
        or any(sig != RACY for sig in found.changed.values())
    recheck_across = bool(found.added or found.removed)
    edited: dict[str, Record] = {}
    new_ids: dict[str, bytes] = {}
    for i in found.changed:
        rel = rels[i]
        old_blob, old_projection = ids[32 * i:32 * i + 20].hex(), bytes(ids[32 * i + 20:32 * i + 32])
        if old_blob == _NO_BLOB:
            return None  # not a plain file when stored
        try:
            raw = read_regular(os.path.join(root, rel))
        except OSError:
            return None
        if blob_id(raw) == old_blob:
            continue  # touched, not changed
        kind = FOLDERS.get(rel.split(os.sep, 1)[0], ("",))[0]
        if kind not in PEOPLE or old_projection == _NO_PROJECTION or os.sep in rel.split(os.sep, 1)[1]:
            return None  # not a person file: settings, institutions, draws … are read by many checks
        record = _person(root, stored["shown"], rel, kind, raw, schemas)
        if record.display in fixed_paths:
            return None
        if projection(record) != old_projection or record.display in across_paths:
            recheck_across = True  # what other people's checks read has changed, or their findings here may move
        edited[rel] = record
    for rel in found.added:
        try:
            raw = read_regular(os.path.join(root, rel))
        except OSError:
            return None
        edited[rel] = _person(root, stored["shown"], rel, FOLDERS[rel.split(os.sep, 1)[0]][0], raw, schemas)
    own: dict[str, Any] = stored["own"]
    if edited:
        dirty = True
        registry = _partial_registry(root, stored["others"], list(edited.values()))
        fresh = person_findings(registry, today, {record.file for record in edited.values()})
        for rel, record in edited.items():
            mine = file_findings_of(record) + fresh.get(record.file, [])
            own.pop(rel, None)
            if mine:
                own[rel] = [pack(f) for f in mine]
            new_ids[rel] = bytes.fromhex(record.sha) + projection(record)
    for i in found.removed:
        own.pop(rels[i], None)
    if recheck_across:
        people = _read(_people_path(root))
        if people is None or people.get("token") != stored["token"]:
            return None
        entries: dict[str, PersonEntry] = people["people"]
        for i in found.removed:
            entries.pop(rels[i], None)
        for rel, record in edited.items():
            entries[rel] = person_entry(record)
        across = across_records(_projected_registry(root, stored["shown"], stored["others"], entries), today)
        stored["across"] = [(f.path, *pack(f)) for f in across]
        stored["token"] = os.urandom(8).hex()
        _write(_people_path(root), {"token": stored["token"], "people": entries})
    findings = [unpack(entry[0], entry[1:]) for entry in stored["fixed"] + stored["across"]]
    for rel, packed in own.items():
        display = f"{stored['shown']}/{rel.replace(os.sep, '/')}"
        findings += [unpack(display, p) for p in packed]
    if dirty:
        _store_files(stored, found, new_ids)
        _write(state_path(root), stored)
    return findings, stored["count"]


def _person(root: Path, shown: str, rel: str, kind: str, raw: bytes, schemas: Any) -> Record:
    path = os.path.join(root, rel)
    result = check_file(kind, raw, schemas)
    if result.document is not None:
        result.document.raw, result.document.source = raw, path
    return Record(kind, path, f"{shown}/{rel.replace(os.sep, '/')}", os.path.splitext(os.path.basename(rel))[0],
                  blob_id(raw), result.document, result.problems, result.notes)


def _store_files(stored: dict[str, Any], found: Differences, new_ids: dict[str, bytes]) -> None:
    """The per-file columns with the differences applied."""
    rels: list[str] = stored["rels"]
    if not found.added and not found.removed:  # the same files: changed in place
        sigs = array("q")
        sigs.frombytes(stored["sigs"])
        ids = bytearray(stored["ids"])
        for i, now in found.changed.items():
            sigs[4 * i:4 * i + 4] = array("q", now)
            if rels[i] in new_ids:
                ids[32 * i:32 * i + 32] = new_ids[rels[i]]
        stored["sigs"], stored["ids"] = sigs.tobytes(), bytes(ids)
        return
    old_sigs = array("q")
    old_sigs.frombytes(stored["sigs"])
    old_ids = stored["ids"]
    columns: dict[str, tuple[tuple[int, ...], bytes]] = {}
    for i, rel in enumerate(rels):
        if i not in found.removed:
            sig = found.changed.get(i) or tuple(old_sigs[4 * i:4 * i + 4])
            columns[rel] = (sig, new_ids.get(rel) or old_ids[32 * i:32 * i + 32])
    for rel, sig in found.added.items():
        columns[rel] = (sig, new_ids[rel])
    order = sorted(columns)
    stored["rels"] = order
    stored["sigs"] = array("q", [v for rel in order for v in columns[rel][0]]).tobytes()
    stored["ids"] = b"".join(columns[rel][1] for rel in order)
    stored["count"] += len(found.added) - len(found.removed)


def _other_records(others: list[Any]) -> list[Record]:
    records = []
    for kind, file, display, stem, sha, data, loaded, problems, notes in others:
        document = Document(data, source=file) if loaded else None
        records.append(Record(kind, file, display, stem, sha, document, [Problem(*p) for p in problems],
                              [Problem(*p) for p in notes]))
    return records


def _partial_registry(root: Path, others: list[Any], edited: list[Record]) -> Registry:
    registry = Registry(root, None, [], [])
    for record in _other_records(others):
        if record.kind == "registry":
            registry.settings = record
        else:
            registry.records.append(record)
    registry.records += edited
    return registry


def _projected_registry(root: Path, shown: str, others: list[Any], people: dict[str, PersonEntry]) -> Registry:
    """The stored non-person records and each person's stored projection, in the order a full run loads them."""
    registry = Registry(root, None, [], [], projected=True)
    prefix = os.path.join(root, "")
    by_rel: dict[str, Record] = {}
    for record in _other_records(others):
        if record.kind == "registry":
            registry.settings = record
        else:
            by_rel[record.file[len(prefix):]] = record
    for rel, (kind, stem, loaded, has_problems, projected) in people.items():
        file = prefix + rel
        by_rel[rel] = Record(kind, file, f"{shown}/{rel.replace(os.sep, '/')}", stem, "",
                             Document(projected, source=file) if loaded else None,
                             [_SOME_PROBLEM] if has_problems else [])
    registry.records = [by_rel[rel] for rel in sorted(by_rel)]
    return registry
