"""RFC 3161 time-stamp tokens over a draw's commitment: ask a TSA, and verify a token offline.

The request sent to a TSA is the SHA-256 of the canonical request (the commitment itself), so the
token's message imprint *is* the commitment: anyone can compare the two without this code. Parsing
and signature checks are rfc3161-client's (no hand-written ASN.1 here).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from ..core.errors import RosterError
from ..core.timeutil import BEIJING

__all__ = ["Authority", "TimestampError", "ask", "authorities", "beijing_day", "check_token", "token_path", "tokens_of"]

TIMEOUT_SECONDS = 20
SHA256 = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")  # the commitment is a SHA-256 digest


class TimestampError(RosterError):
    """A token that cannot be had or does not verify, said in Chinese."""


@dataclass(frozen=True)
class Authority:
    name: str
    url: str | None
    certificate: str  # PEM: the root (and intermediates) the token's signer must chain to


def authorities(settings: Mapping[str, Any] | None) -> list[Authority]:
    """The TSAs of registry.yaml ``timestamping``."""
    return [Authority(str(item["name"]), item.get("url"), str(item["certificate"]))
            for item in (settings or {}).get("timestamping") or [] if isinstance(item, Mapping)]


def token_path(draw_file: Path, authority: str) -> Path:
    """``registry/draws/2026/D2026-001.<authority>.tsr``, beside the draw."""
    return draw_file.with_name(f"{draw_file.stem}.{authority}.tsr")


def tokens_of(draw_file: Path) -> dict[str, Path]:
    """The tokens kept beside a draw, by authority name."""
    return {p.name[len(draw_file.stem) + 1:-len(".tsr")]: p for p in sorted(draw_file.parent.glob(f"{draw_file.stem}.*.tsr"))}


def _imprint(commitment: str) -> bytes:
    return bytes.fromhex(commitment.removeprefix("sha256:"))


def ask(authority: Authority, canonical_request: bytes, commitment: str) -> bytes:
    """A token from ``authority`` over the canonical request (its SHA-256 is the commitment), checked."""
    if not authority.url:
        raise TimestampError(f"时间戳服务 {authority.name} 没有配置地址（url）")
    query = TimestampRequestBuilder().data(canonical_request).hash_algorithm(HashAlgorithm.SHA256).build()
    request = urllib.request.Request(authority.url, data=query.as_bytes(), method="POST",
                                     headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            raw: bytes = answer.read()
    except (urllib.error.URLError, OSError) as e:
        raise TimestampError(f"无法从时间戳服务 {authority.name}（{authority.url}）取得时间戳：{e}") from None
    check_token(raw, commitment, authority)
    return raw


def check_token(raw: bytes, commitment: str, authority: Authority) -> datetime:
    """The token's time (aware, UTC) when it is a granted RFC 3161 response over ``commitment``, signed by
    a certificate that chains to the authority's kept certificate; else :class:`TimestampError`."""
    try:
        response = decode_timestamp_response(raw)
    except ValueError:
        raise TimestampError("时间戳令牌无法解析（不是 RFC 3161 时间戳应答）") from None
    algorithm = response.tst_info.message_imprint.hash_algorithm
    if algorithm != SHA256:
        raise TimestampError(f"时间戳令牌的摘要算法不是 SHA-256（{algorithm.dotted_string}），不是对承诺值盖的时间戳")
    imprint = response.tst_info.message_imprint.message
    if imprint != _imprint(commitment):
        raise TimestampError(f"时间戳令牌盖的是另一个摘要（{imprint.hex()}），不是本请求的承诺值 {commitment}")
    try:
        roots = x509.load_pem_x509_certificates(authority.certificate.encode("ascii"))
    except ValueError:
        raise TimestampError(f"registry.yaml 中时间戳服务 {authority.name} 的证书无法读取（应为 PEM）") from None
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    try:
        builder.build().verify(response, imprint)
    except VerificationError as e:
        raise TimestampError(f"时间戳令牌的签名不能用 {authority.name} 的证书核验（{e}）") from None
    return response.tst_info.gen_time


def beijing_day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()
