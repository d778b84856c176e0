"""The last validated state: a run after an edit re-checks only what changed, and never gives a stale answer.

Every step compares the cached answer with a run that uses no cache at all. Files and folders are
dated an hour back first, as a registry checked out earlier would be; a file edited within the last
seconds is never trusted by its stat data alone.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest

from roster.check import registry as registry_module
from roster.check import state
from roster.check import validate as validate_module
from roster.check.parts import PROJECTED_FIELDS
from roster.check.validate import validate

SECOND = 1_000_000_000


def age(root: Path, seconds: int = 3600) -> None:
    """Date every file and folder under root `seconds` back (atime and mtime)."""
    when = time.time_ns() - seconds * SECOND
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            if name != ".git":
                os.utime(os.path.join(folder, name), ns=(when, when), follow_symlinks=False)
    os.utime(root, ns=(when, when))


def lines(root: Path, **kwargs: object) -> list[str]:
    return [f"{f.path}:{f.line}:{f.col}:{f.rule}:{f.message}" for f in validate(root, **kwargs).findings]  # type: ignore[arg-type]


def agree(root: Path) -> list[str]:
    """The cached answer, checked against an uncached run of the same files."""
    cached = lines(root)
    assert cached == lines(root, use_cache=False)
    return cached


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def aged(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")
    age(mini)
    assert agree(mini) == []
    return mini


def test_an_edited_person_is_rechecked_alone(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expert = aged / "experts/E0001.yaml"
    edit(expert, "end: 2027-03-31", "end: 2030-03-31")  # a finding of a rule about one person
    expected = lines(aged, use_cache=False)
    assert expected and "term.length" in expected[0]
    with monkeypatch.context() as m:
        m.setattr(validate_module, "load_projected", _refuse)
        assert lines(aged) == expected
        edit(expert, "end: 2030-03-31", "end: 2027-03-31")
        assert lines(aged) == []
    # an edit that breaks the file takes the person out of the checks across people: a full run
    edit(expert, "level: master", "level: phd")
    assert any("“phd”" in line for line in agree(aged))


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the whole registry was loaded")


def test_an_edit_that_keeps_size_and_mtime_is_seen(aged: Path) -> None:
    expert = aged / "experts/E0001.yaml"
    before = expert.stat()
    edit(expert, "level: master", "level: MASTER")  # same length
    os.utime(expert, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert expert.stat().st_size == before.st_size and expert.stat().st_mtime_ns == before.st_mtime_ns
    assert any("MASTER" in line for line in agree(aged))


def test_a_file_saved_by_renaming_over_it_is_seen(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expert = aged / "experts/E0001.yaml"
    spare = aged / "experts/.E0001.yaml.swp"
    spare.write_text(expert.read_text(encoding="utf-8").replace("end: 2027-03-31", "end: 2030-03-31"),
                     encoding="utf-8")
    os.replace(spare, expert)
    with monkeypatch.context() as m:
        m.setattr(validate_module, "load_projected", _refuse)
        found = lines(aged)
    assert any("term.length" in line for line in found)
    assert found == lines(aged, use_cache=False)


def test_added_and_removed_files_are_seen(aged: Path) -> None:
    second = aged / "experts/E0002.yaml"
    second.write_text((aged / "experts/E0001.yaml").read_text(encoding="utf-8").replace("E0001", "E0002"),
                      encoding="utf-8")
    assert any("identity.duplicate" in line or "admission" in line for line in agree(aged))
    second.unlink()
    assert agree(aged) == []
    (aged / "institutions/I0002.yaml").unlink()
    assert agree(aged) == []
    (aged / "experts/notes.txt").write_text("备注", encoding="utf-8")
    assert any("layout" in line for line in agree(aged))


def test_what_other_people_read_is_rechecked_across_the_roster(aged: Path) -> None:
    second = aged / "experts/E0002.yaml"
    second.write_text((aged / "experts/E0001.yaml").read_text(encoding="utf-8").replace("E0001", "E0002")
                      .replace("张明", "李华"), encoding="utf-8")
    age(aged)
    assert agree(aged) == []
    edit(second, "李华", "张明")  # now the same name, gender and birth month as E0001
    assert any("identity.duplicate" in line for line in agree(aged))
    edit(second, "张明", "李华")
    assert agree(aged) == []


def test_a_referenced_record_and_the_settings_are_followed(aged: Path) -> None:
    institution = aged / "institutions/I0001.yaml"
    edit(institution, "id: I0001", "id: I0009")
    assert any("integrity.reference" in line for line in agree(aged))
    edit(institution, "id: I0009", "id: I0001")
    assert agree(aged) == []
    settings = aged / "registry.yaml"
    edit(settings, "policy: xz-2023", "policy: xz-2023\n    disabled:\n      - rule: admission.nonexistent")
    assert any("registry.yaml" in line for line in agree(aged))


def test_a_new_day_is_a_new_answer(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2027-06-01")
    assert any("exit.term_ended" in line for line in agree(aged))


def test_another_library_version_makes_a_full_run(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = state._version
    monkeypatch.setattr(state, "_version", lambda name: "9.9" if name == "chinese-calendar" else real(name))
    monkeypatch.setattr(validate_module, "load_projected", _refuse)
    with pytest.raises(AssertionError, match="whole registry"):
        lines(aged)


def test_changed_code_or_presets_make_a_full_run(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "package_fingerprint", lambda: "another preset")
    monkeypatch.setattr(validate_module, "load_projected", _refuse)
    with pytest.raises(AssertionError, match="whole registry"):
        validate(aged)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(aged: Path) -> Path:
    git(aged, "init", "-q", "-b", "main")
    git(aged, "add", "-A")
    git(aged, "commit", "-q", "-m", "start")
    return aged


def test_branch_switch_and_rebase(repo: Path) -> None:
    expert = repo / "experts/E0001.yaml"
    git(repo, "checkout", "-q", "-b", "other")
    edit(expert, "level: master", "level: phd")
    git(repo, "commit", "-q", "-am", "phd")
    assert any("“phd”" in line for line in agree(repo))
    git(repo, "checkout", "-q", "main")
    assert agree(repo) == []
    edit(repo / "institutions/I0002.yaml", "name: 测试市人民医院东院区", "name: 测试市人民医院西院区")
    git(repo, "commit", "-q", "-am", "west")
    git(repo, "checkout", "-q", "other")
    assert any("“phd”" in line for line in agree(repo))
    git(repo, "rebase", "-q", "main")
    assert (repo / "institutions/I0002.yaml").read_text(encoding="utf-8").count("西院区") == 1
    assert any("“phd”" in line for line in agree(repo))
    git(repo, "reset", "-q", "--hard", "main")
    assert agree(repo) == []


@pytest.mark.parametrize("setting", [("update-index", "--assume-unchanged", "experts/E0001.yaml"),
                                     ("config", "core.trustctime", "false"),
                                     ("config", "core.checkStat", "minimal")])
def test_git_settings_that_hide_edits_do_not_hide_them_from_validate(repo: Path, setting: tuple[str, ...]) -> None:
    git(repo, *setting)
    expert = repo / "experts/E0001.yaml"
    before = expert.stat()
    edit(expert, "level: master", "level: MASTER")
    os.utime(expert, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert any("MASTER" in line for line in agree(repo))
    # the same edit seen by a full run (a new file changes the folder): git's ids are not trusted either
    state.state_path(repo).unlink()
    assert any("MASTER" in line for line in agree(repo))


def test_git_ids_skip_files_git_does_not_look_at(repo: Path) -> None:
    git(repo, "update-index", "--assume-unchanged", "experts/E0001.yaml")
    git(repo, "config", "core.trustctime", "false")
    edit(repo / "experts/E0002.yaml" if (repo / "experts/E0002.yaml").exists() else repo / "experts/E0001.yaml",
         "level: master", "level: MASTER")
    ids = registry_module.start_clean_blob_ids(repo)()
    assert "experts/E0001.yaml" not in ids and "institutions/I0001.yaml" in ids


def test_a_damaged_state_only_makes_the_run_full(aged: Path) -> None:
    state.state_path(aged).write_bytes(b"\x00garbage")
    assert agree(aged) == []
    assert state.state_path(aged).stat().st_size > 100


class _Recording(dict[str, Any]):
    """A person's data that notes every field read."""

    seen: ClassVar[set[str]] = set()

    def get(self, key: Any, default: Any = None) -> Any:
        _Recording.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        _Recording.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        _Recording.seen.add(key)
        return super().__contains__(key)


