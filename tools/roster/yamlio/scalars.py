"""What a plain (unquoted) scalar means: its YAML 1.1 tag and the value the strict loader gives it.

Shared by the full loader (load.py, libyaml) and the line reader (fastpath.py), so that both read every
word the same way.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"

_PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_PLAIN_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+\Z")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# plain words that YAML 1.1 (y/n) or YAML 1.2 (0o17) read as something other than text
_OTHER_YAML_READING = re.compile(r"([yYnN]|0o[0-7]+)\Z")
_NULL_WORDS = frozenset({"", "null", "~"})

# Only plain scalars starting with one of these can resolve to anything but text (PyYAML's implicit resolvers).
MAYBE_TYPED = frozenset("yYnNtTfFoO-+0123456789.<~=")
_resolved: dict[str, str] = {}  # word → tag, for the words that may be typed (field names, enum values, dates)
_RESOLVER = yaml.resolver.Resolver()  # the implicit resolvers of CSafeLoader (and so of load._Loader)


def plain_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain (unquoted) scalar: what the loader asks for every one it reads."""
    if not value:
        return NULL
    if value[0] not in MAYBE_TYPED:
        return STR
    tag = _resolved.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if len(_resolved) < 100_000:
            _resolved[value] = tag
    return tag


MAX_DIGITS = 15  # a number with more digits is not kept exactly (a float) or is not a quantity (an id, a code)


def too_many_digits(value: str) -> bool:
    """A plain number longer than any quantity in a record: read as a number it would lose digits, turn
    into infinity or, past 4,300 digits, not be read at all."""
    return sum(c.isdigit() for c in value) > MAX_DIGITS if len(value) > MAX_DIGITS else False


SURPRISE: Any = object()  # what `plain_value` returns for a plain scalar that the strict loader reports


def plain_value(value: str, tag: str) -> Any:
    """The value of a plain scalar with its resolved tag, or SURPRISE when YAML would read it as something
    other than what a person typing it most likely meant (see `_Converter._scalar` for the messages)."""
    if tag == STR:
        if (len(value) == 1 or value[:2] == "0o") and _OTHER_YAML_READING.match(value):
            return SURPRISE
        return value
    if tag == NULL:
        return None if value in _NULL_WORDS else SURPRISE
    if tag == BOOL:
        return value == "true" if value in ("true", "false") else SURPRISE
    if tag == INT:
        return int(value) if _PLAIN_INT.match(value) and not too_many_digits(value) else SURPRISE
    if tag == FLOAT:
        return float(value) if _PLAIN_FLOAT.match(value) and not too_many_digits(value) else SURPRISE
    if tag == TIMESTAMP:
        return value if _PLAIN_DATE.match(value) else SURPRISE  # dates are kept as their text; the schema checks the form
    return SURPRISE
