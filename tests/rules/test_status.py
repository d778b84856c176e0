"""`roster status`: the report as of a date, and `--apply` editing only what it must."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from roster.check.registry import Record
from roster.check.validate import open_registry
from roster.cli import main
from roster.core.findings import error
from roster.staff import changeset as changeset_module
from roster.staff import journal
from roster.staff.status import Item, as_of_view, edit_status, plan
from roster.yamlio.load import load_bytes

REPO = Path(__file__).resolve().parents[2]

SETTINGS = """\
    bureau:
      name: 测试市医疗保障局
      region: "540199"
    rosters:
      experts:
        policy: xz-2023
        disabled:
          - rule: policy.validity
            reason: 测试：有效期另有专门测试
    site:
      title: 测试网站
      host: 测试市医疗保障局
    """
HOSPITAL = """\
    id: I0001
    name: 测试市人民医院
    type: hospital
    legal_entity: I0001
    region: "540199"
    """


def person(record_id: str, *, name: str = "张明", birth: str = "1975-06", start: str = "2023-03-01",
           end: str = "2026-02-28", tail: str = "") -> str:
    return textwrap.dedent(f"""\
        # 示例专家（测试用）
        id: {record_id}
        name: {name}
        gender: 男
        birth: {birth}   # 只用于年龄条件
        category: medical
        specialties: [心血管内科]
        employer: I0001
        education:
          level: master
        title:
          level: senior
          since: 2015-01
        work_start: 1998-07
        civil_servant: false
        declarations:
          healthy:
            confirmed: true
            source: pledge
            date: 2023-02-01
          no_criminal_record:
            confirmed: true
            source: pledge
            date: 2023-02-01
          no_admin_penalty:
            confirmed: true
            source: pledge
            date: 2023-02-01
          never_disqualified:
            confirmed: true
            source: pledge
            date: 2023-02-01
        admission:
          route: invited
          date: {start}
          consent:
            date: 2023-02-01
        term:
          start: {start}
          end: {end}
        status: active  # 在库
        status_history:
          - date: {start}
            status: active
            reference: 测医保函〔2023〕1号   # 聘任文件
          # 以后的变更追加在这里

        # 以下为备注
        remarks: 示例
        """) + tail


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "registry"
    files = {"registry.yaml": textwrap.dedent(SETTINGS), "institutions/I0001.yaml": textwrap.dedent(HOSPITAL),
             "experts/E0001.yaml": person("E0001"),                                       # term ended 2026-02-28
             "experts/E0002.yaml": person("E0002", name="王芳", start="2024-04-01", end="2027-03-31"),
             "experts/E0003.yaml": person("E0003", name="李强", birth="1965-02", start="2024-04-01",
                                          end="2027-03-31"),                              # 61 from 2026-02-01
             "experts/E0004.yaml": person("E0004", name="赵敏", start="2023-06-01", end="2026-05-31")}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("ROSTER_TODAY", "2026-03-15")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["status", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


REPORT = """\
名册状态：截至 2026-03-15（北京时间）

专家库（政策预设 xz-2023）
  一、已到期，可自动变更（roster status --apply 写入）：2 人
    编号   姓名  事项            生效日期    情况                            应办事项                                   依据
    E0003  李强  年龄已超过上限  2026-02-01  出生年月 1965-02，超过 60 周岁  改为 expired（期满退出），原因 age_limit   《西藏专家库管理办法》第三十一条
    E0001  张明  聘期已届满      2026-03-01  聘期 2023-03-01 至 2026-02-28   改为 expired（期满退出），原因 term_ended  《西藏专家库管理办法》第三十一条
  二、已到期，须本局作出决定：无
  三、90 天内将到期（请提前办理）：1 人
    编号   姓名  事项          生效日期    情况                           应办事项                                               依据
    E0004  赵敏  聘期即将届满  2026-06-01  聘期 2023-06-01 至 2026-05-31  续聘，或届时改为 expired（期满退出），原因 term_ended  《西藏专家库管理办法》第三十一条
