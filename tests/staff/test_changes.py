"""`roster admit|renew|remove|withdraw` on the demo registry: what they print, write, and refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Run, snapshot

from roster.check.integrity import lifecycle
from roster.policies.presets import labelled
from roster.yamlio.load import load_bytes


def allowed_after(status: str) -> str:
    """How the commands list the statuses allowed after `status` (from data/lifecycle.yaml)."""
    options = "、".join(labelled("statuses", s) for s in lifecycle()["transitions"][status])
    return f"只能变为 {options}" if options else "不能再变更"


def status_at(registry: Path, ident: str) -> str:
    """The refusal names the file and its status line."""
    text = (registry / "experts" / f"{ident}.yaml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("status:"))
    return f"registry/experts/{ident}.yaml:{line}"


def data(registry: Path, ident: str) -> dict:
    folder = {"E": "experts", "S": "supervisors"}[ident[0]]
    return load_bytes((registry / folder / f"{ident}.yaml").read_bytes()).data


def test_renew_an_active_expert_keeps_everything_else(demo: Path, run: Run) -> None:
    path = demo / "experts/E0008.yaml"
    old = path.read_text(encoding="utf-8")
    path.write_text(old.replace("term:\n", "# 本届聘期\nterm:\n"), encoding="utf-8")
    code, out, err = run("renew", "E0008", "--application-date", "2026-12-01")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "E0008 彭红霞：新聘期 2027-02-01 至 2030-01-31，上一届 2024-02-01 至 2027-01-31 移入 past_terms"
        "（依据：《西藏专家库管理办法》第二十九条）",
        "已写入 1 个文件：",
        "  registry/experts/E0008.yaml",
    ]
    new = path.read_text(encoding="utf-8")
    assert "# 本届聘期\nterm:\n  start: 2027-02-01\n  end: 2030-01-31\npast_terms:\n  - start: 2024-02-01\n    end: 2027-01-31\n" in new
    before, after = old.replace("term:\n", "# 本届聘期\nterm:\n").splitlines(), new.splitlines()
    assert [line for line in after if line not in before] == [
        "  start: 2027-02-01", "  end: 2030-01-31", "past_terms:", "  - start: 2024-02-01", "    end: 2027-01-31",
        "  - date: 2026-12-18", "    reason: renewed", "    citation: 《西藏专家库管理办法》第二十九条", "    application:",
        "      date: 2026-12-01", "    note: 续聘：新聘期 2027-02-01 至 2030-01-31"]
    # active stays active; the decision is one more status_history entry (XZ 第二十九条: 审查通过的，纳入新一期专家库)
    history = data(demo, "E0008")["status_history"]
    assert history[:-1] == load_bytes(old.encode()).data["status_history"]
    assert run("validate")[0] == 0


def test_renew_an_expired_expert_appends_the_history(demo: Path, run: Run) -> None:
    code, out, _ = run("renew", "E0002", "--start", "2026-12-18", "--reference", "示医保函〔2026〕33号",
                       "--application-date", "2026-12-01", "--application-reference", "连任申请〔2026〕2号")
    assert code == 0
    assert out.splitlines()[0] == ("E0002 杨帆：新聘期 2026-12-18 至 2029-12-17，上一届 2023-03-01 至 2026-02-28 移入 past_terms，"
                                   "期满退出 → 在库（依据：《西藏专家库管理办法》第二十九条）")
    record = data(demo, "E0002")
    assert record["status"] == "active"
    assert record["status_history"][-1] == {"date": "2026-12-18", "status": "active", "reason": "renewed",
                                            "citation": "《西藏专家库管理办法》第二十九条", "reference": "示医保函〔2026〕33号",
                                            "application": {"date": "2026-12-01", "reference": "连任申请〔2026〕2号"}}
    assert run("validate")[0] == 0


def test_renew_a_supervisor_needs_consent(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    assert run("renew", "S0001") == (1, "", "错误：S0001 王淑芬：续聘须征得本人同意（《晋宁社会监督员管理办法》第十条）："
                                           "请加 --consent-date <本人同意日期>\n")
    assert snapshot(demo.parent) == before
    code, _, _ = run("renew", "S0001", "--consent-date", "2026-12-15")
    assert code == 0
    record = data(demo, "S0001")
    assert record["admission"]["consent"] == "2026-12-15"
    assert record["term"] == {"start": "2027-06-01", "end": "2029-05-31"}
    assert record["past_terms"][-1] == {"start": "2025-06-01", "end": "2027-05-31"}


@pytest.mark.parametrize(("args", "message"), [
    (["E0059"], "registry/experts/E0059.yaml：E0059 郑凯 的状态是 candidate（候选），只有在库（active）或期满退出（expired）的人员可以续聘"),
    (["E0008", "--start", "2027-01-31", "--application-date", "2026-12-01"], "E0008 彭红霞 的新聘期自 2027-01-31 起，但本届聘期至 2027-01-31 才结束：新聘期须在上一届结束之后开始"),
    (["E0002", "--start", "2026-12-20", "--application-date", "2026-12-01"], "新聘期开始日期（期满退出者重新在库的日期） 2026-12-20 晚于今天（北京时间 2026-12-18）：只能登记已经发生的事"),
    (["X1"], "“X1”不是专家（E…）或社会监督员（S…）的编号"),
])
def test_renew_refusals(demo: Path, run: Run, args: list[str], message: str) -> None:
    before = snapshot(demo.parent)
    assert run("renew", *args) == (1, "", f"错误：{message}\n")
    assert snapshot(demo.parent) == before


def test_renew_beyond_the_age_limit_fails_validation(demo: Path, run: Run) -> None:
    """E0040 was born 1963-03 and holds an approved age exception (≤65): a new term from 2029-04-01 starts at 66."""
    before = snapshot(demo.parent)
    code, out, err = run("renew", "E0040", "--start", "2029-04-01", "--application-date", "2026-12-01")
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("registry/experts/E0040.yaml:")
    assert "聘期开始日 2029-04-01" in lines[0] and "超过 65 周岁" in lines[0] and lines[0].endswith("[admission.age]")
    assert lines[1:] == ["    依据：《西藏专家库管理办法》第六条 基本条件（四）", "错误：修改后名册校验未通过（1 个错误）：没有写入任何文件"]
    assert snapshot(demo.parent) == before


def test_renew_is_not_accepted_years_early(demo: Path, run: Run) -> None:
    """XZ 第二十九条: 在库期满需再次申请 — E0001's term runs to 2029-03-31; renewing in 2026 is refused."""
    before = snapshot(demo.parent)
    assert run("renew", "E0001") == (1, "", "错误：E0001 扎西次仁 的本届聘期至 2029-03-31 止，续聘最早自 2028-10-02 起办理"
                                             "（聘期结束前 180 天；《西藏专家库管理办法》第二十九条：在库期满再申请、审查）\n")
    assert snapshot(demo.parent) == before
    assert run("renew", "E0008") == (1, "", "错误：E0008 彭红霞：在库期满需再次申请（《西藏专家库管理办法》第二十九条）："
                                            "请加 --application-date <本人申请日期>\n")
    assert snapshot(demo.parent) == before


