"""The registry folder: which file holds which kind of record, loaded (and cached) in one pass."""

from __future__ import annotations

import hashlib
import marshal
import multiprocessing
import os
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..core import progress
from ..core.findings import Finding, error
from ..core.forked import map_forked
from ..core.vocab import FOLDERS as FOLDERS  # re-exported: discovery is where most readers look
from ..yamlio.load import Document, Problem
from .cache import ResultCache, pack_result, unpack_result
from .filecheck import FileResult, check_file, personal_data
from .schemas import SchemaSet

REGISTRY_ENV = "ROSTER_REGISTRY"

SETTINGS_FILE = "registry.yaml"


@dataclass
class Record:
    kind: str
    file: str  # the file's path; `path` gives it as a Path (built on demand: 10,000 Paths cost 0.1 s)
    display: str
    stem: str
    sha: str
    document: Document | None
    problems: list[Problem]
    notes: list[Problem] = field(default_factory=list)  # warnings about the file (values accepted in another form)
    # derived once: rules read these for every record
    data: dict[str, Any] = field(init=False, repr=False)
    id: str | None = field(init=False)

    def __post_init__(self) -> None:
        data = self.document.data if self.document else None
        self.data = data if isinstance(data, dict) else {}
        record_id = self.data.get("id")
        self.id = record_id if isinstance(record_id, str) else None

    @cached_property
    def path(self) -> Path:
        return Path(self.file)

    def line(self, *path: str | int) -> tuple[int, int]:
        return self.document.position(tuple(path)) if self.document else (1, 1)


@dataclass
class Registry:
    root: Path
    settings: Record | None
    records: list[Record] = field(default_factory=list)
    layout_findings: list[Finding] = field(default_factory=list)
    # True when each person record holds only what checks across people read (check/projected.py)
    projected: bool = False

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def by_id(self, kind: str) -> dict[str, Record]:
        return {r.id: r for r in self.records if r.kind == kind and r.id}

    def all_records(self) -> list[Record]:
        return ([self.settings] if self.settings else []) + self.records


def display_path(path: Path | str) -> str:
    """Relative to the working directory when inside it (as CI annotations need), else absolute."""
    return _Display().show(os.fspath(path))


class _Display:
    """display_path for many files: the working directory is looked up once."""

    def __init__(self) -> None:
        self.prefix = os.path.join(os.getcwd(), "")

    def show(self, name: str) -> str:
        absolute = os.path.abspath(name)
        if absolute.startswith(self.prefix):
            return absolute[len(self.prefix):].replace(os.sep, "/")
        return absolute


class NotRegularFile(OSError):
    """A path that is not a plain file (symlink, FIFO, device, socket, folder)."""


def read_regular(path: str) -> bytes:
    """The bytes of a plain file, refusing anything else without reading from it: no symlink is followed
    (O_NOFOLLOW) and opening a FIFO does not wait for a writer (O_NONBLOCK); the type is checked on the
    open handle, so a file swapped for something else after it was listed is refused too."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
        return handle.read()


# what a finding about an entry that is not a record says, by its kind
_ODD_ENTRIES: dict[str, tuple[str, str]] = {
    "symlink": ("layout.symlink", "这是符号链接（symlink）：名册中只能有普通文件，不会读取它指向的内容；"
                                  "请删除链接，把记录文件本身放在这里"),
    "special": ("layout.special", "这不是普通文件（命名管道、设备或套接字）：已拒绝读取；请删除它"),
    "unreadable": ("layout.unreadable", "无法读取这个文件夹（权限不足或已损坏）：其中的记录都没有校验；"
                                        "请修正权限（如 chmod u+rx）后重新运行"),
    "hidden": ("layout.hidden", "隐藏文件或文件夹（名称以“.”开头）不属于名册：请删除它；"
                                "记录文件的名称就是编号，如 experts/E0001.yaml"),
}


def _walk(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Plain files under root as sorted relative paths, and every other entry as (relative path, kind).
    Entry types come from the directory listing (lstat semantics): nothing is followed or opened."""
    files: list[str] = []
    odd: list[tuple[str, str]] = []
    stack = [""]
    while stack:
        rel_folder = stack.pop()
        try:
            with os.scandir(os.path.join(root, rel_folder)) as entries:
                listed = list(entries)
        except OSError:
            odd.append((rel_folder, "unreadable"))
            continue
        for entry in listed:
            if not rel_folder and entry.name == ".git":
                continue  # a registry that is its own git repository
            rel = os.path.join(rel_folder, entry.name) if rel_folder else entry.name
            if entry.is_symlink():
                odd.append((rel, "symlink"))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(rel)
            elif entry.is_file(follow_symlinks=False):
                files.append(rel)
            else:
                odd.append((rel, "special"))
    return sorted(files), sorted(odd)


