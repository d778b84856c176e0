"""Test data for the import tests: synthetic ID numbers and 附件2 tables as .xlsx or .csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(birth: str, sequence: int, region: str = "540102") -> str:
    """A synthetic 18-character ID number with a valid check digit (sequence odd: male, even: female)."""
    first = f"{region}{birth}{sequence:03d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, _WEIGHTS, strict=True)) % 11]


def broken_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


ANNEX2 = ["序号", "姓名", "性别", "身份证号", "医疗机构名称/ 单位名称", "单位职务", "擅长专业", "专业职称", "领域",
          "手机号码", "邮箱", "微信号"]
# the declaration items, each in its own column: 是 for the two the application form's 诚信声明 carries,
# 审查 for the two the qualification review establishes
DECLARED = ["身体健康", "无刑事犯罪记录", "未受过行政处罚或处分", "未被取消评审专家资格"]
SUPPLEMENT = ["最高学历", "参加工作年月", "职称取得年月", "是否公务员", "承诺书签署日期", *DECLARED]
HEADER = ANNEX2 + SUPPLEMENT
TITLE = ["××单位推荐专家入库（申请）汇总表"]
FOOTER = ["填表说明：“领域”分为医药类、信息技术类、财务类、医保政策及管理类。"]


def table(rows: list[list[Any]], *, filled_by: str | None = "示例市人民医院", header: list[str] = HEADER) -> list[list[Any]]:
    """The whole sheet: title lines, header (row 4), the rows (from row 5), two empty form lines, the note."""
    return [TITLE, [f"填表单位（盖章）：{filled_by or ''}"], ["填表日期：2026年12月1日"], header, *rows,
            [len(rows) + 1], [len(rows) + 2], FOOTER]


def write_xlsx(path: Path, sheet: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "汇总表"
    for row in sheet:
        ws.append(row)
    book.save(path)
    return path


def write_csv(path: Path, sheet: list[list[Any]], encoding: str) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(sheet)
    path.write_bytes(out.getvalue().encode(encoding))
    return path
