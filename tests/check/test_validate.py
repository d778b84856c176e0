from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from roster.cli import main


@pytest.fixture(autouse=True)
def _inside_policy_period(monkeypatch: pytest.MonkeyPatch) -> None:
    # The mini registry follows xz-2023, whose trial period ended on 2026-02-02 (第三十三条), which is a
    # warning from then on; these tests are about other checks, so they run on a date inside it.
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_mini_registry_is_valid(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--registry", str(mini))
    assert code == 0, out
    assert out.strip().endswith("通过：检查了 4 个文件，0 个错误，0 个警告。")


def test_unknown_field_named_at_its_line_with_suggestion(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "gender: 男\n", "gender: 男\ngendre: 男\n")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1
    assert f"{mini}/experts/E0001.yaml:4:1: 错误: 有不认识的字段“gendre”（是不是“gender”？）" in out
    assert "[schema.unknown_field]" in out


def test_enum_error_explains_the_choices(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1
    assert "E0001.yaml:9:3: 错误: 字段 education.level（学历层次）的值 “phd” 不在允许的取值中" in out
    assert "college 大专" in out


def test_missing_required_field(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "gender: 男\n", "")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and ("E0001.yaml:1:1: 错误: 记录缺少必填字段“gender”：候选人的材料还没有收到时，可以在 incomplete 中列出这一项"
                          "（field 和应由哪份材料提供 source），入库前补齐 [schema.required]") in out


def test_bad_date_form_in_a_date_field(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "date: 2024-02-20", "date: 2024-3-1")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "字段 declarations.healthy.date（日期）的写法不对：“2024-3-1”" in out


def test_wrong_type(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "civil_servant: false", "civil_servant: 也许")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "字段 civil_servant（是否公务员）应为true 或 false，现在是 “也许”" in out


def test_chinese_names_of_codes_are_accepted_with_a_warning(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the tool shows staff (医药类, 副高, 是/否) is accepted; the warning gives the line to write."""
    expert = mini / "experts/E0001.yaml"
    edit(expert, "civil_servant: false", "civil_servant: 否")
    edit(expert, "category: medical", "category: 医药类")
    lines = expert.read_text(encoding="utf-8").splitlines()
    category = next(n for n, line in enumerate(lines, 1) if line.startswith("category:"))
    servant = next(n for n, line in enumerate(lines, 1) if line.startswith("civil_servant:"))
    code, out = run(capsys, "--registry", str(mini))
    assert code == 0
    shown = str(expert.relative_to(Path.cwd())) if expert.is_relative_to(Path.cwd()) else str(expert)
    assert f"{shown}:{category}:1: 警告: category 写的是“医药类”，已按 医药类（medical） 处理：名册中统一写代码，请改为 category: medical [schema.chinese_value]" in out
    assert f"{shown}:{servant}:1: 警告: civil_servant 写的是“否”，已按 false（否）处理：名册中统一写 true 或 false，请改为 civil_servant: false [schema.chinese_value]" in out


def test_a_numeric_code_needs_no_quotes(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unit = mini / "institutions/I0002.yaml"
    text = unit.read_text(encoding="utf-8")
    assert 'region: "540199"' in text
    unit.write_text(text.replace('region: "540199"', "region: 540199"), encoding="utf-8")
    code, out = run(capsys, "--registry", str(mini))
    assert (code, out) == (0, "通过：检查了 4 个文件，0 个错误，0 个警告。\n")


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("civil_servant: false", "civil_servant: no", "yaml.implicit_type"),
    ("name: 张明\n", "name: 张明\nname: 张敏\n", "yaml.duplicate_key"),
    ("name: 张明", "name:\t张明", "yaml.tab"),
])
def test_strict_yaml_errors_reach_the_report(mini: Path, capsys: pytest.CaptureFixture[str],
                                              old: str, new: str, rule: str) -> None:
    edit(mini / "experts/E0001.yaml", old, new)
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and f"[{rule}]" in out


def test_gbk_and_bom_files(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "experts/E0001.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    bom = mini / "institutions/I0002.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + bom.read_bytes())
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1
    assert "E0001.yaml:2:7: 错误: 文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码" in out
    assert "I0002.yaml:1:1: 错误: 文件开头有 BOM" in out


def test_all_errors_at_once(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    edit(mini / "institutions/I0001.yaml", "type: hospital", "type: 医疗机构")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "2 个错误" in out


def test_id_must_equal_file_name(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "experts/E0001.yaml").rename(mini / "experts/E0009.yaml")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "E0009.yaml:1:1: 错误: 编号“E0001”与文件名“E0009.yaml”不一致" in out


def test_unresolved_reference(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "employer: I0001", "employer: I0077")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "E0001.yaml:7:1: 错误: employer 引用的单位“I0077”不存在" in out


def test_legal_entity_must_be_a_root(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "institutions/I0001.yaml", "legal_entity: I0001", "legal_entity: I0002")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "[integrity.legal_entity]" in out


def test_status_must_match_history_and_follow_transitions(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "status: active\n", "status: removed\n")
    edit(mini / "experts/E0001.yaml", "    status: active\n",
         "    status: active\n  - date: 2025-01-01\n    status: removed\n    reason: three_bad_records\n"
         "  - date: 2025-06-01\n    status: active\n")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1
    assert "状态不能从 removed（移出）变为 active：移出是终局状态" in out
    assert "[lifecycle.status_matches_history]" in out


def test_year_folder_must_match_id(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "conduct/2025/C2026-001.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("id: C2026-001\nperson: E0001\nkind: evaluation\ndate: 2026-01-05\ndescription: 评价\n",
                    encoding="utf-8")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and "[integrity.year_folder]" in out


@pytest.mark.parametrize(("line", "rule"), [
    ("remarks: 身份证 11010519491231002X\n", "privacy.id_number"),
    ("remarks: 手机 13912345678\n", "privacy.mobile"),
    ("remarks: 邮箱 zhang.ming@example.com\n", "privacy.email"),
    ("wechat: zhangming1975\n", "privacy.field"),
])
def test_personal_data_guard(mini: Path, capsys: pytest.CaptureFixture[str], line: str, rule: str) -> None:
    path = mini / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1 and f"[{rule}]" in out
    assert "11010519491231002X" not in out and "13912345678" not in out


def test_id_number_with_wrong_check_digit_is_not_flagged(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "experts/E0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "remarks: 编号 110105194912310028\n", encoding="utf-8")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 0, out


def test_json_format(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    code, out = run(capsys, "--registry", str(mini), "--format", "json")
    payload = json.loads(out)
    assert code == 1 and payload["valid"] is False and payload["errors"] == 1
    [finding] = payload["findings"]
    assert (finding["line"], finding["column"], finding["rule"], finding["record"]) == (9, 3, "schema.enum", "E0001")


def test_github_format_and_job_summary(mini: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    code, out = run(capsys, "--registry", str(mini), "--format", "github")
    assert code == 1
    assert f"::error file={mini}/experts/E0001.yaml,line=9,col=3,title=schema.enum::字段 education.level" in out
    assert "| 错误 |" in summary.read_text(encoding="utf-8")


def test_missing_registry_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--registry", str(tmp_path / "nope"))
    assert code == 2 and "找不到名册文件夹" in out


def test_environment_variable_selects_registry(mini: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_REGISTRY", str(mini))
    code, _ = run(capsys)
    assert code == 0


def test_cache_never_stale(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--registry", str(mini))[0] == 0
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    assert run(capsys, "--registry", str(mini))[0] == 1
    edit(mini / "experts/E0001.yaml", "level: phd", "level: master")
    assert run(capsys, "--registry", str(mini))[0] == 0


def test_validation_changes_nothing_on_disk(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "level: master", "level: phd")
    before = {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}
    run(capsys, "--registry", str(mini))
    assert before == {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}


# -- against the base of a pull request ---------------------------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(mini: Path) -> Path:
    root = mini.parent
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    return root


def test_base_unchanged_is_valid(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--registry", str(repo / "registry"), "--base", "main")[0] == 0


def test_base_deleted_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "registry/institutions/I0002.yaml").unlink()
    code, out = run(capsys, "--registry", str(repo / "registry"), "--base", "main")
    assert code == 1 and "[history.deleted]" in out and "registry/institutions/I0002.yaml" in out


def test_base_forbidden_transition_and_rewritten_history(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "registry/experts/E0001.yaml"
    edit(path, "status: active\n", "status: candidate\n")
    edit(path, "    status: active\n", "    status: candidate\n")
    code, out = run(capsys, "--registry", str(repo / "registry"), "--base", "main")
    assert code == 1
    assert "状态从 active（在库）（基准版本 main）变为 candidate，不是允许的变更" in out
    assert "[history.rewritten]" in out


def test_base_allowed_transition(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "registry/experts/E0001.yaml"
    edit(path, "status: active\n", "status: withdrawn\n")
    path.write_text(path.read_text(encoding="utf-8") + "  - date: 2025-05-01\n    status: withdrawn\n", encoding="utf-8")
    code, out = run(capsys, "--registry", str(repo / "registry"), "--base", "main")
    assert code == 0, out


def test_base_id_reused_for_another_person(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "registry/experts/E0001.yaml"
    edit(path, "name: 张明", "name: 王芳")
    edit(path, "birth: 1975-06", "birth: 1980-02")
    code, out = run(capsys, "--registry", str(repo / "registry"), "--base", "main")
    assert code == 1 and out.count("[history.identity]") == 2 and "编号一经使用就只属于这个人" in out


def test_base_unknown_revision_is_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--registry", str(repo / "registry"), "--base", "no-such-branch")
    assert code == 2 and "找不到基准版本“no-such-branch”" in out


def test_cache_in_a_git_work_tree_sees_unstaged_edits_of_the_same_size(repo: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    registry = repo / "registry"
    assert run(capsys, "--registry", str(registry))[0] == 0
    # same size and (very likely) the same second as git's index: git must still report it changed
    edit(registry / "experts/E0001.yaml", "level: master", "level: mastex")
    code, out = run(capsys, "--registry", str(registry))
    assert code == 1 and "“mastex”" in out
    git(repo, "add", ".")
    code, out = run(capsys, "--registry", str(registry))
    assert code == 1 and "“mastex”" in out
    edit(registry / "experts/E0001.yaml", "level: mastex", "level: master")
    assert run(capsys, "--registry", str(registry))[0] == 0


# --- dates that do not exist (issue 11) -------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "line", "why"), [
    ("end: 2027-03-31", "end: 2026-02-30", 28, "日期“2026-02-30”不存在：2026 年 2 月只有 28 天"),
    ("end: 2027-03-31", "end: 2026-02-29", 28, "日期“2026-02-29”不存在：2026 年 2 月只有 28 天"),
    ("end: 2027-03-31", 'end: "2027-03-31\\n"', 28, "后面多了换行或空格"),
    ("end: 2027-03-31", "end: |\n    2027-03-31", 28, "后面多了换行或空格"),
    ("date: 2024-02-20", "date: 2024-04-31", 17, "日期“2024-04-31”不存在：2024 年 4 月只有 30 天"),
    ("birth: 1975-06", 'birth: "1975-06\\n"', 4, "后面多了换行或空格"),
])
def test_a_date_that_does_not_exist_is_an_error_at_its_line(mini: Path, capsys: pytest.CaptureFixture[str],
                                                          old: str, new: str, line: int, why: str) -> None:
    edit(mini / "experts/E0001.yaml", old, new)
    code, out = run(capsys, "--registry", str(mini))
    assert code == 1, out
    assert f"E0001.yaml:{line}:" in out and "[schema.format]" in out and why in out


def test_leap_day_of_a_leap_year_is_a_date(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "experts/E0001.yaml", "date: 2024-02-20", "date: 2024-02-29")
    code, out = run(capsys, "--registry", str(mini))
    assert code == 0, out


def test_a_date_that_does_not_exist_never_passes_the_fast_path() -> None:
    from roster.check.fastcheck import compile_predicate
    from roster.check.schemas import SchemaSet

    schemas = SchemaSet()
    fast = compile_predicate("x", {**schemas.documents, "x": {"$ref": "common.schema.json#/$defs/date"}})
    assert fast is not None
    assert fast("2026-02-28") and fast("2024-02-29")
    assert not fast("2026-02-30") and not fast("2026-02-29") and not fast("2026-02-28\n")
