"""`roster draw …`: exact output, exit codes, nothing changed on a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from drawkit import VALUES, make_registry

from roster.cli import cli, main
from roster.draw.canonical import commitment
from roster.yamlio.load import load_bytes

REPO = Path(__file__).resolve().parents[2]
VECTOR = REPO / "tests" / "vectors" / "rfc3797-example.txt"
POOL = ["John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome", "Cassandra",
        "Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee", "Longsuffering", "Chastity", "Smith",
        "Pride", "Sloth", "Envy", "Anger", "Kasczynski"]

NEW = ["draw", "new", "--purpose", "2026年第三季度专项检查专家组", "--requested-by", "基金监管科", "--operator", "王抽取",
       "--supervisor", "李监督", "--activity-start", "2026-09-21", "--activity-end",
       "2026-09-25", "--subject", "I0001", "--size", "3", "--quota", "medical:1", "--quota", "finance:1",
       "--quota", "policy:1", "--max-per-institution", "1",
       "--source", "ssq:中国福利彩票双色球第2026101期:2026-09-03", "--source", "dlt:体彩超级大乐透第26101期:2026-09-05",
       "--publish", "2026-10-31"]


NO_TSA = "警告：registry.yaml 没有配置可信时间戳服务（timestamping）：请求的时间只能由默认分支的提交历史证明\n"


@pytest.fixture
def kit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_registry(tmp_path / "registry")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-01")
    return root


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_rfc3797_reproduces_the_rfc_table(tmp_path: Path) -> None:
    pool = tmp_path / "names.txt"
    pool.write_text("\n".join(POOL) + "\n", encoding="utf-8")
    code, out, _ = invoke("draw", "rfc3797", "--pool", str(pool), "--source", "9319", "--source", "2 5 12 8 10",
                          "--source", "9 18 26 34 41 45", "--count", "16")
    assert code == 0
    vector = VECTOR.read_text(encoding="utf-8").splitlines()
    rows = [line for line in vector if line.strip() and not line.startswith("#")]
    header = next(line for line in vector if line.startswith("# index"))
    key = next(line for line in vector if line.startswith("# Key string:"))
    assert out.splitlines() == [key, header, *rows]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "9319", "--count", "99"], "错误：--count 99 超出范围：名单共 25 个\n"),
        (["--source", "93a19"], "错误：无法识别的数值“93a19”"),
    ],
)
def test_rfc3797_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    pool = tmp_path / "names.txt"
    pool.write_text("\n".join(POOL), encoding="utf-8")
    code, out, err = invoke("draw", "rfc3797", "--pool", str(pool), *args)
    assert code == 1 and out == "" and err.startswith(message)


def test_rfc3797_duplicate_names(tmp_path: Path) -> None:
    pool = tmp_path / "names.txt"
    pool.write_text("甲\n乙\n甲\n", encoding="utf-8")
    code, _, err = invoke("draw", "rfc3797", "--pool", str(pool), "--source", "1")
    assert code == 1
    assert err == f"错误：名单文件 {pool} 中有重复的名字：甲（每个名字只能出现一次）\n"


def test_the_whole_protocol(kit: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    code, out, err = invoke(*NEW)
    assert (code, err) == (0, NO_TSA)
    committed = commitment(load_bytes((kit / "draws/2026/D2026-001.yaml").read_bytes()).data)
    assert out == (
        "已建立抽取请求 D2026-001：registry/draws/2026/D2026-001.yaml\n"
        "  候选 7 个；排除 8 个（状态不是在库 1、暂停 1、聘期不覆盖活动 1、回避：现工作单位为被检查单位 1、"
        "回避：与被检查单位属同一法人单位 1、回避：两年内曾在被检查单位任职 1、回避：申报的利益关系 2）\n"
        f"  承诺值：{committed}\n"
        '  随机源全部公布后执行：roster draw run D2026-001 --value "…" --value "…"\n'
    )
    code, out, err = invoke("draw", "run", "D2026-001", "--value", VALUES[0], "--value", VALUES[1])
    assert code == 1 and out == ""
    assert err == ("错误：registry/draws/2026/D2026-001.yaml 第 24 行：随机源“中国福利彩票双色球第2026101期”要到 2026-09-03 才公布，"
                   "今天（北京时间）是 2026-09-01：须在所有随机源公布后才能执行抽取\n")
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-06")
    code, out, _ = invoke("draw", "run", "D2026-001", "--value", VALUES[0], "--value", VALUES[1])
    assert code == 0
    assert out == (
        "已执行抽取 D2026-001（rfc3797）：registry/draws/2026/D2026-001.yaml\n"
        "  密钥串：3.9.15.21.27.33./8./2.11.19.27.33./4.10./\n"
        "  抽中 3 个：E0011 丙二、E0004 甲四、E0009 乙二\n"
        "  替补顺序 4 个，前五个：E0014、E0010、E0008、E0015\n"
    )
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-08")
    assert invoke("draw", "respond", "D2026-001", "E0011", "accepted")[1] == "已记录：E0011 丙二 同意参加。\n"
    assert invoke("draw", "respond", "D2026-001", "E0004", "declined", "--reason", "出差")[2] == (
        "错误：婉拒须写原因代码（--reason-code）：schedule（时间冲突（公务、出差等））、health（身体原因）、"
        "recusal_found（发现须回避的情形）、other（其他原因）；收到“”\n")
    assert invoke("draw", "respond", "D2026-001", "E0004", "declined", "--reason", "出差", "--reason-code", "schedule",
                  "--recorded-by", "王抽取")[1] == "已记录：E0004 甲四 婉拒；按抽取顺序由 E0015 甲十 递补。\n"
    code, out, _ = invoke("draw", "respond", "D2026-001", "E0009", "absent", "--reason-code", "unexcused",
                          "--recorded-by", "王抽取")
    assert out == ("已记录：E0009 乙二 缺席或未答复；按抽取顺序由 E0008 乙一 递补。\n"
                   "已建立缺席的履职记录 C2026-001（registry/conduct/2026/C2026-001.yaml），政策据此统计缺席次数。\n")
    assert invoke("draw", "verify") == (0, "D2026-001：核验通过\n", "")
    code, out, _ = invoke("draw", "record", "D2026-001")
    assert code == 0 and out.startswith("# 测试市医疗保障局随机抽取书面记录 D2026-001\n")
    for part in ("## 四、排除名单（8 人）", "| E0004 甲四 | 婉拒 | 出差 | E0015 甲十 |", "抽取人：王抽取　　签字：",
                 "监督人：李监督　　签字：", "roster draw verify D2026-001", "| 1 | E0004 | 甲四 | 医药类 | I0004 测试市中医院 |"):
        assert part in out, part
    # the written record names people and recusals: refused inside the repository, written outside it
    code, out, err = invoke("draw", "record", "D2026-001", "--format", "html", "--out", "r.html")
    assert (code, out) == (1, "") and err.startswith(f"错误：书面记录 r.html 在仓库（{kit.parent}）之内，可能被提交")
    outside = tmp_path_factory.mktemp("archive") / "r.html"
    code, out, _ = invoke("draw", "record", "D2026-001", "--format", "html", "--out", str(outside))
    assert (code, out) == (0, f"已写入书面记录：{outside}\n")
    assert outside.read_text(encoding="utf-8").startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quota", "medical"], "错误：--quota “medical” 格式不对：应为 类别:人数，例如 medical:3 或 medical/心血管内科:1\n"),
        (["--source", "lotto:某彩票:2026-09-03"], "错误：--source：未知的随机源“lotto”"),
        (["--size", "4", "--quota", "it:1"], "错误：人数为 4：应为不少于 3 人的单数"),
        (["--publish", "2026-02-30"], "错误：--publish有误：日期“2026-02-30”不存在：2026 年 2 月只有 28 天\n"),
        (["--quota", "it:2"], "错误：各名额组人数之和 5 与抽取人数 3 不一致\n"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(kit: Path, args: list[str], message: str) -> None:
    code, out, err = invoke(*NEW, *args)
    assert code == 1 and out == "" and err.startswith(message)
    assert not (kit / "draws").exists()


def test_respond_refusals_leave_the_file_alone(kit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke(*NEW)
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-06")
    invoke("draw", "run", "D2026-001", "--value", VALUES[0], "--value", VALUES[1])
    path = kit / "draws" / "2026" / "D2026-001.yaml"
    before = path.read_bytes()
    assert invoke("draw", "respond", "D2026-001", "E0010", "accepted") == (
        1, "", "错误：“E0010”不在当前抽中名单中；当前抽中名单：E0011、E0004、E0009\n")
    assert invoke("draw", "respond", "D2026-009", "E0010", "accepted") == (
        1, "", "错误：找不到抽取记录 D2026-009（应在 registry/draws/2026/D2026-009.yaml）\n")
    assert invoke("draw", "run", "D2026-001", "--value", "1") [2].startswith("错误：registry/draws/2026/D2026-001.yaml 第 ")
    assert path.read_bytes() == before


def test_verify_reports_with_file_line_and_clause(kit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invoke(*NEW)
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-06")
    invoke("draw", "run", "D2026-001", "--value", VALUES[0], "--value", VALUES[1])
    path = kit / "draws" / "2026" / "D2026-001.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("panel: [E0011, E0004, E0009]", "panel: [E0011, E0004, E0010]"),
                    encoding="utf-8")
    code, out, _ = invoke("draw", "verify", "D2026-001")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "D2026-001：未通过（1 个错误）"
    assert lines[1].startswith("registry/draws/2026/D2026-001.yaml:")
    assert "错误: 结果中的抽中名单与按本文件重新计算的不一致：应为 [E0011、E0004、E0009]（共 3 项），文件中为 [E0011、E0004、E0010]（共 3 项） [draw.panel]" in lines[1]
    assert lines[2] == "    依据：《西藏专家库管理办法》第十三条：应当优先从专家库中随机抽选，并对抽选过程作好书面记录"
    assert lines[-1] == "未通过：检查了 1 个文件，1 个错误，0 个警告。"


COMMON = ["draw", "new", "--purpose", "2026年第三季度专项检查", "--requested-by", "基金监管科", "--operator", "王抽取",
          "--supervisor", "李监督", "--activity-start", "2026-09-21", "--activity-end",
          "2026-09-25", "--source", "ssq:中国福利彩票双色球第2026101期:2026-09-03",
          "--source", "dlt:体彩超级大乐透第26101期:2026-09-05", "--publish", "2026-10-31"]


def test_supervisor_and_institution_draws(kit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = invoke(*COMMON, "--roster", "supervisors", "--subject", "I0001", "--size", "2", "--quota", "law:1",
                            "--quota", "medicine:1")
    assert (code, err) == (0, NO_TSA)
    assert out.splitlines()[1] == "  候选 3 个；排除 1 个（回避：现工作单位为被检查单位 1）"
    code, out, err = invoke(*COMMON, "--roster", "institutions", "--size", "3", "--quota", "medical:2",
                            "--quota", "pharmacy:1", "--max-per-legal-entity", "1")
    assert (code, err) == (0, NO_TSA)
    assert out.splitlines()[1] == "  候选 5 个；排除 1 个（定点协议不覆盖活动 1）"
    monkeypatch.setenv("ROSTER_TODAY", "2026-09-06")
    for draw_id in ("D2026-001", "D2026-002"):
        assert invoke("draw", "run", draw_id, "--value", VALUES[0], "--value", VALUES[1])[0] == 0
    assert invoke("draw", "verify") == (0, "D2026-001：核验通过\nD2026-002：核验通过\n", "")


def test_console_entry_maps_errors_to_exit_1(kit: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["draw", "respond", "D2026-001", "E0001", "accepted"]) == 1
    assert capsys.readouterr().err == "错误：找不到抽取记录 D2026-001（应在 registry/draws/2026/D2026-001.yaml）\n"


def test_a_draw_that_would_make_the_registry_invalid_is_refused(kit: Path) -> None:
    """Draws go through the change path: the whole registry is checked as it would be, and nothing is written."""
    assert invoke(*NEW)[0] == 0
    before = {p: p.read_bytes() for p in sorted(kit.parent.rglob("*")) if p.is_file()}
    code, out, err = invoke(*NEW)  # the same request again: a second result of one request
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("registry/draws/2026/D2026-002.yaml:") and lines[0].endswith("[draw.second_result]")
    assert lines[-1] == "错误：修改后名册校验未通过（1 个错误）：没有写入任何文件"
    assert {p: p.read_bytes() for p in sorted(kit.parent.rglob("*")) if p.is_file()} == before
