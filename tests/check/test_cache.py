"""The per-file result cache: keyed by content, small writes after small edits, never a stale answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roster.check.report import as_text
from roster.check.validate import check_registry, open_registry
from roster.cli import main
from roster.core.timeutil import today_beijing


def validate(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str]:
    """Check the registry as the commands that load it whole do (the site, staff commands): each file's
    own checks from the cache."""
    registry = open_registry(root)
    findings = check_registry(registry, today_beijing())
    return int(any(f.is_error for f in findings)), as_text(findings, len(registry.all_records()))


def cache_files() -> dict[str, Path]:
    folder = Path(os.environ["ROSTER_CACHE_DIR"])
    return {p.suffix: p for p in folder.glob("validate-*")}


def test_one_edit_writes_only_the_delta_and_is_seen(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(capsys, mini)[0] == 0
    base = cache_files()[".marshal"]
    before = base.stat().st_mtime_ns, base.read_bytes()
    path = mini / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: master", "level: phd"), encoding="utf-8")
    code, out = validate(capsys, mini)
    assert code == 1 and "“phd”" in out
    assert (base.stat().st_mtime_ns, base.read_bytes()) == before
    assert ".delta" in cache_files()
    path.write_text(path.read_text(encoding="utf-8").replace("level: phd", "level: master"), encoding="utf-8")
    assert validate(capsys, mini)[0] == 0


def test_many_new_entries_fold_into_a_fresh_base(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(capsys, mini)[0] == 0
    for i in range(2, 260):
        text = (mini / "institutions/I0002.yaml").read_text(encoding="utf-8").replace("I0002", f"I{i + 1000:04d}")
        (mini / f"institutions/I{i + 1000:04d}.yaml").write_text(text, encoding="utf-8")
    assert validate(capsys, mini)[0] == 0
    assert ".delta" not in cache_files() and ".marshal" in cache_files()
    assert validate(capsys, mini)[0] == 0


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", b"\xe3" * 40])
def test_a_damaged_cache_only_makes_the_run_cold(mini: Path, capsys: pytest.CaptureFixture[str], garbage: bytes) -> None:
    assert validate(capsys, mini)[0] == 0
    for path in cache_files().values():
        path.write_bytes(garbage)
    assert validate(capsys, mini)[0] == 0
    assert validate(capsys, mini)[0] == 0


def roster_validate(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, str]:
    code = main(["validate", "--registry", str(root)])
    return code, capsys.readouterr().out


def test_person_findings_follow_the_records_they_depend_on(mini: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    validate = roster_validate  # the stored state of `roster validate`, not the per-file cache
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")
    assert validate(capsys, mini)[0] == 0
    assert {".state", ".projections"} <= set(cache_files())
    # the expert's file is unchanged, but the unit it names is gone: its cached findings must not be reused
    institution = mini / "institutions/I0001.yaml"
    original = institution.read_text(encoding="utf-8")
    institution.write_text(original.replace("id: I0001", "id: I0009"), encoding="utf-8")
    code, out = validate(capsys, mini)
    assert code == 1 and "E0001.yaml:7:1: 错误: employer 引用的单位“I0001”不存在" in out
    institution.write_text(original, encoding="utf-8")
    assert validate(capsys, mini)[0] == 0
    # the same files on a later day: the term has ended
    monkeypatch.setenv("ROSTER_TODAY", "2027-06-01")
    code, out = validate(capsys, mini)
    assert "[exit.term_ended]" in out


def test_cached_and_uncached_validation_agree_on_the_demo(capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from roster.check.validate import validate as run

    demo = Path(__file__).resolve().parents[2] / "registry"
    monkeypatch.setenv("ROSTER_TODAY", "2027-05-15")  # a day with findings to compare
    cold = run(demo, use_cache=False).findings
    assert cold
    assert run(demo).findings == cold
    assert run(demo).findings == cold  # the second run reuses the stored state
    for _ in range(2):  # the second run reuses every file's result
        assert check_registry(open_registry(demo), today_beijing()) == cold
