"""Findings of the issue-12 review, each a bug shown on the demo registry and expected to fail until fixed
(xfail strict: a fix turns the test red, and then the mark comes off)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import Run

from variants import gy_valid_variant

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "docs/guide/files/recommendation-sample.csv"


@pytest.mark.xfail(strict=True, reason="readmit → admit of an expert who withdrew mid-term: the old term (not ended at "
                   "withdrawal) goes to past_terms and term.renewal treats the new admission as an early renewal")
def test_xz_expert_who_withdrew_mid_term_can_be_admitted_again(demo: Path, run: Run) -> None:
    assert run("withdraw", "E0001", "--date", "2026-11-01")[0] == 0
    assert run("readmit", "E0001", "--date", "2026-11-20")[0] == 0
    code, _, err = run("admit", "E0001", "--date", "2026-12-01", "--reference", "示医保发〔2026〕99号")
    assert (code, err) == (0, "")


@pytest.mark.xfail(strict=True, reason="the same for a JN supervisor (S0011 withdrew 2026-06-15, term to 2027-05-07): "
                   "the re-appointment is judged as a 续聘 under JN 第十条")
def test_jn_supervisor_who_withdrew_mid_term_can_be_appointed_again(demo: Path, run: Run) -> None:
    assert run("readmit", "S0011", "--date", "2026-12-10")[0] == 0
    code, _, err = run("admit", "S0011", "--date", "2026-12-18", "--certificate", "S0011=JN-2026-111")
    assert code == 0, err


@pytest.mark.xfail(strict=True, reason="roster import takes a 承诺书签署日期 in the future (roster new refuses it)")
def test_import_refuses_a_signing_date_in_the_future(demo: Path, run: Run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(SAMPLE.read_text(encoding="utf-8-sig").replace("否,2026-12-08,", "否,2099-12-08,"), encoding="utf-8")
    assert run("import", str(table), "--dry-run")[0] == 1


@pytest.mark.xfail(strict=True, reason="validate checks no declaration date: one in the future or before birth passes")
def test_validate_refuses_a_declaration_dated_in_the_future(demo: Path, run: Run) -> None:
    path = demo / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    date: 2026-03-18", "    date: 2099-03-18", 1), encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1 and "2099-03-18" in out


@pytest.mark.xfail(strict=True, reason="roster admit refuses the 公示 of the earlier application after a readmit, "
                   "validate (and so CI / the editor path) does not")
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
    path.write_text(text, encoding="utf-8")
    assert "status: active" in text
    code, out, _ = run("validate")
    assert code == 1 and "A2023-001" in out


@pytest.mark.xfail(strict=True, reason="a readmitted candidate is admitted on the declarations of the earlier "
                   "application (E0007: signed 2023-04-04, before the withdrawal) without a word")
def test_readmitted_candidate_is_not_admitted_silently_on_old_declarations(demo: Path, run: Run) -> None:
    assert run("readmit", "E0007", "--date", "2026-12-01")[0] == 0
    assert run("announce", "candidates", "E0007", "--published", "2026-12-02")[0] == 0
    notice = sorted((demo / "announcements/2026").glob("A2026-*.yaml"))[-1].stem
    assert run("announce", "close", notice, "--objections", "0", "--outcome", "passed", "--date", "2026-12-10")[0] == 0
    code, out, err = run("admit", "E0007", "--date", "2026-12-18")
    assert code == 1 or "declarations" in out + err


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
