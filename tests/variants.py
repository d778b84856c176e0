"""The demo registry under another bureau's preset, built in a temporary folder by the tests of several
folders (draws, site): changed only as the preset requires."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def edit_yaml(path: Path, change: Callable[[Any], Any]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def gy_declarations(record: Any) -> None:
    """GY 第六条 asks for 身体健康, 无违法违纪记录 and 无医保信用不良记录, and attaches no form: each item is
    taken from the Tibetan record's pledge of the nearest item, as a written pledge."""
    items = record.get("declarations")
    if not isinstance(items, dict):
        return
    pledged = items.get("no_criminal_record") or items.get("healthy")
    if not isinstance(pledged, dict):
        return
    record["declarations"] = {item: {**copy.deepcopy(items.get(item) or pledged), "source": "pledge"}
                              for item in ("healthy", "no_violation", "no_credit_record")}


def gy_variant(root: Path) -> Path:
    """The demo (copied to `root`) as a Guiyang bureau keeps it: preset gy-2022, no terms (GY sets no 在库期限)
    and the declarations GY asks for."""
    edit_yaml(root / "registry.yaml", lambda d: d["rosters"].update(experts={"policy": "gy-2022"}))
    for path in (root / "experts").glob("*.yaml"):
        edit_yaml(path, lambda d: (d.pop("term", None), d.pop("past_terms", None), gy_declarations(d), _signed_by_admission(d)))
    return root


def _signed_by_admission(record: Any) -> None:
    """Without terms there is no 续聘: a pledge renewed with a Tibetan term is dated back to the admission
    (admission.declarations refuses a declaration dated after the admission of an active record)."""
    admitted = (record.get("admission") or {}).get("date")
    for item in (record.get("declarations") or {}).values():
        if admitted and record.get("status") in ("active", "suspended") and item.get("date") and item["date"] > admitted:
            item["date"] = type(admitted)(admitted.year, admitted.month, admitted.day)  # no shared object: no YAML alias


# Rules the demo's Tibetan data breaks under the Guiyang preset (invited experts without 公示, Tibetan reason
# codes in old history entries): a test that needs a registry which validates, to
# build the public site, switches them off in registry.yaml as a bureau may, each with its reason.
GY_DEMO_DISABLED = ("admission.route", "admission.announcement", "exit.reason", "removal.reason")


def gy_valid_variant(root: Path) -> Path:
    """:func:`gy_variant` that passes `roster validate`, so that the site can be built from it."""
    gy_variant(root)
    reason = "测试：示例数据按西藏办法录入，与本条无关"
    edit_yaml(root / "registry.yaml", lambda d: d["rosters"]["experts"].update(
        disabled=[{"rule": rule, "reason": reason} for rule in GY_DEMO_DISABLED]))
    return root
