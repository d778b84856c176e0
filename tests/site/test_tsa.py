"""RFC 3161 tokens verified in the browser (tsa.js with the bundled pkijs) and by ``roster validate``
(roster.draw.timestamp.check_token): the same tokens and the same kept certificates give the same answer.

Every demo draw's token verifies in Chromium; a token over another digest, one that carries the commitment
bytes somewhere else (what the old byte scan accepted), one from an unknown TSA, one with a signature byte
flipped and one checked against a certificate that is not the kept one all fail, in Python and in the browser,
with a Chinese message. Tokens other than the demo's come from a local openssl TSA (tests/draw/tsakit.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import yaml

from conftest import REPO, Built, Page, Server
from roster.draw.canonical import canonical_request
from roster.draw.timestamp import Authority, TimestampError, authorities, check_token, tokens_of
from roster.yamlio.load import load_bytes

sys.path.insert(0, str(REPO / "tests" / "draw"))
from tsakit import LocalTSA, faketime_available, make_tsa

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not faketime_available(), reason="faketime 未安装（make browser 会安装）")]

DRAWS = REPO / "registry" / "draws"
KEPT = {a.name: a for a in authorities(yaml.safe_load((REPO / "registry" / "registry.yaml").read_text(encoding="utf-8")))}


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> LocalTSA:
    return make_tsa(tmp_path_factory.mktemp("tsa"))


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> LocalTSA:
    return make_tsa(tmp_path_factory.mktemp("stranger"), name="别的时间戳服务")


# ---------------------------------------------------------------- a little DER, to move bytes around a token

def _head(der: bytes) -> tuple[int, int]:
    """(header length, content length) of the element at the start of ``der``."""
    first = der[1]
    if first < 0x80:
        return 2, first
    size = first & 0x7F
    return 2 + size, int.from_bytes(der[2:2 + size], "big")


def _element(tag: int, content: bytes) -> bytes:
    n = len(content)
    length = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + length + content


def _children(content: bytes) -> list[bytes]:
    out = []
    while content:
        head, size = _head(content)
        out.append(content[:head + size])
        content = content[head + size:]
    return out


def _edit(der: bytes, path: list[int], change: Callable[[bytes], bytes]) -> bytes:
    if not path:
        return change(der)
    head, size = _head(der)
    kids = _children(der[head:head + size])
    kids[path[0]] = _edit(kids[path[0]], path[1:], change)
    return _element(der[0], b"".join(kids))


def with_unsigned_attribute(token: bytes, value: bytes) -> bytes:
    """The token with an unsigned attribute (not covered by the signature) holding ``value`` as an OCTET STRING:
    TimeStampResp → ContentInfo → [0] → SignedData → signerInfos → the SignerInfo, which gets ``[1] unsignedAttrs``."""
    oid = bytes.fromhex("06032a0304")  # 1.2.3.4
    attribute = _element(0x30, oid + _element(0x31, _element(0x04, value)))

    def append(signer: bytes) -> bytes:
        head, size = _head(signer)
        return _element(0x30, signer[head:head + size] + _element(0xA1, attribute))

    return _edit(token, [1, 1, 0, -1, 0], append)


# ---------------------------------------------------------------- both verifiers

def _python(raw: bytes, commitment: str, authority: Authority) -> dict[str, Any]:
    try:
        moment: datetime = check_token(raw, commitment, authority)
    except TimestampError as e:
        return {"ok": False, "detail": str(e)}
    return {"ok": True, "time": moment.isoformat()}


def _browser(page: Page, raw: bytes, commitment: str, authority: Authority, message: bytes) -> dict[str, Any]:
    result: dict[str, Any] = page.page.evaluate(
        """async ([token, commitment, pem, message, name]) => {
             const r = await RosterTSA.checkToken(token, commitment, pem, new Uint8Array(message), name);
             return {ok: r.ok, detail: r.detail, issuer: r.issuer || null, time: r.time ? r.time.toISOString() : null};
           }""",
        [base64.b64encode(raw).decode("ascii"), commitment, authority.certificate, list(message), authority.name])
    return result


def _demo_draws() -> list[tuple[str, bytes, str, bytes, Authority]]:
    """(draw id, token, commitment, canonical request, kept authority) of every token of the demo registry."""
    out = []
    for path in sorted(DRAWS.glob("*/*.yaml")):
        draw = load_bytes(path.read_bytes()).data  # strict: dates stay strings, as the commitment has them
        for name, token in tokens_of(path).items():
            out.append((str(draw["id"]), token.read_bytes(), str(draw["commitment"]), canonical_request(draw), KEPT[name]))
    return out


def _open_draw_page(demo_site: Built, demo_server: Server, phone: Page) -> None:
    ident = sorted(p.stem for p in (demo_site.result.docs_dir / "opendata" / "draws").glob("*.json")
                   if "result" in json.loads(p.read_text(encoding="utf-8")))[0]
    response = phone.page.goto(demo_server.url + f"draws/{ident.lower()}/", wait_until="load")
    assert response is not None and response.ok
    phone.page.evaluate("() => RosterTSA.library()")


def test_every_demo_token_verifies_in_the_browser_as_in_python(demo_site: Built, demo_server: Server, phone: Page) -> None:
    demo = _demo_draws()
    assert len(demo) >= 5
    _open_draw_page(demo_site, demo_server, phone)
    for ident, raw, commitment, message, authority in demo:
        python = _python(raw, commitment, authority)
        browser = _browser(phone, raw, commitment, authority, message)
        assert python["ok"] and browser["ok"], (ident, python, browser)
        assert browser["time"] is not None
        assert datetime.fromisoformat(browser["time"].replace("Z", "+00:00")) == datetime.fromisoformat(python["time"])
        assert browser["issuer"] and "示例" in browser["issuer"]
    assert phone.errors == [] and phone.foreign == []


def test_the_bundle_is_loaded_only_when_asked(demo_site: Built, demo_server: Server, phone: Page) -> None:
    requested: list[str] = []
    phone.page.on("request", lambda request: requested.append(request.url))
    ident = sorted(p.stem for p in (demo_site.result.docs_dir / "opendata" / "draws").glob("*.json")
                   if "result" in json.loads(p.read_text(encoding="utf-8")))[0]
    phone.page.goto(demo_server.url + f"draws/{ident.lower()}/", wait_until="networkidle")
    phone.page.goto(demo_server.url, wait_until="networkidle")
    assert not any("pkijs" in url for url in requested), "the bundle was loaded before verifying"
    assert any(url.endswith("tsa.js") for url in requested), "draw pages load tsa.js"


Case = Callable[[LocalTSA, LocalTSA, tuple[str, bytes, str, bytes, Authority]], tuple[bytes, Authority, str]]


def _local(tsa: LocalTSA, name: str = "test-tsa") -> Authority:
    return Authority(name, None, tsa.root_pem)


def _digest(commitment: str) -> bytes:
    return bytes.fromhex(commitment.removeprefix("sha256:"))


def _another_hash(tsa: LocalTSA, stranger: LocalTSA, demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    return tsa.stamp(hashlib.sha256(b"another request").digest()), _local(tsa), "另一个摘要"


def _another_algorithm(tsa: LocalTSA, stranger: LocalTSA,
                       demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    """The commitment's 32 bytes, stamped as if they were a SHA3-256 digest: not a stamp of the commitment."""
    return tsa.stamp(_digest(demo[2]), "sha3-256"), _local(tsa), "不是 SHA-256"


