"""`roster validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..check.report import FORMATS, write_job_summary
from ..check.validate import validate as run_validation
from .common import EXIT_INVALID, EXIT_OK, ChineseCommand, progress_bars, registry_option


@click.command(cls=ChineseCommand)
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
    with progress_bars():
        outcome = run_validation(registry_dir, base=base, use_cache=not no_cache)
    click.echo(FORMATS[output_format](outcome.findings, outcome.files))
    if output_format == "github":
        write_job_summary(outcome.findings, outcome.files)
    sys.exit(EXIT_OK if outcome.valid else EXIT_INVALID)


