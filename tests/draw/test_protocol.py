from __future__ import annotations

import copy
import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from drawkit import VALUES, make_draw, make_registry, registry_at, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roster.check.filecheck import check_file
from roster.check.registry import Record
from roster.check.schemas import SchemaSet
from roster.draw.canonical import commitment
from roster.draw.files import dump_draw
from roster.draw.model import DrawError
from roster.draw.protocol import replay, respond, run, verify
from roster.draw.record import render_record
from roster.staff.draws import new_request

SCHEMAS = SchemaSet()


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "registry")


def record_of(data: dict[str, Any], name: str = "D2026-001.yaml") -> Record:
    raw = dump_draw(data).encode("utf-8")
    result = check_file("draw", raw, SCHEMAS)
    return Record("draw", Path(name), name, Path(name).stem, hashlib.sha256(raw).hexdigest(), result.document,
                  result.problems)


def errors(data: dict[str, Any]) -> list[str]:
    return [f.rule for f in verify(record_of(data)) if f.is_error]


# ---------------------------------------------------------------- request


def test_new_request_writes_a_valid_file(kit: Path) -> None:
    created = new_request(registry_at(kit), request())
    assert created.path == kit / "draws" / "2026" / "D2026-001.yaml"
    record = record_of(created.data)
    assert record.problems == [] and verify(record) == []
    # the same request again would be a second result of one request (draw.second_result): another purpose
    assert new_request(registry_at(kit), request(purpose="另一次专项检查")).path.name == "D2026-002.yaml"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quotas": [{"category": "medical", "count": 3}]}, "这个抽取请求无法满足：受“每个单位最多 1 人”的限制，最多只能抽出 2 人（需要 3 人）"),
        ({"quotas": [{"category": "it", "count": 2}, {"category": "policy", "count": 1}]},
         "这个抽取请求无法满足：「信息技术类」需要 2 人，符合条件的候选只有 1 人"),
        ({"size": 4, "quotas": None}, "人数为 4：应为不少于 3 人的单数"),
        ({"subjects": ["I0099"]}, "被检查单位“I0099”不在名册的单位记录"),
        ({"publish": "2026-09-24"}, "公开日期 2026-09-24 早于活动结束日期 2026-09-25"),
        ({"sources": [{"name": "自定义来源", "kind": "other", "public_on": "2026-09-03", "approved_by": "张局长"}],
          "quotas": None, "max_per_institution": None},
         "随机源的熵共 0.0 位，少于从 8 名候选中抽取 3 名所需的 5.8 位（RFC 3797 第 3.3 节）"),
        ({"sources": [{"name": "双色球", "kind": "ssq", "public_on": "2026-09-03", "bits": 200}]},
         "第 1 个随机源写了 bits：熵只取自随机源目录"),
        ({"sources": [{"name": "自定义来源", "kind": "other", "public_on": "2026-09-03"}]}, "须写明批准人 approved_by"),
        ({"sources": [{"name": "中国福利彩票双色球第2026100期", "kind": "ssq", "public_on": "2026-09-01"}]},
         "随机源“中国福利彩票双色球第2026100期”的公布日期 2026-09-01 不晚于请求日期 2026-09-01"),
        ({"quotas": [{"category": "medical", "count": 1}, {"category": "medical", "specialty": "呼吸内科", "count": 2}]},
         "名额组 2（医药类·呼吸内科）永远分不到人"),
        ({"parent": "D2026-009", "parent_reason": "替补顺序已用尽"}, "补抽的原抽取 D2026-009 不存在"),
        ({"sources": [{"name": "某某", "kind": "lotto", "public_on": "2026-09-03"}]}, "未知的随机源“lotto”"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(kit: Path, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DrawError) as caught:
        new_request(registry_at(kit), request(**changes))
    assert message in str(caught.value)
    assert not (kit / "draws").exists()


def test_refused_while_the_registry_has_broken_files(kit: Path) -> None:
    (kit / "experts" / "E0004.yaml").write_text("id: E0004\nname: [\n", encoding="utf-8")
    with pytest.raises(DrawError, match=r"名册中有 1 个文件有错误（.*E0004.yaml），候选名单可能不完整"):
        new_request(registry_at(kit), request())
    assert not (kit / "draws").exists()


def test_even_panel_with_a_recorded_exception(kit: Path) -> None:
    created = new_request(registry_at(kit), request(size=2, quotas=None, exception={"reason": "仅需复核两项", "reference": "测医保〔2026〕3号"}))
    assert created.data["request"]["exception"]["reference"] == "测医保〔2026〕3号"


def test_warnings_for_an_other_source_and_a_thin_margin(kit: Path) -> None:
    fields = request(sources=[{"name": "中国福利彩票双色球第2026102期", "kind": "ssq", "public_on": "2026-09-03"},
                              {"name": "本局抽签", "kind": "other", "public_on": "2026-09-03", "approved_by": "张局长"}],
                     size=5, quotas=None, max_per_institution=None)
    warnings = new_request(registry_at(kit), fields).warnings
    assert warnings[0].startswith("随机源“本局抽签”不在随机源目录中（批准人：张局长）：它不计入熵")
    assert not any("不足本项目要求的余量 8 位" in w for w in warnings)
    thin = request(purpose="另一次专项检查", sources=[{"name": "福彩3D第2026240期", "kind": "fc3d", "public_on": "2026-09-03"}],
                   quotas=None)
    assert any("不足本项目要求的余量 8 位" in w for w in new_request(registry_at(kit), thin).warnings)


# ---------------------------------------------------------------- run


def test_run_refused_before_the_sources_are_public(kit: Path) -> None:
    _, data = make_draw(kit, run_it=False)
    with pytest.raises(DrawError, match="体彩超级大乐透第26101期”要到 2026-09-05 才公布，今天（北京时间）是 2026-09-04"):
        run(data, VALUES, date(2026, 9, 4))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (VALUES[:1], "请求指定了 2 个随机源，给出了 1 个数值"),
        (["03 09 15 21 27 + 08", VALUES[1]], "中国福利彩票双色球的红球应有 6 个数值，收到 5 个"),
        (["03 09 15 21 27 34 + 08", VALUES[1]], "须为 1 到 33 之间的整数"),
        ([VALUES[0], "02 11 19 27 33"], "体彩超级大乐透应有 2 组数值"),
    ],
)
def test_run_refuses_values_of_the_wrong_shape(kit: Path, values: list[str], message: str) -> None:
    _, data = make_draw(kit, run_it=False)
    with pytest.raises(DrawError, match=message):
        run(data, values, date(2026, 9, 6))


