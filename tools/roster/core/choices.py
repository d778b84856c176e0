"""The values staff may type for a coded choice: the code (medical), its Chinese name (医药类) or a
common short form (医药, 副高, 单位推荐); and 是/否 for true/false. Records keep the code.

Chinese names are those of policies/_labels.yaml; short forms are in data/choice_words.yaml.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

import yaml

__all__ = ["choice", "group_of", "shown", "yes_no"]

YES = ("是", "true", "yes", "y", "对")
NO = ("否", "false", "no", "n", "不是")


@cache
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("roster").joinpath("policies/_labels.yaml").read_text(encoding="utf-8")
    return {group: {str(k): str(v) for k, v in values.items()} for group, values in yaml.safe_load(text).items()}


@cache
def _words() -> dict[str, dict[str, str]]:
    """group → every accepted spelling → code."""
    text = resources.files("roster").joinpath("data/choice_words.yaml").read_text(encoding="utf-8")
    extra: dict[str, dict[str, list[str]]] = yaml.safe_load(text)
    found: dict[str, dict[str, str]] = {}
    for group, names in _labels().items():
        words = found.setdefault(group, {})
        for code, name in names.items():
            for word in (code, name, *extra.get(group, {}).get(code, [])):
                words[_plain(str(word))] = code
    return found


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def choice(group: str, text: str) -> str | None:
    """The code `text` stands for in `group` (code, Chinese name or short form), or None."""
    return _words().get(group, {}).get(_plain(text))


def group_of(codes: Iterable[str]) -> str | None:
    """The label group whose codes include all of `codes` (an enumeration of a schema)."""
    wanted = set(codes)
    return next((group for group, names in _labels().items() if wanted and wanted <= set(names)), None)


def shown(group: str, code: str) -> str:
    """“医药类（medical）”: the Chinese name staff know, with the code the file keeps."""
    name = _labels().get(group, {}).get(code)
    return f"{name}（{code}）" if name else code


def yes_no(text: str) -> bool | None:
    word = _plain(text)
    return True if word in YES else False if word in NO else None
