"""Display text for codes (categories, levels, kinds) and page titles: data in ``data/site.yaml``."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..yamlio.packaged import packaged

__all__ = ["label", "labels", "texts_index"]


def _load(folder: str, name: str) -> Any:
    return packaged(f"site/{folder}/{name}")


@cache
def labels() -> dict[str, Any]:
    """Everything in ``data/site.yaml``."""
    data = _load("data", "site.yaml")
    assert isinstance(data, dict)
    return data


@cache
def texts_index() -> dict[str, dict[str, Any]]:
    """The policy texts shipped in ``texts/``, by code (``xz-2023``)."""
    data = _load("texts", "index.yaml")
    return dict(data["texts"])


def label(group: str, code: object, default: str | None = None) -> str:
    """The Chinese label of ``code`` in ``group`` (``label("title_levels", "senior")`` → 正高级)."""
    entry = labels().get(group, {}).get(code)
    if isinstance(entry, dict):
        return str(entry["label"])
    if entry is None:
        return default if default is not None else str(code)
    return str(entry)
