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

__all__ = ["COMMITTED_FIELDS", "canonical", "canonical_request", "commitment", "record_digest"]

# everything but the result, the responses and the commitment itself
COMMITTED_FIELDS = ("id", "roster", "algorithm", "request", "candidates", "candidate_facts", "exclusions")
DIGEST_FIELDS = (*COMMITTED_FIELDS, "result", "responses")


def _clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"规范 JSON 中只允许整数，收到 {value}")
        return int(value)
    return value


def canonical(value: Any) -> bytes:
    """The canonical JSON bytes of ``value``."""
    return json.dumps(_clean(value), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_request(data: Mapping[str, Any]) -> bytes:
    """The bytes the commitment hashes (and a TSA time-stamps)."""
    return canonical({k: data[k] for k in COMMITTED_FIELDS if data.get(k) is not None})


def _sha256(fields: tuple[str, ...], data: Mapping[str, Any]) -> str:
    picked = {k: data[k] for k in fields if data.get(k) is not None}
    return "sha256:" + hashlib.sha256(canonical(picked)).hexdigest()


def commitment(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical request: id, roster, algorithm, request, candidates, facts, exclusions."""
    return _sha256(COMMITTED_FIELDS, data)


def record_digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical record: the committed fields, the result (values, order…) and the responses."""
    return _sha256(DIGEST_FIELDS, data)
