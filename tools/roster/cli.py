"""The `roster` command line: parse options, call the library, print, return an exit code."""

from __future__ import annotations

import difflib
import importlib
import re
import sys
from pathlib import Path

import click

from . import __version__
from .commands.common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, ChineseGroup
from .core.errors import RosterError

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
    "readmit": "readmit:readmit",
    "person-key": "personkey:person_key_command",
    "calendar": "calendar:calendar",
    "document": "document:document",
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
        if type(exc).__module__.startswith("click"):
            _show_usage_error(exc)  # click's own English sentence
        else:
            exc.show()  # ours: already one Chinese line
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
    except RosterError as exc:  # raised before a command's own error mapper runs (e.g. while reading ROSTER_TODAY)
        click.echo(f"{exc.label}：{exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except Exception as exc:
        report = _save_crash_report()
        click.echo(f"内部错误（internal error）：{type(exc).__name__}: {exc}。详细报告已写入 {report}，请连同命令一起反馈。", err=True)
        return EXIT_USAGE
    return EXIT_OK


# click's own sentences → Chinese (its wording since click 8.0)
_CLICK_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Missing argument '(?P<a>[^']*)'\.(?: Choose from:.*)?", "缺少参数 {a}"),
    (r"Missing option '(?P<a>[^']*)'.*", "缺少必填的选项 {a}"),
    (r"No such command '(?P<a>[^']*)'\.", "没有命令“{a}”"),
    (r"No such option: (?P<a>\S+)", "没有选项 {a}"),
    (r"No such option '(?P<a>[^']*)'\.(?: Did you mean '(?P<b>[^']*)'\?)?(?: \(Possible options: (?P<c>.*)\))?", "没有选项 {a}"),
    (r"Option '(?P<a>[^']*)' requires an argument\.", "选项 {a} 后面要写一个值"),
    (r"Option '(?P<a>[^']*)' does not take a value\.", "选项 {a} 后面不写值"),
    (r"Got unexpected extra arguments? \((?P<a>.*)\)", "多余的参数：{a}（含空格的值请加引号）"),
    (r"Invalid value for '(?P<a>[^']*)': '(?P<b>.*)' is not one of (?P<c>.*)\.", "{a} 的值“{b}”不是可选的值：可选 {c}"),
    (r"Invalid value for '(?P<a>[^']*)': '(?P<b>.*)' is not a valid integer\.", "{a} 的值“{b}”应为整数"),
    (r"Invalid value for '(?P<a>[^']*)': (?P<b>\S*) is not in the range (?P<c>.*)\.", "{a} 的值 {b} 超出范围（{c}）"),
    (r"Invalid value for '(?P<a>[^']*)': (?:File|Directory|Path) '(?P<b>[^']*)' does not exist\.", "{a} 写的 {b} 不存在：请检查路径"),
    (r"Invalid value for '(?P<a>[^']*)': (?P<b>.*[\u4e00-\u9fff].*)", "{a} 的值有误：{b}"),
    (r"Invalid value for '(?P<a>[^']*)': .*", "{a} 的值有误：请查看帮助中的写法"),
)


def chinese_usage_message(message: str) -> str:
    """click's message in Chinese; an unknown one becomes a general sentence rather than English."""
    for pattern, template in _CLICK_MESSAGES:
        match = re.fullmatch(pattern, message.strip(), flags=re.S)
        if match:
            parts = {k: (v or "").replace("'", "").replace(", ", "、").replace("<=x<=", "–") for k, v in match.groupdict().items()}
            text = template.format(**parts)
            if parts.get("b") and "没有选项" in text:
                text += f"（是不是 {parts['b']}？）"
            return text
    return message if re.search(r"[\u4e00-\u9fff]", message) else "命令行写法有误"  # ours are Chinese already


def _show_usage_error(exc: click.UsageError) -> None:
    ctx = exc.ctx
    message = chinese_usage_message(exc.format_message())
    if ctx is not None and message.startswith("没有命令") and isinstance(ctx.command, click.Group):
        close = difflib.get_close_matches(message[5:-1], ctx.command.list_commands(ctx), n=1)
        message += f"（是不是 {close[0]}？）" if close else f"：可用的命令有 {'、'.join(ctx.command.list_commands(ctx))}"
    click.echo(f"错误：{message}", err=True)
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx)).replace("[OPTIONS]", "[选项]")
        pieces = pieces.replace("COMMAND [ARGS]...", "命令 [参数]…")
        click.echo(f"用法：{ctx.command_path} {pieces}", err=True)
        click.echo(f"帮助：{ctx.command_path} --help", err=True)


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
