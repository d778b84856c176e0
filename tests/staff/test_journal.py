"""All of a change or none, even when killed at any instant; two writers never interleave (staff/journal.py).

The kill tests run `roster` in a subprocess with ROSTER_TEST_KILL_AT=N, which SIGKILLs the process at
its N-th write checkpoint (core/files.py: after a temporary file is synced, after it is put in place,
before the journal is removed), and at random delays; then the next command (`roster validate`) must
say what it did, and the registry must be byte for byte the one before or the one after the change.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import Run, snapshot
from sheets import id_number, table, write_csv

from roster.core.errors import EditError
from roster.core.files import TEMP_PREFIX
from roster.staff import journal
from roster.staff.changeset import ChangeSet

REPO = Path(__file__).resolve().parents[2]
ROSTER = str(Path(sys.executable).parent / "roster")
DONE_NOTE = "写入时中断了：已补全它的全部修改"
NONE_NOTE = "在写入前中断了：名册没有被修改"


def roster(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ROSTER, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout,
                          check=False)


def temp_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob(f"{TEMP_PREFIX}*")]


def rows(count: int) -> list[list[str | int]]:
    made: list[list[str | int]] = []
    for n in range(count):
        birth = f"19{70 + n % 20}0{1 + n % 9}1{n % 9}"
        male = n % 2 == 1
        made.append([n + 1, f"示例专家{n:03d}", "男" if male else "女", id_number(birth, 2 * n + (1 if male else 2)),
                     "示例市人民医院", "财务科科长", "医院财务", "高级会计师", "财务类", "", "", "", "本科", "2004-07", "2016-05",
                     "否", "2026-11-30"])
    return made


def first_line(process: subprocess.Popen[str], seconds: float = 120) -> str:
    """The first line `process` writes to stderr (waiting at most `seconds`)."""
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], seconds)
    return process.stderr.readline() if ready else ""


def kill_points(files: int) -> list[int]:
    """Checkpoints: journal (2), each file (2), before the journal is removed (1); first, middle and last ones
    (the last one is the highest checkpoint there is)."""
    last = 2 + 2 * files + 1
    return sorted({1, 2, 3, 4, 5, files, files + 1, last - 2, last - 1, last})


def check_killed_runs(registry: Path, command: list[str], env: dict[str, str], state: Path,
                      extra_clean: list[Path]) -> dict[str, int]:
    """Run `command` once to the end (on a copy), then killed at every point; returns how runs ended."""
    before = snapshot(registry)
    valid_before = roster("validate", "--registry", str(registry), env=env).returncode
    pristine = registry.parent.parent / f"pristine-{registry.parent.name}"
    shutil.copytree(registry, pristine)

    def reset() -> None:
        shutil.rmtree(registry)
        shutil.copytree(pristine, registry)

    start = time.perf_counter()
    done = roster(*command, env=env)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    after = snapshot(registry)
    valid_after = roster("validate", "--registry", str(registry), env=env).returncode
    changed = sum(1 for k in after if before.get(k) != after[k])
    assert changed >= 50

    outcomes = {"none": 0, "all": 0, "finished": 0}
    rng = random.Random(9)
    points = kill_points(changed)
    points += rng.sample(range(1, points[-1] + 1), 6)
    plan = [("at", n) for n in points] + [("after", rng.uniform(0.5, 1.1) * seconds) for _ in range(3)]
    for how, when in plan:
        reset()
        if how == "at":
            killed = roster(*command, env={**env, "ROSTER_TEST_KILL_AT": str(when)})
            assert killed.returncode == -signal.SIGKILL, (when, killed.stderr)
        else:
            process = subprocess.Popen([ROSTER, *command], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(float(when))
            process.send_signal(signal.SIGKILL)
            process.wait()
        following = roster("validate", "--registry", str(registry), env=env)
        now = snapshot(registry)
        assert now in (before, after), f"killed {how} {when}: a partial change"
        assert following.returncode == (valid_after if now == after else valid_before), following.stdout[-2000:]
        if DONE_NOTE in following.stderr:
            assert now == after
            outcomes["all"] += 1
        elif NONE_NOTE in following.stderr or not following.stderr:
            assert now == before or not following.stderr
            outcomes["none" if now == before else "finished"] += 1
        else:
            raise AssertionError(following.stderr)
        assert temp_files(registry.parent, state, *extra_clean) == []
        assert not journal.pending(registry)
        again = roster("validate", "--registry", str(registry), env=env)
        assert again.returncode == following.returncode and again.stderr == ""  # said once, then done
    print(f"\n{command[0]}: {changed} files, {len(plan)} kills (at checkpoints {points}, and 3 random delays) → {outcomes}")
    assert outcomes["none"] >= 1 and outcomes["all"] >= 5
    return outcomes


def test_import_killed_anywhere_leaves_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "registry", repo / "registry")
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "demo"], check=True)
    sheet = write_csv(tmp_path / "rows.csv", table(rows(300)), "utf-8")
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))  # this process and its commands agree
    env = {"ROSTER_TODAY": "2026-12-18"}
    registry = repo / "registry"
    state = journal.state_dir(registry)
    assert state == repo / ".git" / "roster" / "registry"
    check_killed_runs(registry, ["import", "--registry", str(registry), str(sheet)], env, state, [repo / ".git"])
    # the last kill may have left the registry unchanged: run the import once whole, so there is a change
    # to look at (if an earlier run completed, this one is refused as the same people again and writes nothing)
    roster("import", "--registry", str(registry), str(sheet), env=env)
    # nothing but record files for `git add -A` to stage
    status = subprocess.run([*git, "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    assert status and all(line[3:].startswith("registry/") and line.endswith(".yaml") for line in status)


def test_status_apply_killed_anywhere_leaves_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "synthetic" / "registry"
    subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", "300", "--out", str(registry),
                    "--as-of", "2026-11-30"], check=True, capture_output=True)
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))  # this process and its commands agree
    env = {"ROSTER_TODAY": "2027-06-30"}
    state = journal.state_dir(registry)
    assert tmp_path / "cache" in state.parents  # no git: the user's cache folder
    check_killed_runs(registry, ["status", "--registry", str(registry), "--apply"], env, state, [])


def test_two_writers_at_once_run_one_after_the_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "synthetic" / "registry"
    subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", "100", "--out", str(registry),
                    "--as-of", "2026-11-30"], check=True, capture_output=True)
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))  # this process and its commands share the lock
    env = {"ROSTER_TODAY": "2027-06-30", "ROSTER_LOCK_WAIT": "120"}
    plan = json.loads(roster("status", "--registry", str(registry), "--format", "json", env=env).stdout)
    person = next(item["record"] for item in plan["rosters"][0]["items"] if item["kind"] == "term_ended")
    status = ["status", "--registry", str(registry), "--apply"]
    renew = ["renew", "--registry", str(registry), person, "--application-date", "2027-06-30"]

    def serial(first: list[str], second: list[str]) -> dict[str, bytes]:
        copy = tmp_path / f"serial-{first[0]}" / "registry"
        shutil.copytree(registry, copy)
        for args in (first, second):
            done = roster(*[str(copy) if a == str(registry) else a for a in args], env=env)
            assert done.returncode == 0, done.stderr
        return snapshot(copy)

    before = snapshot(registry)
    orders = [serial(status, renew), serial(renew, status)]
    assert orders[0] != orders[1]
    with journal.locked(registry):  # both start while another writer holds the lock
        running = [subprocess.Popen([ROSTER, *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True) for args in (status, renew)]
        first_lines = [first_line(p) for p in running]
        assert all(line.startswith("另一个 roster 命令正在修改这个名册：等待它结束") for line in first_lines), first_lines
        assert snapshot(registry) == before  # both waiting, neither writing
    errors = [p.communicate(timeout=300)[1] for p in running]
    assert [p.returncode for p in running] == [0, 0], errors
    assert snapshot(registry) in orders  # one after the other, in some order; never interleaved


def test_a_writer_refuses_when_the_lock_is_held_too_long(demo: Path) -> None:
    before = snapshot(demo.parent)
    env = {"ROSTER_TODAY": "2026-12-18", "ROSTER_LOCK_WAIT": "0.5"}
    with journal.locked(demo):
        done = roster("renew", "--registry", str(demo), "E0003", env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "错误：另一个 roster 命令正在修改这个名册（等了 0.5 秒仍未结束）：本命令没有写入任何文件，请等它结束后重新运行")
    assert snapshot(demo.parent) == before


@pytest.mark.parametrize("failing_call", [1, 2, 3, 4])
def test_a_full_disk_leaves_no_partial_file(demo: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int) -> None:
    """ENOSPC at any write (the journal, a record, a new record in a new folder): every file as it was."""
    before = snapshot(demo.parent)
    changes = ChangeSet(demo)
    for name in ("E0001", "E0002"):
        path = demo / f"experts/{name}.yaml"
        changes.modify(path, path.read_bytes(), path.read_bytes() + b"# changed\n")
    changes.create(demo / "announcements/2031/A2031-001.yaml", b"id: A2031-001\n")
    calls = {"n": 0}
    real = os.fsync

    def full(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EditError, match=r"No space left on device）：(已撤回，)?没有修改任何文件"):
        changes.write()
    monkeypatch.setattr(os, "fsync", real)
    assert snapshot(demo.parent) == before
    assert not journal.pending(demo) and temp_files(journal.state_dir(demo)) == []


def test_a_bad_lock_wait_is_a_usage_error(demo: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_LOCK_WAIT", "十秒")
    before = snapshot(demo.parent)
    assert run("renew", "E0003") == (2, "", "错误：环境变量 ROSTER_LOCK_WAIT 应为秒数，例如 30\n")
    assert snapshot(demo.parent) == before
