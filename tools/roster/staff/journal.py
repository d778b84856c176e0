"""All of a change or none, even when the command is killed; one writer at a time.

A change (ChangeSet.write) is written in three steps:

1. the journal — every file's path, old bytes and new bytes — is written whole (core/files.py) and
   synced: from this instant the change is decided;
2. each file is put in place, whole (a temporary file in its folder, then ``os.replace``);
3. the journal is removed.

A command killed before step 1 has changed nothing; killed after it, the next ``roster`` command finds
the journal and completes the change (`recover`), and says so. Completing is always possible (the
journal holds the new bytes) and always right (the change was checked as a whole before step 1). A
failure inside this process (a full disk) undoes the files already written instead.

Where: in the git directory of the registry's work tree (``.git/roster/<registry path>/``), else in
the user's cache folder. Never in ``registry/`` (only records live there) nor anywhere ``git add -A``
would stage; the git directory is shared by every user of the work tree, and survives as the registry
does. The same folder holds the registry lock (filelock): a command that changes the registry holds it
from reading the registry to writing it, so two writers never interleave; the second waits up to
ROSTER_LOCK_WAIT seconds (default 10), then refuses.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..check.cache import cache_dir
from ..core.errors import EditError, UsageProblem
from ..core.files import checkpoint, remove_temp_files, sync_folder, write_atomic

__all__ = ["LOCK_WAIT_ENV", "commit", "locked", "pending", "recover", "state_dir"]

LOCK_WAIT_ENV = "ROSTER_LOCK_WAIT"
JOURNAL = "journal.json"

Entry = tuple[Path, bytes | None, bytes]  # path, old bytes (None: a new file), new bytes


def state_dir(root: Path) -> Path:
    """The folder of the registry's journal and lock (see the module notes)."""
    resolved = root.resolve()
    for folder in (resolved, *resolved.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot / "roster" / resolved.relative_to(folder)
        if dot.is_file():  # a linked work tree: "gitdir: <its own git directory>"
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text[len("gitdir:"):].strip()).resolve() / "roster" / resolved.relative_to(folder)
    return cache_dir() / "registries" / hashlib.sha256(str(resolved).encode()).hexdigest()[:16]


# --- the lock -------------------------------------------------------------------------------------


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the registry lock for the block; refuse (EditError) when another command holds it too long."""
    state = state_dir(root)
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EditError(f"无法建立名册的锁和修改日志文件夹 {state}（{exc.strerror}）：没有修改任何文件") from None
    try:
        wait = float(os.environ.get(LOCK_WAIT_ENV) or 10)
    except ValueError:
        raise UsageProblem(f"环境变量 {LOCK_WAIT_ENV} 应为秒数，例如 30") from None
    from filelock import FileLock, Timeout  # only writing commands need it

    lock = FileLock(str(state / "lock"), timeout=wait)
    try:
        try:
            lock.acquire(blocking=False)
        except Timeout:
            print(f"另一个 roster 命令正在修改这个名册：等待它结束（最多 {wait:g} 秒）…", file=sys.stderr, flush=True)
            lock.acquire()
    except Timeout:
        raise EditError(f"另一个 roster 命令正在修改这个名册（等了 {wait:g} 秒仍未结束）：本命令没有写入任何文件，"
                        "请等它结束后重新运行") from None
    try:
        yield
    finally:
        lock.release()


# --- writing --------------------------------------------------------------------------------------


def commit(root: Path, entries: Sequence[Entry]) -> None:
    """Write every entry or none (see the module notes). EditError when it cannot; then nothing changed,
    unless the message says the next roster command will complete the change."""
    state = state_dir(root)
    state.mkdir(parents=True, exist_ok=True)
    journal = state / JOURNAL
    if journal.exists():
        raise EditError(f"上次中断的修改还没有补全（{journal}）：请先运行 roster validate，再重新运行本命令")
    record = {"command": " ".join(["roster", *sys.argv[1:]]), "started": datetime.now().isoformat(timespec="seconds"),
              "files": [{"path": str(path.absolute()), "old": _b64(old), "new": _b64(new)} for path, old, new in entries]}
    try:
        write_atomic(journal, json.dumps(record, ensure_ascii=False).encode("utf-8"), mode=0o600)
    except OSError as exc:
        journal.unlink(missing_ok=True)  # in place but not synced: not decided, no record touched yet
        raise EditError(f"无法写入修改日志（{exc.strerror}）：没有修改任何文件") from None
    made: list[Path] = []
    try:
        for path, _, new in entries:
            made += _apply(path, new)
    except OSError as exc:
        try:
            _undo(entries, made)
        except OSError:
            raise EditError(f"无法写入（{exc.strerror}），也无法撤回已写入的文件：下一个 roster 命令会补全这次修改"
                            f"（修改日志 {journal}）") from None
        _forget(journal)
        raise EditError(f"无法写入（{exc.strerror}）：已撤回，没有修改任何文件") from None
    _forget(journal)


def _apply(path: Path, new: bytes) -> list[Path]:
    """Put `new` at `path` (whole); the folders made for it."""
    made = []
    folder = path.parent
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    for folder in reversed(made):
        folder.mkdir()
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    write_atomic(path, new, mode=mode)
    return made


def _undo(entries: Sequence[Entry], made: list[Path]) -> None:
    for path, old, _ in reversed(entries):
        if old is None:
            path.unlink(missing_ok=True)
        elif _current(path) != old:
            write_atomic(path, old, mode=stat.S_IMODE(path.stat().st_mode))
    for folder in made:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _forget(journal: Path) -> None:
    checkpoint()
    journal.unlink()
    sync_folder(journal.parent)


# --- after a killed command -----------------------------------------------------------------------


def pending(root: Path) -> bool:
    """Whether a killed command left a journal (or the start of one) for this registry."""
    state = state_dir(root)
    return state.is_dir() and any(p.name == JOURNAL or p.name.startswith(".roster-tmp-") for p in state.iterdir())


def recover(root: Path) -> str | None:
    """Complete the change a killed command left (call with the lock held); what was done, in Chinese."""
    state = state_dir(root)
    if not state.is_dir():
        return None
    started = remove_temp_files(state)
    journal = state / JOURNAL
    if not journal.exists():
        return "注意：上一个修改名册的 roster 命令在写入前中断了：名册没有被修改，可重新运行该命令。" if started else None
    try:
        record = json.loads(journal.read_bytes())
        entries = [(Path(f["path"]), _bytes(f["old"]), base64.b64decode(f["new"])) for f in record["files"]]
    except (ValueError, KeyError, TypeError):
        raise EditError(f"修改日志 {journal} 无法读取：请核对名册（git status、roster validate）后删除该文件") from None
    for path, old, new in entries:
        remove_temp_files(path.parent)
        if _current(path) not in (old, new):
            raise EditError(f"上一个 roster 命令（{record.get('command')}）中断时未写完，但 {path} 此后又被改动过，"
                            f"无法自动补全：请核对该文件后删除修改日志 {journal}")
    todo = [(path, new) for path, _, new in entries if _current(path) != new]
    for path, new in todo:
        _apply(path, new)
    _forget(journal)
    return (f"注意：上一个 roster 命令（{record.get('command')}，{record.get('started')} 开始）写入时中断了："
            f"已补全它的全部修改（共 {len(entries)} 个文件，本次补写 {len(todo)} 个）。")


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)
