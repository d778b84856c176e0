"""What a registry's own settings (registry.yaml → rosters) change in the presets it uses."""

from __future__ import annotations

from pathlib import Path

from ..yamlio.load import LoadError, load_bytes
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
