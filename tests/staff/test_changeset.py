"""Changes are checked in memory exactly as `roster validate` checks files, and written all or nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from helpers import snapshot

from roster.check.validate import open_registry, validate
from roster.core.errors import EditError
from roster.staff.changeset import ChangeSet, InvalidChange, check_registry

TODAY = date(2026, 12, 18)


def test_the_in_memory_check_is_validate(demo: Path) -> None:
    """If validate gains a stage, ChangeSet.check must gain it too (see changeset.check_registry)."""
    broken = demo / "experts/E0001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("end: 2029-03-31", "end: 2029-04-01"), encoding="utf-8")
    (demo / "experts/E0002.yaml").write_text("id: E0002\nname: 缺字段\n", encoding="utf-8")
    expected = validate(demo, today=TODAY).findings
    assert check_registry(open_registry(demo), TODAY) == expected
    assert any(f.rule == "term.length" for f in expected) and any(f.rule.startswith("schema.") for f in expected)


def test_only_new_errors_block_a_change(demo: Path) -> None:
    broken = demo / "experts/E0001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("end: 2029-03-31", "end: 2029-04-01"), encoding="utf-8")
    changes = ChangeSet(demo)
    path = demo / "institutions/I9000.yaml"
    changes.create(path, "id: I9000\nname: 示例新单位\ntype: other\nlegal_entity: I9000\nregion: '540199'\n".encode())
    checked = changes.check_or_raise(TODAY)
    assert (checked.new_errors, checked.old_errors) == ([], 1)
    bad = ChangeSet(demo)
    bad.create(demo / "institutions/I9001.yaml", "id: I9001\nname: 示例\ntype: other\nlegal_entity: I0999\nregion: '540199'\n".encode())
    with pytest.raises(InvalidChange) as caught:
        bad.check_or_raise(TODAY)
    assert [f.rule for f in caught.value.findings] == ["integrity.reference"]


def test_a_failure_half_way_restores_every_file(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(demo.parent)
    changes = ChangeSet(demo)
    for name in ("E0001", "E0002"):
        path = demo / f"experts/{name}.yaml"
        old = path.read_bytes()
        changes.modify(path, old, old + b"# changed\n")
    changes.create(demo / "announcements/2031/A2031-001.yaml", b"id: A2031-001\n")
    calls = {"n": 0}
    real = os.replace

    def flaky(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(EditError, match="已撤回，没有修改任何文件"):
        changes.write()
    monkeypatch.setattr(os, "replace", real)
    assert snapshot(demo.parent) == before  # no temp files, no new folder, old bytes back


def test_a_file_changed_meanwhile_stops_everything(demo: Path) -> None:
    path = demo / "experts/E0001.yaml"
    old = path.read_bytes()
    changes = ChangeSet(demo)
    changes.modify(path, old, old + b"# mine\n")
    changes.create(demo / "experts/E9999.yaml", b"id: E9999\n")
    path.write_bytes(old + b"# someone else\n")
    before = snapshot(demo.parent)
    with pytest.raises(EditError, match="在本命令运行期间被修改或新建了：没有写入任何文件"):
        changes.write()
    assert snapshot(demo.parent) == before


def test_a_new_file_is_never_overwritten(demo: Path) -> None:
    changes = ChangeSet(demo)
    target = demo / "experts/E9999.yaml"
    changes.create(target, b"id: E9999\n")
    target.write_bytes(b"someone else's\n")
    with pytest.raises(EditError):
        changes.write()
    assert target.read_bytes() == b"someone else's\n"
    with pytest.raises(EditError, match="已经存在：不会覆盖已有文件"):
        ChangeSet(demo).create(target, b"x")