def test_remove_with_a_reason_of_the_preset(demo: Path, run: Run) -> None:
    code, out, err = run("remove", "E0010", "--reason", "unfit", "--date", "2026-12-15", "--reference", "示医保发〔2026〕40号")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "E0010 王志强：在库 → 移出，原因 unfit（身体或者专业水平不能胜任专家工作要求；依据：《西藏专家库管理办法》第二十八条（五））"
        "；同时退出专家咨询委员会",
        "已写入 1 个文件：",
        "  registry/experts/E0010.yaml",
    ]
    record = data(demo, "E0010")
    assert record["status"] == "removed"
    assert record["status_history"][-1] == {"date": "2026-12-15", "status": "removed", "reason": "unfit",
                                            "citation": "《西藏专家库管理办法》第二十八条（五）", "reference": "示医保发〔2026〕40号"}
    assert run("validate")[0] == 0
    # removal is final
    assert run("remove", "E0010", "--reason", "unfit")[2] == (
        f"错误：{status_at(demo, 'E0010')}：E0010 的状态是 removed（移出），不能变为 removed（移出）"
        f"（removed（移出）之后{allowed_after('removed')}）\n")


def test_remove_refusals(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    code, _, err = run("remove", "E0010", "--reason", "nope")
    assert code == 1
    assert err.startswith("错误：原因代码“nope”不在政策预设 xz-2023 的移出原因中：可用的原因代码：leaked_secrets（")
    assert "three_bad_records（在一个年度内达三次不良行为记录，《西藏专家库管理办法》第二十七条）" in err
    assert run("remove", "E0059", "--reason", "unfit")[2] == (
        "错误：registry/experts/E0059.yaml：E0059 郑凯 是候选人，尚未入库，不能移出：不予入库的候选人请用 roster reject\n")
    assert run("remove", "S0002", "--reason", "unfit", "--date", "2026-12-19")[2] == (
        "错误：日期 2026-12-19 晚于今天（北京时间 2026-12-18）：只能登记已经发生的事\n")
    assert run("remove", "E0010", "E0010", "--reason", "unfit")[2] == "错误：编号重复：E0010\n"
    assert snapshot(demo.parent) == before


def test_withdraw_uses_the_only_withdrawal_reason(demo: Path, run: Run) -> None:
    code, out, _ = run("withdraw", "E0030", "S0002", "--date", "2026-12-15", "--reference", "本人申请")
    assert code == 0
    assert out.splitlines() == [
        "E0030 韩冬梅：在库 → 主动退出，原因 own_request（因个人原因主动要求退出，经自治区医保主管部门确认；依据：《西藏专家库管理办法》第三十条）",
        f"S0002 {data(demo, 'S0002')['name']}：在库 → 主动退出，原因 own_request（本人提出申请要求停止聘任；依据：《晋宁社会监督员管理办法》第十一条（四））",
        "已写入 2 个文件：",
        "  registry/experts/E0030.yaml",
        "  registry/supervisors/S0002.yaml",
    ]
    assert run("validate")[0] == 0


def test_withdraw_a_candidate_and_not_a_suspended_expert(demo: Path, run: Run) -> None:
    assert run("withdraw", "E0059", "--date", "2026-12-18")[0] == 0
    assert data(demo, "E0059")["status"] == "withdrawn"
    before = snapshot(demo.parent)
    assert run("withdraw", "E0023")[2] == (
        f"错误：{status_at(demo, 'E0023')}：E0023 的状态是 suspended（暂停），不能变为 withdrawn（主动退出）"
        f"（suspended（暂停）之后{allowed_after('suspended')}）\n")
    assert snapshot(demo.parent) == before


def test_admit_refusals(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    assert run("admit", "E0001")[2] == (
        f"错误：{status_at(demo, 'E0001')}：E0001 的状态是 active（在库），不能变为 active（在库）"
        f"（active（在库）之后{allowed_after('active')}）\n")
    assert run("admit", "E0059", "--date", "2026-12-19")[2] == (
        "错误：入库日期 2026-12-19 晚于今天（北京时间 2026-12-18）：只能登记已经发生的事\n")
    assert run("admit", "E0059", "--date", "2026-12-32")[2] == (
        "错误：--date 有误：日期“2026-12-32”不存在：2026 年 12 月只有 31 天\n")
    assert snapshot(demo.parent) == before


def test_a_record_with_an_error_is_not_edited(demo: Path, run: Run) -> None:
    path = demo / "experts/E0008.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("civil_servant: false", "civil_servant: no"), encoding="utf-8")
    before = snapshot(demo.parent)
    assert run("renew", "E0008")[2] == (
        "错误：registry/experts/E0008.yaml:23 本身有错误（“no”会被 YAML 1.1 当作布尔值（是/否）：是否请写 true 或 false，"
        "若是文字请加引号，例如 'no'）：请先修正该文件，再运行本命令\n")
    assert snapshot(demo.parent) == before


def test_dry_run_validates_without_writing(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    code, out, _ = run("remove", "E0010", "--reason", "unfit", "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == "（--dry-run：校验通过，未写入任何文件）"
    assert snapshot(demo.parent) == before


def test_reject_a_candidate_with_its_own_reason_and_clause(demo: Path, run: Run) -> None:
    """A candidate who failed review is 不予入库 (XZ 第九条（三）), not 主动退出 (XZ 第三十条)."""
    code, out, _ = run("reject", "E0059", "--reason", "review_failed", "--date", "2026-12-18", "--reference", "资格审查结论")
    assert code == 0
    assert out.splitlines()[0] == ("E0059 郑凯：候选 → 不予入库，原因 review_failed（资格审查未通过，或未被择优遴选为专家人选；"
                                   "依据：《西藏专家库管理办法》第九条（三））")
    entry = data(demo, "E0059")["status_history"][-1]
    assert (entry["status"], entry["reason"], entry["citation"]) == ("rejected", "review_failed", "《西藏专家库管理办法》第九条（三）")
    assert run("validate")[0] == 0
    before = snapshot(demo.parent)
    assert run("reject", "E0060", "--reason", "own_request")[2].startswith(
        "错误：原因代码“own_request”不在政策预设 xz-2023 的不予入库原因中：可用的原因代码：review_failed（")
    assert run("reject", "E0001", "--reason", "review_failed")[2] == (
        "错误：registry/experts/E0001.yaml：E0001 扎西次仁 的状态是 active（在库），只有候选人可以不予入库\n")
    assert snapshot(demo.parent) == before


def test_leaving_the_pool_leaves_the_advisory_committee(demo: Path, run: Run) -> None:
    """XZ 第十二条: the committee is chosen from the pool; E0010 is a member and is removed."""
    assert data(demo, "E0010")["advisory_committee"] is True
    code, out, _ = run("remove", "E0010", "--reason", "unfit", "--date", "2026-12-15")
    assert code == 0 and out.splitlines()[0].endswith("；同时退出专家咨询委员会")
    assert data(demo, "E0010")["advisory_committee"] is False
    assert run("validate")[0] == 0