def test_run_once_only(kit: Path) -> None:
    _, data = make_draw(kit)
    with pytest.raises(DrawError, match="已经执行过"):
        run(data, VALUES, date(2026, 9, 7))


def test_result(kit: Path) -> None:
    _, data = make_draw(kit)
    result = data["result"]
    assert result["key"] == "3.9.15.21.27.33./8./2.11.19.27.33./4.10./"
    assert result["panel"] == ["E0011", "E0004", "E0009"]
    assert result["replacements"] == [c for c in result["order"] if c not in result["panel"]]
    assert "digest" not in result and data["commitment"].startswith("sha256:")


# ---------------------------------------------------------------- responses


def test_decline_is_replaced_by_the_next_who_fits(kit: Path) -> None:
    _, data = make_draw(kit)
    order = data["result"]["order"]
    answer = respond(data, "E0004", "declined", "出差", date(2026, 9, 8), "schedule", "王抽取")
    # the first medical expert in the order at an institution nobody staying holds (E0011 I0003, E0009 I0007)
    expected = next(c for c in order if c in ("E0014", "E0015") and c != "E0014")  # E0014 works at I0007
    assert answer.replaced_by == expected
    assert answer.data["responses"] == [{"id": "E0004", "response": "declined", "date": "2026-09-08", "reason": "出差",
                                          "reason_code": "schedule", "recorded_by": "王抽取", "replaced_by": expected}]
    assert replay(answer.data).current == ["E0011", expected, "E0009"]
    assert errors(answer.data) == []


def test_order_runs_dry(kit: Path) -> None:
    _, data = make_draw(kit)
    answer = respond(data, "E0011", "absent", None, date(2026, 9, 8), "unexcused", "王抽取")
    assert answer.replaced_by is None and answer.exhausted
    assert "replaced_by" not in answer.data["responses"][0]
    assert errors(answer.data) == []


@pytest.mark.parametrize(
    ("person", "response", "reason", "message"),
    [
        ("E0010", "accepted", None, "“E0010”不在当前抽中名单中"),
        ("E0004", "declined", None, "婉拒须写原因代码（--reason-code）：schedule"),
        ("E0004", "maybe", None, "答复只能是"),
    ],
)
def test_bad_responses(kit: Path, person: str, response: str, reason: str | None, message: str) -> None:
    _, data = make_draw(kit)
    with pytest.raises(DrawError, match=message):
        respond(data, person, response, reason, date(2026, 9, 8))


