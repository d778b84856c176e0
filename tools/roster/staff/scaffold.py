"""`roster new`: a new record from a few answers — next free id, schema order, editor line, checked at once.

What is asked comes from data/new_fields.yaml; the type, choices, Chinese name and explanation of
every answer come from the JSON Schema, so the questions cannot drift from what ``roster validate``
accepts. A new expert or supervisor starts as a candidate (候选) with its first status_history entry;
`roster admit` makes them active. The file is written only if the registry with it has no new error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..check.registry import Registry
from ..check.schemas import SchemaSet
from ..check.validate import open_registry
from ..core.choices import choice, yes_no
from ..core.errors import EditError
from ..core.timeutil import parse_date, parse_month
from ..core.vocab import KIND_LABEL
from ..policies.presets import labels
from ..rules.admission import declaration_date_problem
from ..yamlio.fieldorder import schema_node, sort_record
from ..yamlio.packaged import packaged
from ..yamlio.yamltext import render_document, schema_comment
from .changeset import ChangeSet, Checked
from .declarations import question, read_answer, required_items
from .ids import next_id, record_path
from .institutions import InstitutionIndex
from .staffdata import ROSTER_OF_KIND, cite_rule, policy_for, staff_data

__all__ = ["KINDS", "Draft", "FieldSpec", "Scaffold", "field_specs"]

KINDS = ("expert", "supervisor", "institution", "conduct")
KIND_LABELS = {kind: KIND_LABEL[kind] for kind in KINDS}

_DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_MONTH_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"
_REFERENCE_PATTERNS = {"^I[0-9]{4,6}$": "institution", "^[ES][0-9]{4,6}$": "person", "^D[0-9]{4}-[0-9]{3,4}$": "draw"}
_SPLIT = re.compile(r"[,，、;；\s]+")
_MONTH_FORMS = re.compile(r"([0-9]{4})\s*(?:年|[-./])\s*([0-9]{1,2})\s*月?")


@cache
def _fields_data() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/new_fields.yaml")
    return data


def choice_labels(group: str | None) -> dict[str, str]:
    if not group:
        return {}
    return dict(labels().get(group) or _fields_data()["extra_labels"].get(group) or {})


@dataclass(frozen=True)
class FieldSpec:
    path: tuple[str, ...]
    option: str
    label: str
    help: str
    prompt: str
    optional: bool
    value_type: str  # text | date | month | bool | integer | choice | institution | person | draw
    multiple: bool
    choices: tuple[tuple[str, str], ...] = ()
    when: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    group: str | None = None  # the label group of the choices (policies/_labels.yaml)
    ask_when: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # an optional field required in these cases
    past: bool = False  # the date of something that has happened: not after today
    transient: bool = False  # not written as such (the date of the declaration items, written into each)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def needed(self, values: dict[tuple[str, ...], Any]) -> bool:
        """Whether the field applies, given the values already known (“when” conditions)."""
        return all(values.get(path) in allowed for path, allowed in self.when)

    def required(self, values: dict[tuple[str, ...], Any]) -> bool:
        """Whether an answer is needed, given the values already known."""
        if self.optional:
            return bool(self.ask_when) and all(values.get(path) in allowed for path, allowed in self.ask_when)
        return self.default is None and self.needed(values)

    def choice_text(self) -> str:
        """“医药类（medical）、…”: the Chinese names staff type (the code in brackets is what the file keeps)."""
        return "、".join(f"{name}（{code}）" if name != code else code for code, name in self.choices)


def _value_type(node: dict[str, Any]) -> str:
    if "enum" in node:
        return "choice"
    if node.get("type") == "boolean":
        return "bool"
    if node.get("type") == "integer":
        return "integer"
    pattern = node.get("pattern")
    if pattern == _DATE_PATTERN:
        return "date"
    if pattern == _MONTH_PATTERN:
        return "month"
    return _REFERENCE_PATTERNS.get(str(pattern), "text")


@cache
def field_specs(kind: str) -> tuple[FieldSpec, ...]:
    specs = []
    for entry in _fields_data()[kind]:
        path = tuple(str(entry["field"]).split("."))
        node = schema_node(kind, path)
        multiple = node.get("type") == "array"
        item = schema_node(kind, (*path, 0)) if multiple else node
        names = choice_labels(entry.get("labels"))
        choices = tuple((str(c), names.get(str(c), str(c))) for c in item.get("enum", []))
        label = str(entry.get("name") or node.get("title") or item.get("title") or path[-1])
        when, ask_when = (tuple((tuple(str(k).split(".")), tuple(str(v) for v in vs)) for k, vs in (entry.get(key) or {}).items())
                          for key in ("when", "ask_when"))
        specs.append(FieldSpec(
            path=path, option=str(entry["option"]), label=label, help=str(entry.get("help") or node.get("description") or ""),
            prompt=str(entry.get("prompt") or label), optional=bool(entry.get("optional", False)),
            value_type=str(entry.get("type") or _value_type(item)), multiple=multiple, choices=choices, when=when,
            default=entry.get("default"), minimum=item.get("minimum"), maximum=item.get("maximum"),
            group=entry.get("labels"), ask_when=ask_when, past=bool(entry.get("past", False)),
            transient=bool(entry.get("transient", False)),
        ))
    return tuple(specs)


@dataclass
class Draft:
    kind: str
    id: str
    path: Path
    data: dict[str, Any]
    text: str


@dataclass
class Created:
    draft: Draft
    written: list[str]
    checked: Checked
    notes: list[str] = field(default_factory=list)


class Scaffold:
    """A new record of `kind` in the registry at `root`, as of `today` (Beijing)."""

    def __init__(self, root: Path, kind: str, today: date) -> None:
        if kind not in KINDS:
            raise EditError(f"不能新建“{kind}”：可以新建 {'、'.join(KINDS)}")
        self.root, self.kind, self.today = root, kind, today
        self.schemas = SchemaSet()
        self.registry: Registry = open_registry(root, schemas=self.schemas)
        self.institutions = InstitutionIndex(self.registry.of_kind("institution"))
        self.specs = field_specs(kind)
        self.policy = policy_for(self.registry, ROSTER_OF_KIND[kind]) if kind in ROSTER_OF_KIND else None
        # the declaration items this roster's policy asks for: only these are asked, each on its own
        self.declared = required_items(self.policy) if self.policy is not None else []

    # --- answers -----------------------------------------------------------------------------------

    def missing(self, values: dict[tuple[str, ...], Any]) -> list[FieldSpec]:
        """Required fields that have no value yet and apply given `values`."""
        return [s for s in self.specs if s.path not in values and s.required(values) and self._asked(s, values)]

    def _asked(self, spec: FieldSpec, values: dict[tuple[str, ...], Any]) -> bool:
        """Declaration items: only those the policy requires; their date: when any item is recorded."""
        if spec.value_type == "declaration":
            return spec.path[-1] in self.declared
        if spec.transient:
            items = [s for s in self.specs if s.value_type == "declaration" and s.path[:-1] == spec.path[:-1]]
            return any(s.path[-1] in self.declared or s.path in values for s in items)
        return True

    def question(self, spec: FieldSpec) -> str | None:
        """The question of a declaration item, which names the item's place on the preset's form and its clause."""
        if spec.value_type != "declaration" or self.policy is None:
            return None
        return question(spec.path[-1], self.policy.preset.declarations)

    def parse(self, spec: FieldSpec, raw: str | list[str] | tuple[str, ...]) -> Any:
        """The value of one answer; ValueError with a Chinese message when it cannot be used."""
        if spec.multiple:
            items = [p for part in ([raw] if isinstance(raw, str) else raw) for p in _SPLIT.split(part) if p]
            if not items:
                raise ValueError(f"{spec.label}至少要写一项")
            values = [self._one(spec, item) for item in items]
            if len(set(map(str, values))) != len(values):
                raise ValueError(f"{spec.label}中有重复的项")
            return values
        if not isinstance(raw, str):
            raise ValueError(f"{spec.label}只能写一个值")
        return self._one(spec, raw)

    def _one(self, spec: FieldSpec, raw: str) -> Any:
        kind = spec.value_type
        # codes, dates and numbers may be typed with full-width characters; free text keeps its punctuation
        text = raw.strip() if kind == "text" else unicodedata.normalize("NFKC", raw).strip()
        if not text:
            raise ValueError(f"{spec.label}不能为空")
        if kind == "date":
            day = parse_date(text)
            if spec.past and day > self.today:
                raise ValueError(f"{spec.label} {day.isoformat()} 晚于今天（北京时间 {self.today.isoformat()}）：只能登记已经发生的事")
            return day.isoformat()
        if kind == "month":
            match = _MONTH_FORMS.fullmatch(text)
            year, month = parse_month(f"{match.group(1)}-{int(match.group(2)):02d}" if match else text)
            return f"{year:04d}-{month:02d}"
        if kind == "declaration":
            if self.policy is None:
                raise ValueError(f"{spec.label}只用于专家")
            return read_answer(text, spec.path[-1], self.policy.preset.declarations)
        if kind == "bool":
            truth = yes_no(text)
            if truth is None:
                raise ValueError(f"{spec.label}请写“是”或“否”，现在是“{raw}”")
            return truth
        if kind == "integer":
            if not re.fullmatch(r"-?[0-9]+", text):
                raise ValueError(f"{spec.label}应为整数，现在是“{raw}”")
            number = int(text)
            if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
                raise ValueError(f"{spec.label}应在 {spec.minimum}–{spec.maximum} 之间，现在是 {number}")
            return number
        if kind == "choice":
            code = choice(spec.group, text) if spec.group else None
            code = code or next((c for c, name in spec.choices if text in (c, name)), None)
            if code is None or code not in dict(spec.choices):
                raise ValueError(f"{spec.label}“{raw}”不是可选的值：可选 {spec.choice_text()}")
            return code
        if kind == "institution":
            found = self.institutions.match(text)
            if found is None:
                raise ValueError(f"名册中没有单位“{raw}”（可写单位编号、名称或别名）{self.institutions.describe_suggestions(text)}；"
                                 "新单位请先运行 roster new institution")
            return found.id
        if kind == "person":
            people = {**self.registry.by_id("expert"), **self.registry.by_id("supervisor")}
            if text not in people:
                raise ValueError(f"名册中没有编号为“{raw}”的专家或社会监督员")
            return text
        if kind == "draw":
            if text not in self.registry.by_id("draw"):
                raise ValueError(f"名册中没有编号为“{raw}”的抽取记录")
            return text
        return text

    # --- the record --------------------------------------------------------------------------------

    def build(self, values: dict[tuple[str, ...], Any], *, on: date | None = None) -> Draft:
        """The record from parsed `values` (field path → value); `on` is the registration date (default today)."""
        missing = self.missing(values)
        if missing:
            raise EditError("缺少必填项：" + "、".join(f"--{s.option}（{s.label}）" for s in missing))
        data: dict[str, Any] = {}
        for spec in self.specs:
            if spec.transient:
                continue
            if spec.value_type == "declaration" and spec.path in values:
                dated = next(s for s in self.specs if s.transient and s.path[:-1] == spec.path[:-1])
                self._signed_when_possible(dated, values)
                _put(data, spec.path, {**values[spec.path], "date": values[dated.path]})
            elif spec.path in values and spec.needed(values):
                _put(data, spec.path, values[spec.path])
            elif spec.default == "bureau_region" and spec.needed(values):
                region = (self.registry.settings.data.get("bureau") or {}).get("region") if self.registry.settings else None
                if not isinstance(region, str):
                    raise EditError(f"请用 --{spec.option} 写明{spec.label}（registry.yaml 中没有本局的行政区划代码）")
                _put(data, spec.path, region)
        year = int(str(data["date"])[:4]) if self.kind == "conduct" else None
        ident = next_id(self.root, self.kind, year)
        data["id"] = ident
        day = on or self.today
        self._complete(data, day)
        data = sort_record(self.kind, data)
        path = record_path(self.root, self.kind, ident)
        depth = len(path.relative_to(self.root).parts)
        return Draft(self.kind, ident, path, data, render_document(data, [schema_comment(self.kind, depth)]))

    def _signed_when_possible(self, dated: FieldSpec, values: dict[tuple[str, ...], Any]) -> None:
        """The signing date against the birth month, by the test validate uses (declaration_date_problem)."""
        birth = values.get(("birth",))
        problem = declaration_date_problem(parse_date(str(values[dated.path])),
                                           parse_month(birth) if isinstance(birth, str) else None, self.today, None)
        if problem:
            raise EditError(f"--{dated.option}（{dated.label}）的{problem}")

    def _complete(self, data: dict[str, Any], day: date) -> None:
        if self.kind == "institution":
            data.setdefault("legal_entity", data["id"])
        elif self.kind == "conduct":
            if "clause" not in data:
                clause = self._conduct_clause(str(data["person"]), str(data["kind"]))
                if clause:
                    data["clause"] = clause
        else:
            roster = ROSTER_OF_KIND[self.kind]
            policy = policy_for(self.registry, roster)
            citation = cite_rule(policy, staff_data()["candidate_rule"][roster])
            data["status"] = "candidate"
            data["status_history"] = [{"date": day.isoformat(), "status": "candidate",
                                       "reason": staff_data()["reasons"]["candidate"], "citation": citation}]

    def _conduct_clause(self, person: str, kind: str) -> str | None:
        roster = "experts" if person.startswith("E") else "supervisors"
        policy = policy_for(self.registry, roster)
        clause = policy.preset.conduct_clauses.get(kind)
        return policy.cite(clause) if clause else None

    def create(self, draft: Draft, *, dry_run: bool = False) -> Created:
        changes = ChangeSet(self.root)
        changes.create(draft.path, draft.text.encode("utf-8"))
        checked = changes.check_or_raise(self.today, self.schemas, self.registry)
        written = [] if dry_run else changes.write()
        return Created(draft, written, checked)


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
