from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from roster import cli as cli_module
from roster.cli import cli, main


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "roster")
def test_every_help_is_chinese_with_registry_option(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法（Usage）: roster")
    assert re.search(r"[\u4e00-\u9fff]{4}", out)
    assert "显示本帮助并退出" in out
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    if not isinstance(command, click.Group):
        assert "--registry" in out or path == ("person-key",)  # person-key reads only the ID number and the key
        assert "示例" in out, "every command's help ends with an example"


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--nope"]) == 2


def test_internal_error_is_one_line_and_exit_2(mini: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟的程序错误")

    monkeypatch.setattr("roster.commands.validate.run_validation", broken)
    assert main(["validate", "--registry", str(mini)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("内部错误（internal error）：RuntimeError: 模拟的程序错误。详细报告已写入 ")
    assert "Traceback" not in err and err.count("\n") == 1
    report = Path(err.split("详细报告已写入 ")[1].split("，")[0])
    assert "Traceback" in report.read_text(encoding="utf-8")


def test_console_script_runs(mini: Path) -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "roster"), "validate", "--registry", str(mini)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "通过" in done.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"roster {cli_module.__version__}\n"


def test_validate_does_not_import_the_other_commands() -> None:
    code = ("import sys, roster.cli as c; c.main(['validate', '--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('roster.commands.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "['roster.commands.common', 'roster.commands.validate']"


def test_command_reference_page_is_every_help_text() -> None:
    from roster.commands.reference import cli_reference_markdown

    page = cli_reference_markdown(cli)
    for path in all_commands(cli):
        assert f"## `{' '.join(('roster', *path))}`" in page
    assert page.count("用法（Usage）: roster") == len(all_commands(cli))
