"""RFC 3161 tokens over a draw's commitment, from a TSA made locally with `openssl ts` (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from drawkit import SETTINGS, VALUES, make_draw, make_registry, registry_at, request
from test_freeze import commit, git, load, write
from tsakit import LocalTSA, make_tsa

from roster.check.validate import validate
from roster.core.findings import Finding
from roster.draw.canonical import canonical
from roster.draw.model import DrawError
from roster.draw.protocol import run
from roster.draw.timestamp import Authority, TimestampError, ask
from roster.staff.draws import new_request

LATER = [{"name": "中国福利彩票双色球第2099001期", "kind": "ssq", "public_on": "2099-01-03"},
         {"name": "体彩超级大乐透第99001期", "kind": "dlt", "public_on": "2099-01-05"}]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-08-31")


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> LocalTSA:
    return make_tsa(tmp_path_factory.mktemp("tsa"))


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> LocalTSA:
    return make_tsa(tmp_path_factory.mktemp("stranger"), name="别的时间戳服务")


def with_tsa(root: Path, tsa: LocalTSA, url: str | None) -> None:
    settings: dict[str, Any] = {**SETTINGS, "timestamping": [{"name": "test-tsa", "certificate": tsa.root_pem,
                                                              **({"url": url} if url else {})}]}
    (root / "registry.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def kit(tmp_path: Path, tsa: LocalTSA) -> Iterator[Path]:
    root = make_registry(tmp_path / "repo" / "registry")
    with tsa.serve() as url:
        with_tsa(root, tsa, url)
        yield root


def findings(root: Path, base: str | None = None) -> list[Finding]:
    return [f for f in validate(root, base=base, use_cache=False).findings if f.rule.startswith("draw.")]


def rules(root: Path, base: str | None = None) -> set[str]:
    return {f.rule for f in findings(root, base) if f.is_error}


def test_new_asks_the_tsa_and_the_token_verifies(kit: Path) -> None:
    created = new_request(registry_at(kit), request(sources=LATER))
    assert created.tokens == [kit / "draws/2026/D2026-001.test-tsa.tsr"]
    assert findings(kit) == []
    assert not [f for f in validate(kit, use_cache=False).findings if f.rule.startswith("layout.")]


def test_a_token_over_another_hash_fails(kit: Path, tsa: LocalTSA) -> None:
    created = new_request(registry_at(kit), request(sources=LATER))
    other = canonical({"id": "D2026-999"})
    created.tokens[0].write_bytes(tsa.reply(_query(other)))
    found = [f for f in findings(kit) if f.rule == "draw.timestamp"]
    assert found and "时间戳令牌盖的是另一个摘要" in found[0].message


def test_a_token_over_the_commitment_under_another_algorithm_fails(kit: Path, tsa: LocalTSA) -> None:
    """The commitment's 32 bytes stamped as a SHA3-256 digest: the same bytes, but not a stamp of the SHA-256 commitment."""
    created = new_request(registry_at(kit), request(sources=LATER))
    commitment = str(created.data["commitment"])
    created.tokens[0].write_bytes(tsa.stamp(bytes.fromhex(commitment.removeprefix("sha256:")), "sha3-256"))
    found = [f for f in findings(kit) if f.rule == "draw.timestamp"]
    assert found and "摘要算法不是 SHA-256（2.16.840.1.101.3.4.2.8）" in found[0].message


def test_a_token_from_an_unknown_certificate_fails(kit: Path, stranger: LocalTSA) -> None:
    created = new_request(registry_at(kit), request(sources=LATER))
    commitment = created.data["commitment"]
    created.tokens[0].write_bytes(stranger.reply(_query_digest(commitment)))
    found = [f for f in findings(kit) if f.rule == "draw.timestamp"]
    assert found and "签名不能用 test-tsa 的证书核验" in found[0].message
    created.tokens[0].rename(created.path.with_name("D2026-001.nobody.tsr"))
    found = [f for f in findings(kit) if f.rule == "draw.timestamp"]
    assert found and "registry.yaml 中没有的时间戳服务“nobody”" in found[0].message


