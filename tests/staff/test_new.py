"""`roster new`: records from options or from Chinese prompts; checked before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import Run, nth, snapshot

from roster.cli import cli
from roster.yamlio.load import load_bytes

EXPERT = ["new", "expert", "--name", "张三", "--gender", "男", "--birth", "1975-06", "--category", "医药类",
          "--specialty", "心血管内科", "--specialty", "介入治疗", "--employer", "市人医", "--education", "master",
          "--title", "主任医师", "--title-level", "senior", "--title-since", "2015-12", "--work-start", "1998-07",
          "--civil-servant", "否", "--declarations-signed", "2026-12-10", "--healthy", "承诺书",
          "--no-criminal-record", "承诺书", "--no-admin-penalty", "承诺书", "--never-disqualified", "承诺书", "--route", "invited",
          "--consent-date", "2026-12-10", "--consent-reference", "示医保专家同意书〔2026〕05号"]

EXPERT_FILE = """\
# yaml-language-server: $schema=../../schemas/expert.schema.json
id: {id}
name: 张三
gender: 男
birth: 1975-06
category: medical
specialties:
  - 心血管内科
  - 介入治疗
employer: I0001
education:
  level: master
title:
  name: 主任医师
  level: senior
  since: 2015-12
work_start: 1998-07
civil_servant: false
declarations:
  healthy:
    confirmed: true
    source: pledge
    date: 2026-12-10
  no_criminal_record:
    confirmed: true
    source: pledge
    date: 2026-12-10
  no_admin_penalty:
    confirmed: true
    source: pledge
    date: 2026-12-10
  never_disqualified:
    confirmed: true
    source: pledge
    date: 2026-12-10
admission:
  route: invited
  consent:
    date: 2026-12-10
    reference: 示医保专家同意书〔2026〕05号
status: candidate
status_history:
  - date: 2026-12-18
    status: candidate
    reason: applied
    citation: 《西藏专家库管理办法》第八条
