"""Every clause the package can emit is found in the text of its own preset's document (RULES F).

A citation is `《简称》第N条（M）：原文（说明）` or `本系统规则（为落实《简称》第N条而定）：规则`. For each
one the package can produce — the presets' rules, reasons, effective period, removal finality,
conduct and 公示 clauses, each declaration item, every draw exclusion and requirement, the "双随机" bases, and the
citations integrity, lifecycle and the demo draws carry — this test checks, against the shipped
texts (tools/roster/site/texts/, copies of shared/seeds/):

- the short title is the preset's own document (no Tibet finding cites Guiyang, and so on);
- every cited article exists, and every cited item （M） is in that article;
- a quoted text (split at “……”) is found verbatim in the cited articles; a rule's own `text` may
  condense several items, so rules are checked by article and item only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

from roster.draw.model import EXCLUSION_LABELS, clause
from roster.policies.presets import inspection_basis, inspections, labels, load_preset, preset_ids

REPO = Path(__file__).resolve().parents[2]
TEXTS = REPO / "tools/roster/site/texts"
NUMERAL = "一二三四五六七八九十百"
ARTICLE = re.compile(rf"第[{NUMERAL}]+条")
ITEM = re.compile(rf"（[{NUMERAL}]+）")
CITATION = re.compile(r"^《(?P<short>[^》]+)》(?P<clauses>[^：]+)(：(?P<text>.*?))?(（(?P<note>[^（）]*)）)?$")
SYSTEM = re.compile(r"^本系统规则（为落实《(?P<short>[^》]+)》(?P<clauses>.+?)而定）：(?P<note>.+)$")


def normal(text: str) -> str:
    """Compare texts without layout: no whitespace or list dashes, full-width brackets and semicolons."""
    text = text.replace("(", "（").replace(")", "）").replace(";", "；").replace(",", "，")
    return re.sub(r"(?m)^\s*-\s*", "", text).translate({ord(c): None for c in " \t\r\n\u3000"})


@cache
def short_titles() -> dict[str, str]:
    index = yaml.safe_load((TEXTS / "index.yaml").read_text(encoding="utf-8"))["texts"]
    return {meta["short"]: code for code, meta in index.items()}


@cache
def parts(code: str) -> dict[str, str]:
    """Article (第N条) → its text; for texts in sections (XZ-2021), section 二（一） → its text."""
    raw = (TEXTS / f"{code}.txt").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    if code == "xz-2021":
        section = ""
        for line in raw.splitlines():
            head = re.match(rf"^\s*([{NUMERAL}]+)、", line)
            item = re.match(rf"^\s*(（[{NUMERAL}]+）)", line)
            section = head.group(1) if head else section
            key = f"{section}{item.group(1)}" if item else None
            if key and key not in found:
                found[key] = ""
                current = key
            if found and not head:
                found[current] += line + "\n"
        return {k: normal(v) for k, v in found.items()}
    # the articles of the regulation itself start after the issuing notice (XZ quotes its own title there)
    matches = [m for m in re.finditer(rf"(?m)^\s*(第[{NUMERAL}]+条)", raw)]
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(raw)
        found.setdefault(match.group(1), normal(raw[match.start():end]))
    return found


def cited(code: str, clauses: str) -> list[tuple[str, list[str]]]:
    """“第六条 基本条件（四）、第七条（二）（三）” → [(第六条, [（四）]), (第七条, [（二）, （三）])]."""
    if code == "xz-2021":
        return [(c, []) for c in clauses.split("、")]
    out: list[tuple[str, list[str]]] = []
    for piece in clauses.split("、"):
        article = ARTICLE.match(piece.strip())
        if article:
            out.append((article.group(0), ITEM.findall(piece[article.end():])))
        else:
            assert out, f"“{clauses}” does not start with an article"
            out[-1][1].extend(ITEM.findall(piece))
    return out


def check(citation: str, document: str, *, verbatim: bool = True) -> None:
    """``citation`` is true to ``document`` (a text code): title, articles, items, quoted words."""
    system = SYSTEM.match(citation)
    match = system or CITATION.match(citation)
    assert match, f"not a citation: {citation}"
    assert short_titles().get(match.group("short")) == document, f"{citation}: cites another document than {document}"
    articles = parts(document)
    body = ""
    for article, items in cited(document, match.group("clauses")):
        assert article in articles, f"{citation}: {document} has no {article}"
        for item in items:
            assert item in articles[article], f"{citation}: {article} of {document} has no item {item}"
        body += articles[article]
    text = None if system else match.group("text")
    if verbatim and text:
        for fragment in filter(None, (normal(f) for f in text.split("……"))):
            assert fragment.rstrip("。；") in body, f"{citation}: “{fragment}” is not in {match.group('clauses')}"


def rule_citations(preset_id: str) -> Iterator[tuple[str, bool]]:
    preset = load_preset(preset_id)
    for spec in preset.rules.values():
        yield f"{preset.cite(spec.clause)}：{spec.text}", False
    for reason in preset.reasons:
        yield preset.cite(reason.clause), False
    yield f"{preset.cite(preset.effective.clause)}：{preset.effective.text}", True
    yield preset.cite(preset.removal.clause), True
    if preset.removal_citation():
        yield str(preset.removal_citation()), True
    for conduct_clause in preset.conduct_clauses.values():
        yield preset.cite(conduct_clause), True
    for item in preset.declarations.items.values():  # each declaration item cites its own clause, quoted
        yield f"{preset.cite(item.clause)}：{item.text}", True


def draw_kinds(policy: str) -> set[str]:
    """Every kind a draw can cite: exclusions (per status too) and requirements."""
    statuses = {f"status_{s}" for s in labels()["statuses"]}
    requirements = {"record", "size", "secrecy", "replacement", "composition"}
    return set(EXCLUSION_LABELS) | statuses | requirements


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_preset_citations_are_true_to_the_document(preset_id: str) -> None:
    document = preset_id
    for citation, verbatim in rule_citations(preset_id):
        check(citation, document, verbatim=verbatim)


@pytest.mark.parametrize("preset_id", ["gy-2022", "jn", "xz-2023"])
def test_every_draw_citation_is_true_to_the_document(preset_id: str) -> None:
    for kind in sorted(draw_kinds(preset_id)):
        check(clause(preset_id, kind), preset_id)


@pytest.mark.parametrize("basis", ["hy", "xz-2021"])
def test_institution_draw_citations_are_true_to_the_bureaus_basis(basis: str) -> None:
    assert inspection_basis(basis).id == basis
    for kind in sorted(draw_kinds(basis)):
        check(clause(basis, kind), basis)


def test_a_bureau_without_a_basis_is_told_to_name_one() -> None:
    assert set(inspections()["bases"]) == {"xz-2021", "hy", "none"}
    assert "rosters.institutions.basis" in clause("none", "status")


def test_system_rules_are_labelled_as_such() -> None:
    """补抽, the replacement order and suspensions are this system's rules, never an article's words."""
    for preset_id in preset_ids():
        for kind in ("previous_draw", "replacement", "suspended"):
            assert clause(preset_id, kind).startswith("本系统规则（为落实《"), (preset_id, kind)


def test_the_demo_draws_cite_their_own_preset() -> None:
    settings = yaml.safe_load((REPO / "registry/registry.yaml").read_text(encoding="utf-8"))
    documents = {"experts": settings["rosters"]["experts"]["policy"], "supervisors": settings["rosters"]["supervisors"]["policy"],
                 "institutions": inspections()["default_by_preset"][settings["rosters"]["experts"]["policy"]]}
    seen = 0
    for path in sorted((REPO / "registry/draws").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for exclusion in data.get("exclusions") or []:
            check(exclusion["clause"], documents[data.get("roster", "experts")])
            seen += 1
    assert seen > 20


def test_lifecycle_data_holds_no_citation() -> None:
    """Finality of removal is the preset's (XZ 第二十八条 only); lifecycle.yaml holds statuses and moves."""
    text = (REPO / "tools/roster/data/lifecycle.yaml").read_text(encoding="utf-8")
    values = yaml.safe_load(text)
    assert "《" not in yaml.safe_dump(values, allow_unicode=True)


# a clause as messages write it (“《…》第十三条”, “办法第十一条”, “第九条（三）”), not “状态记录的第一条”
CLAUSE_IN_CODE = re.compile(rf"(》|办法|规定)第[{NUMERAL}]+条|第[{NUMERAL}]+条（")
LAYERS = ("check", "rules", "draw", "staff", "policies")
# modules other engineers are changing in parallel (privacy messages, import), reported to the lead
KNOWN = {"check/filecheck.py", "staff/importer.py"}


def test_no_clause_is_written_in_python_code() -> None:
    """No finding's clause is a string literal in the checking, rule, draw or staff code (docstrings aside)."""
    found = []
    for layer in LAYERS:
        for path in sorted((REPO / "tools/roster" / layer).rglob("*.py")):
            if path.relative_to(REPO / "tools/roster").as_posix() in KNOWN:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = {id(node.body[0].value) for node in ast.walk(tree)
                    if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                    and isinstance(node.body[0], ast.Expr)}
            found += [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                      and CLAUSE_IN_CODE.search(node.value)]
    assert found == []
