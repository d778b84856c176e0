"""`roster import`: the unit recommendation summary table (XZ 附件2) → expert candidate records.

One candidate per row. The unit is matched by name or alias (or created with
`create_institutions`); the category comes from the 领域 column; 身份证号 gives the birth month,
is checked against 性别 and becomes the keyed fingerprint `person_key` when the bureau's key is set
(ROSTER_PERSON_KEY), and is otherwise dropped. 手机号码、邮箱、微信号 never reach the registry
(个人信息保护法第二十五条; 规则 F); they can be written to a file outside the repository.

附件2 itself has no education, start of work, civil-servant flag or signed pledge, which every
expert record needs (附件1, the application form, has them): those come from extra columns added to
the right of the table (data/import_table.yaml lists them). A row that lacks them is reported.

All or nothing: every row is checked, then the registry with all new records is validated in
memory; any bad row (reported by its spreadsheet row number) means no file is written.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..check.pii import mask_id_number, person_key, valid_id_number
from ..check.registry import Record
from ..core import progress
from ..core.errors import EditError
from ..core.findings import Finding
from ..core.timeutil import parse_date, parse_month
from ..policies.presets import label
from ..yamlio.fieldorder import sort_record
from ..yamlio.packaged import packaged
from ..yamlio.yamltext import render_document, schema_comment
from .changeset import InvalidChange
from .ids import IdAllocator, record_path
from .institutions import InstitutionIndex, guess_type
from .session import Result, Session
from .spreadsheet import Row, Table, as_text, read_table
from .staffdata import cite_rule, policy_for, staff_data

__all__ = ["PERSON_KEY_ENV", "ImportFailed", "RowError", "import_table", "repository_root"]

PERSON_KEY_ENV = "ROSTER_PERSON_KEY"
MIN_KEY_LENGTH = 16
_SPLIT = re.compile(r"[,，、;；/／\n]+")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff·])\s+(?=[\u3400-\u9fff·])")
_MONTH = re.compile(r"([0-9]{4})\s*(?:年|[-./])\s*([0-9]{1,2})\s*月?(?:\s*(?:[-./]\s*)?[0-9]{1,2}\s*日?)?")


@cache
def table_spec() -> dict[str, Any]:
    data: dict[str, Any] = packaged("data/import_table.yaml")
    return data


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the table as a whole
    message: str


class ImportFailed(EditError):
    def __init__(self, where: str, errors: list[RowError]) -> None:
        rows = len({e.row for e in errors if e.row})
        super().__init__(f"{where} 有 {rows or len(errors)} {'行' if rows else '处'}有误：没有写入任何文件")
        self.where = where
        self.errors = errors

    def details(self) -> list[str]:
        return [f"{self.where} 第 {e.row} 行：{e.message}" if e.row else f"{self.where}：{e.message}" for e in self.errors]


@dataclass
class Candidate:
    row: int
    data: dict[str, Any]
    unit_name: str
    contacts: dict[str, str]
    id_number: str | None
    employer_name: str = ""


@dataclass
class ImportReport(Result):
    table: Table | None = None
    candidates: list[Candidate] = field(default_factory=list)
    institutions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    contacts_file: str | None = None


def repository_root(registry: Path) -> Path:
    """The git work tree holding the registry (the folder with .git), else the registry's parent."""
    start = registry.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start.parent


def _secret() -> bytes | None:
    value = os.environ.get(PERSON_KEY_ENV, "")
    if not value:
        return None
    if len(value) < MIN_KEY_LENGTH:
        raise EditError(f"环境变量 {PERSON_KEY_ENV}（本局密钥）太短：至少 {MIN_KEY_LENGTH} 个字符，建议用 32 个以上的随机字符")
    return value.encode("utf-8")