"""


def test_new_expert_from_options(demo: Path, run: Run) -> None:
    ident = nth(demo, "expert")
    code, out, err = run(*EXPERT)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"已新建专家 {ident}（张三）：registry/experts/{ident}.yaml",
        f"下一步：本人已书面同意的，入库：roster admit {ident} --date <入库日期>",
    ]
    assert (demo / f"experts/{ident}.yaml").read_text(encoding="utf-8") == EXPERT_FILE.format(id=ident)
    assert run("validate")[0] == 0
    assert run("admit", ident, "--date", "2026-12-18")[0] == 0


def test_missing_options_without_a_terminal_are_listed(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    assert run("new", "expert", "--name", "王五", "--route", "unit_recommended") == (
        2, "", "错误：缺少必填项：--gender（性别）、--birth（出生年月）、--category（专家类别）、--specialty（专业）、"
               "--employer（工作单位）、--education（学历层次）、--title-level（职称级别）、--work-start（参加工作年月）、"
               "--civil-servant（是否公务员）、--declarations-signed（承诺签署或核实日期）、--healthy（身体健康）、"
               "--no-criminal-record（无刑事犯罪记录）、--no-admin-penalty（未受过行政处罚或处分）、"
               "--never-disqualified（未被取消评审专家资格）、--recommended-by（推荐单位）："
               "请用选项或 --answers 答案文件写明，或在终端中运行本命令逐项填写\n")
    assert snapshot(demo.parent) == before


@pytest.mark.parametrize(("change", "message"), [
    (("--birth", "1975-13"), "--birth 有误：“1975-13”中的月份 13 无效，应为 01–12"),
    (("--category", "法律类"), "--category 有误：专家类别“法律类”不是可选的值：可选 医药类（medical）、信息技术类（it）、财务类（finance）、医保政策及管理类（policy）"),
    (("--civil-servant", "也许"), "--civil-servant 有误：是否公务员请写“是”或“否”，现在是“也许”"),
    # the date of something that has happened is never after today (the demo's today is 2026-12-18)
    (("--consent-date", "2027-01-05"), "--consent-date 有误：本人同意日期 2027-01-05 晚于今天（北京时间 2026-12-18）：只能登记已经发生的事"),
    (("--employer", "示例县医院"), "--employer 有误：名册中没有单位“示例县医院”（可写单位编号、名称或别名）；相近的单位：I0004 示例市藏医院、"
                                   "I0001 示例市人民医院、I0008 示例市中医医院；新单位请先运行 roster new institution"),
])
def test_bad_values_are_refused(demo: Path, run: Run, change: tuple[str, str], message: str) -> None:
    args = list(EXPERT)
    args[args.index(change[0]) + 1] = change[1]
    before = snapshot(demo.parent)
    assert run(*args) == (1, "", f"错误：{message}\n")
    assert snapshot(demo.parent) == before


def test_a_record_that_breaks_a_rule_is_not_written(demo: Path, run: Run) -> None:
    args = list(EXPERT)
    args[args.index("--title-level") + 1] = "intermediate"
    args[args.index("--title-since") + 1] = "2024-06"
    before = snapshot(demo.parent)
    code, out, err = run(*args)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith(f"registry/experts/{nth(demo, 'expert')}.yaml:16:3: 错误: 医药类专家取得中级职称（2024-06）")
    assert lines[0].endswith("[admission.title]")
    assert lines[1:] == ["    依据：《西藏专家库管理办法》第六条 专业条件（三）", "错误：修改后名册校验未通过（1 个错误）：没有写入任何文件"]
    assert snapshot(demo.parent) == before


def test_dry_run_prints_the_file(demo: Path, run: Run) -> None:
    before = snapshot(demo.parent)
    ident = nth(demo, "expert")
    code, out, _ = run(*EXPERT, "--dry-run")
    assert code == 0
    assert out.startswith(f"将新建专家 {ident}（张三）：registry/experts/{ident}.yaml（--dry-run，未写入）\n"
                          + EXPERT_FILE.format(id=ident))
    assert snapshot(demo.parent) == before


def test_prompts_in_chinese_on_a_terminal(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("roster.commands.new._interactive", lambda: True)
    answers = "\n".join(["张三", "男", "1975年6月", "医药类", "心血管内科、介入治疗", "市人医", "硕士研究生", "master",
                         "正高", "主任医师", "1998-07", "否", "2026-12-10", "承诺书", "承诺书", "承诺书", "承诺书",
                         "主动邀请", "2026-12-10", ""])
    ident = nth(demo, "expert")
    result = CliRunner().invoke(cli, ["new", "expert"], input=answers)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["姓名：张三", "性别（男、女）：男"]
    assert "学历层次（中专及以下、大专、本科、硕士研究生、博士研究生）：硕士研究生" in result.stdout
    assert "  学历层次“硕士研究生”不是可选的值" not in result.stdout
    assert f"已新建专家 {ident}（张三）：registry/experts/{ident}.yaml" in result.stdout
    record = load_bytes((demo / f"experts/{ident}.yaml").read_bytes()).data
    assert (record["birth"], record["specialties"], record["title"]["level"]) == ("1975-06", ["心血管内科", "介入治疗"], "senior")
    assert record["admission"] == {"route": "invited", "consent": {"date": "2026-12-10"}}


def test_a_bad_answer_is_asked_again(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("roster.commands.new._interactive", lambda: True)
    answers = "\n".join(["示例市第三人民医院", "医疗机构", "hospital", ""])
    unit = nth(demo, "institution")
    result = CliRunner().invoke(cli, ["new", "institution"], input=answers)
    assert result.exit_code == 0, result.output
    assert "  单位类型“医疗机构”不是可选的值：可选 医院（hospital）" in result.stderr
    assert load_bytes((demo / f"institutions/{unit}.yaml").read_bytes()).data == {
        "id": unit, "name": "示例市第三人民医院", "type": "hospital", "legal_entity": unit, "region": "540199"}


def test_new_institution_supervisor_and_conduct(demo: Path, run: Run) -> None:
    unit, person, event = nth(demo, "institution"), nth(demo, "supervisor"), nth(demo, "conduct", year=2026)
    assert run("new", "institution", "--name", "示例市第三人民医院", "--alias", "市三院", "--type", "医院",
               "--level", "二级甲等", "--designated", "medical", "--designated-since", "2021-01-01")[0] == 0
    assert load_bytes((demo / f"institutions/{unit}.yaml").read_bytes()).data == {
                    "id": unit, "name": "示例市第三人民医院", "aliases": ["市三院"], "type": "hospital", "level": "二级甲等",
                    "legal_entity": unit, "region": "540199", "designated": {"kind": "medical", "since": "2021-01-01"}}
    code, out, _ = run("new", "supervisor", "--name", "李四", "--gender", "女", "--birth", "1970-03", "--route", "open",
                       "--background", "law", "--pledge-signed", "2026-12-01", "--claim", "市三院", "--claim", "I0018")
    assert code == 0
    assert out.splitlines()[0] == f"已新建社会监督员 {person}（李四）：registry/supervisors/{person}.yaml"
    supervisor = load_bytes((demo / f"supervisors/{person}.yaml").read_bytes()).data
    assert supervisor["claims"] == [unit, "I0018"]
    assert supervisor["status_history"] == [{"date": "2026-12-18", "status": "candidate", "reason": "applied",
                                             "citation": "《晋宁社会监督员管理办法》第五条"}]
    code, out, _ = run("new", "conduct", "--person", "E0012", "--kind", "absence", "--date", "2026-12-10",
                       "--excused", "否", "--description", "接受邀请后未到场，也未事先告知。")
    assert code == 0
    assert out == f"已新建履职记录 {event}（接受邀请后未到场，也未事先告知。）：registry/conduct/2026/{event}.yaml\n"
    conduct = load_bytes((demo / f"conduct/2026/{event}.yaml").read_bytes()).data
    assert conduct == {"id": event, "person": "E0012", "kind": "absence", "date": "2026-12-10",
                       "clause": "《西藏专家库管理办法》第二十七条（一）", "excused": False,
                       "description": "接受邀请后未到场，也未事先告知。"}
    assert run("validate")[0] == 0


PIPED = ["张三", "男", "1975-06", "医药", "心血管内科", "市人医", "本科", "中级", "主治医师", "2012-06", "2024-07", "否",
         "2026-12-10", "是", "是", "审查", "审查", "单位推荐", "市人医"]


def test_piped_answers_ask_what_a_middle_title_needs_and_a_rule_failure_is_asked_again(demo: Path) -> None:
    """中级 asks the title's name and date; 2024-07 is not five years of work, so only it is asked again."""
    ident = nth(demo, "expert")
    result = CliRunner().invoke(cli, ["new", "expert"], input="\n".join([*PIPED, "1998-07", ""]))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[7:11] == [
        "职称级别（无职称、初级、中级、副高级、正高级）：中级",
        "职称名称：主治医师",
        "取得年月：2012-06",
        "参加工作年月：2024-07",
    ]
    assert result.stderr.splitlines() == [
        "  参加工作年月：自参加工作（2024-07）至校验日 2026-12-18 共 2 年 5 个月，不满 5 年：须工作满 5 年（60 个月）"
        "（依据：《西藏专家库管理办法》第六条 专业条件（二）），请重新输入。",
    ]
    assert lines[-3:-1] == ["参加工作年月：1998-07", f"已新建专家 {ident}（张三）：registry/experts/{ident}.yaml"]
    record = load_bytes((demo / f"experts/{ident}.yaml").read_bytes()).data
    assert record["title"] == {"name": "主治医师", "level": "intermediate", "since": "2012-06"}
    assert (record["category"], record["civil_servant"], record["admission"]) == (
        "medical", False, {"route": "unit_recommended", "recommended_by": "I0001"})


