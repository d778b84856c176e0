"""Every field staff can type has a Chinese title and description (they show in editors and messages)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from roster.check.schemas import SchemaSet

SCHEMAS = SchemaSet()
CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(schema: dict[str, Any], base: str, path: str) -> Iterator[tuple[str, str | None, str | None]]:
    for name, sub in schema.get("properties", {}).items():
        target, target_base = SCHEMAS.resolve(sub, base)
        yield f"{path}.{name}", target.get("title"), target.get("description")
        yield from fields(target, target_base, f"{path}.{name}")
        items = target.get("items")
        if isinstance(items, dict):
            item, item_base = SCHEMAS.resolve(items, target_base)
            yield from fields(item, item_base, f"{path}.{name}[]")


@pytest.mark.parametrize("name", sorted(SCHEMAS.documents))
def test_every_field_has_a_chinese_title_and_description(name: str) -> None:
    document = SCHEMAS.documents[name]
    assert document.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert CJK.search(document.get("title", "")) and CJK.search(document.get("description", ""))
    missing = [path for path, title, description in fields(document, name, name.split(".")[0])
               if not (title and CJK.search(title) and description and CJK.search(description))]
    assert not missing, f"{name}: fields without a Chinese title or description: {missing}"
