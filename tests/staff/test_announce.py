"""`roster announce candidates|close` and `roster admit` after a 公示, with periods in 工作日."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import Run, snapshot

from roster.yamlio.load import load_bytes

CANDIDATE = """\
    # yaml-language-server: $schema=../../schemas/expert.schema.json
    id: {id}
    name: {name}
    gender: 女
    birth: 1980-05
    category: finance
    specialties: [医院财务]
    employer: I0001
    education:
      level: bachelor
    title:
      name: 高级会计师
      level: associate_senior
      since: 2015-01
    work_start: 2002-07
    civil_servant: false
    declarations:
      healthy:
        confirmed: true
        source: form
        date: 2025-09-01
      no_criminal_record:
        confirmed: true
        source: form
        date: 2025-09-01
      no_admin_penalty:
        confirmed: true
        source: review
        date: 2025-09-15
      never_disqualified:
        confirmed: true
        source: review
        date: 2025-09-15
    admission:
      route: open_call  # 个人自荐
      review: {{date: 2025-09-15, result: passed}}
      unit_statement: {{date: 2025-09-01, bad_records: false}}
    status: candidate
    status_history:
      - date: 2025-09-01
        status: candidate
    """


@pytest.fixture
def registry(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small registry of tests/conftest.py with an office to object to and two open-call candidates."""
    settings = mini / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'region: "540199"\n', 'region: "540199"\n  office: 基金监管科\n  office_phone: 0891-0000000\n', 1), encoding="utf-8")
    for ident, name in (("E0002", "李静"), ("E0003", "王芳")):
        (mini / f"experts/{ident}.yaml").write_text(textwrap.dedent(CANDIDATE.format(id=ident, name=name)), encoding="utf-8")
    monkeypatch.chdir(mini.parent)
    monkeypatch.setenv("ROSTER_TODAY", "2025-10-20")
    return mini


def notice(registry: Path, ident: str) -> dict:
    return load_bytes((registry / f"announcements/{ident[1:5]}/{ident}.yaml").read_bytes()).data


def test_period_across_national_day_2025(registry: Path, run: Run) -> None:
    code, out, err = run("announce", "candidates", "E0002", "E0003", "--published", "2025-09-26")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "公示 A2025-001：测试市医疗保障局医保基金监管专家库拟入库专家公示（2025年）",
        "  公示期：2025-09-26 至 2025-10-09（5 个工作日）",
        "  不计入的节假日：2025-10-01（星期三）、2025-10-02（星期四）、2025-10-03（星期五）、2025-10-06（星期一）、"
        "2025-10-07（星期二）、2025-10-08（星期三）",
        "  计入的调休上班日：2025-09-28（星期日）",
        "  公示对象：E0002 李静、E0003 王芳",
        "已写入 3 个文件：",
        "  registry/announcements/2025/A2025-001.yaml",
        "  registry/experts/E0002.yaml",
        "  registry/experts/E0003.yaml",
        "下一步：公示期满（2025-10-09 之后）办结：roster announce close A2025-001 --objections <异议件数> --outcome passed",
    ]
    data = notice(registry, "A2025-001")
    assert data["period"] == {"start": "2025-09-26", "end": "2025-10-09", "workdays": 5}
    assert data["subjects"] == ["E0002", "E0003"]
    assert data["contact"] == {"office": "基金监管科", "office_phone": "0891-0000000",
                               "how_to_object": "公示期间，对公示对象有异议的，请以书面形式实名反映，写明异议事实并提供必要的证明材料。"}
    assert "公示期为2025年9月26日至2025年10月9日（5个工作日）" in data["body"]
    assert "《西藏专家库管理办法》第九条（三）" in data["body"]
    text = (registry / "announcements/2025/A2025-001.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/announcement.schema.json\nid: A2025-001\nkind: admission\n")
    # the candidate points at the 公示; the comment on the route line is still there
    expert = (registry / "experts/E0002.yaml").read_text(encoding="utf-8")
    assert ("admission:\n  route: open_call  # 个人自荐\n  announcement: A2025-001\n"
            "  review: {date: 2025-09-15, result: passed}\n") in expert


