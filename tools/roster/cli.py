"""The `roster` command line: parse options, call the library, print, return an exit code."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .history import BaseError
from .registry import REGISTRY_ENV
from .report import FORMATS, write_job_summary
from .validate import validate as run_validation

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_SECTIONS = {"Options": "选项（Options）", "Commands": "命令（Commands）", "Arguments": "参数（Arguments）"}


class ChineseHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法（Usage）: ")

    def section(self, name: str) -> Any:
        return super().section(_SECTIONS.get(name, name))


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseCommand(click.Command):
    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出（Show this message and exit）。"
        return option


class ChineseGroup(ChineseCommand, click.Group):
    command_class = ChineseCommand
    group_class = type  # subgroups use this same class


def registry_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--registry", "registry_dir", envvar=REGISTRY_ENV, default="registry", show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=f"名册文件夹（registry folder）；也可用环境变量 {REGISTRY_ENV} 指定。",
    )(func)


@click.group(cls=ChineseGroup, context_settings={"max_content_width": 100})
@click.version_option(__version__, "--version", message="roster %(version)s", help="显示版本号并退出（Show the version）。")
def cli() -> None:
    """医保基金监管专家库与社会监督员名册工具（expert-pool registry tools）。

    名册以 YAML 文件保存在 registry/ 中，一条记录一个文件。常用命令：

    \b
      roster validate            校验整个名册（CI 也运行它）
      roster validate --base main  同时检查相对 main 分支的变更是否合规
    """


@cli.command()
@registry_option
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="输出格式：text 供人阅读，github 输出 GitHub 工作流注释，json 供其他程序使用。")
@click.option("--base", metavar="REV",
              help="与基准版本（如 PR 的目标分支 origin/main）比较：不得删除记录文件、不得复用编号、状态只能按规定变更。")
@click.option("--no-cache", is_flag=True, help="不使用缓存，全部重新校验（cold run）。")
def validate(registry_dir: Path, output_format: str, base: str | None, no_cache: bool) -> None:
    """校验名册（validate the registry）。

    检查每个文件的 YAML 写法和字段（JSON Schema），记录之间的引用，个人信息，
    以及（给出 --base 时）相对基准版本的变更。列出全部问题，格式为
    “文件:行:列: 错误|警告: 说明 [规则编号]”。

    退出码：0 通过（可有警告），1 未通过，2 用法错误或内部错误。

    \b
    示例（Example）:
      roster validate
      roster validate --registry registry --base origin/main --format github
    """
    if not registry_dir.is_dir():
        raise click.UsageError(f"找不到名册文件夹 {registry_dir}：请用 --registry 指定，或在项目根目录运行")
    try:
        outcome = run_validation(registry_dir, base=base, use_cache=not no_cache)
    except BaseError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(FORMATS[output_format](outcome.findings, outcome.files))
    if output_format == "github":
        write_job_summary(outcome.findings, outcome.files)
    sys.exit(EXIT_OK if outcome.valid else EXIT_INVALID)


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
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a clear line
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