def discover(root: Path) -> tuple[list[tuple[str, str, str]], list[Finding]]:
    """All record files as (kind, file path, display path), plus findings for entries that do not belong.
    A plain file that does not belong is scanned for personal data all the same."""
    files: list[tuple[str, str, str]] = []
    findings: list[Finding] = []
    shown_root = _Display().show(str(root))
    found, odd = _walk(root)
    for rel_name, what in odd:
        rule, message = _ODD_ENTRIES[what]
        findings.append(error(f"{shown_root}/{rel_name.replace(os.sep, '/')}".rstrip("/"), 1, 1, rule, message))
    if SETTINGS_FILE in found:
        files.append(("registry", os.path.join(root, SETTINGS_FILE), f"{shown_root}/{SETTINGS_FILE}"))
    elif SETTINGS_FILE not in dict(odd):
        findings.append(error(f"{shown_root}/{SETTINGS_FILE}", 1, 1, "layout.settings",
                              "缺少名册设置文件 registry.yaml（本局信息、政策预设、网站设置）"))
    for rel_name in found:
        if rel_name == SETTINGS_FILE:
            continue
        rel = rel_name.split(os.sep)
        suffix = os.path.splitext(rel_name)[1]
        shown = f"{shown_root}/{'/'.join(rel)}"
        if suffix == ".tsr" and rel[0] == "draws" and len(rel) == 3:
            continue  # a draw's time-stamp token, beside it (checked with the draws)
        problem = misplaced(rel, suffix)
        if problem is None:
            files.append((FOLDERS[rel[0]][0], os.path.join(root, rel_name), shown))
            continue
        findings.append(error(shown, 1, 1, *problem))
        findings += _stray_file_findings(os.path.join(root, rel_name), shown)
    return files, findings


def misplaced(rel: list[str], suffix: str) -> tuple[str, str] | None:
    """(rule, message) for a plain file that is not where a record file goes, else None."""
    if any(part.startswith(".") for part in rel):
        return _ODD_ENTRIES["hidden"]
    folder = FOLDERS.get(rel[0])
    if folder is None or len(rel) == 1:
        return ("layout.unknown_file", f"不认识的文件：名册只包含 {SETTINGS_FILE} 和 {'、'.join(FOLDERS)} 这几个文件夹中的"
                                       "记录文件（说明文字请写在 docs/ 中），请删除或移走")
    _, by_year, _ = folder
    if suffix != ".yaml":
        return ("layout.extension", "记录文件的扩展名必须是 .yaml（不是 .yml、.txt、.md 或其他）；"
                                    "说明文字请写在 docs/ 中")
    depth = 3 if by_year else 2
    if len(rel) != depth:
        where = f"{rel[0]}/<年份>/<编号>.yaml" if by_year else f"{rel[0]}/<编号>.yaml"
        return ("layout.folder", f"文件位置不对：应放在 {where}")
    return None


STRAY_SCAN_LIMIT = 5_000_000  # bytes of a file that does not belong that are scanned for personal data


DOCS_FOLDER = "docs"  # hand-written pages of the site, beside the registry folder
DOCS_SUFFIXES = (".md", ".txt", ".html", ".yaml", ".yml", ".csv", ".json")


