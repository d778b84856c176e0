"""A randomized campaign against `roster validate`'s incremental path (check/state.py): many kinds of change
to a copy of the demo registry (person files, non-person records, settings, stray entries, the state files
themselves, the date, the way the registry path is written), each followed by a cached and an uncached run,
whose findings must be the same.

Used by tests/check/test_state_attack.py (a short walk) and run by hand for long campaigns:

    ROSTER_CACHE_DIR=$(mktemp -d) .venv/bin/python tests/check/state_campaign.py SEEDS STEPS [fast|kill]

`fast` makes every file trusted by its stat data at once (state.RACY_NS = 0): the stat-data path is then
exercised on every step, as it is in real use after two seconds; the steps here are far more than a
clock tick apart, so no racy edit is mistaken for a bug. Without it, even seeds run fast and odd seeds
with the real two-second window. `kill`: after each change one or two `roster validate` processes run,
side by side, another change may land while they do, and they are SIGKILLed at a random moment; then the
cached and uncached answers are compared. FIRST_SEED picks the first seed; CAMPAIGN_SKIP (op names, comma
separated) leaves out operations that reach a failure already known (op_claims,op_misplaced_id: the
supervisor.claims leak in test_state_attack.py), so that the walk can find others.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]


def lines(root: Path, **kwargs: Any) -> list[str]:
    from roster.check.validate import validate

    outcome = validate(root, **kwargs)
    return [f"{f.path}:{f.line}:{f.col}:{f.severity}:{f.rule}:{f.message}"
            for f in outcome.findings] + [f"files: {outcome.files}"]


def age(root: Path, seconds: int = 3600) -> None:
    when = time.time_ns() - seconds * 1_000_000_000
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            with contextlib.suppress(OSError):
                os.utime(os.path.join(folder, name), ns=(when, when), follow_symlinks=False)
    os.utime(root, ns=(when, when))


class Walk:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.log: list[str] = []

    # helpers -------------------------------------------------------------------------------------
    def files(self, folder: str, pattern: str = "*.yaml") -> list[Path]:
        return sorted((self.root / folder).glob(pattern))

    def person(self) -> Path | None:
        people = self.files("experts") + self.files("supervisors")
        return self.rng.choice(people) if people else None

    def rewrite(self, path: Path | None, old: str, new: str, count: int = 1) -> None:
        if path is None or not path.is_file():
            return
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def edit_yaml(self, path: Path | None, change: Any) -> None:
        if path is None or not path.is_file():
            return
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            return
        if not isinstance(data, dict):
            return
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def any_id(self) -> str:
        people = self.files("experts") + self.files("supervisors")
        return self.rng.choice(people).stem if people else "E0001"

    # operations ----------------------------------------------------------------------------------
    def op_copy_in(self) -> None:
        source = self.person()
        if source is None:
            return
        folder = source.parent
        new = f"{source.stem[0]}{self.rng.randrange(9000, 9999)}"
        (folder / f"{new}.yaml").write_text(
            source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: {new}"), encoding="utf-8")

    def op_remove_person(self) -> None:
        p = self.person()
        if p is not None and len(self.files("experts")) > 3:
            p.unlink()

    def op_status(self) -> None:
        self.rewrite(self.person(), *self.rng.choice([("status: active", "status: removed"),
                                                      ("status: removed", "status: active"),
                                                      ("status: active", "status: suspended"),
                                                      ("status: active", "status: exited")]))

    def op_break(self) -> None:
        p = self.person()
        if p is not None:
            with p.open("a", encoding="utf-8") as f:
                f.write("\nbad: [\n")

    def op_comment(self) -> None:
        p = self.person()
        if p is not None:
            p.write_text("# 备注\n" + p.read_text(encoding="utf-8"), encoding="utf-8")

    def op_rename(self) -> None:
        p = self.person()
        if p is not None:
            p.rename(p.parent / f"{p.stem[0]}{self.rng.randrange(9000, 9999)}.yaml")

    def op_move_roster(self) -> None:
        p = self.person()
        if p is None:
            return
        other = "supervisors" if p.parent.name == "experts" else "experts"
        p.rename(self.root / other / p.name)

    def op_id_collide(self) -> None:
        p, q = self.person(), self.person()
        if p is not None and q is not None:
            self.edit_yaml(p, lambda d: d.update(id=q.stem))

    def op_same_name(self) -> None:
        p, q = self.person(), self.person()
        if p is None or q is None:
            return
        try:
            other = yaml.safe_load(q.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            return
        if isinstance(other, dict):
            self.edit_yaml(p, lambda d: d.update({k: other[k] for k in ("name", "birth", "gender", "person_key")
                                                   if k in other and self.rng.random() < 0.8}))

    def op_drop_key(self) -> None:
        self.edit_yaml(self.person(), lambda d: d.pop(self.rng.choice(["person_key", "certificate_no", "name",
                                                                       "aliases", "term", "employer",
                                                                       "admission", "status_history"]), None))

    def op_same_size(self) -> None:
        p = self.person()
        if p is None:
            return
        before = p.stat()
        text = p.read_text(encoding="utf-8")
        for a, b in (("1", "2"), ("2", "1"), ("active", "remove"), ("0", "9")):
            if a in text:
                p.write_text(text.replace(a, b, 1), encoding="utf-8")
                break
        os.utime(p, ns=(before.st_atime_ns, before.st_mtime_ns))

    def op_editor_rename(self) -> None:
        p = self.person()
        if p is None:
            return
        tmp = p.parent / f".{p.name}.tmp"
        tmp.write_text(p.read_text(encoding="utf-8").replace("status: active", "status: suspended", 1), encoding="utf-8")
        os.replace(tmp, p)

    def op_institution(self) -> None:
        inst = self.files("institutions")
        if not inst:
            return
        p = self.rng.choice(inst)
        kind = self.rng.randrange(4)
        if kind == 0:
            self.edit_yaml(p, lambda d: d.update(name=d.get("name", "") + "改"))
        elif kind == 1 and len(inst) > 5:
            p.unlink()
        elif kind == 2:
            self.edit_yaml(p, lambda d: d.update(legal_entity=self.rng.choice(inst).stem))
        else:
            shutil.copy(p, p.parent / f"I{self.rng.randrange(9000, 9999)}.yaml")

    def op_announcement(self) -> None:
        anns = sorted((self.root / "announcements").glob("*/*.yaml"))
        if not anns:
            return
        p = self.rng.choice(anns)

        def change(d: dict[str, Any]) -> None:
            subjects = d.get("subjects")
            if isinstance(subjects, list) and subjects and self.rng.random() < 0.5:
                subjects.pop(self.rng.randrange(len(subjects)))
            elif isinstance(subjects, list):
                subjects.append(self.any_id())
        self.edit_yaml(p, change)

    def op_conduct(self) -> None:
        recs = sorted((self.root / "conduct").glob("*/*.yaml"))
        if recs:
            self.edit_yaml(self.rng.choice(recs), lambda d: d.update(person=self.any_id()))

    def op_policy(self) -> None:
        roster = self.rng.choice(["experts", "supervisors"])
        policy = self.rng.choice(["xz-2023", "gy-2022", "jn"])
        self.edit_yaml(self.root / "registry.yaml", lambda d: d["rosters"][roster].update(policy=policy))

    def op_stray(self) -> None:
        folder = self.root / self.rng.choice(["experts", "supervisors", "institutions", "."])
        kind = self.rng.randrange(6)
        name = f"x{self.rng.randrange(5)}"
        target = folder / name
        for existing in (target, folder / f"{name}.yaml", folder / f"{name}.md"):
            if existing.is_symlink() or existing.is_file():
                existing.unlink()
                return
            if existing.is_dir():
                shutil.rmtree(existing)
                return
        if kind == 0:
            (folder / f"{name}.md").write_text("说明\n", encoding="utf-8")
        elif kind == 1:
            people = self.files("experts")
            if people:
                os.symlink(people[0], folder / f"{name}.yaml")
        elif kind == 2:
            os.mkfifo(target)
        elif kind == 3:
            target.mkdir()
            (target / "E0001.yaml").write_text("id: E0001\n", encoding="utf-8")
        elif kind == 4:
            (folder / f".{name}.yaml.swp").write_text("x", encoding="utf-8")
        else:
            (folder / f"{name}.yaml").write_bytes(b"\xff\xfe bad")

    def op_tsr(self) -> None:
        tsr = sorted((self.root / "draws").glob("*/*.tsr"))
        if tsr:
            p = self.rng.choice(tsr)
            data = p.read_bytes()
            p.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))

    def op_docs(self) -> None:
        docs = self.root.parent / "docs"
        docs.mkdir(exist_ok=True)
        page = docs / "a.md"
        if page.exists() and self.rng.random() < 0.5:
            page.unlink()
        else:
            page.write_text(f"联系电话 1380013{self.rng.randrange(1000, 9999)}\n", encoding="utf-8")

    def op_damage_state(self) -> None:
        from roster.check import state

        path = state.state_path(self.root)
        people = path.with_suffix(".projections")
        target = self.rng.choice([path, people])
        if not target.exists():
            return
        data = target.read_bytes()
        how = self.rng.randrange(3)
        if how == 0:
            target.write_bytes(data[: self.rng.randrange(len(data))])
        elif how == 1 and data:
            i = self.rng.randrange(len(data))
            target.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
        else:
            target.unlink()

    def op_claims(self) -> None:
        sups = self.files("supervisors", "S*.yaml")
        if sups:
            ids = [f"I099{self.rng.randrange(3)}" for _ in range(self.rng.randrange(1, 3))]
            self.edit_yaml(self.rng.choice(sups), lambda d: d.update(claims=ids))

    def op_misplaced_id(self) -> None:
        """A person file whose id was pasted from a unit's (and so has errors of its own)."""
        (self.root / "experts" / f"E99{self.rng.randrange(10, 14)}.yaml").write_text(
            f"id: I099{self.rng.randrange(3)}\nname: 测试\n", encoding="utf-8")

    def op_many(self) -> None:
        for _ in range(self.rng.randrange(2, 6)):
            self.rng.choice([self.op_status, self.op_comment, self.op_copy_in, self.op_same_name,
                             self.op_institution, self.op_announcement])()

    def ops(self) -> list[Any]:
        skip = set(os.environ.get("CAMPAIGN_SKIP", "").split(","))  # ops that reach a failure already known
        return [getattr(self, name) for name in sorted(dir(self)) if name.startswith("op_") and name not in skip]

    def step(self) -> str:
        op = self.rng.choice(self.ops())
        try:
            op()
        except (UnicodeDecodeError, OSError):  # a file an earlier step broke, a folder where a file was
            return op.__name__ + "(skipped)"
        return op.__name__