def test_a_token_dated_after_the_earliest_source_fails(kit: Path) -> None:
    """The local TSA signs with today's clock (2026-11-30 or later); these sources were public in 2026-09."""
    new_request(registry_at(kit), request())
    found = [f for f in findings(kit) if f.rule == "draw.timestamp_late"]
    assert found and found[0].is_error and "不早于最早的随机源公布日期 2026-09-03" in found[0].message


def test_no_tsa_answering_refuses_the_request(tmp_path: Path, tsa: LocalTSA) -> None:
    root = make_registry(tmp_path / "registry")
    with_tsa(root, tsa, "http://127.0.0.1:9/none")
    with pytest.raises(DrawError, match="没有取得任何时间戳，未建立请求"):
        new_request(registry_at(root), request(sources=LATER))
    assert not (root / "draws").exists()


def test_ask_checks_what_comes_back(tsa: LocalTSA, stranger: LocalTSA) -> None:
    with stranger.serve() as url:
        authority = Authority("test-tsa", url, tsa.root_pem)
        with pytest.raises(TimestampError, match="签名不能用 test-tsa 的证书核验"):
            ask(authority, b"{}", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")


def test_a_token_on_the_base_is_never_replaced(kit: Path, tsa: LocalTSA) -> None:
    created = new_request(registry_at(kit), request(sources=LATER))
    git(kit.parent, "init", "-q", "-b", "main")
    commit(kit.parent, "request")
    created.tokens[0].write_bytes(tsa.reply(_query(canonical({"other": 1}))))
    assert "draw.timestamp_changed" in rules(kit, "main")
    created.tokens[0].unlink()
    assert "draw.timestamp_changed" in rules(kit, "main")


def test_a_request_that_reached_main_after_the_source_cannot_be_run(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "repo" / "registry")
    git(root.parent, "init", "-q", "-b", "main")
    commit(root.parent, "registry", "2026-08-20T10:00:00+08:00")
    make_draw(root, run_it=False)
    commit(root.parent, "request merged late", "2026-09-03T09:00:00+08:00")  # the 双色球 is drawn that evening
    write(root, run(load(root), VALUES, date(2026, 9, 6)), recommit=False)
    found = [f for f in findings(root, "main") if f.rule == "draw.late_request"]
    assert found and "进入默认分支的时间 2026-09-03 09:00（北京时间，提交历史）不早于最早的随机源公布日期 2026-09-03" in found[0].message


def _query(data: bytes) -> bytes:
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    return TimestampRequestBuilder().data(data).hash_algorithm(HashAlgorithm.SHA256).build().as_bytes()


def _query_digest(commitment: str) -> bytes:
    """A request over a given SHA-256, made with openssl ts -query -digest."""
    import subprocess

    return subprocess.run(["openssl", "ts", "-query", "-sha256", "-digest", commitment.removeprefix("sha256:"), "-cert"],
                          check=True, capture_output=True).stdout


def test_a_request_merged_after_the_source_counts_from_the_merge(tmp_path: Path) -> None:
    """The branch commit may say any date; what counts is when the merge brought it to the default branch."""
    root = make_registry(tmp_path / "repo" / "registry")
    repo = root.parent
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "registry", "2026-08-20T10:00:00+08:00")
    git(repo, "checkout", "-q", "-b", "request")
    make_draw(root, run_it=False)
    commit(repo, "request, dated early on the branch", "2026-09-01T10:00:00+08:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge request", "request", when="2026-09-04T09:00:00+08:00")
    write(root, run(load(root), VALUES, date(2026, 9, 6)), recommit=False)
    found = [f for f in findings(root, "main") if f.rule == "draw.late_request"]
    assert found and "进入默认分支的时间 2026-09-04 09:00" in found[0].message
