"""Finding a unit by what staff or a spreadsheet call it: its id, its name or one of its aliases."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..check.registry import Record

__all__ = ["InstitutionIndex", "guess_type", "normalize_name"]

_SPACES = re.compile(r"\s+")
_ID = re.compile(r"I[0-9]{4,6}")


def normalize_name(text: str) -> str:
    """Compare names without spaces, line breaks or full-/half-width differences: “市人民医院 ” = “市人民医院”."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def guess_type(name: str, rules: Sequence[Mapping[str, Any]]) -> str:
    """The institution type of the first rule whose word the name contains; “other” when none does."""
    for rule in rules:
        if str(rule["contains"]) in name:
            return str(rule["type"])
    return "other"


class InstitutionIndex:
    def __init__(self, records: Iterable[Record]) -> None:
        self.by_id: dict[str, Record] = {}
        self.by_name: dict[str, Record] = {}
        for record in records:
            if not record.id:
                continue
            self.by_id[record.id] = record
            names = [record.data.get("name"), *(record.data.get("aliases") or [])]
            for name in names:
                if isinstance(name, str):
                    self.by_name.setdefault(normalize_name(name), record)

    def add(self, ident: str, record: Record) -> None:
        self.by_id[ident] = record
        name = record.data.get("name")
        if isinstance(name, str):
            self.by_name.setdefault(normalize_name(name), record)

    def match(self, text: str) -> Record | None:
        """The unit whose id, name or alias is `text` (ignoring spaces and width), else None."""
        cleaned = unicodedata.normalize("NFKC", text).strip()
        if _ID.fullmatch(cleaned):
            return self.by_id.get(cleaned)
        return self.by_name.get(normalize_name(cleaned))

    def suggestions(self, text: str, limit: int = 3) -> list[Record]:
        close = difflib.get_close_matches(normalize_name(text), list(self.by_name), n=limit * 2, cutoff=0.5)
        found: list[Record] = []
        for name in close:
            record = self.by_name[name]
            if record not in found:
                found.append(record)
        return found[:limit]

    def describe_suggestions(self, text: str) -> str:
        close = self.suggestions(text)
        if not close:
            return ""
        return "；相近的单位：" + "、".join(f"{r.id} {r.data.get('name')}" for r in close)