def clean(root: Path) -> None:
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(folder, name)
            if not os.path.islink(p) and not os.path.isfile(p) and not os.path.isdir(p):
                os.unlink(p)


def campaign(base: Path, seed: int, steps: int, fast: bool) -> tuple[int, list[str]]:
    from roster.check import state

    root = base / "registry"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "registry", root)
    age(root)
    walk = Walk(root, seed)
    today_before = os.environ.get("ROSTER_TODAY")
    os.environ["ROSTER_TODAY"] = walk.rng.choice(["2025-06-01", "2027-05-15", "2026-03-01"])
    failures: list[str] = []
    saved = state.RACY_NS
    if fast:
        state.RACY_NS = 0
    try:
        lines(root)
        for n in range(steps):
            name = walk.step()
            walk.log.append(name)
            if walk.rng.random() < 0.05:
                os.environ["ROSTER_TODAY"] = walk.rng.choice(["2025-06-01", "2027-05-15", "2026-03-01"])
            try:
                cached = lines(root)
            except Exception as exc:
                failures.append(f"seed {seed} step {n} {walk.log[-5:]}: cached run crashed: {exc!r}")
                break
            plain = lines(root, use_cache=False)
            if cached != plain:
                extra = sorted(set(cached) - set(plain))[:3]
                missing = sorted(set(plain) - set(cached))[:3]
                failures.append(f"seed {seed} step {n} after {walk.log[-5:]}: cached-only {extra} uncached-only {missing}")
                break
            if walk.rng.random() < 0.2:
                age(root)
    finally:
        state.RACY_NS = saved
        if today_before is None:  # the date the caller had: later tests must not inherit the walk's
            os.environ.pop("ROSTER_TODAY", None)
        else:
            os.environ["ROSTER_TODAY"] = today_before
    return len(walk.log), failures  # the steps taken: a failure ends the walk


