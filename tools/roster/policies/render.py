"""A preset as a page people read: Markdown for the public site, plain text for the terminal.

Everything shown comes from the preset data; the optional bureau settings (overrides and disabled
rules from registry.yaml) are shown next to the preset's own values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .presets import Param, Preset, Reason, RuleSpec, label, labelled, load_preset


@dataclass(frozen=True)
class BureauSettings:
    """What one registry changes in the preset: {rule: {param: value}} and {rule: reason}."""

    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    disabled: Mapping[str, str] = field(default_factory=dict)


def _value(param: Param, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_code(param, v) for v in value) or "（无）"
    return _code(param, value)


def _code(param: Param, value: Any) -> str:
    if param.choices and param.choices != "reasons":
        return labelled(param.choices, str(value))
    return str(value)


def _period(preset: Preset) -> str:
    eff = preset.effective
    if eff.start and eff.until:
        span = f"{eff.start} 至 {eff.until}"
    elif eff.start:
        span = f"自 {eff.start} 起"
    else:
        span = "未写明日期"
    return f"{span}（{eff.clause}：{eff.text}）"


def _facts(preset: Preset) -> list[tuple[str, str]]:
    doc = preset.document
    rows = [("文件", f"《{doc.title}》"), ("文号", doc.number or "（无）"), ("发文机关", doc.issuer),
            ("印发日期", doc.issued or "（无）"), ("文件状态", label("stages", doc.stage)),
            ("适用名册", label("rosters", preset.roster)), ("有效期", _period(preset))]
    if preset.effective.note:
        rows.append(("有效期说明", preset.effective.note))
    rows.append(("引用写法", f"《{doc.short}》第N条（M）"))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _anchor(rule_id: str) -> str:
    return rule_id.replace(".", "-").replace("_", "-")


# --- Markdown ------------------------------------------------------------------------------------


def render_markdown(preset_id: str, bureau: BureauSettings | None = None) -> str:
    """The docs page of one preset: the document, each rule with its parameters and clause, the reason codes."""
    preset = load_preset(preset_id)
    bureau = bureau or BureauSettings()
    lines = [f"# {preset.name}", "", f"政策预设 `{preset.id}`，依据《{preset.document.title}》。"
             "本页由预设数据生成，规则的参数和条款以预设文件为准。", "",
             "| 项目 | 内容 |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in _facts(preset)]
    lines += ["", "## 规则", ""]
    for spec in preset.rules.values():
        lines += _rule_markdown(preset, spec, bureau)
    lines += ["## 原因代码", "", "状态变更（status_history）中填写的原因代码。", ""]
    for group in ("removal", "withdrawal", "exit", "rejection"):
        lines += _reasons_markdown(preset, group)
    lines += _removal_markdown(preset) + _draw_markdown(preset)
    return "\n".join(lines).rstrip() + "\n"


def _removal_markdown(preset: Preset) -> list[str]:
    removal = preset.removal
    if removal.final:
        text = f"是：{preset.removal_citation()}"
    else:
        text = f"否：{preset.cite(removal.clause)}没有不得重新入库的规定（{removal.note}），被移出者可以重新登记为候选人"
    return ["## 移出是否终局", "", text, ""]


def _draw_markdown(preset: Preset) -> list[str]:
    draw = preset.draw
    size = "、".join(w for w in (f"不少于 {draw.size_min} 人" if draw.size_min > 1 else "", "单数" if draw.size_odd else "") if w)
    lines = ["## 随机抽取", "", "| 项目 | 内容 |", "|---|---|",
             f"| 检查聘期 | {'是' if draw.term else '否（规章未设在库期限）'} |",
             f"| 人数 | {size or '不限'} |",
             f"| 回避期 | 离开被检查单位不满 {draw.recusal_months} 个月 |",
             f"| 同一专业来自不同单位 | {'是（同一单位、同一专业至多 1 人）' if draw.distinct_institutions_per_specialty else '否'} |",
             "", "| 排除类别或要求 | 依据 |", "|---|---|"]
    lines += [f"| {label('draw_items', kind)}（`{kind}`） | {_cell(preset.draw_citation(kind))} |" for kind in draw.clauses]
    return lines + [""]


def _rule_markdown(preset: Preset, spec: RuleSpec, bureau: BureauSettings) -> list[str]:
    lines = [f"### {spec.title}（{spec.id}） {{#{_anchor(spec.id)}}}", ""]
    if spec.id in bureau.disabled:
        lines += ["!!! warning \"本局已停用此规则\"", f"    理由：{bureau.disabled[spec.id]}", ""]
    lines += [f"- 依据：{spec.citation(preset.cite(spec.clause))}",
              f"- 严重程度：{label('severities', spec.severity)}",
              f"- 允许经批准的例外：{'是' if spec.exceptions else '否'}", ""]
    lines += [f"> {spec.text}", ""]
    if spec.note:
        lines += [spec.note, ""]
    if spec.params:
        changed = bureau.overrides.get(spec.id, {})
        header = "| 参数 | 名称 | 取值 |" + (" 本局取值 |" if changed else "")
        lines += [header, "|---|---|---|" + ("---|" if changed else "")]
        for param in spec.params.values():
            row = f"| `{param.name}` | {_cell(param.label)} | {_cell(_value(param, param.value))} |"
            if changed:
                row += f" {_cell(_value(param, changed[param.name])) if param.name in changed else ''} |"
            lines.append(row)
        lines.append("")
    if spec.id == "admission.declarations":
        lines += _declarations_markdown(preset)
    return lines


def _declarations_markdown(preset: Preset) -> list[str]:
    """Each declaration item: its own clause, and where the regulation's form carries it (or what proves it)."""
    known = preset.declarations
    if not known.items:
        return []
    lines = ["| 事项 | 依据 | 材料 |", "|---|---|---|"]
    lines += [f"| {label('declarations', code)}（`{code}`） | {_cell(preset.cite(item.clause))}：{_cell(item.text)} | "
              f"{_cell(known.where(code))} |" for code, item in known.items.items()]
    return lines + [""]


