"""The demo registry under the other presets: a Guiyang pool is drawn, a Jinning draw recuses.

Each variant is built from the shipped demo (registry/) in a temporary folder, changed only as the
preset requires, and drawn through the protocol as staff would.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from drawkit import VALUES, registry_at

from roster.draw.protocol import run
from roster.staff.draws import new_request
from variants import edit_yaml as _edit
from variants import gy_variant

DEMO = Path(__file__).resolve().parents[2] / "registry"

REQUEST: dict[str, Any] = {
    "purpose": "2026年第四季度示例市第二人民医院专项检查（示例变体）",
    "requested_by": "基金监管科",
    "operator": "示例抽取人甲",
    "supervisor": "示例监督人乙",
    "requested": "2026-11-02",
    "activity": {"start": "2026-11-23", "end": "2026-11-27"},
    "subjects": ["I0006"],
    "sources": [{"name": "中国福利彩票双色球第2026130期开奖号码", "kind": "ssq", "public_on": "2026-11-05"},
                {"name": "体彩超级大乐透第26130期开奖号码", "kind": "dlt", "public_on": "2026-11-07"}],
    "publish": "2026-12-15",
}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(DEMO, root)
    return root


def test_a_gy_pool_fills_its_panel(demo: Path) -> None:
    """Before the fix every gy-2022 expert was excluded “for term” and the draw could not be made."""
    request = dict(REQUEST, size=5,
                   quotas=[{"category": "medical", "count": 3}, {"category": "finance", "count": 1},
                           {"category": "it", "count": 1}])
    created = new_request(registry_at(gy_variant(demo)), request)
    assert not any(e.kind == "term" for e in created.pool.exclusions)
    assert len(created.pool.ids) > 30
    done = run(created.data, VALUES, date(2026, 11, 8))
    panel = done["result"]["panel"]
    assert len(panel) == 5
    facts = created.data["candidate_facts"]
    pairs = [(facts[e].get("institution"), s) for e in panel
             for s in (facts[e]["specialty"] if isinstance(facts[e]["specialty"], list) else [facts[e]["specialty"]])]
    assert len(set(pairs)) == len(pairs)  # GY 第十二条（二）: no specialty twice at one institution
    assert created.data["request"]["distinct_institutions_per_specialty"] is True
    cited = {e.clause for e in created.pool.exclusions}
    assert all("贵阳专家库管理规定" in c for c in cited) and not any("西藏" in c for c in cited)


def test_a_jn_draw_recuses_a_supervisor_by_jn_article_9_item_6(demo: Path) -> None:
    """S0006 works at I0026 and S0001 declared a relative there: both recused under JN 第九条（六）."""
    _edit(demo / "supervisors/S0001.yaml",
          lambda d: d.update(conflicts=[{"institution": "I0026", "relation": "relative_employed"}]))
    request = dict(REQUEST, subjects=["I0026"], size=2, max_per_institution=1)
    created = new_request(registry_at(demo), request, roster="supervisors")
    recused = {e.id: e for e in created.pool.exclusions if e.kind.startswith("recusal")}
    assert set(recused) == {"S0001", "S0006"}
    for exclusion in recused.values():
        assert exclusion.clause.startswith("《晋宁社会监督员管理办法》第九条（六）：社会监督员履行监督职责时，"
                                           "与被监督对象存在利益关系的应当回避")
    assert len(run(created.data, VALUES, date(2026, 11, 8))["result"]["panel"]) == 2