def killed_runs(base: Path, seed: int, rounds: int) -> tuple[int, list[str]]:
    """`roster validate` killed (SIGKILL) at a random moment after each change, then a cached and an uncached run."""
    import signal
    import subprocess

    root = base / "registry"
    shutil.copytree(REPO / "registry", root)
    age(root)
    walk = Walk(root, seed)
    exe = str(Path(sys.executable).with_name("roster"))
    failures: list[str] = []
    lines(root)
    for n in range(rounds):
        walk.log.append(walk.step())
        runs = [subprocess.Popen([exe, "validate", "--registry", str(root)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL) for _ in range(walk.rng.randrange(1, 3))]
        if walk.rng.random() < 0.5:
            time.sleep(walk.rng.random() * 0.3)
            walk.log.append(walk.step())  # a change while the runs go on
        time.sleep(walk.rng.random() * 0.8)
        for run in runs:
            if run.poll() is None:
                run.send_signal(signal.SIGKILL)
            run.wait()
        cached, plain = lines(root), lines(root, use_cache=False)
        if cached != plain:
            failures.append(f"seed {seed} round {n} after {walk.log[-4:]}: cached-only "
                            f"{sorted(set(cached) - set(plain))[:3]} uncached-only {sorted(set(plain) - set(cached))[:3]}")
            break
    return n + 1, failures


def main() -> None:
    import tempfile

    seeds, steps = int(sys.argv[1]), int(sys.argv[2])
    fast = len(sys.argv) > 3 and sys.argv[3] == "fast"
    kill = len(sys.argv) > 3 and sys.argv[3] == "kill"
    first = int(os.environ.get("FIRST_SEED", "0"))
    total = 0
    for seed in range(first, first + seeds):
        with tempfile.TemporaryDirectory() as tmp:
            if kill:
                done, failures = killed_runs(Path(tmp), seed, steps)
            else:
                done, failures = campaign(Path(tmp), seed, steps, fast or seed % 2 == 0)
            total += done
            for f in failures:
                print("FAIL", f, flush=True)
        print(f"seed {seed} done, {total} steps so far", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "tools"))
    main()
