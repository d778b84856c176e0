"""Published draws: the public record of each, and the same recomputation the browser verifier does.

The data file of a draw (``opendata/draws/<id>.json``) holds everything needed to re-run it, taken
from the draw file alone: the sources and their announced values, the recorded key string, order,
panel and replacement order, the request's quotas and limits, the responses (who declined or was
absent, on which date, the reason code and who replaced them — not the reason's text), and for each candidate, in the frozen sorted order of the
record, the frozen ``candidate_facts``: quota group (1-based number into ``quotas``, ``null`` when
the request has none), institution and legal entity. Institution names and candidate names are
added from the registry for reading only; the verifier never uses them. Exclusions are reduced to
counts by kind; their ids, clauses and details stay private.

:func:`recompute` re-runs a published data file with the draw engine itself
(:mod:`roster.draw.rfc3797`, :mod:`roster.draw.walk`), as ``verify.js`` does in the browser; the
rule is written down in ``docs/draw-algorithm.md``.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..core.timeutil import BEIJING
from ..core.vocab import ROSTER_KIND
from ..draw.canonical import committed, record_digest
from ..draw.model import ACTIVITY_KINDS, ROSTER_LABELS, Quota, SourceSpec
from ..draw.protocol import source_parts
from ..draw.rfc3797 import key_string, permutation
from ..draw.timestamp import TimestampError, authorities, check_token, tokens_of
from ..draw.walk import Member, PanelRequest, replacement, walk
from .context import SiteContext

__all__ = ["draw_data", "exclusion_counts", "pending_data", "quota_group", "recompute", "timestamps"]

PUBLIC_RESPONSE_FIELDS = ("id", "response", "date", "reason_code", "replaced_by")


def quota_group(quotas: Sequence[Mapping[str, Any]], category: str | None,
                specialties: Sequence[str] = (), backgrounds: Sequence[str] = ()) -> int | None:
    """Index (0-based) of the first quota entry a registry record matches, or None (the draw model's rule).

    Only for building test registries: a published draw uses its frozen ``candidate_facts``.
    """
    for index, item in enumerate(quotas):
        quota = Quota(count=int(item.get("count", 0)), category=item.get("category"),
                      specialty=item.get("specialty"), background=item.get("background"))
        if quota.matches(category, specialties, backgrounds):
            return index
    return None


def _display(roster: str, ident: str, ctx: SiteContext) -> dict[str, Any]:
    """Name and category of one candidate from the registry, for reading only (never for the walk)."""
    if roster == "institutions":
        inst = ctx.institutions.get(ident, {})
        return {"name": inst.get("name", ident), "category": (inst.get("designated") or {}).get("kind")}
    kind = ROSTER_KIND[roster]
    person = ctx.data_by_id(kind).get(ident, {})
    return {"name": person.get("name", ident), "category": person.get("category")}


def exclusion_counts(draw: Mapping[str, Any]) -> dict[str, int]:
    """How many were excluded, by kind — never who or why (the detail stays private)."""
    return dict(sorted(Counter(str(e.get("kind")) for e in draw.get("exclusions", [])).items()))


def _facts(draw: Mapping[str, Any], candidates: Sequence[str], ctx: SiteContext) -> dict[str, list[Any]]:
    """The frozen ``candidate_facts`` of the draw file, one column per fact, in candidate order."""
    facts = draw.get("candidate_facts") or {}
    rows: list[Mapping[str, Any]] = [fact if isinstance(fact := facts.get(c), dict) else {} for c in candidates]
    institutions = [r.get("institution") for r in rows]
    columns: dict[str, list[Any]] = {
        "quota": [r.get("quota") for r in rows],
        "institution": institutions,
        "institution_name": [ctx.institutions.get(i, {}).get("name") if i else None for i in institutions],
        "legal_entity": [r.get("legal_entity") for r in rows],
    }
    if _distinct(draw.get("request") or {}):  # only such draws carry it: older data files stay as they were
        columns["specialty"] = [r.get("specialty") for r in rows]
    return columns


def _specialty(value: Any) -> str | tuple[str, ...] | None:
    """A published ``specialty``: one, or an expert's several (a list)."""
    return tuple(value) if isinstance(value, list) else value


def _distinct(request: Mapping[str, Any]) -> bool:
    """Whether the request keeps same-specialty experts of one institution apart (GY 第十二条（二）)."""
    return request.get("distinct_institutions_per_specialty") is True


def timestamps(draw: Mapping[str, Any], path: Path | None, ctx: SiteContext) -> list[dict[str, Any]]:
    """The draw's RFC 3161 tokens (Base64) with the time each says (Beijing), verified with the kept certificate,
    and that certificate (PEM, from registry.yaml ``timestamping``) for the browser to verify the token with."""
    if path is None:
        return []
    kept = {a.name: a for a in authorities(ctx.registry.settings.data if ctx.registry.settings else None)}
    out: list[dict[str, Any]] = []
    for name, token in tokens_of(path).items():
        raw = token.read_bytes()
        entry: dict[str, Any] = {"authority": name, "token": base64.b64encode(raw).decode("ascii")}
        if name in kept:
            entry["certificate"] = kept[name].certificate
            try:
                moment = check_token(raw, str(draw.get("commitment")), kept[name])
                entry["time"] = moment.astimezone(BEIJING).isoformat(timespec="seconds")
            except TimestampError:
                pass  # roster validate refuses it, and the site is never built from a registry that fails
        out.append(entry)
    return out


def _public_sources(request: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"name": s.get("name"), "kind": s.get("kind"), "public_on": s.get("public_on"),
             **({"approved_by": s.get("approved_by")} if s.get("kind") == "other" else {})}
            for s in request.get("sources", [])]


