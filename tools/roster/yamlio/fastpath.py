"""A line-based reader for the small subset of YAML that our own writers produce, or None.

Nearly every record file is written by `yamltext`/`yamledit` (or the draw writer) in one canonical
form: block mappings and lists indented with spaces, one scalar per line, literal blocks (``|``) for
multi-line text, and short flow lists or mappings of plain words. Reading that form line by line is
several times faster than building libyaml's node tree and converting it, which is the floor of a cold
`roster validate`.

`parse` returns exactly the data the full loader (`load.load_bytes_libyaml`) returns for the same text,
or None — it *declines* — for anything it does not surely understand, including every text in which
the full loader would find a problem. So errors, problems and positions always come from the full
loader; tests/yamlio/test_fastpath.py compares the two on the demo registry, a generated one and
hypothesis-generated texts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from .scalars import MAYBE_TYPED, STR, SURPRISE, plain_tag, plain_value

KeyCheck = Callable[[str], object]  # load.KeyCheck: a truthy answer refuses the field name

# Characters libyaml refuses or treats as line breaks, tabs, and the byte-order mark: none of these
# appear in a canonical file, so one search keeps them all out of the rules below.
_UNUSUAL_CHARACTER = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# A plain scalar may not start with an indicator: these start anchors, tags, aliases, block scalars,
# flow collections, quotes, comments, directives or are reserved. "-" is allowed when followed by a non-space.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = re.compile(r"[\[\]{}#\"]")
_MAX_KEY = 200  # characters in a field name; libyaml refuses a key longer than 1024 ("simple key" limit)
_MAX_DEPTH = 50  # nesting levels read here; deeper texts go to the full loader, which limits them

_NOT_TEXT = _INDICATORS | MAYBE_TYPED  # a plain scalar starting with any other character is text

_keys: dict[str, str] = {}  # field name as written → the shared (interned) name, for names that are text
_words: dict[str, Any] = {}  # plain scalar → its value, for accepted ones that may be typed (dates, numbers, true)
_UNKNOWN = object()


class _Decline(Exception):
    pass


def parse(text: str, key_check: KeyCheck | None = None) -> dict[str, Any] | list[Any] | None:
    """The data of `text` (a decoded file), or None when only the full loader can say."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # as libyaml reads them (a Windows checkout); a lone CR is declined below
    if _UNUSUAL_CHARACTER.search(text):
        return None
    try:
        return _Reader(text, key_check).document()
    except _Decline:
        return None


def _key(written: str) -> str:
    """The field name for `written` (before the colon), shared between records; declines names that are
    not plain identifiers YAML reads as text (``true``, ``null``, ``on`` …)."""
    key = _keys.get(written)
    if key is None:
        if len(written) > _MAX_KEY or not _KEY.match(written) or plain_tag(written) != STR:
            raise _Decline
        key = sys.intern(written)
        if len(_keys) < 100_000:
            _keys[key] = key
    return key


