"""Declaration items (承诺事项) as staff record them, one by one, from the material in hand.

One answer per item, shared by `roster new` and `roster import`: 是 (the form carries the item and
the person signed it), 申请表 / 承诺书 / 审查 (the material it comes from), or 否. An item the
preset's form does not carry cannot come from the form, so 是 alone is refused for it: staff name
the separate pledge or the review that established it. Which items a preset asks for, their clauses
and where its form has them are the preset's data (policies/<preset>.yaml, declarations).
"""

from __future__ import annotations

from typing import Any

from ..core.choices import choice, yes_no
from ..policies.presets import Declarations, label
from ..rules.base import Policy

__all__ = ["ANSWERS", "question", "read_answer", "required_items"]

ANSWERS = "是、申请表、承诺书、审查 或 否"


def required_items(policy: Policy) -> list[str]:
    """The items the roster's policy requires (admission.declarations, with the bureau's overrides)."""
    rule = policy.rules.get("admission.declarations")
    if rule is None or not policy.is_enabled(rule.id):
        return []
    return [str(code) for code in rule.params.get("required", [])]


def read_answer(text: str, code: str, known: Declarations) -> dict[str, Any]:
    """One answer → {confirmed, source}; ValueError with a Chinese message saying what to write instead."""
    name = f"“{label('declarations', code)}”"
    truth = yes_no(text)
    source = None if truth is not None else choice("declaration_sources", text)
    if truth is None and source is None:
        raise ValueError(f"{name}请写 {ANSWERS}，现在是“{text}”{_clause(code, known)}")
    if truth is False:
        return {"confirmed": False, "source": "form" if known.on_form(code) else "pledge"}
    source = source or ("form" if known.on_form(code) else None)
    if source is None or (source == "form" and not known.on_form(code)):
        absent = f"{known.form}不载此项" if known.form else "规章没有附申请表"
        raise ValueError(f"{name}：{absent}，不能记为来自申请表：请写 承诺书（本人另行书面承诺）或 审查（{known.review}）"
                         f"{_clause(code, known)}")
    return {"confirmed": True, "source": source}


def _clause(code: str, known: Declarations) -> str:
    item = known.items.get(code)
    return f"（依据：《{known.short}》{item.clause}：{item.text}）" if item else ""


def question(code: str, known: Declarations) -> str:
    """The question `roster new` asks for one item."""
    item = known.items.get(code)
    answers = ANSWERS if known.on_form(code) else "承诺书、审查 或 否"
    clause = f"{item.clause}；" if item else ""
    return f"承诺事项“{label('declarations', code)}”（{clause}{known.where(code)}）：写 {answers}"
