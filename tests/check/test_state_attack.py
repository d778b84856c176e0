"""Attacks on `roster validate`'s incremental path (check/state.py): a cached run must print exactly what
`roster validate --no-cache` prints for the same files, date and code.

Nine of these tests were failures when they were written (a person-level finding that read another
person's broken file, non-record files hashed after they were checked, a state trusted with a flipped
bit, a library version missing from the key, a file removed during a run, docs/ beside a registry
named "."); they are fixed and kept. The others are attacks the incremental path withstood. A longer
randomized campaign is in state_campaign.py.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from state_campaign import campaign, killed_runs

from roster.check import state
from roster.check import validate as validate_module
from roster.check.validate import validate

DEMO = Path(__file__).resolve().parents[2] / "registry"
SECOND = 1_000_000_000


def age(root: Path, seconds: int = 3600) -> None:
    when = time.time_ns() - seconds * SECOND
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            os.utime(os.path.join(folder, name), ns=(when, when), follow_symlinks=False)
    os.utime(root, ns=(when, when))


def lines(root: Path, **kwargs: Any) -> list[str]:
    outcome = validate(root, **kwargs)
    return [f"{f.path}:{f.line}:{f.col}:{f.rule}:{f.message}" for f in outcome.findings] + [f"files {outcome.files}"]


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the whole registry was loaded")


def partial(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cached answer, given without a full run (the attack reaches the incremental path)."""
    with monkeypatch.context() as m:
        m.setattr(validate_module, "load_projected", _refuse)
        return lines(root)


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo registry, every file trusted by its stat data (as after two seconds)."""
    monkeypatch.setenv("ROSTER_TODAY", "2026-06-01")
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(state, "RACY_NS", 0)  # steps here are many clock ticks apart
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    age(root)
    lines(root)
    return root


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------------------------------- failures


def test_a_broken_person_whose_id_a_supervisor_claims(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a supervisor claims I0999, a unit not yet entered: the claims count is judged without it
    replace(demo / "supervisors/S0001.yaml", "  - I0011\n  - I0018\n", "  - I0999\n")
    assert any("supervisor.claims" in line for line in lines(demo))
    # an expert file is added whose id was pasted from a unit's (I0999) and has errors of its own: it is
    # "broken" (Indexes.broken holds id or stem of every record with problems, people included), and
    # supervisors.claims then gives up judging S0001's count; the incremental run re-checks E9999 alone
    (demo / "experts/E9999.yaml").write_text("id: I0999\nname: 测试\n", encoding="utf-8")
    cached = partial(demo, monkeypatch)
    assert cached == lines(demo, use_cache=False)


def test_the_uncached_answer_about_a_supervisor_depends_on_an_unrelated_file(demo: Path) -> None:
    replace(demo / "supervisors/S0001.yaml", "  - I0011\n  - I0018\n", "  - I0999\n")
    (demo / "experts/E9999.yaml").write_text("id: I0999\nname: 测试\n", encoding="utf-8")
    source = (demo / "experts/E0001.yaml").read_text(encoding="utf-8")
    fillers = 500 - len(list((demo / "experts").glob("*.yaml")))  # E9999 ends the first chunk, S0001 starts the next
    for n in range(fillers + 1):
        (demo / f"experts/E{1000 + n}.yaml").write_text(source.replace("id: E0001", f"id: E{1000 + n}"), encoding="utf-8")

    def about_s0001() -> list[str]:
        return [line for line in lines(demo, use_cache=False) if "S0001" in line and "supervisor.claims" in line]

    before = about_s0001()
    (demo / f"experts/E{1000 + fillers}.yaml").unlink()  # one unrelated expert less
    assert about_s0001() == before


def test_a_token_rewritten_while_a_full_run_checks_it(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = next((demo / "draws").glob("*/*.tsr"))
    good = token.read_bytes()
    token.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # damaged: draw.timestamp error
    age(demo)
    state.state_path(demo).unlink()
    real_save = state.save

    def save_after_repair(*args: Any, **kwargs: Any) -> None:
        token.write_bytes(good)  # a concurrent `git checkout` repairs it after the draws were checked
        real_save(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(state, "save", save_after_repair)
        assert any("draw.timestamp" in line for line in lines(demo))
    assert lines(demo) == lines(demo, use_cache=False)


def test_a_stray_file_rewritten_while_a_full_run_checks_it(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stray = demo / "experts/说明.txt"
    stray.write_text("联系电话 13800138000\n", encoding="utf-8")
    age(demo)
    state.state_path(demo).unlink()
    real_save = state.save

    def save_after_edit(*args: Any, **kwargs: Any) -> None:
        stray.write_text("没有个人信息。\n", encoding="utf-8")
        real_save(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(state, "save", save_after_edit)
        lines(demo)
    assert lines(demo) == lines(demo, use_cache=False)


def test_another_version_of_the_time_stamp_library(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rfc3161_client import VerificationError

    from roster.draw import timestamp

    token = next((demo / "draws").glob("*/*.tsr"))
    good = token.read_bytes()
    token.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # damaged: draw.timestamp quotes the library's error
    age(demo)
    assert any("draw.timestamp" in line for line in lines(demo))
    real = timestamp.VerifierBuilder

    class Upgraded:  # rfc3161-client as a later release words the same failure
        def __init__(self) -> None:
            self.inner = real()

        def add_root_certificate(self, root: Any) -> Upgraded:
            self.inner = self.inner.add_root_certificate(root)
            return self

        def build(self) -> Upgraded:
            return self

        def verify(self, response: Any, imprint: Any) -> None:
            try:
                self.inner.build().verify(response, imprint)
            except VerificationError as e:
                raise VerificationError(f"signature check failed: {str(e)[:20]}") from None

    monkeypatch.setattr(timestamp, "VerifierBuilder", Upgraded)
    real_version = state._version
    monkeypatch.setattr(state, "_version", lambda name: "99.0" if name == "rfc3161-client" else real_version(name))
    assert lines(demo) == lines(demo, use_cache=False)


@pytest.mark.parametrize("cached", [True, False])
def test_a_person_file_removed_while_a_run_is_under_way(demo: Path, monkeypatch: pytest.MonkeyPatch,
                                                        cached: bool) -> None:
    for stem in ("E0001", "E0002"):  # the same person twice: identity.duplicate, at E0002's person_key
        replace(demo / f"experts/{stem}.yaml", "\nname: ", f"\nperson_key: hmac-sha256:{'a' * 64}\nname: ")
    if cached:
        lines(demo)
        replace(demo / "experts/E0002.yaml", "\nname: ", "\nname: 改")  # a quick run that re-checks across people
    real = validate_module.across_records

    def racing(*args: Any) -> Any:
        (demo / "experts/E0002.yaml").unlink()  # a concurrent `git checkout` removes it
        return real(*args)

    monkeypatch.setattr(validate_module, "across_records", racing)
    monkeypatch.setattr(state, "across_records", racing)
    validate(demo, use_cache=cached)


def test_one_bit_flipped_in_the_state(demo: Path) -> None:
    path = state.state_path(demo)
    data = bytearray(path.read_bytes())
    at = data.find(b"admission.")
    assert at > 0
    data[at] ^= 0x02  # "admission." → "cdmission."
    path.write_bytes(bytes(data))
    assert lines(demo) == lines(demo, use_cache=False)


def test_the_docs_beside_a_registry_named_dot(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (demo.parent / "docs").mkdir()
    (demo.parent / "docs/a.md").write_text("联系电话 13800138000\n", encoding="utf-8")
    monkeypatch.chdir(demo)
    assert any("privacy" in line for line in lines(Path("."), use_cache=False))


# ------------------------------------------------------------------------------- attacks withstood


def test_an_id_changed_to_collide_with_another_file(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replace(demo / "experts/E0002.yaml", "id: E0002", "id: E0001")
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)


def test_a_person_moved_between_rosters_and_renamed(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (demo / "experts/E0002.yaml").rename(demo / "supervisors/E0002.yaml")
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)
    (demo / "supervisors/E0002.yaml").rename(demo / "experts/E0777.yaml")
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)


def test_a_person_named_in_conduct_and_announcements_is_removed_and_returns(demo: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    conduct = next((demo / "conduct").glob("*/*.yaml")).read_text(encoding="utf-8")
    person = next(line.split(": ", 1)[1] for line in conduct.splitlines() if line.startswith("person: "))
    folder = "experts" if person.startswith("E") else "supervisors"
    kept = (demo / folder / f"{person}.yaml").read_bytes()
    (demo / folder / f"{person}.yaml").unlink()
    assert any("integrity.reference" in line for line in partial(demo, monkeypatch))
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)
    (demo / folder / f"{person}.yaml").write_bytes(kept)
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)


def test_same_size_edit_with_mtime_restored_and_editor_rename(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo / "experts/E0001.yaml"
    before = path.stat()
    replace(path, "status: active", "status: exited")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)
    spare = demo / "experts/.E0001.yaml.tmp"
    spare.write_text(path.read_text(encoding="utf-8").replace("status: exited", "status: active"), encoding="utf-8")
    os.replace(spare, path)
    assert partial(demo, monkeypatch) == lines(demo, use_cache=False)


@pytest.mark.parametrize("entry", ["symlink", "fifo", "folder", "dotfile", "text"])
def test_odd_entries_in_a_person_folder_come_and_go(demo: Path, entry: str) -> None:
    where = demo / "experts/x.yaml"
    if entry == "symlink":
        where.symlink_to(demo / "experts/E0001.yaml")
    elif entry == "fifo":
        os.mkfifo(where)
    elif entry == "folder":
        where.mkdir()
    elif entry == "dotfile":
        where = demo / "experts/.x.yaml"
        where.write_text("id: E0001\n", encoding="utf-8")
    else:
        where = demo / "experts/x.md"
        where.write_text("13800138000\n", encoding="utf-8")
    assert lines(demo) == lines(demo, use_cache=False)
    age(demo)
    assert lines(demo) == lines(demo, use_cache=False)
    where.rmdir() if entry == "folder" else where.unlink()
    assert lines(demo) == lines(demo, use_cache=False)


def test_damaged_swapped_or_foreign_state_files(demo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(demo, other)
    replace(other / "experts/E0001.yaml", "status: active", "status: removed")
    lines(other)
    mine, theirs = state.state_path(demo), state.state_path(other)
    for suffix in ("", ".projections"):
        a, b = Path(str(mine.with_suffix("")) + (suffix or ".state")), Path(str(theirs.with_suffix("")) + (suffix or ".state"))
        data = b.read_bytes()
        a.write_bytes(data)
        replace(demo / "experts/E0003.yaml", "name: ", "name: 改")
        assert lines(demo) == lines(demo, use_cache=False)
        a.write_bytes(data[: len(data) // 2])
        assert lines(demo) == lines(demo, use_cache=False)


def test_the_registry_named_through_a_symlink_and_a_trailing_slash(demo: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "link"
    link.symlink_to(demo)
    monkeypatch.chdir(tmp_path)
    for name in ("link", "registry/", "./link/", str(demo), "registry"):
        replace(demo / "experts/E0001.yaml", "name: ", "name: 改")
        assert lines(Path(name)) == lines(Path(name), use_cache=False)


def test_non_person_records_changed_with_a_person(demo: Path) -> None:
    replace(demo / "registry.yaml", "policy: xz-2023", "policy: gy-2022")
    replace(demo / "experts/E0001.yaml", "status: active", "status: removed")
    assert lines(demo) == lines(demo, use_cache=False)
    institution = demo / "institutions/I0011.yaml"
    institution.unlink()
    replace(demo / "experts/E0002.yaml", "status: active", "status: removed")
    assert lines(demo) == lines(demo, use_cache=False)


def test_a_killed_run_leaves_a_usable_state(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed between writing the projections and the state: the tokens differ, the next run is full."""
    replace(demo / "experts/E0001.yaml", "status: active", "status: removed")
    real = state._write
    calls: list[Path] = []

    def killed(path: Path, payload: dict[str, Any]) -> None:
        calls.append(path)
        if path.suffix == ".projections":
            real(path, payload)
            raise KeyboardInterrupt
        real(path, payload)

    with monkeypatch.context() as m:
        m.setattr(state, "_write", killed)
        with pytest.raises(KeyboardInterrupt):
            lines(demo)
    replace(demo / "experts/E0003.yaml", "status: active", "status: suspended")
    assert lines(demo) == lines(demo, use_cache=False)


def test_a_short_random_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROSTER_TODAY", "2026-06-01")  # restored afterwards, whatever dates the walk sets
    for seed, fast in ((7, True), (8, False)):
        _, failures = campaign(tmp_path / str(seed), seed, 12, fast)
        assert failures == []


def test_runs_killed_or_side_by_side_while_files_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROSTER_TODAY", "2026-06-01")
    assert killed_runs(tmp_path, 5, 2)[1] == []