def test_adjusted_saturday_counts(registry: Path, run: Run) -> None:
    code, out, _ = run("announce", "candidates", "E0002", "--published", "2025-10-09")
    assert code == 0
    assert out.splitlines()[1:3] == ["  公示期：2025-10-09 至 2025-10-14（5 个工作日）",
                                     "  计入的调休上班日：2025-10-11（星期六）"]


def test_published_on_a_holiday_starts_on_the_next_working_day(registry: Path, run: Run) -> None:
    code, out, _ = run("announce", "candidates", "E0002", "--published", "2025-10-03", "--workdays", "3")
    assert code == 0
    assert out.splitlines()[1:3] == ["  公示期：2025-10-09 至 2025-10-11（3 个工作日）",
                                     "  计入的调休上班日：2025-10-11（星期六）"]


def test_a_year_the_calendar_does_not_know(registry: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2027-03-01")
    before = snapshot(registry.parent)
    code, out, err = run("announce", "candidates", "E0002", "--published", "2027-03-01")
    assert (code, out) == (1, "")
    assert err.startswith("错误：无法计算 2027 年的工作日：chinese-calendar 软件包")
    assert "运行 roster calendar new 2027 --notice <文件>，写出 registry/calendar/2027.yaml" in err
    assert snapshot(registry.parent) == before
    calendar = registry / "calendar/2027.yaml"
    calendar.parent.mkdir()
    calendar.write_text("year: 2027\nsource: 测试用\nholidays:\n  - 2027-01-01\n  - 2027-03-03\nworkdays:\n  - 2027-03-06\n",
                        encoding="utf-8")
    code, out, _ = run("announce", "candidates", "E0002", "--published", "2027-03-01")
    assert code == 0
    assert out.splitlines()[1:4] == ["  公示期：2027-03-01 至 2027-03-06（5 个工作日）",
                                     "  不计入的节假日：2027-03-03（星期三）",
                                     "  计入的调休上班日：2027-03-06（星期六）"]


def test_close_then_admit_passes_the_announcement_rule(registry: Path, run: Run) -> None:
    assert run("announce", "candidates", "E0002", "E0003", "--published", "2025-09-26")[0] == 0
    before = snapshot(registry.parent)
    assert run("admit", "E0002", "--date", "2025-10-20") == (
        1, "", "错误：E0002 李静 的公示 A2025-001（公示期至 2025-10-09）还没有办结：公示期满后请先运行 "
               "roster announce close A2025-001 --objections <异议件数> --outcome passed|partial|failed\n")
    assert run("announce", "close", "A2025-001", "--objections", "0", "--outcome", "passed", "--date", "2025-10-09") == (
        1, "", "错误：公示 A2025-001 的公示期至 2025-10-09 止：须在公示期满之后办结（《西藏专家库管理办法》第九条（三）："
               "经公示合格的，才正式纳入），办结日期最早为 2025-10-10，现在是 2025-10-09\n")
    assert snapshot(registry.parent) == before
    code, out, err = run("announce", "close", "A2025-001", "--objections", "1", "--outcome", "partial",
                         "--upheld", "E0003", "--date", "2025-10-10", "--note", "对王芳的异议经核实成立")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "公示 A2025-001 已办结：收到异议 1 件，部分通过（异议成立：E0003）",
        "已写入 1 个文件：",
        "  registry/announcements/2025/A2025-001.yaml",
        "下一步：入库（聘任）：roster admit E0002 --date <入库日期>",
    ]
    assert notice(registry, "A2025-001")["outcome"] == {"closed": "2025-10-10", "objections": 1, "upheld": ["E0003"],
                                                         "result": "partial", "note": "对王芳的异议经核实成立"}
    assert run("admit", "E0003", "--date", "2025-10-20")[2] == (
        "错误：公示 A2025-001 中对 E0003 王芳 的异议成立（结论 partial），不得入库（《西藏专家库管理办法》第九条（三））\n")
    code, out, err = run("admit", "E0002", "--date", "2025-10-20", "--reference", "测医保发〔2025〕9号")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "E0002 李静：候选 → 在库，聘期 2025-10-20 至 2028-10-19（依据：《西藏专家库管理办法》第九条（三））",
        "已写入 1 个文件：",
        "  registry/experts/E0002.yaml",
    ]
    data = load_bytes((registry / "experts/E0002.yaml").read_bytes()).data
    assert data["admission"] == {"route": "open_call", "date": "2025-10-20", "announcement": "A2025-001",
                                 "review": {"date": "2025-09-15", "result": "passed"},
                                 "unit_statement": {"date": "2025-09-01", "bad_records": False}}
    assert data["term"] == {"start": "2025-10-20", "end": "2028-10-19"}
    assert data["status_history"][-1] == {"date": "2025-10-20", "status": "active", "reason": "admitted",
                                          "citation": "《西藏专家库管理办法》第九条（三）", "reference": "测医保发〔2025〕9号"}
    assert run("validate")[0] == 0
    # the outcome is final
    assert run("announce", "close", "A2025-001", "--objections", "0", "--outcome", "passed")[2] == (
        "错误：registry/announcements/2025/A2025-001.yaml：公示 A2025-001 已于 2025-10-10 办结，结果不得修改\n")