def _commitment_elsewhere(tsa: LocalTSA, stranger: LocalTSA,
                          demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    raw = with_unsigned_attribute(tsa.stamp(hashlib.sha256(b"another request").digest()), _digest(demo[2]))
    assert _digest(demo[2]) in raw  # what the old scan looked for
    return raw, _local(tsa), "另一个摘要"


def _unknown_tsa(tsa: LocalTSA, stranger: LocalTSA, demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    return stranger.stamp(_digest(demo[2])), _local(tsa), "不受信任"


def _flipped_signature(tsa: LocalTSA, stranger: LocalTSA,
                       demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    raw = bytearray(tsa.stamp(_digest(demo[2])))
    raw[-1] ^= 0x01  # the last byte of the TimeStampResp is the last byte of the SignerInfo's signature
    return bytes(raw), _local(tsa), "签名无效"


def _not_the_kept_certificate(tsa: LocalTSA, stranger: LocalTSA,
                              demo: tuple[str, bytes, str, bytes, Authority]) -> tuple[bytes, Authority, str]:
    return demo[1], Authority(demo[4].name, None, tsa.root_pem), "不受信任"


CASES: dict[str, Case] = {
    "a token over another hash": _another_hash,
    "the commitment under another hash algorithm": _another_algorithm,
    "the commitment bytes placed elsewhere": _commitment_elsewhere,
    "a token from an unknown TSA": _unknown_tsa,
    "one signature byte flipped": _flipped_signature,
    "a certificate that is not the kept one": _not_the_kept_certificate,
}


def test_a_token_from_the_local_tsa_verifies(demo_site: Built, demo_server: Server, phone: Page, tsa: LocalTSA) -> None:
    """The control for the cases below: the local TSA's honest token verifies in both."""
    demo = _demo_draws()[0]
    raw = tsa.stamp(_digest(demo[2]))
    _open_draw_page(demo_site, demo_server, phone)
    browser = _browser(phone, raw, demo[2], _local(tsa), demo[3])
    assert _python(raw, demo[2], _local(tsa))["ok"] and browser["ok"], browser
    assert browser["issuer"] == "测试时间戳服务"


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_token_fails_in_python_and_in_the_browser(demo_site: Built, demo_server: Server, phone: Page,
                                                          tsa: LocalTSA, stranger: LocalTSA, case: str) -> None:
    demo = _demo_draws()[0]
    raw, authority, said = CASES[case](tsa, stranger, demo)
    _open_draw_page(demo_site, demo_server, phone)
    python = _python(raw, demo[2], authority)
    browser = _browser(phone, raw, demo[2], authority, demo[3])
    assert not python["ok"] and not browser["ok"], (case, python, browser)
    assert said in browser["detail"], (case, browser)
    assert "\u4e00" <= browser["detail"][0] <= "\u9fff", browser["detail"]  # a Chinese sentence
    assert phone.errors == [] and phone.foreign == []


def test_the_draw_page_shows_a_bad_token_as_a_mismatch(demo_site: Built, demo_server: Server, phone: Page,
                                                      tsa: LocalTSA) -> None:
    """A token with the commitment placed elsewhere, served in the draw's data file: the page says 时间戳 differs."""
    ident = sorted(p.stem for p in (demo_site.result.docs_dir / "opendata" / "draws").glob("*.json")
                   if "result" in json.loads(p.read_text(encoding="utf-8")))[0]

    def altered(route: Any, request: Any) -> None:
        response = route.fetch()
        data = response.json()
        raw = with_unsigned_attribute(tsa.stamp(hashlib.sha256(b"x").digest()), _digest(data["commitment"]))
        data["timestamps"][0].update(token=base64.b64encode(raw).decode("ascii"), certificate=tsa.root_pem)
        route.fulfill(response=response, body=json.dumps(data, ensure_ascii=False))

    phone.page.route(f"**/opendata/draws/{ident}.json", altered)
    phone.page.goto(demo_server.url + f"draws/{ident.lower()}/", wait_until="load")
    phone.page.click(".roster-verify button")
    phone.page.wait_for_function("() => document.querySelector('[data-verify-output]').dataset.status === 'mismatch'",
                                 timeout=60_000)
    verdict = phone.page.locator(".roster-verify__verdict").inner_text()
    checks = phone.page.locator("[data-verify-output] li").all_inner_texts()
    assert "时间戳" in verdict
    assert any(c.startswith("不一致：时间戳") and "另一个摘要" in c for c in checks), checks
    phone.page.locator(".roster-verify").scroll_into_view_if_needed()
    phone.screenshot("demo-token-mismatch-390")


def test_without_webcrypto_the_browser_says_so_and_claims_nothing(demo_site: Built, demo_server: Server,
                                                                  phone: Page) -> None:
    demo = _demo_draws()[0]
    _open_draw_page(demo_site, demo_server, phone)
    phone.page.evaluate("() => Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined})")
    browser = _browser(phone, demo[1], demo[2], demo[4], demo[3])
    assert not browser["ok"] and "WebCrypto" in browser["detail"] and "https" in browser["detail"]


def test_without_webcrypto_the_draw_page_does_not_say_it_matches(demo_site: Built, demo_server: Server,
                                                                  phone: Page) -> None:
    ident = sorted(p.stem for p in (demo_site.result.docs_dir / "opendata" / "draws").glob("*.json")
                   if "result" in json.loads(p.read_text(encoding="utf-8")))[0]
    phone.page.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', {get: () => undefined})")
    phone.page.goto(demo_server.url + f"draws/{ident.lower()}/", wait_until="load")
    phone.page.click(".roster-verify button")
    phone.page.wait_for_function("() => ['match', 'mismatch', 'unchecked'].includes(document.querySelector('[data-verify-output]').dataset.status)",
                                 timeout=60_000)
    assert phone.page.get_attribute("[data-verify-output]", "data-status") == "unchecked"  # neither match nor mismatch
    verdict = phone.page.locator(".roster-verify__verdict").inner_text()
    assert "未能核验签名：请用 https 地址打开本页" in verdict and "✔" not in verdict


def test_the_site_data_carries_the_kept_certificate(demo_site: Built) -> None:
    for path in (demo_site.result.docs_dir / "opendata" / "draws").glob("*.json"):
        for stamp in json.loads(path.read_text(encoding="utf-8")).get("timestamps", []):
            assert stamp["certificate"] == KEPT[stamp["authority"]].certificate
