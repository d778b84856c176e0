"""The registry folder: which file holds which kind of record, loaded (and cached) in one pass."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..core import progress
from ..core.findings import Finding, error, warning
from ..core.vocab import FOLDERS as FOLDERS  # re-exported: discovery is where most readers look
from ..yamlio.load import Document, Problem
from .cache import ResultCache
from .filecheck import FileResult, check_file
from .schemas import SchemaSet

REGISTRY_ENV = "ROSTER_REGISTRY"

SETTINGS_FILE = "registry.yaml"
IGNORED_SUFFIXES = (".md", ".txt")


@dataclass
class Record:
    kind: str
    file: str  # the file's path; `path` gives it as a Path (built on demand: 10,000 Paths cost 0.1 s)
    display: str
    stem: str
    sha: str
    document: Document | None
    problems: list[Problem]
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


def _all_files(root: Path) -> list[str]:
    """Every file under root as a path relative to it, sorted, skipping hidden files and folders."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, root)
        found += [name if rel == "." else os.path.join(rel, name) for name in names if not name.startswith(".")]
    return sorted(found)


def discover(root: Path) -> tuple[list[tuple[str, str, str]], list[Finding]]:
    """All record files as (kind, file path, display path), plus findings for files that do not belong."""
    files: list[tuple[str, str, str]] = []
    findings: list[Finding] = []
    shown_root = _Display().show(str(root))
    settings = root / SETTINGS_FILE
    if settings.is_file():
        files.append(("registry", str(settings), f"{shown_root}/{SETTINGS_FILE}"))
    else:
        findings.append(error(f"{shown_root}/{SETTINGS_FILE}", 1, 1, "layout.settings",
                              "缺少名册设置文件 registry.yaml（本局信息、政策预设、网站设置）"))
    for rel_name in _all_files(root):
        if rel_name == SETTINGS_FILE:
            continue
        rel = rel_name.split(os.sep)
        suffix = os.path.splitext(rel_name)[1]
        if suffix in IGNORED_SUFFIXES:
            continue
        shown = f"{shown_root}/{'/'.join(rel)}"
        folder = FOLDERS.get(rel[0])
        if folder is None:
            findings.append(warning(shown, 1, 1, "layout.unknown_file",
                                    f"不认识的文件位置：名册只包含 {SETTINGS_FILE} 和 {'、'.join(FOLDERS)} 这几个文件夹"))
            continue
        kind, by_year, _ = folder
        if suffix != ".yaml":
            findings.append(error(shown, 1, 1, "layout.extension", "记录文件的扩展名必须是 .yaml（不是 .yml 或其他）"))
            continue
        depth = 3 if by_year else 2
        if len(rel) != depth:
            where = f"{rel[0]}/<年份>/<编号>.yaml" if by_year else f"{rel[0]}/<编号>.yaml"
            findings.append(error(shown, 1, 1, "layout.folder", f"文件位置不对：应放在 {where}"))
            continue
        files.append((kind, os.path.join(root, rel_name), shown))
    return files, findings


def load_registry(root: Path, schemas: SchemaSet, cache: ResultCache | None = None,
                  blob_ids: Callable[[], dict[str, str]] | None = None) -> Registry:
    files, layout_findings = discover(root)
    # Content keys are git blob ids. In a git work tree, git's index already knows them for every
    # file it has not seen change (git itself guards against edits within the same timestamp), so
    # with a warm cache only changed files are read; any file git cannot vouch for is read and hashed.
    if cache and blob_ids is None:
        blob_ids = start_clean_blob_ids(root)
    known = blob_ids() if cache and blob_ids else {}
    shown_root = _Display().show(str(root))
    keyed: list[tuple[str, str, str, bytes | None, str]] = []
    for kind, path, shown in files:
        blob = known.get(shown[len(shown_root) + 1:])
        raw = None
        if blob is None or cache is None or not cache.has(kind, blob):
            with open(path, "rb") as handle:
                raw = handle.read()
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
        record = Record(kind, path, shown, stem, sha, result.document, result.problems)
        if kind == "registry":
            registry.settings = record
        else:
            registry.records.append(record)
    return registry


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes (SHA-1 of a blob header and the content)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def start_clean_blob_ids(root: Path) -> Callable[[], dict[str, str]]:
    """Start asking git for the blob ids of files under root that are unchanged in the work tree; the
    returned function waits for the answer ({} if this is not a git work tree). Starting early lets git
    work on the other core while this process reads its cache."""
    def start(*args: str) -> subprocess.Popen[bytes] | None:
        try:
            return subprocess.Popen(["git", "-C", str(root), *args], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
        except OSError:
            return None

    staged_run = start("ls-files", "--stage", "-z", "--", ".")
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
            mode, blob, stage = meta.split()
            if stage == "0" and mode in ("100644", "100755") and name not in dirty:
                ids[name] = blob
        return ids

    return result


def _check_all(items: list[tuple[str, str, bytes]], schemas: SchemaSet) -> list[tuple[tuple[str, str], FileResult]]:
    # One process: measured on 10,000 files, shipping parsed records back from worker processes cost
    # more than the parsing they saved.
    return [((kind, sha), check_file(kind, raw, schemas)) for kind, sha, raw in progress.track(items, "校验文件")]


def resolve_root(option: str | None) -> Path:
    return Path(option or os.environ.get(REGISTRY_ENV) or "registry")
