from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from drawkit import make_draw, make_registry, registry_at, request

from roster.draw.candidates import compute_pool
from roster.draw.model import parse_request


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "registry")


def pool_for(root: Path, roster: str = "experts", **changes: object) -> tuple[list[str], dict[str, tuple[str, str, str]]]:
    data = {"roster": roster, "request": request(**changes)}
    pool = compute_pool(registry_at(root), parse_request(data))
    return pool.ids, {e.id: (e.kind, e.clause, e.detail) for e in pool.exclusions}


def test_each_exclusion_with_its_clause(kit: Path) -> None:
    ids, excluded = pool_for(kit)
    assert ids == ["E0004", "E0008", "E0009", "E0010", "E0011", "E0014", "E0015"]  # sorted; E0012 (it) out of scope
    kinds = {k: v[0] for k, v in excluded.items()}
    assert kinds == {"E0001": "recusal_employer", "E0002": "recusal_legal_entity", "E0003": "recusal_former",
                     "E0005": "recusal_conflict", "E0006": "suspended", "E0007": "term", "E0013": "status",
                     "E0016": "recusal_conflict"}
    assert excluded["E0001"][1].startswith("《西藏自治区医疗保障基金监管专家库管理办法（试行）》第二十四条（一）")
    assert "《贵阳市医疗保障管理服务专家库管理规定（试行）》第十二条（三）" in excluded["E0001"][1]
    assert "第二十四条（二）" in excluded["E0003"][1]
    assert "第二十四条（三）" in excluded["E0002"][1]
    assert "第二十四条（四）" in excluded["E0005"][1]  # spouse: the relatives' clause
    assert "第二十四条（一）" in excluded["E0016"][1]  # consultant: an interest of one's own
    assert "第二十九条" in excluded["E0007"][1]
    assert excluded["E0002"][2] == "现工作单位 I0002（测试市人民医院东院区）与被检查单位同属法人单位 I0001（测试市人民医院）"
    assert excluded["E0003"][2] == "2015-01 至 2024-12 在 I0001（测试市人民医院）任职，距活动开始不满两年"


@pytest.mark.parametrize(("start", "excluded"), [("2026-12-01", True), ("2026-12-31", True), ("2027-01-01", False)])
def test_two_years_counted_in_months(kit: Path, start: str, excluded: bool) -> None:
    """E0003 left the subject in 2024-12: recused while the activity starts within 24 months of that month."""
    _, found = pool_for(kit, activity={"start": start, "end": "2027-01-05"}, requested="2026-11-01", publish="2027-02-01")
    assert ("E0003" in found and found["E0003"][0] == "recusal_former") == excluded


def test_quota_matching_takes_the_first_matching_entry(kit: Path) -> None:
    data = {"request": request(size=3, quotas=[{"category": "medical", "specialty": "呼吸内科", "count": 1},
                                               {"category": "medical", "count": 2}])}
    pool = compute_pool(registry_at(kit), parse_request(data))
    facts = pool.facts()
    assert facts["E0004"]["quota"] == 1 and facts["E0015"]["quota"] == 1 and facts["E0014"]["quota"] == 2
    assert facts["E0004"] == {"quota": 1, "institution": "I0004", "legal_entity": "I0004"}


def test_gy_policy_cites_guiyang(kit: Path) -> None:
    settings = kit / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("xz-2023", "gy-2022"), encoding="utf-8")
    _, excluded = pool_for(kit)
    assert excluded["E0001"][1].startswith("《贵阳市医疗保障管理服务专家库管理规定（试行）》第十二条（三）")


def test_supervisors_by_background(kit: Path) -> None:
    ids, excluded = pool_for(kit, roster="supervisors", size=2, quotas=[{"background": "law", "count": 1},
                                                                          {"background": "medicine", "count": 1}])
    assert ids == ["S0001", "S0003", "S0004"]
    assert excluded == {"S0002": ("recusal_employer", excluded["S0002"][1], "现工作单位 I0001（测试市人民医院）是被检查单位")}
    assert "《昆明市晋宁区医疗保障基金社会监督员管理办法（征求意见稿）》第十二条（三）" in excluded["S0002"][1]


def test_institutions_from_the_designated_list(kit: Path) -> None:
    ids, excluded = pool_for(kit, roster="institutions", subjects=None, size=2,
                             quotas=[{"category": "medical", "count": 1}, {"category": "pharmacy", "count": 1}],
                             max_per_institution=None, max_per_legal_entity=1)
    assert ids == ["I0001", "I0002", "I0003", "I0004", "I0005"]  # I0007, I0008 are not designated
    assert excluded["I0006"][0] == "designation" and "第三十一条" in excluded["I0006"][1]


def test_replacement_draw_excludes_everyone_the_parent_used(kit: Path) -> None:
    _, parent = make_draw(kit, responses=(("E0011", "declined", "出差"),))
    assert parent["result"]["panel"] == ["E0011", "E0004", "E0009"]
    assert "replaced_by" not in parent["responses"][0]  # E0010 (policy) works at I0007 like E0009: order ran dry
    data = {"request": request(parent=parent["id"], parent_reason="替补顺序已用尽", size=1,
                               quotas=[{"category": "policy", "count": 1}])}
    pool = compute_pool(registry_at(kit), parse_request(data), parent)
    assert pool.ids == ["E0010"]
    used = {e.id: e for e in pool.exclusions if e.kind == "previous_draw"}
    assert set(used) == {"E0011"}  # policy is the only scope; E0004, E0009 are other categories
    assert used["E0011"].detail == "已在原抽取 D2026-001 中被抽中或已答复"


def test_draw_file_is_tidy(kit: Path) -> None:
    path, _ = make_draw(kit)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/draw.schema.json\nid: D2026-001\n")
    assert "  E0004: {quota: 1, institution: I0004, legal_entity: I0004}\n" in text
    assert "  requested: 2026-09-01\n" in text  # dates unquoted, as staff write them
    assert "  subjects: [I0001]\n" in text
    assert yaml.safe_load(text)["id"] == "D2026-001"
