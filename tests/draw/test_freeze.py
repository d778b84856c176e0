"""The freeze, tried as an auditor would: once a request is on the base, `roster validate --base` refuses
every change to it but the result (once) and appended responses, naming the field."""

from __future__ import annotations

import contextlib
import copy
import os
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from drawkit import VALUES, make_draw, make_registry, registry_at

from roster.cli import main
from roster.draw.candidates import compute_pool
from roster.draw.canonical import commitment
from roster.draw.files import dump_draw
from roster.draw.model import DrawError, parse_request
from roster.draw.protocol import respond, run

DRAW = Path("draws/2026/D2026-001.yaml")


def git(repo: Path, *args: str, when: str = "2026-09-01T10:00:00+08:00") -> str:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          check=True, capture_output=True, env=env)
    return done.stdout.decode()


def commit(repo: Path, message: str, when: str = "2026-09-01T10:00:00+08:00") -> None:
    git(repo, "add", "-A", when=when)
    git(repo, "commit", "-q", "-m", message, when=when)


def validate(capsys: pytest.CaptureFixture[str], root: Path, base: str = "main") -> tuple[int, str]:
    code = main(["validate", "--registry", str(root), "--base", base])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-08-31")  # the test registry's E0007 leaves on 2026-09-01


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main holds the registry and, one commit later, a pending request."""
    root = make_registry(tmp_path / "repo" / "registry")
    git(root.parent, "init", "-q", "-b", "main")
    commit(root.parent, "registry", "2026-08-20T10:00:00+08:00")
    make_draw(root, run_it=False)
    commit(root.parent, "request D2026-001")
    return root


def load(root: Path) -> dict[str, Any]:
    return registry_at(root).by_id("draw")["D2026-001"].data


def write(root: Path, data: dict[str, Any], *, recommit: bool = True) -> None:
    data = copy.deepcopy(data)
    if recommit:  # an attacker recomputes the commitment too
        data["commitment"] = commitment(data)
    (root / DRAW).write_text(dump_draw(data), encoding="utf-8")


def run_it(data: dict[str, Any]) -> dict[str, Any]:
    return run(data, VALUES, date(2026, 9, 6))


# ---------------------------------------------------------------- the honest sequence


def test_the_honest_sequence_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, repo, "main~1")  # the request PR
    assert code == 0, out
    write(repo, run_it(load(repo)), recommit=False)  # the run PR
    code, out = validate(capsys, repo)
    assert code == 0, out
    commit(repo.parent, "run D2026-001", "2026-09-06T10:00:00+08:00")
    data = load(repo)
    panel = data["result"]["panel"]
    data = respond(data, panel[0], "declined", "出差", date(2026, 9, 8), "schedule", "王抽取").data
    write(repo, respond(data, panel[1], "accepted", None, date(2026, 9, 8)).data, recommit=False)  # responses PR
    code, out = validate(capsys, repo)
    assert code == 0, out


# ---------------------------------------------------------------- the attacks of issue 10


def _swap_source(d: dict[str, Any]) -> None:
    d["request"]["sources"][0] = {"name": "中国福利彩票双色球第2026100期（已开奖）", "kind": "ssq", "public_on": "2026-09-04"}


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "swap a source": (_swap_source, "request.sources[0].name"),
    "SM3 variant": (lambda d: d.update(algorithm="rfc3797-sm3"), "algorithm"),
    "loosen max_per_legal_entity": (lambda d: d["request"].update(max_per_legal_entity=3), "request.max_per_legal_entity"),
    "loosen max_per_institution": (lambda d: d["request"].update(max_per_institution=2), "request.max_per_institution"),
    "quotas": (lambda d: d["request"]["quotas"][0].update(category="it"), "request.quotas[0].category"),
    "size": (lambda d: d["request"].update(size=5), "request.size"),
    "source date": (lambda d: d["request"]["sources"][1].update(public_on="2026-09-10"), "request.sources[1].public_on"),
    "requested backdated": (lambda d: d["request"].update(requested="2026-08-01"), "request.requested"),
    "candidates": (lambda d: d["candidates"].remove("E0014"), "candidates"),
    "facts": (lambda d: d["candidate_facts"]["E0014"].update(institution="I0001"), "candidate_facts.E0014.institution"),
    "exclusions": (lambda d: d["exclusions"].pop(0), "exclusions"),
    "commitment": (lambda d: d.update(commitment="sha256:" + "0" * 64), "commitment"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_change_to_a_frozen_request_is_refused(repo: Path, capsys: pytest.CaptureFixture[str], attack: str) -> None:
    change, field = ATTACKS[attack]
    data = load(repo)
    change(data)
    if attack != "commitment":
        data["commitment"] = commitment(data)
    with contextlib.suppress(DrawError):  # some changes make the request unrunnable; the freeze still applies
        data = run_it(data)  # with the numbers known
    write(repo, data, recommit=False)
    code, out = validate(capsys, repo)
    assert code == 1, out
    assert "[draw.frozen]" in out and f"字段 {field} 被修改" in out, out
    assert "要改只能新建请求" in out


def test_refreezing_after_editing_an_experts_employer_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for ident, old, new in (("E0014", "employer: I0007", "employer: I0001"),
                            ("E0009", "employer: I0007", "employer: I0003\nconflicts:\n- institution: I0001\n  relation: consultant")):
        path = repo / "experts" / f"{ident}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    data = load(repo)
    pool = compute_pool(registry_at(repo), parse_request(data), None)
    data.update(candidates=pool.ids, candidate_facts=pool.facts(), exclusions=[e.as_data() for e in pool.exclusions])
    write(repo, run_it(data))
    code, out = validate(capsys, repo)
    assert code == 1
    assert "字段 candidates 被修改" in out and "字段 candidate_facts.E0009 被修改" in out


def test_request_and_result_in_one_change_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_registry(tmp_path / "repo" / "registry")
    git(root.parent, "init", "-q", "-b", "main")
    commit(root.parent, "registry")
    make_draw(root, run_it=True, requested="2026-08-01")  # --requested typed as an earlier day
    code, out = validate(capsys, root)
    assert code == 1
    assert "[draw.result_with_request]" in out and "请求和结果不能在同一次改动中提交" in out


def test_a_result_is_never_changed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, run_it(load(repo)), recommit=False)
    commit(repo.parent, "run", "2026-09-06T10:00:00+08:00")
    data = load(repo)
    data["result"]["panel"].reverse()
    write(repo, data, recommit=False)
    code, out = validate(capsys, repo)
    assert code == 1 and "[draw.result_changed]" in out


def test_responses_are_only_appended(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_it(load(repo))
    data = respond(data, data["result"]["panel"][0], "declined", "出差", date(2026, 9, 8), "schedule", "王抽取").data
    write(repo, data, recommit=False)
    commit(repo.parent, "run", "2026-09-06T10:00:00+08:00")
    data = load(repo)
    data["responses"][0]["reason"] = "改过的原因"
    write(repo, data, recommit=False)
    code, out = validate(capsys, repo)
    assert code == 1 and "[draw.responses_rewritten]" in out


def test_deleting_a_draw_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / DRAW).unlink()
    code, out = validate(capsys, repo)
    assert code == 1 and "[history.deleted]" in out and "D2026-001" in out


def test_reusing_a_draw_id_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting the request and writing another one under its id is a change to a frozen request."""
    (repo / DRAW).unlink()
    make_draw(repo, run_it=False, purpose="另一个抽取请求（复用编号）")
    assert (repo / DRAW).exists()
    code, out = validate(capsys, repo)
    assert code == 1 and "[draw.frozen]" in out and "字段 request.purpose 被修改" in out