def test_checks_across_people_read_only_the_projected_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the state compares of an edited person must cover everything the other checks read of it."""
    from datetime import date

    from roster.check.integrity import check_integrity
    from roster.check.registry import load_registry
    from roster.check.schemas import SchemaSet
    from roster.core.vocab import PEOPLE
    from roster.draw.checks import check_draws
    from roster.rules import check_rules
    from roster.rules.base import Person

    demo = Path(__file__).resolve().parents[2] / "registry"
    loaded = load_registry(demo, SchemaSet())
    people = [r for r in loaded.records if r.kind in PEOPLE]
    assert people
    for record in people:
        record.data = _Recording(record.data)
    # a Person reads its dates for the rules about one person (its status and id come from projected
    # fields); checks across people read `data`
    made = Person.of

    def of(record: Any, today: date) -> Person:
        seen = set(_Recording.seen)
        person = made(record, today)
        _Recording.seen = seen
        return person

    monkeypatch.setattr(Person, "of", of)
    _Recording.seen = set()
    others = {r.file for r in loaded.records if r.kind not in PEOPLE}
    for today in (date(2025, 6, 1), date(2027, 5, 15)):
        list(check_integrity(loaded, records=others))
        list(check_rules(loaded, today, people=frozenset()))
    check_draws(loaded)
    assert {"name", "person_key"} <= _Recording.seen <= set(PROJECTED_FIELDS)


def partial(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cached answer, given without loading the whole registry, checked against an uncached run."""
    with monkeypatch.context() as m:
        m.setattr(validate_module, "load_projected", _refuse)
        cached = lines(root)
    assert cached == lines(root, use_cache=False)
    return cached


