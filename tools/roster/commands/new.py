"""`roster new expert|supervisor|institution|conduct`: a new record, asked for in Chinese or given as options."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..staff.scaffold import KIND_LABELS, KINDS, FieldSpec, Scaffold, field_specs
from ..staff.staffdata import parse_day
from .common import (
    ChineseCommand,
    ChineseGroup,
    RosterError,
    UsageProblem,
    expected,
    registry_option,
    show_checked,
    today,
    writes_registry,
)

EXAMPLES = {
    "expert": """\
  roster new expert --name 张三 --gender 男 --birth 1975-06 --category medical \\
      --specialty 心血管内科 --employer 示例市人民医院 --education master \\
      --title 主任医师 --title-level senior --title-since 2015-12 --work-start 1998-07 \\
      --civil-servant 否 --declarations-signed 2026-12-01 --route invited \\
      --consent-date 2026-12-01 --consent-reference 示医保专家同意书〔2026〕05号""",
    "supervisor": """\
  roster new supervisor --name 李四 --gender 女 --birth 1970-03 --route open \\
      --background law --pledge-signed 2026-12-01 --claim I0011 --claim I0018""",
    "institution": """\
  roster new institution --name 示例市第三人民医院 --alias 市三院 --type hospital \\
      --level 二级甲等 --designated medical --designated-since 2020-01-01""",
    "conduct": """\
  roster new conduct --person E0012 --kind absence --date 2026-12-10 --excused 否 \\
      --description 接受邀请后未到场，也未事先告知""",
}

NEXT_STEP = {
    "expert": {
        "invited": "本人已书面同意的，入库：roster admit {id} --date <入库日期>",
        "open_call": "公示：roster announce candidates {id}（公示期满办结后再 roster admit）",
        "unit_recommended": "公示：roster announce candidates {id}（公示期满办结后再 roster admit）",
    },
    "supervisor": {"*": "聘任前可公示：roster announce candidates {id}；聘任：roster admit {id} --certificate <证号>"},
}


def _interactive() -> bool:
    return sys.stdin.isatty()


def _help(spec: FieldSpec) -> str:
    text = spec.label + (f"：{spec.help}" if spec.help and spec.help != spec.label else "")
    if spec.choices and spec.value_type == "choice" and not all(code in spec.help for code, _ in spec.choices):
        text += f" 可选：{spec.choice_text()}。"
    if spec.value_type == "institution":
        text += "可写单位编号、名称或别名。"
    if spec.multiple:
        text += "（可写多次）"
    if spec.when:
        conditions = "；".join(f"{'.'.join(path)} 为 {'或'.join(values)}" for path, values in spec.when)
        text += f"（{conditions}时{'可填' if spec.optional else '必填'}）"
    elif spec.optional or spec.default:
        text += "（可不填）"
    return text


def _prompt_text(spec: FieldSpec) -> str:
    text = spec.prompt
    if spec.choices and spec.value_type == "choice":
        text += f"（{spec.choice_text()}）"
    if spec.multiple:
        text += "（多项用顿号或逗号分隔）"
    if spec.value_type == "bool":
        text += "（是/否）"
    return text


def _ask(scaffold: Scaffold, values: dict[tuple[str, ...], Any]) -> None:
    """Ask, one by one, for every required answer still missing (re-asking after a bad answer)."""
    while True:
        missing = scaffold.missing(values)
        if not missing:
            return
        spec = missing[0]
        while True:
            raw = click.prompt(_prompt_text(spec), type=str, prompt_suffix="：")
            try:
                values[spec.path] = scaffold.parse(spec, raw)
                break
            except ValueError as exc:
                click.echo(f"  {exc}，请重新输入。", err=True)


def _make(kind: str) -> click.Command:
    specs = field_specs(kind)

    @writes_registry
    def run(registry_dir: Path, dry_run: bool, **raw: Any) -> None:
        on = raw.pop("registration_date", None)
        with expected():
            scaffold = Scaffold(registry_dir, kind, today())
            day = parse_day(on, "--date") if on else None
            values: dict[tuple[str, ...], Any] = {}
            for spec in specs:
                given = raw.get(spec.option.replace("-", "_"))
                if given is None or given == ():
                    continue
                try:
                    values[spec.path] = scaffold.parse(spec, given)
                except ValueError as exc:
                    raise RosterError(f"--{spec.option} 有误：{exc}") from None
            if scaffold.missing(values):
                if not _interactive():
                    names = "、".join(f"--{s.option}（{s.label}）" for s in scaffold.missing(values))
                    raise UsageProblem(f"缺少必填项：{names}：请用选项写明，或在终端中运行本命令逐项填写")
                _ask(scaffold, values)
            draft = scaffold.build(values, on=day)
            created = scaffold.create(draft, dry_run=dry_run)
        name = draft.data.get("name") or draft.data.get("description", "")
        if dry_run:
            click.echo(f"将新建{KIND_LABELS[kind]} {draft.id}（{name}）：{created.draft.path}（--dry-run，未写入）")
            click.echo(draft.text, nl=False)
        else:
            click.echo(f"已新建{KIND_LABELS[kind]} {draft.id}（{name}）：{created.written[0]}")
        show_checked(created.checked)
        steps = NEXT_STEP.get(kind, {})
        route = str((draft.data.get("admission") or {}).get("route", ""))
        step = steps.get(route) or steps.get("*")
        if step:
            click.echo("下一步：" + step.format(id=draft.id))

    command: Callable[..., Any] = run
    for spec in reversed(specs):
        command = click.option(
            f"--{spec.option}", spec.option.replace("-", "_"), multiple=spec.multiple, help=_help(spec),
            metavar="是|否" if spec.value_type == "bool" else _metavar(spec),
        )(command)
    if kind in ("expert", "supervisor"):
        command = click.option("--date", "registration_date", metavar="YYYY-MM-DD",
                               help="登记为候选人的日期（写入状态记录），默认今天（北京时间）。")(command)
    command = click.option("--dry-run", is_flag=True, help="只显示将要新建的文件内容，不写入。")(command)
    command = registry_option(command)
    command.__doc__ = (
        f"新建{KIND_LABELS[kind]}记录（new {kind}）。\n\n"
        "缺少的必填项在终端中逐项询问（中文提示）；不在终端中运行时（如脚本、CI），缺少必填项即报错并列出。"
        "编号自动取下一个，文件按 schema 的字段顺序写好并带编辑器提示行，写入前按 roster validate 的全部规则校验，"
        "不通过则不写入任何文件（退出码 1）。"
        + ("新建的人员状态为候选（candidate）。" if kind in ("expert", "supervisor") else "")
        + f"\n\n\b\n示例（Example）:\n{EXAMPLES[kind]}\n"
    )
    return click.command(kind, cls=ChineseCommand)(command)


def _metavar(spec: FieldSpec) -> str:
    return {"date": "YYYY-MM-DD", "month": "YYYY-MM", "integer": "1-5", "institution": "单位",
            "person": "编号", "draw": "编号"}.get(spec.value_type, "文字" if not spec.choices else "代码")


@click.group(cls=ChineseGroup)
def new() -> None:
    """新建记录（new record）：专家、社会监督员、单位、履职记录。

    \b
      roster new expert        新建专家（候选人）
      roster new supervisor    新建社会监督员（候选人）
      roster new institution   新建单位
      roster new conduct       新建履职记录（不良行为、缺席、评价、表扬、年度会议）

    \b
    示例（Example）:
      roster new expert                  （在终端中逐项填写）
      roster new institution --name 示例市第三人民医院 --type hospital
    """


for _kind in KINDS:
    new.add_command(_make(_kind))