def import_table(root: Path, path: Path, *, today: date, on: date | None = None, create_institutions: bool = False,
                 recommended_by: str | None = None, route: str = "unit_recommended",
                 contacts_out: Path | None = None, dry_run: bool = False) -> ImportReport:
    session = Session(root, today)
    secret = _secret()
    if contacts_out is not None:
        contacts_out = contacts_out.expanduser()
        _check_contacts_path(root, contacts_out)
    spec = table_spec()
    table = read_table(path, spec["columns"])
    report = ImportReport(table=table)
    _check_columns(table, spec)
    policy = policy_for(session.registry, "experts")
    citation = cite_rule(policy, "admission.route")
    declarations = policy.rules.get("admission.declarations")
    pledged = [str(d) for d in (declarations.params.get("required", []) if declarations else [])] or \
        ["no_criminal_record", "no_admin_penalty", "never_disqualified"]
    index = InstitutionIndex(session.registry.of_kind("institution"))
    recommender = _recommender(table, index, recommended_by)
    errors: list[RowError] = []
    day = on or today
    for row in progress.track(table.rows, "读取表格"):
        try:
            candidates = _candidate(row, spec, secret, pledged)
        except _RowProblems as exc:
            errors += [RowError(row.number, m) for m in exc.messages]
            continue
        report.candidates.append(candidates)
    if not table.rows:
        errors.append(RowError(0, f"表头（第 {table.header_row} 行）以下没有填写任何人员"))
    errors += _match_units(session, report, index, create_institutions)
    errors += _duplicates(report.candidates, session.registry.of_kind("expert"), report.notes)
    if errors:
        raise ImportFailed(table.where, sorted(errors, key=lambda e: e.row))
    experts = IdAllocator(root, "expert")
    by_path: dict[str, int] = {}
    for unit in report.institutions:
        target = record_path(root, "institution", unit["id"])
        text = render_document(unit, [schema_comment("institution", 2)])
        session.changes.create(target, text.encode("utf-8"))
    for candidate in report.candidates:
        ident = experts.next()
        data = candidate.data
        data["id"] = ident
        data["admission"] = {"route": route, **({"recommended_by": recommender or data["employer"]}
                                                 if route == "unit_recommended" else {})}
        data["status"] = "candidate"
        data["status_history"] = [{"date": day.isoformat(), "status": "candidate",
                                   "reason": staff_data()["reasons"]["candidate"], "citation": citation,
                                   "note": f"由推荐汇总表导入（{path.name} 第 {candidate.row} 行）"}]
        candidate.data = sort_record("expert", data)
        target = record_path(root, "expert", ident)
        by_path[target.resolve().as_posix()] = candidate.row
        text = render_document(candidate.data, [schema_comment("expert", 2)])
        session.changes.create(target, text.encode("utf-8"))
    if contacts_out is not None and any(c.contacts for c in report.candidates):
        session.changes.create(contacts_out, _contacts_csv(report.candidates, index))
        report.contacts_file = str(contacts_out)
    try:
        session.commit(report, dry_run=dry_run)
    except InvalidChange as exc:
        raise ImportFailed(table.where, _by_row(exc.findings, by_path)) from None
    _notes(report, secret is not None, contacts_out)
    return report


# --- the table as a whole ------------------------------------------------------------------------


def _check_columns(table: Table, spec: dict[str, Any]) -> None:
    columns = spec["columns"]
    missing = [k for k in spec["required_values"] if k not in table.columns]
    if "id_number" not in table.columns and "birth" not in table.columns:
        missing.append("birth")
    if not missing:
        return
    names = "、".join(f"“{columns[k]['header']}”" for k in missing)
    supplementary = [k for k in missing if k not in spec["table_columns"]]
    hint = ("；附件2 没有的栏目请按申请表（附件1）补在表格右侧，列名照写" if supplementary else "")
    raise ImportFailed(table.where, [RowError(table.header_row, f"表头缺少栏目 {names}{hint}")])


def _recommender(table: Table, index: InstitutionIndex, given: str | None) -> str | None:
    label_text = str(table_spec()["filled_by_label"])
    text = given
    where = "--recommended-by"
    if text is None:
        for number, values in enumerate(table.preamble, 1):
            cells = [as_text(v) for v in values]
            for i, cell in enumerate(cells):
                if cell and cell.startswith(label_text):
                    rest = re.sub(r"^[^：:]*[：:]", "", cell).strip()
                    after = next((c for c in cells[i + 1:] if c), None)
                    text = rest or after
                    where = f"第 {number} 行“{label_text}”"
                    break
            if text:
                break
    if not text:
        return None
    found = index.match(text)
    if found is None:
        raise ImportFailed(table.where, [RowError(0, f"{where}写的推荐单位“{text}”不在名册中{index.describe_suggestions(text)}："
                                                    "请先用 roster new institution 建立该单位，或在其 aliases 中加上这个写法")])
    return found.id


# --- one row -----------------------------------------------------------------------------------------


class _RowProblems(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages[0])
        self.messages = messages