def test_piped_answers_that_run_out_are_listed(demo: Path) -> None:
    before = snapshot(demo.parent)
    result = CliRunner().invoke(cli, ["new", "expert"], input="\n".join(PIPED[:3]) + "\n")
    assert result.exit_code == 2
    assert result.stderr == ("错误：缺少必填项：--category（专家类别）、--specialty（专业）、--employer（工作单位）、--education（学历层次）、"
                             "--title-level（职称级别）、--work-start（参加工作年月）、--civil-servant（是否公务员）、"
                             "--declarations-signed（承诺签署或核实日期）、--healthy（身体健康）、--no-criminal-record（无刑事犯罪记录）、"
                             "--no-admin-penalty（未受过行政处罚或处分）、--never-disqualified（未被取消评审专家资格）、--route（入库方式）："
                             "请用选项或 --answers 答案文件写明，或在终端中运行本命令逐项填写\n")
    assert snapshot(demo.parent) == before


def test_answers_from_a_file(demo: Path, tmp_path: Path, run: Run) -> None:
    answers = tmp_path / "答案.yaml"
    answers.write_text("姓名: 张三\ngender: 男\nbirth: 1975-06\n专家类别: 医药类\nspecialty: [心血管内科, 介入治疗]\n"
                       "employer: 市人医\neducation: 硕士\ntitle-level: 正高\ntitle: 主任医师\nwork-start: 1998-07\n"
                       "civil-servant: 否\ndeclarations-signed: 2026-12-10\n身体健康: 承诺书\nno-criminal-record: 承诺书\n"
                       "未受过行政处罚或处分: 审查\nnever-disqualified: 审查\nroute: 主动邀请\nconsent-date: 2026-12-10\n",
                       encoding="utf-8")
    ident = nth(demo, "expert")
    code, _, err = run("new", "expert", "--answers", str(answers), "--name", "张四")
    assert (code, err) == (0, "")
    record = load_bytes((demo / f"experts/{ident}.yaml").read_bytes()).data
    assert (record["name"], record["specialties"], record["education"], record["title"]) == (
        "张四", ["心血管内科", "介入治疗"], {"level": "master"}, {"name": "主任医师", "level": "senior"})
    assert {code: item["source"] for code, item in record["declarations"].items()} == {
        "healthy": "pledge", "no_criminal_record": "pledge", "no_admin_penalty": "review", "never_disqualified": "review"}
    answers.write_text("电话: 13800000000\n", encoding="utf-8")
    code, _, err = run("new", "expert", "--answers", str(answers))
    assert code == 1 and err.startswith(f"错误：答案文件 {answers} 中有不认识的项“电话”：可用的项为 name、gender")


