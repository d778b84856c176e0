"""The written record of a draw (书面记录, XZ 第十三条) as Markdown or HTML, for the file — internal.

It holds names and the reasons for exclusions, so it is printed and filed, not published; the
public site shows the counts of exclusions by kind only.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ..check.registry import Registry
from ..core.document import Document
from .entropy import required_bits
from .model import (
    EXCLUSION_LABELS,
    RESPONSE_LABELS,
    ROSTER_KIND,
    ROSTER_LABELS,
    clause,
    parse_request,
    policy_of,
    reason_codes,
)
from .protocol import entropy_verdict, replay, source_bits

__all__ = ["record_document", "render_record"]

ALGORITHM_LABELS = {"rfc3797": "RFC 3797（MD5）", "rfc3797-sm3": "RFC 3797 国密变体（SM3）"}


def render_record(data: Mapping[str, Any], registry: Registry, fmt: str = "markdown") -> str:
    doc = record_document(data, registry)
    return _html(doc) if fmt == "html" else _markdown(doc)


def _names(registry: Registry, roster: str) -> dict[str, str]:
    return {k: str(r.data.get("name", k)) for k, r in registry.by_id(ROSTER_KIND[roster]).items()}


def record_document(data: Mapping[str, Any], registry: Registry) -> Document:
    request = parse_request(data)
    raw = data.get("request") or {}
    roster = request.roster
    settings = registry.settings.data if registry.settings else None
    policy = policy_of(roster, settings)
    bureau = ((settings or {}).get("bureau") or {}).get("name", "")
    names = _names(registry, roster)
    units = _names(registry, "institutions")

    def who(ident: str | None) -> str:
        return f"{ident} {names.get(ident or '', '')}".strip() if ident else "—"

    def unit(ident: str | None) -> str:
        return f"{ident} {units.get(ident or '', '')}".strip() if ident else "—"

    doc = Document(f"{bureau}随机抽取书面记录 {data.get('id')}")
    doc.p(f"依据：{clause(policy, 'record')}。本记录含人员姓名和回避原因，仅供存档，不对外公开；"
          f"公开网站只公布抽中名单、候选名单、随机源、密钥串和各类排除的人数。")
    doc.h("一、抽取请求")
    activity = f"{request.activity_start} 至 {request.activity_end}" if request.has_activity else "—"
    quotas = "；".join(f"{q.label} {q.count} 人" for q in request.quotas) or "不分组"
    doc.table(["项目", "内容"], [
        ["抽取编号", data.get("id")], ["抽取对象", ROSTER_LABELS[roster]], ["用途", raw.get("purpose")],
        ["申请科室", raw.get("requested_by")], ["抽取人", raw.get("operator")], ["监督人", raw.get("supervisor")],
        ["请求日期", request.requested], ["活动时间", activity],
        ["被检查单位", "、".join(unit(s) for s in request.subjects) or "—"],
        ["抽取人数", request.size], ["名额分配", quotas],
        ["同一单位上限", request.max_per_institution or "不限"], ["同一法人单位上限", request.max_per_legal_entity or "不限"],
        *([["同一专业", "同一单位、同一专业至多 1 人（不同专业可以来自同一单位）"]] if request.distinct_specialty else []),
        ["人数例外", _exception(raw)], ["算法", ALGORITHM_LABELS.get(request.algorithm, request.algorithm)],
        ["公开日期", request.publish],
        ["抽取时间", f"{(data.get('result') or {}).get('run', '')}　____时____分".strip()],
        ["抽取地点", str(raw.get("place") or "________________________")],
        ["补抽", f"原抽取 {request.parent}，原因：{raw.get('parent_reason')}" if request.parent else "否"],
        *([["原抽取在任人员", _seated(raw, names, unit)]] if raw.get("parent_members") else []),
    ])
    doc.h("二、事先指定的随机源")
    result = data.get("result") or {}
    values = result.get("values") or []
    doc.table(["序号", "随机源", "类型", "公布日期", "熵（位）", "公布的数值"], [
        [n + 1, s.name, s.kind, s.public_on, f"{source_bits(s):.1f}", values[n] if n < len(values) else "（尚未公布）"]
        for n, s in enumerate(request.sources)])
    candidates = list(data.get("candidates") or [])
    have = sum(source_bits(s) for s in request.sources)
    if request.size <= len(candidates):
        need = required_bits(len(candidates), request.size)
        verdict = entropy_verdict(request, len(candidates))
        note = f"；{verdict[1]}" if verdict else ""
        doc.p(f"随机源的熵合计 {have:.1f} 位；从 {len(candidates)} 名候选中抽取 {request.size} 名需要 {need:.1f} 位"
              f"（RFC 3797 第 3.3 节）{note}。")
    doc.h(f"三、候选名单（{len(candidates)} 人，按编号排序，即 RFC 3797 的位置）")
    facts = data.get("candidate_facts") or {}
    doc.table(["位置", "编号", "姓名", "名额组", "单位", "法人单位"], [
        [n + 1, c, names.get(c, ""), request.group_of((facts.get(c) or {}).get("quota")) if request.quotas else "—",
         unit((facts.get(c) or {}).get("institution")), unit((facts.get(c) or {}).get("legal_entity"))]
        for n, c in enumerate(candidates)])
    _exclusions(doc, data, who)
    def fact(ident: str, key: str) -> str:
        value = (facts.get(ident) or {}).get(key)
        if key == "quota":
            return request.group_of(value) if request.quotas else "—"
        return unit(value)

    if result:
        _result(doc, data, who, fact)
    doc.h("七、签字")
    doc.blocks.append(("sign", [f"抽取人：{raw.get('operator')}", f"监督人：{raw.get('supervisor')}",
                                "记录人：____________", f"科室负责人（{raw.get('requested_by') or '申请科室'}）：____________"]))
    doc.h("八、如何核验")
    doc.p("任何人都可以只凭本记录重新计算：① 把各随机源公布的数值按 RFC 3797 第 4 节写成密钥串（同一来源的数值从小到大，"
          "每个数值后加“.”，每个来源后加“/”）；② 对 i = 0, 1, 2, …，计算 MD5（国密变体为 SM3）"
          "（两字节 i ‖ 密钥串 ‖ 两字节 i），看作大整数除以尚未选出的人数取余数 r，选出尚未选出者中的第 r+1 位，"
          "得到候选名单的完整顺序；③ 按顺序逐一检查：名额未满、单位和法人单位未达上限，且选了此人之后其余名额仍能由"
          "排在后面的人补齐的入选，其余跳过。算法的完整说明见 docs/draw-algorithm.md。用本工具核验："
          f"roster draw verify {data.get('id')}；纯 RFC 3797 部分也可用 IETF 参考程序或 roster draw rfc3797 核对。")
    return doc


def _exception(raw: Mapping[str, Any]) -> str:
    exception = raw.get("exception")
    if not exception:
        return "无"
    return f"{exception.get('reason')}（{exception.get('reference')}）"


def _exclusions(doc: Document, data: Mapping[str, Any], who: Any) -> None:
    exclusions = data.get("exclusions") or []
    counts = Counter(e.get("kind") for e in exclusions)
    doc.h(f"四、排除名单（{len(exclusions)} 人）")
    if not exclusions:
        doc.p("无。")
        return
    doc.p("各类人数：" + "；".join(f"{EXCLUSION_LABELS.get(k, k)} {n} 人" for k, n in sorted(counts.items())) + "。")
    for kind in sorted(counts):
        rows = [[who(e.get("id")), _chinese(str(e.get("detail", ""))), e.get("clause", "")] for e in exclusions if e.get("kind") == kind]
        doc.p(f"**{EXCLUSION_LABELS.get(kind, kind)}**")
        doc.table(["人员", "情况", "依据"], rows)


def _result(doc: Document, data: Mapping[str, Any], who: Any, fact: Any) -> None:
    result = data["result"]
    state = replay(data)
    doc.h("五、抽取结果")
    doc.table(["项目", "内容"], [["抽取日期", result.get("run")], ["密钥串", result.get("key")],
                                ["核验", "与按本记录重新计算的结果一致" if state.key == result.get("key")
                                 and state.panel == result.get("panel") else "与重新计算的结果不一致，请核查"]])
    doc.p("抽中名单（按抽取顺序）：")
    order = list(result.get("order") or [])
    doc.table(["序", "人员", "类别（名额组）", "工作单位", "在完整顺序中的位置"], [
        [n + 1, who(c), fact(c, "quota"), fact(c, "institution"), order.index(c) + 1 if c in order else "—"]
        for n, c in enumerate(result.get("panel") or [])])
    replacements = list(result.get("replacements") or [])
    doc.p(f"替补顺序（{len(replacements)} 人，婉拒或缺席时按此顺序由第一位符合条件的人递补）："
          + "、".join(replacements) + "。")
    doc.h("六、答复与递补")
    responses = data.get("responses") or []
    if not responses:
        doc.p("尚无答复。")
    else:
        codes = reason_codes()
        doc.table(["日期", "人员", "答复", "原因", "递补", "原因代码", "记录人", "递补时跳过的人员及原因"], [
            [r.get("date"), who(r.get("id")), RESPONSE_LABELS.get(r.get("response"), r.get("response")),
             r.get("reason", ""), who(r.get("replaced_by")) if r.get("replaced_by") else
             ("—" if r.get("response") == "accepted" else "无人可递补（应补抽）"),
             codes.get(str(r.get("response")), {}).get(str(r.get("reason_code")), "—"), r.get("recorded_by", "—"), skipped]
            for r, skipped in zip(responses, _skipped(data, who, fact), strict=True)])
    doc.p("当前名单：" + "、".join(who(c) for c in state.current) + "。")


def _skipped(data: Mapping[str, Any], who: Any, fact: Any) -> list[str]:
    """For each response: the candidates passed over in the replacement order before the one who filled
    the place, with the reason read from the candidate facts (another quota group, unit or legal entity
    already at its limit) — so the written record shows the replacement was not a choice."""
    request = parse_request(data)
    result = data.get("result") or {}
    facts = data.get("candidate_facts") or {}
    order = list(result.get("replacements") or [])
    current = list(result.get("panel") or [])
    used: set[str] = set()
    said = []
    for response in data.get("responses") or []:
        person, chosen = response.get("id"), response.get("replaced_by")
        if response.get("response") == "accepted" or person not in current:
            said.append("—")
            continue
        used.add(person)
        staying = [c for c in current if c != person]
        passed = [c for c in order[: order.index(chosen)] if c not in used and c not in current] if chosen in order else []
        reasons = [f"{who(c)}（{_why_skipped(c, person, staying, facts, request, fact)}）" for c in passed]
        said.append("；".join(reasons) or "无")
        current[current.index(person)] = chosen if chosen else person
        if chosen:
            used.add(chosen)
    return said


def _why_skipped(candidate: str, declined: str, staying: list[str], facts: Mapping[str, Any], request: Any, fact: Any) -> str:
    mine, theirs = facts.get(candidate) or {}, facts.get(declined) or {}
    if request.quotas and request.group_of(mine.get("quota")) != request.group_of(theirs.get("quota")):
        return f"属{fact(candidate, 'quota')}，空出的是{fact(declined, 'quota')}名额"
    for key, limit, what in (("institution", request.max_per_institution, "同一单位"),
                             ("legal_entity", request.max_per_legal_entity, "同一法人单位")):
        same = sum(1 for c in staying if (facts.get(c) or {}).get(key) == mine.get(key))
        if limit and same >= limit:
            return f"{what}已有 {same} 人，达到上限 {limit} 人"
    if request.distinct_specialty and mine.get("specialty"):
        shared = [s for c in staying if (facts.get(c) or {}).get("institution") == mine.get("institution")
                  for s in _specialties(facts.get(c) or {}) if s in _specialties(mine)]
        if shared:
            return f"同一单位已有{shared[0]}专业的专家"
    return "选入后其余名额无法补齐"


def _specialties(fact: Mapping[str, Any]) -> list[str]:
    value = fact.get("specialty")
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


_CODE = re.compile(r"\b[a-z][a-z_]+\b")


def _chinese(text: str) -> str:
    """Codes frozen in a draw file (状态为 expired, spouse_employed) shown with their Chinese names."""
    names = _code_names()
    shown = _CODE.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    return re.sub(r"([\u4e00-\u9fff]+)（\1）", r"\1", shown)  # “在库（active）” would read “在库（在库）”


@cache
def _code_names() -> dict[str, str]:
    from ..check.schemas import SchemaSet
    from ..policies.presets import labels

    names = {f"{code}": f"{name}" for code, name in labels()["statuses"].items()}
    relation = SchemaSet().node_at("expert", ("conflicts", 0, "relation"))
    names.update(dict(re.findall(r"([a-z_]+) ([^、。]+)", str(relation.get("description", "")))))
    return names


# ---------------------------------------------------------------- renderers


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    for block in doc.blocks:
        if block[0] == "h":
            lines += [f"## {block[1]}", ""]
        elif block[0] == "p":
            lines += [block[1], ""]
        elif block[0] == "table":
            header, rows = block[1], block[2]
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
        elif block[0] == "sign":
            lines += [f"{name}　　签字：________________　　日期：________________" for name in block[1]]
            lines.append("")
    return "\n".join(lines)


_STYLE = ("body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:2em;}"
          "table{border-collapse:collapse;margin:.5em 0 1em;}td,th{border:1px solid #888;padding:.2em .5em;"
          "vertical-align:top;}th{background:#eee;}.sign{margin:2em 0;}@media print{body{margin:1cm;}}")


def _html(doc: Document) -> str:
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(doc.title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           f"<h1>{html.escape(doc.title)}</h1>"]
    for block in doc.blocks:
        if block[0] == "h":
            out.append(f"<h2>{html.escape(block[1])}</h2>")
        elif block[0] == "p":
            text = html.escape(block[1])
            if text.startswith("**") and text.endswith("**"):
                text = f"<strong>{text[2:-2]}</strong>"
            out.append(f"<p>{text}</p>")
        elif block[0] == "table":
            out.append("<table>")
            out.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in block[1]) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block[2]]
            out.append("</table>")
        elif block[0] == "sign":
            out += [f'<p class="sign">{html.escape(name)}　　签字：________________　　日期：________________</p>'
                    for name in block[1]]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _seated(raw: Mapping[str, Any], names: Mapping[str, str], unit: Callable[[Any], str]) -> str:
    """The parent draw's serving members frozen into a 补抽, counted against its limits from the start."""
    members = [m for m in raw.get("parent_members") or [] if isinstance(m, dict)]
    listed = "；".join(f"{m.get('id')} {names.get(str(m.get('id')), '')}（{unit(m.get('institution'))}）".replace(" （", "（")
                      for m in members)
    return f"{listed}：计入本次补抽的单位、法人和专业限制"
