"""What a registry's own settings (registry.yaml → rosters) change in the presets it uses."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..yamlio.load import LoadError, load_bytes
from .presets import inspections, preset_ids
from .render import BureauSettings


def read_bureau_settings(registry_dir: Path) -> dict[str, tuple[str, BureauSettings]]:
    """preset id → (roster, the overrides and disabled rules) for each roster of the registry.

    A missing or unreadable registry.yaml gives {}: the presets are then shown as shipped.
    """
    try:
        data = load_bytes((registry_dir / "registry.yaml").read_bytes()).data
    except (OSError, LoadError):
        return {}
    rosters = data.get("rosters") if isinstance(data, dict) else None
    found: dict[str, tuple[str, BureauSettings]] = {}
    for roster, chosen in (rosters or {}).items():
        if not isinstance(chosen, dict) or not isinstance(chosen.get("policy"), str):
            continue
        overrides = chosen.get("overrides") if isinstance(chosen.get("overrides"), dict) else {}
        disabled = {str(d.get("rule")): str(d.get("reason", "")) for d in chosen.get("disabled") or []
                    if isinstance(d, dict)}
        found[chosen["policy"]] = (roster, BureauSettings(overrides or {}, disabled))
    return found


DEFAULT_POLICY = {"experts": "xz-2023", "supervisors": "jn"}


def roster_policy(settings: Mapping[str, Any] | None, roster: str) -> str:
    """The preset a roster follows (registry.yaml → rosters.<roster>.policy, else the default); for
    the institutions roster (“双随机” draws), the basis document: rosters.institutions.basis, else the
    one the experts' preset names in _inspections.yaml, else “none”."""
    rosters = (settings or {}).get("rosters") or {}
    chosen = rosters.get(roster) if isinstance(rosters, dict) else None
    if roster == "institutions":
        basis = chosen.get("basis") if isinstance(chosen, dict) else None
        if isinstance(basis, str) and basis in inspections()["bases"]:
            return basis
        return str(inspections()["default_by_preset"].get(roster_policy(settings, "experts"), "none"))
    policy = chosen.get("policy") if isinstance(chosen, dict) else None
    return policy if isinstance(policy, str) and policy in preset_ids() else DEFAULT_POLICY[roster]
