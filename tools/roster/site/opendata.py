"""开放数据: the published rosters as JSON and as CSV (UTF-8 with a BOM, so Excel reads Chinese),
the published draws, and the JSON Schemas of the registry records.

The files hold exactly what the pages show: persons through the privacy gate, draws only once
published.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.cells import spreadsheet_text
from .context import SiteContext
from .labels import label, labels

__all__ = ["BOM", "csv_text", "opendata_files"]

BOM = "\ufeff"


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "employer":
        return str(value.get("name", ""))
    if column == "claims":
        return "、".join(c["name"] for c in value)
    if column == "title":
        return str(value.get("name") or label("title_levels", value.get("level")))
    if column == "term":
        return f"{value.get('start', '')}至{value.get('end', '')}"
    if column == "education":
        return " ".join(str(value[k]) if k != "level" else label("education_levels", value[k]) for k in ("level", "school", "major") if value.get(k))
    if column == "category":
        return label("categories", value)
    if column == "background":
        return "、".join(label("backgrounds", b) for b in value)
    if column == "type":
        return label("institution_types", value)
    if column == "designated":
        return label("designated_kinds", value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV with a UTF-8 byte-order mark and Chinese headers, CRLF line ends (as Excel writes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = labels()["field_labels"]
    writer.writerow([spreadsheet_text(names.get(c, c)) for c in columns])
    for row in rows:  # a cell that a spreadsheet would run as a formula is written as text, as `roster export` does
        writer.writerow([spreadsheet_text(_cell(c, row.get(c))) for c in columns])
    return BOM + out.getvalue()


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def opendata_files(ctx: SiteContext, schema_dir: Path, draw_data: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    columns = ["id", *ctx.fields]
    files: dict[str, str] = {}
    meta = {"source": ctx.site.get("host", ""), "date": ctx.today.isoformat()}
    institutions = [{"id": i, "name": d.get("name"), "type": d.get("type"), "level": d.get("level"),
                     "legal_entity": d.get("legal_entity"), "designated": (d.get("designated") or {}).get("kind")}
                    for i, d in sorted(ctx.institutions.items())]
    datasets = {
        "experts": (ctx.experts, [c for c in columns if c not in ("background", "claims", "occupation", "certificate_no")]),
        "supervisors": (ctx.supervisors, [c for c in columns if c not in ("category", "specialties", "expertise", "education", "advisory_committee")]),
        "institutions": (institutions, ["id", "name", "type", "level", "legal_entity", "designated"]),
    }
    rows_md = []
    for name, (rows, cols) in datasets.items():
        files[f"opendata/{name}.json"] = _json({**meta, "records": list(rows)})
        files[f"opendata/{name}.csv"] = csv_text(rows, cols)
        rows_md.append(f"| {labels()['datasets'][name]} | {len(rows)} | [{name}.json]({name}.json) | [{name}.csv]({name}.csv) |")
    summaries = [{"id": d["id"], "purpose": d["purpose"], "algorithm": d["algorithm"], "key": d["key"],
                  "panel": d["result"]["panel"], "commitment": d.get("commitment"), "data": f"draws/{d['id']}.json"}
                 for d in draw_data.values() if "result" in d]  # pending requests: commitment only, on their pages
    files["opendata/draws.json"] = _json({**meta, "records": sorted(summaries, key=lambda d: str(d["id"]))})
    schemas = sorted(schema_dir.glob("*.schema.json")) if schema_dir.is_dir() else []
    for schema in schemas:
        files[f"opendata/schemas/{schema.name}"] = schema.read_text(encoding="utf-8")
    lines = [f"# {labels()['pages']['opendata']}", "",
             "名单和抽取记录的机器可读版本，内容与网页相同，可自由下载使用。CSV 文件为 UTF-8 编码并带 BOM，"
             "可直接用 Excel 打开。", "",
             "| 数据 | 条数 | JSON | CSV |", "|---|---|---|---|", *rows_md, "",
             f"已公开的抽取记录：[draws.json](draws.json)（{len(summaries)} 条；每条的完整数据在 `draws/` 下，"
             "即抽取记录页面“在浏览器中核验”所用的数据）。", "",
             "## 名册记录格式（JSON Schema）", "",
             "名册中每类记录的字段说明（JSON Schema 2020-12）。名册内部的字段不都公开：出生年月、身份指纹、"
             "利益关系等永不公开。", ""]
    lines += [f"- [{s.name}](schemas/{s.name})" for s in schemas]
    files["opendata/index.md"] = "\n".join(lines) + "\n"
    return files
