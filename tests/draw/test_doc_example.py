"""The worked example in docs/draw-algorithm.md is computed by the code: this test recomputes it.

The block between the ``<!-- 算例开始 -->`` and ``<!-- 算例结束 -->`` markers must equal
:func:`worked_example`; to refresh it after a deliberate change run
``.venv/bin/python tests/draw/test_doc_example.py --write``.
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path

from roster.draw.canonical import canonical_request, commitment, sealed_exclusions
from roster.draw.chances import estimate
from roster.draw.rfc3797 import format_rfc_table, key_string, parse_sources, permutation
from roster.draw.walk import Member, PanelRequest, replacement, walk

DOC = Path(__file__).resolve().parents[2] / "docs" / "draw-algorithm.md"
START, END = "<!-- 算例开始 -->", "<!-- 算例结束 -->"

MEMBERS = {
    "E0101": Member("医药类", "I0001", "I0001"),
    "E0102": Member("医药类", "I0002", "I0001"),
    "E0103": Member("医药类", "I0003", "I0003"),
    "E0104": Member("医药类", "I0004", "I0004"),
    "E0105": Member("信息技术类", "I0001", "I0001"),
    "E0106": Member("医药类", "I0005", "I0005"),
    "E0107": Member("财务类", "I0003", "I0003"),
    "E0108": Member("财务类", "I0006", "I0006"),
    "E0109": Member("财务类", "I0007", "I0007"),
}
QUOTAS = {"医药类": 2, "信息技术类": 1, "财务类": 2}
REQUEST = PanelRequest(quotas=QUOTAS, max_per_institution=1, max_per_legal_entity=1)
SOURCES = ["03 19 23 25 29 32 + 08", "3449.67"]
DECLINED = "E0104"


def valid(panel: Sequence[str]) -> bool:
    """The rules written out plainly (independent of walk.py)."""
    groups = Counter(MEMBERS[c].group for c in panel)
    institutions = Counter(MEMBERS[c].institution for c in panel)
    entities = Counter(MEMBERS[c].legal_entity for c in panel)
    return (all(groups[g] <= QUOTAS.get(g, 0) for g in groups) and max(institutions.values(), default=0) <= 1
            and max(entities.values(), default=0) <= 1)


def completable(panel: Sequence[str], later: Sequence[str]) -> bool:
    room = sum(QUOTAS.values()) - len(panel)
    return any(valid([*panel, *combo]) for combo in itertools.combinations(later, room))


def why_not(panel: Sequence[str], candidate: str, later: Sequence[str]) -> str:
    member = MEMBERS[candidate]
    if Counter(MEMBERS[c].group for c in panel)[member.group] >= QUOTAS[member.group]:
        return f"跳过：{member.group}名额已满"
    holder = next((c for c in panel if MEMBERS[c].institution == member.institution), None)
    if holder:
        return f"跳过：单位 {member.institution} 已有 {holder}"
    holder = next((c for c in panel if MEMBERS[c].legal_entity == member.legal_entity), None)
    if holder:
        return f"跳过：法人单位 {member.legal_entity} 已有 {holder}"
    if not completable([*panel, candidate], later):
        return "跳过：选了之后，其余名额无法由排在后面的人补齐"
    return "入选"


def worked_example() -> str:
    ids = sorted(MEMBERS)
    parts = [part for text in SOURCES for part in parse_sources(text)]
    key = key_string(parts)
    steps = permutation(len(ids), key)
    order = [ids[s.position - 1] for s in steps]
    result = walk(order, MEMBERS, REQUEST)
    lines = ["候选名单（已按编号排序，位置即 RFC 3797 中的序号）：", "",
             "| 位置 | 编号 | 名额组 | 单位 | 法人单位 |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {n} | {c} | {MEMBERS[c].group} | {MEMBERS[c].institution} | {MEMBERS[c].legal_entity} |"
              for n, c in enumerate(ids, start=1)]
    lines += ["", "请求：5 人，医药类 2 人、信息技术类 1 人、财务类 2 人，同一单位最多 1 人，同一法人单位最多 1 人。",
              f"随机源：双色球“{SOURCES[0]}”（红球、蓝球两个来源），上证指数收盘“{SOURCES[1]}”。", "",
              f"密钥串：`{key}`", "", "完整顺序（RFC 3797 的表格，最后一列为编号）：", "", "```text",
              *format_rfc_table(steps, ids).splitlines(), "```", "", "逐一检查：", "",
              "| 顺序 | 编号 | 名额组 | 单位 | 判断 |", "| --- | --- | --- | --- | --- |"]
    panel: list[str] = []
    for n, candidate in enumerate(order, start=1):
        if len(panel) == sum(QUOTAS.values()):
            break
        verdict = why_not(panel, candidate, order[n:])
        m = MEMBERS[candidate]
        lines.append(f"| {n} | {candidate} | {m.group} | {m.institution} | {verdict} |")
        if verdict == "入选":
            panel.append(candidate)
    assert tuple(panel) == result.panel
    lines += ["", f"抽中名单：{'、'.join(result.panel)}；替补顺序：{'、'.join(result.replacements)}。", ""]
    chosen = replacement(order, MEMBERS, REQUEST, result.panel, DECLINED)
    staying = [c for c in result.panel if c != DECLINED]
    lines.append(f"{DECLINED} 婉拒后，按替补顺序逐一检查（留下的是 {'、'.join(staying)}）：")
    lines.append("")
    for candidate in result.replacements:
        verdict = why_not(staying, candidate, [])
        lines.append(f"- {candidate}：{'递补' if candidate == chosen else verdict}")
        if candidate == chosen:
            break
    return "\n".join(lines)


@cache
def _chances(panel: frozenset[str], remaining: frozenset[str]) -> dict[str, Fraction]:
    """Exact chance of each candidate to end on the panel when the next one in the order is any of
    ``remaining`` with the same chance (every order equally likely), by the plain rules above."""
    if len(panel) == sum(QUOTAS.values()) or not remaining:
        return {c: Fraction(1) for c in panel}
    total: dict[str, Fraction] = {}
    for candidate in sorted(remaining):
        later = remaining - {candidate}
        takes = valid([*panel, candidate]) and completable([*panel, candidate], sorted(later))
        for who, chance in _chances(panel | {candidate} if takes else panel, later).items():
            total[who] = total.get(who, Fraction(0)) + chance / len(remaining)
    return total


def exact_chances() -> dict[str, Fraction]:
    found = _chances(frozenset(), frozenset(MEMBERS))
    return {c: found.get(c, Fraction(0)) for c in sorted(MEMBERS)}


def chances_table() -> str:
    lines = ["| 编号 | 名额组 | 单位 | 法人单位 | 被抽中的机会 |", "| --- | --- | --- | --- | --- |"]
    for candidate, chance in exact_chances().items():
        m = MEMBERS[candidate]
        lines.append(f"| {candidate} | {m.group} | {m.institution} | {m.legal_entity} | {chance}（{float(chance):.1%}） |")
    return "\n".join(lines)


CANONICAL_EXAMPLE: dict[str, object] = {
    "id": "D2026-001", "roster": "experts", "algorithm": "rfc3797",
    "request": {"size": 1, "sources": [{"name": "双色球", "kind": "ssq", "public_on": "2026-09-03"}],
                "max_per_institution": None},
    "candidates": ["E0002", "E0001"],
    "candidate_facts": {"E0002": {"quota": None, "institution": "I0001"}, "E0001": {"institution": "I0001"}},
    "exclusions": [],
}


def canonical_example() -> str:
    data = CANONICAL_EXAMPLE
    return "\n".join([
        "例：一份（简化的）请求，`max_per_institution` 与 E0002 的 `quota` 为 `null`，排除名单为空：", "",
        f"- 空排除名单 `[]` 的 SHA-256：`{sealed_exclusions(data)}`",
        "- 承诺值所哈希的字节（规范 JSON，UTF-8）：", "", "```json", canonical_request(data).decode("utf-8"), "```", "",
        f"- 承诺值：`{commitment(data)}`"])


MARKED = {("<!-- 算例开始 -->", "<!-- 算例结束 -->"): worked_example,
          ("<!-- 机会开始 -->", "<!-- 机会结束 -->"): chances_table,
          ("<!-- 规范开始 -->", "<!-- 规范结束 -->"): canonical_example}


def _block(text: str, start: str = START, end: str = END) -> str:
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_worked_example_matches_the_code() -> None:
    assert _block(DOC.read_text(encoding="utf-8")) == worked_example()


def test_exact_chances_and_canonical_example_match_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for (start, end), make in MARKED.items():
        assert _block(text, start, end) == make(), start


def test_the_simulation_agrees_with_the_exact_chances() -> None:
    found = estimate(sorted(MEMBERS), MEMBERS, REQUEST, runs=3000, seed=1)
    exact = exact_chances()
    for chance in found:
        assert abs(chance.share - float(exact[chance.candidate])) <= max(chance.margin, 0.005) * 1.5, chance


if __name__ == "__main__" and "--write" in sys.argv:
    text = DOC.read_text(encoding="utf-8")
    for (start, end), make in MARKED.items():
        head, rest = text.split(start, 1)
        text = f"{head}{start}\n\n{make()}\n\n{end}{rest.split(end, 1)[1]}"
    DOC.write_text(text, encoding="utf-8")
