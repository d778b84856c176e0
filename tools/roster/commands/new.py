"""`roster new expert|supervisor|institution|conduct`: a new record, asked for in Chinese or given as options."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..core.findings import Finding
from ..staff.changeset import InvalidChange
from ..staff.declarations import ANSWERS
from ..staff.scaffold import KIND_LABELS, KINDS, Draft, FieldSpec, Scaffold, field_specs
from ..staff.staffdata import parse_day
from ..yamlio.load import LoadError, load_bytes
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
  roster new expert --name 张三 --gender 男 --birth 1975-06 --category 医药类 \\
      --specialty 心血管内科 --employer 示例市人民医院 --education 硕士研究生 \\
      --title 主任医师 --title-level 正高级 --title-since 2015-12 --work-start 1998-07 \\
      --civil-servant 否 --declarations-signed 2026-12-01 --healthy 承诺书 \\
      --no-criminal-record 承诺书 --no-admin-penalty 承诺书 --never-disqualified 承诺书 \\
      --route 主动邀请 --consent-date 2026-12-01 --consent-reference 示医保专家同意书〔2026〕05号""",
    "supervisor": """\
  roster new supervisor --name 李四 --gender 女 --birth 1970-03 --route 公开选聘 \\
      --background 法律 --pledge-signed 2026-12-01 --claim I0011 --claim I0018""",
    "institution": """\
  roster new institution --name 示例市第三人民医院 --alias 市三院 --type 医院 \\
      --level 二级甲等 --designated 定点医疗机构 --designated-since 2020-01-01""",
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
    explanation = re.sub(r"写 true 或 false。?", "", spec.help)
    text = spec.label + (f"：{explanation}" if explanation and explanation != spec.label else "")
    if spec.choices and spec.value_type == "choice":
        text = f"{spec.label}：可选 {spec.choice_text()}，写中文名称或代码均可。"
    if spec.value_type == "bool":
        text += "写 是 或 否。"
    if spec.value_type == "declaration":
        text = text.rstrip("。") + (f"。写 {ANSWERS}（是＝来自申请表，只限申请表载有的项；承诺书＝本人另行书面承诺；审查＝医保部门资格审查（贵阳规定称审核）核实）；"
                 "政策预设要求此项时必填。")
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
        text += "（" + "、".join(name for _, name in spec.choices) + "）"
    if spec.multiple:
        text += "（多项用顿号或逗号分隔）"
    if spec.value_type == "bool":
        text += "（是/否）"
    return text


class _NoMoreAnswers(Exception):
    """Standard input ended before every question was answered."""


def _answer(spec: FieldSpec, asked: str | None = None) -> str:
    """One answer: typed on a terminal, or the next line of piped standard input (echoed after its question)."""
    question = asked or _prompt_text(spec)
    if _interactive():
        return str(click.prompt(question, type=str, prompt_suffix="："))
    try:
        line = sys.stdin.readline()
    except OSError:  # no standard input at all
        line = ""
    if not line:
        raise _NoMoreAnswers
    click.echo(f"{question}：{line.rstrip()}")
    return line.rstrip("\r\n")


def _ask(scaffold: Scaffold, values: dict[tuple[str, ...], Any]) -> None:
    """Ask, one by one, for every required answer still missing (re-asking after a bad answer)."""
    while True:
        missing = scaffold.missing(values)
        if not missing:
            return
        spec = missing[0]
        while True:
            try:
                values[spec.path] = scaffold.parse(spec, _answer(spec, scaffold.question(spec)))
                break
            except ValueError as exc:
                click.echo(f"  {exc}，请重新输入。", err=True)


def _blamed(draft: Draft, findings: list[Finding], specs: tuple[FieldSpec, ...],
            values: dict[tuple[str, ...], Any]) -> list[tuple[FieldSpec, Finding]]:
    """The answers an error of the new record points at (by the line the error is reported on)."""
    positions = load_bytes(draft.text.encode("utf-8"), eager_positions=True).positions
    by_line = {positions[s.path][0]: s for s in specs if s.path in values and s.path in positions}
    mine = [f for f in findings if Path(f.path).resolve() == draft.path.resolve()]
    return [(by_line[f.line], f) for f in mine if f.line in by_line]


