"""`roster readmit`: a person recorded 不予入库, or removed where the preset does not make removal final,
applies again on the same record (XZ 第二十八条 makes removal final; GY and JN have no such bar)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import Run, snapshot

from roster.yamlio.load import load_bytes
from variants import edit_yaml, gy_declarations

XZ_REFUSAL = ("错误：registry/experts/E0017.yaml:47：E0017 黄永明 已被移出，《西藏专家库管理办法》第二十八条规定："
              "“被移出专家库的，不得重新申报入库。”不能重新登记为候选人。需要补充人员的，请另行遴选其他人员（roster new）；"
              "移出决定已依法撤销的，请凭撤销文件报名册管理员更正记录\n")


def data(registry: Path, ident: str) -> dict:
    folder = {"E": "experts", "S": "supervisors"}[ident[0]]
    return load_bytes((registry / folder / f"{ident}.yaml").read_bytes()).data


def as_gy(registry: Path) -> Path:
    """The demo's expert roster under the Guiyang preset (the change readmit cares about: removal not final),
    with the declarations GY asks for."""
    path = registry / "registry.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("policy: xz-2023") == 1
    path.write_text(text.replace("policy: xz-2023", "policy: gy-2022"), encoding="utf-8")
    for expert in (registry / "experts").glob("*.yaml"):
        edit_yaml(expert, gy_declarations)
    return registry


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=示例", "-c", "user.email=demo@example.invalid", *args], cwd=repo, check=True,
                   capture_output=True)


def test_xz_refuses_a_removed_expert_citing_article_28_and_writes_nothing(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    assert run("readmit", "E0017", "--date", "2026-12-18") == (1, "", XZ_REFUSAL)
    assert run("readmit", "E0017", "--dry-run") == (1, "", XZ_REFUSAL)
    assert snapshot(demo.parent) == before


def test_gy_readmits_a_removed_expert_on_the_same_record(demo: Path, run: Run) -> None:
    as_gy(demo)
    history = data(demo, "E0017")["status_history"]
    code, out, err = run("readmit", "E0017", "--date", "2026-12-18", "--reference", "再次申请登记2026-12",
                         "--application-date", "2026-12-10")
    assert code == 0 and "错误：" not in err
    assert out.splitlines()[0] == ("E0017 黄永明：移出 → 候选（再次申请；依据：《贵阳专家库管理规定》第七条；"
                                   "《贵阳专家库管理规定》第九条没有不得重新入库的规定）")
    record = data(demo, "E0017")
    assert record["status"] == "candidate"
    assert record["status_history"][:-1] == history  # nothing earlier is lost
    assert record["status_history"][-1] == {"date": "2026-12-18", "status": "candidate", "reason": "applied",
                                            "citation": "《贵阳专家库管理规定》第七条", "reference": "再次申请登记2026-12",
                                            "application": {"date": "2026-12-10"}}
    assert "lifecycle.transition" not in run("validate", "--format", "json")[1]


def test_a_readmitted_candidate_is_announced_again_before_admission(demo: Path, run: Run) -> None:
    """The 公示 of the earlier application (A2024-001) does not admit the new one (GY 第八条)."""
    as_gy(demo)
    assert run("readmit", "E0017", "--date", "2026-12-18")[0] == 0
    before = snapshot(demo.parent)
    assert run("admit", "E0017", "--date", "2026-12-18")[2].startswith(
        "错误：E0017 黄永明 于 2026-12-18 再次申请，公示 A2024-001 是此前的公示，不能作为这次入库的公示"
        "（《贵阳专家库管理规定》第八条）：请先运行 roster announce candidates E0017")
    assert snapshot(demo.parent) == before
    code, out, _ = run("announce", "candidates", "E0017", "--published", "2026-12-18")
    assert code == 0 and "公示对象：E0017 黄永明" in out


@pytest.mark.parametrize("status", ["active", "candidate"])
def test_only_rejected_withdrawn_or_removed_people_are_readmitted(demo: Path, run: Run, status: str) -> None:
    ident = {"active": "E0001", "candidate": "E0059"}[status]
    before = snapshot(demo.parent)
    name = data(demo, ident)["name"]
    label = {"active": "在库", "candidate": "候选"}[status]
    line = next(n for n, text in enumerate((demo / f"experts/{ident}.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("status:"))  # the refusal names the status line
    assert run("readmit", ident)[2] == (
        f"错误：registry/experts/{ident}.yaml:{line}：{ident} {name} 的状态是 {status}（{label}），"
        "只有不予入库（rejected）、主动退出（withdrawn）或已移出（removed）的人员可以再次申请、重新登记为候选人\n")
    assert snapshot(demo.parent) == before


def test_xz_readmits_a_rejected_candidate(demo: Path, run: Run) -> None:
    """不予入库 is not final under any preset: the candidate may apply in a later selection."""
    assert run("reject", "E0059", "--reason", "review_failed", "--date", "2026-12-01")[0] == 0
    code, out, err = run("readmit", "E0059", "--date", "2026-12-18", "--reference", "再次申请登记2026-12")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "E0059 郑凯：不予入库 → 候选（再次申请；依据：《西藏专家库管理办法》第八条）"
    assert [h["status"] for h in data(demo, "E0059")["status_history"]] == ["candidate", "rejected", "candidate"]
    assert run("validate")[0] == 0


def test_xz_readmits_an_expert_who_withdrew(demo: Path, run: Run) -> None:
    """XZ 第三十条 (主动退出 at one's own request) sets no bar on applying again, unlike 第二十八条 for removal."""
    assert data(demo, "E0007")["status"] == "withdrawn"
    code, out, err = run("readmit", "E0007", "--date", "2026-12-18", "--reference", "再次申请登记2026-12")
    assert (code, err) == (0, "")
    name = data(demo, "E0007")["name"]
    assert out.splitlines()[0] == f"E0007 {name}：主动退出 → 候选（再次申请；依据：《西藏专家库管理办法》第八条）"
    assert [h["status"] for h in data(demo, "E0007")["status_history"]][-2:] == ["withdrawn", "candidate"]
    assert run("validate")[0] == 0


def test_jn_readmits_a_removed_supervisor_and_validate_base_checks_the_dates(demo: Path, run: Run) -> None:
    """JN 第十一条 sets no bar on re-appointment: the honest sequence passes `validate --base`, a backdated
    re-application (before the removal it follows) fails it."""
    repo = demo.parent
    assert run("remove", "S0002", "--reason", "unfit", "--date", "2026-12-01")[0] == 0
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "移出")
    path = demo / "supervisors/S0002.yaml"
    removed = path.read_bytes()
    before = snapshot(demo)
    assert run("readmit", "S0002", "--date", "2026-11-30")[2] == (  # before the removal: refused
        "registry/supervisors/S0002.yaml:39:5: 错误: 状态记录的日期 2026-11-30 早于上一条的 2026-12-01：请按时间先后追加 "
        "[integrity.history_order]\n错误：修改后名册校验未通过（1 个错误）：没有写入任何文件\n")
    assert snapshot(demo) == before
    assert run("readmit", "S0002", "--date", "2026-12-18", "--reference", "再次报名2026-12")[0] == 0
    assert data(demo, "S0002")["status_history"][-1]["citation"].startswith("《晋宁社会监督员管理办法》")
    assert run("validate", "--base", "HEAD")[0] == 0
    # the same entry written by hand, dated before the removal
    path.write_bytes(removed.replace(b"\nremarks:", b"\n  - date: 2026-11-20\n    status: candidate\n    reason: applied\nremarks:")
                     .replace(b"status: removed\nstatus_history", b"status: candidate\nstatus_history"))
    code, out, _ = run("validate", "--base", "HEAD")
    assert code == 1
    assert "状态记录的日期 2026-11-20 早于上一条的 2026-12-01：请按时间先后追加" in out
