"""Every field staff can type has a Chinese title and description (they show in editors and messages)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from roster.check.schemas import SchemaSet
from roster.yamlio.load import load_bytes

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


def test_turning_off_the_guiyang_specialty_rule_says_why_it_cannot_be() -> None:
    """`distinct_institutions_per_specialty: false` is refused with GY 第十二条（二） and what to write instead."""
    demo = Path(__file__).resolve().parents[2] / "registry" / "draws"
    text = next(iter(sorted(demo.rglob("*.yaml")))).read_text(encoding="utf-8")
    assert "\nrequest:\n" in text
    document = load_bytes(text.replace("\nrequest:\n", "\nrequest:\n  distinct_institutions_per_specialty: false\n", 1)
                          .encode("utf-8"))
    messages = [p.message for p in SCHEMAS.check("draw", document) if p.rule == "schema.const"]
    assert messages == ["字段 request.distinct_institutions_per_specialty（同一专业来自不同单位）必须是 true：贵阳规定第十二条（二）"
                        "“同一专业的专家应当来自不同的医疗及相关机构”，不能关闭：请写 true；预设不要求这一限制时删去这一行"]
