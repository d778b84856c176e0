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
    assert excluded["E0001"][1] == ("《西藏专家库管理办法》第二十四条（一）：与被检查单位存在利益关联，"
                                    "可能影响客观、公正履行专家职责的（现工作单位为被检查单位）")
    assert "贵阳" not in "".join(e[1] for e in excluded.values())  # a Tibet finding never cites Guiyang
    assert "第二十四条（二）" in excluded["E0003"][1]
    assert "第二十四条（三）" in excluded["E0002"][1]
    assert "第二十四条（四）" in excluded["E0005"][1]  # spouse: the relatives' clause
    assert "第二十四条（一）" in excluded["E0016"][1]  # consultant: an interest of one's own
    assert "第二十九条" in excluded["E0007"][1]
    assert excluded["E0002"][2] == "现工作单位 I0002（测试市人民医院东院区）与被检查单位同属法人单位 I0001（测试市人民医院）"
    assert excluded["E0003"][2] == "2015-01 至 2024-12 在 I0001（测试市人民医院）任职，距活动开始不满 24 个月"
    assert excluded["E0013"][1] == "《西藏专家库管理办法》第三十条：经自治区医保主管部门确认后退出专家库"
    assert excluded["E0006"][1].startswith("本系统规则（为落实《西藏专家库管理办法》第十三条而定）：暂停期间")


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


def _use(kit: Path, old: str, new: str) -> None:
    settings = kit / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_gy_policy_cites_guiyang(kit: Path) -> None:
    _use(kit, "xz-2023", "gy-2022")
    _, excluded = pool_for(kit)
    assert excluded["E0001"][1].startswith("《贵阳专家库管理规定》第十二条（三）：专家工作单位有直接或间接利害关系")
    assert excluded["E0003"][1].startswith("本系统规则（为落实《贵阳专家库管理规定》第十二条（三）而定）：两年内")
    assert "西藏" not in "".join(e[1] for e in excluded.values())  # a Guiyang finding never cites Tibet


def test_gy_sets_no_term_so_a_pool_without_terms_is_drawn(kit: Path) -> None:
    """GY has no 在库期限: a gy-2022 expert has no term and is not excluded "for term" (it was,
    citing GY 第十三条, which says nothing of terms, and every gy-2022 pool came out empty)."""
    _use(kit, "xz-2023", "gy-2022")
    for path in (kit / "experts").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("term")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ids, excluded = pool_for(kit)
    assert "E0007" in ids and not any(kind == "term" for kind, _, _ in excluded.values())
    assert ids == ["E0004", "E0007", "E0008", "E0009", "E0010", "E0011", "E0014", "E0015"]


def _set_birth(kit: Path, ident: str, birth: str) -> None:
    path = kit / "experts" / f"{ident}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["birth"] = birth
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("birth", "excluded"), [("1965-09", True), ("1965-10", False), ("1965-08", True)])
def test_age_limit_applies_on_the_day_without_status_apply(kit: Path, birth: str, excluded: bool) -> None:
    """XZ 第三十一条: over 60 周岁 is an automatic exit. Born 1965-09 (taken as 09-01), 61 from 2026-09-01,
    before the activity ends (2026-09-25): excluded though still stored as active. Born 1965-10: 61 only in October."""
    _set_birth(kit, "E0004", birth)
    _, found = pool_for(kit)
    assert ("E0004" in found) == excluded
    if excluded:
        assert found["E0004"][0] == "age"
        assert found["E0004"][1] == ("《西藏专家库管理办法》第三十一条：年龄超过办法规定的，自动退出专家库"
                                     "（活动结束前年龄超过上限）")


def test_gy_age_limit_cites_guiyang(kit: Path) -> None:
    _use(kit, "xz-2023", "gy-2022")
    _set_birth(kit, "E0004", "1960-09")  # 66 from 2026-09-01; GY's limit is 65
    _, found = pool_for(kit)
    assert found["E0004"][0] == "age" and found["E0004"][1].startswith("《贵阳专家库管理规定》第六条（四）、第九条（九）")