def test_response_rules_over_time(kit: Path) -> None:
    _, data = make_draw(kit)
    data = respond(data, "E0004", "accepted", None, date(2026, 9, 8)).data
    with pytest.raises(DrawError, match="已经同意过"):
        respond(data, "E0004", "accepted", None, date(2026, 9, 9))
    data = respond(data, "E0004", "absent", "当日未到", date(2026, 9, 21), "unexcused", "王抽取").data  # accepted, then did not come
    with pytest.raises(DrawError, match="已经婉拒或缺席，已由他人递补"):
        respond(data, "E0004", "accepted", None, date(2026, 9, 22))
    with pytest.raises(DrawError, match="答复日期 2026-09-05 早于抽取日期 2026-09-06"):
        respond(data, "E0011", "accepted", None, date(2026, 9, 5))


# ---------------------------------------------------------------- properties


@st.composite
def drawn(draw: st.DrawFn) -> dict[str, Any]:
    """A draw file in memory: random candidates, quotas and limits, run on random lottery numbers."""
    institutions = {"I0001": "I0001", "I0002": "I0001", "I0003": "I0003", "I0004": "I0004"}
    categories = ["medical", "finance", "policy"]
    n = draw(st.integers(3, 24))
    candidates = [f"E{k:04d}" for k in range(1, n + 1)]
    chosen = draw(st.lists(st.sampled_from(categories), min_size=1, max_size=3, unique=True))
    counts = [draw(st.integers(1, 2)) for _ in chosen]
    if sum(counts) < 3:
        counts[0] += 3 - sum(counts)
    if sum(counts) % 2 == 0:
        counts[0] += 1
    size = sum(counts)
    facts = {}
    for c in candidates:
        institution = draw(st.sampled_from(sorted(institutions)))
        facts[c] = {"quota": draw(st.integers(1, len(chosen))), "institution": institution,
                    "legal_entity": institutions[institution]}
    fields = request(quotas=[{"category": cat, "count": k} for cat, k in zip(chosen, counts, strict=True)], size=size,
                     max_per_institution=draw(st.sampled_from([None, 1, 2])))
    data: dict[str, Any] = {"id": "D2026-001", "roster": "experts", "algorithm": draw(st.sampled_from(["rfc3797", "rfc3797-sm3"])),
                            "request": fields, "candidates": candidates, "candidate_facts": facts, "exclusions": []}
    reds = sorted(draw(st.lists(st.integers(1, 33), min_size=6, max_size=6, unique=True)))
    front = sorted(draw(st.lists(st.integers(1, 35), min_size=5, max_size=5, unique=True)))
    back = sorted(draw(st.lists(st.integers(1, 12), min_size=2, max_size=2, unique=True)))
    values = [" ".join(map(str, reds)) + f" + {draw(st.integers(1, 16))}", " ".join(map(str, front)) + " + " + " ".join(map(str, back))]
    data["commitment"] = commitment(data)
    data["_values"] = values
    return data


def members_fit(data: dict[str, Any], panel: list[str]) -> bool:
    request_ = data["request"]
    facts = data["candidate_facts"]
    groups = Counter(facts[c]["quota"] for c in panel)
    institutions = Counter(facts[c]["institution"] for c in panel)
    limit = request_.get("max_per_institution")
    return (all(groups[k + 1] <= q["count"] for k, q in enumerate(request_["quotas"]))
            and (limit is None or max(institutions.values(), default=0) <= limit))


@settings(max_examples=60, deadline=None)
@given(drawn())
def test_infeasible_requests_are_refused_before_any_source_is_used(data: dict[str, Any]) -> None:
    values = data.pop("_values")
    try:
        done = run(data, ["垃圾", "也不看"], date(2026, 9, 6))
    except DrawError as e:
        if "无法满足" in str(e):
            with pytest.raises(DrawError, match="无法满足"):
                run(data, values, date(2026, 9, 6))
            return
        assert "随机源" in str(e)  # feasible: only then are the values read
    else:  # pragma: no cover - the garbage values never make a key
        raise AssertionError(done)
    done = run(data, values, date(2026, 9, 6))
    panel = done["result"]["panel"]
    assert len(panel) == data["request"]["size"] and members_fit(data, panel)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn())