def test_new_reports_a_likely_duplicate_person(demo: Path, run: Run) -> None:
    """The same name, gender and birth month as E0003 without keys: written, with the identity.duplicate warning."""
    args = list(EXPERT)
    args[args.index("张三")], args[args.index("1975-06")] = "陈立平", "1971-02"
    code, _, err = run(*args)
    assert code == 0
    assert "姓名、性别、出生年月与 E0003（陈立平）（registry/experts/E0003.yaml）相同" in err
    assert "[identity.duplicate]" in err


# --- declarations: one answer per item, from the material in hand ------------------------------------


def test_an_item_the_form_does_not_carry_cannot_be_answered_yes(demo: Path, run: Run) -> None:
    """附件1 诚信声明 has no line on administrative penalties: 是 (from the form) is refused, nothing written."""
    args = list(EXPERT)
    args[args.index("--no-admin-penalty") + 1] = "是"
    before = snapshot(demo.parent)
    assert run(*args) == (1, "", "错误：--no-admin-penalty 有误：“未受过行政处罚或处分”：附件1 申请表“诚信声明”不载此项，"
                                 "不能记为来自申请表：请写 承诺书（本人另行书面承诺）或 审查（资格审查核实）"
                                 "（依据：《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分）\n")
    assert snapshot(demo.parent) == before