@pytest.mark.parametrize(("args", "message"), [
    (["--objections", "0", "--outcome", "partial", "--upheld", "E0002"], "没有收到异议（--objections 0）时结论只能是 passed，现在是 partial"),
    (["--objections", "1", "--outcome", "passed", "--upheld", "E0002"], "结论为 passed（通过）时不能有异议成立的对象：部分对象异议成立请用 --outcome partial"),
    (["--objections", "1", "--outcome", "partial"], "结论为 partial（部分异议成立）时请用 --upheld 写明异议成立的对象编号"),
    (["--objections", "2", "--outcome", "partial", "--upheld", "E0002", "--upheld", "E0003"], "全部对象的异议都成立：请用 --outcome failed"),
    (["--objections", "1", "--outcome", "failed", "--upheld", "E0001"], "--upheld 中的 E0001 不是公示 A2025-001 的公示对象（E0002、E0003）"),
    (["--objections", "0", "--outcome", "passed", "--date", "2025-10-21"], "办结日期 2025-10-21 晚于今天（北京时间 2025-10-20）：只能登记已经发生的事"),
])
def test_close_refuses_inconsistent_outcomes(registry: Path, run: Run, args: list[str], message: str) -> None:
    assert run("announce", "candidates", "E0002", "E0003", "--published", "2025-09-26")[0] == 0
    before = snapshot(registry.parent)
    assert run("announce", "close", "A2025-001", *args) == (1, "", f"错误：{message}\n")
    assert snapshot(registry.parent) == before


def test_announce_refuses_people_who_are_not_candidates(registry: Path, run: Run) -> None:
    before = snapshot(registry.parent)
    assert run("announce", "candidates", "E0001", "--published", "2025-10-09") == (
        1, "", "错误：registry/experts/E0001.yaml：E0001 张明 的状态是 active（在库），admission 公示的对象须为 candidate（候选）\n")
    assert run("announce", "candidates", "E0009")[2] == "错误：名册中没有编号为 E0009 的专家\n"
    assert run("announce", "candidates", "E0002", "E0002")[2] == "错误：编号重复：E0002\n"
    assert snapshot(registry.parent) == before
    assert run("announce", "candidates", "E0002", "--published", "2025-10-09")[0] == 0
    assert run("announce", "candidates", "E0002", "--published", "2025-10-10")[2] == (
        "错误：E0002 李静 已在公示 A2025-001 中，该公示尚未办结：请先办结（roster announce close A2025-001）\n")
