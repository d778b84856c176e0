"""Findings of the issue-12 review, each a bug shown on the demo registry and expected to fail until fixed
(xfail strict: a fix turns the test red, and then the mark comes off)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import Run, snapshot

from variants import gy_valid_variant

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "docs/guide/files/recommendation-sample.csv"


def _redate_declarations(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"    date: {old}" in text
    path.write_text(text.replace(f"    date: {old}", f"    date: {new}"), encoding="utf-8")


def _consent_again(path: Path, day: str) -> None:
    """E0001 is invited (XZ 第八条（一）): a new admission needs the expert's consent given anew."""
    text = path.read_text(encoding="utf-8")
    old = "  consent:\n    date: 2023-02-20\n    reference: 示医保专家同意书〔2023〕01号\n"
    assert old in text
    path.write_text(text.replace(old, f"  consent:\n    date: {day}\n    reference: 示医保专家同意书〔2026〕09号\n"),
                    encoding="utf-8")


def _readmit_and_sign_again(demo: Path, run: Run) -> None:
    """E0001 withdrawn on 2026-11-01, readmitted on 2026-11-20, declarations and consent signed on 2026-11-25."""
    assert run("withdraw", "E0001", "--date", "2026-11-01")[0] == 0
    assert run("readmit", "E0001", "--date", "2026-11-20")[0] == 0
    _redate_declarations(demo / "experts/E0001.yaml", "2026-03-18", "2026-11-25")
    _consent_again(demo / "experts/E0001.yaml", "2026-11-25")


def test_readmitted_invited_expert_is_not_admitted_on_the_earlier_consent(demo: Path, run: Run) -> None:
    """The consent of the earlier admission (2023) does not serve the admission after a readmission."""
    assert run("withdraw", "E0001", "--date", "2026-11-01")[0] == 0
    assert run("readmit", "E0001", "--date", "2026-11-20")[0] == 0
    _redate_declarations(demo / "experts/E0001.yaml", "2026-03-18", "2026-11-25")
    before = snapshot(demo.parent)
    code, _, err = run("admit", "E0001", "--date", "2026-12-01")
    assert code == 1
    assert ("错误: 本人同意日期 2023-02-20 早于本人再次申请（roster readmit）的日期 2026-11-20：是此前入库时的同意，"
            "不能作为这次入库的依据。请取得本人重新签署的同意书，把 admission.consent 的 date 改为新的日期"
            "（2026-11-20 或之后）、reference 改为新同意书的编号 [admission.consent]") in err
    assert snapshot(demo.parent) == before
    _consent_again(demo / "experts/E0001.yaml", "2026-11-25")
    assert run("admit", "E0001", "--date", "2026-12-01")[0] == 0


def test_xz_expert_who_withdrew_mid_term_can_be_admitted_again(demo: Path, run: Run) -> None:
    """A readmission is a new admission (not a 续聘 under XZ 第二十九条): the old term ends at the withdrawal."""
    _readmit_and_sign_again(demo, run)
    code, _, err = run("admit", "E0001", "--date", "2026-12-01", "--reference", "示医保发〔2026〕99号")
    assert (code, err) == (0, "")
    text = (demo / "experts/E0001.yaml").read_text(encoding="utf-8")
    # the term begun 2026-04-01 ends the day before the withdrawal, not on 2029-03-31
    assert "  - start: 2026-04-01\n    end: 2026-10-31\nstatus: active" in text
    assert "term:\n  start: 2026-12-01\n  end: 2029-11-30\n" in text
    assert run("validate")[0] == 0


def test_validate_asks_to_end_the_earlier_term_at_the_exit(demo: Path, run: Run) -> None:
    """A hand edit that keeps the whole old term is told the end to write, not judged as an early renewal."""
    _readmit_and_sign_again(demo, run)
    assert run("admit", "E0001", "--date", "2026-12-01")[0] == 0
    path = demo / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    end: 2026-10-31\n", "    end: 2029-03-31\n"),
                    encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and "请把它的 end 改为 2026-10-31" in out and "第二十九条" in out
    assert "续聘须征得本人同意" not in out and "不得提前办理" not in out


