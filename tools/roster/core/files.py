"""The one way a file is written: whole or not at all.

`write_atomic` writes a temporary file in the target's own folder, flushes it to disk, and puts it in
place with ``os.replace`` (atomic on POSIX); then it syncs the folder so the new name survives a power
cut. An error (a full disk included) removes the temporary file and leaves the target as it was. A
process killed in between can leave the temporary file behind: its name starts with TEMP_PREFIX (a
hidden name, which record discovery skips, never ending in .yaml, ignored by .gitignore), and the
registry's journal removes such files on the next run (staff/journal.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

__all__ = ["TEMP_PREFIX", "checkpoint", "remove_temp_files", "replace_folder", "sync_folder", "write_atomic"]

TEMP_PREFIX = ".roster-tmp-"
KILL_ENV = "ROSTER_TEST_KILL_AT"  # for the kill tests only: SIGKILL this process at the N-th checkpoint

_steps = 0


def checkpoint() -> None:
    """A point between two disk operations of a write. With ROSTER_TEST_KILL_AT=N set, the N-th
    checkpoint of the process kills it (SIGKILL), so the tests can stop a command at every point."""
    global _steps
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    _steps += 1
    if _steps == int(wanted):
        os.kill(os.getpid(), signal.SIGKILL)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = True) -> None:
    """Put `data` at `path` whole or not at all (see the module notes). `durable=False` skips the
    fsyncs, for files that only save time when they survive (caches)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        checkpoint()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    checkpoint()
    if durable:
        sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make the names in `folder` (a file replaced, created or removed) survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_temp_files(folder: Path) -> int:
    """Remove the temporary files a killed write left in `folder`; how many there were."""
    removed = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def replace_folder(staging: Path, target: Path) -> None:
    """Put a folder built beside `target` (a built site, the editor) in its place: the old one is moved
    aside, the new one renamed in, the old one removed; on an error `staging` is removed and `target`
    is left as it was."""
    old = target.with_name(target.name + ".old")
    try:
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