def test_result_depends_only_on_the_file(data: dict[str, Any]) -> None:
    values = data.pop("_values")
    try:
        done = run(data, values, date(2026, 9, 6))
    except DrawError:
        return
    record = record_of(done)  # written out and read back through the strict loader
    assert record.problems == []
    again = replay(record.data)
    assert (again.key, again.order, again.panel, again.replacements) == (
        done["result"]["key"], done["result"]["order"], done["result"]["panel"], done["result"]["replacements"])
    assert not [f for f in verify(record) if f.is_error]


def _swap(items: list[Any]) -> None:
    items[0], items[-1] = items[-1], items[0]


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "purpose": lambda d: d["request"].update(purpose="别的用途"),
    "size": lambda d: d["request"].update(size=d["request"]["size"] + 2),
    "quota": lambda d: d["request"]["quotas"][0].update(count=d["request"]["quotas"][0]["count"] + 1),
    "limit": lambda d: d["request"].update(max_per_institution=(d["request"].get("max_per_institution") or 0) + 1),
    "subjects": lambda d: d["request"]["subjects"].append("I0004"),
    "public_on": lambda d: d["request"]["sources"][0].update(public_on="2026-09-02"),
    "algorithm": lambda d: d.update(algorithm="rfc3797-sm3" if d["algorithm"] == "rfc3797" else "rfc3797"),
    "candidate_removed": lambda d: d["candidates"].pop(),
    "candidate_added": lambda d: (d["candidates"].append("E9999"), d["candidate_facts"].update(E9999={"quota": 1})),
    "candidates_swapped": lambda d: _swap(d["candidates"]),
    "facts": lambda d: d["candidate_facts"][d["candidates"][0]].update(institution="I0099", legal_entity="I0099"),
    "exclusion_added": lambda d: d["exclusions"].append({"id": "E8888", "kind": "term", "clause": "某条"}),
    "value": lambda d: d["result"]["values"].__setitem__(1, "1 2 3 4 5 + 1 2"),
    "key": lambda d: d["result"].update(key="1./"),
    "order": lambda d: _swap(d["result"]["order"]),
    "panel": lambda d: d["result"]["panel"].__setitem__(0, d["result"]["order"][-1]),
    "replacements": lambda d: d["result"]["replacements"].pop(0),
}


@settings(max_examples=80, deadline=None)
@given(drawn(), st.sampled_from(sorted(MUTATIONS)))
def test_any_change_to_an_input_or_the_result_fails_verification(data: dict[str, Any], mutation: str) -> None:
    values = data.pop("_values")
    try:
        done = run(data, values, date(2026, 9, 6))
    except DrawError:
        return
    if (mutation in ("panel", "order") and len(done["result"]["order"]) < 2) or (
            mutation == "replacements" and not done["result"]["replacements"]):
        return
    changed = copy.deepcopy(done)
    MUTATIONS[mutation](changed)
    if changed == done:
        return
    assert errors(changed), mutation


def test_a_changed_response_fails_verification(kit: Path) -> None:
    _, data = make_draw(kit, responses=(("E0004", "declined", "出差"),))
    wrong = copy.deepcopy(data)
    others = [c for c in data["result"]["replacements"] if c != data["responses"][0]["replaced_by"]]
    wrong["responses"][0]["replaced_by"] = others[-1]
    assert "draw.replaced_by" in errors(wrong)
    del wrong["responses"][0]["replaced_by"]
    assert "draw.replaced_by" in errors(wrong)
    stranger = copy.deepcopy(data)
    stranger["responses"][0]["id"] = "E0010"
    assert "draw.response_person" in errors(stranger)


def test_verification_ignores_later_changes_to_the_registry(kit: Path) -> None:
    path, _ = make_draw(kit, responses=(("E0004", "declined", "出差"),))
    expert = kit / "experts" / "E0014.yaml"
    expert.write_text(expert.read_text(encoding="utf-8").replace("employer: I0007", "employer: I0004"), encoding="utf-8")
    registry = registry_at(kit)
    record = registry.by_id("draw")["D2026-001"]
    assert record.path == path and verify(record, registry) == []


def _gy(kit: Path) -> None:
    settings = kit / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("xz-2023", "gy-2022"), encoding="utf-8")


def test_gy_panel_size_is_odd_without_a_minimum(kit: Path) -> None:
    """GY 第十二条（四）: 选用专家人数应为奇数 — one expert is a valid GY panel (XZ's “≥3” is XZ 第十六条（一） only)."""
    _gy(kit)
    created = new_request(registry_at(kit), request(size=1, quotas=[{"category": "policy", "count": 1}]))
    assert created.data["request"]["size"] == 1
    with pytest.raises(DrawError) as caught:
        new_request(registry_at(kit), request(size=2, quotas=[{"category": "medical", "count": 1},
                                                                {"category": "policy", "count": 1}]))
    assert str(caught.value).startswith("人数为 2：应为单数")
    assert "《贵阳专家库管理规定》第十二条（四）：选用专家人数应为奇数" in str(caught.value)


