"""Policy presets: the YAML files next to this module, read into plain typed objects.

A preset turns one regulation into data: the document, its effective period, the reason codes for
status changes and, per rule id, the parameters, severity and clause. Nothing here checks records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from ..core.errors import RosterError
from ..yamlio.load import LoadError, load_bytes

RuleSeverity = Literal["error", "warning", "info"]
ReasonGroup = Literal["removal", "withdrawal", "exit", "rejection"]

# the status a reason group leads to
REASON_GROUPS: tuple[ReasonGroup, ...] = ("removal", "withdrawal", "exit", "rejection")
GROUP_STATUS: dict[str, str] = {"removal": "removed", "withdrawal": "withdrawn", "exit": "expired", "rejection": "rejected"}


class PresetError(RosterError):
    """A preset that does not exist or cannot be read; the message is one Chinese sentence."""


@dataclass(frozen=True)
class Param:
    name: str
    value: Any
    label: str
    choices: str | None


@dataclass(frozen=True)
class RuleSpec:
    id: str
    title: str
    clause: str
    text: str
    severity: RuleSeverity
    exceptions: bool
    note: str
    params: Mapping[str, Param]
    system: bool = False  # this system's rule serving the clause, not the clause's own words

    def citation(self, cite: str) -> str:
        """How findings cite it: the clause, or for a system rule the clause it serves."""
        return f"本系统规则（为落实{cite}而定）：{self.title}" if self.system else cite


@dataclass(frozen=True)
class Reason:
    code: str
    group: ReasonGroup
    clause: str
    label: str
    automatic: bool

    @property
    def status(self) -> str:
        return GROUP_STATUS[self.group]


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    short: str
    number: str | None
    issuer: str
    issued: str | None
    stage: str


@dataclass(frozen=True)
class Effective:
    start: str | None
    until: str | None
    clause: str
    text: str
    note: str


@dataclass(frozen=True)
class Clause:
    """What a draw step or exclusion rests on: an article quoted (text), or this system's own rule
    (system) that serves the article, said in the note."""

    clause: str
    text: str
    note: str
    system: bool

    def citation(self, short: str) -> str:
        if self.system:
            return f"本系统规则（为落实《{short}》{self.clause}而定）：{self.note}"
        note = f"（{self.note}）" if self.note else ""
        return f"《{short}》{self.clause}：{self.text}{note}"


@dataclass(frozen=True)
class DeclarationItem:
    """One item a person must affirm or the bureau verify: its clause, and where the form has it."""

    code: str
    clause: str
    text: str
    form: str | None  # e.g. 第2项“本人无犯罪记录及严重失信行为”; None where the form does not carry it


@dataclass(frozen=True)
class Declarations:
    """The declaration items of a preset and the form (attached to the regulation) that carries some."""

    form: str | None  # 附件1 申请表“诚信声明”; None where the regulation attaches no form
    elsewhere: str  # which material proves an item the form does not carry
    items: Mapping[str, DeclarationItem]
    review: str = "资格审查核实"  # the regulation's word for the bureau's verification (source: review)
    short: str = ""  # the regulation's short title, to cite an item's clause: 《简称》第N条

    def on_form(self, code: str) -> bool:
        item = self.items.get(code)
        return bool(self.form and item and item.form)

    def where(self, code: str) -> str:
        """Where staff find the item: the form's line, or what proves it instead."""
        item = self.items.get(code)
        if self.form and item and item.form:
            return f"{self.form}{item.form}"
        absent = f"{self.form}不载此项：" if self.form else ""
        return f"{absent}{self.elsewhere}"


@dataclass(frozen=True)
class Removal:
    """Whether a removal is final under the preset, and the clause that says so."""

    final: bool
    clause: str
    text: str
    note: str


@dataclass(frozen=True)
class DrawSettings:
    """A preset's parameters for draws and the clause of each exclusion and requirement."""

    term: bool
    recusal_months: int
    size_odd: bool
    size_min: int
    distinct_institutions_per_specialty: bool
    clauses: Mapping[str, Clause]


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    roster: str
    document: DocumentInfo
    effective: Effective
    reasons: tuple[Reason, ...]
    rules: Mapping[str, RuleSpec]
    removal: Removal
    announcement_workdays: int
    conduct_clauses: Mapping[str, str]  # conduct kind → the clause a conduct record cites by default
    draw: DrawSettings
    declarations: Declarations

    @property
    def has_term(self) -> bool:
        return "term.length" in self.rules

    def removal_citation(self) -> str | None:
        """The clause that makes a removal final, or None where the preset's document has none."""
        return f"{self.cite(self.removal.clause)}：{self.removal.text}" if self.removal.final else None

    def draw_citation(self, kind: str) -> str:
        """The citation of a draw exclusion or requirement (the generic “status” when a status has none)."""
        clauses = self.draw.clauses
        chosen = clauses.get(kind) or clauses.get(kind.split("_")[0]) or clauses["status"]
        return chosen.citation(self.document.short)

    def cite(self, clause: str) -> str:
        """The citation staff can look up: 《简称》第N条（M）."""
        return f"《{self.document.short}》{clause}"

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    def reasons_in(self, group: str) -> list[Reason]:
        return [r for r in self.reasons if r.group == group]


def _folder() -> Any:
    return resources.files("roster").joinpath("policies")


