"""Under a Guiyang registry the public pages cite Guiyang's articles, never Tibet's (RULES F: no citation
across jurisdictions), and personal-data findings cite this system's rule serving PIPL 第二十五条, not
GY 第十条 (which is about copying and leaking, not about what a roster may hold)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEMO_TODAY, REPO, Built
from roster.check.validate import check_registry, open_registry
from variants import gy_valid_variant

GY = "《贵阳专家库管理规定》"
XZ = "西藏"


def page(built: Built, path: str) -> str:
    return (built.result.docs_dir / path).read_text(encoding="utf-8")


def test_the_draws_page_cites_guiyang_for_the_record_and_for_secrecy(gy_site: Built) -> None:
    text = page(gy_site, "draws/index.md")
    assert f"留有书面记录（{GY}第十三条：" in text
    assert f"公布前保密（{GY}第十二条（五）：专家的抽取、通知等信息应予以保密）" in text
    assert XZ not in text and "第二十四条" not in text


def test_the_roster_pages_cite_guiyang_and_no_tibetan_article(gy_site: Built) -> None:
    assert f"专家库按专业分类管理（{GY}第七条）" in page(gy_site, "experts/index.md")
    pages = sorted((gy_site.result.docs_dir / "experts").glob("*.md"))
    assert len(pages) > 3
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert XZ not in text, path.name
        assert "管理办法》第" not in text, path.name  # neither XZ 第十一条/第十二条 nor any other 办法's article
    committee = page(gy_site, "experts/committee.md")
    assert "专家咨询委员会由在库专家组成" in committee and "第十二条" not in committee


@pytest.fixture
def gy_registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REPO / "registry", root)
    return gy_valid_variant(root)


def test_personal_data_findings_in_a_gy_registry_do_not_cite_gy_article_10(gy_registry: Path) -> None:
    path = gy_registry / "experts" / "E0001.yaml"
    text = path.read_text(encoding="utf-8")
    assert "remarks: 示例数据，虚构人物\n" in text
    path.write_text(text.replace("remarks: 示例数据，虚构人物\n", "remarks: 本人手机 13912345678\n") + "phone: '13912345678'\n",
                    encoding="utf-8")
    findings = [f for f in check_registry(open_registry(gy_registry, use_cache=False), DEMO_TODAY)
                if f.rule.startswith("privacy.")]
    assert {f.rule for f in findings} == {"privacy.field", "privacy.mobile"}
    assert all("第十条" not in f.message and "贵阳" not in f.message for f in findings)
    assert all(f.citation is None or ("第十条" not in f.citation and "贵阳" not in f.citation) for f in findings)
    field = next(f for f in findings if f.rule == "privacy.field")
    assert "（本系统规则，落实个人信息保护法第二十五条）" in field.message
