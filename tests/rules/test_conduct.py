"""Conduct events that require removal: three bad records in a year (XZ), two absences (GY)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rulekit import EXPERT, GY, XZ, Maker, expert, only, with_policy

from roster.rules.conduct import first_breach

E = "experts/E0001.yaml"
ACTIVE_SINCE_2024 = {"term": {"start": "2024-03-01", "end": "2027-02-28"},
                     "admission": {"route": "invited", "date": "2024-03-01", "notice": {"date": "2024-02-20"},
                                   "certificate": {"number": "聘1", "date": "2024-03-01"}, "consent": {"date": "2024-02-01"}},
                     "status_history": [{"date": "2024-03-01", "status": "active"}],
                     # signed before the admission (a later date is refused by admission.declarations)
                     "declarations": {code: {**item, "date": "2024-02-01"} for code, item in EXPERT["declarations"].items()}}


def events(*dates: str, kind: str = "bad_behaviour", **fields: Any) -> dict[str, dict[str, Any]]:
    files = {}
    for n, day in enumerate(dates, 1):
        record_id = f"C{day[:4]}-{n:03d}"
        files[f"conduct/{day[:4]}/{record_id}.yaml"] = {
            "id": record_id, "person": "E0001", "kind": kind, "date": day, "description": "测试记录", **fields}
    return files


def test_two_bad_records_in_a_year_pass(make: Maker) -> None:
    assert make(expert(**ACTIVE_SINCE_2024), extra=events("2025-03-01", "2025-06-01")).findings("2026-03-15") == []


def test_third_bad_record_on_31_december_counts_in_that_year(make: Maker) -> None:
    built = make(expert(**ACTIVE_SINCE_2024), extra=events("2025-03-01", "2025-06-01", "2025-12-31"))
    assert built.findings("2025-12-30", "conduct.bad_records") == []
    warning = only(built.findings("2026-01-01", "conduct.bad_records"))
    assert (warning.severity, warning.citation) == ("warning", f"{XZ}第二十七条")
    assert warning.line == built.line(E, "status: active")
    assert warning.message == (
        "2025 年内有 3 次不良行为、接受邀请后无故缺席记录：C2025-001（2025-03-01）、C2025-002（2025-06-01）、"
        "C2025-003（2025-12-31），达到 3 次应移出（原因代码 three_bad_records），状态仍为 active（在库）："
        "请由本局作出移出决定，将状态改为 removed 并在 status_history 末尾追加一条（本系统规则：宽限期 30 天，2026-01-30 起为错误）")
    assert only(built.findings("2026-01-30", "conduct.bad_records")).severity == "error"


def test_third_bad_record_on_1_january_starts_a_new_year(make: Maker) -> None:
    extra = events("2025-03-01", "2025-06-01")
    extra.update({"conduct/2026/C2026-001.yaml": {"id": "C2026-001", "person": "E0001", "kind": "bad_behaviour",
                                                  "date": "2026-01-01", "description": "测试记录"}})
    assert make(expert(**ACTIVE_SINCE_2024), extra=extra).findings("2026-03-15") == []


def test_unexcused_absence_counts_as_a_bad_record_under_xz(make: Maker) -> None:
    extra = events("2025-03-01", "2025-06-01")
    extra.update({"conduct/2025/C2025-009.yaml": {"id": "C2025-009", "person": "E0001", "kind": "absence",
                                                  "date": "2025-09-01", "excused": False, "description": "未到场"}})
    assert only(make(expert(**ACTIVE_SINCE_2024), extra=extra).findings("2026-03-15")).rule == "conduct.bad_records"
    extra["conduct/2025/C2025-009.yaml"]["excused"] = True
    assert make(expert(**ACTIVE_SINCE_2024), extra=extra).findings("2026-03-15") == []


def test_a_removed_expert_is_not_flagged(make: Maker) -> None:
    removed = expert(**{**ACTIVE_SINCE_2024, "status": "removed", "status_history": [
        {"date": "2024-03-01", "status": "active"},
        {"date": "2026-01-10", "status": "removed", "reason": "three_bad_records"}]})
    assert make(removed, extra=events("2025-03-01", "2025-06-01", "2025-12-31")).findings("2026-03-15") == []


GY_SETTINGS = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                          {"rule": "admission.route", "reason": "测试"}])


def test_guiyang_two_unexcused_absences(make: Maker) -> None:
    built = make(expert(**ACTIVE_SINCE_2024), settings=GY_SETTINGS,
                 extra=events("2024-05-01", "2025-11-01", kind="absence", excused=False))
    finding = only(built.findings("2026-03-15"))
    assert (finding.rule, finding.severity, finding.citation) == ("conduct.absences", "error", f"{GY}第九条（八）")
    assert finding.message.startswith("累计有 2 次接受邀请后无故缺席记录：C2024-001（2024-05-01）、C2025-002（2025-11-01），"
                                      "达到 2 次应移出（原因代码 absence_twice）")


def test_guiyang_one_absence_is_not_enough(make: Maker) -> None:
    assert make(expert(**ACTIVE_SINCE_2024), settings=GY_SETTINGS,
                extra=events("2025-11-01", kind="absence")).findings("2026-03-15") == []


@pytest.mark.parametrize(("window", "dates", "reached"), [
    ("calendar_year", ["2025-12-30", "2025-12-31", "2026-01-01"], None),
    ("rolling_12_months", ["2025-12-30", "2025-12-31", "2026-01-01"], date(2026, 1, 1)),
    ("rolling_12_months", ["2025-01-01", "2025-06-01", "2026-01-01"], None),
    ("rolling_12_months", ["2025-01-02", "2025-06-01", "2026-01-01"], date(2026, 1, 1)),
    ("all", ["2020-01-01", "2023-01-01", "2026-01-01"], date(2026, 1, 1)),
])
def test_counting_windows(window: str, dates: list[str], reached: date | None) -> None:
    found = first_breach([(date.fromisoformat(d), f"C{n}") for n, d in enumerate(dates)], 3, window)
    assert (found.reached if found else None) == reached
