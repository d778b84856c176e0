"""The `roster` command line: parse options, call the library, print, return an exit code."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from . import __version__
from .commands.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, ChineseGroup
from .core.timeutil import TodayError

# command name -> "module:attribute" under roster.commands. A command's module is imported only when
# it runs (or when help lists it), so `roster validate` does not pay for the site builder, the draw
# engine or the spreadsheet libraries at every start.
COMMANDS: dict[str, str] = {
    "validate": "validate:validate",
    "status": "status:status",
    "policy": "policy:policy",
    "new": "new:new",
    "import": "importer:import_command",
    "export": "export:export",
    "announce": "announce:announce",
    "admit": "admit:admit",
    "renew": "renew:renew",
    "remove": "remove:remove",
    "withdraw": "withdraw:withdraw",
    "reject": "reject:reject",
    "draw": "draw:draw",
    "site": "site:site",
    "cms": "cms:cms",
}


class RosterGroup(ChineseGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(f"roster.commands.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=RosterGroup, context_settings={"max_content_width": 100})
@click.version_option(__version__, "--version", message="roster %(version)s", help="显示版本号并退出（Show the version）。")
def cli() -> None:
    """医保基金监管专家库与社会监督员名册工具（expert-pool registry tools）。

    名册以 YAML 文件保存在 registry/ 中，一条记录一个文件。常用命令：

    \b
      roster validate            校验整个名册（CI 也运行它）
      roster validate --base main  同时检查相对 main 分支的变更是否合规
      roster status              截至今天应办理的聘期届满、到龄退出、移出
      roster policy show xz-2023   政策预设的规则、参数和依据条款
      roster new expert          新建专家记录（逐项询问）
      roster draw --help         随机抽取专家、社会监督员或被检查机构
      roster site serve          生成公示网站并在本机预览
    """


def main(argv: list[str] | None = None) -> int:
    """Entry point: expected errors are one Chinese line; unexpected ones a line plus a saved report."""
    try:
        cli.main(args=argv, prog_name="roster", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)  # not click's English "Error:"
        return EXIT_INVALID
    except click.Abort:
        click.echo("已取消。", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        return 130
    except TodayError as exc:
        click.echo(f"用法错误：{exc}", err=True)
        return EXIT_USAGE
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except Exception as exc:
        report = _save_crash_report()
        click.echo(f"内部错误（internal error）：{type(exc).__name__}: {exc}。详细报告已写入 {report}，请连同命令一起反馈。", err=True)
        return EXIT_USAGE
    return EXIT_OK


def _save_crash_report() -> str:
    import tempfile
    import traceback

    from .check.cache import cache_dir
    from .core.files import write_atomic

    text = f"roster {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    for directory in (cache_dir(), Path(tempfile.gettempdir())):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / "roster-crash.log"
            write_atomic(path, text.encode("utf-8"), durable=False)
            return str(path)
        except OSError:
            continue
    return "（无法写入报告）"


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