def docs_findings(root: Path) -> list[Finding]:
    """Personal data in the hand-written pages (docs/ beside the registry), which the site publishes."""
    docs = Path(os.path.abspath(root)).parent / DOCS_FOLDER  # also for a registry named "."
    if not docs.is_dir():
        return []
    shown_root = _Display().show(str(docs))
    found, _ = _walk(docs)
    return [f for rel in found if rel.endswith(DOCS_SUFFIXES)
            for f in _stray_file_findings(str(docs / rel), f"{shown_root}/{rel.replace(os.sep, '/')}")]


def _stray_file_findings(path: str, shown: str) -> list[Finding]:
    try:
        raw = read_regular(path)[:STRAY_SCAN_LIMIT]
    except OSError:
        return [error(shown, 1, 1, "file.unreadable", "无法读取这个文件（权限不足或不是普通文件），其内容没有检查")]
    return [error(shown, p.line, p.col, p.rule, p.message) for p in personal_data(raw.decode("utf-8", "replace"), None)]


def load_registry(root: Path, schemas: SchemaSet, cache: ResultCache | None = None,
                  blob_ids: Callable[[], dict[str, str]] | None = None) -> Registry:
    files, layout_findings = discover(root)
    return load_files(root, files, layout_findings, schemas, cache, blob_ids)


def load_files(root: Path, files: list[tuple[str, str, str]], layout_findings: list[Finding], schemas: SchemaSet,
               cache: ResultCache | None = None, blob_ids: Callable[[], dict[str, str]] | None = None) -> Registry:
    """The registry made of `files` (as `discover` lists them), each file's own checks cached by content."""
    # Content keys are git blob ids. In a git work tree, git's index already knows them for every
    # file it has not seen change (git itself guards against edits within the same timestamp), so
    # with a warm cache only changed files are read; any file git cannot vouch for is read and hashed.
    if cache and blob_ids is None:
        blob_ids = start_clean_blob_ids(root)
    known = blob_ids() if cache and blob_ids else {}
    shown_root = _Display().show(str(root))
    keyed: list[tuple[str, str, str, bytes | None, str]] = []
    unreadable: list[tuple[str, OSError]] = []
    for kind, path, shown in files:
        blob = known.get(shown[len(shown_root) + 1:])
        raw = None
        if blob is None or cache is None or not cache.has(kind, blob):
            try:
                raw = read_regular(path)
            except OSError as exc:
                unreadable.append((shown, exc))
                continue
            blob = blob_id(raw)
        keyed.append((kind, path, shown, raw, blob))
    results: dict[tuple[str, str], FileResult] = {}
    missing: list[tuple[str, str, bytes]] = []
    for kind, path, _, raw, sha in keyed:
        hit = cache.get(kind, sha) if cache else None
        if hit is not None:
            if hit.document is not None:
                # positions are rebuilt from the bytes if a finding needs one
                hit.document.raw, hit.document.source = raw, path
            results[(kind, sha)] = hit
        elif (kind, sha) not in results:
            assert raw is not None
            results[(kind, sha)] = FileResult(None, [])  # placeholder keeps duplicates out of `missing`
            missing.append((kind, sha, raw))
    for (kind, sha), result in _check_all(missing, schemas):
        results[(kind, sha)] = result
        if cache:
            cache.put(kind, sha, result)
    registry = Registry(root, None, [], layout_findings)
    for kind, path, shown, _, sha in keyed:
        result = results[(kind, sha)]
        stem = os.path.splitext(os.path.basename(shown))[0]
        record = Record(kind, path, shown, stem, sha, result.document, result.problems, result.notes)
        if kind == "registry":
            registry.settings = record
        else:
            registry.records.append(record)
    registry.layout_findings += [unreadable_finding(shown, failure) for shown, failure in unreadable]
    return registry


def unreadable_finding(shown: str, failure: OSError) -> Finding:
    why = "不是普通文件" if isinstance(failure, NotRegularFile) else (failure.strerror or "无法打开")
    return error(shown, 1, 1, "file.unreadable", f"无法读取这个记录文件（{why}）：请修正权限（如 chmod u+r）或删除它")


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes (SHA-1 of a blob header and the content)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