def test_term_ending_during_the_activity_excludes(kit: Path) -> None:
    """E0007's term ends 2026-08-31: excluded for an activity after it, kept for one within it."""
    _, found = pool_for(kit)
    assert found["E0007"][0] == "term" and found["E0007"][1].startswith("《西藏专家库管理办法》第二十九条")
    _, found = pool_for(kit, activity={"start": "2026-08-20", "end": "2026-08-31"}, requested="2026-08-01",
                        sources=[{"name": "双色球第2026090期", "kind": "ssq", "public_on": "2026-08-05"}],
                        publish="2026-09-30")
    assert "E0007" not in found


def test_supervisors_by_background(kit: Path) -> None:
    ids, excluded = pool_for(kit, roster="supervisors", size=2, quotas=[{"background": "law", "count": 1},
                                                                          {"background": "medicine", "count": 1}])
    assert ids == ["S0001", "S0003", "S0004"]
    assert excluded == {"S0002": ("recusal_employer", excluded["S0002"][1], "现工作单位 I0001（测试市人民医院）是被检查单位")}
    assert excluded["S0002"][1] == ("《晋宁社会监督员管理办法》第九条（六）：社会监督员履行监督职责时，"
                                    "与被监督对象存在利益关系的应当回避（现工作单位为被监督单位）")


def test_supervisors_recuse_by_history_and_conflicts(kit: Path) -> None:
    """JN 第九条（六）: supervisors have employment history and declared conflicts, as experts do."""
    for ident, extra in (("S0001", {"employment_history": [{"institution": "I0002", "from": "2010-01", "to": "2025-12"}]}),
                         ("S0004", {"conflicts": [{"institution": "I0001", "relation": "relative_employed"}]})):
        path = kit / "supervisors" / f"{ident}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(extra)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ids, excluded = pool_for(kit, roster="supervisors", size=1, quotas=None)
    assert ids == ["S0003"]
    assert excluded["S0001"][0] == "recusal_former" and "第九条（六）" in excluded["S0001"][1]
    assert excluded["S0004"][0] == "recusal_conflict" and "第九条（六）" in excluded["S0004"][1]
    assert "西藏" not in "".join(e[1] for e in excluded.values())


def test_institutions_from_the_designated_list(kit: Path) -> None:
    ids, excluded = pool_for(kit, roster="institutions", subjects=None, size=2,
                             quotas=[{"category": "medical", "count": 1}, {"category": "pharmacy", "count": 1}],
                             max_per_institution=None, max_per_legal_entity=1)
    assert ids == ["I0001", "I0002", "I0003", "I0004", "I0005"]  # I0007, I0008 are not designated
    assert excluded["I0006"][0] == "designation"
    # a Tibet bureau's basis is XZ-2021 二（一）, not the 河源 draft
    assert excluded["I0006"][1].startswith("本系统规则（为落实《西藏基金监管制度体系改革实施意见》二（一）而定）")


def test_institution_draws_cite_the_bureaus_basis(kit: Path) -> None:
    _use(kit, "  supervisors:", "  institutions:\n    basis: hy\n  supervisors:")
    _, excluded = pool_for(kit, roster="institutions", subjects=None, size=1, quotas=None,
                           max_per_institution=None)
    assert excluded["I0006"][1] == ("《河源基金使用监督管理办法》第三十一条：对定点医药机构进行日常执法检查"
                                    "（定点协议须覆盖活动期间）")


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


def test_a_renewed_expert_stays_a_candidate_before_the_new_term_starts(kit: Path) -> None:
    """Renewed ahead of the term's end, E0007's new term starts 2026-09-01: for an activity in August the
    term in force is the past one. (Judged by the current term alone, E0007 dropped out of every draw.)"""
    path = kit / "experts" / "E0007.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["past_terms"] = [data["term"]]
    data["term"] = {"start": "2026-09-01", "end": "2029-08-31"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    august = {"activity": {"start": "2026-08-20", "end": "2026-08-31"}, "requested": "2026-08-01",
              "sources": [{"name": "双色球第2026090期", "kind": "ssq", "public_on": "2026-08-05"}], "publish": "2026-09-30"}
    ids, _ = pool_for(kit, **august)
    assert "E0007" in ids
    ids, _ = pool_for(kit)  # September: the new term
    assert "E0007" in ids
