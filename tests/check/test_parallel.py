"""Parsing in worker processes gives the same records, problems and positions as parsing in one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from roster.check import projected
from roster.check import registry as registry_module
from roster.check.validate import check_registry, open_registry, validate
from roster.core.timeutil import today_beijing

DEMO = Path(__file__).resolve().parents[2] / "registry"


@pytest.fixture(params=["demo", "broken"])
def root(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, mini: Path) -> Path:
    monkeypatch.setenv("ROSTER_TODAY", "2027-05-15")  # a day with findings to compare
    if request.param == "demo":
        return DEMO
    broken = mini / "experts/E0001.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("level: master", "level: 硕士\n  bad: ["),
                      encoding="utf-8")
    (mini / "experts/E0003.yaml").write_bytes(b"\xff\xfe")  # not UTF-8
    return mini


def test_loading_in_workers_agrees_with_one_process(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Whole records (open_registry: the site, staff commands, --base)."""
    one = open_registry(root, use_cache=False)
    used: list[Any] = []
    real = registry_module.unpack_result

    def counted(entry: Any) -> Any:
        used.append(entry)
        return real(entry)

    monkeypatch.setattr(registry_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(registry_module, "_CHUNK", 7)
    monkeypatch.setattr(registry_module, "worker_count", lambda count, minimum: 2)
    monkeypatch.setattr(registry_module, "unpack_result", counted)
    many = open_registry(root, use_cache=False)
    assert len(used) == len(one.all_records())
    assert [r.data for r in many.records] == [r.data for r in one.records]
    assert [r.problems for r in many.records] == [r.problems for r in one.records]
    # positions of fields (worked out from the bytes on demand) agree too
    for a, b in zip(many.records, one.records, strict=True):
        if a.document is not None and a.data.get("name") is not None:
            assert a.line("name") == b.line("name")


def test_checking_people_in_workers_agrees_with_one_process_and_whole_records(monkeypatch: pytest.MonkeyPatch,
                                                                              root: Path) -> None:
    """`roster validate` (projected people, checked in workers) finds what checking whole records finds."""
    whole = check_registry(open_registry(root, use_cache=False), today_beijing())
    one = validate(root, use_cache=False)
    chunks: list[Any] = []
    real = projected._collect

    def counted(*args: Any) -> Any:
        chunks.append(args)
        return real(*args)

    monkeypatch.setattr(projected, "PARALLEL_MIN", 1)
    monkeypatch.setattr(projected, "_CHUNK", 1)
    monkeypatch.setattr(projected, "worker_count", lambda count, minimum: 2)
    monkeypatch.setattr(projected, "_collect", counted)
    many = validate(root, use_cache=False)
    assert whole and one.findings == whole and many.findings == whole
    assert one.registry is not None and many.registry is not None and many.registry.projected
    assert [(r.file, r.sha, r.data, r.problems) for r in many.registry.records] == \
        [(r.file, r.sha, r.data, r.problems) for r in one.registry.records]
    assert len(chunks) == sum(r.kind in ("expert", "supervisor") for r in many.registry.records) > 1


def _die_in_a_worker(bounds: tuple[int, int], main: int = os.getpid()) -> bytes:
    if os.getpid() != main and bounds[0] % 3 == 0:
        os._exit(9)  # as a worker killed by the out-of-memory killer
    return _real_checked(bounds)


_real_checked = projected._checked


def test_a_worker_that_dies_only_costs_time(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    one = validate(root, use_cache=False)
    monkeypatch.setattr(projected, "PARALLEL_MIN", 1)
    monkeypatch.setattr(projected, "_CHUNK", 1)
    monkeypatch.setattr(projected, "worker_count", lambda count, minimum: 2)
    monkeypatch.setattr(projected, "_checked", _die_in_a_worker)
    assert validate(root, use_cache=False).findings == one.findings
