"""Strict YAML loading: bytes → plain data with the line and column of every field.

Staff type these files by hand, so everything that YAML 1.1 would silently reinterpret is an error
here (``no`` → false, ``010`` → 8, ``1:30`` → 90, dates → date objects), as are tabs, byte-order
marks, non-UTF-8 bytes and duplicate keys. Dates stay strings in the documented ``YYYY-MM-DD`` form.
Parsing uses libyaml (CSafeLoader) for the node tree; the conversion below adds the checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from ..core.errors import RosterError
from . import fastpath
from .scalars import BOOL as _BOOL
from .scalars import FLOAT as _FLOAT
from .scalars import INT as _INT
from .scalars import MAX_DIGITS, SURPRISE, plain_tag, plain_value, too_many_digits
from .scalars import NULL as _NULL
from .scalars import STR as _STR
from .scalars import TIMESTAMP as _TIMESTAMP

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is a pinned dependency; this keeps a bare install usable
    from yaml import SafeLoader as _BaseLoader

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]

class _Loader(_BaseLoader):
    """libyaml with a faster tag resolver: the parser asks it about every scalar, and most are plain text
    (Chinese names, units) or words repeated across thousands of files (field names, enum values)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return plain_tag(value)
        return super().resolve(kind, value, implicit)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, before it is tied to a display path."""

    line: int
    col: int
    rule: str
    message: str


@dataclass
class Document:
    """Parsed data, plus where each field sits in the file.

    Positions are only needed to report a finding, which few records have, so by default they are
    worked out from `raw` on first use instead of while loading every file.
    """

    data: Any
    _positions: dict[JsonPath, Position] | None = None
    raw: bytes | None = field(default=None, repr=False)
    source: str | None = field(default=None, repr=False)  # the file to read `raw` from when it is needed

    @property
    def positions(self) -> dict[JsonPath, Position]:
        if self._positions is None:
            self._positions = {}
            if self.raw is None and self.source is not None:
                try:
                    with open(self.source, "rb") as handle:
                        self.raw = handle.read()
                except OSError:
                    return self._positions  # the file is gone or unreadable now: findings point to its line 1
            if self.raw is not None:
                converter = _Converter(track_positions=True)
                converter.convert(yaml.compose(self.raw.decode("utf-8"), Loader=_Loader), ())
                self._positions = converter.positions
        return self._positions

    def position(self, path: JsonPath) -> Position:
        """Line and column of the field at ``path``, or of its nearest enclosing field."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


class LoadError(RosterError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "无法读取")
        self.problems = problems


KeyCheck = Callable[[str], "tuple[str, str] | None"]


def load_bytes(raw: bytes, key_check: KeyCheck | None = None, *, eager_positions: bool = False) -> Document:
    """Parse one file strictly. Raises LoadError with every problem found.

    `key_check(key)` may return (rule, message) for a field name that is not allowed anywhere; it runs
    during the conversion so callers need not walk the data again.

    Files in the canonical form our writers produce are read line by line (fastpath.py), which gives
    the same data; any other text, and every text with a problem, goes through libyaml.
    """
    if not eager_positions:
        text = decode(raw)
        data = fastpath.parse(text, key_check)
        if data is not None:
            return Document(data, None, raw)
        return _load_text(text, raw, key_check, eager_positions)
    return _load_text(decode(raw), raw, key_check, eager_positions)


def load_bytes_libyaml(raw: bytes, key_check: KeyCheck | None = None, *, eager_positions: bool = False) -> Document:
    """`load_bytes` without the line reader: libyaml's node tree and the strict conversion, always."""
    return _load_text(decode(raw), raw, key_check, eager_positions)


