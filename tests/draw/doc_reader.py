"""A reader of draw records written from docs/draw-algorithm.md alone — it imports nothing of ``roster``.

It recomputes the commitment (第七节), the key string (第二节), the full order (第三节), the panel
with the lookahead (第四节, the maximum flow as defined there) and every replacement (第五节).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

INFINITE = 10**9


# ---------------------------------------------------------------- reading the file: dates stay strings


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def read(text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    return data


# ---------------------------------------------------------------- 第七节: canonical JSON and the commitment


def canonical(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k])
                              for k in sorted(value) if value[k] is not None) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise ValueError(f"not in canonical JSON: {value!r}")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def commitment(record: Mapping[str, Any]) -> str:
    covered: dict[str, Any] = {k: record.get(k) for k in ("id", "roster", "algorithm", "request", "candidates",
                                                          "candidate_facts")}
    covered["exclusions_sha256"] = sha256_hex(canonical(record.get("exclusions") or []))
    return "sha256:" + sha256_hex(canonical(covered))


# ---------------------------------------------------------------- 第二节: typed values and the key string

SEPARATORS = re.compile(r"[\s,、;]+")
NUMBER = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
THOUSANDS = re.compile(r"[0-9],[0-9]{3}(?![0-9])")
HEX64 = re.compile(r"(?:0x)?([0-9a-f]{64})")


def sources_of(text: str, kind: str | None) -> list[list[tuple[int, str]]]:
    """One typed line as RFC 3797 sources: each value is (whole part, fraction digits without trailing zeros)."""
    line = unicodedata.normalize("NFKC", text).strip()
    drand = HEX64.fullmatch(line.lower())
    if kind == "drand" and drand:
        digits = drand.group(1)
        return [[(int(digits[i:i + 8], 16), "") for i in range(0, 64, 8)]]
    if THOUSANDS.search(line):
        raise ValueError(f"thousands separator in {text!r}")
    out = []
    for part in line.split("+"):
        tokens = [t for t in SEPARATORS.split(part.strip()) if t]
        if not tokens:
            raise ValueError(f"empty source in {text!r}")
        values = []
        for token in tokens:
            match = NUMBER.fullmatch(token)
            if match is None:
                raise ValueError(f"not a number: {token!r}")
            values.append((int(match.group(1)), (match.group(2) or "").rstrip("0")))
        out.append(values)
    return out


def key_string(values: Sequence[str], sources: Sequence[Mapping[str, Any]]) -> str:
    parts: list[list[tuple[int, str]]] = []
    for n, text in enumerate(values):
        parts += sources_of(str(text), sources[n].get("kind") if n < len(sources) else None)
    key = ""
    for source in parts:
        ordered = sorted(source, key=lambda v: Decimal(f"{v[0]}.{v[1] or '0'}"))
        key += "".join(f"{whole}.{fraction}" for whole, fraction in ordered) + "/"
    return key


# ---------------------------------------------------------------- 第三节: the full order


def order_of(candidates: Sequence[str], key: str, algorithm: str = "rfc3797") -> list[str]:
    left, out = list(candidates), []
    for i in range(len(candidates)):
        affix = i.to_bytes(2, "big")
        data = affix + key.encode("ascii") + affix
        digest = hashlib.md5(data, usedforsecurity=False).digest() if algorithm == "rfc3797" else hashlib.new("sm3", data).digest()
        out.append(left.pop(int.from_bytes(digest, "big") % len(left)))
    return out


# ---------------------------------------------------------------- 第四节: the walk with the lookahead


@dataclass
class Rules:
    quotas: list[int]  # per group, groups numbered 1..
    max_institution: int | None
    max_entity: int | None
    group: dict[str, int] = field(default_factory=dict)
    institution: dict[str, str | None] = field(default_factory=dict)
    entity: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    distinct: bool = False  # request.distinct_institutions_per_specialty
    pair: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # (单位, 专业)


def rules_of(record: Mapping[str, Any]) -> Rules:
    request = record["request"]
    quotas = [int(q["count"]) for q in request.get("quotas") or []] or [int(request["size"])]
    rules = Rules(quotas, request.get("max_per_institution"), request.get("max_per_legal_entity"),
                  distinct=request.get("distinct_institutions_per_specialty") is True)
    facts = record.get("candidate_facts") or {}
    for c in record["candidates"]:
        fact = facts.get(c) or {}
        rules.group[c] = int(fact["quota"]) if request.get("quotas") else 1
        rules.institution[c] = fact.get("institution")
        legal, inst = fact.get("legal_entity"), fact.get("institution")
        rules.entity[c] = ("legal", legal) if legal else (("self", inst) if inst else None)
        specialty = fact.get("specialty") if rules.distinct else None
        rules.pair[c] = (inst, specialty) if inst and specialty else None
    return rules


def _pairs(rules: Rules, panel: Sequence[str]) -> dict[Any, int]:
    pairs: dict[Any, int] = {}
    for c in panel:
        if rules.pair[c]:
            pairs[rules.pair[c]] = pairs.get(rules.pair[c], 0) + 1
    return pairs


def _counts(rules: Rules, panel: Sequence[str]) -> tuple[dict[Any, int], dict[Any, int], dict[Any, int]]:
    groups: dict[Any, int] = {}
    institutions: dict[Any, int] = {}
    entities: dict[Any, int] = {}
    for c in panel:
        groups[rules.group[c]] = groups.get(rules.group[c], 0) + 1
        if rules.institution[c]:
            institutions[rules.institution[c]] = institutions.get(rules.institution[c], 0) + 1
        if rules.entity[c]:
            entities[rules.entity[c]] = entities.get(rules.entity[c], 0) + 1
    return groups, institutions, entities


def fits(rules: Rules, panel: Sequence[str], c: str) -> bool:
    groups, institutions, entities = _counts(rules, panel)
    g, u, e = rules.group[c], rules.institution[c], rules.entity[c]
    return (1 <= g <= len(rules.quotas) and groups.get(g, 0) < rules.quotas[g - 1]
            and (rules.max_institution is None or u is None or institutions.get(u, 0) < rules.max_institution)
            and (rules.max_entity is None or e is None or entities.get(e, 0) < rules.max_entity)
            and (rules.pair[c] is None or _pairs(rules, panel).get(rules.pair[c], 0) < 1))


def max_flow(rules: Rules, panel: Sequence[str], later: Sequence[str]) -> int:
    """The network of 第四节: S → group → (institution·specialty) → institution → legal entity → T."""
    groups, institutions, entities = _counts(rules, panel)
    pairs = _pairs(rules, panel)
    cap: dict[Any, dict[Any, int]] = {}

    def edge(u: Any, v: Any, amount: int, add: bool = True) -> None:
        cap.setdefault(u, {})
        cap.setdefault(v, {}).setdefault(u, 0)
        cap[u][v] = cap[u].get(v, 0) + amount if add else amount

    for g, quota in enumerate(rules.quotas, start=1):
        if quota - groups.get(g, 0) > 0:
            edge("S", ("g", g), quota - groups.get(g, 0))
    for c in later:
        g, u, e = rules.group[c], rules.institution[c], rules.entity[c]
        if not 1 <= g <= len(rules.quotas):
            continue
        nxt = ("u", u) if u else (("e", e) if e else "T")
        if rules.pair[c]:
            edge(("g", g), ("s", rules.pair[c]), 1)
            edge(("s", rules.pair[c]), nxt, max(1 - pairs.get(rules.pair[c], 0), 0), add=False)
        else:
            edge(("g", g), nxt, 1)
        if u:
            left = INFINITE if rules.max_institution is None else max(rules.max_institution - institutions.get(u, 0), 0)
            edge(("u", u), ("e", e) if e else "T", left, add=False)
        if e:
            left = INFINITE if rules.max_entity is None else max(rules.max_entity - entities.get(e, 0), 0)
            edge(("e", e), "T", left, add=False)
    total = 0
    while True:
        parent: dict[Any, Any] = {"S": None}
        queue = deque(["S"])
        while queue and "T" not in parent:
            u = queue.popleft()
            for v, c in cap.get(u, {}).items():
                if c > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if "T" not in parent:
            return total
        path, v = [], "T"
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[u][v] for u, v in path)
        for u, v in path:
            cap[u][v] -= push
            cap[v][u] += push
        total += push


def take(rules: Rules, sequence: Sequence[str], panel: Sequence[str], stop_after: int | None = None) -> list[str]:
    """第四节 in general: take c when it fits and the rest of the sequence can still fill best − 1 places."""
    current, taken = list(panel), []
    best = max_flow(rules, current, sequence)
    goal = best if stop_after is None else min(best, stop_after)
    for n, c in enumerate(sequence):
        if len(taken) >= goal:
            break
        later = sequence[n + 1:]
        if fits(rules, current, c) and max_flow(rules, [*current, c], later) == best - 1:
            current.append(c)
            taken.append(c)
            best -= 1
    return taken


def replay(record: Mapping[str, Any]) -> dict[str, Any]:
    """Everything 第二至五节 derive from a run record."""
    result = record["result"]
    rules = rules_of(record)
    key = key_string(result["values"], record["request"]["sources"])
    order = order_of(record["candidates"], key, record.get("algorithm", "rfc3797"))
    panel = take(rules, order, [])
    current, used, replaced_by = list(panel), set(), []
    for response in record.get("responses") or []:
        person = response["id"]
        if person not in current:
            replaced_by.append("outsider")
            continue
        if response["response"] == "accepted":
            replaced_by.append(None)
            continue
        used.add(person)
        staying = [c for c in current if c != person]
        rest = [c for c in order if c not in staying and c not in used]
        chosen = (take(rules, rest, staying, stop_after=1) or [None])[0]
        replaced_by.append(chosen)
        if chosen is None:
            current = staying
        else:
            current[current.index(person)] = chosen
    return {"key": key, "order": order, "panel": panel, "replacements": [c for c in order if c not in panel],
            "replaced_by": replaced_by, "commitment": commitment(record)}
