"""Which policy a roster follows (registry.yaml → preset + overrides), and the policy's own validity."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from ..check.registry import Record, Registry
from ..core.findings import Finding, error, warning
from ..policies.bureau import roster_policy
from ..policies.presets import Param, Preset, PresetError, label, labels, load_preset, preset_ids
from .base import Context, Person, Policy, Rule, as_date

SETTINGS_RULE = "policy.settings"


def resolve_policy(registry: Registry, roster: str) -> tuple[Policy | None, list[Finding]]:
    """The policy of one roster, with every problem in registry.yaml reported at its line."""
    settings = registry.settings
    kind = labels()["roster_kinds"][roster]
    if settings is None or settings.document is None or settings.problems:
        return None, []
    chosen = settings.data.get("rosters", {}).get(roster)
    if not isinstance(chosen, dict):
        return None, _missing_policy(registry, roster, kind)
    preset_id = chosen.get("policy")
    try:
        preset = load_preset(str(preset_id))
    except PresetError as exc:
        return None, [_settings_error(settings, ("rosters", roster, "policy"), str(exc))]
    if preset.roster != roster:
        return None, [_settings_error(
            settings, ("rosters", roster, "policy"),
            f"政策预设 {preset.id} 适用于{label('rosters', preset.roster)}，不能用于{label('rosters', roster)}："
            f"请改选适用于{label('rosters', roster)}的预设（{'、'.join(_presets_for(roster))}）")]
    findings: list[Finding] = []
    overrides = chosen.get("overrides") or {}
    params = {rule_id: {name: p.value for name, p in spec.params.items()} for rule_id, spec in preset.rules.items()}
    for rule_id, values in overrides.items():
        findings += _apply_override(settings, roster, preset, rule_id, values, params)
    disabled: set[str] = set()
    for i, entry in enumerate(chosen.get("disabled") or []):
        rule_id = entry.get("rule")
        if rule_id in preset.rules:
            disabled.add(rule_id)
        else:
            findings.append(_settings_error(settings, ("rosters", roster, "disabled", i, "rule"),
                                            f"要停用的规则“{rule_id}”不在政策预设 {preset.id} 中：{_rule_list(preset)}"))
    rules = {
        rule_id: Rule(rule_id, spec.title, spec.clause, spec.citation(preset.cite(spec.clause)), spec.severity, spec.exceptions,
                      params[rule_id])
        for rule_id, spec in preset.rules.items()
    }
    return Policy(preset, roster, kind, rules, frozenset(disabled)), findings


def policy_for_draw(registry: Registry, roster: str) -> Policy:
    """The policy a draw over ``roster`` follows: the registry's (with its overrides), else the default
    preset as shipped — problems in registry.yaml are validate's to report, not the draw's."""
    chosen, _ = resolve_policy(registry, roster)
    if chosen is not None:
        return chosen
    settings = registry.settings.data if registry.settings and registry.settings.document is not None else None
    preset = load_preset(roster_policy(settings, roster))
    rules = {rule_id: Rule(rule_id, spec.title, spec.clause, spec.citation(preset.cite(spec.clause)), spec.severity, spec.exceptions,
                           {name: p.value for name, p in spec.params.items()})
             for rule_id, spec in preset.rules.items()}
    return Policy(preset, roster, labels()["roster_kinds"][roster], rules, frozenset())


def _presets_for(roster: str) -> list[str]:
    return [p for p in preset_ids() if load_preset(p).roster == roster]


def _rule_list(preset: Preset) -> str:
    return "可用的规则编号见 roster policy show " + preset.id


def _missing_policy(registry: Registry, roster: str, kind: str) -> list[Finding]:
    settings = registry.settings
    if settings is None or not any(r.kind == kind for r in registry.records):
        return []
    line, col = settings.line("rosters")
    return [warning(settings.display, line, col, SETTINGS_RULE,
                    f"名册中有{label('person_kinds', kind)}记录，但 rosters.{roster} 没有选择政策预设，"
                    f"入库条件、聘期和退出规则都没有检查：请写明 rosters.{roster}.policy"
                    f"（可选：{'、'.join(_presets_for(roster))}）", record=None)]


def _settings_error(settings: Record, path: tuple[str | int, ...], message: str) -> Finding:
    line, col = settings.line(*path)
    return error(settings.display, line, col, SETTINGS_RULE, message)


def _apply_override(settings: Record, roster: str, preset: Preset, rule_id: str, values: Any,
                    params: dict[str, dict[str, Any]]) -> list[Finding]:
    where: tuple[str | int, ...] = ("rosters", roster, "overrides", rule_id)
    spec = preset.rules.get(rule_id)
    if spec is None:
        return [_settings_error(settings, where, f"要调整的规则“{rule_id}”不在政策预设 {preset.id} 中：{_rule_list(preset)}")]
    findings = []
    for name, value in values.items():
        param = spec.params.get(name)
        if param is None:
            known = "、".join(f"{p.name}（{p.label}）" for p in spec.params.values()) or "（这条规则没有参数）"
            findings.append(_settings_error(settings, (*where, name),
                                            f"规则 {rule_id} 没有参数“{name}”：可调整的参数有 {known}"))
            continue
        problem = _value_problem(param, value, preset)
        if problem:
            findings.append(_settings_error(settings, (*where, name), f"规则 {rule_id} 的参数 {name}（{param.label}）{problem}"))
        else:
            params[rule_id][name] = value
    return findings


def _value_problem(param: Param, value: Any, preset: Preset) -> str | None:
    default = param.value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
        wanted = "true 或 false"
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        wanted = "不小于 0 的整数"
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        wanted = "文字列表，如 [a, b]"
    else:
        ok = isinstance(value, str)
        wanted = "文字"
    if not ok:
        return f"应为{wanted}，现在是 {value!r}"
    if param.choices:
        allowed = [r.code for r in preset.reasons] if param.choices == "reasons" else list(labels()[param.choices])
        bad = [v for v in (value if isinstance(value, list) else [value]) if v not in allowed]
        if bad:
            return f"的取值 {'、'.join(map(str, bad))} 不在允许的范围内，可选：{'、'.join(allowed)}"
    return None


# --- policy.validity -----------------------------------------------------------------------------

def validity(people: Sequence[Person], rule: Rule, ctx: Context) -> Iterator[Finding]:
    """The regulation itself has a period (XZ 第三十三条: a three-year trial); outside it, warn."""
    settings = ctx.settings
    if settings is None:
        return
    preset = ctx.policy.preset
    start, until = as_date(preset.effective.start), as_date(preset.effective.until)
    line, col = settings.line("rosters", ctx.policy.roster, "policy")
    title = f"《{preset.document.title}》"
    if until and ctx.today > until:
        yield Finding(settings.display, line, col, _severity(rule), rule.id,
                      f"政策预设 {preset.id} 依据的{title}有效期至 {until.isoformat()} 止"
                      f"（{preset.effective.clause}：{preset.effective.text}），校验日 {ctx.today.isoformat()} 已超过："
                      f"请确认是否已有新的办法或延期通知，并相应更换政策预设或调整参数", None, rule.citation)
    elif start and ctx.today < start:
        yield Finding(settings.display, line, col, _severity(rule), rule.id,
                      f"政策预设 {preset.id} 依据的{title}自 {start.isoformat()} 起施行，"
                      f"校验日 {ctx.today.isoformat()} 尚未施行：请确认选用的预设", None, rule.citation)


def _severity(rule: Rule) -> Any:
    return "error" if rule.severity == "error" else "warning"


def policy_expired(policy: Policy, on: date) -> bool:
    until = as_date(policy.preset.effective.until)
    return bool(until and on > until)