def _load_text(text: str, raw: bytes, key_check: KeyCheck | None, eager_positions: bool) -> Document:
    problems = [Problem(line, col, "yaml.tab", "文件中有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格")
                for line, col in _tab_positions(text)]
    if "&" in text or "!" in text or _nesting_bound(text) > MAX_DEPTH:
        refused = _structure_problems(text)
        if refused:  # not composed: a deep file would exhaust the stack, an alias can multiply a file's size
            raise LoadError(sorted(problems + refused, key=lambda p: (p.line, p.col)))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise LoadError(problems + [_syntax_problem(exc, text)]) from None
    except yaml.YAMLError:
        raise LoadError(problems + [Problem(1, 1, "yaml.syntax", "YAML 语法错误：无法读取：请检查冒号、引号和缩进")]) from None
    if node is None:
        raise LoadError(problems + [Problem(1, 1, "yaml.empty", "文件是空的：每个文件应当是一条记录（若干“字段: 值”）")])
    converter = _Converter(key_check, track_positions=eager_positions)
    data = converter.convert(node, ())
    problems += converter.problems
    if problems:
        raise LoadError(sorted(problems, key=lambda p: (p.line, p.col)))
    return Document(data, converter.positions if eager_positions else None, raw)


MAX_DEPTH = 100  # levels of nesting; a record has fewer than ten


def _nesting_bound(text: str) -> int:
    """More than the nesting depth of any YAML text: every level opens with one of these indicators
    ("-" counts every hyphen, not just "- ": one call less, and a record still stays well below 100)."""
    return text.count(":") + text.count("-") + text.count("[") + text.count("{") + text.count("?") + 1


