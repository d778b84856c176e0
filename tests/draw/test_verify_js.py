"""The browser verifier (verify.js, run here with Node.js) and the Python engine give the same order and
panel on pools where same-specialty experts of one institution must be kept apart (GY 第十二条（二）)
and on the same pools without that rule."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from roster.site.draws import recompute

VERIFY_JS = Path(__file__).resolve().parents[2] / "tools/roster/site/assets/javascripts/verify.js"
RUNNER = """
const fs = require("fs");
global.window = {};
global.document = { readyState: "complete", querySelectorAll: () => [] };
eval(fs.readFileSync(process.argv[1], "utf8"));
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => {
  const got = window.RosterVerify.recompute(c);
  return { order: got.order, panel: got.panel };
})));
"""
SOURCES = [{"name": "中国福利彩票双色球第2026101期", "kind": "ssq"}, {"name": "体彩超级大乐透第26101期", "kind": "dlt"}]


SEVERAL = ["心血管内科", "呼吸内科", None, ["心血管内科", "呼吸内科"], ["呼吸内科", "老年医学"], ["老年医学", "心血管内科"]]


def _case(seed: int, distinct: bool, several: bool = False) -> dict[str, Any]:
    """A pool crowded into few institutions and specialties, so that the rule matters."""
    rng = random.Random(seed)
    ids = [f"E{n:04d}" for n in range(1, rng.randint(8, 16))]
    institutions = [rng.choice(["I0001", "I0002", "I0003", None]) for _ in ids]
    quotas = [{"category": "medical", "count": rng.randint(1, 3)}, {"category": "finance", "count": 1}]
    data: dict[str, Any] = {
        "algorithm": "rfc3797", "sources": SOURCES,
        "values": [" ".join(f"{n:02d}" for n in sorted(rng.sample(range(1, 34), 6))) + " + 08", "02 11 19 27 33 + 04 10"],
        "size": sum(q["count"] for q in quotas), "quotas": quotas, "max_per_institution": None, "max_per_legal_entity": None,
        "candidates": {"id": ids, "quota": [rng.choice([1, 1, 2]) for _ in ids], "institution": institutions,
                       "legal_entity": institutions,
                       "specialty": [rng.choice(SEVERAL if several else ["心血管内科", "呼吸内科", None]) for _ in ids]},
    }
    if distinct:
        data["distinct_institutions_per_specialty"] = True
    return data


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("CI 里必须用 Node.js 运行 verify.js")
        pytest.skip("找不到 node（Node.js ≥ 20）")
    return node


def _agree(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run `cases` through verify.js and the Python engine; both give the same order and panel (returned)."""
    done = subprocess.run([_node(), "-e", RUNNER, str(VERIFY_JS)], input=json.dumps(cases), capture_output=True,
                          text=True, check=True)
    got = json.loads(done.stdout)
    expected = [recompute(c) for c in cases]
    assert [g["order"] for g in got] == [e["order"] for e in expected]
    assert [g["panel"] for g in got] == [e["panel"] for e in expected]
    return expected


def test_python_and_javascript_draw_the_same_panels() -> None:
    cases = [_case(seed, distinct) for seed in range(25) for distinct in (True, False)]
    expected = _agree(cases)
    # the rule changes some panels: the cases do test it
    assert any(expected[2 * n]["panel"] != expected[2 * n + 1]["panel"] for n in range(25))


def _first_only(case: dict[str, Any]) -> dict[str, Any]:
    """The same case counted by each expert's first specialty only (the rule before issue 12)."""
    specialties = [s[0] if isinstance(s, list) else s for s in case["candidates"]["specialty"]]
    return {**case, "candidates": {**case["candidates"], "specialty": specialties}}


def test_python_and_javascript_agree_when_experts_have_several_specialties() -> None:
    """GY 第十二条（二） with an expert's several specialties: two of one institution sharing any conflict."""
    cases = [_case(seed, True, several=True) for seed in range(60)]
    for case in cases[::2]:  # a 补抽: the parent's panel seated against the rule from the start
        case["parent_members"] = [{"id": "E9001", "institution": "I0001", "legal_entity": "I0001",
                                   "specialty": ["心血管内科", "老年医学"]},
                                  {"id": "E9002", "institution": "I0002", "legal_entity": "I0002", "specialty": "呼吸内科"}]
    expected = _agree(cases)
    assert any(e["panel"] != recompute(_first_only(c))["panel"] for c, e in zip(cases, expected, strict=True))
    unseated = [{k: v for k, v in c.items() if k != "parent_members"} for c in cases[::2]]
    assert any(e["panel"] != recompute(u)["panel"] for u, e in zip(unseated, expected[::2], strict=True))