def test_people_added_or_removed_are_checked_alone_and_across_the_roster(aged: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = (aged / "experts/E0001.yaml").read_text(encoding="utf-8")
    second, third = aged / "experts/E0002.yaml", aged / "experts/E0003.yaml"
    second.write_text(first.replace("E0001", "E0002"), encoding="utf-8")  # the same person again
    found = partial(aged, monkeypatch)
    assert any("E0002.yaml" in line and "identity.duplicate" in line for line in found)
    third.write_text(first.replace("E0001", "E0003").replace("level: master", "level: 硕士"), encoding="utf-8")
    found = partial(aged, monkeypatch)
    assert any("E0003.yaml" in line and "“硕士”" in line for line in found)
    # an edit above the duplicate's finding moves it: the checks across people run again
    second.write_text("# 备注\n" + second.read_text(encoding="utf-8"), encoding="utf-8")
    assert partial(aged, monkeypatch) != found
    second.unlink()
    third.unlink()
    assert partial(aged, monkeypatch) == []


def test_what_other_people_read_is_rechecked_without_a_full_run(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    second = aged / "experts/E0002.yaml"
    second.write_text((aged / "experts/E0001.yaml").read_text(encoding="utf-8").replace("E0001", "E0002")
                      .replace("张明", "李华"), encoding="utf-8")
    assert partial(aged, monkeypatch) == []
    edit(second, "李华", "张明")
    assert any("identity.duplicate" in line for line in partial(aged, monkeypatch))
    edit(second, "张明", "李华")
    assert partial(aged, monkeypatch) == []


@pytest.mark.parametrize("entry", ["notes.txt", ".hidden.yaml", "sub/E0009.yaml", "link.yaml"])
def test_anything_but_a_person_file_added_to_a_person_folder_makes_a_full_run(aged: Path, entry: str) -> None:
    target = aged / "experts" / entry
    target.parent.mkdir(exist_ok=True)
    if entry == "link.yaml":
        target.symlink_to(aged / "experts/E0001.yaml")
    else:
        target.write_text((aged / "experts/E0001.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert any("layout" in line for line in agree(aged))


def test_a_damaged_or_foreign_projection_file_only_makes_the_run_full(aged: Path) -> None:
    people = state.state_path(aged).with_suffix(".projections")
    assert people.exists()
    saved = people.read_bytes()
    second = aged / "experts/E0002.yaml"
    second.write_text((aged / "experts/E0001.yaml").read_text(encoding="utf-8").replace("E0001", "E0002"),
                      encoding="utf-8")
    people.write_bytes(b"\x00garbage")
    assert any("identity.duplicate" in line for line in agree(aged))
    second.unlink()
    people.write_bytes(saved)  # a projection file of another state than the stored one
    assert agree(aged) == []


def test_random_changes_to_people_never_give_a_stale_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seeded walk of the changes staff make to person files (names that collide, ids and statuses edited,
    files copied in, removed, broken, renamed), each followed by the cached and the uncached answer."""
    import contextlib
    import random
    import shutil

    monkeypatch.setenv("ROSTER_TODAY", "2027-05-15")
    root = tmp_path / "registry"
    shutil.copytree(Path(__file__).resolve().parents[2] / "registry", root)
    age(root)
    assert agree(root)
    rng = random.Random(16)
    experts = root / "experts"

    def some() -> Path:
        return rng.choice(sorted(experts.glob("*.yaml")))

    def rewrite(path: Path, change: object) -> None:
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]

    def copy_in() -> None:
        source = some()
        number = rng.randrange(9000, 9999)
        (experts / f"E{number}.yaml").write_text(
            source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: E{number}"), encoding="utf-8")

    def same_name() -> None:
        name = next(line for line in some().read_text(encoding="utf-8").splitlines() if line.startswith("name: "))
        rewrite(some(), lambda text: "\n".join(name if line.startswith("name: ") else line for line in text.split("\n")))

    steps = [
        copy_in,
        same_name,
        lambda: some().unlink() if len(list(experts.glob("*.yaml"))) > 3 else None,
        lambda: rewrite(some(), lambda text: text.replace("status: active", "status: removed", 1)),
        lambda: rewrite(some(), lambda text: text + "\nbad: [\n"),
        lambda: rewrite(some(), lambda text: "# 备注\n" + text),
        lambda: some().rename(experts / f"E{rng.randrange(9000, 9999)}.yaml"),
        lambda: rewrite(some(), lambda text: text.replace("id: E", "id: X", 1)),
    ]
    partial_runs = 0
    for _ in range(24):
        rng.choice(steps)()
        cached = None
        with monkeypatch.context() as m:
            m.setattr(validate_module, "load_projected", _refuse)
            with contextlib.suppress(AssertionError):  # a full run was needed
                cached = lines(root)
                partial_runs += 1
        assert (cached if cached is not None else lines(root)) == lines(root, use_cache=False)
    assert partial_runs >= 20


@pytest.mark.parametrize("where", [".", "registry", "./registry/", "ABSOLUTE"])
def test_the_state_is_kept_however_the_registry_is_named(aged: Path, monkeypatch: pytest.MonkeyPatch,
                                                         where: str) -> None:
    monkeypatch.chdir(aged if where == "." else aged.parent)
    root = Path(str(aged) if where == "ABSOLUTE" else where)
    state.state_path(aged).unlink()  # the state of the full run below, not the fixture's
    assert lines(root) == []
    edit(aged / "experts/E0001.yaml", "end: 2027-03-31", "end: 2030-03-31")
    assert any("term.length" in line for line in partial(root, monkeypatch))