def _answers_file(path: Path | None, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """Answers from a YAML file: option name (name, title-level…) or Chinese name (姓名…) → value."""
    if path is None:
        return {}
    try:
        data = load_bytes(path.read_bytes()).data
    except OSError:
        raise RosterError(f"无法读取答案文件 {path}") from None
    except LoadError as exc:
        first = exc.problems[0]
        raise RosterError(f"{path}:{first.line}:{first.col}: {first.message}") from None
    if not isinstance(data, dict):
        raise RosterError(f"答案文件 {path} 应为若干“选项名: 值”，例如 name: 张三")
    keys = {s.option: s for s in specs} | {s.label: s for s in specs}
    unknown = [k for k in data if k not in keys]
    if unknown:
        names = "、".join(s.option for s in specs)
        raise RosterError(f"答案文件 {path} 中有不认识的项“{unknown[0]}”：可用的项为 {names}（或其中文名称）")
    return {keys[k].option.replace("-", "_"): ([str(x) for x in v] if isinstance(v, list) else str(v))
            for k, v in data.items()}


def _make(kind: str) -> click.Command:
    specs = field_specs(kind)

    @writes_registry
    def run(registry_dir: Path, dry_run: bool, answers: Path | None, **raw: Any) -> None:
        on = raw.pop("registration_date", None)
        from_file = _answers_file(answers, specs)
        with expected():
            scaffold = Scaffold(registry_dir, kind, today())
            day = parse_day(on, "--date") if on else None
            if day is not None and day > scaffold.today:
                raise RosterError(f"--date {day.isoformat()} 晚于今天（北京时间 {scaffold.today.isoformat()}）：只能登记已经发生的事")
            values: dict[tuple[str, ...], Any] = {}
            for spec in specs:
                key = spec.option.replace("-", "_")
                given = raw.get(key) if raw.get(key) not in (None, ()) else from_file.get(key)
                if given is None or given == ():
                    continue
                try:
                    values[spec.path] = scaffold.parse(spec, given)
                except ValueError as exc:
                    raise RosterError(f"--{spec.option} 有误：{exc}") from None
            asking = bool(scaffold.missing(values))
            while True:
                try:
                    _ask(scaffold, values)
                except _NoMoreAnswers:
                    names = "、".join(f"--{s.option}（{s.label}）" for s in scaffold.missing(values))
                    raise UsageProblem(f"缺少必填项：{names}：请用选项或 --answers 答案文件写明，或在终端中运行本命令逐项填写") from None
                draft = scaffold.build(values, on=day)
                try:
                    created = scaffold.create(draft, dry_run=dry_run)
                    break
                except InvalidChange as exc:
                    blamed = _blamed(draft, exc.findings, specs, values) if asking else []
                    if not blamed:
                        raise
                    for spec, finding in blamed:  # keep every other answer and ask this one again
                        cite = f"（依据：{finding.citation}）" if finding.citation else ""
                        click.echo(f"  {spec.label}：{finding.message}{cite}，请重新输入。", err=True)
                        values.pop(spec.path, None)
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
            metavar="是|否" if spec.value_type == "bool" else "是|承诺书|审查|否" if spec.value_type == "declaration" else _metavar(spec),
        )(command)
    if kind in ("expert", "supervisor"):
        command = click.option("--date", "registration_date", metavar="YYYY-MM-DD",
                               help="登记为候选人的日期（写入状态记录），默认今天（北京时间）。")(command)
    command = click.option("--dry-run", is_flag=True, help="只显示将要新建的文件内容，不写入。")(command)
    command = click.option("--answers", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
                           help="从 YAML 文件读取答案（每行“选项名: 值”，如 name: 张三；也可用中文名称，如 姓名: 张三）；"
                                "命令行上的选项优先。")(command)
    command = registry_option(command)
    command.__doc__ = (
        f"新建{KIND_LABELS[kind]}记录（new {kind}）。\n\n"
        "缺少的必填项在终端中逐项询问（中文提示），答错的当场重新询问；也可以用管道从标准输入逐行给出答案"
        "（按询问的先后，一行一个），或用 --answers 答案文件。答案用完仍缺必填项时报错并列出。"
        "写入前校验不通过时，在终端中重新询问出错的那一项，其余答案保留。"
        "编号自动取下一个，文件按 schema 的字段顺序写好并带编辑器提示行，写入前按 roster validate 的全部规则校验，"
        "不通过则不写入任何文件（退出码 1）。"
        + ("新建的人员状态为候选（candidate）。" if kind in ("expert", "supervisor") else "")
        + f"\n\n\b\n示例（Example）:\n{EXAMPLES[kind]}\n"
    )
    return click.command(kind, cls=ChineseCommand)(command)


def _metavar(spec: FieldSpec) -> str:
    return {"date": "YYYY-MM-DD", "month": "YYYY-MM", "integer": "1-5", "institution": "单位",
            "person": "编号", "draw": "编号"}.get(spec.value_type, "文字" if not spec.choices else "选项")


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
      roster new institution --name 示例市第三人民医院 --type 医院
    """


for _kind in KINDS:
    new.add_command(_make(_kind))