def preset_ids() -> list[str]:
    """Every shipped preset, sorted; files starting with “_” hold shared data, not presets."""
    names = (entry.name for entry in _folder().iterdir())
    return sorted(n[:-5] for n in names if n.endswith(".yaml") and not n.startswith("_"))


@cache
def preset_data(preset_id: str) -> dict[str, Any]:
    """The raw preset, read strictly (duplicate keys, YAML 1.1 surprises are errors)."""
    if preset_id not in preset_ids():
        raise PresetError(f"没有名为“{preset_id}”的政策预设，可用的预设：{'、'.join(preset_ids())}")
    raw = _folder().joinpath(f"{preset_id}.yaml").read_bytes()
    try:
        data = load_bytes(raw).data
    except LoadError as exc:
        first = exc.problems[0]
        raise PresetError(f"政策预设 {preset_id}.yaml 第 {first.line} 行有误：{first.message}") from None
    if not isinstance(data, dict):
        raise PresetError(f"政策预设 {preset_id}.yaml 的内容应为若干“字段: 值”")
    return data


@cache
def load_preset(preset_id: str) -> Preset:
    data = preset_data(preset_id)
    try:
        return _build(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise PresetError(f"政策预设 {preset_id}.yaml 的结构不对（{exc}）：请对照 schemas/policy.schema.json") from None


@cache
def labels() -> dict[str, dict[str, str]]:
    """Chinese names of codes (levels, categories, routes…), in their meaningful order."""
    data = load_bytes(_folder().joinpath("_labels.yaml").read_bytes()).data
    return {group: dict(values) for group, values in data.items()}


def label(group: str, code: str) -> str:
    return labels().get(group, {}).get(code, code)


def labelled(group: str, code: str) -> str:
    """“senior（正高级）”: the code staff type, with its Chinese name."""
    name = labels().get(group, {}).get(code)
    return f"{code}（{name}）" if name else code


def _build(data: dict[str, Any]) -> Preset:
    doc = data["document"]
    eff = data["effective"]
    reasons = tuple(
        Reason(r["code"], group, r["clause"], r["label"], bool(r.get("automatic", False)))
        for group in REASON_GROUPS
        for r in data["reasons"].get(group) or []
    )
    rules = {rule_id: _rule(rule_id, spec) for rule_id, spec in data["rules"].items()}
    removal, draw = data["removal"], data["draw"]
    return Preset(
        id=data["id"], name=data["name"], roster=data["roster"],
        document=DocumentInfo(doc["title"], doc["short"], doc.get("number"), doc["issuer"], doc.get("issued"),
                              doc["stage"]),
        effective=Effective(eff.get("from"), eff.get("until"), eff["clause"], eff["text"], eff.get("note", "")),
        reasons=reasons, rules=rules,
        removal=Removal(bool(removal["final"]), removal["clause"], removal.get("text", ""), removal.get("note", "")),
        announcement_workdays=int(data["announcement"]["workdays"]),
        conduct_clauses=dict((data.get("conduct") or {}).get("clauses") or {}),
        draw=DrawSettings(bool(draw["term"]), int(draw["recusal_months"]), bool(draw["size"]["odd"]),
                          int(draw["size"]["min"]), bool(draw["distinct_institutions_per_specialty"]),
                          clauses_of(draw["clauses"])),
        declarations=_declarations(data.get("declarations") or {}, doc["short"]),
    )


def _declarations(data: Mapping[str, Any], short: str = "") -> Declarations:
    items = {code: DeclarationItem(code, item["clause"], item["text"], item.get("form"))
             for code, item in (data.get("items") or {}).items()}
    return Declarations(data.get("form"), str(data.get("elsewhere") or ""), items,
                        str(data.get("review") or "资格审查核实"), short)


def clauses_of(data: Mapping[str, Any]) -> dict[str, Clause]:
    return {kind: Clause(c["clause"], c.get("text", ""), c.get("note", ""), bool(c.get("system", False)))
            for kind, c in data.items()}


@dataclass(frozen=True)
class InspectionBasis:
    """The document a bureau's “双随机” institution draws rest on (a bureau setting, not a preset)."""

    id: str
    short: str
    clauses: Mapping[str, Clause]

    def draw_citation(self, kind: str) -> str:
        chosen = self.clauses.get(kind) or self.clauses.get("status")
        if chosen is None:
            return ("本系统规则：按“双随机、一公开”抽取定点医药机构（本局未写明依据文件：请在 registry.yaml 的 "
                    "rosters.institutions.basis 中写明）")
        return chosen.citation(self.short)


@cache
def inspections() -> dict[str, Any]:
    data: dict[str, Any] = load_bytes(_folder().joinpath("_inspections.yaml").read_bytes()).data
    return data


def inspection_basis(basis_id: str) -> InspectionBasis:
    spec = inspections()["bases"].get(basis_id) or inspections()["bases"]["none"]
    return InspectionBasis(basis_id if basis_id in inspections()["bases"] else "none", spec["short"],
                           clauses_of(spec["clauses"]))


def _rule(rule_id: str, spec: dict[str, Any]) -> RuleSpec:
    params = {name: Param(name, p["value"], p["label"], p.get("choices")) for name, p in spec["params"].items()}
    return RuleSpec(rule_id, spec["title"], spec["clause"], spec["text"], spec["severity"],
                    bool(spec.get("exceptions", False)), spec.get("note", ""), params, bool(spec.get("system", False)))