def pending_data(draw: Mapping[str, Any], ctx: SiteContext) -> dict[str, Any]:
    """What the public sees of a request before its publish date: no names, purpose, subjects or activity dates."""
    request = draw.get("request", {})
    roster = str(draw.get("roster", "experts"))
    return {
        "id": draw.get("id"),
        "roster": roster,
        "roster_label": ROSTER_LABELS.get(roster, roster),
        "activity": ACTIVITY_KINDS.get(str(request.get("kind") or "unannounced"), ACTIVITY_KINDS["unannounced"]),
        "sources": _public_sources(request),
        "commitment": draw.get("commitment"),
        "timestamps": timestamps(draw, ctx.draw_files.get(str(draw.get("id"))), ctx),
    }


def draw_data(draw: Mapping[str, Any], ctx: SiteContext, profiles: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The public, self-contained record of one published draw (the verifier's input).

    ``committed`` is exactly what the commitment covers (docs/draw-algorithm.md, 规范 JSON): the
    verifier hashes it, compares with ``commitment`` (shown since the request was made and
    time-stamped) and draws from it; the flat fields beside it are the same values, for reading."""
    request = draw.get("request", {})
    result = draw.get("result", {})
    roster = str(draw.get("roster", "experts"))
    candidates = [str(c) for c in draw.get("candidates", [])]
    profiles = profiles if profiles is not None else {}
    shown = [profiles[c] if c in profiles else profiles.setdefault(c, _display(roster, c, ctx)) for c in candidates]
    return {
        "id": draw.get("id"),
        "roster": roster,
        "algorithm": draw.get("algorithm", "rfc3797"),
        "purpose": request.get("purpose"),
        "sources": _public_sources(request),
        "values": list(result.get("values", [])),
        "key": result.get("key"),
        "size": request.get("size"),
        "quotas": [dict(q) for q in request.get("quotas", [])],
        "max_per_institution": request.get("max_per_institution"),
        "max_per_legal_entity": request.get("max_per_legal_entity"),
        **({"distinct_institutions_per_specialty": True} if _distinct(request) else {}),
        **({"parent_members": list(request["parent_members"])} if request.get("parent_members") else {}),
        "candidates": {
            "id": candidates,
            "name": [s["name"] for s in shown],
            "category": [s["category"] for s in shown],
            **_facts(draw, candidates, ctx),
        },
        "exclusions": exclusion_counts(draw),
        "result": {
            "order": list(result.get("order", [])),
            "panel": list(result.get("panel", [])),
            "replacements": list(result.get("replacements", [])),
        },
        "responses": [{k: r[k] for k in PUBLIC_RESPONSE_FIELDS if r.get(k) is not None}
                      for r in draw.get("responses", [])],
        "committed": committed(draw),
        "commitment": draw.get("commitment"),
        "digest": record_digest(draw),
        "timestamps": timestamps(draw, ctx.draw_files.get(str(draw.get("id"))), ctx),
    }


# ---------------------------------------------------------------- recomputation, with the draw engine


def _key(data: Mapping[str, Any]) -> str:
    specs = data.get("sources") or []
    parts = []
    for n, value in enumerate(data["values"]):
        kind = str(specs[n].get("kind") or "other") if n < len(specs) else "other"
        spec = SourceSpec(name=str(specs[n].get("name")) if n < len(specs) else "", kind=kind,
                          public_on=date.min)
        parts += source_parts(spec, str(value))
    return key_string(parts)


def _members(data: Mapping[str, Any]) -> tuple[dict[str, Member], PanelRequest]:
    """The walk's input from the published facts: groups are quota numbers (1-based), one group when none."""
    cand = data["candidates"]
    quotas = data.get("quotas") or []
    limits = {"max_per_institution": data.get("max_per_institution"),
              "max_per_legal_entity": data.get("max_per_legal_entity")}
    distinct = _distinct(data)
    seated = tuple(Member(None, m.get("institution"), m.get("legal_entity"),
                          _specialty(m.get("specialty")) if distinct else None)
                   for m in data.get("parent_members") or ())
    if quotas:
        request = PanelRequest(quotas={n: int(q["count"]) for n, q in enumerate(quotas, start=1)}, **limits,
                               distinct_specialty=distinct, seated=seated)
    else:
        request = PanelRequest(size=int(data["size"]), **limits, distinct_specialty=distinct, seated=seated)
    specialty = cand.get("specialty") if _distinct(data) else None
    members = {ident: Member(group=cand["quota"][i] if quotas else None, institution=cand["institution"][i],
                             legal_entity=cand["legal_entity"][i], specialty=_specialty(specialty[i]) if specialty else None)
               for i, ident in enumerate(cand["id"])}
    return members, request


def recompute(data: Mapping[str, Any]) -> dict[str, Any]:
    """Re-run a draw from its public data alone, as the browser verifier does.

    ``replaced_by`` lists, for each response, who the rule says takes the place (``None`` for an
    acceptance, or when no one is left and a 补抽 is needed).
    """
    key = _key(data)
    ids: list[str] = data["candidates"]["id"]
    order = [ids[step.position - 1] for step in permutation(len(ids), key, data["algorithm"])]
    members, request = _members(data)
    walked = walk(order, members, request)
    current, used = list(walked.panel), set()
    replaced_by: list[str | None] = []
    for response in data.get("responses") or []:
        person = response.get("id")
        if response.get("response") == "accepted" or person not in current:
            replaced_by.append(None)
            continue
        used.add(person)
        chosen = replacement(order, members, request, current, person, used)
        replaced_by.append(chosen)
        if chosen is None:
            current.remove(person)
        else:
            current[current.index(person)] = chosen
    return {"key": key, "order": order, "panel": list(walked.panel), "replacements": list(walked.replacements),
            "replaced_by": replaced_by}
