"""Policy presets shipped with the tool (one YAML file per regulation) and their docs pages.

`render_markdown(preset_id)` gives the page the public site publishes for a preset.
"""

from __future__ import annotations

from .bureau import read_bureau_settings
from .presets import (
    Param,
    Preset,
    PresetError,
    Reason,
    RuleSpec,
    label,
    labelled,
    labels,
    load_preset,
    preset_data,
    preset_ids,
)
from .render import BureauSettings, render_list, render_markdown, render_text

__all__ = [
    "BureauSettings",
    "Param",
    "Preset",
    "PresetError",
    "Reason",
    "RuleSpec",
    "label",
    "labelled",
    "labels",
    "load_preset",
    "preset_data",
    "preset_ids",
    "read_bureau_settings",
    "render_list",
    "render_markdown",
    "render_text",
]
