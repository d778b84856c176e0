"""Compile the JSON Schema subset our schemas use into a plain Python predicate.

jsonschema explains errors well but walks every record through generic machinery; almost every record
is valid, so a compiled yes/no check decides first and jsonschema only runs to explain a "no". The
predicate is never more lenient than jsonschema (where unsure it says "no", which merely costs the
slow path), so a "yes" here is a "yes" there. A schema using any keyword not handled below is not
compiled at all (`compile_predicate` returns None) and every record takes the jsonschema path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .formats import FORMATS, format_error

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"})
_HANDLED = frozenset({"$ref", "type", "properties", "required", "additionalProperties", "patternProperties", "enum",
                      "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "items",
                      "minimum", "maximum", "format", "const", "if"})
_BRANCHES = frozenset({"then", "else"})  # compiled together with "if"
_TYPES: dict[str, Predicate] = {
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
    "number": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
    "boolean": lambda x: isinstance(x, bool),
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "null": lambda x: x is None,
}


class _Unsupported(Exception):
    pass


def compile_predicate(name: str, documents: dict[str, dict[str, Any]]) -> Predicate | None:
    """A predicate for documents[name], or None if the schema uses something not compiled here."""
    try:
        return _Compiler(documents).compile(documents[name], name)
    except _Unsupported:
        return None


class _Compiler:
    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self._refs: dict[str, Predicate] = {}

    def compile(self, schema: Any, base: str) -> Predicate:
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        unknown = set(schema) - _HANDLED - _ANNOTATIONS - (_BRANCHES if "if" in schema else frozenset())
        if unknown:
            raise _Unsupported(unknown)
        compiled = [self._keyword(key, schema, base) for key in schema if key in _HANDLED]
        checks: list[Predicate] = [c for c in compiled if c is not None]
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda x: first(x) and second(x)

        def every(x: Any) -> bool:  # a plain loop: measurably faster than all() over a generator here
            for check in checks:  # noqa: SIM110
                if not check(x):
                    return False
            return True

        return every

    def _keyword(self, key: str, schema: dict[str, Any], base: str) -> Predicate | None:
        value = schema[key]
        if key == "$ref":
            return self._ref(value, base)
        if key == "type":
            names = [value] if isinstance(value, str) else value
            tests = [_TYPES[n] for n in names]
            return tests[0] if len(tests) == 1 else (lambda x: any(t(x) for t in tests))
        if key == "enum":
            if not all(isinstance(v, str) for v in value):
                raise _Unsupported("enum of non-strings")
            allowed = frozenset(value)
            return lambda x: isinstance(x, str) and x in allowed
        if key == "format":
            if value not in FORMATS:
                return None  # an annotation: jsonschema checks only the formats in FORMATS
            name: str = value
            return lambda x: format_error(name, x) is None
        if key == "pattern":
            regex = re.compile(value)
            return lambda x: not isinstance(x, str) or regex.search(x) is not None
        if key in ("minLength", "maxLength"):
            return _bound(str, len, value, key.startswith("min"))
        if key in ("minItems", "maxItems"):
            return _bound(list, len, value, key.startswith("min"))
        if key in ("minimum", "maximum"):
            lower = key == "minimum"
            return lambda x: isinstance(x, bool) or not isinstance(x, (int, float)) or (x >= value if lower else x <= value)
        if key == "uniqueItems":
            return _unique_items if value else None
        if key == "items":
            item = self.compile(value, base)

            def items(x: Any) -> bool:
                if isinstance(x, list):
                    for i in x:
                        if not item(i):
                            return False
                return True

            return items
        if key == "required":
            needed = frozenset(value)
            return lambda x: not isinstance(x, dict) or needed.issubset(x)
        if key == "properties":
            return self._properties(value, base)
        if key == "const":
            if not isinstance(value, str):
                raise _Unsupported("const of a non-string")
            return lambda x: isinstance(x, str) and x == value
        if key == "if":
            return self._conditional(schema, base)
        if key == "additionalProperties":
            return self._additional(schema, base)
        if key == "patternProperties":
            return self._pattern_properties(value, base)
        raise _Unsupported(key)  # pragma: no cover - _HANDLED and this function agree

    def _ref(self, ref: str, base: str) -> Predicate:
        doc_name, _, pointer = ref.partition("#")
        doc_name = doc_name or base
        if doc_name not in self.documents:
            raise _Unsupported(ref)
        key = f"{doc_name}#{pointer}"
        if key not in self._refs:
            slot: list[Predicate] = []
            self._refs[key] = lambda x: slot[0](x)  # placeholder lets recursive schemas compile
            target: Any = self.documents[doc_name]
            for part in filter(None, pointer.split("/")):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            slot.append(self.compile(target, doc_name))
            self._refs[key] = slot[0]
        return self._refs[key]

    def _conditional(self, schema: dict[str, Any], base: str) -> Predicate:
        # a "no" that only means "unsure" would pick the wrong branch: compile only exact conditions
        if not isinstance(schema["if"], dict) or set(schema["if"]) != {"required"}:
            raise _Unsupported("if")
        condition = self.compile(schema["if"], base)
        then = self.compile(schema.get("then", True), base)
        otherwise = self.compile(schema.get("else", True), base)
        return lambda x: then(x) if condition(x) else otherwise(x)

    def _properties(self, properties: dict[str, Any], base: str) -> Predicate:
        compiled = {name: self.compile(sub, base) for name, sub in properties.items()}

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for name, value in x.items():
                test = compiled.get(name)
                if test is not None and not test(value):
                    return False
            return True

        return check

    def _additional(self, schema: dict[str, Any], base: str) -> Predicate:
        known = frozenset(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extra = self.compile(schema["additionalProperties"], base)

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            for name, value in x.items():
                if name in known or any(p.search(name) for p in patterns):
                    continue
                if not extra(value):
                    return False
            return True

        return check

    def _pattern_properties(self, value: dict[str, Any], base: str) -> Predicate:
        compiled = [(re.compile(p), self.compile(sub, base)) for p, sub in value.items()]

        def check(x: Any) -> bool:
            if not isinstance(x, dict):
                return True
            return all(test(v) for name, v in x.items() for regex, test in compiled if regex.search(name))

        return check


def _bound(kind: type, measure: Callable[[Any], int], limit: int, lower: bool) -> Predicate:
    if lower:
        return lambda x: not isinstance(x, kind) or measure(x) >= limit
    return lambda x: not isinstance(x, kind) or measure(x) <= limit


def _unique_items(x: Any) -> bool:
    if not isinstance(x, list):
        return True
    if all(isinstance(i, str) for i in x):
        return len(set(x)) == len(x)
    return False  # mixed or nested items: let jsonschema decide
