"""The privacy gate for persons: which fields of an expert or supervisor reach the public site.

Only fields named in ``site.published_fields`` (registry.yaml) *and* in the publishable list of
``data/site.yaml`` are copied; birth month, ``person_key``, conflicts, employment history,
declarations, exceptions, status history and remarks are never among them, whatever the setting
(规则 F；个人信息保护法第二十五条). Everything the site shows of a person comes through
:func:`public_person`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .labels import labels

__all__ = ["NEVER_PUBLISHED", "public_person", "published_fields"]

# Named here as well as by omission from the publishable list, so a change to the YAML cannot
# publish them by mistake.
NEVER_PUBLISHED = frozenset({
    "birth", "person_key", "conflicts", "employment_history", "declarations", "exceptions",
    "status_history", "remarks", "civil_servant", "tibetan_medicine_master", "admission", "pledge",
    "recommended_by", "route", "work_start", "past_terms",
})


def published_fields(site_settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a person's entry shows: the setting (or the default), within what may be published."""
    allowed = set(labels()["publishable_fields"]) - NEVER_PUBLISHED
    wanted = site_settings.get("published_fields") or labels()["default_published_fields"]
    return tuple(f for f in wanted if f in allowed)


def public_person(data: Mapping[str, Any], fields: Sequence[str],
                  institutions: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The published form of one person: ``id`` plus each published field present, JSON-ready."""
    out: dict[str, Any] = {"id": data.get("id")}
    for name in fields:
        if name in NEVER_PUBLISHED or name not in data:
            continue
        value = _FORMS.get(name, _plain)(data[name], institutions)
        if value is not None:
            out[name] = value
    return out


def _plain(value: Any, _: Mapping[str, Mapping[str, Any]]) -> Any:
    return value if isinstance(value, str | bool | int | list) else None


def _institution(value: Any, institutions: Mapping[str, Mapping[str, Any]]) -> dict[str, str] | None:
    if not isinstance(value, str):
        return None
    return {"id": value, "name": str(institutions.get(value, {}).get("name", value))}


def _claims(value: Any, institutions: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    out = []
    for ident in value if isinstance(value, list) else []:
        inst = institutions.get(ident, {})
        kind = (inst.get("designated") or {}).get("kind", "")
        out.append({"id": ident, "name": str(inst.get("name", ident)), "kind": str(kind)})
    return out


def _pick(*keys: str) -> Any:
    def form(value: Any, _: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            return None
        return {k: value[k] for k in keys if k in value}
    return form


_FORMS = {
    "employer": _institution,
    "claims": _claims,
    "title": _pick("name", "level"),
    "education": _pick("level", "school", "major"),
    "term": _pick("start", "end"),
}