def test_piped_items_are_asked_one_by_one_and_a_refused_item_is_asked_again(demo: Path) -> None:
    """Each item is its own question naming its clause and its place on the form; 否 breaks the item's own
    clause, so only that item is asked again."""
    ident = nth(demo, "expert")
    answers = [*PIPED[:10], "1998-07", "否", "2026-12-10", "是", "是", "是", "否", "审查", "单位推荐", "市人医", "审查", ""]
    result = CliRunner().invoke(cli, ["new", "expert"], input="\n".join(answers))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[12:17] == [
        "承诺签署或核实日期：2026-12-10",
        "承诺事项“身体健康，能胜任专家工作”（第六条 基本条件（四）；附件1 申请表“诚信声明”第1项“本人具备与履行医疗保障基金监管专家职责"
        "相适应的健康状况等条件”）：写 是、申请表、承诺书、审查 或 否：是",
        "承诺事项“无刑事犯罪记录”（第六条 基本条件（五）、第七条（二）；附件1 申请表“诚信声明”第2项“本人无犯罪记录及严重失信行为”）："
        "写 是、申请表、承诺书、审查 或 否：是",
        "承诺事项“未受过行政处罚或处分”（第六条 基本条件（五）、第七条（二）；附件1 申请表“诚信声明”不载此项：本人另行签署的书面承诺，"
        "或资格审查（第九条（三））中的核实）：写 承诺书、审查 或 否：是",
        "承诺事项“未受过行政处罚或处分”（第六条 基本条件（五）、第七条（二）；附件1 申请表“诚信声明”不载此项：本人另行签署的书面承诺，"
        "或资格审查（第九条（三））中的核实）：写 承诺书、审查 或 否：否",
    ]
    assert result.stderr.splitlines() == [
        "  “未受过行政处罚或处分”：附件1 申请表“诚信声明”不载此项，不能记为来自申请表：请写 承诺书（本人另行书面承诺）或 审查（资格审查核实）"
        "（依据：《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分），请重新输入。",
        "  未受过行政处罚或处分：承诺事项“未受过行政处罚或处分”（declarations.no_admin_penalty）为 false（本人未承诺或经核实不属实）："
        "不符合此项的不得入库。核实属实的改为 confirmed: true 并写明来源和日期；确不属实的候选人用 roster reject 不予入库"
        "（依据：《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）：未受过行政处罚或处分），请重新输入。",
    ]
    record = load_bytes((demo / f"experts/{ident}.yaml").read_bytes()).data
    assert record["declarations"] == {
        "healthy": {"confirmed": True, "source": "form", "date": "2026-12-10"},
        "no_criminal_record": {"confirmed": True, "source": "form", "date": "2026-12-10"},
        "no_admin_penalty": {"confirmed": True, "source": "review", "date": "2026-12-10"},
        "never_disqualified": {"confirmed": True, "source": "review", "date": "2026-12-10"},
    }


def test_a_guiyang_registry_asks_its_own_items(demo: Path, run: Run) -> None:
    """GY 第六条（四）（六）: health, no violations, no bad credit record — and no form to take them from."""
    settings = demo / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("policy: xz-2023", "policy: gy-2022"), encoding="utf-8")
    before = snapshot(demo.parent)
    code, _, err = run("new", "expert", "--name", "王五", "--route", "unit_recommended")
    assert code == 2
    assert "--declarations-signed（承诺签署或核实日期）、--healthy（身体健康）、--no-violation（无违法违纪记录）、" \
           "--no-credit-record（无医保信用不良记录）、--recommended-by（推荐单位）" in err
    assert "--no-admin-penalty" not in err
    args = list(EXPERT)
    for option in ("--no-admin-penalty", "--never-disqualified"):
        del args[args.index(option):args.index(option) + 2]
    args = [*args, "--no-violation", "承诺书", "--no-credit-record", "是"]
    assert run(*args) == (1, "", "错误：--no-credit-record 有误：“无医保信用体系评价不良记录”：规章没有附申请表，不能记为来自申请表："
                                 "请写 承诺书（本人另行书面承诺）或 审查（市医保局审核）"  # GY 第六条（五）“经市医保局审核”
                                 "（依据：《贵阳专家库管理规定》第六条（六）：无……医保信用体系评价不良记录）\n")
    assert snapshot(demo.parent) == before
