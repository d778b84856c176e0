"""`roster import`: the unit recommendation summary table (XZ 附件2) → expert candidate records.

One candidate per row. The unit is matched by name or alias (or created with
`create_institutions`); the category comes from the 领域 column; 身份证号 gives the birth month,
is checked against 性别 and becomes the keyed fingerprint `person_key` when the bureau's key is set
(ROSTER_PERSON_KEY), and is otherwise dropped. 手机号码、邮箱、微信号 never reach the registry
(个人信息保护法第二十五条; 规则 F); they can be written to a file outside the repository.

附件2 itself has no birth month, education, start of work, civil-servant flag or declarations, which an
expert needs before admission (附件1, the application form, has most of them). Extra columns on the
right of the table are read when present (data/import_table.yaml lists them and what field each
fills); whatever a row lacks is listed in the candidate's `incomplete` (field and the form it comes
from), and `roster admit` refuses the candidate until the list is gone. Declarations are read item
by item, each from its own column (staff/declarations.py): an item the policy asks for that the
table has no column or no answer for is listed in `incomplete`, never set true.

All or nothing: every row is read, the rows that could be read are checked against the schema and
the policy's rules in memory, and every problem of every row is reported in one run (by spreadsheet
row number); any problem means no file is written.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..check.integrity import completable_fields
from ..check.pii import mask_id_number, person_key, valid_id_number
from ..check.registry import Record
from ..check.schemas import SchemaSet
from ..core import progress
from ..core.choices import choice, yes_no
from ..core.errors import EditError
from ..core.findings import Finding
from ..core.timeutil import parse_date, parse_month
from ..policies.presets import Declarations, label, labels
from ..rules.admission import declaration_date_problem
from ..rules.base import Policy, as_date
from ..yamlio.fieldorder import sort_record
from ..yamlio.packaged import packaged
from ..yamlio.yamltext import render_document, schema_comment
from .changeset import InvalidChange
from .declarations import read_answer, required_items
from .ids import IdAllocator, record_path
from .institutions import InstitutionIndex, guess_type
from .outputs import output_path, repository_root
from .session import Result, Session
from .spreadsheet import Row, Table, as_text, read_table
from .staffdata import cite_rule, policy_for, staff_data

__all__ = ["PERSON_KEY_ENV", "ImportFailed", "RowError", "bureau_secret", "import_table", "repository_root"]

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


def bureau_secret() -> bytes | None:
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
    secret = bureau_secret()
    if contacts_out is not None:
        contacts_out = contacts_out.expanduser()
        _check_contacts_path(root, contacts_out)
    spec = table_spec()
    table = read_table(path, spec["columns"])
    report = ImportReport(table=table)
    _check_columns(table, spec)
    policy = policy_for(session.registry, "experts")
    citation = cite_rule(policy, "admission.route")
    how = reading_for(policy, secret, today)
    index = InstitutionIndex(session.registry.of_kind("institution"))
    recommender = _recommender(table, index, recommended_by)
    errors: list[RowError] = []
    day = on or today
    for row in progress.track(table.rows, "读取表格"):
        try:
            report.candidates.append(_candidate(row, spec, how))
        except _RowProblems as exc:
            errors += [RowError(row.number, m) for m in exc.messages]
    if not table.rows:
        errors.append(RowError(0, f"表头（第 {table.header_row} 行）以下没有填写任何人员"))
    errors += _match_units(session, report, index, create_institutions)
    errors += _duplicates(report.candidates, session.registry.of_kind("expert"), report.notes)
    # rows with a problem are left out; the others are still checked against the rules, so that every
    # problem of the table is reported in one run
    bad_rows = {e.row for e in errors}
    report.candidates = [c for c in report.candidates if c.row not in bad_rows]
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
        session.commit(report, dry_run=dry_run or bool(errors))
    except InvalidChange as exc:
        errors += _by_row(exc.findings, by_path)
    if errors:
        raise ImportFailed(table.where, sorted(errors, key=lambda e: e.row))
    _notes(report, secret is not None, contacts_out)
    return report


# --- the table as a whole ------------------------------------------------------------------------


def _check_columns(table: Table, spec: dict[str, Any]) -> None:
    missing = [k for k in spec["header_needs"] if k not in table.columns]
    if missing:
        names = "、".join(f"“{spec['columns'][k]['header']}”" for k in missing)
        raise ImportFailed(table.where, [RowError(table.header_row, f"表头缺少栏目 {names}：请按{spec['source']['title']}的列名填写")])


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


class _Bad(Exception):
    """A cell that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Reading:
    """What reading a row needs besides the row: the policy's choices and the bureau's key."""

    categories: dict[str, str]  # Chinese word or code → category code the policy allows
    category_hint: str  # “医药类、信息技术类…之一（《…》第十一条）”
    pledged: list[str]  # the declaration items the policy requires
    declarations: Declarations  # their clauses and where the preset's form has them
    since_needed: frozenset[str]  # title levels whose `since` the title rule reads
    completable: list[str]  # fields a candidate may lack until admitted (schema)
    secret: bytes | None
    today: date  # a signing date after it is refused
    cite: Callable[[str], str]  # a clause of the preset → 《简称》第N条