def test_a_renewal_after_the_readmission_is_judged_as_a_renewal(demo: Path, run: Run) -> None:
    """Only the first term after readmit is a new admission: a later 续聘 decided too early is still refused."""
    _readmit_and_sign_again(demo, run)
    assert run("admit", "E0001", "--date", "2026-12-01")[0] == 0
    path = demo / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("term:\n  start: 2026-12-01\n  end: 2029-11-30\n", "term:\n  start: 2029-12-01\n  end: 2032-11-30\n")
    text = text.replace("    end: 2026-10-31\n", "    end: 2026-10-31\n  - start: 2026-12-01\n    end: 2029-11-30\n")
    assert text.count("advisory_committee:") == 1
    path.write_text(text.replace("advisory_committee:", "  - date: 2026-12-05\n    status: active\n    reason: renewed\n"
                                 "    citation: 《西藏专家库管理办法》第二十九条\nadvisory_committee:"), encoding="utf-8")
    _, out, _ = run("validate")
    assert "续聘于 2026-12-05 决定" in out and "不得提前办理" in out


def test_jn_supervisor_who_withdrew_mid_term_can_be_appointed_again(demo: Path, run: Run) -> None:
    """S0011 withdrew 2026-06-15 (term to 2027-05-07): the new appointment is not a 续聘 under JN 第十条."""
    assert run("readmit", "S0011", "--date", "2026-12-10")[0] == 0
    code, _, err = run("admit", "S0011", "--date", "2026-12-18", "--certificate", "S0011=JN-2026-111")
    assert code == 0, err
    text = (demo / "supervisors/S0011.yaml").read_text(encoding="utf-8")
    assert "past_terms:\n  - start: 2025-05-08\n    end: 2026-06-14\n" in text


def test_import_refuses_a_signing_date_in_the_future(demo: Path, run: Run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(SAMPLE.read_text(encoding="utf-8-sig").replace("否,2026-12-08,", "否,2099-12-08,"), encoding="utf-8")
    code, _, err = run("import", str(table), "--dry-run")
    assert code == 1 and "2099-12-08 晚于今天" in err and "第" in err


def test_new_refuses_a_signing_date_before_the_person_turned_18(demo: Path, run: Run) -> None:
    """Born 1975-06: a pledge signed 1990-12-10 is the wrong date (the same test as validate)."""
    before = sorted(p.name for p in (demo / "experts").iterdir())
    code, _, err = run("new", "expert", "--name", "张三", "--gender", "男", "--birth", "1975-06", "--category", "医药类",
                       "--specialty", "心血管内科", "--employer", "市人医", "--education", "master", "--title", "主任医师",
                       "--title-level", "senior", "--title-since", "2015-12", "--work-start", "1998-07", "--civil-servant", "否",
                       "--declarations-signed", "1990-12-10", "--healthy", "承诺书", "--no-criminal-record", "承诺书",
                       "--no-admin-penalty", "承诺书", "--never-disqualified", "承诺书", "--route", "invited",
                       "--consent-date", "2026-12-10", "--consent-reference", "示医保专家同意书〔2026〕05号")
    assert code == 1 and err.startswith("错误：--declarations-signed（") and "早于本人年满 18 周岁（出生年月 1975-06" in err
    assert sorted(p.name for p in (demo / "experts").iterdir()) == before


def test_validate_refuses_a_declaration_dated_in_the_future(demo: Path, run: Run) -> None:
    path = demo / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    date: 2026-03-18", "    date: 2099-03-18", 1), encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and "declarations.healthy）的日期 2099-03-18 晚于今天" in out and "第六条 基本条件（四）" in out


@pytest.mark.parametrize(("day", "says"), [("1980-01-10", "早于本人年满 18 周岁"), ("2026-05-10", "晚于入库（本届聘期开始）日期")])
def test_validate_refuses_a_declaration_before_adulthood_or_after_the_term_began(demo: Path, run: Run, day: str,
                                                                               says: str) -> None:
    """E0001 was born 1969-04 and its term began 2026-04-01: a date before 1987-04 or after the start is wrong."""
    path = demo / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    date: 2026-03-18", f"    date: {day}", 1), encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and f"日期 {day} {says}" in out


def test_validate_refuses_admission_on_the_announcement_before_readmission(demo: Path, run: Run) -> None:
    assert run("readmit", "E0007", "--date", "2026-12-01", "--reference", "R1")[0] == 0
    path = demo / "experts/E0007.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  date: 2023-06-01\n  announcement: A2023-001\nterm:\n  start: 2023-06-01\n  end: 2026-05-31\n"
                        "status: candidate",
                        "  date: 2026-12-10\n  announcement: A2023-001\nterm:\n  start: 2026-12-10\n  end: 2029-12-09\n"
                        "past_terms:\n  - start: 2023-06-01\n    end: 2026-05-31\nstatus: active")
    text = text.replace("    reference: R1\n", "    reference: R1\n  - date: 2026-12-10\n    status: active\n"
                        "    reason: admitted\n    citation: 《西藏专家库管理办法》第九条（三）\n    reference: X9\n")
    path.write_text(text.replace("    date: 2023-04-04", "    date: 2026-12-05"), encoding="utf-8")
    assert "status: active" in text
    code, out, _ = run("validate")
    assert code == 1 and "公示公告 A2023-001 是本人 2026-12-01 再次申请（roster readmit）之前的公示" in out
    assert "[admission.announcement]" in out


