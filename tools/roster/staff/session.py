"""One run of a registry-changing command: the loaded registry, the records it edits, the files it adds.

`Session.commit` turns the edits into one ChangeSet, checks the registry as it would be, and writes
every file or none (changeset.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..check.integrity import allowed_after, removal_final
from ..check.registry import Record, Registry
from ..check.schemas import SchemaSet
from ..check.validate import open_registry
from ..core.errors import EditError
from ..core.vocab import ID_PREFIX, KIND_LABEL, PEOPLE
from ..policies.presets import labelled
from ..yamlio.yamledit import RecordEdit
from .changeset import ChangeSet, Checked

__all__ = ["Result", "Session"]

_PERSON_KINDS = {ID_PREFIX[kind]: (kind, KIND_LABEL[kind]) for kind in PEOPLE}


@dataclass
class Result:
    lines: list[str] = field(default_factory=list)  # what was done, one line per record
    next_steps: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    checked: Checked | None = None


class Session:
    def __init__(self, root: Path, today: date) -> None:
        if not root.is_dir():
            raise EditError(f"找不到名册文件夹 {root}：请用 --registry 指定，或在项目根目录运行")
        self.root, self.today = root, today
        self.schemas = SchemaSet()
        self.registry: Registry = open_registry(root, schemas=self.schemas)
        self.changes = ChangeSet(root)
        self._edits: dict[Path, tuple[Record, RecordEdit, bytes]] = {}

    # --- finding records ---------------------------------------------------------------------------

    def person(self, ident: str) -> Record:
        kind, label = _PERSON_KINDS.get(ident[:1], (None, None))
        if kind is None or label is None:
            raise EditError(f"“{ident}”不是专家（E…）或社会监督员（S…）的编号")
        record = self._find(kind, ident)
        if record is None:
            raise EditError(f"名册中没有编号为 {ident} 的{label}")
        return self._usable(record)

    def announcement(self, ident: str) -> Record:
        record = self._find("announcement", ident)
        if record is None:
            raise EditError(f"名册中没有编号为 {ident} 的公告")
        return self._usable(record)

    def _find(self, kind: str, ident: str) -> Record | None:
        """By id, or by file name for a file that cannot be read (so its error can be shown)."""
        found = self.registry.by_id(kind).get(ident)
        return found or next((r for r in self.registry.of_kind(kind) if r.stem == ident and r.document is None), None)

    def _usable(self, record: Record) -> Record:
        if record.problems or record.document is None:
            first = record.problems[0] if record.problems else None
            where = f"{record.display}:{first.line}" if first else record.display
            raise EditError(f"{where} 本身有错误（{first.message if first else '无法读取'}）：请先修正该文件，再运行本命令")
        return record

    # --- changing ----------------------------------------------------------------------------------

    def edit(self, record: Record) -> RecordEdit:
        key = record.path.resolve()
        if key not in self._edits:
            raw = record.path.read_bytes()
            self._edits[key] = (record, RecordEdit(record.kind, record.display, raw), raw)
        return self._edits[key][1]

    def change_status(self, record: Record, status: str, entry: dict[str, str]) -> RecordEdit:
        """Set `status` and append `entry` (date, status, reason, citation…) to status_history."""
        self.check_transition(record, status)
        edit = self.edit(record)
        edit.set(("status",), status)
        edit.append(("status_history",), entry)
        return edit

    def check_transition(self, record: Record, status: str) -> None:
        """The lifecycle's transitions, with re-entry after a removal where the preset does not make it final."""
        current = str(record.data.get("status"))
        allowed = allowed_after(current, removal_final(self.registry, record.kind))
        if status not in allowed:
            options = "、".join(labelled("statuses", s) for s in allowed)
            then = f"只能变为 {options}" if options else "不能再变更"
            raise EditError(f"{record.display}:{record.line('status')[0]}：{record.id} 的状态是 {labelled('statuses', current)}，"
                            f"不能变为 {labelled('statuses', status)}（{labelled('statuses', current)}之后{then}）")

    def not_after_today(self, day: date, what: str) -> None:
        if day > self.today:
            raise EditError(f"{what} {day.isoformat()} 晚于今天（北京时间 {self.today.isoformat()}）：只能登记已经发生的事")

    def commit(self, result: Result, *, dry_run: bool = False) -> Result:
        for record, edit, raw in self._edits.values():
            self.changes.modify(record.path, raw, edit.result())
        result.checked = self.changes.check_or_raise(self.today, self.schemas, self.registry)
        if not dry_run:
            result.written = self.changes.write()
        return result