def _plain(value: str) -> Any:
    """A plain scalar on one line (no leading or trailing spaces), typed as the full loader types it."""
    known = _words.get(value, _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    first = value[0]
    if first in _INDICATORS and (first != "-" or len(value) < 2 or value[1] == " "):
        raise _Decline
    if ": " in value or " #" in value or value[-1] == ":":
        raise _Decline
    result = plain_value(value, plain_tag(value))
    if result is SURPRISE:
        raise _Decline
    if first in MAYBE_TYPED and len(_words) < 100_000:
        _words[value] = result
    return result


def _inline(value: str, key_check: KeyCheck | None) -> Any:
    """A value written on one line: quoted, an empty or short flow collection, or plain."""
    first = value[0]
    if first == "'":
        return _quoted(value)
    if first == '"':
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != '"' or '"' in inner or "\\" in inner:
            raise _Decline
        return inner
    if first == "[" or first == "{":
        return _flow(value, key_check)
    return _plain(value)


def _quoted(value: str) -> str:
    """A single-quoted scalar: ``''`` is one quote, nothing else is special."""
    inner = value[1:-1]
    if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
        raise _Decline
    return inner.replace("''", "'")


def _flow(text: str, key_check: KeyCheck | None) -> Any:
    """``[a, b]`` or ``{k: v, k: v}`` of plain or single-quoted scalars without commas, colons, brackets or
    comments (the draw writer's candidate lists and facts)."""
    close = "]" if text[0] == "[" else "}"
    if text[-1] != close:
        raise _Decline
    inner = text[1:-1]
    if _FLOW_SPECIAL.search(inner):
        raise _Decline
    if not inner.strip(" "):
        return [] if close == "]" else {}
    if close == "]":
        items = []
        for item in inner.split(","):
            item = item.strip(" ")
            if not item or ":" in item:
                raise _Decline
            items.append(_quoted(item) if item[0] == "'" else _plain(item))
        return items
    mapping: dict[str, Any] = {}
    for entry in inner.split(","):
        entry = entry.strip(" ")
        colon = entry.find(":")
        if colon <= 0 or entry[colon + 1: colon + 2] != " ":
            raise _Decline
        key = _key(entry[:colon])
        value = entry[colon + 2:].lstrip(" ")
        if key in mapping or not value or ":" in value or (key_check is not None and key_check(key)):
            raise _Decline
        mapping[key] = _quoted(value) if value[0] == "'" else _plain(value)
    return mapping


class _Reader:
    """Recursive descent over the lines; every method returns (value, index of the line after it)."""

    __slots__ = ("bodies", "count", "depth", "key_check", "lines")

    def __init__(self, text: str, key_check: KeyCheck | None) -> None:
        self.lines = text.split("\n")
        self.bodies = [line.lstrip(" ") for line in self.lines]
        self.count = len(self.lines)
        self.key_check = key_check
        self.depth = 0

    def next_line(self, i: int) -> int:
        """The first line at or after `i` that is neither blank nor a comment."""
        bodies = self.bodies
        count = self.count
        while i < count:
            body = bodies[i]
            if body and body[0] != "#":
                return i
            i += 1
        return i

    def indent(self, i: int) -> int:
        return len(self.lines[i]) - len(self.bodies[i])

    def document(self) -> dict[str, Any] | list[Any]:
        i = self.next_line(0)
        if i >= self.count or self.indent(i) != 0:
            raise _Decline
        value, i = self.block(i, 0)
        if self.next_line(i) < self.count:
            raise _Decline
        return value

    def block(self, i: int, indent: int) -> tuple[Any, int]:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Decline
        body = self.bodies[i]
        if body[0] == "-" and (len(body) == 1 or body[1] == " "):
            result: tuple[Any, int] = self.sequence(i, indent)
        else:
            result = self.mapping(i, indent)
        self.depth -= 1
        return result

    def mapping(self, i: int, indent: int) -> tuple[dict[str, Any], int]:
        """Lines ``key: value`` at `indent`, from line i (whose body a list item may have shortened)."""
        bodies = self.bodies
        lines = self.lines
        count = self.count
        key_check = self.key_check
        result: dict[str, Any] = {}
        while True:
            body = bodies[i]
            colon = body.find(":")
            if colon <= 0:
                raise _Decline
            key = _keys.get(body[:colon]) or _key(body[:colon])
            if key in result or (key_check is not None and key_check(key)):
                raise _Decline
            rest = body[colon + 1:]
            if rest:
                if rest[0] != " ":
                    raise _Decline
                rest = rest.strip(" ")
            j = i + 1
            if rest and rest[0] not in _NOT_TEXT and ": " not in rest and " #" not in rest and rest[-1] != ":":
                result[key] = rest  # plain text, the most common value (what `_plain` says, sooner)
            elif not rest:
                j = self.next_line(j)
                if j < count:
                    below = len(lines[j]) - len(bodies[j])
                    if below > indent:
                        result[key], j = self.block(j, below)
                    elif below == indent and bodies[j][0] == "-" and (len(bodies[j]) == 1 or bodies[j][1] == " "):
                        result[key], j = self.block(j, indent)  # a list may start at its key's indent
                    else:
                        result[key] = None
                else:
                    result[key] = None
            elif rest[0] == "|":
                result[key], j = self.literal(rest, i, indent)
            elif (rest[0] == "[" or rest[0] == "{") and rest[-1] == ",":
                result[key], j = self.long_flow(rest, i, indent)
            else:
                result[key] = _inline(rest, key_check)
            if j >= count or not bodies[j] or bodies[j][0] == "#":
                j = self.next_line(j)
                if j >= count:
                    return result, j
            below = len(lines[j]) - len(bodies[j])
            if below < indent:
                return result, j
            if below > indent:
                raise _Decline  # a continued value or a misplaced line
            i = j

    def sequence(self, i: int, indent: int) -> tuple[list[Any], int]:
        """Items ``- value`` at `indent`, from line i."""
        bodies = self.bodies
        lines = self.lines
        count = self.count
        result: list[Any] = []
        while True:
            rest = bodies[i][1:]
            item = rest.lstrip(" ")
            column = indent + 1 + len(rest) - len(item)
            item = item.rstrip(" ")
            j = i + 1
            if not item:
                j = self.next_line(j)
                if j < count and len(lines[j]) - len(bodies[j]) > indent:
                    value, j = self.block(j, len(lines[j]) - len(bodies[j]))
                else:
                    value = None
            elif item[0] == "-" and (len(item) == 1 or item[1] == " "):
                raise _Decline  # "- - x": a list directly in a list item
            elif self.is_key_line(item):
                bodies[i] = item  # the mapping starts after the dash, at `column`
                self.depth += 1
                if self.depth > _MAX_DEPTH:
                    raise _Decline
                value, j = self.mapping(i, column)
                self.depth -= 1
            else:
                value = _inline(item, self.key_check)
            result.append(value)
            j = self.next_line(j)
            if j >= count:
                return result, j
            below = len(lines[j]) - len(bodies[j])
            if below < indent:
                return result, j
            if below > indent:
                raise _Decline
            body = bodies[j]
            if body[0] != "-" or (len(body) > 1 and body[1] != " "):
                return result, j  # the end of a list written at its key's indent; the mapping goes on
            i = j

    @staticmethod
    def is_key_line(item: str) -> bool:
        colon = item.find(":")
        return colon > 0 and (colon + 1 == len(item) or item[colon + 1] == " ") and bool(_KEY.match(item[:colon]))

    def literal(self, header: str, i: int, indent: int) -> tuple[str, int]:
        """A literal block (``|`` or ``|-``) as the value of a key at `indent`; the header is on line i."""
        if header != "|" and header != "|-":
            raise _Decline  # folded (>), keep (|+), indentation indicators, comments
        lines = self.lines
        count = self.count
        j = i + 1
        while j < count and not lines[j]:
            j += 1
        if j >= count or not self.bodies[j]:
            raise _Decline
        width = len(lines[j]) - len(self.bodies[j])
        if width <= indent:
            raise _Decline  # an empty block
        parts = [""] * (j - i - 1)
        last = j  # the last line with text
        while j < count:
            line = lines[j]
            if line:
                body = self.bodies[j]
                if not body:
                    raise _Decline  # a line of spaces: text or not, depending on their number
                if len(line) - len(body) < width:
                    break
                last = j
                parts.append(line[width:])
            else:
                parts.append("")
            j += 1
        del parts[last - i:]
        text = "\n".join(parts)
        if header == "|" and last + 1 < count:
            text += "\n"  # clip: the last line break is kept, if there is one
        return text, j

    def long_flow(self, start: str, i: int, indent: int) -> tuple[Any, int]:
        """A flow list or mapping continued over the next lines, each line ending after a comma."""
        lines = self.lines
        bodies = self.bodies
        text = start
        j = i + 1
        while text[-1] == ",":
            if j >= self.count:
                raise _Decline
            body = bodies[j].rstrip(" ")
            if not body or body[0] == "#" or len(lines[j]) - len(bodies[j]) <= indent:
                raise _Decline
            text += " " + body
            j += 1
        return _flow(text, self.key_check), j