def _announce_again(demo: Path, run: Run) -> None:
    assert run("readmit", "E0007", "--date", "2026-12-01")[0] == 0
    assert run("announce", "candidates", "E0007", "--published", "2026-12-02")[0] == 0
    notice = sorted((demo / "announcements/2026").glob("A2026-*.yaml"))[-1].stem
    assert run("announce", "close", notice, "--objections", "0", "--outcome", "passed", "--date", "2026-12-10")[0] == 0


def test_readmitted_candidate_is_not_admitted_on_old_declarations(demo: Path, run: Run) -> None:
    """E0007 signed 2023-04-04, before the withdrawal: admit refuses, names the lines, the clause and the fix."""
    _announce_again(demo, run)
    code, _, err = run("admit", "E0007", "--date", "2026-12-18")
    assert code == 1 and "再次申请" in err and "healthy" in err and "第六条 基本条件（四）" in err
    assert "把各项的 date 改为新的日期（2026-12-01 或之后）" in err and "registry/experts/E0007.yaml" in err
    _redate_declarations(demo / "experts/E0007.yaml", "2023-04-04", "2026-12-03")
    assert run("admit", "E0007", "--date", "2026-12-18")[0] == 0


def test_validate_refuses_old_declarations_on_an_admission_after_readmission(demo: Path, run: Run) -> None:
    _announce_again(demo, run)
    _redate_declarations(demo / "experts/E0007.yaml", "2023-04-04", "2026-12-03")
    assert run("admit", "E0007", "--date", "2026-12-18")[0] == 0
    path = demo / "experts/E0007.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    date: 2026-12-03", "    date: 2023-04-04", 1),
                    encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and "错误: 承诺事项" in out and "早于本人再次申请" in out


def _next_step(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("下一步："))


def test_readmit_next_step_follows_the_route(demo: Path, run: Run) -> None:
    """XZ 第八条（一）: an invited expert is not announced; JN: 聘任 with the 证; XZ open call: 公示 (第九条（三）)."""
    assert run("withdraw", "E0001", "--date", "2026-11-01")[0] == 0
    invited = _next_step(run("readmit", "E0001", "--date", "2026-11-20")[1])
    assert "不经公示（《西藏专家库管理办法》第八条（一））" in invited and "announce" not in invited
    supervisor = _next_step(run("readmit", "S0011", "--date", "2026-12-10")[1])
    assert "聘任" in supervisor and "roster admit S0011 --certificate S0011=<证件编号>" in supervisor
    assert "公示" not in supervisor
    announced = _next_step(run("readmit", "E0007", "--date", "2026-12-01")[1])
    assert "公示才能入库（《西藏专家库管理办法》第九条（三））" in announced and "roster announce candidates E0007" in announced


@pytest.mark.parametrize(("applied", "says"), [("2026-11-25", "晚于 --date 2026-11-20（再次登记日期）"),
                                               ("2026-10-25", "早于 E0001 扎西次仁 2026-11-01 主动退出")])
