"""Files an attacker (or an accident) puts in the registry: the loader never crashes, never hangs and
never echoes a file it should not read (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roster.cli import main

SECRET = "SECRET-CONTENT-of-another-file"


@pytest.fixture(autouse=True)
def _inside_policy_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")


def run(capsys: pytest.CaptureFixture[str], mini: Path) -> tuple[int, str]:
    code = main(["validate", "--registry", str(mini)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_symlinked_record_is_an_error_naming_the_link_never_its_target(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text(f"id: E0002\nname: {SECRET}\n手机: 13812345678\n", encoding="utf-8")
    (mini / "experts/E0002.yaml").symlink_to(target)
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini}/experts/E0002.yaml:1:1: 错误: 这是符号链接（symlink）" in out
    assert SECRET not in out and "elsewhere" not in out and "手机" not in out


def test_symlink_to_a_valid_record_outside_is_not_accepted(mini: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.replace(mini / "institutions/I0002.yaml", outside / "I0002.yaml")
    (mini / "institutions/I0002.yaml").symlink_to(outside / "I0002.yaml")
    code, out = run(capsys, mini)
    assert code == 1 and "[layout.symlink]" in out


@pytest.mark.parametrize("link", ["registry.yaml", "experts", "draws"])
def test_symlinked_settings_and_folders_are_errors(mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   link: str) -> None:
    real = tmp_path / f"real-{link}"
    if (mini / link).exists():
        os.replace(mini / link, real)
    else:
        real.mkdir()
    (mini / link).symlink_to(real)
    code, out = run(capsys, mini)
    assert code == 1 and f"{mini}/{link}:1:1: 错误: 这是符号链接" in out


def test_fifo_named_like_a_record_is_refused_without_waiting(mini: Path) -> None:
    os.mkfifo(mini / "experts/E0002.yaml")
    done = subprocess.run([sys.executable, "-m", "roster.cli", "validate", "--registry", str(mini)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "ROSTER_TODAY": "2025-06-01"})
    assert done.returncode == 1
    assert f"{mini}/experts/E0002.yaml:1:1: 错误: 这不是普通文件（命名管道、设备或套接字）" in done.stdout + done.stderr


def test_device_named_like_a_record_is_refused(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        os.mknod(mini / "experts/E0002.yaml", 0o600 | 0o020000, os.makedev(1, 3))  # a character device (/dev/null)
    except (PermissionError, AttributeError):
        pytest.skip("cannot create a device node here")
    code, out = run(capsys, mini)
    assert code == 1 and "[layout.special]" in out


def test_a_record_swapped_for_a_fifo_after_listing_is_not_opened_blocking(tmp_path: Path) -> None:
    from roster.check.registry import NotRegularFile, read_regular

    os.mkfifo(tmp_path / "E0001.yaml")
    with pytest.raises(NotRegularFile):
        read_regular(str(tmp_path / "E0001.yaml"))
    (tmp_path / "link.yaml").symlink_to(tmp_path / "E0001.yaml")
    with pytest.raises(OSError):
        read_regular(str(tmp_path / "link.yaml"))


def _refuse(monkeypatch: pytest.MonkeyPatch, name: str, suffix: str) -> None:
    real = getattr(os, name)

    def refused(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path).endswith(suffix):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, name, refused)


@pytest.mark.parametrize("record", ["experts/E0001.yaml", "institutions/I0001.yaml"])
def test_unreadable_record_is_a_finding_not_a_crash(mini: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch, record: str) -> None:
    _refuse(monkeypatch, "open", record)  # root reads any file: chmod 000 would not show it
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini}/{record}:1:1: 错误: 无法读取这个记录文件（Permission denied）" in out


def test_unreadable_draws_folder_is_an_error_not_skipped(mini: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (mini / "draws/2026").mkdir(parents=True)
    _refuse(monkeypatch, "scandir", "/draws")
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini}/draws:1:1: 错误: 无法读取这个文件夹（权限不足或已损坏）：其中的记录都没有校验" in out


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_by_permissions(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "experts/E0001.yaml").chmod(0)
    (mini / "draws").mkdir()
    (mini / "draws").chmod(0)
    try:
        code, out = run(capsys, mini)
    finally:
        (mini / "draws").chmod(0o755)
    assert code == 1 and "[file.unreadable]" in out and "[layout.unreadable]" in out


def test_deep_nesting_is_exit_1_with_a_clean_message(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "institutions/I0002.yaml").write_text("id: I0002\nname: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    code, out = run(capsys, mini)
    assert code == 1
    assert f"{mini}/institutions/I0002.yaml:2:" in out and "嵌套超过 100 层" in out


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "tomorrow", "2026/03/01"])
def test_bad_roster_today_is_a_usage_error(mini: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ROSTER_TODAY", value)
    code, out = run(capsys, mini)
    assert code == 2
    assert out.startswith("用法错误：环境变量 ROSTER_TODAY 有误：") and value in out
    assert "内部错误" not in out and "Traceback" not in out
