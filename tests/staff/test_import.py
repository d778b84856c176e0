"""`roster import`: the XZ 附件2 table (made here) as .xlsx and as GBK / UTF-8 CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Run, nth, snapshot
from sheets import ANNEX2, HEADER, broken_check_digit, id_number, table, write_csv, write_xlsx

from roster.check.pii import person_key, scan_text
from roster.yamlio.load import load_bytes

SECRET = "示例局密钥-0123456789abcdef"
ZHANG = id_number("19750612", 13)
LI = id_number("19820315", 24)
WANG = broken_check_digit(id_number("19800101", 25))
CIREN = id_number("19880920", 37)
PHONE, EMAIL, WECHAT = "13800000001", "zhang@example.com", "zmy_1975"
ANSWERS = ["是", "是", "审查", "审查"]
FORM1 = "附件1 申请表“诚信声明”第1项“本人具备与履行医疗保障基金监管专家职责相适应的健康状况等条件”"
FORM2 = "附件1 申请表“诚信声明”第2项“本人无犯罪记录及严重失信行为”"
ELSEWHERE = "附件1 申请表“诚信声明”不载此项：本人另行签署的书面承诺，或资格审查（第九条（三））中的核实"  # 身体健康, 无刑事犯罪记录 (附件1 诚信声明), the other two by the review


def zhang() -> list[str | int]:
    return [1, "张明远", "男", ZHANG, "市人医", "心内科主任", "心血管内科、介入治疗", "主任医师", "医药类", PHONE, EMAIL,
            WECHAT, "硕士研究生", "1998-07", "2015-12", "否", "2026-11-30", *ANSWERS]


def li() -> list[str | int]:
    return [2, "李静", "女", LI, "示例县人民医院", "财务科科长", "医院财务", "高级会计师", "财务类", "", "", "", "本科",
            "2004-07", "2016-05", "否", "2026-11-30", *ANSWERS]


def wang() -> list[str | int]:
    return [3, "王强", "男", WANG, "示例市中医医院", "医保办主任", "医保管理", "副主任医师", "医保政策及管理类", "", "", "",
            "本科", "2003-07", "2017-12", "否", "2026-11-30", *ANSWERS]


def ciren() -> list[str | int]:
    return [4, "次仁多吉", "男", CIREN, "示例大学", "信息中心副主任", "医疗大数据", "高级工程师", "信息技术类", "13900000002",
            "", "", "博士研究生", "2014-07", "2019-12", "否", "2026-11-30", *ANSWERS]


def text_of(registry: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(registry.rglob("*.yaml")))


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(demo: Path, tmp_path: Path, run: Run) -> None:
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang(), li(), wang()]))
    before = snapshot(demo.parent)
    code, out, err = run("import", str(book))
    assert (code, out) == (1, "")
    where = "推荐表.xlsx（工作表“汇总表”）"
    assert err.splitlines() == [
        f"{where} 第 6 行：名册中没有单位“示例县人民医院”；相近的单位：I0001 示例市人民医院、I0006 示例市第二人民医院、"
        "I0010 示例市西城区人民医院：如是同一单位的其他写法，请把这个写法加到该单位的 aliases 中；如是新单位，"
        "请先 roster new institution，或加 --create-institutions 自动建立",
        f"{where} 第 7 行：身份证号 54*************{WANG[-3:]} 无效（位数、出生日期或校验位不对）：请核对后重新填写",
        f"错误：{where} 有 2 行有误：没有写入任何文件",
    ]
    assert WANG not in err and ZHANG not in err
    assert snapshot(demo.parent) == before
    # --create-institutions fixes the unknown unit, not the bad ID number: still nothing written
    code, _, err = run("import", str(book), "--create-institutions")
    assert code == 1 and "第 7 行：身份证号" in err and "第 6 行" not in err
    assert snapshot(demo.parent) == before


def test_good_rows_become_candidates_without_personal_data(demo: Path, tmp_path: Path, run: Run,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_PERSON_KEY", SECRET)
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang(), li(), ciren()]))
    contacts = tmp_path / "联系方式.csv"
    e1, e2, e3, unit = nth(demo, "expert"), nth(demo, "expert", 1), nth(demo, "expert", 2), nth(demo, "institution")
    code, out, err = run("import", str(book), "--create-institutions", "--contacts-out", str(contacts))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "读取 推荐表.xlsx（工作表“汇总表”）：表头在第 4 行，3 人",
        "已新建专家候选人 3 人：",
        f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院）",
        f"  第 6 行 → {e2} 李静（财务类，{unit} 示例县人民医院）",
        f"  第 7 行 → {e3} 次仁多吉（信息技术类，I0021 示例大学）",
        "已新建单位 1 个（请核对单位类型、等级、所属法人单位和行政区划）：",
        f"  {unit} 示例县人民医院（医院）",
        "提示：身份证号：3 人，已换算为身份指纹 person_key（本局密钥 ROSTER_PERSON_KEY），身份证号本身没有写入名册。",
        "提示：手机号码、邮箱、微信号：2 人填写了联系方式，没有写入名册（个人信息保护法第二十五条；名册和网站不保存联系方式）；"
        f"已另存到仓库以外的文件 {contacts}，请妥善保管。",
        "已写入 5 个文件：",
        f"  {contacts}",
        f"  registry/experts/{e1}.yaml",
        f"  registry/experts/{e2}.yaml",
        f"  registry/experts/{e3}.yaml",
        f"  registry/institutions/{unit}.yaml",
        f"下一步：资格审查后公示：roster announce candidates {e1} {e2} {e3}",
    ]
    first = load_bytes((demo / f"experts/{e1}.yaml").read_bytes()).data
    assert first == {
        "id": e1, "name": "张明远", "gender": "男", "birth": "1975-06", "category": "medical",
        "specialties": ["心血管内科", "介入治疗"], "employer": "I0001", "position": "心内科主任",
        "education": {"level": "master"}, "title": {"name": "主任医师", "level": "senior", "since": "2015-12"},
        "work_start": "1998-07", "civil_servant": False,
        "declarations": {
            "healthy": {"confirmed": True, "source": "form", "date": "2026-11-30"},
            "no_criminal_record": {"confirmed": True, "source": "form", "date": "2026-11-30"},
            "no_admin_penalty": {"confirmed": True, "source": "review", "date": "2026-11-30"},
            "never_disqualified": {"confirmed": True, "source": "review", "date": "2026-11-30"}},
        "admission": {"route": "unit_recommended", "recommended_by": "I0001"},
        "status": "candidate",
        "status_history": [{"date": "2026-12-18", "status": "candidate", "reason": "applied",
                            "citation": "《西藏专家库管理办法》第八条", "note": "由推荐汇总表导入（推荐表.xlsx 第 5 行）"}],
        "person_key": person_key(ZHANG, SECRET.encode()),
    }
    assert (demo / f"experts/{e1}.yaml").read_text(encoding="utf-8").startswith(
        f"# yaml-language-server: $schema=../../schemas/expert.schema.json\nid: {e1}\nname: 张明远\n")
    second = load_bytes((demo / f"experts/{e2}.yaml").read_bytes()).data
    third = load_bytes((demo / f"experts/{e3}.yaml").read_bytes()).data
    assert (second["category"], second["employer"], second["title"]["level"], second["birth"]) == (
        "finance", unit, "associate_senior", "1982-03")
    assert (third["category"], third["employer"], third["education"]["level"]) == ("it", "I0021", "doctor")
    # no ID number, phone, e-mail or WeChat id reached the registry
    registry_text = text_of(demo)
    for secret in (ZHANG, LI, CIREN, PHONE, EMAIL, WECHAT, "13900000002"):
        assert secret not in registry_text
    for path in demo.rglob("*.yaml"):
        assert scan_text(path.read_text(encoding="utf-8")) == [], path
    # they are in the contacts file outside the repository, and nowhere else
    assert contacts.read_bytes().startswith(b"\xef\xbb\xbf")
    assert contacts.read_text(encoding="utf-8-sig").splitlines() == [
        "编号,姓名,工作单位,手机号码,邮箱,微信号",
        f"{e1},张明远,市人医,{PHONE},{EMAIL},{WECHAT}",
        f"{e3},次仁多吉,示例大学,13900000002,,",
    ]
    assert run("validate")[0] == 0


def test_without_the_key_the_id_number_is_dropped(demo: Path, tmp_path: Path, run: Run) -> None:
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()]))
    e1 = nth(demo, "expert")
    code, out, _ = run("import", str(book))
    assert code == 0
    assert "提示：身份证号：1 人，只用于核对出生年月和性别，没有写入名册（没有设置本局密钥 ROSTER_PERSON_KEY，未写入身份指纹 person_key）。" in out
    assert "如需保留，请加 --contacts-out <仓库以外的文件> 另存。" in out
    data = load_bytes((demo / f"experts/{e1}.yaml").read_bytes()).data
    assert "person_key" not in data and data["birth"] == "1975-06"
    text = text_of(demo)
    assert all(s not in text for s in (ZHANG, PHONE, EMAIL, WECHAT))


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8(demo: Path, tmp_path: Path, run: Run, encoding: str) -> None:
    sheet = write_csv(tmp_path / "推荐表.csv", table([zhang(), ciren()]), encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            sheet.read_bytes().decode("utf-8")
    e1, e2 = nth(demo, "expert"), nth(demo, "expert", 1)
    code, out, err = run("import", str(sheet))
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "读取 推荐表.csv：表头在第 4 行，2 人",
        "已新建专家候选人 2 人：",
        f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院）",
        f"  第 6 行 → {e2} 次仁多吉（信息技术类，I0021 示例大学）",
    ]
    assert load_bytes((demo / f"experts/{e2}.yaml").read_bytes()).data["name"] == "次仁多吉"
    text = text_of(demo)
    assert all(s not in text for s in (ZHANG, CIREN, PHONE, EMAIL, WECHAT))
    assert run("validate")[0] == 0


def test_dry_run_shows_and_writes_nothing(demo: Path, tmp_path: Path, run: Run) -> None:
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()]))
    before = snapshot(demo.parent)
    e1 = nth(demo, "expert")
    code, out, _ = run("import", str(book), "--dry-run")
    assert code == 0
    assert "将新建专家候选人 1 人：" in out and f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院）" in out
    assert out.splitlines()[-2:] == ["（--dry-run：校验通过，未写入任何文件）", f"下一步：资格审查后公示：roster announce candidates {e1}"]
    assert snapshot(demo.parent) == before


def test_contacts_file_inside_the_repository_is_refused(demo: Path, tmp_path: Path, run: Run) -> None:
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()]))
    before = snapshot(demo.parent)
    code, out, err = run("import", str(book), "--contacts-out", "联系方式.csv")
    assert (code, out) == (1, "")
    assert err == (f"错误：联系方式文件 联系方式.csv 在仓库（{demo.parent}）之内，可能被提交：请写到仓库以外的位置，"
                   "例如 ~/专家联系方式.csv\n")
    assert snapshot(demo.parent) == before


def test_rule_failures_of_a_row_are_reported_with_its_row(demo: Path, tmp_path: Path, run: Run) -> None:
    young = zhang()
    young[13] = "2024-07"  # 参加工作年月: not five years of work (XZ 第六条 专业条件（二）)
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([ciren(), young]))
    before = snapshot(demo.parent)
    code, _, err = run("import", str(book))
    assert code == 1
    assert err.splitlines() == [
        f"推荐表.xlsx（工作表“汇总表”） 第 6 行：（{nth(demo, 'expert', 1)}）自参加工作（2024-07）至校验日 2026-12-18 共 2 年 5 个月，不满 5 年："
        "须工作满 5 年（60 个月）（依据：《西藏专家库管理办法》第六条 专业条件（二）） [admission.work_years]",
        "错误：推荐表.xlsx（工作表“汇总表”） 有 1 行有误：没有写入任何文件",
    ]
    assert snapshot(demo.parent) == before


def test_an_exact_annex2_table_gives_incomplete_candidates(demo: Path, tmp_path: Path, run: Run,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """附件2 exactly as the Tibet rules print it: the rest is listed as missing, admission waits for it."""
    monkeypatch.setenv("ROSTER_PERSON_KEY", SECRET)
    row = zhang()[: len(ANNEX2)]
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([row], header=ANNEX2))
    e1 = nth(demo, "expert")
    code, out, err = run("import", str(book))
    assert (code, err) == (0, "")
    assert f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院；尚缺 7 项材料）" in out
    assert out.splitlines()[-1] == ("下一步：收到申请表（附件1）等材料后，把 incomplete 中所列各项填入记录并删去该项；"
                                    f"资格审查后公示：roster announce candidates {e1}")
    data = load_bytes((demo / f"experts/{e1}.yaml").read_bytes()).data
    assert data["incomplete"] == [
        {"field": "education", "source": "附件1 申请表“最高学历及学位”"},
        {"field": "work_start", "source": "附件1 申请表“从事本工作年限”（参加工作年月）"},
        {"field": "civil_servant", "source": "资格审查：所在单位意见（是否在职公务员或参照公务员管理人员）"},
        # each declaration item on its own, never set true: where the form has it, or what proves it instead
        {"field": "declarations.healthy", "source": FORM1},
        {"field": "declarations.no_criminal_record", "source": FORM2},
        {"field": "declarations.no_admin_penalty", "source": ELSEWHERE},
        {"field": "declarations.never_disqualified", "source": ELSEWHERE},
    ]
    assert "declarations" not in data
    assert (data["birth"], data["gender"], data["category"], data["title"]) == (
        "1975-06", "男", "medical", {"name": "主任医师", "level": "senior"})
    assert data["person_key"] == person_key(ZHANG, SECRET.encode())
    registry_text = text_of(demo)
    assert all(s not in registry_text for s in (ZHANG, PHONE, EMAIL, WECHAT))
    assert run("validate")[0] == 0
    # admitting it before the material is complete is refused with the list, nothing written
    before = snapshot(demo.parent)
    code, out, err = run("admit", e1, "--date", "2026-12-18")
    assert (code, out) == (1, "")
    assert err == (
        f"错误：registry/experts/{e1}.yaml:25：{e1} 张明远 的材料还不齐全，不能入库（资格审查须材料齐全，"
        "《西藏专家库管理办法》第九条（三））：还缺 7 项：education（学历，见附件1 申请表“最高学历及学位”）；"
        "work_start（参加工作年月，见附件1 申请表“从事本工作年限”（参加工作年月））；"
        "civil_servant（是否公务员，见资格审查：所在单位意见（是否在职公务员或参照公务员管理人员））；"
        f"declarations.healthy（身体健康，见{FORM1}）；declarations.no_criminal_record（无刑事犯罪记录，见{FORM2}）；"
        f"declarations.no_admin_penalty（未受过行政处罚或处分，见{ELSEWHERE}）；"
        f"declarations.never_disqualified（未被取消评审专家资格，见{ELSEWHERE}）。"
        "请把这些字段填入该文件，并删去 incomplete 中相应的项（全部补齐后删去整个 incomplete），再运行 roster admit\n")
    assert snapshot(demo.parent) == before
    # nor announced: 公示 follows the eligibility review, which needs the material
    code, _, err = run("announce", "candidates", e1)
    assert code == 1 and err.startswith(f"错误：registry/experts/{e1}.yaml:25：{e1} 张明远 的材料还不齐全，不能公示")
    assert snapshot(demo.parent) == before


def test_incomplete_must_match_the_record(demo: Path, tmp_path: Path, run: Run) -> None:
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()[: len(ANNEX2)]], header=ANNEX2))
    e1 = nth(demo, "expert")
    assert run("import", str(book))[0] == 0
    path = demo / f"experts/{e1}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "civil_servant: false\n", encoding="utf-8")
    code, out, _ = run("validate")
    assert code == 1
    assert "civil_servant 已经填写，但 incomplete 中仍列为尚缺：请删去 incomplete 的这一项（第 3 项），全部补齐后删去整个 incomplete" in out


def test_all_row_problems_are_reported_in_one_run(demo: Path, tmp_path: Path, run: Run) -> None:
    young = zhang()
    young[13] = "2024-07"  # 参加工作年月: a rule failure
    bad = ciren()
    bad[8] = "法律类"  # a value that cannot be read
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([young, bad]))
    code, _, err = run("import", str(book))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("推荐表.xlsx（工作表“汇总表”） 第 5 行：") and "[admission.work_years]" in lines[0]
    assert lines[1] == ("推荐表.xlsx（工作表“汇总表”） 第 6 行：领域“法律类”应为 医药类、信息技术类、财务类、医保政策及管理类 之一"
                        "（《西藏专家库管理办法》第十一条）")
    assert lines[2] == "错误：推荐表.xlsx（工作表“汇总表”） 有 2 行有误：没有写入任何文件"


def test_row_level_checks(demo: Path, tmp_path: Path, run: Run) -> None:
    numeric = zhang()
    numeric[3] = 540102197506120131  # typed as a number in Excel: digits lost
    wrong_gender = li()
    wrong_gender[2] = "男"
    wrong_gender[4] = "市人医"
    unknown_field = ciren()
    unknown_field[8] = "法律类"
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([numeric, wrong_gender, unknown_field]))
    code, _, err = run("import", str(book))
    assert code == 1
    where = "推荐表.xlsx（工作表“汇总表”）"
    assert err.splitlines() == [
        f"{where} 第 5 行：身份证号被 Excel 存成了数字（末几位已经丢失）：请把该列设为“文本”格式后重新填写",
        f"{where} 第 6 行：性别“男”与身份证号不符（身份证号显示为女）：请核对",
        f"{where} 第 7 行：领域“法律类”应为 医药类、信息技术类、财务类、医保政策及管理类 之一（《西藏专家库管理办法》第十一条）",
        f"错误：{where} 有 3 行有误：没有写入任何文件",
    ]


def test_the_same_person_is_not_imported_twice(demo: Path, tmp_path: Path, run: Run,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_PERSON_KEY", SECRET)
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()]))
    e1 = nth(demo, "expert")
    assert run("import", str(book))[0] == 0
    code, _, err = run("import", str(book))
    assert code == 1
    assert f"第 5 行：与名册中的 {e1} 张明远（候选）身份指纹相同，是同一人：不要重复导入" in err


def test_unreadable_inputs(demo: Path, tmp_path: Path, run: Run) -> None:
    assert run("import", str(tmp_path / "无.xlsx"))[1:] == ("", f"错误：找不到文件 {tmp_path / '无.xlsx'}\n")
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert run("import", str(old))[2] == "错误：旧.xls 是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为”.xlsx 后再导入\n"
    junk = write_csv(tmp_path / "无表头.csv", [["a", "b"], ["c", "d"]], "utf-8")
    code, _, err = run("import", str(junk))
    assert code == 1 and err.startswith("错误：无表头.csv 中找不到表头：")


def test_an_exact_annex2_as_gbk_csv(demo: Path, tmp_path: Path, run: Run) -> None:
    sheet = write_csv(tmp_path / "推荐表.csv", table([zhang()[: len(ANNEX2)], ciren()[: len(ANNEX2)]], header=ANNEX2), "gbk")
    e1, e2 = nth(demo, "expert"), nth(demo, "expert", 1)
    code, out, err = run("import", str(sheet))
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "读取 推荐表.csv：表头在第 4 行，2 人",
        "已新建专家候选人 2 人：",
        f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院；尚缺 7 项材料）",
        f"  第 6 行 → {e2} 次仁多吉（信息技术类，I0021 示例大学；尚缺 7 项材料）",
    ]
    assert [i["field"] for i in load_bytes((demo / f"experts/{e2}.yaml").read_bytes()).data["incomplete"]] == [
        "education", "work_start", "civil_servant", "declarations.healthy", "declarations.no_criminal_record",
        "declarations.no_admin_penalty", "declarations.never_disqualified"]
    text = text_of(demo)
    assert all(s not in text for s in (ZHANG, CIREN, PHONE, EMAIL, WECHAT, "13900000002"))
    assert run("validate")[0] == 0


@pytest.mark.parametrize(("title", "level"), [
    ("主任医师", "senior"), ("主任藏医师", "senior"), ("主任中医师", "senior"), ("副主任蒙医师", "associate_senior"),
    ("主治藏医师", "intermediate"), ("藏医师", "junior"), ("主管护师", "intermediate"), ("副主任药师", "associate_senior"),
    ("助理研究员", "intermediate"), ("研究员", "senior"), ("助理工程师", "junior"), ("助理会计师", "junior"),
    ("高级会计师", "associate_senior"), ("正高级会计师", "senior"), ("教授级高级工程师", "senior"),
    ("讲师", "intermediate"), ("助理讲师", "junior"), ("高级讲师", "associate_senior"), ("副主任医师（心内科）", "associate_senior"),
    ("主任 医师", "senior"), ("编审", "senior"), ("二级律师", "associate_senior"), ("无", "none"),
])
def test_titles_are_graded_by_their_series(title: str, level: str) -> None:
    """A chief physician of a minority-medicine series is senior; assistant titles (助理…) are junior
    or, in research, intermediate — as the national title system grades them, not by a substring."""
    from roster.staff.importer import _title_level

    assert _title_level(title) == level


@pytest.mark.parametrize("title", ["主任", "高级", "主任科员", "医生", "助理", "专家"])
def test_unknown_titles_are_not_guessed(title: str) -> None:
    from roster.staff.importer import _title_level

    assert _title_level(title) is None


# --- declarations: each item from its own column ---------------------------------------------------------


def test_items_without_a_column_are_listed_as_missing_not_set_true(demo: Path, tmp_path: Path, run: Run) -> None:
    """The table has the signing date and the two items the form carries: the other two wait for the review."""
    header = HEADER[:-2]
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([zhang()[: len(header)]], header=header))
    e1 = nth(demo, "expert")
    code, out, err = run("import", str(book))
    assert (code, err) == (0, "")
    assert f"  第 5 行 → {e1} 张明远（医药类，I0001 示例市人民医院；尚缺 2 项材料）" in out
    data = load_bytes((demo / f"experts/{e1}.yaml").read_bytes()).data
    assert data["declarations"] == {"healthy": {"confirmed": True, "source": "form", "date": "2026-11-30"},
                                    "no_criminal_record": {"confirmed": True, "source": "form", "date": "2026-11-30"}}
    assert data["incomplete"] == [{"field": "declarations.no_admin_penalty", "source": ELSEWHERE},
                                  {"field": "declarations.never_disqualified", "source": ELSEWHERE}]
    assert run("validate")[0] == 0
    code, _, err = run("admit", e1, "--date", "2026-12-18")
    assert code == 1 and "还缺 2 项：declarations.no_admin_penalty（未受过行政处罚或处分，见附件1" in err


def test_an_item_the_form_does_not_carry_is_not_read_as_yes(demo: Path, tmp_path: Path, run: Run) -> None:
    row = zhang()
    row[-2] = "是"  # 未受过行政处罚或处分: the form's 诚信声明 has no such line
    undated = li()
    undated[-5] = ""  # 承诺书签署日期 left empty while the items are filled in
    undated[4] = "市人医"
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([row, undated]))
    before = snapshot(demo.parent)
    code, out, err = run("import", str(book))
    assert (code, out) == (1, "")
    where = "推荐表.xlsx（工作表“汇总表”）"
    assert err.splitlines() == [
        f"{where} 第 5 行：未受过行政处罚或处分“是”：“未受过行政处罚或处分”：附件1 申请表“诚信声明”不载此项，不能记为来自申请表："
        "请写 承诺书（本人另行书面承诺）或 审查（资格审查核实）（依据：《西藏专家库管理办法》第六条 基本条件（五）、第七条（二）："
        "未受过行政处罚或处分）",
        f"{where} 第 6 行：填写了承诺事项（身体健康，能胜任专家工作、无刑事犯罪记录、未受过行政处罚或处分、未曾被取消评审专家资格），"
        "但“承诺书签署日期”没有填写：请写明本人签署或审查核实的日期",
        f"错误：{where} 有 2 行有误：没有写入任何文件",
    ]
    assert snapshot(demo.parent) == before


def test_an_item_answered_no_is_refused_with_its_clause(demo: Path, tmp_path: Path, run: Run) -> None:
    row = zhang()
    row[-1] = "否"  # 未被取消评审专家资格
    book = write_xlsx(tmp_path / "推荐表.xlsx", table([row]))
    code, _, err = run("import", str(book))
    assert code == 1
    assert err.splitlines() == [  # in the table's terms: the column, the answer, what to do with the cell or the row
        "推荐表.xlsx（工作表“汇总表”） 第 5 行：“未被取消评审专家资格”填的是“否”：本人未承诺此项或经资格审查核实不属实，"
        "不符合入库条件（《西藏专家库管理办法》第七条（三）：曾被取消评审专家资格的），不能导入为候选人。"
        "核实属实的，请把该格改为 承诺书 或 审查；确不属实的，请把这一行从表中删去后再导入",
        "错误：推荐表.xlsx（工作表“汇总表”） 有 1 行有误：没有写入任何文件"]
