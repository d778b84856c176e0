"""The `roster` command line: parse options, call the library, print, return an exit code."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .commands.admit import admit
from .commands.announce import announce
from .commands.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, ChineseGroup
from .commands.draw import draw
from .commands.export import export
from .commands.importer import import_command
from .commands.new import new
from .commands.policy import policy
from .commands.remove import remove
from .commands.renew import renew
from .commands.site import site
from .commands.status import status
from .commands.validate import validate
from .commands.withdraw import withdraw


@click.group(cls=ChineseGroup, context_settings={"max_content_width": 100})
@click.version_option(__version__, "--version", message="roster %(version)s", help="显示版本号并退出（Show the version）。")
def cli() -> None:
    """医保基金监管专家库与社会监督员名册工具（expert-pool registry tools）。

    名册以 YAML 文件保存在 registry/ 中，一条记录一个文件。常用命令：

    \b
      roster validate            校验整个名册（CI 也运行它）
      roster validate --base main  同时检查相对 main 分支的变更是否合规
      roster status              截至今天应办理的聘期届满、到龄退出、移出
      roster policy show xz-2023   政策预设的规则、参数和依据条款
    """


cli.add_command(validate)
cli.add_command(status)
cli.add_command(policy)
cli.add_command(draw)
cli.add_command(site)
cli.add_command(new)
cli.add_command(announce)
cli.add_command(admit)
cli.add_command(renew)
cli.add_command(remove)
cli.add_command(withdraw)
cli.add_command(import_command)
cli.add_command(export)


def main(argv: list[str] | None = None) -> int:
    """Entry point: expected errors are one Chinese line; unexpected ones a line plus a saved report."""
    try:
        cli.main(args=argv, prog_name="roster", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_INVALID
    except click.Abort:
        click.echo("已取消。", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        return 130
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except Exception as exc:
        report = _save_crash_report()
        click.echo(f"内部错误（internal error）：{type(exc).__name__}: {exc}。详细报告已写入 {report}，请连同命令一起反馈。", err=True)
        return EXIT_USAGE
    return EXIT_OK


def _save_crash_report() -> str:
    import tempfile

    from .cache import cache_dir

    text = f"roster {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    for directory in (cache_dir(), Path(tempfile.gettempdir())):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / "roster-crash.log"
            path.write_text(text, encoding="utf-8")
            return str(path)
        except OSError:
            continue
    return "（无法写入报告）"


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
