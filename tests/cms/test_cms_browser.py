"""The staff editor in a real browser, with the local backend (decap-server, git mode) on a scratch copy of the
demo registry: every save is a commit on its own branch cms/<集合>/<编号>, as a pull request would be."""

from __future__ import annotations

import pytest
from editorkit import Editor, Form, git

from roster.cli import main

pytestmark = pytest.mark.browser

NEW_EXPERT = """\
# yaml-language-server: $schema=../../schemas/expert.schema.json
id: E0063
name: 测试专家
gender: 女
birth: 1980-05
ethnicity: 汉族
category: finance
specialties:
  - 医院财务
employer: I0001
education:
  level: master
title:
  level: intermediate
  since: 2012-12
work_start: 2005-07
civil_servant: false
declarations:
  healthy:
    confirmed: true
    source: pledge
    date: 2026-11-20
  no_criminal_record:
    confirmed: true
    source: pledge
    date: 2026-11-20
  no_admin_penalty:
    confirmed: true
    source: pledge
    date: 2026-11-20
  never_disqualified:
    confirmed: true
    source: pledge
    date: 2026-11-20
admission:
  route: open_call
status: candidate
status_history:
  - date: 2026-11-20
    status: candidate
"""


def validate_branch(editor: Editor, branch: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`roster validate --base main` on a clone of the branch (decap-server keeps using its own work tree)."""
    clone = editor.repo.parent / f"clone-{branch.replace('/', '-')}"
    git(editor.repo.parent, "clone", "-q", "--branch", branch, str(editor.repo), str(clone))
    code = main(["validate", "--registry", str(clone / "registry"), "--base", "origin/main", "--no-cache"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_create_an_expert_by_choosing_chinese_labels(editor: Editor, form: Form,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    form.login()
    form.open("#/collections/experts/new")
    form.fill("专家编号", "E0063")
    form.fill("姓名", "测试专家")
    form.choose("性别", "女")
    form.fill("出生年月", "1980-05")
    form.fill("民族", "汉族")
    form.choose("专家类别", "财务类")
    form.add("专业")
    form.fill("专业", "医院财务")
    form.relate("工作单位", "人民医院", "I0001 示例市人民医院")
    form.choose("学历层次", "硕士研究生")
    form.choose("职称级别", "中级")
    form.fill("取得年月", "2012-12")
    form.fill("参加工作年月", "2005-07")
    # each declaration item is its own group: whether it holds, from which material, when
    for declaration in ("身体健康", "无刑事犯罪记录", "未受过行政处罚或处分", "未被取消评审专家资格"):
        form.expand(declaration)
        form.control("属实").click()
        form.choose("来源", "本人另行签署的书面承诺")
        form.fill("日期", "2026-11-20")
    form.choose("入库方式", "公开征集（个人自荐）")
    form.choose("状态", "候选")
    form.add("状态变更记录")
    form.fill("变更日期", "2026-11-20")
    form.choose("状态", "候选")
    form.screenshot("cms-new-expert-form")
    form.save()
    form.screenshot("cms-new-expert-saved")

    # the editorial workflow: a branch with one commit adding one file, named after the id
    assert "cms/experts/e0063" in git(editor.repo, "branch", "--list", "cms/*")
    changed = git(editor.repo, "diff", "--name-status", "main", "cms/experts/e0063")
    assert changed == "A\tregistry/experts/E0063.yaml\n"
    assert git(editor.repo, "show", "cms/experts/e0063:registry/experts/E0063.yaml") == NEW_EXPERT
    code, out = validate_branch(editor, "cms/experts/e0063", capsys)
    assert code == 0, out
    assert form.foreign == [] and form.errors == []


def test_editing_specialties_changes_only_that_field(editor: Editor, form: Form,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    form.login()
    form.open("#/collections/experts/entries/E0001")
    form.add("专业")
    form.fill("专业", "医保结算清单审核")
    form.save()
    form.screenshot("cms-edit-specialties-saved")

    diff = git(editor.repo, "diff", "-U0", "main", "cms/experts/E0001")
    changes = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changes == ["+  - 医保结算清单审核"], diff
    assert "@@ -10,0 +11 @@ specialties:" in diff  # added after the two specialties already there
    code, out = validate_branch(editor, "cms/experts/E0001", capsys)
    assert code == 0, out
    assert form.foreign == [] and form.errors == []


def test_a_conduct_record_goes_to_the_year_of_its_id(editor: Editor, form: Form,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Decap would put it under the year it is saved in; roster-cms.js moves it to the year in its id."""
    before = set(git(editor.repo, "branch", "--list", "cms/*").split())
    form.login()
    form.open("#/collections/conduct/new", first_label="记录编号")
    form.fill("记录编号", "C2025-004")
    form.fill("当事人", "E0003")
    form.choose("类别", "表扬")
    form.fill("发生日期", "2025-12-01")
    form.fill("情况说明", "示例：年度专项检查中表现突出，提出的审核意见被采纳。")
    form.save()
    form.screenshot("cms-new-conduct-saved")

    new = set(git(editor.repo, "branch", "--list", "cms/*").split()) - before
    assert len(new) == 1, new
    (branch,) = new
    assert git(editor.repo, "diff", "--name-status", "main", branch) == "A\tregistry/conduct/2025/C2025-004.yaml\n"
    code, out = validate_branch(editor, branch, capsys)
    assert code == 0, out

    # “就绪”, then “发布”: merges the branch, as merging the pull request would
    form.page.get_by_role("button", name="状态: 草稿").click()
    form.page.get_by_role("menuitem", name="就绪").click()
    form.page.wait_for_selector("text=状态: 就绪")
    form.page.once("dialog", lambda dialog: dialog.accept())
    form.page.get_by_role("button", name="发布", exact=True).click()
    form.page.get_by_role("menuitem", name="立即发布").click()
    form.page.wait_for_selector("text=内容已发布", timeout=30_000)
    form.screenshot("cms-new-conduct-published")
    assert git(editor.repo, "ls-files", "registry/conduct/2025") .split() == [
        f"registry/conduct/2025/C2025-00{n}.yaml" for n in range(1, 5)]
    assert branch not in git(editor.repo, "branch", "--list", "cms/*").split()
    assert form.foreign == [] and form.errors == []