def test_a_pending_request_survives_later_changes_on_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A request made on a branch is checked against the registry it was made from, not today's main."""
    root = make_registry(tmp_path / "repo" / "registry")
    repo = root.parent
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "registry")
    git(repo, "checkout", "-q", "-b", "request")
    make_draw(root, run_it=False)
    commit(repo, "request D2026-001")
    git(repo, "checkout", "-q", "main")
    expert = root / "experts" / "E0014.yaml"
    expert.write_text(expert.read_text(encoding="utf-8").replace("status: active\n", "status: withdrawn\n", 1)
                      + "- date: 2026-09-01\n  status: withdrawn\n  reason: own_request\n", encoding="utf-8")
    commit(repo, "E0014 withdraws")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge request", "request")
    code, out = validate(capsys, root, "main~1")
    assert "[draw.candidates_changed]" not in out and code == 0, out


# ---------------------------------------------------------------- records written before commitments


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    """main holds a draw written by the previous protocol: run, answered, with result.digest and no commitment."""
    root = make_registry(tmp_path / "repo" / "registry")
    git(root.parent, "init", "-q", "-b", "main")
    make_draw(root, run_it=True)
    data = load(root)
    data = respond(data, data["result"]["panel"][0], "declined", "出差", date(2026, 9, 8), "schedule", "王抽取").data
    old = copy.deepcopy(data)
    del old["commitment"]
    old["result"]["digest"] = "sha256:" + "a" * 64
    for response in old["responses"]:
        response.pop("reason_code", None)
        response.pop("recorded_by", None)
    (root / DRAW).write_text(dump_draw(old), encoding="utf-8")
    commit(root.parent, "a draw of the previous protocol")
    (root / DRAW).write_text(dump_draw(data), encoding="utf-8")  # the upgrade
    return root


def test_an_old_record_may_be_upgraded_once(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, legacy)
    assert code == 0, out


def test_the_upgrade_is_no_way_around_the_freeze(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = load(legacy)
    data["request"]["max_per_legal_entity"] = 3
    write(legacy, data)
    code, out = validate(capsys, legacy)
    assert code == 1 and "字段 request.max_per_legal_entity 被修改" in out
    data = load(legacy)
    del data["request"]["max_per_legal_entity"]
    data["responses"][0]["replaced_by"] = "E0001"
    write(legacy, data)
    code, out = validate(capsys, legacy)
    assert code == 1 and "[draw.responses_rewritten]" in out
