"""Published draws: the public record of each, and the same recomputation the browser verifier does.

The data file of a draw (``data/draws/<id>.json``) holds everything needed to re-run it: the
source values, the recorded key string, order and panel, the request's quotas and limits, and for
each candidate (in the frozen, sorted order of the record) what the walk needs — category,
specialties, institution and legal entity. Private exclusion reasons are reduced to counts by kind.

Quota groups: a candidate belongs to the first quota entry (in the request's order) whose category
is the candidate's and whose specialty, if given, is among the candidate's specialties; a
candidate matching none can fill no place. ``verify.js`` implements the same rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..draw.rfc3797 import key_string, parse_sources, permutation
from ..draw.walk import Member, PanelRequest, walk
from .context import SiteContext

__all__ = ["draw_data", "exclusion_counts", "quota_group", "recompute"]


def quota_group(quotas: Sequence[Mapping[str, Any]], category: str | None,
                specialties: Sequence[str] = ()) -> int | None:
    """Index of the first quota entry the candidate fits, or None."""
    for index, quota in enumerate(quotas):
        if quota.get("category") is not None and quota["category"] != category:
            continue
        if quota.get("specialty") is not None and quota["specialty"] not in specialties:
            continue
        return index
    return None


def _profile(roster: str, ident: str, ctx: SiteContext) -> dict[str, Any]:
    """What the walk and the page need to know about one candidate."""
    institutions = ctx.institutions
    if roster == "institutions":
        inst = institutions.get(ident, {})
        return {"name": inst.get("name", ident), "category": (inst.get("designated") or {}).get("kind"),
                "specialties": [], "institution": ident, "legal_entity": inst.get("legal_entity"),
                "employer": None}
    kind = "expert" if roster == "experts" else "supervisor"
    person = ctx.data_by_id(kind).get(ident, {})
    employer = person.get("employer")
    return {"name": person.get("name", ident), "category": person.get("category"),
            "specialties": list(person.get("specialties", [])), "institution": employer,
            "legal_entity": institutions.get(employer, {}).get("legal_entity") if employer else None,
            "employer": institutions.get(employer, {}).get("name") if employer else None}


def exclusion_counts(draw: Mapping[str, Any]) -> dict[str, int]:
    """How many were excluded, by kind — never who or why (the detail stays private)."""
    return dict(sorted(Counter(str(e.get("kind")) for e in draw.get("exclusions", [])).items()))


def draw_data(draw: Mapping[str, Any], ctx: SiteContext, profiles: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The public, self-contained record of one published draw (the verifier's input)."""
    request = draw.get("request", {})
    result = draw.get("result", {})
    roster = str(draw.get("roster", "experts"))
    candidates = [str(c) for c in draw.get("candidates", [])]
    profiles = profiles if profiles is not None else {}
    rows = []
    for c in candidates:
        row = profiles.get(c)
        if row is None:
            row = profiles[c] = _profile(roster, c, ctx)
        rows.append(row)
    quotas = [dict(q) for q in request.get("quotas", [])]
    use_specialties = any("specialty" in q for q in quotas)
    return {
        "id": draw.get("id"),
        "roster": roster,
        "algorithm": draw.get("algorithm", "rfc3797"),
        "purpose": request.get("purpose"),
        "sources": [{"name": s.get("name"), "kind": s.get("kind"), "public_on": s.get("public_on")}
                    for s in request.get("sources", [])],
        "values": list(result.get("values", [])),
        "key": result.get("key"),
        "size": request.get("size"),
        "quotas": quotas,
        "max_per_institution": request.get("max_per_institution"),
        "max_per_legal_entity": request.get("max_per_legal_entity"),
        "candidates": {
            "id": candidates,
            "name": [r["name"] for r in rows],
            "category": [r["category"] for r in rows],
            **({"specialties": [r["specialties"] for r in rows]} if use_specialties else {}),
            "institution": [r["institution"] for r in rows],
            "legal_entity": [r["legal_entity"] for r in rows],
        },
        "exclusions": exclusion_counts(draw),
        "result": {
            "order": list(result.get("order", [])),
            "panel": list(result.get("panel", [])),
            "replacements": list(result.get("replacements", [])),
        },
    }


def recompute(data: Mapping[str, Any]) -> dict[str, Any]:
    """Re-run a draw from its public data alone, as the browser verifier does."""
    parts = [part for value in data["values"] for part in parse_sources(str(value))]
    key = key_string(parts)
    cand = data["candidates"]
    ids: list[str] = cand["id"]
    order = [ids[step.position - 1] for step in permutation(len(ids), key, data["algorithm"])]
    quotas = data["quotas"]
    specialties = cand.get("specialties") or [[] for _ in ids]
    members = {
        ident: Member(
            group=quota_group(quotas, cand["category"][i], specialties[i]) if quotas else None,
            institution=cand["institution"][i],
            legal_entity=cand["legal_entity"][i],
        )
        for i, ident in enumerate(ids)
    }
    if quotas:
        request = PanelRequest(quotas={i: int(q["count"]) for i, q in enumerate(quotas)},
                               max_per_institution=data.get("max_per_institution"),
                               max_per_legal_entity=data.get("max_per_legal_entity"))
    else:
        request = PanelRequest(size=int(data["size"]), max_per_institution=data.get("max_per_institution"),
                               max_per_legal_entity=data.get("max_per_legal_entity"))
    walked = walk(order, members, request)
    return {"key": key, "order": order, "panel": list(walked.panel), "replacements": list(walked.replacements)}
