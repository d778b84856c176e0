"""Canonical JSON of a draw file, its commitment and its digest (docs/draw-algorithm.md, “规范 JSON”).

The same bytes come out of ``JSON.stringify`` in the browser verifier: keys sorted by code point,
no spaces, UTF-8, non-ASCII characters as themselves, keys with a null value left out, dates
as the ``YYYY-MM-DD`` strings the file holds, numbers as integers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["COMMITTED_FIELDS", "canonical", "canonical_request", "commitment", "committed", "record_digest", "sealed_exclusions"]

# everything but the result, the responses and the commitment itself
COMMITTED_FIELDS = ("id", "roster", "algorithm", "request", "candidates", "candidate_facts", "exclusions")


_AS_IS = frozenset({str, int, bool})  # leaves _clean returns unchanged (checked by exact type: no call per leaf)


def _clean(value: Any) -> Any:
    if type(value) is dict or isinstance(value, Mapping):
        return {str(k): v if type(v) in _AS_IS else _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [v if type(v) in _AS_IS else _clean(v) for v in value]
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"规范 JSON 中只允许整数，收到 {value}")
        return int(value)
    return value


def canonical(value: Any) -> bytes:
    """The canonical JSON bytes of ``value``."""
    return json.dumps(_clean(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sealed_exclusions(data: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical exclusions: who was excluded and why stays private, yet is committed to."""
    return hashlib.sha256(canonical(list(data.get("exclusions") or []))).hexdigest()


def committed(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the commitment covers: the request fields, with the exclusions sealed by their hash."""
    picked = {k: data[k] for k in COMMITTED_FIELDS if k != "exclusions" and data.get(k) is not None}
    return {**picked, "exclusions_sha256": sealed_exclusions(data)}


def canonical_request(data: Mapping[str, Any]) -> bytes:
    """The bytes the commitment hashes (and a TSA time-stamps)."""
    return canonical(committed(data))


def commitment(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical request: id, roster, algorithm, request, candidates, facts, sealed exclusions."""
    return "sha256:" + hashlib.sha256(canonical_request(data)).hexdigest()


def record_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical record: what the commitment covers, the result and the responses."""
    record = {**committed(data), **{k: data[k] for k in ("result", "responses") if data.get(k) is not None}}
    return "sha256:" + hashlib.sha256(canonical(record)).hexdigest()