def _structure_problems(text: str) -> list[Problem]:
    """Anchors, aliases, explicit tags and nesting beyond MAX_DEPTH, found in libyaml's event stream
    (the parser keeps its own stack, so it reads any depth without recursing)."""
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            if (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None) \
                    and (mark.line, "alias") not in seen:
                seen.add((mark.line, "alias"))
                problems.append(Problem(mark.line + 1, mark.column + 1, "yaml.alias",
                                        "不支持 YAML 锚点与别名（& 和 *）：请把内容完整写出"))
            if getattr(event, "tag", None) is not None:
                problems.append(Problem(mark.line + 1, mark.column + 1, "yaml.tag",
                                        f"不支持显式类型标签（{event.tag}）：请去掉以 ! 开头的标签，文字需要时加引号"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(mark.line + 1, mark.column + 1, "yaml.depth",
                                            f"嵌套超过 {MAX_DEPTH} 层：记录最多只有几层（字段、列表、列表中的条目），"
                                            "请检查缩进和方括号、花括号是否写错"))
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # syntax errors are reported by the compose step, with hints
    return problems


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise LoadError([Problem(1, 1, "yaml.bom",
                                 "文件开头有 BOM（字节顺序标记）：请用编辑器另存为“UTF-8（无 BOM）”")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError([Problem(1, 1, "yaml.encoding", "文件是 UTF-16 编码：请另存为“UTF-8（无 BOM）”")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        hint = "看起来是 GBK/GB18030 编码（Windows 记事本或 Excel 的默认编码）" if _decodes_as_gbk(raw) else "含有无法识别的字节"
        raise LoadError([Problem(line, col, "yaml.encoding",
                                 f"文件不是 UTF-8 编码，{hint}：请用编辑器另存为“UTF-8（无 BOM）”")]) from None


def _decodes_as_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return line, col


def _tab_positions(text: str) -> list[Position]:
    if "\t" not in text:
        return []
    return [(n, line.index("\t") + 1) for n, line in enumerate(text.split("\n"), 1) if "\t" in line]


_SYNTAX_HINTS = (
    ("found character '\\t'", "这里有制表符（Tab）：YAML 只能用空格缩进"),
    ("found duplicate anchor", "锚点重复"),
    ("expected a single document", "一个文件只能有一条记录（不要用 --- 分隔多条）"),
    ("could not find expected ':'", "缺少冒号：每个字段应写成“字段: 值”（半角冒号后加一个空格）"),
    ("did not find expected key", "缩进不一致：同一层的字段必须左对齐"),
    ("did not find expected '-' indicator", "列表缩进不一致：同一列表的各项应以“- ”左对齐"),
    ("found undefined alias", "引用了未定义的别名（*）"),
    ("while scanning a quoted scalar", "引号没有配对：请在值的末尾补上同样的引号"),
    ("found unexpected end of stream", "文件意外结束：请检查引号或括号是否配对"),
    ("found unknown escape character", "双引号中有无效的转义字符（\\）：请改用单引号"),
    ("while parsing a flow", "方括号或花括号没有配对"),
    ("mapping values are not allowed", "这里不能出现“: ”（冒号加空格）：值里有冒号时，请把整个值用单引号括起来"),
)
# a field name followed by a full-width colon, e.g. “gender：男” (a value may contain “：”, a key may not)
_FULL_WIDTH_KEY = re.compile(r"^(?P<indent>[ \u3000]*(?:-\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_.]*)[ \u3000]*：[ \u3000]*(?P<value>.*)$")
_FULL_WIDTH_SPACE = re.compile(r"^ *\u3000")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """Where a person would look and what to write: full-width punctuation first (the most common slip),
    then the parser's own finding at the line where the broken construct starts."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    lines = text.split("\n")
    for number, written in enumerate(lines[: at + 1], 1):
        full_width = _FULL_WIDTH_KEY.match(written)
        if full_width:
            key, value = full_width.group("key"), full_width.group("value")
            return Problem(number, written.index("：") + 1, "yaml.full_width",
                           f"“{key}”后面用了全角冒号“：”：请改为半角冒号加一个空格，写成 {key}: {value}".rstrip())
        if _FULL_WIDTH_SPACE.match(written):
            return Problem(number, written.index("\u3000") + 1, "yaml.full_width",
                           "行首有全角空格“　”：缩进只能用半角空格，请删去全角空格后用半角空格对齐")
    detail = f"{exc.context or ''} {exc.problem or ''}"
    hint = next((text for needle, text in _SYNTAX_HINTS if needle in detail), None)
    use_context = exc.context_mark is not None and any(w in detail for w in ("simple key", "quoted scalar", "parsing a flow"))
    chosen = exc.context_mark if use_context else mark
    line, col = (chosen.line + 1, chosen.column + 1) if chosen else (1, 1)
    if "mapping values are not allowed" in detail:
        indented = _extra_indent(lines, line - 1)
        if indented:
            return Problem(line, 1, "yaml.syntax",
                           f"YAML 语法错误：这一行比上一行多缩进了 {indented} 个空格：同一层的字段必须左对齐，请删去行首多余的空格")
        field = re.match(r"^(\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*): (.+)$", lines[line - 1])
        if field:
            quoted = field.group(2).strip().replace("'", "''")
            hint = f"{hint}，写成 {field.group(1).strip()}: '{quoted}'"
    return Problem(line, col, "yaml.syntax", f"YAML 语法错误：{hint or '无法读取：请检查该处的冒号、引号和缩进'}")


def _extra_indent(lines: list[str], index: int) -> int:
    """How much further line `index` is indented than the previous field line, when that line holds a value
    (so nothing may be nested under it)."""
    if index <= 0 or index >= len(lines):
        return 0
    previous = next((ln for ln in reversed(lines[:index]) if ln.strip() and not ln.lstrip().startswith("#")), "")
    if not previous or previous.rstrip().endswith(":"):
        return 0
    extra = (len(lines[index]) - len(lines[index].lstrip(" "))) - (len(previous) - len(previous.lstrip(" -")))
    return extra if extra > 0 else 0


class _Converter:
    """Turns a libyaml node tree into plain data, recording positions and strictness problems.
    Aliases, explicit tags and deep nesting never get here (`_structure_problems`)."""

    def __init__(self, key_check: KeyCheck | None = None, *, track_positions: bool = False) -> None:
        self.key_check = key_check
        self.track = track_positions
        self.positions: dict[JsonPath, Position] = {}
        self.problems: list[Problem] = []

    def convert(self, node: yaml.Node, path: JsonPath) -> Any:
        """Positions are recorded by the parent (a mapping key's, a list item's), the root's here."""
        if self.track:
            self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        return self._node(node, path)

    def _node(self, node: yaml.Node, path: JsonPath) -> Any:
        if type(node) is yaml.ScalarNode:
            return self._scalar(node)
        if type(node) is yaml.SequenceNode:
            if not self.track:
                return [self._node(item, path) for item in node.value]
            items = []
            for i, item in enumerate(node.value):
                mark = item.start_mark
                item_path = path + (i,)
                self.positions[item_path] = (mark.line + 1, mark.column + 1)
                items.append(self._node(item, item_path))
            return items
        return self._mapping(node, path)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        positions = self.positions
        key_check = self.key_check
        track = self.track
        for key_node, value_node in node.value:
            key = key_node.value
            if type(key) is str:  # one shared copy of each field name, as the line reader keeps them
                key = intern(key)
            unusual = type(key_node) is not yaml.ScalarNode or key_node.tag != _STR or key in result or key == "<<"
            if unusual and not self._acceptable_key(key_node, node, result):
                continue
            if key_check is not None:
                refused = key_check(key)
                if refused:
                    self._problem(key_node, *refused)
            if track:
                mark = key_node.start_mark
                key_path = path + (key,)
                positions[key_path] = (mark.line + 1, mark.column + 1)
                result[key] = self._node(value_node, key_path)
            else:
                result[key] = self._node(value_node, path)
        return result

    def _acceptable_key(self, key_node: yaml.Node, mapping: yaml.MappingNode, seen: dict[str, Any]) -> bool:
        """The slow path for unusual keys: merge keys, non-text keys, duplicates."""
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and not key_node.style:
            self._problem(key_node, "yaml.merge", "不支持 YAML 合并键（<<）：请把字段完整写出")
            return False
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, _BOOL, _INT, _NULL, _FLOAT, _TIMESTAMP):
            self._problem(key_node, "yaml.key", "字段名必须是简单的文字")
            return False
        key = key_node.value
        if key_node.tag != _STR and not key_node.style:
            self._problem(key_node, "yaml.key", f"字段名“{key}”会被 YAML 当作非文字：请给字段名加引号或改用字母")
        if key in seen:
            first = next(k for k, _ in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key)
            self._problem(key_node, "yaml.duplicate_key",
                          f"字段“{key}”重复出现（第 {first.start_mark.line + 1} 行已有）：同一层每个字段只能写一次")
            return False
        return True

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        tag = node.tag
        if node.style:  # quoted or block scalars are text; libyaml reports plain ones with style "" (pure-Python: None)
            if tag != _STR:
                self._problem(node, "yaml.tag", f"不支持显式类型标签（{tag}）：请去掉以 ! 开头的标签")
            return value
        result = plain_value(value, tag)
        if result is not SURPRISE:
            return result
        if tag == _STR:
            return self._surprise(node, f"“{value}”在某些 YAML 版本中会被当作布尔值或数字：是否请写 true 或 false，若是文字请加引号，例如 '{value}'")
        if tag == _NULL:
            return self._surprise(node, f"“{value}”会被 YAML 当作空值：空值请写 null，若是文字请加引号")
        if tag == _BOOL:
            return self._surprise(node, f"“{value}”会被 YAML 1.1 当作布尔值（是/否）：是否请写 true 或 false，若是文字请加引号，例如 '{value}'")
        if tag in (_INT, _FLOAT) and too_many_digits(value):
            return self._surprise(node, f"“{value[:20]}…”有 {sum(c.isdigit() for c in value)} 位数字，超过 {MAX_DIGITS} 位，"
                                        "不能作为数字保存：若是编号、代码等文字，请在值的两边加单引号；若是数量，请检查是否多写了数字")
        if tag == _INT:
            return self._surprise(node, f"“{value}”会被 YAML 1.1 当作特殊进制或时间（如 010 是八进制 8，1:30 是 90）：数字不要以 0 开头，编号、时间等文字请加引号，例如 '{value}'")
        if tag == _FLOAT:
            return self._surprise(node, f"“{value}”会被 YAML 当作特殊数字：若是文字请加引号，例如 '{value}'")
        if tag == _TIMESTAMP:
            return self._surprise(node, f"“{value}”会被 YAML 当作日期时间：日期请写成 YYYY-MM-DD（如 2026-03-05），其他文字请加引号")
        self._problem(node, "yaml.tag", f"不支持的类型标签（{tag}）")
        return value

    def _surprise(self, node: yaml.Node, message: str) -> str:
        self._problem(node, "yaml.implicit_type", message)
        return str(node.value)

    def _problem(self, node: yaml.Node, rule: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(mark.line + 1, mark.column + 1, rule, message))