def reading_for(policy: Policy, secret: bytes | None, today: date) -> Reading:
    spec = table_spec()
    category_rule = policy.rules.get("admission.category")
    allowed = [str(c) for c in (category_rule.params.get("categories", []) if category_rule else [])] or list(labels()["categories"])
    words = {code: code for code in allowed}
    words.update({label("categories", code): code for code in allowed})
    words.update({unicodedata.normalize("NFKC", str(w)): code for code, ws in spec["fields"].items() if code in allowed for w in ws})
    shown = "、".join(label("categories", c) for c in allowed)
    hint = f"{shown} 之一（{category_rule.citation}）" if category_rule else f"{shown} 之一"
    title_rule = policy.rules.get("admission.title")
    since = frozenset(str(title_rule.params[k]) for k in ("or_level",) if title_rule and k in title_rule.params)
    return Reading(words, hint, required_items(policy), policy.preset.declarations, since,
                   list(completable_fields()), secret, today, policy.cite)


def _candidate(row: Row, spec: dict[str, Any], how: Reading) -> Candidate:
    """One row → a candidate record; what the row lacks is listed in `incomplete`, what is wrong is raised."""
    problems: list[str] = []
    text = {k: as_text(v) for k, v in row.cells.items()}
    for key in spec["row_needs"]:
        if text.get(key) is None:
            problems.append(f"“{spec['columns'][key]['header']}”没有填写")
    data = _read_cells(text, spec, how, problems)
    awaited = _declarations(data, how, problems)
    id_number = _id_number(row.cells.get("id_number"), problems)
    _person_from_id(data, id_number, problems)
    _declarations_allowed(data, spec, how, problems)
    if problems:
        raise _RowProblems(problems)
    missing = [f for f in how.completable if f not in data and not (f == "declarations" and awaited)]
    if (data.get("title") or {}).get("level") in how.since_needed and "since" not in data["title"]:
        missing.append("title.since")
    incomplete = [{"field": f, "source": str(spec["sources"][f])} for f in missing] + awaited
    if incomplete:
        data["incomplete"] = incomplete
    if how.secret is not None and id_number is not None:
        data["person_key"] = person_key(id_number, how.secret)
    contacts = {k: str(text[k]) for k in spec["contact_columns"] if text.get(k)}
    return Candidate(row.number, data, str(text.get("unit")), contacts, id_number)


def _read_cells(text: dict[str, str | None], spec: dict[str, Any], how: Reading, problems: list[str]) -> dict[str, Any]:
    """Every column that has a reader and a value, read into its field (`to`); a nested field such as
    education.school is kept only when its parent has what the schema requires of it (education.level)."""
    data: dict[str, Any] = {}
    for key, column in spec["columns"].items():
        value = text.get(key)
        if value is None or "read" not in column:
            continue
        try:
            read = read_answer(value, key, how.declarations) if column["read"] == "declaration" else \
                READERS[column["read"]](value, how)
        except ValueError as exc:
            problems.append(f"{column['header']}“{value}”：{exc}")
            continue
        except _Bad as exc:
            problems.append(f"{column['header']}“{value}”{exc}")
            continue
        parent, _, child = str(column["to"]).partition(".")
        if parent == "declarations":
            data.setdefault(parent, {})[child] = read
        elif not child:
            data[parent] = read
        elif isinstance(data.get(parent), dict) or child in _required_of(parent):
            data.setdefault(parent, {})[child] = read
    return data


@cache
def _required_of(field_name: str) -> frozenset[str]:
    return frozenset(SchemaSet().node_at("expert", (field_name,)).get("required", []))


def _person_from_id(data: dict[str, Any], id_number: str | None, problems: list[str]) -> None:
    """Birth month and gender from the ID number, or checked against it when the row gives them."""
    if id_number is None:
        return
    from_id = f"{id_number[6:10]}-{id_number[10:12]}"
    id_gender = "男" if int(id_number[16]) % 2 else "女"
    if data.get("gender", id_gender) != id_gender:
        problems.append(f"性别“{data['gender']}”与身份证号不符（身份证号显示为{id_gender}）：请核对")
    if data.get("birth", from_id) != from_id:
        problems.append(f"出生年月 {data['birth']} 与身份证号中的 {from_id} 不符：请核对")
    data.setdefault("gender", id_gender)
    data.setdefault("birth", from_id)