def test_readmit_refuses_an_application_date_outside_exit_and_registration(demo: Path, run: Run, applied: str,
                                                                          says: str) -> None:
    assert run("withdraw", "E0001", "--date", "2026-11-01")[0] == 0
    before = (demo / "experts/E0001.yaml").read_bytes()
    code, _, err = run("readmit", "E0001", "--date", "2026-11-20", "--application-date", applied)
    assert code == 1 and says in err and err.startswith("错误：")
    assert (demo / "experts/E0001.yaml").read_bytes() == before
    assert run("readmit", "E0001", "--date", "2026-11-20", "--application-date", "2026-11-01")[0] == 0


def test_an_item_of_another_preset_is_a_warning(demo: Path, run: Run) -> None:
    """no_violation is a Guiyang item (GY 第六条（六）): on a Tibetan record it is not one the preset asks for."""
    path = demo / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("declarations:\n", "declarations:\n  no_violation:\n    confirmed: true\n"
                                 "    source: pledge\n    date: 2026-03-18\n", 1), encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 0 and "警告: 承诺事项“无违法违纪记录”（declarations.no_violation）不是《西藏专家库管理办法》要求记录的承诺事项" in out


def test_gy_says_audit_for_the_bureau_s_verification(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """GY 第六条（五）“经市医保局审核”: the Guiyang message names the 审核, not XZ's 资格审查核实."""
    repo = tmp_path / "gy"
    shutil.copytree(REPO / "registry", repo / "registry")
    gy_valid_variant(repo / "registry")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("ROSTER_TODAY", "2026-12-18")
    path = repo / "registry/experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  no_credit_record:\n")
    path.write_text(text[:start] + text[text.index("\n", text.index("    date:", start)) + 1:], encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and "review（市医保局审核）" in out and "资格审查核实" not in out


def _draw(run: Run, *values: str) -> str:
    code, out, err = run("draw", "run", "D2026-006", *[a for v in values for a in ("--value", v)])
    assert code == 0, err
    return out


def test_gy_panel_has_no_two_experts_sharing_a_specialty_from_one_institution(tmp_path: Path, run: Run,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "gy"
    shutil.copytree(REPO / "registry", repo / "registry")
    gy_valid_variant(repo / "registry")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("ROSTER_TODAY", "2026-12-10")
    code, _, err = run("draw", "new", "--purpose", "信息系统检查专家组", "--requested-by", "基金监管处", "--operator", "甲",
                       "--supervisor", "乙", "--activity-start", "2027-01-11", "--activity-end", "2027-01-15",
                       "--subject", "I0006", "--size", "5", "--quota", "it:5",
                       "--source", "ssq:中国福利彩票双色球第2026148期:2026-12-22",
                       "--source", "dlt:体彩超级大乐透第26148期:2026-12-22", "--publish", "2027-01-31")
    assert code == 0, err
    monkeypatch.setenv("ROSTER_TODAY", "2026-12-23")
    out = _draw(run, "01 02 03 04 05 06 + 07", "02 11 19 27 33 + 04 10")
    drawn = next(line for line in out.splitlines() if "抽中" in line)
    assert not ("E0034" in drawn and "E0058" in drawn), drawn


def test_gy_composition_finding_cites_its_own_clause(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "gy"
    shutil.copytree(REPO / "registry", repo / "registry")
    gy_valid_variant(repo / "registry")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("ROSTER_TODAY", "2026-12-10")
    assert run("draw", "new", "--purpose", "信息系统检查", "--requested-by", "基金监管处", "--operator", "甲", "--supervisor", "乙",
               "--activity-start", "2027-01-11", "--activity-end", "2027-01-15", "--subject", "I0006", "--size", "5",
               "--quota", "it:5", "--source", "ssq:中国福利彩票双色球第2026148期:2026-12-22",
               "--source", "dlt:体彩超级大乐透第26148期:2026-12-22", "--publish", "2027-01-31")[0] == 0
    path = next((repo / "registry/draws").rglob("D2026-006.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("  distinct_institutions_per_specialty: true\n", ""),
                    encoding="utf-8")
    _, out, _ = run("validate")
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if "[draw.composition]" in line)
    assert "第十二条（二）" in lines[at + 1]
