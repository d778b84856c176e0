"""Draw files as text: tidy YAML out, and where a draw's file goes (written by staff/draws.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SCHEMA_LINE", "draw_path", "dump_draw"]

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