# whatever the repository's settings, compare every stat field (an edit that keeps size and mtime
# still changes the ctime) and ask no file-system monitor
_STRICT_STAT = ("-c", "core.trustctime=true", "-c", "core.checkStat=default", "-c", "core.fsmonitor=false")


def start_clean_blob_ids(root: Path) -> Callable[[], dict[str, str]]:
    """Start asking git for the blob ids of files under root that are unchanged in the work tree; the
    returned function waits for the answer ({} if this is not a git work tree). Starting early lets git
    work on the other core while this process reads its cache."""
    def start(*args: str) -> subprocess.Popen[bytes] | None:
        try:
            return subprocess.Popen(["git", "-C", str(root), *_STRICT_STAT, *args], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
        except OSError:
            return None

    # -v tags each entry: lower case is --assume-unchanged, S is skip-worktree; git does not look at
    # those files, so neither may we trust their ids
    staged_run = start("ls-files", "--stage", "-v", "-z", "--", ".")
    changed_run = start("diff-files", "--name-only", "--relative", "-z", "--", ".")

    def output(run: subprocess.Popen[bytes] | None) -> bytes | None:
        if run is None:
            return None
        try:
            out, _ = run.communicate(timeout=30)
        except subprocess.SubprocessError:
            run.kill()
            return None
        return out if run.returncode == 0 else None

    def result() -> dict[str, str]:
        staged, changed = output(staged_run), output(changed_run)
        if staged is None or changed is None:
            return {}
        dirty = set(changed.decode("utf-8", "surrogateescape").split("\0"))
        ids: dict[str, str] = {}
        for entry in staged.decode("utf-8", "surrogateescape").split("\0"):
            if not entry:
                continue
            meta, name = entry.split("\t", 1)
            tag, mode, blob, stage = meta.split()
            if tag == "H" and stage == "0" and mode in ("100644", "100755") and name not in dirty:
                ids[name] = blob
        return ids

    return result


# Parsing is the cold run's floor; past this many files it is shared among worker processes (one per
# core, forked so each starts with the loaded schemas). Each worker sends its results back as one
# marshal blob per chunk: plain dicts and tuples, which cost far less to ship than to parse.
PARALLEL_MIN = 2_000
_CHUNK = 250
_work: tuple[list[tuple[str, str, bytes]], SchemaSet] | None = None  # set before forking


def _check_chunk(bounds: tuple[int, int]) -> bytes:
    assert _work is not None
    items, schemas = _work
    return marshal.dumps([pack_result(check_file(kind, raw, schemas)) for kind, _, raw in items[bounds[0]:bounds[1]]])


def worker_count(count: int, minimum: int) -> int:
    """How many processes share `count` files: one per core (at most 8) from `minimum` files on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if count < minimum or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cores, 8)


def _check_all(items: list[tuple[str, str, bytes]], schemas: SchemaSet) -> list[tuple[tuple[str, str], FileResult]]:
    workers = worker_count(len(items), PARALLEL_MIN)
    if workers == 1:
        return [((kind, sha), check_file(kind, raw, schemas)) for kind, sha, raw in progress.track(items, "校验文件")]
    global _work
    _work = (items, schemas)
    bounds = [(start, min(start + _CHUNK, len(items))) for start in range(0, len(items), _CHUNK)]
    done: list[tuple[tuple[str, str], FileResult]] = []
    try:
        results = map_forked(_check_chunk, bounds, workers)
        with progress.task("校验文件", len(items)) as advance:
            for (start, end), blob in zip(bounds, results, strict=True):
                for (kind, sha, raw), entry in zip(items[start:end], marshal.loads(blob), strict=True):
                    result = unpack_result(entry)
                    if result.document is not None:
                        result.document.raw = raw
                    done.append(((kind, sha), result))
                advance(end - start)
    finally:
        _work = None
    return done


def resolve_root(option: str | None) -> Path:
    return Path(option or os.environ.get(REGISTRY_ENV) or "registry")
