"""Each message staff meet for a hand-made mistake: exact Chinese text, line and column, the fix when known."""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.cli import main


@pytest.fixture(autouse=True)
def _inside_policy_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_TODAY", "2025-06-01")


def validate(capsys: pytest.CaptureFixture[str], mini: Path) -> tuple[int, list[str]]:
    code = main(["validate", "--registry", str(mini)])
    out = capsys.readouterr()
    return code, (out.out + out.err).splitlines()


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    # full-width colon on line 3: reported on line 3 at the colon, with the line to write
    ("gender: 男", "gender：男", "3:7", "“gender”后面用了全角冒号“：”：请改为半角冒号加一个空格，写成 gender: 男 [yaml.full_width]"),
    ("gender: 男", "gender： 男", "3:7", "“gender”后面用了全角冒号“：”：请改为半角冒号加一个空格，写成 gender: 男 [yaml.full_width]"),
    # an unclosed quote is reported where it opens, not where the file ends
    ("name: 张明", 'name: "张明', "2:7", "YAML 语法错误：引号没有配对：请在值的末尾补上同样的引号 [yaml.syntax]"),
    # “: ” inside a value: the exact quoted line
    ("name: 张明", "name: 张: 明", "2:8",
     "YAML 语法错误：这里不能出现“: ”（冒号加空格）：值里有冒号时，请把整个值用单引号括起来，写成 name: '张: 明' [yaml.syntax]"),
    # a field indented under a value: indentation, not quoting
    ("gender: 男", "  gender: 男", "3:1",
     "YAML 语法错误：这一行比上一行多缩进了 2 个空格：同一层的字段必须左对齐，请删去行首多余的空格 [yaml.syntax]"),
])
def test_syntax_errors_point_at_the_mistake(mini: Path, capsys: pytest.CaptureFixture[str],
                                            old: str, new: str, where: str, message: str) -> None:
    expert = mini / "experts/E0001.yaml"
    replace(expert, old, new)
    code, lines = validate(capsys, mini)
    assert code == 1
    assert lines == [f"{expert}:{where}: 错误: {message}", "未通过：检查了 4 个文件，1 个错误，0 个警告。"]
    assert not any(word in "\n".join(lines) for word in ("while", "scanning", "found", "expected"))


def test_a_unit_name_where_its_id_belongs_gives_the_id(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expert = mini / "experts/E0001.yaml"
    replace(expert, "employer: I0001", "employer: 测试市人民医院东院区")
    code, lines = validate(capsys, mini)
    assert code == 1
    assert lines == [
        f"{expert}:7:1: 错误: employer 要写单位的编号，这里写的是名称“测试市人民医院东院区”：该单位编号是 I0002，"
        "请写成 employer: I0002 [integrity.reference]",
        "未通过：检查了 4 个文件，1 个错误，0 个警告。",
    ]


def test_an_unreadable_file_is_one_finding(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The expert and the other unit refer to I0001; only I0001's own error is reported."""
    unit = mini / "institutions/I0001.yaml"
    replace(unit, "type: hospital", "type：hospital")
    code, lines = validate(capsys, mini)
    assert code == 1
    assert lines == [
        f"{unit}:3:5: 错误: “type”后面用了全角冒号“：”：请改为半角冒号加一个空格，写成 type: hospital [yaml.full_width]",
        "未通过：检查了 4 个文件，1 个错误，0 个警告。",
    ]


@pytest.mark.parametrize(("args", "lines"), [
    (["admit"], ["错误：缺少参数 编号…", "用法：roster admit [选项] 编号…", "帮助：roster admit --help"]),
    (["admti"], ["错误：没有命令“admti”（是不是 admit？）", "用法：roster [选项] 命令 [参数]…", "帮助：roster --help"]),
    (["validate", "--bogus"], ["错误：没有选项 --bogus（是不是 --base？）", "用法：roster validate [选项]", "帮助：roster validate --help"]),
    (["announce", "candidates", "E0062", "--workdays", "40"], [
        "错误：--workdays 的值 40 超出范围（1–30）", "用法：roster announce candidates [选项] 编号…", "帮助：roster announce candidates --help"]),
    (["validate", "extra"], ["错误：多余的参数：extra（含空格的值请加引号）", "用法：roster validate [选项]", "帮助：roster validate --help"]),
    (["export", "experts", "--status", "在"], [
        "错误：--status 的值有误：“在”不是可选的值：可选 候选（candidate）、在库（active）、暂停（suspended）、期满退出（expired）、"
        "主动退出（withdrawn）、移出（removed）、不予入库（rejected）",
        "用法：roster export [选项] experts|supervisors|institutions", "帮助：roster export --help"]),
])
def test_command_line_mistakes_are_said_in_chinese(capsys: pytest.CaptureFixture[str], args: list[str],
                                                  lines: list[str]) -> None:
    assert main(args) == 2
    out = capsys.readouterr()
    assert (out.out, out.err.splitlines()) == ("", lines)


def test_declarations_in_the_old_one_date_form_say_how_to_write_each_item(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # before declarations were recorded item by item, a record held booleans and one signing date
    expert = mini / "experts/E0001.yaml"
    replace(expert, "no_criminal_record: {confirmed: true, source: pledge, date: 2024-03-01}",
            "no_criminal_record: true\n  signed: 2024-03-01")
    code, lines = validate(capsys, mini)
    assert code == 1
    assert "字段 declarations.no_criminal_record（无刑事犯罪记录）应为若干“字段: 值”，现在是 true：每一项写成三行：" \
           "confirmed: true（属实）、source: pledge（承诺书；申请表写 form，资格审查核实写 review）、" \
           "date: 签署或核实日期（YYYY-MM-DD） [schema.type]" in "\n".join(lines)
    assert "declarations 中有不认识的字段“signed”：请检查拼写，可用的字段见 schemas/expert.schema.json：" \
           "旧写法的 signed（签署日期）已取消：日期写在每一项的 date 中 [schema.unknown_field]" in "\n".join(lines)
