"""JSON Schema (2020-12) checks, with every error explained in Chinese at the field's line."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.choices import choice, group_of, shown, yes_no
from ..yamlio.load import Document, JsonPath, Problem
from .fastcheck import Predicate, compile_predicate
from .formats import FORMATS, format_error

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_DIR_ENV = "ROSTER_SCHEMAS"

# record kind -> schema file; the kind is also the registry folder's meaning
SCHEMA_FILES: dict[str, str] = {
    "registry": "registry.schema.json",
    "institution": "institution.schema.json",
    "expert": "expert.schema.json",
    "supervisor": "supervisor.schema.json",
    "announcement": "announcement.schema.json",
    "draw": "draw.schema.json",
    "conduct": "conduct.schema.json",
    "calendar": "calendar.schema.json",
}

_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "object": "若干“字段: 值”", "array": "列表（每项以“- ”开头）", "null": "空值"}


def default_schema_dir() -> Path:
    override = os.environ.get(SCHEMA_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "schemas"


class SchemaSet:
    """All record schemas of one folder, compiled once."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_schema_dir()
        self.documents: dict[str, dict[str, Any]] = {}
        for path in sorted(self.directory.glob("*.schema.json")):
            self.documents[path.name] = json.loads(path.read_text(encoding="utf-8"))
        self._registry: Any = None  # referencing.Registry, built on first use
        self._validators: dict[str, Draft202012Validator] = {}
        self._fast: dict[str, Predicate | None] = {}
        self._titles: dict[tuple[str, tuple[str, ...]], str] = {}

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.documents):
            digest.update(name.encode())
            digest.update(json.dumps(self.documents[name], sort_keys=True).encode())
        return digest.hexdigest()

    def validator(self, kind: str) -> Draft202012Validator:
        # imported here: a run served from the cache never needs jsonschema, and importing it costs ~0.1 s
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource

        if self._registry is None:
            resources = [(name, Resource.from_contents(doc)) for name, doc in self.documents.items()]
            self._registry = Registry().with_resources(resources)
        if kind not in self._validators:
            schema = self.documents[SCHEMA_FILES[kind]]
            self._validators[kind] = Draft202012Validator(schema, registry=self._registry,
                                                          format_checker=_format_checker())
        return self._validators[kind]

    def check(self, kind: str, document: Document, notes: list[Problem] | None = None) -> list[Problem]:
        """Schema errors of one document. Values staff may write in another accepted form are first
        changed in place to the form the schema wants (a code such as 540199 without quotes → text;
        医药类 → medical, 是 → true); the latter are added to `notes` (warnings naming both forms)."""
        if kind not in self._fast:
            self._fast[kind] = compile_predicate(SCHEMA_FILES[kind], self.documents)
        fast = self._fast[kind]
        if fast is not None and fast(document.data):
            return []
        document.data = self._canonical(kind, document, document.data, (), [] if notes is None else notes)
        if fast is not None and fast(document.data):
            return []
        validator = self.validator(kind)
        problems: list[Problem] = []
        for err in validator.iter_errors(document.data):
            problems.extend(self._explain(kind, err, document))
        return sorted(problems, key=lambda p: (p.line, p.col, p.message))

    def _canonical(self, kind: str, document: Document, value: Any, path: JsonPath, notes: list[Problem]) -> Any:
        if isinstance(value, dict):
            for key in value:
                value[key] = self._canonical(kind, document, value[key], path + (key,), notes)
            return value
        if isinstance(value, list):
            for i, item in enumerate(value):
                value[i] = self._canonical(kind, document, item, path + (i,), notes)
            return value
        node = self.node_at(kind, path) if path else {}
        if type(value) is int and node.get("type") == "string":
            return str(value)  # the loader read an unquoted code such as 540199 as a number
        if not isinstance(value, str):
            return value
        enum = node.get("enum")
        group = group_of(enum) if enum and value not in enum else None
        code = choice(group, value) if group else None
        if group and code in (enum or []):
            line, col = document.position(path)
            notes.append(Problem(line, col, "schema.chinese_value",
                                 f"{_dotted(path)} 写的是“{value}”，已按 {shown(group, str(code))} 处理："
                                 f"名册中统一写代码，请改为 {path[-1]}: {code}"))
            return code
        truth = yes_no(value) if node.get("type") == "boolean" else None
        if truth is not None:
            word = "true" if truth else "false"
            line, col = document.position(path)
            notes.append(Problem(line, col, "schema.chinese_value",
                                 f"{_dotted(path)} 写的是“{value}”，已按 {word}（{'是' if truth else '否'}）处理："
                                 f"名册中统一写 true 或 false，请改为 {path[-1]}: {word}"))
            return truth
        return value

    # -- turning jsonschema errors into sentences staff can act on ------------------------------

    def _explain(self, kind: str, err: ValidationError, document: Document) -> Iterator[Problem]:
        path: JsonPath = tuple(err.absolute_path)
        validator = str(err.validator)
        if validator in ("oneOf", "anyOf") and err.context:
            from jsonschema.exceptions import best_match

            yield from self._explain(kind, best_match(err.context), document)
            return
        if validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in allowed and not _matches_pattern_properties(err.schema, key):
                    line, col = document.position(path + (key,))
                    yield Problem(line, col, "schema.unknown_field",
                                  f"{_where(path)}有不认识的字段“{key}”{_did_you_mean(key, allowed)}：请检查拼写，"
                                  f"可用的字段见 schemas/{SCHEMA_FILES[kind]}" + _comment(err.schema))
            return
        line, col = document.position(path)
        label = self.label(kind, path)
        yield Problem(line, col, f"schema.{validator}", _sentence(validator, err, label, path))

    def label(self, kind: str, path: JsonPath) -> str:
        """“字段 education.level（学历层次）” — the dotted path staff see in the file plus its title."""
        dotted = _dotted(path)
        if not dotted:
            return "记录"
        title = self.title(kind, path)
        return f"字段 {dotted}（{title}）" if title else f"字段 {dotted}"

    def title(self, kind: str, path: JsonPath) -> str | None:
        """The field's title; a list item without one of its own is named after its list."""
        key = (kind, tuple(str(p) if isinstance(p, str) else "[]" for p in path))
        if key not in self._titles:
            title: str | None = None
            for depth in range(1, len(path) + 1):
                node = self.node_at(kind, path[:depth])
                title = node.get("title") or (title if isinstance(path[depth - 1], int) else None)
            self._titles[key] = title or ""
        return self._titles[key] or None

    def node_at(self, kind: str, path: JsonPath = ()) -> dict[str, Any]:
        """The resolved schema of the value at `path` in a record of `kind` ({} where the schema has none)."""
        base = SCHEMA_FILES[kind]
        node, base = self.resolve(self.documents[base], base)
        for step in path:
            child = node.get("items") if isinstance(step, int) else (node.get("properties") or {}).get(step)
            if not isinstance(child, dict):
                return {}
            node, base = self.resolve(child, base)
        return node

    def resolve(self, schema: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
        """Follow ``$ref`` (same file or another schema file); a field's own keywords (its title)
        win over the target's. Returns the node and the file it now lives in."""
        while "$ref" in schema:
            doc_name, _, pointer = str(schema["$ref"]).partition("#")
            base = doc_name or base
            target: Any = self.documents[base]
            for part in filter(None, pointer.split("/")):
                target = target[part]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema, base


def _format_checker() -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name in FORMATS:
        def check(value: Any, name: str = name) -> bool:
            error = format_error(name, value)
            if error:
                raise ValueError(error)
            return True

        checker.checks(name, raises=ValueError)(check)
    return checker


def _matches_pattern_properties(schema: dict[str, Any], key: str) -> bool:
    return any(re.search(pattern, key) for pattern in schema.get("patternProperties", {}))


def _dotted(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _where(path: JsonPath) -> str:
    dotted = _dotted(path)
    return f"{dotted} 中" if dotted else ""


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
    return f"（是不是“{close[0]}”？）" if close else ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "空值"
    if isinstance(value, (dict, list)):
        return _TYPE_NAMES["object" if isinstance(value, dict) else "array"]
    return str(value)


def _comment(schema: object) -> str:
    """The schema's `$comment`, where one says how to write the value, as the end of a sentence."""
    comment = schema.get("$comment") if isinstance(schema, dict) else None
    return f"：{comment}" if comment else ""


def _sentence(validator: str, err: ValidationError, label: str, path: JsonPath) -> str:
    schema = err.schema if isinstance(err.schema, dict) else {}
    value = err.instance
    hint = schema.get("description", "")
    if validator == "required":
        missing = str(err.message).split("'")[1] if "'" in str(err.message) else str(err.message)
        where = f"{_dotted(path)} 中" if path else "记录"
        return f"{where}缺少必填字段“{missing}”" + (f"：{schema['$comment']}" if schema.get("$comment") else "")
    if validator == "type":
        expected = schema.get("type")
        names = "或".join(_TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected or []))
        return f"{label}应为{names}，现在是 {_show(value)}" + _comment(schema)
    if validator == "enum":
        choices = "、".join(str(c) for c in schema.get("enum", []))
        return f"{label}的值 {_show(value)} 不在允许的取值中，可选：{choices}" + (f"（{hint}）" if hint else "")
    if validator == "const":
        return f"{label}必须是 {_show(schema.get('const'))}" + (f"：{schema['$comment']}" if schema.get("$comment") else "")
    if validator == "format":
        what = "日期" if schema.get("format") == "date" else "年月"
        return f"{label}不是有效的{what}：{err.cause or err.message}"
    if validator == "pattern":
        return f"{label}的写法不对：{_show(value)}。{hint}"
    if validator == "minLength":
        return f"{label}不能为空" if schema.get("minLength") == 1 else f"{label}太短（至少 {schema['minLength']} 个字）"
    if validator == "maxLength":
        return f"{label}太长（最多 {schema['maxLength']} 个字）"
    if validator == "minItems":
        return f"{label}至少要有 {schema['minItems']} 项"
    if validator == "maxItems":
        return f"{label}最多 {schema['maxItems']} 项"
    if validator == "uniqueItems":
        return f"{label}中有重复的项"
    if validator == "minimum":
        return f"{label}不能小于 {schema['minimum']}，现在是 {_show(value)}"
    if validator == "maximum":
        return f"{label}不能大于 {schema['maximum']}，现在是 {_show(value)}"
    return f"{label}不符合要求：{err.message}"