"""


def test_report_lists_what_must_change(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry))
    assert (code, out) == (0, REPORT)
    assert snapshot(registry) == before


def test_apply_edits_only_the_status_and_appends_history(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    untouched = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert code == 0, out
    assert out.startswith(REPORT)
    assert out.endswith(f"\n已写入 2 个文件：\n  {registry}/experts/E0001.yaml\n  {registry}/experts/E0003.yaml\n"
                        "重新校验：通过：检查了 6 个文件，0 个错误，0 个警告。\n")
    expected = person("E0001").replace("status: active  # 在库", "status: expired  # 在库").replace(
        "    reference: 测医保函〔2023〕1号   # 聘任文件\n  # 以后的变更追加在这里\n",
        "    reference: 测医保函〔2023〕1号   # 聘任文件\n"
        "  - date: 2026-03-01\n"
        "    status: expired\n"
        "    reason: term_ended\n"
        "    citation: 《西藏专家库管理办法》第三十一条\n"
        "    note: 聘期 2023-03-01 至 2026-02-28，自动退出（roster status --apply 写入）\n"
        "  # 以后的变更追加在这里\n")
    assert (registry / "experts/E0001.yaml").read_text(encoding="utf-8") == expected
    assert "    reason: age_limit\n" in (registry / "experts/E0003.yaml").read_text(encoding="utf-8")
    changed = {p for p, raw in snapshot(registry).items() if untouched[p] != raw}
    assert changed == {registry / "experts/E0001.yaml", registry / "experts/E0003.yaml"}
    assert not list(registry.rglob("*.tmp"))
    # a second run has nothing left to do
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert code == 0 and "一、已到期，可自动变更（roster status --apply 写入）：无" in out
    assert "没有需要自动写入的变更。\n重新校验：通过" in out


def test_apply_keeps_crlf_and_a_history_at_the_end_of_the_file(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "experts/E0001.yaml"
    text = person("E0001").split("          # 以后的变更")[0].split("  # 以后的变更")[0]
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert run(capsys, "--registry", str(registry), "--apply")[0] == 0
    raw = path.read_bytes()
    assert raw.endswith(b"    note: \xe8\x81\x98\xe6\x9c\x9f 2023-03-01 \xe8\x87\xb3 2026-02-28\xef\xbc\x8c"
                        b"\xe8\x87\xaa\xe5\x8a\xa8\xe9\x80\x80\xe5\x87\xba\xef\xbc\x88roster status --apply "
                        b"\xe5\x86\x99\xe5\x85\xa5\xef\xbc\x89\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_json_format(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--registry", str(registry), "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["as_of"] == "2026-03-15"
    [experts] = payload["rosters"]
    assert [(i["record"], i["kind"], i["date"], i["automatic"]) for i in experts["items"]] == [
        ("E0003", "age_over", "2026-02-01", True), ("E0001", "term_ended", "2026-03-01", True),
        ("E0004", "term_ending", "2026-06-01", True)]
    assert experts["items"][1]["citation"] == "《西藏专家库管理办法》第三十一条"
    assert experts["items"][1]["line"] == 41


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "2026-3-15"], "错误：--as-of 有误：日期“2026-3-15”格式有误，应为 YYYY-MM-DD（如 2026-03-01）\n"),
    (["--as-of", "2026-02-30"], "错误：--as-of 有误：日期“2026-02-30”不存在：2026 年 2 月只有 28 天\n"),
    (["--apply", "--as-of", "2026-03-16"],
     "错误：--apply 只能写入已经发生的变更：--as-of 2026-03-16 晚于今天（北京时间 2026-03-15）\n"),
    (["--format", "csv"], "错误：--format 只能是 text 或 json，现在是“csv”\n"),
])
def test_bad_input_changes_nothing(registry: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                   message: str) -> None:
    before = snapshot(registry)
    assert run(capsys, "--registry", str(registry), *args) == (1, message)
    assert snapshot(registry) == before


def test_missing_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--registry", str(tmp_path / "nope"))
    assert (code, out) == (1, f"错误：找不到名册文件夹 {tmp_path / 'nope'}：请用 --registry 指定，或在项目根目录运行\n")


def test_apply_refuses_a_registry_with_other_errors(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hospital = registry / "institutions/I0001.yaml"
    hospital.write_text(hospital.read_text(encoding="utf-8").replace("type: hospital", "type: 医疗机构"), encoding="utf-8")
    before = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert code == 1
    assert out.startswith("错误：名册有 1 个其他错误，未写入任何变更：请先运行 roster validate 并修正（第一个：")
    assert snapshot(registry) == before


def test_apply_refuses_a_flow_style_history(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("status_history:")
    path.write_text(text[:start] + "status_history: [{date: 2023-03-01, status: active}]\nremarks: 示例\n",
                    encoding="utf-8")
    before = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert code == 1
    assert out == (f"错误：{registry}/experts/E0001.yaml 中 status_history 不是逐行列表（每项以“- ”开头）的写法，"
                   "无法自动修改：没有写入，请手工修改该文件\n")
    assert snapshot(registry) == before


def test_the_report_reconstructs_the_past(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--registry", str(registry), "--apply")[0] == 0
    reg = open_registry(registry, use_cache=False)
    e0001 = next(r for r in reg.records if r.id == "E0001")
    then = as_of_view(e0001, date(2026, 2, 28))
    assert then is not None and then[0].data["status"] == "active" and then[1] is True
    assert as_of_view(e0001, date(2023, 2, 28)) is None  # not yet in the pool
    # a month before the change, E0001's term was ending within 90 days
    items = [(i.record, i.kind, i.applicable) for i in plan(reg, date(2026, 2, 1)).items()]
    assert ("E0001", "term_ending", False) in items


# --- the demo registry ------------------------------------------------------------------------------


def test_demo_registry_as_of_2026_03_15(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-11-22")
    code, out = run(capsys, "--registry", str(REPO / "registry"), "--as-of", "2026-03-15", "--format", "json")
    assert code == 0
    listed = {(i["record"], i["kind"]) for roster in json.loads(out)["rosters"] for i in roster["items"]}
    assert listed == DEMO_2026_03_15


DEMO_2026_03_15 = {("E0004", "term_ending"), ("E0005", "term_ending"), ("E0006", "term_ending")}


def test_demo_registry_validates_with_its_exceptions(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2026-11-22")
    code = main(["validate", "--registry", str(REPO / "registry"), "--format", "json", "--no-cache"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["errors"] == 0, payload["findings"]
    reg = open_registry(REPO / "registry", use_cache=False)
    with_age_exceptions = [r.id for r in reg.records
                           if any(e.get("rule") == "admission.age" for e in r.data.get("exceptions") or [])]
    assert len(with_age_exceptions) >= 2


def test_a_suspended_expert_past_the_term_is_expired_by_apply(registry: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "experts/E0001.yaml"
    text = path.read_text(encoding="utf-8").replace("status: active  # 在库", "status: suspended").replace(
        "  # 以后的变更追加在这里\n", "  - date: 2025-10-01\n    status: suspended\n")
    path.write_text(text, encoding="utf-8")
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert code == 0, out
    assert "  二、已到期，须本局作出决定：无\n" in out
    written = path.read_text(encoding="utf-8")
    assert "status: expired" in written
    assert "    status: expired\n    reason: term_ended\n" in written
    assert f"{registry}/experts/E0001.yaml" in out


def test_a_change_that_brings_a_new_error_writes_nothing(registry: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real = changeset_module.ChangeSet.check

    def check_then_break(self: changeset_module.ChangeSet, *args: Any, **kwargs: Any) -> changeset_module.Checked:
        checked = real(self, *args, **kwargs)
        checked.new_errors.append(error("experts/E0001.yaml", 1, 1, "test.rule", "模拟的新错误"))
        return checked

    monkeypatch.setattr(changeset_module.ChangeSet, "check", check_then_break)
    before = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert (code, out) == (1, "错误：自动变更后名册会出现 1 个新的错误，未写入任何变更：experts/E0001.yaml: 模拟的新错误 [test.rule]\n")
    assert snapshot(registry) == before


def test_a_failed_write_changes_nothing(registry: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real = journal._apply
    calls: list[Path] = []

    def put_then_fail(path: Path, new: bytes) -> list[Path]:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(path, new)

    monkeypatch.setattr(journal, "_apply", put_then_fail)
    before = snapshot(registry)
    code, out = run(capsys, "--registry", str(registry), "--apply")
    assert (code, out) == (1, "错误：无法写入（No space left on device）：已撤回，没有修改任何文件\n")
    assert len(calls) == 2 and snapshot(registry) == before


@pytest.mark.parametrize(("history", "after"), [
    # the next field follows at once
    ("status_history:\n- date: 2023-03-01\n  status: active\nremarks: 示例\n",
     "status_history:\n- date: 2023-03-01\n  status: active\n- date: 2026-03-01\n  status: expired\n"),
    # the list is the last thing in a file without a final newline
    ("status_history:\n    - date: 2023-03-01\n      status: active",
     "status_history:\n    - date: 2023-03-01\n      status: active\n    - date: 2026-03-01\n      status: expired\n"),
    # an indented comment inside the last item stays with it
    ("status_history:\n  - date: 2023-03-01\n    status: active\n    # 聘任\n\nremarks: 示例\n",
     "    status: active\n    # 聘任\n  - date: 2026-03-01\n    status: expired\n"),
])
def test_history_layouts(history: str, after: str) -> None:
    text = person("E0001").split("status_history:")[0] + history
    record = Record("expert", Path("E0001.yaml"), "E0001.yaml", "E0001", "", load_bytes(text.encode()), [])
    item = Item("experts", "E0001", "张明", "E0001.yaml", 29, "term_ended", date(2026, 3, 1), "聘期", "expired",
                "term_ended", "《西藏专家库管理办法》第三十一条", True, True, "active")
    new = edit_status(record, text.encode(), item).decode()
    assert after in new
    assert new.replace("status: expired  # 在库", "status: active  # 在库").startswith(text.split("status_history:")[0])


def test_status_prompts_the_notices_the_regulation_requires() -> None:
    """XZ 第十四条: a drawn expert recommended by a unit — tell the unit; XZ 第二十七条: a bad-behaviour record —
    inform the expert's unit as the case requires. Both are prompts in `roster status`, never errors."""
    registry = open_registry(REPO / "registry", use_cache=False)
    experts = next(r for r in plan(registry, date(2026, 9, 10)).rosters if r.roster == "experts")
    drawn = [(n.record, n.citation) for n in experts.notices if "抽中" in n.matter]
    assert {("E0030", "《西藏专家库管理办法》第十四条"), ("E0048", "《西藏专家库管理办法》第十四条")} <= set(drawn)
    routes = {r.id: r.data["admission"]["route"] for r in registry.of_kind("expert")}
    assert {routes[ident] for ident, _ in drawn} == {"unit_recommended"}  # D2026-001's E0040 (invited) is not listed
    later = next(r for r in plan(registry, date(2025, 11, 1)).rosters if r.roster == "experts")
    told = [(n.record, n.matter, n.citation) for n in later.notices]
    assert ("E0017", "C2025-003（2025-10-22）列入不良行为记录：视情节轻重向所在单位通报", "《西藏专家库管理办法》第二十七条") in told