def _reasons_markdown(preset: Preset, group: str) -> list[str]:
    reasons = preset.reasons_in(group)
    lines = [f"### {label('reason_groups', group)}", ""]
    if not reasons:
        return lines + ["本预设没有此类原因代码。", ""]
    lines += ["| 代码 | 情形 | 依据 | 自动变更 |", "|---|---|---|---|"]
    lines += [f"| `{r.code}` | {_cell(r.label)} | {preset.cite(r.clause)} | {_automatic(r)} |" for r in reasons]
    return lines + [""]


def _automatic(reason: Reason) -> str:
    return "是（roster status --apply）" if reason.automatic else "否（由本局决定）"


# --- plain text ----------------------------------------------------------------------------------


def render_text(preset_id: str, bureau: BureauSettings | None = None) -> str:
    preset = load_preset(preset_id)
    bureau = bureau or BureauSettings()
    lines = [f"{preset.name}（{preset.id}）", ""]
    lines += [f"  {k}：{v}" for k, v in _facts(preset)]
    lines += ["", "规则："]
    for spec in preset.rules.values():
        state = "（本局已停用：" + bureau.disabled[spec.id] + "）" if spec.id in bureau.disabled else ""
        lines += ["", f"  {spec.id}  {spec.title}{state}",
                  f"    依据：{spec.citation(preset.cite(spec.clause))}  严重程度：{label('severities', spec.severity)}",
                  f"    原文：{spec.text}"]
        changed = bureau.overrides.get(spec.id, {})
        for param in spec.params.values():
            mine = f"  → 本局：{_value(param, changed[param.name])}" if param.name in changed else ""
            lines.append(f"    {param.name}（{param.label}）= {_value(param, param.value)}{mine}")
        if spec.id == "admission.declarations":
            lines += [f"    {code}（{label('declarations', code)}）：{preset.cite(item.clause)}；{preset.declarations.where(code)}"
                      for code, item in preset.declarations.items.items()]
    lines += ["", "原因代码："]
    for reason in preset.reasons:
        lines.append(f"  {reason.code}  {label('reason_groups', reason.group)}：{reason.label}"
                     f"（{preset.cite(reason.clause)}；{_automatic(reason)}）")
    return "\n".join(lines) + "\n"


def render_list(preset_ids: list[str], chosen: Mapping[str, str] | None = None) -> str:
    """One line per preset: id, roster, document, status; `chosen` maps preset id → the roster using it."""
    chosen = chosen or {}
    lines = []
    for preset_id in preset_ids:
        preset = load_preset(preset_id)
        doc = preset.document
        number = f"，{doc.number}" if doc.number else ""
        used = f"  ← 本局{label('rosters', chosen[preset_id])}采用" if preset_id in chosen else ""
        lines.append(f"{preset.id}  {label('rosters', preset.roster)}  《{doc.title}》"
                     f"（{label('stages', doc.stage)}{number}）{used}")
    return "\n".join(lines)