def test_xz_panel_of_one_is_refused(kit: Path) -> None:
    with pytest.raises(DrawError) as caught:
        new_request(registry_at(kit), request(size=1, quotas=[{"category": "policy", "count": 1}]))
    assert "人数为 1：应为不少于 3 人的单数" in str(caught.value) and "第十六条（一）" in str(caught.value)


GY_SUBJECTS = ["I0003", "I0004", "I0008"]  # leaves finance E0009 and policy E0010, both at I0007


def test_gy_same_institution_experts_of_different_specialties_are_both_drawn(kit: Path) -> None:
    """GY 第十二条（二）: 同一专业的专家应当来自不同的医疗及相关机构 — E0009 (审计) and E0010 (医保管理)
    both work at I0007 and both serve; only the two 心血管内科 experts of I0007 (E0007, E0014) exclude each other."""
    _gy(kit)
    quotas = [{"category": "medical", "count": 3}, {"category": "finance", "count": 1}, {"category": "policy", "count": 1}]
    created = new_request(registry_at(kit), request(subjects=GY_SUBJECTS, size=5, quotas=quotas, max_per_institution=None))
    assert created.data["request"]["distinct_institutions_per_specialty"] is True
    facts = created.data["candidate_facts"]
    assert (facts["E0009"]["specialty"], facts["E0010"]["specialty"], facts["E0014"]["specialty"]) == ("审计", "医保管理", "心血管内科")
    panel = run(created.data, VALUES, date(2026, 9, 6))["result"]["panel"]
    assert {"E0009", "E0010", "E0001", "E0002"} <= set(panel) and len(panel) == 5
    assert len({"E0007", "E0014"} & set(panel)) == 1
    assert verify(record_of(run(created.data, VALUES, date(2026, 9, 6)))) == []
    written = render_record(run(created.data, VALUES, date(2026, 9, 6)), registry_at(kit))
    assert "同一单位、同一专业至多 1 人（不同专业可以来自同一单位）" in written


def test_gy_same_specialty_same_institution_is_refused_with_the_clause(kit: Path) -> None:
    """Four 心血管内科 places from E0001, E0002 and the two of I0007: only three can serve."""
    _gy(kit)
    quotas = [{"category": "medical", "count": 4}, {"category": "finance", "count": 1}]
    with pytest.raises(DrawError) as caught:
        new_request(registry_at(kit), request(subjects=GY_SUBJECTS, size=5, quotas=quotas, max_per_institution=None,
                                              exception={"reason": "测试", "reference": "测试"}))
    message = str(caught.value)
    assert message.startswith("这个抽取请求无法满足：受“同一专业的专家来自不同单位”的限制，最多只能抽出 4 人（需要 5 人）")
    assert message.endswith("；同一专业的专家来自不同单位：《贵阳专家库管理规定》第十二条（二）：同一专业的专家应当来自不同的医疗及相关机构（同一单位、同一专业的专家至多抽取1人，不同专业的可以来自同一单位））")


def test_a_gy_request_written_without_the_composition_rule_is_an_error(kit: Path) -> None:
    """A request made before distinct_institutions_per_specialty existed met GY 第十二条（二） by one per
    institution; one with neither is an error with the clause."""
    _gy(kit)
    created = new_request(registry_at(kit), request())
    assert created.data["request"]["max_per_institution"] == 1
    old = copy.deepcopy(created.data)
    del old["request"]["distinct_institutions_per_specialty"]
    old["commitment"] = commitment(old)
    assert not [f for f in verify(record_of(old), registry_at(kit)) if f.is_error]
    del old["request"]["max_per_institution"]
    old["commitment"] = commitment(old)
    found = [f for f in verify(record_of(old), registry_at(kit)) if f.rule == "draw.composition"]
    assert [f.message for f in found] == [
        "请求没有写 distinct_institutions_per_specialty: true：同一专业的专家应当来自不同的医疗及相关机构，"
        "请在 request 中写上这一项（《贵阳专家库管理规定》第十二条（二）：同一专业的专家应当来自不同的医疗及相关机构（同一单位、同一专业的专家至多抽取1人，不同专业的可以来自同一单位））"]