def _words(group: str) -> dict[str, str]:
    """word → code for a mapping such as fields or education in import_table.yaml."""
    return {unicodedata.normalize("NFKC", str(w)): code for code, words in table_spec()[group].items() for w in words}


def _candidate(row: Row, spec: dict[str, Any], secret: bytes | None, pledged: list[str]) -> Candidate:
    problems: list[str] = []
    headers = {k: v["header"] for k, v in spec["columns"].items()}
    text = {k: as_text(v) for k, v in row.cells.items()}
    plain = {k: unicodedata.normalize("NFKC", v) if v else v for k, v in text.items()}  # for codes, dates, numbers

    def need(key: str) -> str | None:
        value = text.get(key)
        if value is None:
            problems.append(f"“{headers[key]}”没有填写")
        return value

    data: dict[str, Any] = {}
    name = need("name")
    if name:
        name = _CJK_SPACE.sub("", name)
        if not 2 <= len(name) <= 30:
            problems.append(f"姓名“{name}”应为 2–30 个字")
        data["name"] = name
    gender = need("gender") and plain["gender"]
    if gender:
        gender = {"男性": "男", "女性": "女"}.get(gender, gender)
        if gender not in ("男", "女"):
            problems.append(f"性别“{gender}”应为 男 或 女")
        data["gender"] = gender
    id_number = _id_number(row.cells.get("id_number"), problems)
    birth = _birth(plain.get("birth"), id_number, gender, problems)
    if birth:
        data["birth"] = birth
    elif row.cells.get("id_number") in (None, "") and text.get("birth") is None:
        problems.append("“出生年月”没有填写（身份证号也没有填写，无法得出出生年月）")
    ethnicity = text.get("ethnicity")
    if ethnicity:
        data["ethnicity"] = ethnicity if ethnicity.endswith("族") else ethnicity + "族"
    field_text = need("field")
    if field_text:
        category = _words("fields").get(unicodedata.normalize("NFKC", field_text))
        if category is None:
            problems.append(f"领域“{field_text}”应为 医药类、信息技术类、财务类、医保政策及管理类 之一（西藏办法第十一条：每位专家归入一类）")
        data["category"] = category
    specialty = need("specialty")
    if specialty:
        items = [s.strip() for s in _SPLIT.split(specialty) if s.strip()]
        long = [s for s in items if len(s) > 30]
        if long:
            problems.append(f"擅长专业中的“{long[0][:12]}…”超过 30 个字：请只写专业名称，多个专业用顿号分隔")
        data["specialties"] = list(dict.fromkeys(items))
    unit = need("unit")
    if text.get("position"):
        data["position"] = text["position"]
    education = need("education")
    if education:
        level = _words("education").get(unicodedata.normalize("NFKC", education))
        if level is None:
            problems.append(f"最高学历“{education}”应为 大专、本科、硕士研究生、博士研究生 等")
        data["education"] = {"level": level}
        for key in ("school", "major"):
            if text.get(key):
                data["education"][key] = text[key]
    title = need("title")
    if title:
        level = _title_level(title)
        if level is None:
            problems.append(f"专业职称“{title}”不在职称表（data/titles.yaml，按国家职称制度的系列列出）中，无法判断职称级别："
                            f"请写完整规范的职称名称，如 主任医师、主任藏医师、副主任药师、主治医师、高级会计师、助理研究员")
        data["title"] = {"name": title, "level": level}
        since = plain.get("title_since")
        if since:
            data["title"]["since"] = _month(since, headers["title_since"], problems)
    start = need("work_start") and plain["work_start"]
    if start:
        data["work_start"] = _month(start, headers["work_start"], problems)
    servant = need("civil_servant") and plain["civil_servant"]
    if servant:
        words = table_spec()
        if servant.casefold() in [str(w) for w in words["true_words"]]:
            data["civil_servant"] = True
        elif servant.casefold() in [str(w) for w in words["false_words"]]:
            data["civil_servant"] = False
        else:
            problems.append(f"是否公务员“{servant}”应为 是 或 否")
    signed = need("signed") and plain["signed"]
    if signed:
        try:
            day = parse_date(_date_text(signed))
            # the signed pledge (承诺书) covers every item the policy asks for
            data["declarations"] = {**dict.fromkeys(pledged, True), "signed": day.isoformat()}
        except ValueError as exc:
            problems.append(f"承诺书签署日期有误：{exc}")
    if problems:
        raise _RowProblems(problems)
    if secret is not None and id_number is not None:
        data["person_key"] = person_key(id_number, secret)
    contacts = {k: text[k] for k in table_spec()["contact_columns"] if text.get(k)}
    return Candidate(row.number, data, str(unit), {k: str(v) for k, v in contacts.items()}, id_number)


