"""`roster draw …`: verifiable random draws (RFC 3797), each step one change to one file."""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..check.registry import Registry
from ..check.report import as_text
from ..check.validate import open_registry
from ..core.files import write_atomic
from ..core.findings import Finding
from ..core.timeutil import parse_date, today_beijing
from ..draw.entropy import find_source
from ..draw.model import EXCLUSION_LABELS, RESPONSE_LABELS, ROSTER_KIND, ROSTERS, DrawError
from ..draw.protocol import load_draw, respond, run, verify
from ..draw.record import render_record
from ..draw.rfc3797 import (
    ALGORITHMS,
    AlgorithmUnavailable,
    format_rfc_table,
    key_string,
    parse_sources,
    permutation,
)
from ..staff.documents import record_docx
from ..staff.draws import absence_record, new_request, save_draw
from ..staff.outputs import output_path
from .common import (
    EXIT_INVALID,
    EXIT_OK,
    ChineseCommand,
    ChineseGroup,
    Labelled,
    RosterError,
    registry_option,
    writes_registry,
)


@contextmanager
def _expected(where: str | None = None, record: Any = None) -> Iterator[None]:
    """Name the file and line (or the option) in the draw library's errors; the CLI maps them (common.py)."""
    try:
        yield
    except DrawError as e:
        if record is not None and e.path:
            line, _ = record.line(*e.path)
            raise DrawError(f"{record.display} 第 {line} 行：{e}") from None
        raise DrawError(f"{where}：{e}" if where else str(e)) from None
    except (ValueError, AlgorithmUnavailable) as e:
        raise RosterError(f"{where}：{e}" if where else str(e)) from None


def _registry(registry_dir: Path) -> Registry:
    if not registry_dir.is_dir():
        raise RosterError(f"找不到名册文件夹 {registry_dir}：请用 --registry 指定，或在项目根目录运行")
    return open_registry(registry_dir)


def _date_option(value: str | None, label: str) -> date:
    if value is None:
        with _expected():
            return today_beijing()
    try:
        return parse_date(value)
    except ValueError as e:
        raise RosterError(f"{label}有误：{e}") from None


@click.group(cls=ChineseGroup)
def draw() -> None:
    """随机抽取（verifiable random draws, RFC 3797）。

    每一步改动 registry/draws/ 下的一个文件，任何人都可以据此文件重新计算：

    \b
      roster draw new       建立抽取请求（冻结候选名单和排除名单）
      roster draw run       随机源公布后执行抽取
      roster draw respond   记录答复，婉拒或缺席时按顺序递补
      roster draw verify    重新计算并核验
      roster draw record    生成书面记录（存档用）
      roster draw chances   估计每名候选被抽中的机会（种子固定的模拟）
      roster draw rfc3797   按 RFC 3797 从名单中抽取（与 RFC 的表格逐行对照）
    """


# ---------------------------------------------------------------- rfc3797


