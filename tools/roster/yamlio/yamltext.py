"""Writing YAML the way staff write it: block style, two-space indents, quotes only where needed.

Every value written here reads back identically through the strict loader (load.py): a plain
scalar is used only when YAML would read it as the same text (dates ``2026-03-05`` stay plain,
``'540199'`` and ``'yes'`` get quotes), multi-line text becomes a literal block (``|``). Callers
check the round trip with `check_round_trip`, so a surprise is an error, never a changed value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

import yaml

from ..check.schemas import SCHEMA_FILES
from .load import LoadError, load_bytes

__all__ = ["SCHEMA_COMMENT", "check_round_trip", "render_block", "render_document", "render_entry", "scalar",
           "schema_comment"]

SCHEMA_COMMENT = "# yaml-language-server: $schema="
INDENT = 2

_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_OTHER_READING = re.compile(r"([yYnN]|0o[0-7]+)\Z")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def schema_comment(kind: str, depth: int) -> str:
    """The editor line for a record `depth` folders below the repository root.

    registry/experts/E0001.yaml has depth 2: ``# yaml-language-server: $schema=../../schemas/expert.schema.json``.
    """
    return SCHEMA_COMMENT + str(PurePosixPath(*([".."] * depth), "schemas", SCHEMA_FILES[kind]))


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text or "\n" in text:
        return False
    if any(ord(ch) < 32 or ch in "\u2028\u2029\ufeff" for ch in text):
        return False
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return not _OTHER_READING.match(text)
    return tag == _TIMESTAMP and bool(_DATE.match(text))


def scalar(value: Any) -> str:
    """One value on one line (no block scalars): plain, single-quoted or double-quoted."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _plain_ok(text):
        return text
    if "\n" in text or any(ord(ch) < 32 for ch in text):
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _literal(text: str, pad: str) -> list[str] | None:
    """A literal block (``|``) for multi-line text, or None when one cannot say it exactly."""
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    if not body or body[0] == " " or "\t" in text or "\r" in text:
        return None
    if any(ord(ch) < 32 and ch != "\n" for ch in text):
        return None
    chomp = {0: "|-", 1: "|"}.get(trailing, "|+")
    lines = [f"{pad}{line}" if line else "" for line in body.split("\n")]
    return [chomp, *lines, *([""] * (trailing - 1) if trailing > 1 else [])]


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list) or not value


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def render_block(value: Any, indent: int = 0, dash: int = INDENT) -> list[str]:
    """Lines of a mapping or list written at `indent` spaces.

    Nested mappings are indented by two; a list under a key has its dashes `dash` spaces to the right
    of the key (2, as the demo registry writes them, or 0 for files written that way).
    """
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            lines += render_entry(key, item, indent, dash)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = render_block(item, indent + INDENT, dash)
                lines.append(f"{pad}- {inner[0].lstrip(' ')}")
                lines += inner[1:]
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines += render_block(item, indent + INDENT, dash)
            else:
                lines += _entry(f"{pad}-", item, indent, dash)
    else:
        raise TypeError(f"render_block needs a mapping or list, got {type(value).__name__}")
    return lines


def render_entry(key: str, value: Any, indent: int, dash: int = INDENT) -> list[str]:
    """The lines of one ``key: value`` at `indent` spaces."""
    return _entry(f"{' ' * indent}{scalar(key)}:", value, indent, dash)


def _entry(head: str, value: Any, indent: int, dash: int) -> list[str]:
    if isinstance(value, str) and "\n" in value:
        block = _literal(value, " " * (indent + INDENT))
        if block is not None:
            return [f"{head} {block[0]}", *block[1:]]
    if _is_scalar(value):
        return [f"{head} {_inline(value)}"]
    if isinstance(value, list):
        return [head, *render_block(value, indent + dash, dash)]
    return [head, *render_block(value, indent + INDENT, dash)]


def render_document(data: dict[str, Any], comments: Sequence[str] = ()) -> str:
    """A whole record file: comment lines (each starting with #), then the fields; ends with a newline."""
    text = "\n".join([*comments, *render_block(data)]) + "\n"
    check_round_trip(text, data)
    return text


def check_round_trip(text: str, expected: Any) -> None:
    """Raise ValueError unless the strict loader reads `text` back as exactly `expected`."""
    try:
        data = load_bytes(text.encode("utf-8")).data
    except LoadError as exc:
        first = exc.problems[0]
        raise ValueError(f"生成的 YAML 第 {first.line} 行无法读回：{first.message}") from None
    if data != expected:
        raise ValueError("生成的 YAML 读回后与预期内容不一致")