def _id_number(value: Any, problems: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        problems.append("身份证号被 Excel 存成了数字（末几位已经丢失）：请把该列设为“文本”格式后重新填写")
        return None
    number = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").upper()
    if not valid_id_number(number):
        shown = mask_id_number(number) if len(number) >= 6 else "（过短）"
        problems.append(f"身份证号 {shown} 无效（位数、出生日期或校验位不对）：请核对后重新填写")
        return None
    return number


def _birth(given: str | None, id_number: str | None, gender: str | None, problems: list[str]) -> str | None:
    from_id = f"{id_number[6:10]}-{id_number[10:12]}" if id_number else None
    if id_number and gender in ("男", "女"):
        id_gender = "男" if int(id_number[16]) % 2 else "女"
        if id_gender != gender:
            problems.append(f"性别“{gender}”与身份证号不符（身份证号显示为{id_gender}）：请核对")
    if given is None:
        return from_id
    month = _month(given, "出生年月", problems)
    if month and from_id and month != from_id:
        problems.append(f"出生年月 {month} 与身份证号中的 {from_id} 不符：请核对")
    return month or from_id


def _date_text(text: str) -> str:
    match = re.fullmatch(r"([0-9]{4})\s*(?:年|[-./])\s*([0-9]{1,2})\s*(?:月|[-./])\s*([0-9]{1,2})\s*日?", text)
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else text


def _month(text: str, what: str, problems: list[str]) -> str | None:
    match = _MONTH.fullmatch(text)
    candidate = f"{match.group(1)}-{int(match.group(2)):02d}" if match else text
    try:
        year, month = parse_month(candidate)
    except ValueError:
        problems.append(f"{what}“{text}”应写成 YYYY-MM，如 1998-07")
        return None
    return f"{year:04d}-{month:02d}"


def _title_level(title: str) -> str | None:
    """The level of a title by its series (data/titles.yaml), matched on the whole name; None when unknown."""
    return title_levels().get(re.sub(r"[（(][^）)]*[）)]|\s", "", title))


@cache
def title_levels() -> dict[str, str]:
    """Every title name of data/titles.yaml → its level (主任{k}医师 expanded for 中医 and each 民族医)."""
    data = packaged("data/titles.yaml")
    kinds = ["", *data["medicine_kinds"]]
    names: dict[str, str] = {}
    for series in data["series"].values():
        for level, titles in series.items():
            for title in titles:
                names.update({str(title).format(k=k): level for k in kinds})
    for level, words in data["levels"].items():
        names.update({str(w): level for w in words})
    return names


# --- across rows -------------------------------------------------------------------------------------


def _match_units(session: Session, report: ImportReport, index: InstitutionIndex, create: bool) -> list[RowError]:
    errors = []
    created: dict[str, str] = {}
    units = IdAllocator(session.root, "institution")
    region = ((session.registry.settings.data.get("bureau") or {}).get("region")
              if session.registry.settings else None)
    for candidate in report.candidates:
        found = index.match(candidate.unit_name)
        if found is not None and found.id:
            candidate.data["employer"] = found.id
            candidate.employer_name = str(found.data.get("name"))
            continue
        key = candidate.unit_name
        if not create:
            errors.append(RowError(candidate.row, f"名册中没有单位“{candidate.unit_name}”{index.describe_suggestions(key)}："
                                                  "如是同一单位的其他写法，请把这个写法加到该单位的 aliases 中；"
                                                  "如是新单位，请先 roster new institution，或加 --create-institutions 自动建立"))
            continue
        if key not in created:
            ident = units.next()
            created[key] = ident
            unit: dict[str, Any] = {"id": ident, "name": key, "type": guess_type(key, table_spec()["institution_types"]),
                                    "legal_entity": ident, "region": region or "000000",
                                    "remarks": "由 roster import --create-institutions 建立：请核对单位类型、等级、所属法人单位和行政区划"}
            report.institutions.append(sort_record("institution", unit))
        candidate.data["employer"] = created[key]
        candidate.employer_name = key
    return errors


def _duplicates(candidates: list[Candidate], experts: list[Record], notes: list[str]) -> list[RowError]:
    errors = []
    keys = {r.data.get("person_key"): r for r in experts if isinstance(r.data.get("person_key"), str)}
    people = {(r.data.get("name"), r.data.get("birth"), r.data.get("gender")): r for r in experts}
    seen_ids: dict[str, int] = {}
    seen_people: dict[tuple[Any, ...], int] = {}
    for c in candidates:
        if c.id_number is not None:
            if c.id_number in seen_ids:
                errors.append(RowError(c.row, f"与第 {seen_ids[c.id_number]} 行的身份证号相同：同一人只能导入一次"))
            seen_ids.setdefault(c.id_number, c.row)
        who = (c.data.get("name"), c.data.get("birth"), c.data.get("gender"))
        if who in seen_people and c.id_number is None:
            errors.append(RowError(c.row, f"与第 {seen_people[who]} 行的姓名、出生年月、性别都相同：同一人只能导入一次"))
        seen_people.setdefault(who, c.row)
        same = keys.get(c.data.get("person_key"))
        if same is not None:
            errors.append(RowError(c.row, f"与名册中的 {same.id} {same.data.get('name')}（{label('statuses', str(same.data.get('status')))}）"
                                          "身份指纹相同，是同一人：不要重复导入"))
        elif who in people:
            other = people[who]
            notes.append(f"第 {c.row} 行 {c.data.get('name')} 与名册中的 {other.id}（{label('statuses', str(other.data.get('status')))}）"
                         "姓名、出生年月、性别都相同：请核实是否为同一人")
    return errors


def _by_row(findings: list[Finding], by_path: dict[str, int]) -> list[RowError]:
    errors = []
    for f in findings:
        row = by_path.get(Path(f.path).resolve().as_posix(), 0)
        where = f"（{f.record}）" if f.record else f"（{f.path}）"
        cite = f"（依据：{f.citation}）" if f.citation else ""
        errors.append(RowError(row, f"{where}{f.message}{cite} [{f.rule}]"))
    return sorted(errors, key=lambda e: e.row)


# --- contacts, notes ---------------------------------------------------------------------------------


def _check_contacts_path(root: Path, target: Path) -> None:
    repo = repository_root(root)
    resolved = target.expanduser().resolve()
    if resolved == repo or repo in resolved.parents:
        raise EditError(f"联系方式文件 {target} 在仓库（{repo}）之内，可能被提交：请写到仓库以外的位置，例如 ~/专家联系方式.csv")
    if resolved.exists():
        raise EditError(f"{target} 已经存在：不会覆盖，请换一个文件名")
    if not resolved.parent.is_dir():
        raise EditError(f"{resolved.parent} 文件夹不存在：请先建立，或换一个位置")


def _contacts_csv(candidates: list[Candidate], index: InstitutionIndex) -> bytes:
    headers = table_spec()["columns"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["编号", "姓名", "工作单位", *(headers[k]["header"] for k in table_spec()["contact_columns"])])
    for c in candidates:
        if c.contacts:
            writer.writerow([c.data["id"], c.data["name"], c.unit_name,
                             *(c.contacts.get(k, "") for k in table_spec()["contact_columns"])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _notes(report: ImportReport, keyed: bool, contacts_out: Path | None) -> None:
    with_id = sum(1 for c in report.candidates if c.id_number)
    if with_id:
        if keyed:
            report.notes.append(f"身份证号：{with_id} 人，已换算为身份指纹 person_key（本局密钥 {PERSON_KEY_ENV}），身份证号本身没有写入名册。")
        else:
            report.notes.append(f"身份证号：{with_id} 人，只用于核对出生年月和性别，没有写入名册（没有设置本局密钥 {PERSON_KEY_ENV}，"
                                "未写入身份指纹 person_key）。")
    with_contacts = sum(1 for c in report.candidates if c.contacts)
    if with_contacts:
        base = (f"手机号码、邮箱、微信号：{with_contacts} 人填写了联系方式，没有写入名册"
                "（个人信息保护法第二十五条；名册和网站不保存联系方式）")
        if contacts_out is not None:
            report.notes.append(base + f"；已另存到仓库以外的文件 {contacts_out}，请妥善保管。")
        else:
            report.notes.append(base + "；如需保留，请加 --contacts-out <仓库以外的文件> 另存。")
