"""A set of file changes checked as a whole before any is written, then written all together.

Every command that changes the registry builds a ChangeSet (new files and edited files), then
`ChangeSet.check` runs the same checks as ``roster validate`` on the registry *as it would be*,
in memory — nothing touches the disk until the result has no new error. `ChangeSet.write` makes sure
no target changed meanwhile, then writes every file through the registry's journal (journal.py): all
of the change or none, even when the command is killed half-way. A failed command leaves every file
as it was.

Only errors the change introduces block it: a registry that already has an unrelated error can
still take a valid new record (the old errors are counted in the result, and CI still reports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..check.filecheck import check_file
from ..check.registry import SETTINGS_FILE, Record, Registry, blob_id, display_path
from ..check.schemas import SchemaSet
from ..check.validate import check_registry, open_registry
from ..core import progress
from ..core.errors import EditError
from ..core.findings import Finding, finding_lines
from ..core.vocab import FOLDERS
from . import journal

__all__ = ["Change", "ChangeSet", "Checked", "InvalidChange", "check_registry", "kind_of"]


@dataclass(frozen=True)
class Change:
    path: Path
    new: bytes
    old: bytes | None  # None: the file is created

    @property
    def display(self) -> str:
        return display_path(self.path)


@dataclass
class Checked:
    """What the change does to the findings of the registry."""

    new_errors: list[Finding]
    new_warnings: list[Finding]
    old_errors: int
    registry: Registry


class InvalidChange(EditError):
    """The registry would not be valid after the change; nothing was written."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"修改后名册校验未通过（{len(findings)} 个错误）：没有写入任何文件")
        self.findings = findings

    def details(self) -> list[str]:
        return finding_lines(self.findings)


def kind_of(root: Path, path: Path) -> str | None:
    """The record kind a file at `path` would have in the registry at `root` (None: not a record file)."""
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    if rel.as_posix() == SETTINGS_FILE:
        return "registry"
    if rel.suffix != ".yaml":
        return None  # e.g. a draw's time-stamp token beside it: written with the change, not a record
    folder = FOLDERS.get(rel.parts[0]) if rel.parts else None
    return folder[0] if folder else None


@dataclass
class ChangeSet:
    root: Path
    changes: dict[Path, Change] = field(default_factory=dict)

    def create(self, path: Path, data: bytes) -> None:
        if path.exists() or path.resolve() in self.changes:
            raise EditError(f"{display_path(path)} 已经存在：不会覆盖已有文件（编号永不复用）")
        self.changes[path.resolve()] = Change(path, data, None)

    def modify(self, path: Path, old: bytes, new: bytes) -> None:
        self.changes[path.resolve()] = Change(path, new, old)

    def pending(self, path: Path) -> bytes | None:
        """The new content of `path` if this change set already writes it."""
        change = self.changes.get(path.resolve())
        return change.new if change else None

    def record_changes(self) -> list[Change]:
        return [c for c in self.changes.values() if kind_of(self.root, c.path) is not None]

    # --- checking ----------------------------------------------------------------------------------

    def check(self, today: date, schemas: SchemaSet | None = None, registry: Registry | None = None) -> Checked:
        """Findings the change adds; `registry`, if given, is the registry as loaded with `schemas`."""
        schemas = schemas or SchemaSet()
        if registry is None:
            registry = open_registry(self.root, schemas=schemas)
        before = check_registry(registry, today)
        after_registry = self._overlay(registry, schemas)
        after = check_registry(after_registry, today)
        seen = {(f.path, f.rule, f.message) for f in before}
        fresh = [f for f in after if (f.path, f.rule, f.message) not in seen]
        return Checked([f for f in fresh if f.is_error], [f for f in fresh if not f.is_error],
                       sum(f.is_error for f in before), after_registry)

    def check_or_raise(self, today: date, schemas: SchemaSet | None = None,
                       registry: Registry | None = None) -> Checked:
        checked = self.check(today, schemas, registry)
        if checked.new_errors:
            raise InvalidChange(checked.new_errors)
        return checked

    def _overlay(self, registry: Registry, schemas: SchemaSet) -> Registry:
        records = {r.path.resolve(): r for r in registry.records}
        settings = registry.settings
        for change in progress.track(self.record_changes(), "校验修改的记录"):
            kind = kind_of(self.root, change.path)
            assert kind is not None
            result = check_file(kind, change.new, schemas)
            record = Record(kind, str(change.path), change.display, change.path.stem, blob_id(change.new),
                            result.document, result.problems, result.notes)
            if kind == "registry":
                settings = record
            else:
                records[change.path.resolve()] = record
        ordered = sorted(records.values(), key=lambda r: str(r.path))  # the order load_registry gives
        return Registry(registry.root, settings, ordered, list(registry.layout_findings))

    # --- writing -----------------------------------------------------------------------------------

    def write(self) -> list[str]:
        """Write every change or none, through the registry's journal; returns the paths written, as shown."""
        changes = sorted(self.changes.values(), key=lambda c: str(c.path))
        for change in changes:
            if _current(change.path) != change.old:
                raise EditError(f"{change.display} 在本命令运行期间被修改或新建了：没有写入任何文件，请重新运行")
        journal.commit(self.root, [(c.path, c.old, c.new) for c in changes])
        return [c.display for c in changes]


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
