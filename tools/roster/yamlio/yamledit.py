"""Surgical edits of a record file: change a value, add a field, append a list item — nothing else moves.

Staff write comments and lay files out by hand, so a command that changes a record edits its text
instead of re-dumping it: the lines it does not touch stay byte for byte, comments included. A new
field goes where the schema puts it (fieldorder.py). Every edit is also applied to a copy of the
data, and `RecordEdit.result` checks that the strict loader reads the new text back as exactly that
data — if the text is laid out in a way these edits do not understand, the result is an EditError
(“请手工修改”), never a silently different record.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from ..core.errors import EditError
from .fieldorder import field_order
from .load import LoadError, load_bytes
from .yamltext import INDENT, check_round_trip, render_block, render_entry, scalar

__all__ = ["RecordEdit"]

Path_ = tuple[str | int, ...]


class RecordEdit:
    """Edits of one record file (`raw` bytes of a record of `kind`, shown to staff as `display`)."""

    def __init__(self, kind: str, display: str, raw: bytes) -> None:
        self.kind = kind
        self.display = display
        try:
            text = raw.decode("utf-8")
            self.data: dict[str, Any] = load_bytes(raw).data
        except (UnicodeDecodeError, LoadError) as exc:
            problem = exc.problems[0].message if isinstance(exc, LoadError) else "不是 UTF-8 编码"
            raise EditError(f"{display} 本身有错误（{problem}）：请先修正该文件（roster validate 会列出问题），再运行本命令") from None
        if not isinstance(self.data, dict):
            raise EditError(f"{display} 不是一条记录（若干“字段: 值”）：请先修正该文件")
        self.expected = copy.deepcopy(self.data)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.lines = text.split(self.newline)
        self.dash = self._dash_style()

    # --- reading -----------------------------------------------------------------------------------

    def get(self, *path: str | int) -> Any:
        value: Any = self.expected
        for part in path:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and -len(value) <= part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
        return value

    # --- editing -----------------------------------------------------------------------------------

    def set(self, path: Path_, value: Any) -> None:
        """Give the field at `path` the value `value`, adding the field (in schema order) when it is absent."""
        parent_path, key = path[:-1], path[-1]
        if not isinstance(key, str):
            raise TypeError("set() needs a field name as the last part of the path")
        parent = self.get(*parent_path)
        if parent is None and parent_path:
            self.set(parent_path, {key: value})
            return
        if not isinstance(parent, dict):
            raise self._cannot(parent_path)
        if key in parent:
            self._replace(path, value)
        else:
            self._insert_key(parent_path, key, value)
        parent[key] = copy.deepcopy(value)

    def append(self, path: Path_, item: Any) -> None:
        """Append `item` to the list at `path` (creating the list when the field is absent)."""
        current = self.get(*path)
        if current is None or current == []:
            self.set(path, [item])
            return
        if not isinstance(current, list):
            raise self._cannot(path)
        node = self._node(path)
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            raise self._cannot(path, "不是逐行列表（每项以“- ”开头）的写法")
        last = node.value[-1]
        line_text = self.lines[last.start_mark.line]
        dash = line_text.rfind("-", 0, last.start_mark.column)
        if dash < 0 or line_text[:dash].strip():
            raise self._cannot(path, "不是逐行列表（每项以“- ”开头）的写法")
        item_col = last.start_mark.column
        if isinstance(item, dict) and item:
            inner = render_block(item, item_col, self.dash)
            block = [" " * dash + "-" + " " * (item_col - dash - 1) + inner[0].lstrip(" "), *inner[1:]]
        elif isinstance(item, dict | list):
            raise self._cannot(path)
        else:
            block = [" " * dash + "- " + scalar(item)]
        at = self._after_item_comments(self._last_line(last) + 1, dash)
        self.lines[at:at] = block
        current.append(copy.deepcopy(item))

    def result(self) -> bytes:
        """The edited file; EditError if it would not read back as exactly the intended record."""
        text = self.newline.join(self.lines)
        try:
            check_round_trip(text.replace("\r\n", "\n"), self.expected)
        except ValueError:
            raise EditError(f"{self.display} 的写法无法自动修改（修改后内容与预期不符）：没有写入，请按提示手工修改该文件") from None
        return text.encode("utf-8")

    # --- internals ---------------------------------------------------------------------------------

    def _cannot(self, path: Path_, why: str = "写法特殊") -> EditError:
        where = ".".join(str(p) for p in path) or "（整个文件）"
        return EditError(f"{self.display} 中 {where} {why}，无法自动修改：没有写入，请手工修改该文件")

    def _root(self) -> yaml.Node:
        try:
            node = yaml.compose("\n".join(self.lines), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            raise EditError(f"{self.display} 修改过程中无法读取：没有写入，请手工修改该文件") from None
        if node is None:
            raise self._cannot(())
        return node

    def _pair(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node]:
        """(key node, value node) at `path`; the key is None for list items and the document."""
        node = self._root()
        key_node: yaml.Node | None = None
        for part in path:
            if isinstance(part, int) and isinstance(node, yaml.SequenceNode) and part < len(node.value):
                key_node, node = None, node.value[part]
            elif isinstance(part, str) and isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if k.value == part), None)
                if found is None:
                    raise self._cannot(path)
                key_node, node = found
            else:
                raise self._cannot(path)
        return key_node, node

    def _node(self, path: Path_) -> yaml.Node:
        return self._pair(path)[1]

    def _last_line(self, node: yaml.Node) -> int:
        """Index of the last line holding part of `node` (trailing blank lines and comments excluded)."""
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
            while end > node.start_mark.line and not self.lines[end].strip():
                end -= 1
            return max(end, node.start_mark.line)
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return max(self._last_line(v) for _, v in node.value)
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return max(self._last_line(v) for v in node.value)
        return int(node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1)

    def _after_item_comments(self, at: int, dash: int) -> int:
        """Past comment lines indented under the last list item (they belong to it), not past outer ones."""
        end = at
        for index in range(at, len(self.lines)):
            text = self.lines[index]
            if not text.strip():
                continue
            if not text.lstrip(" ").startswith("#"):
                break
            if len(text) - len(text.lstrip(" ")) > dash:
                end = index + 1
        return end

    def _replace(self, path: Path_, value: Any) -> None:
        key_node, node = self._pair(path)
        single = (isinstance(node, yaml.ScalarNode) and node.start_mark.line == node.end_mark.line
                  and node.style in (None, "", "'", '"'))
        if single and not isinstance(value, dict | list) and not (isinstance(value, str) and "\n" in value):
            line = self.lines[node.start_mark.line]
            self.lines[node.start_mark.line] = line[:node.start_mark.column] + scalar(value) + line[node.end_mark.column:]
            return
        if key_node is None:
            raise self._cannot(path)
        first = key_node.start_mark.line
        block = render_entry(str(path[-1]), value, key_node.start_mark.column, self.dash)
        tail = self._comment_after(key_node, node)
        if tail:
            block[0] += tail
        self.lines[first:self._last_line(node) + 1] = block

    def _comment_after(self, key_node: yaml.Node, node: yaml.Node) -> str:
        """A comment at the end of a replaced one-line ``key: value`` line, kept on the new line."""
        if node.start_mark.line != key_node.start_mark.line or node.end_mark.line != key_node.start_mark.line:
            return ""
        rest = self.lines[key_node.start_mark.line][node.end_mark.column:]
        return rest if rest.strip().startswith("#") else ""

    def _insert_key(self, parent_path: Path_, key: str, value: Any) -> None:
        node = self._node(parent_path)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise self._cannot(parent_path, "不是逐行的“字段: 值”写法")
        schema_path = tuple(0 if isinstance(p, int) else p for p in parent_path)
        order = field_order(self.kind, schema_path)
        rank = {name: i for i, name in enumerate(order)}
        mine = rank.get(key, len(order))
        if not node.value:
            raise self._cannot(parent_path)
        indent = node.value[0][0].start_mark.column
        before = [(k, v) for k, v in node.value if rank.get(k.value, len(order)) <= mine]
        # after the last field that comes before it in schema order, else before the first field
        at = max(self._last_line(v) for _, v in before) + 1 if before else min(k.start_mark.line for k, _ in node.value)
        self.lines[at:at] = render_entry(key, value, indent, self.dash)

    def _dash_style(self) -> int:
        """How far this file indents list dashes under their key (2 unless it writes them flush)."""
        try:
            root = yaml.compose("\n".join(self.lines), Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return INDENT
        if not isinstance(root, yaml.MappingNode):
            return INDENT
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                first = value.value[0]
                dash = self.lines[first.start_mark.line].rfind("-", 0, first.start_mark.column)
                return max(dash - key.start_mark.column, 0)
        return INDENT
