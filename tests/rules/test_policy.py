"""Presets as data: schema, completeness, the bureau's settings, validity, docs pages, `roster policy`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rulekit import XZ, Maker, expert, only, with_policy

from roster.cli import main
from roster.policies import (
    labels,
    load_preset,
    preset_data,
    preset_ids,
    read_bureau_settings,
    render_markdown,
    render_text,
)
from roster.policies.presets import PresetError
from roster.rules import KNOWN_RULES

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas/policy.schema.json").read_text(encoding="utf-8"))
CLAUSE = re.compile(r"^第[一二三四五六七八九十]+条")


def test_shipped_presets() -> None:
    assert preset_ids() == ["gy-2022", "jn", "xz-2023"]


def test_the_policy_schema_is_a_valid_schema_with_chinese_everywhere() -> None:
    Draft202012Validator.check_schema(SCHEMA)

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                for name, sub in node["properties"].items():
                    assert "title" in sub and "description" in sub, f"{where}.{name} needs a Chinese title and description"
                    assert re.search(r"[\u4e00-\u9fff]", sub["title"] + sub["description"])
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")

    walk(SCHEMA, "policy")


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_every_preset_is_valid_against_the_schema(preset_id: str) -> None:
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(preset_data(preset_id)), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert preset_data(preset_id)["id"] == preset_id


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_every_preset_rule_is_implemented_and_its_codes_exist(preset_id: str) -> None:
    preset = load_preset(preset_id)
    codes = {r.code for r in preset.reasons}
    assert len(codes) == len(preset.reasons), "reason codes are unique within a preset"
    for spec in preset.rules.values():
        assert spec.id in KNOWN_RULES, f"{preset_id}: {spec.id} has no implementation"
        assert CLAUSE.match(spec.clause)
        for param in spec.params.values():
            values = param.value if isinstance(param.value, list) else [param.value]
            allowed = codes if param.choices == "reasons" else set(labels().get(param.choices or "", {}))
            if param.choices:
                assert set(values) <= allowed, f"{preset_id} {spec.id}.{param.name}: {values}"
    for reason in preset.reasons:
        assert CLAUSE.match(reason.clause)


def test_citations_use_the_short_title_and_the_documents_own_numbering() -> None:
    xz = load_preset("xz-2023")
    assert xz.cite(xz.rules["admission.age"].clause) == "《西藏专家库管理办法》第六条 基本条件（四）"
    assert xz.effective.until == "2026-02-02" and xz.document.number == "藏医保发〔2023〕6号"
    assert load_preset("gy-2022").cite("第九条（八）") == "《贵阳专家库管理规定》第九条（八）"
    assert load_preset("jn").cite("第十二条（五）") == "《晋宁社会监督员管理办法》第十二条（五）"


def test_unknown_preset() -> None:
    with pytest.raises(PresetError, match="没有名为“xz-2099”的政策预设，可用的预设：gy-2022、jn、xz-2023"):
        load_preset("xz-2099")


# --- policy.validity -------------------------------------------------------------------------------


def test_xz_trial_period_ends_on_2026_02_02(make: Maker) -> None:
    settings = with_policy("experts", "xz-2023", disabled=[])
    built = make(expert(), settings=settings)
    assert built.findings("2026-02-02") == []
    finding = only(built.findings("2026-02-03"))
    assert (finding.rule, finding.severity, finding.citation) == ("policy.validity", "warning", f"{XZ}第三十三条")
    assert (finding.path, finding.line) == ("registry.yaml", built.line("registry.yaml", "policy: xz-2023"))
    assert finding.message == (
        "政策预设 xz-2023 依据的《西藏自治区医疗保障基金监管专家库管理办法（试行）》有效期至 2026-02-02 止"
        "（第三十三条：本办法自印发之日起施行，试行3年。），校验日 2026-02-03 已超过："
        "请确认是否已有新的办法或延期通知，并相应更换政策预设或调整参数")


def test_a_policy_not_yet_in_force(make: Maker) -> None:
    settings = with_policy("experts", "gy-2022", disabled=[{"rule": "admission.announcement", "reason": "测试"},
                                                           {"rule": "admission.route", "reason": "测试"}])
    finding = only(make(expert(), settings=settings).findings("2022-06-23", "policy.validity"))
    assert "自 2022-06-24 起施行，校验日 2022-06-23 尚未施行" in finding.message


# --- the bureau's settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(("rosters", "expected"), [
    ({"experts": {"policy": "xz-2099"}}, "没有名为“xz-2099”的政策预设"),
    ({"experts": {"policy": "jn"}}, "政策预设 jn 适用于社会监督员名册，不能用于专家库：请改选适用于专家库的预设（gy-2022、xz-2023）"),
    ({"experts": {"policy": "xz-2023", "overrides": {"admission.height": {"max": 1}}}},
     "要调整的规则“admission.height”不在政策预设 xz-2023 中"),
    ({"experts": {"policy": "xz-2023", "overrides": {"admission.age": {"max_years": 62}}}},
     "规则 admission.age 没有参数“max_years”：可调整的参数有 max_age（原则上的年龄上限（周岁））、hard_max_age"),
    ({"experts": {"policy": "xz-2023", "overrides": {"admission.age": {"max_age": "六十"}}}},
     "规则 admission.age 的参数 max_age（原则上的年龄上限（周岁））应为不小于 0 的整数，现在是 '六十'"),
    ({"experts": {"policy": "xz-2023", "overrides": {"admission.title": {"categories": ["medical", "law"]}}}},
     "的取值 law 不在允许的范围内，可选：medical、it、finance、policy"),
    ({"experts": {"policy": "xz-2023", "disabled": [{"rule": "admission.height", "reason": "测试理由"}]}},
     "要停用的规则“admission.height”不在政策预设 xz-2023 中"),
])
def test_settings_problems_are_errors_at_their_line(make: Maker, rosters: dict[str, Any], expected: str) -> None:
    settings = {**with_policy("experts", "xz-2023"), "rosters": {**rosters, "supervisors": {"policy": "jn"}}}
    found = [f for f in make(expert(), settings=settings).findings("2026-01-15") if f.rule == "policy.settings"]
    finding = only(found)
    assert finding.severity == "error" and finding.path == "registry.yaml" and finding.line > 1
    assert expected in finding.message


def test_a_disabled_rule_does_not_run(make: Maker) -> None:
    settings = with_policy("experts", "xz-2023", disabled=[{"rule": "admission.age", "reason": "测试：本局另有规定"}])
    assert make(expert(birth="1960-02"), settings=settings).findings("2026-01-15", "admission.age") == []


def test_records_without_a_policy_are_a_warning(make: Maker) -> None:
    settings = {**with_policy("experts", "xz-2023"), "rosters": {"supervisors": {"policy": "jn"}}}
    finding = only(make(expert(), settings=settings).findings("2026-03-15"))
    assert (finding.rule, finding.severity) == ("policy.settings", "warning")
    assert "名册中有专家记录，但 rosters.experts 没有选择政策预设" in finding.message


# --- docs pages and the command ---------------------------------------------------------------------


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_markdown_page_lists_every_rule_with_clause_and_parameters(preset_id: str) -> None:
    page = render_markdown(preset_id)
    preset = load_preset(preset_id)
    assert page.startswith(f"# {preset.name}\n")
    for spec in preset.rules.values():
        assert f"（{spec.id}） {{#{spec.id.replace('.', '-').replace('_', '-')}}}" in page
        assert f"- 依据：{spec.citation(preset.cite(spec.clause))}" in page
        for param in spec.params.values():
            assert f"| `{param.name}` | {param.label} |" in page
    for reason in preset.reasons:
        assert f"| `{reason.code}` |" in page


def test_markdown_page_details() -> None:
    page = render_markdown("xz-2023")
    assert "| 有效期 | 2023-02-03 至 2026-02-02（第三十三条：本办法自印发之日起施行，试行3年。） |" in page
    assert "| `categories` | 适用的专家类别 | medical（医药类）、finance（财务类）、it（信息技术类） |" in page
    assert "| `term_ended` | 在库有效期满且未提出连任申请 | 《西藏专家库管理办法》第三十一条 | 是（roster status --apply） |" in page
    assert "> 身体健康，年龄原则上不超过60周岁，特殊情况可放宽至65周岁。" in page



def test_the_page_shows_each_declaration_item_with_its_clause_and_where_the_form_has_it() -> None:
    page = render_markdown("xz-2023")
    assert ("| 未受过行政处罚或处分（`no_admin_penalty`） | 《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分 | "
            "附件1 申请表“诚信声明”不载此项：本人另行签署的书面承诺，或资格审查（第九条（三））中的核实 |") in page
    assert ("| 无刑事犯罪记录（`no_criminal_record`） | 《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）：无刑事犯罪记录 | "
            "附件1 申请表“诚信声明”第2项“本人无犯罪记录及严重失信行为” |") in page
    guiyang = render_markdown("gy-2022")
    assert ("| 无医保信用体系评价不良记录（`no_credit_record`） | 《贵阳专家库管理规定》第六条（六）：无……医保信用体系评价不良记录 | "
            "本人签署的书面承诺，或市医保局审核（第六条（五）） |") in guiyang
    assert "| 事项 | 依据 | 材料 |" not in render_markdown("jn")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_policy_list(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    code, out = run(capsys, "policy", "list", "--registry", str(mini))
    assert code == 0
    assert out == (
        "gy-2022  专家库  《贵阳市医疗保障管理服务专家库管理规定（试行）》（试行，筑医保发〔2022〕13号）\n"
        "jn  社会监督员名册  《昆明市晋宁区医疗保障基金社会监督员管理办法（征求意见稿）》（征求意见稿）\n"
        "xz-2023  专家库  《西藏自治区医疗保障基金监管专家库管理办法（试行）》（试行，藏医保发〔2023〕6号）  ← 本局专家库采用\n")


def test_policy_show_markdown_is_the_docs_page(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = run(capsys, "policy", "show", "jn", "--format", "markdown", "--registry", str(tmp_path))
    assert code == 0 and out == render_markdown("jn")


def test_policy_show_text_includes_the_bureaus_overrides(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    settings = mini / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "    policy: xz-2023\n",
        "    policy: xz-2023\n    overrides:\n      admission.age: {max_age: 62}\n"
        "    disabled:\n      - {rule: admission.priority, reason: 本局不作优先标注}\n"), encoding="utf-8")
    code, out = run(capsys, "policy", "show", "xz-2023", "--registry", str(mini))
    assert code == 0 and out == render_text("xz-2023", read_bureau_settings(mini)["xz-2023"][1])
    assert "    max_age（原则上的年龄上限（周岁））= 60  → 本局：62\n" in out
    assert "  admission.priority  优先纳入（本局已停用：本局不作优先标注）\n" in out


@pytest.mark.parametrize(("args", "message"), [
    (["policy", "show", "nope"], "错误：没有名为“nope”的政策预设，可用的预设：gy-2022、jn、xz-2023\n"),
    (["policy", "show", "jn", "--format", "html"], "错误：--format 只能是 text 或 markdown，现在是“html”\n"),
])
def test_policy_show_bad_input(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run(capsys, *args) == (1, message)


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_the_policy_page_shows_removal_finality_and_every_draw_clause(preset_id: str) -> None:
    page = render_markdown(preset_id)
    preset = load_preset(preset_id)
    assert ("## 移出是否终局\n\n是：" in page) == (preset_id == "xz-2023")
    for kind in preset.draw.clauses:
        assert f"（`{kind}`） | {preset.draw_citation(kind)} |" in page
