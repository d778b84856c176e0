"""Everything that can be said about one file from its bytes alone: parse, schema, personal data.

The result depends only on the file's content and kind, which is what makes it safe to cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..yamlio.load import Document, LoadError, Problem, load_bytes
from . import pii
from .schemas import SchemaSet


@dataclass
class FileResult:
    document: Document | None
    problems: list[Problem]
    notes: list[Problem] = field(default_factory=list)  # warnings: values accepted in another form


def check_file(kind: str, raw: bytes, schemas: SchemaSet) -> FileResult:
    text = raw.decode("utf-8", errors="replace")
    # One cheap test clears nearly every file; a backslash may be a YAML escape that spells digits or
    # "@" only once parsed.
    suspect = "\\" in text or pii.may_hold_personal_data(text)
    try:
        document = load_bytes(raw, key_check=_forbidden_field)
    except LoadError as exc:
        problems = personal_data(text, None) if suspect else []
        return FileResult(None, sorted(exc.problems + problems, key=lambda p: (p.line, p.col)))
    problems = personal_data(text, document) if suspect else []
    notes: list[Problem] = []
    problems += schemas.check(kind, document, notes)
    return FileResult(document, sorted(problems, key=lambda p: (p.line, p.col)), notes)


def personal_data(text: str, document: Document | None) -> list[Problem]:
    """Personal data in a file's text and, when it parsed, in its values."""
    data, position = (document.data, document.position) if document else (None, lambda path: (1, 1))
    return [Problem(line, col, f"privacy.{kind}", pii.describe(kind)) for line, col, kind in
            pii.scan_file(text, data, position)]


@lru_cache(maxsize=4096)
def _forbidden_field(key: str) -> tuple[str, str] | None:
    label = pii.forbidden_key(key)
    if label is None:
        return None
    return ("privacy.field", f"字段“{key}”是{label}：名册中不得保存{label}（本系统规则，落实个人信息保护法第二十五条），"
                             "请删除该字段，联系方式另行保管")
