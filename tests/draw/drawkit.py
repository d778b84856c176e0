"""A small registry for draw tests: institutions with a shared legal entity, experts for every
exclusion kind, supervisors and designated institutions; and helpers to run the protocol on it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from roster.check.registry import Registry
from roster.check.validate import open_registry
from roster.draw.files import dump_draw
from roster.draw.protocol import respond, run
from roster.staff.draws import absence_record, new_request, save_draw

SETTINGS = {
    "bureau": {"name": "测试市医疗保障局", "region": "540199"},
    "rosters": {"experts": {"policy": "xz-2023"}, "supervisors": {"policy": "jn"}},
    "site": {"title": "测试网站", "host": "测试市医疗保障局"},
}

# id: (name, type, legal entity, designated kind or None, designated until or None)
INSTITUTIONS: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "I0001": ("测试市人民医院", "hospital", "I0001", "medical", None),
    "I0002": ("测试市人民医院东院区", "hospital", "I0001", "medical", None),
    "I0003": ("测试市第二医院", "hospital", "I0003", "medical", None),
    "I0004": ("测试市中医院", "hospital", "I0004", "medical", None),
    "I0005": ("测试大药房", "pharmacy", "I0005", "pharmacy", None),
    "I0006": ("测试小药房", "pharmacy", "I0006", "pharmacy", "2026-06-30"),
    "I0007": ("测试大学", "university", "I0007", None, None),
    "I0008": ("测试会计师事务所", "company", "I0008", None, None),
}

# id: (name, category, specialties, employer, extra fields)
EXPERTS: dict[str, tuple[str, str, list[str], str, dict[str, Any]]] = {
    "E0001": ("甲一", "medical", ["心血管内科"], "I0001", {}),
    "E0002": ("甲二", "medical", ["心血管内科"], "I0002", {}),
    "E0003": ("甲三", "medical", ["呼吸内科"], "I0003",
              {"employment_history": [{"institution": "I0001", "from": "2015-01", "to": "2024-12"}]}),
    "E0004": ("甲四", "medical", ["呼吸内科"], "I0004",
              {"employment_history": [{"institution": "I0001", "from": "2010-01", "to": "2024-06"}]}),
    "E0005": ("甲五", "medical", ["心血管内科"], "I0004",
              {"conflicts": [{"institution": "I0002", "relation": "spouse_employed"}]}),
    "E0006": ("甲六", "medical", ["心血管内科"], "I0003", {"status": "suspended"}),
    "E0007": ("甲七", "medical", ["心血管内科"], "I0007", {"term": {"start": "2023-09-01", "end": "2026-08-31"}}),
    "E0008": ("乙一", "finance", ["医院财务"], "I0008", {}),
    "E0009": ("乙二", "finance", ["审计"], "I0007", {}),
    "E0010": ("丙一", "policy", ["医保管理"], "I0007", {}),
    "E0011": ("丙二", "policy", ["医保管理"], "I0003", {}),
    "E0012": ("丁一", "it", ["医保信息化"], "I0004", {}),
    "E0013": ("甲八", "medical", ["心血管内科"], "I0003", {"status": "withdrawn"}),
    "E0014": ("甲九", "medical", ["心血管内科"], "I0007", {}),
    "E0015": ("甲十", "medical", ["呼吸内科"], "I0004", {}),
    "E0016": ("乙三", "finance", ["医院财务"], "I0004",
              {"conflicts": [{"institution": "I0001", "relation": "consultant"}]}),
}

SUPERVISORS: dict[str, tuple[str, list[str], str | None, dict[str, Any]]] = {
    "S0001": ("监一", ["law"], "I0007", {}),
    "S0002": ("监二", ["medicine"], "I0001", {}),
    "S0003": ("监三", ["finance", "law"], None, {}),
    "S0004": ("监四", ["medicine"], "I0003", {}),
    "S0005": ("监五", ["it"], None, {"status": "suspended"}),
}

REQUEST: dict[str, Any] = {
    "purpose": "2026年第三季度专项检查专家组",
    "requested_by": "基金监管科",
    "operator": "王抽取",
    "supervisor": "李监督",
    "requested": "2026-09-01",
    "activity": {"start": "2026-09-21", "end": "2026-09-25"},
    "subjects": ["I0001"],
    "size": 3,
    "quotas": [{"category": "medical", "count": 1}, {"category": "finance", "count": 1}, {"category": "policy", "count": 1}],
    "max_per_institution": 1,
    "sources": [{"name": "中国福利彩票双色球第2026101期", "kind": "ssq", "public_on": "2026-09-03"},
                {"name": "体彩超级大乐透第26101期", "kind": "dlt", "public_on": "2026-09-05"}],
    "publish": "2026-10-31",
}
VALUES = ["03 09 15 21 27 33 + 08", "02 11 19 27 33 + 04 10"]


def _dump(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False), encoding="utf-8")


def _institution(ident: str) -> dict[str, Any]:
    name, kind, entity, designated, until = INSTITUTIONS[ident]
    data: dict[str, Any] = {"id": ident, "name": name, "type": kind, "legal_entity": entity, "region": "540199"}
    if designated:
        data["designated"] = {"kind": designated, "since": "2020-01-01", **({"until": until} if until else {})}
    return data


def _expert(ident: str) -> dict[str, Any]:
    name, category, specialties, employer, extra = EXPERTS[ident]
    status = extra.get("status", "active")
    data: dict[str, Any] = {
        "id": ident, "name": name, "gender": "男", "birth": "1975-06", "category": category,
        "specialties": specialties, "employer": employer, "education": {"level": "master"},
        "title": {"name": "主任医师", "level": "senior", "since": "2015-01"}, "work_start": "1998-07",
        "civil_servant": False,
        "declarations": {code: {"confirmed": True, "source": "pledge", "date": "2024-03-01"}
                         for code in ("healthy", "no_criminal_record", "no_admin_penalty", "never_disqualified")},
        "admission": {"route": "invited", "date": "2024-04-01", "consent": {"date": "2024-03-01"}},
        "term": extra.get("term", {"start": "2024-04-01", "end": "2027-03-31"}),
        "status": status,
        "status_history": [{"date": "2024-04-01", "status": "active"}]
        + ([{"date": "2026-05-01", "status": status, **({"reason": "own_request"} if status == "withdrawn" else {})}]
           if status != "active" else []),
    }
    for field in ("employment_history", "conflicts"):
        if field in extra:
            data[field] = extra[field]
    return data


def _supervisor(ident: str) -> dict[str, Any]:
    name, background, employer, extra = SUPERVISORS[ident]
    status = extra.get("status", "active")
    data: dict[str, Any] = {
        "id": ident, "name": name, "gender": "女", "birth": "1970-01", "route": "open", "background": background,
        "pledge": {"signed": "2025-05-01"}, "certificate_no": f"JN-2025-{ident[1:]}",
        "claims": ["I0001", "I0005"], "term": {"start": "2025-06-01", "end": "2027-05-31"}, "status": status,
        "status_history": [{"date": "2025-06-01", "status": "active"}]
        + ([{"date": "2026-05-01", "status": status}] if status != "active" else []),
    }
    if employer:
        data["employer"] = employer
    return data


def make_registry(root: Path) -> Path:
    _dump(root / "registry.yaml", SETTINGS)
    for ident in INSTITUTIONS:
        _dump(root / "institutions" / f"{ident}.yaml", _institution(ident))
    for ident in EXPERTS:
        _dump(root / "experts" / f"{ident}.yaml", _expert(ident))
    for ident in SUPERVISORS:
        _dump(root / "supervisors" / f"{ident}.yaml", _supervisor(ident))
    return root


def registry_at(root: Path) -> Registry:
    return open_registry(root, use_cache=False)


def request(**changes: Any) -> dict[str, Any]:
    fields = copy.deepcopy(REQUEST)
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


def make_draw(root: Path, *, run_it: bool = True, responses: tuple[tuple[str, str, str | None], ...] = (),
              roster: str = "experts", conduct: bool = True, **changes: Any) -> tuple[Path, dict[str, Any]]:
    """A draw written through the protocol, optionally run and answered (by panel position or id); an
    absence brings its conduct record, as `roster draw respond` does, unless `conduct` is False (then the
    file is written as it is, to test what validation says of it)."""
    created = new_request(registry_at(root), request(**changes), roster=roster)
    data = created.data
    if run_it:
        data = run(data, VALUES, date(2026, 9, 6))
        also = []
        for who, answer, reason in responses:
            code = {"declined": "schedule", "absent": "unexcused"}.get(answer)
            data = respond(data, who, answer, reason, date(2026, 9, 8), code, "王抽取" if code else None).data
            if answer == "absent" and conduct:
                person = str(data["responses"][-1]["id"])
                also.append(absence_record(registry_at(root), str(data["id"]), person, date(2026, 9, 8), code))
        if conduct:
            save_draw(created.path, data, also=also)
        else:
            created.path.write_text(dump_draw(data), encoding="utf-8")
    return created.path, data
