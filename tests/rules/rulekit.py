"""Small in-memory registries for rule tests: a valid base, changed one field at a time.

Every record is run through the real per-file checks first and must pass them, so a rule test can
never pass because its record was silently skipped as invalid.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from roster.check.filecheck import check_file
from roster.check.registry import FOLDERS, Record, Registry
from roster.check.schemas import SchemaSet
from roster.core.findings import Finding
from roster.rules import check_rules

XZ = "《西藏专家库管理办法》"
GY = "《贵阳专家库管理规定》"
JN = "《晋宁社会监督员管理办法》"

SETTINGS: dict[str, Any] = {
    "bureau": {"name": "测试市医疗保障局", "region": "540199"},
    # the XZ trial ended 2026-02-02; its expiry warning has its own tests (test_policy.py)
    "rosters": {"experts": {"policy": "xz-2023", "disabled": [{"rule": "policy.validity", "reason": "测试：另有专门测试"}]},
                "supervisors": {"policy": "jn"}},
    "site": {"title": "测试网站", "host": "测试市医疗保障局"},
}

INSTITUTIONS: dict[str, dict[str, Any]] = {
    "I0001": {"id": "I0001", "name": "测试市人民医院", "type": "hospital", "level": "三级甲等", "legal_entity": "I0001",
              "region": "540199", "designated": {"kind": "medical", "since": "2020-01-01"}},
    "I0002": {"id": "I0002", "name": "测试市康宁大药房", "type": "pharmacy", "legal_entity": "I0002",
              "region": "540199", "designated": {"kind": "pharmacy", "since": "2021-05-01"}},
    "I0003": {"id": "I0003", "name": "测试人寿保险公司测试分公司", "type": "insurer", "legal_entity": "I0003",
              "region": "540199"},
    "I0004": {"id": "I0004", "name": "测试市老城药店", "type": "pharmacy", "legal_entity": "I0004",
              "region": "540199", "designated": {"kind": "pharmacy", "since": "2019-01-01", "until": "2024-12-31"}},
}

# the declaration items each preset asks for; the base expert carries all of them, and a registry keeps its preset's
# (an item another preset asks for is a warning, admission.declarations)
ITEMS = {"xz-2023": ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified"),
         "gy-2022": ("healthy", "no_violation", "no_credit_record")}

EXPERT: dict[str, Any] = {
    "id": "E0001", "name": "张明", "gender": "男", "birth": "1975-06", "category": "medical",
    "specialties": ["心血管内科"], "employer": "I0001",
    "education": {"level": "master"},
    "title": {"name": "主任医师", "level": "senior", "since": "2015-01"},
    "work_start": "1998-07", "civil_servant": False,
    "declarations": {code: {"confirmed": True, "source": "pledge", "date": "2026-02-01"}
                     for code in ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified", "no_violation", "no_credit_record")},
    # notice and certificate: GY 第八条 (函告, 聘书); other presets ignore them
    "admission": {"route": "invited", "date": "2026-03-01", "notice": {"date": "2026-02-20"},
                  "certificate": {"number": "聘〔2026〕1号", "date": "2026-03-01"}, "consent": {"date": "2026-02-01"}},
    "term": {"start": "2026-03-01", "end": "2029-02-28"},
    "status": "active",
    "status_history": [{"date": "2026-03-01", "status": "active"}],
}

SUPERVISOR: dict[str, Any] = {
    "id": "S0001", "name": "李华", "gender": "女", "birth": "1980-05", "route": "open",
    "background": ["medicine"], "pledge": {"signed": "2026-02-10"}, "certificate_no": "JN-2026-001",
    "claims": ["I0001", "I0002"],
    "admission": {"date": "2026-03-01"},
    "term": {"start": "2026-03-01", "end": "2028-02-29"},
    "status": "active",
    "status_history": [{"date": "2026-03-01", "status": "active"}],
}

ANNOUNCEMENT: dict[str, Any] = {
    "id": "A2026-001", "kind": "admission", "title": "拟入库专家公示", "published": "2026-02-02",
    "period": {"start": "2026-02-02", "end": "2026-02-06", "workdays": 5},
    "subjects": ["E0001"], "body": "公示。",
    "outcome": {"closed": "2026-02-09", "objections": 0, "result": "passed"},
}


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `base` with top-level keys replaced; a value of None removes the key."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def expert(**changes: Any) -> dict[str, Any]:
    return merged(EXPERT, changes)


def supervisor(**changes: Any) -> dict[str, Any]:
    return merged(SUPERVISOR, changes)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based number of the first line at or after line `start` containing `needle`."""
    for number, line in enumerate(text.split("\n"), 1):
        if number > start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


class Built:
    """A registry built in memory, with the YAML text of each file for line look-ups."""

    def __init__(self, schemas: SchemaSet, files: dict[str, dict[str, Any]]) -> None:
        self.texts = {name: dump(data) for name, data in files.items()}
        settings: Record | None = None
        records: list[Record] = []
        for name, text in self.texts.items():
            kind = "registry" if name == "registry.yaml" else FOLDERS[name.split("/")[0]][0]
            result = check_file(kind, text.encode(), schemas)
            assert not result.problems, f"test record {name} is not valid: {result.problems}"
            record = Record(kind, Path(name), name, Path(name).stem, "", result.document, [])
            if kind == "registry":
                settings = record
            else:
                records.append(record)
        self.registry = Registry(Path("."), settings, records)

    def findings(self, today: str, rule: str | None = None) -> list[Finding]:
        found = sorted(check_rules(self.registry, date.fromisoformat(today)))
        return [f for f in found if rule is None or f.rule == rule]

    def line(self, name: str, needle: str, start: int = 0) -> int:
        return line_of(self.texts[name], needle, start)


class Maker:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas

    def __call__(self, *records: dict[str, Any], settings: dict[str, Any] | None = None,
                 extra: dict[str, dict[str, Any]] | None = None) -> Built:
        files: dict[str, dict[str, Any]] = {"registry.yaml": settings or SETTINGS}
        files.update({f"institutions/{i}.yaml": data for i, data in INSTITUTIONS.items()})
        policy = str(((settings or SETTINGS)["rosters"].get("experts") or {}).get("policy"))
        for data in records:
            folder = "experts" if data["id"].startswith("E") else "supervisors"
            if folder == "experts" and set(data.get("declarations") or ()) == set(EXPERT["declarations"]):
                data = {**data, "declarations": {k: v for k, v in data["declarations"].items() if k in ITEMS.get(policy, ())}}
            files[f"{folder}/{data['id']}.yaml"] = data
        files.update(extra or {})
        return Built(self.schemas, files)


def with_policy(roster: str, policy: str, **extra: Any) -> dict[str, Any]:
    """Settings choosing `policy` for `roster`, with optional overrides / disabled."""
    settings = copy.deepcopy(SETTINGS)
    if policy == "xz-2023" and "disabled" not in extra:
        extra["disabled"] = SETTINGS["rosters"]["experts"]["disabled"]
    settings["rosters"][roster] = {"policy": policy, **extra}
    return settings


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, "\n".join(f"{f.rule}: {f.message}" for f in findings) or "no findings"
    return findings[0]


def rules_of(findings: list[Finding]) -> Iterator[str]:
    return (f.rule for f in findings)