@draw.command("rfc3797", cls=ChineseCommand)
@registry_option
@click.option("--pool", "pool_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="名单文件：UTF-8 文本，每行一个名字，顺序即 RFC 3797 中的位置（空行和 # 开头的行忽略）。")
@click.option("--source", "sources", multiple=True, required=True, metavar="数值",
              help="一个随机源的数值，按公布顺序每个来源写一次 --source；同一来源的多个数值用空格分开，“+”把一行分成几个来源（如双色球红球 + 蓝球）。")
@click.option("--count", type=int, default=None, help="抽取几个（默认：排出全部名单的顺序）。")
@click.option("--algorithm", type=click.Choice(sorted(ALGORITHMS)), default="rfc3797", show_default=True,
              help="rfc3797 为 RFC 原文（MD5）；rfc3797-sm3 为国密变体（SM3）。")
def rfc3797_command(registry_dir: Path, pool_file: Path, sources: tuple[str, ...], count: int | None,
                    algorithm: str) -> None:
    """按 RFC 3797 从名单中抽取，并打印与 RFC 第 6 节相同的表格。

    表格每行：序号、哈希值（十六进制）、尚未选出的人数、选中的位置和名字。
    RFC 3797 第 6 节的例子可逐行对照（见 tests/vectors/rfc3797-example.txt）。

    \b
    示例（Example）:
      roster draw rfc3797 --pool names.txt --source "9319" --source "2 5 12 8 10" \\
          --source "9 18 26 34 41 45" --count 16
    """
    pool = _read_pool(pool_file)
    with _expected():
        parts = [part for text in sources for part in parse_sources(text)]
        key = key_string(parts)
        if count is not None and not 0 <= count <= len(pool):
            raise DrawError(f"--count {count} 超出范围：名单共 {len(pool)} 个")
        steps = permutation(len(pool), key, algorithm, limit=count)
    click.echo(f"# Key string: {key}")
    click.echo(_header_comment(steps, algorithm))
    for line in format_rfc_table(steps, pool, algorithm).splitlines()[1:]:
        click.echo(line)


def _header_comment(steps: list[Any], algorithm: str) -> str:
    """The column names as the comment line of tests/vectors/rfc3797-example.txt writes them."""
    label = "SM3 (hex)" if algorithm == "rfc3797-sm3" else "MD5 (hex)"
    width = max((len(s.digest) for s in steps), default=32)
    div = max(2, *(len(str(s.div)) for s in steps)) if steps else 2
    return f"# index  {label:<{width}}   {'div':>{div + 1}}  selected"


def _read_pool(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RosterError(f"找不到名单文件 {path}") from None
    except UnicodeDecodeError:
        raise RosterError(f"名单文件 {path} 不是 UTF-8 编码：请另存为“UTF-8（无 BOM）”") from None
    pool = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    pool = [name for name in pool if name and not name.startswith("#")]
    if not pool:
        raise RosterError(f"名单文件 {path} 中没有名字：每行写一个名字")
    repeated = [name for name, n in Counter(pool).items() if n > 1]
    if repeated:
        raise RosterError(f"名单文件 {path} 中有重复的名字：{'、'.join(repeated)}（每个名字只能出现一次）")
    return pool


# ---------------------------------------------------------------- new


def _parse_quota(text: str, roster: str) -> dict[str, Any]:
    normalized = unicodedata.normalize("NFKC", text).strip()
    what, sep, count = normalized.rpartition(":")
    if not sep or not count.strip().isdigit() or int(count) < 1:
        raise RosterError(f"--quota “{text}” 格式不对：应为 类别:人数，例如 medical:3 或 medical/心血管内科:1")
    group, _, specialty = what.partition("/")
    key = "background" if roster == "supervisors" else "category"
    quota: dict[str, Any] = {key: group.strip()}
    if specialty.strip():
        quota["specialty"] = specialty.strip()
    quota["count"] = int(count)
    return quota


def _parse_source(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in unicodedata.normalize("NFKC", text).split(":")]
    if len(parts) not in (3, 4) or not all(parts):
        raise RosterError(f"--source “{text}” 格式不对：应为 类型:名称:公布日期，例如 ssq:中国福利彩票双色球第2026140期:2026-12-03；"
                          "目录之外的来源写 other:名称:公布日期:批准人")
    kind, name, public_on = parts[0], parts[1], parts[2]
    if len(parts) == 4 and kind != "other":
        raise RosterError(f"--source “{text}”：第四项只用于 other 来源的批准人；熵只取自随机源目录（sources.yaml），不能手填")
    if kind == "other" and len(parts) != 4:
        raise RosterError(f"--source “{text}”：目录之外的来源须写明批准人，格式 other:名称:公布日期:批准人")
    if kind != "other":
        with _expected("--source"):
            kind = next(k for k, s in _sources().items() if s is find_source(kind))
    source: dict[str, Any] = {"name": name, "kind": kind, "public_on": _date_option(public_on, "--source 的公布日期").isoformat()}
    if kind == "other":
        source["approved_by"] = parts[3]
    return source


def _sources() -> dict[str, Any]:
    from ..draw.entropy import load_sources

    return dict(load_sources())


@draw.command("new", cls=ChineseCommand)
@registry_option
@click.option("--roster", type=click.Choice(ROSTERS), default="experts", show_default=True,
              help="抽取对象：experts 专家、supervisors 社会监督员（晋宁办法第十二条（三））、institutions 定点医药机构（“双随机”）。")
@click.option("--purpose", required=True, help="用途，例如“2026年第四季度定点医疗机构专项检查专家组”。")
@click.option("--requested-by", required=True, help="申请科室。")
@click.option("--operator", required=True, help="抽取人。")
@click.option("--supervisor", required=True, help="监督人。")
@click.option("--activity-start", help="活动开始日期 YYYY-MM-DD。")
@click.option("--activity-end", help="活动结束日期 YYYY-MM-DD。")
@click.option("--subject", "subjects", multiple=True, metavar="单位编号", help="被检查单位编号（可写多次），据此计算回避。")
@click.option("--size", type=int, required=True, help="抽取人数。")
@click.option("--quota", "quotas", multiple=True, metavar="类别[/专业]:人数",
              help="名额，可写多次，合计等于人数，例如 medical:3、medical/心血管内科:1；社会监督员按背景，如 law:1；机构按 medical 或 pharmacy。")
@click.option("--max-per-institution", type=int, help="同一单位最多几人。")
@click.option("--max-per-legal-entity", type=int, help="同一法人单位最多几人。")
@click.option("--source", "sources", multiple=True, required=True, metavar="类型:名称:公布日期",
              help="事先指定的随机源（按使用顺序可写多次），类型见 tools/roster/draw/sources.yaml，例如 ssq:中国福利彩票双色球第2026140期:2026-12-03。")
@click.option("--publish", required=True, help="公开日期 YYYY-MM-DD（不早于活动结束）。")
@click.option("--exception-reason", help="人数为偶数或少于三人时的特殊理由。")
@click.option("--exception-reference", help="上述例外的批准文号。")
@click.option("--parent", help="补抽时原抽取的编号。")
@click.option("--parent-reason", help="补抽原因。")
@click.option("--algorithm", type=click.Choice(sorted(ALGORITHMS)), default="rfc3797", show_default=True,
              help="rfc3797（MD5，可用 IETF 参考程序核验）或 rfc3797-sm3（国密 SM3 变体）。")
@writes_registry
def new_command(registry_dir: Path, roster: str, **options: Any) -> None:
    """建立抽取请求：按名册计算并冻结候选名单和排除名单（回避、状态、聘期）。

    写入 registry/draws/<年>/D<年>-<序号>.yaml（序号自动取下一个）。请求无法满足
    （名额或单位上限凑不齐）、随机源熵不够、被检查单位不存在时拒绝，不写任何文件。
    随机源必须在其数值公布之前指定。

    \b
    示例（Example）:
      roster draw new --purpose "2026年第四季度专项检查专家组" --requested-by 基金监管科 \\
          --operator 王抽取 --supervisor 李监督 --activity-start 2027-01-11 --activity-end 2027-01-15 \\
          --subject I0003 --size 5 --quota medical:3 --quota finance:1 --quota policy:1 \\
          --max-per-institution 1 --source "ssq:中国福利彩票双色球第2026148期:2026-12-22" \\
          --source "dlt:体彩超级大乐透第26148期:2026-12-22" --publish 2027-01-31
    """
    registry = _registry(registry_dir)
    fields = _request_fields(roster, options)
    with _expected():
        created = new_request(registry, fields, roster=roster, algorithm=options["algorithm"])
    data, pool = created.data, created.pool
    counts = Counter(e.kind for e in pool.exclusions)
    excluded = "、".join(f"{label} {counts[k]}" for k, label in EXCLUSION_LABELS.items() if counts[k])
    click.echo(f"已建立抽取请求 {data['id']}：{_shown(created.path)}")
    click.echo(f"  候选 {len(pool.candidates)} 个；排除 {len(pool.exclusions)} 个{f'（{excluded}）' if excluded else ''}")
    click.echo(f"  承诺值：{data['commitment']}")
    for token in created.tokens:
        click.echo(f"  时间戳令牌：{_shown(token)}")
    for message in created.warnings:
        click.echo(f"警告：{message}", err=True)
    values = " ".join('--value "…"' for _ in data["request"]["sources"])
    click.echo(f"  随机源全部公布后执行：roster draw run {data['id']} {values}")


def _request_fields(roster: str, options: dict[str, Any]) -> dict[str, Any]:
    requested = _date_option(None, "请求日期")  # today (Beijing): a typed date would be evidence of nothing
    fields: dict[str, Any] = {
        "purpose": options["purpose"], "requested_by": options["requested_by"], "operator": options["operator"],
        "supervisor": options["supervisor"], "requested": requested.isoformat(),
    }
    start, end = options["activity_start"], options["activity_end"]
    if (start is None) != (end is None):
        raise RosterError("--activity-start 和 --activity-end 须同时给出")
    if start is not None:
        fields["activity"] = {"start": _date_option(start, "--activity-start").isoformat(),
                              "end": _date_option(end, "--activity-end").isoformat()}
    fields["subjects"] = list(dict.fromkeys(options["subjects"]))
    fields["size"] = options["size"]
    fields["quotas"] = [_parse_quota(q, roster) for q in options["quotas"]]
    for name in ("max_per_institution", "max_per_legal_entity"):
        if options[name] is not None and options[name] < 1:
            raise RosterError(f"--{name.replace('_', '-')} 须为正整数")
        fields[name] = options[name]
    if options["size"] < 1:
        raise RosterError("--size 须为正整数")
    if bool(options["exception_reason"]) != bool(options["exception_reference"]):
        raise RosterError("--exception-reason 和 --exception-reference 须同时给出（理由和批准文号）")
    if options["exception_reason"]:
        fields["exception"] = {"reason": options["exception_reason"], "reference": options["exception_reference"]}
    fields["sources"] = [_parse_source(s) for s in options["sources"]]
    fields["publish"] = _date_option(options["publish"], "--publish").isoformat()
    if options["parent"]:
        fields["parent"] = options["parent"]
        fields["parent_reason"] = options["parent_reason"]
    elif options["parent_reason"]:
        raise RosterError("--parent-reason 只用于补抽，须同时给出 --parent")
    return fields


def _shown(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- run


@draw.command("run", cls=ChineseCommand)
@registry_option
@click.argument("draw_id", metavar="编号")
@click.option("--value", "values", multiple=True, required=True, metavar="数值",
              help="随机源公布的数值，按请求中随机源的顺序每个写一次，例如双色球“03 09 15 21 27 33 + 08”。")
@click.option("--date", "day", help="执行日期 YYYY-MM-DD（默认：今天，北京时间）；不得早于任何随机源的公布日期。")
@writes_registry
def run_command(registry_dir: Path, draw_id: str, values: tuple[str, ...], day: str | None) -> None:
    """随机源公布后执行抽取：写入数值、密钥串、完整顺序、抽中名单和替补顺序。

    结果一经写入不得修改。

    \b
    示例（Example）:
      roster draw run D2026-001 --value "03 09 15 21 27 33 + 08" --value "02 11 19 27 33 + 04 10"
    """
    registry = _registry(registry_dir)
    with _expected():
        record = load_draw(registry, draw_id)
    when = _date_option(day, "--date")
    with _expected(record=record):
        updated = run(record.data, list(values), when)
        save_draw(record.path, updated, registry=registry)
    result = updated["result"]
    names = _names(registry, updated)
    click.echo(f"已执行抽取 {draw_id}（{updated['algorithm']}）：{record.display}")
    click.echo(f"  密钥串：{result['key']}")
    click.echo(f"  抽中 {len(result['panel'])} 个：{'、'.join(names(c) for c in result['panel'])}")
    click.echo(f"  替补顺序 {len(result['replacements'])} 个，前五个：{'、'.join(result['replacements'][:5]) or '（无）'}")


def _names(registry: Registry, data: dict[str, Any]) -> Callable[[str], str]:
    records = registry.by_id(ROSTER_KIND[data.get("roster", "experts")])

    def name(ident: str) -> str:
        record = records.get(ident)
        return f"{ident} {record.data.get('name')}" if record and record.data.get("name") else ident

    return name


# ---------------------------------------------------------------- respond


@draw.command("respond", cls=ChineseCommand)
@registry_option
@click.argument("draw_id", metavar="编号")
@click.argument("person", metavar="人员编号")
@click.argument("response", type=Labelled({**RESPONSE_LABELS, "absent": "缺席"}), metavar="同意参加|婉拒|缺席")
@click.option("--reason", help="婉拒或缺席的文字说明（不公开）。")
@click.option("--reason-code", help="婉拒或缺席时必填的原因代码（公开），见 tools/roster/draw/responses.yaml，例如 schedule、unexcused。")
@click.option("--recorded-by", help="婉拒或缺席时必填：记录这条答复的工作人员。")
@click.option("--date", "day", help="答复日期 YYYY-MM-DD（默认：今天，北京时间）。")
@writes_registry
def respond_command(registry_dir: Path, draw_id: str, person: str, response: str, reason: str | None,
                    reason_code: str | None, recorded_by: str | None, day: str | None) -> None:
    """记录抽中者的答复（只追加）：accepted 同意、declined 婉拒、absent 缺席或未答复。

    婉拒或缺席的名额，由抽取顺序中下一位符合条件的候选递补（不得跳过任何人），
    记为 replaced_by；替补顺序用尽时提示建立补抽请求。

    \b
    示例（Example）:
      roster draw respond D2026-001 E0040 婉拒 --reason-code schedule --recorded-by 王抽取 \\
          --reason "出差，无法参加"

    缺席（absent）还须在 registry/conduct/ 建立对应的履职记录（kind: absence，draw 写本编号）。
    """
    registry = _registry(registry_dir)
    with _expected():
        record = load_draw(registry, draw_id)
    when = _date_option(day, "--date")
    with _expected(record=record):
        outcome = respond(record.data, person, response, reason, when, reason_code, recorded_by)
        absence = [absence_record(registry, draw_id, person, when, reason_code)] if response == "absent" else []
        save_draw(record.path, outcome.data, registry=registry, also=absence)
    name = _names(registry, outcome.data)
    label = RESPONSE_LABELS[response]
    if response == "accepted":
        click.echo(f"已记录：{name(person)} {label}。")
    elif outcome.replaced_by:
        click.echo(f"已记录：{name(person)} {label}；按抽取顺序由 {name(outcome.replaced_by)} 递补。")
    else:
        click.echo(f"已记录：{name(person)} {label}；替补顺序中已没有符合条件的人。")
        click.echo(f"请建立补抽请求：roster draw new --parent {draw_id} --parent-reason \"替补顺序已用尽\" …（其余选项同原请求）")
    for path, _ in absence:
        click.echo(f"已建立缺席的履职记录 {path.stem}（{path.relative_to(registry.root.parent).as_posix()}），政策据此统计缺席次数。")


# ---------------------------------------------------------------- chances


@draw.command("chances", cls=ChineseCommand)
@registry_option
@click.argument("draw_id", metavar="编号")
@click.option("--runs", type=click.IntRange(min=1), default=10_000, show_default=True, help="模拟的随机顺序个数。")
@click.option("--seed", type=int, default=3797, show_default=True, help="模拟所用的种子（公布后任何人可以重现）。")
def chances_command(registry_dir: Path, draw_id: str, runs: int, seed: int) -> None:
    """估计每名候选被抽中的机会：用种子固定的模拟，对许多随机顺序按同一规则逐一检查。

    RFC 3797 使候选的每种顺序机会均等；名额、单位上限和余额检查会使各人被抽中的机会不同
    （例如某类别只有一人时，他一定被抽中）。本命令只读抽取记录，不改动任何文件，结果可以公布。

    \b
    示例（Example）:
      roster draw chances D2026-001 --runs 20000 --seed 3797
    """
    from ..draw.chances import estimate
    from ..draw.model import members_of, parse_request

    registry = _registry(registry_dir)
    with _expected():
        record = load_draw(registry, draw_id)
    with _expected(record=record):
        request = parse_request(record.data)
        members = members_of(record.data, request)
        found = estimate(list(record.data.get("candidates") or []), members, request.panel_request(), runs, seed)
    click.echo(f"# {draw_id}：{len(found)} 名候选，抽取 {request.size} 人；模拟 {runs} 个随机顺序，种子 {seed}")
    click.echo("编号\t名额组\t被抽中的机会\t95% 区间")
    for chance in found:
        group = members[chance.candidate].group or "全部"
        click.echo(f"{chance.candidate}\t{group}\t{chance.share:.2%}\t±{chance.margin:.2%}")


# ---------------------------------------------------------------- verify


@draw.command("verify", cls=ChineseCommand)
@registry_option
@click.argument("draw_ids", nargs=-1, metavar="[编号…]")
def verify_command(registry_dir: Path, draw_ids: tuple[str, ...]) -> None:
    """只凭抽取记录文件重新计算并核验：密钥串、完整顺序、抽中名单、替补顺序、递补和熵。

    不写编号时核验全部抽取记录。退出码：0 全部通过，1 有错误。

    \b
    示例（Example）:
      roster draw verify
      roster draw verify D2026-001 D2026-002
    """
    registry = _registry(registry_dir)
    with _expected():
        records = [load_draw(registry, i) for i in draw_ids] if draw_ids else \
            sorted(registry.of_kind("draw"), key=lambda r: str(r.id))
    findings: list[Finding] = []
    for record in records:
        if record.problems or record.document is None:
            findings += [Finding(record.display, p.line, p.col, "error", p.rule, p.message, record.id) for p in record.problems]
            continue
        found = verify(record, registry)
        findings += found
        errors = sum(f.is_error for f in found)
        click.echo(f"{record.id}：{'核验通过' if not errors else f'未通过（{errors} 个错误）'}")
    if findings:
        click.echo(as_text(sorted(findings), len(records)))
    elif not records:
        click.echo("没有抽取记录。")
    sys.exit(EXIT_INVALID if any(f.is_error for f in findings) else EXIT_OK)


# ---------------------------------------------------------------- record


@draw.command("record", cls=ChineseCommand)
@registry_option
@click.argument("draw_id", metavar="编号")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "docx"]), default="markdown", show_default=True,
              help="输出格式：markdown、可打印的 html，或 Word 文档 docx（须用 --out）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="写入文件（仓库以外；默认：打印到屏幕）。")
def record_command(registry_dir: Path, draw_id: str, fmt: str, out: Path | None) -> None:
    """生成抽取的书面记录（西藏办法第十三条）：抽取时间和地点、全部输入、候选名单、按类别的排除名单、
    密钥串、抽中名单（单位、类别）、替补顺序、答复和递补时跳过的人员及原因，抽取人、监督人、记录人、
    科室负责人签字栏，以及核验方法。

    书面记录含姓名和回避原因，仅供存档，不得公开：只能写到仓库以外。

    \b
    示例（Example）:
      roster draw record D2026-001 --format docx --out ~/D2026-001书面记录.docx
    """
    if out is not None:  # names and recusals, embargoed: never inside the repository (nor docs/, the site's source)
        out = output_path(registry_dir, out, "书面记录", f"~/{draw_id}.docx")
    elif fmt == "docx":
        raise RosterError(f"Word 文档须用 --out 指定文件（仓库以外），例如 --out ~/{draw_id}书面记录.docx")
    registry = _registry(registry_dir)
    with _expected():
        record = load_draw(registry, draw_id)
    with _expected(record=record):
        content: str | bytes = record_docx(record.data, registry) if fmt == "docx" else render_record(record.data, registry, fmt)
    if out is None:
        click.echo(content, nl=False)
        return
    try:
        write_atomic(out, content if isinstance(content, bytes) else content.encode("utf-8"))
    except OSError as e:
        raise RosterError(f"无法写入 {out}：{e}") from None
    click.echo(f"已写入书面记录：{out}")
