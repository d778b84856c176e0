"""Parsing in worker processes gives the same records, problems and positions as parsing in one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from roster.check import registry as registry_module
from roster.check.validate import validate

DEMO = Path(__file__).resolve().parents[2] / "registry"


@pytest.mark.parametrize("which", ["demo", "broken"])
def test_workers_agree_with_one_process(monkeypatch: pytest.MonkeyPatch, mini: Path, which: str) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2027-05-15")  # a day with findings to compare
    root = DEMO if which == "demo" else mini
    if which == "broken":
        broken = mini / "experts/E0001.yaml"
        broken.write_text(broken.read_text(encoding="utf-8").replace("level: master", "level: 硕士\n  bad: ["),
                          encoding="utf-8")
    one = validate(root, use_cache=False)
    used: list[Any] = []
    real = registry_module.unpack_result

    def counted(entry: Any) -> Any:
        used.append(entry)
        return real(entry)

    monkeypatch.setattr(registry_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(registry_module, "_CHUNK", 7)
    monkeypatch.setattr(registry_module, "_workers", lambda count: 2)
    monkeypatch.setattr(registry_module, "unpack_result", counted)
    many = validate(root, use_cache=False)
    assert one.registry is not None and many.registry is not None
    assert len(used) == len(one.registry.all_records())
    assert many.findings == one.findings and many.findings
    assert [r.data for r in many.registry.records] == [r.data for r in one.registry.records]
    # positions of fields (worked out from the bytes on demand) agree too
    for a, b in zip(many.registry.records, one.registry.records, strict=True):
        if a.document is not None and a.data.get("name") is not None:
            assert a.line("name") == b.line("name")
