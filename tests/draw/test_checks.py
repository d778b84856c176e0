"""`roster validate` on draws: every error with its rule and clause."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from drawkit import make_draw, make_registry, registry_at

from roster.check.validate import validate
from roster.core.findings import Finding
from roster.draw.canonical import commitment
from roster.draw.files import dump_draw
from roster.draw.model import DrawError
from roster.draw.record import render_record

XZ = "《西藏专家库管理办法》"


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "repo" / "registry")


def draw_findings(root: Path, base: str | None = None) -> list[Finding]:
    return [f for f in validate(root, base=base, use_cache=False).findings if f.rule.startswith("draw.")]


def rewrite(path: Path, data: dict[str, Any], *, recommit: bool = True) -> None:
    data = copy.deepcopy(data)
    if recommit:
        data["commitment"] = commitment(data)
    path.write_text(dump_draw(data), encoding="utf-8")


def test_a_good_draw_passes(kit: Path) -> None:
    make_draw(kit, responses=(("E0004", "declined", "出差"), ("E0011", "accepted", None)))
    assert draw_findings(kit) == []


@pytest.mark.parametrize(
    ("change", "rule", "clause"),
    [
        (lambda d: d["result"].update(key="1.2./"), "draw.key", "第十三条"),
        (lambda d: d["result"]["order"].reverse(), "draw.order", "第十三条"),
        (lambda d: d["result"]["panel"].reverse(), "draw.panel", "第十三条"),
        (lambda d: d["result"]["replacements"].pop(0), "draw.replacements", "第十三条"),
        (lambda d: d["request"].update(size=4, quotas=[{"category": "medical", "count": 2}, *d["request"]["quotas"][1:]]),
         "draw.size", "第十六条（一）"),
        (lambda d: d["request"].update(publish="2026-09-22"), "draw.publish_early", "第二十五条（七）"),
        (lambda d: d["result"].update(run="2026-09-04"), "draw.run_early", "第十三条"),
    ],
)
def test_each_error_with_its_clause(kit: Path, change: Any, rule: str, clause: str) -> None:
    path, data = make_draw(kit)
    change(data)
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == rule]
    assert found and found[0].is_error
    assert clause in (found[0].citation or "")  # the 依据 line names the rule's own clause
    assert found[0].path.endswith("D2026-001.yaml") and found[0].line > 1


def test_an_even_panel_is_told_how_to_record_its_exception(kit: Path) -> None:
    path, data = make_draw(kit)
    data["request"].update(size=4, quotas=[{"category": "medical", "count": 2}, *data["request"]["quotas"][1:]])
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == "draw.size"]
    assert [f.message for f in found] == [
        "人数为 4：应为不少于 3 人的单数；确需例外时，在 request.exception 中写明理由（reason）和批准文号（reference），"
        "新建请求时用 roster draw new 的 --exception-reason 和 --exception-reference"
        "（《西藏专家库管理办法》第十六条（一）：专家组由不少于三人以上的单数组成）"]


def test_changed_input_after_the_commitment_breaks_it(kit: Path) -> None:
    path, data = make_draw(kit)
    data["request"]["purpose"] = "改过的用途"
    rewrite(path, data, recommit=False)
    found = {f.rule: f for f in draw_findings(kit)}
    assert "draw.commitment" in found and "只能新建请求" in found["draw.commitment"].message
    assert found["draw.commitment"].citation == f"{XZ}第十三条：应当优先从专家库中随机抽选，并对抽选过程作好书面记录"


def test_a_skipped_replacement_is_an_error(kit: Path) -> None:
    path, data = make_draw(kit, responses=(("E0004", "declined", "出差"),))
    later = [c for c in data["result"]["replacements"] if c in ("E0014", "E0015") and c != data["responses"][0]["replaced_by"]]
    data["responses"][0]["replaced_by"] = later[0] if later else "E0008"
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == "draw.replaced_by"]
    assert found and "不得跳过任何符合条件的人" in found[0].message


def test_entropy_too_low(kit: Path) -> None:
    path, data = make_draw(kit, run_it=False)
    data["request"]["sources"] = [{"name": "自定义来源", "kind": "other", "public_on": "2026-09-03", "approved_by": "张局长"}]
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == "draw.entropy"]
    assert found and found[0].is_error and "RFC 3797 第 3.3 节" in found[0].message


def test_second_result_for_one_request(kit: Path) -> None:
    path, data = make_draw(kit)
    second = copy.deepcopy(data)
    second["id"] = "D2026-002"
    rewrite(path.with_name("D2026-002.yaml"), second)
    found = [f for f in draw_findings(kit) if f.rule == "draw.second_result"]
    assert len(found) == 1 and found[0].path.endswith("D2026-002.yaml")
    assert "一个请求只能有一个结果" in found[0].message and "--parent D2026-001" in found[0].message


def test_replacement_draw_names_its_parent(kit: Path) -> None:
    make_draw(kit, responses=(("E0011", "declined", "出差"),))
    # no limit per institution: the only policy expert left (E0010) works where E0009 of the parent's panel does
    make_draw(kit, parent="D2026-001", parent_reason="替补顺序已用尽", size=1, max_per_institution=None,
              quotas=[{"category": "policy", "count": 1}], exception={"reason": "补抽一人", "reference": "测〔2026〕1号"})
    assert draw_findings(kit) == []


def test_a_replacement_draw_counts_the_parents_panel_against_the_limits(kit: Path) -> None:
    """The parent's panel (E0011 at I0003, E0004 at I0004, E0009 at I0007; one per institution) is frozen into
    the 补抽 and counted from the start: the medical experts left (E0014 at I0007, E0015 at I0004) would
    each make a second member of an institution, so a medical 补抽 is refused; a finance one is drawn."""
    _, parent = make_draw(kit)
    assert parent["result"]["panel"] == ["E0011", "E0004", "E0009"]
    extra = {"parent": "D2026-001", "parent_reason": "替补顺序已用尽", "size": 1,
             "exception": {"reason": "补抽一人", "reference": "测〔2026〕1号"}}
    with pytest.raises(DrawError, match=r"每个单位最多 1 人.*（原抽取在任的 E0004、E0009、E0011 已计入单位、法人和专业的限制："
                                         r"补抽与原抽取合起来也不得超过这些限制）"):
        make_draw(kit, quotas=[{"category": "medical", "count": 1}], **extra)
    _, child = make_draw(kit, quotas=[{"category": "finance", "count": 1}], **extra)
    assert [m["id"] for m in child["request"]["parent_members"]] == ["E0004", "E0009", "E0011"]
    assert child["result"]["panel"] == ["E0008"]
    assert draw_findings(kit) == []
    # the written record lists them, so the file shows why the 补抽's limits were tighter
    record = render_record(child, registry_at(kit))
    row = next(line for line in record.splitlines() if "原抽取在任人员" in line)
    assert all(ident in row for ident in ("E0004", "E0009", "E0011")) and "计入本次补抽的单位、法人和专业限制" in row


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def test_new_request_must_match_the_registry_now(kit: Path) -> None:
    repo = kit.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    path, data = make_draw(kit, run_it=False)
    assert draw_findings(kit, base="main") == []
    data["candidates"].remove("E0014")
    del data["candidate_facts"]["E0014"]
    data["exclusions"] = [e for e in data["exclusions"] if e["id"] != "E0001"]
    rewrite(path, data)
    found = {f.rule: f for f in draw_findings(kit, base="main")}
    assert "应有而没有：E0014" in found["draw.candidates_changed"].message
    assert "应有而没有：E0001" in found["draw.exclusions_changed"].message
    assert found["draw.candidates_changed"].citation == f"{XZ}第十三条：应当优先从专家库中随机抽选，并对抽选过程作好书面记录"


def test_an_old_request_is_not_recomputed(kit: Path) -> None:
    """Once in the base, a request stays as it was frozen even when the registry changes later."""
    repo = kit.parent
    make_draw(kit, run_it=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    expert = kit / "experts" / "E0014.yaml"
    expert.write_text(expert.read_text(encoding="utf-8").replace("employer: I0007", "employer: I0001"), encoding="utf-8")
    assert draw_findings(kit, base="main") == []


def test_a_decline_without_its_code_or_recorder_is_an_error(kit: Path) -> None:
    path, data = make_draw(kit, responses=(("E0004", "declined", "出差"),))
    del data["responses"][0]["reason_code"]
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == "draw.response_reason"]
    assert found and "婉拒须写原因代码" in found[0].message


def test_an_absence_needs_its_conduct_record(kit: Path) -> None:
    make_draw(kit, responses=(("E0004", "absent", None),), conduct=False)
    found = [f for f in draw_findings(kit) if f.rule == "draw.absence_conduct"]
    assert found and "registry/conduct/ 中没有对应的履职记录（kind: absence、person: E0004、draw: D2026-001）" in found[0].message
    conduct = kit / "conduct" / "2026" / "C2026-001.yaml"
    conduct.parent.mkdir(parents=True)
    conduct.write_text("id: C2026-001\nperson: E0004\nkind: absence\ndate: 2026-09-21\ndraw: D2026-001\n"
                       "description: 接受邀请后无故缺席。\n", encoding="utf-8")
    assert [f for f in draw_findings(kit) if f.rule == "draw.absence_conduct"] == []


def test_an_answer_from_someone_not_on_the_panel_is_an_error(kit: Path) -> None:
    path, data = make_draw(kit)
    outsider = data["result"]["replacements"][-1]
    data["responses"] = [{"id": outsider, "response": "accepted", "date": "2026-09-08"}]
    rewrite(path, data)
    found = [f for f in draw_findings(kit) if f.rule == "draw.response_person"]
    assert found and f"“{outsider}”不在抽中名单中" in found[0].message