def _plain(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _read_name(value: str, how: Reading) -> str:
    return _CJK_SPACE.sub("", value)


def _read_gender(value: str, how: Reading) -> str:
    gender = {"男性": "男", "女性": "女"}.get(_plain(value), _plain(value))
    if gender not in ("男", "女"):
        raise _Bad("应为 男 或 女")
    return gender


def _read_category(value: str, how: Reading) -> str:
    found = how.categories.get(_plain(value))
    if found is None:
        raise _Bad(f"应为 {how.category_hint}")
    return found


def _read_list(value: str, how: Reading) -> list[str]:
    return list(dict.fromkeys(s.strip() for s in _SPLIT.split(value) if s.strip()))


def _read_education(value: str, how: Reading) -> str:
    level = _words("education").get(_plain(value)) or choice("education_levels", value)
    if level is None:
        raise _Bad("应为 " + "、".join(labels()["education_levels"].values()) + " 之一")
    return level


def _read_title(value: str, how: Reading) -> dict[str, str]:
    level = _title_level(value)
    if level is None:
        raise _Bad("不在职称表（data/titles.yaml，按国家职称制度的系列列出）中，无法判断职称级别："
                   "请写完整规范的职称名称，如 主任医师、主任藏医师、副主任药师、主治医师、高级会计师、助理研究员")
    return {"name": value, "level": level}


def _read_month(value: str, how: Reading) -> str:
    match = _MONTH.fullmatch(_plain(value))
    candidate = f"{match.group(1)}-{int(match.group(2)):02d}" if match else _plain(value)
    try:
        year, month = parse_month(candidate)
    except ValueError:
        raise _Bad("应写成 YYYY-MM，如 1998-07") from None
    return f"{year:04d}-{month:02d}"


def _read_yes_no(value: str, how: Reading) -> bool:
    truth = yes_no(value)
    if truth is None:
        raise _Bad("应为 是 或 否")
    return truth


def _read_date(value: str, how: Reading) -> str:
    try:
        return parse_date(_date_text(_plain(value))).isoformat()
    except ValueError:
        raise _Bad("应写成 YYYY-MM-DD，如 2026-11-30") from None


def _declarations(data: dict[str, Any], how: Reading, problems: list[str]) -> list[dict[str, str]]:
    """Each item from its own column, dated by the signing-date column; the items the policy requires
    that the row does not answer are returned as `incomplete` entries (never set true)."""
    read = data.pop("declarations", {})
    day = read.pop("date", None)
    if read and day is None:
        problems.append(f"填写了承诺事项（{'、'.join(label('declarations', c) for c in read)}），"
                        f"但“{table_spec()['columns']['signed']['header']}”没有填写：请写明本人签署或审查核实的日期")
        return []
    items = {code: {**answer, "date": day} for code, answer in read.items()}
    if items:
        data["declarations"] = items
    return [{"field": f"declarations.{code}", "source": how.declarations.where(code)}
            for code in how.pledged if code not in items]


def _declarations_allowed(data: dict[str, Any], spec: dict[str, Any], how: Reading, problems: list[str]) -> None:
    """In the table's own terms: a 否 keeps the row out, and the signing date must be one the person can have signed on
    (the same test as validate: rules/admission.py declaration_date_problem)."""
    items = data.get("declarations") or {}
    headers = {str(c["to"]).partition(".")[2]: c["header"] for c in spec["columns"].values()
               if str(c.get("to", "")).startswith("declarations.")}
    for code, item in items.items():
        if item.get("confirmed") is False:
            clause = how.declarations.items.get(code)
            cited = f"（{how.cite(clause.clause)}：{clause.text}）" if clause else ""
            problems.append(f"“{headers.get(code, code)}”填的是“否”：本人未承诺此项或经{how.declarations.review}不属实，"
                            f"不符合入库条件{cited}，不能导入为候选人。核实属实的，请把该格改为 承诺书 或 审查；"
                            f"确不属实的，请把这一行从表中删去后再导入")
    day = next((as_date(i.get("date")) for i in items.values()), None)
    birth = data.get("birth")
    problem = declaration_date_problem(day, parse_month(birth) if isinstance(birth, str) else None, how.today, None) \
        if day else None
    if problem:
        problems.append(f"“{headers.get('date', '承诺书签署日期')}”的{problem}")


def _read_ethnicity(value: str, how: Reading) -> str:
    return value if value.endswith("族") else value + "族"


READERS: dict[str, Callable[[str, Reading], Any]] = {
    "text": lambda value, how: value, "name": _read_name, "gender": _read_gender, "category": _read_category,
    "list": _read_list, "education": _read_education, "title": _read_title, "month": _read_month,
    "yes_no": _read_yes_no, "date": _read_date, "ethnicity": _read_ethnicity,
}


def _words(group: str) -> dict[str, str]:
    """word → code for a mapping such as fields or education in import_table.yaml."""
    return {unicodedata.normalize("NFKC", str(w)): code for code, words in table_spec()[group].items() for w in words}


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


def _date_text(text: str) -> str:
    match = re.fullmatch(r"([0-9]{4})\s*(?:年|[-./])\s*([0-9]{1,2})\s*(?:月|[-./])\s*([0-9]{1,2})\s*日?", text)
    return f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}" if match else text


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
    output_path(root, target, "联系方式文件", "~/专家联系方式.csv")


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
