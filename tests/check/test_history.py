"""`roster validate --base`: what history protects (issue 11). Each test commits the mini registry in a
fresh git repository, changes one thing in the work tree and validates against the commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from roster.cli import main

ANNOUNCEMENT = """\
id: A2025-001
kind: admission
title: 专家入库公示
published: 2025-03-03
period:
  start: 2025-03-03
  end: 2025-03-07
  workdays: 5
subjects: [E0001]
body: 现予公示。
outcome:
  closed: 2025-03-10
  objections: 0
  result: passed
"""
CONDUCT = """\
id: C2025-001
person: E0001
kind: bad_behaviour
date: 2025-03-18
clause: 《西藏专家库管理办法》第二十七条（一）
description: 无正当理由未参加检查。
reference: 示医保监〔2025〕6号
"""
PERSON_KEY = "hmac-sha256:" + "ab" * 32


@pytest.fixture(autouse=True)
def _inside_policy_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(mini: Path) -> Path:
    (mini / "announcements/2025").mkdir(parents=True)
    (mini / "announcements/2025/A2025-001.yaml").write_text(ANNOUNCEMENT, encoding="utf-8")
    (mini / "conduct/2025").mkdir(parents=True)
    (mini / "conduct/2025/C2025-001.yaml").write_text(CONDUCT, encoding="utf-8")
    edit(mini / "experts/E0001.yaml", "gender: 男\n", f"gender: 男\nperson_key: {PERSON_KEY}\n")
    root = mini.parent
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return root


def run(capsys: pytest.CaptureFixture[str], repo: Path) -> tuple[int, str]:
    code = main(["validate", "--registry", str(repo / "registry"), "--base", "main"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_base_itself_is_valid(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, repo)
    assert code == 0, out


def _leave(repo: Path, status: str) -> Path:
    """Commit the expert as having left (withdrawn or removed)."""
    path = repo / "registry/experts/E0001.yaml"
    edit(path, "status: active\n", f"status: {status}\n")
    path.write_text(path.read_text(encoding="utf-8") + f"  - date: 2025-05-01\n    status: {status}\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", status)
    return path


@pytest.mark.parametrize("status", ["removed", "withdrawn"])
def test_person_key_of_someone_who_left_cannot_change(repo: Path, capsys: pytest.CaptureFixture[str],
                                                      status: str) -> None:
    path = _leave(repo, status)
    edit(path, PERSON_KEY, "hmac-sha256:" + "cd" * 32)
    code, out = run(capsys, repo)
    assert code == 1
    assert "E0001.yaml:4:1: 错误: " in out and "身份指纹（person_key）不得修改或删除" in out and "[history.person_key]" in out
    assert ("（移出者不得重新入库）" in out) == (status == "removed")  # XZ 第二十八条; not said of a withdrawal


def test_person_key_message_under_gy_does_not_say_removal_is_final(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """GY sets no bar on re-entry after removal: the key still may not change, without the XZ reason."""
    settings = repo / "registry/registry.yaml"
    path = _leave(repo, "removed")
    edit(settings, "xz-2023", "gy-2022")
    git(repo, "commit", "-q", "-am", "gy")
    edit(path, PERSON_KEY, "hmac-sha256:" + "cd" * 32)
    code, out = run(capsys, repo)
    assert code == 1 and "身份指纹（person_key）不得修改或删除" in out and "移出者不得重新入库" not in out


def test_person_key_of_someone_who_left_cannot_be_deleted(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _leave(repo, "removed")
    edit(path, f"person_key: {PERSON_KEY}\n", "")
    code, out = run(capsys, repo)
    assert code == 1 and "[history.person_key]" in out


def test_person_key_of_an_active_person_may_be_added_or_corrected(repo: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "registry/experts/E0001.yaml", PERSON_KEY, "hmac-sha256:" + "cd" * 32)
    code, out = run(capsys, repo)
    assert code == 0, out


@pytest.mark.parametrize(("old", "new", "line", "label"), [
    ("name: 张明", "name: 张敏", 2, "姓名"),  # another person given the same id, same birth month
    ("gender: 男", "gender: 女", 3, "性别"),
    ("birth: 1975-06", "birth: 1975-07", 5, "出生年月"),
])
def test_identity_fields_of_an_existing_id_cannot_change(repo: Path, capsys: pytest.CaptureFixture[str],
                                                         old: str, new: str, line: int, label: str) -> None:
    edit(repo / "registry/experts/E0001.yaml", old, new)
    code, out = run(capsys, repo)
    assert code == 1
    assert f"E0001.yaml:{line}:1: 错误: 编号 E0001 的{label}" in out and "新人员请用新编号新建记录" in out


@pytest.mark.parametrize(("old", "new"), [
    ("  objections: 0\n", "  objections: 2\n"),
    ("  result: passed\n", "  result: failed\n"),
    ("  closed: 2025-03-10\n", "  closed: 2025-03-11\n"),
    ("outcome:\n  closed: 2025-03-10\n  objections: 0\n  result: passed\n", ""),
])
def test_outcome_of_a_closed_announcement_cannot_be_rewritten(repo: Path, capsys: pytest.CaptureFixture[str],
                                                              old: str, new: str) -> None:
    edit(repo / "registry/announcements/2025/A2025-001.yaml", old, new)
    code, out = run(capsys, repo)
    assert code == 1
    assert "公示已于 2025-03-10 办结（基准版本 main），公示结果（outcome）不得修改或删除" in out


def test_outcome_may_be_added_when_the_announcement_closes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "registry/announcements/2025/A2025-001.yaml"
    edit(path, "outcome:\n  closed: 2025-03-10\n  objections: 0\n  result: passed\n", "")
    git(repo, "commit", "-q", "-am", "open")
    path.write_text(ANNOUNCEMENT, encoding="utf-8")
    code, out = run(capsys, repo)
    assert code == 0, out


@pytest.mark.parametrize(("old", "new"), [
    ("date: 2025-03-18", "date: 2025-03-19"),
    ("description: 无正当理由未参加检查。", "description: 经核实有正当理由。"),
    ("reference: 示医保监〔2025〕6号\n", ""),
])
def test_conduct_records_are_append_only(repo: Path, capsys: pytest.CaptureFixture[str], old: str, new: str) -> None:
    edit(repo / "registry/conduct/2025/C2025-001.yaml", old, new)
    code, out = run(capsys, repo)
    assert code == 1
    assert "C2025-001.yaml:1:1: 错误: 行为记录 C2025-001 在基准版本 main 中已存在，不得修改" in out
    assert "corrects: C2025-001" in out


def test_a_correction_is_a_new_record_that_references_the_old(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "registry/conduct/2025/C2025-002.yaml").write_text(
        CONDUCT.replace("C2025-001", "C2025-002").replace("无正当理由未参加检查。", "更正：经核实有正当理由。")
        + "corrects: C2025-001\n", encoding="utf-8")
    code, out = run(capsys, repo)
    assert code == 0, out


def test_deleting_a_conduct_record_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "registry/conduct/2025/C2025-001.yaml").unlink()
    code, out = run(capsys, repo)
    assert code == 1 and "[history.deleted]" in out


def test_a_hidden_copy_of_a_record_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hidden = repo / "registry/experts/.E0001.yaml"
    hidden.write_text((repo / "registry/experts/E0001.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    git(repo, "add", ".")
    code, out = run(capsys, repo)
    assert code == 1
    assert f"{repo}/registry/experts/.E0001.yaml:1:1: 错误: 隐藏文件或文件夹（名称以“.”开头）不属于名册" in out
