"""The one reader of the YAML data files shipped inside the package (tools/roster/**/*.yaml)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from .load import load_bytes

__all__ = ["packaged"]


@cache
def packaged(path: str) -> Any:
    """The data of ``tools/roster/<path>`` (e.g. ``"data/staff.yaml"``), read once with the strict loader
    (load.py): a mistake in a shipped file is an error, never a silently different value."""
    return load_bytes(resources.files("roster").joinpath(path).read_bytes()).data
