"""Draw files on disk: tidy YAML out, atomic writes, the next free number."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SCHEMA_LINE", "draw_path", "dump_draw", "next_draw_id", "write_atomic"]

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/draw.schema.json"
FIELD_ORDER = ("id", "roster", "algorithm", "request", "candidates", "candidate_facts", "exclusions", "commitment",
               "result", "responses")
_ID = re.compile(r"D([0-9]{4})-([0-9]{3,4})")


class _Flow(dict[str, Any]):
    """A mapping written on one line: ``E0001: {quota: 1, institution: I0001}``."""


class _Dumper(yaml.SafeDumper):
    """Block mappings, lists of plain values on one (wrapped) line, dates unquoted.

    Dates stay strings in the registry (load.py reads a plain 2026-03-05 as text), so they need no
    quotes; everything else that YAML would read as a number or boolean is quoted as usual.
    """

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as staff write them


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, dict | list) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


def _represent_flow(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(_Flow, _represent_flow)


def dump_draw(data: dict[str, Any]) -> str:
    """The draw as the file staff read: the schema line, fields in a fixed order, one candidate a line."""
    ordered = {key: data[key] for key in FIELD_ORDER if key in data}
    ordered.update({key: value for key, value in data.items() if key not in ordered})
    if "candidate_facts" in ordered:
        ordered["candidate_facts"] = {k: _Flow(v) for k, v in ordered["candidate_facts"].items()}
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return f"{SCHEMA_LINE}\n{body}"


def draw_path(root: Path, draw_id: str) -> Path:
    match = _ID.fullmatch(draw_id)
    if match is None:
        raise ValueError(f"抽取编号“{draw_id}”格式不对，应为 D年份-序号，例如 D2026-001")
    return root / "draws" / match.group(1) / f"{draw_id}.yaml"


def next_draw_id(root: Path, year: int) -> str:
    """D<year>-NNN with the number after the highest one used in that year's folder."""
    folder = root / "draws" / str(year)
    numbers = [int(m.group(2)) for p in folder.glob("*.yaml") if (m := _ID.fullmatch(p.stem)) and int(m.group(1)) == year]
    return f"D{year}-{max(numbers, default=0) + 1:03d}"


def write_atomic(path: Path, text: str, *, new: bool = False) -> None:
    """Write through a temporary file in the same folder and ``os.replace``: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if new and path.exists():
        raise FileExistsError(f"{path} 已存在")
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
