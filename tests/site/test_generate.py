"""Generation: privacy, embargo, data files, feed, anchors, config — checked over the built files."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import REPO, Built
from roster.check.pii import scan_text
from roster.site.config import footer_html
from roster.site.draws import quota_group, recompute
from roster.site.labels import texts_index
from roster.site.markup import rel_url, src_rel
from roster.site.people import NEVER_PUBLISHED, public_person, published_fields
from roster.site.regulations import article_url, text_markdown

TEXT_SUFFIXES = {".html", ".md", ".json", ".csv", ".xml", ".js", ".svg", ".txt", ".yml", ".css"}


# Third-party code bundled from pinned packages, byte for byte what tools/tsa builds (tests/site/test_tsa_bundle.py),
# so no registry data can be in it; its OIDs (0.9.2342.19200300.100.1.3) look like mobile numbers to the scanner.
VENDOR = "assets/javascripts/vendor/"


def _text_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES and VENDOR not in p.as_posix()]


# The licence header of a search-segmenter file shipped inside the theme (vendor code, not our data).
THEME_LICENCE_CONTACTS = ["taku@chasen.org"]


def _allowed(built: Built) -> list[str]:
    contacts = json.loads((built.result.out / "allowed-contacts.json").read_text(encoding="utf-8"))
    return contacts + THEME_LICENCE_CONTACTS + [c for meta in texts_index().values() for c in meta.get("public_contacts", [])]


def _readable(path: Path) -> str:
    """The text as a reader sees it: JSON with its \\u escapes decoded."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


@pytest.mark.parametrize("which", ["fixture_site", "demo_site"])
def test_no_personal_data_anywhere_in_the_build(which: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(which)
    allow = _allowed(built)
    hits = {}
    for folder in (built.result.docs_dir, built.result.site_dir):
        for path in _text_files(folder):
            found = scan_text(_readable(path), allow=allow)
            if found:
                hits[str(path)] = [f"{h.kind} {h.masked} at {h.line}:{h.column}" for h in found[:3]]
    assert hits == {}


def test_private_fields_are_never_published(fixture_site: Built) -> None:
    registry = fixture_site.fixture.root  # type: ignore[union-attr]
    expert = yaml.safe_load((registry / "experts" / "E00001.yaml").read_text(encoding="utf-8"))
    secrets = [expert["person_key"], expert["remarks"], expert["conflicts"][0]["note"], "示例：现工作单位为被检查单位",
               expert["birth"]]
    for folder in (fixture_site.result.docs_dir, fixture_site.result.site_dir):
        for path in _text_files(folder):
            text = path.read_text(encoding="utf-8", errors="replace")
            for secret in secrets:
                assert secret not in text, f"{secret!r} in {path}"
            if "schemas" not in path.parts and path.suffix != ".js":
                assert '"birth"' not in text, path
    records = json.loads((fixture_site.result.docs_dir / "opendata/experts.json").read_text(encoding="utf-8"))["records"]
    assert records and all(not set(r) & NEVER_PUBLISHED for r in records)


def test_published_fields_setting_cannot_publish_private_fields() -> None:
    fields = published_fields({"published_fields": ["name", "birth", "person_key", "conflicts", "remarks"]})
    assert fields == ("name",)
    person = public_person({"id": "E0001", "name": "示例", "birth": "1970-01", "person_key": "x"}, ["name", "birth"], {})
    assert person == {"id": "E0001", "name": "示例"}


def test_embargoed_draw_shows_only_its_commitment(fixture_site: Built) -> None:
    """Before its publish date a draw shows its id, sources and commitment — never its purpose, subjects or panel."""
    fx = fixture_site.fixture
    assert fx is not None
    record = yaml.safe_load((fx.root / "draws" / fx.embargoed_draw[1:5] / f"{fx.embargoed_draw}.yaml").read_text(encoding="utf-8"))
    data = json.loads((fixture_site.result.docs_dir / "opendata" / "draws" / f"{fx.embargoed_draw}.json").read_text(encoding="utf-8"))
    assert set(data) == {"id", "roster", "roster_label", "activity", "sources", "commitment", "timestamps"}
    secrets = [record["request"]["purpose"], *record.get("result", {}).get("panel", []), *record["request"].get("subjects", [])]
    index = (fixture_site.result.docs_dir / "draws" / "index.md").read_text(encoding="utf-8")
    assert fx.embargoed_draw in index and record["request"]["purpose"] not in index
    for folder in (fixture_site.result.docs_dir, fixture_site.result.site_dir):
        for path in _text_files(folder):
            text = path.read_text(encoding="utf-8", errors="replace")
            if fx.embargoed_draw.lower() in str(path).lower():  # its page and its data file
                leaked = [s for s in secrets if s in text]
                assert leaked == [], (path, leaked)


def test_every_published_draw_recomputes_to_its_record(fixture_site: Built) -> None:
    files = sorted(p for p in (fixture_site.result.docs_dir / "opendata" / "draws").glob("*.json")
                   if "result" in json.loads(p.read_text(encoding="utf-8")))
    assert [p.stem for p in files] == list(fixture_site.fixture.published_draws)  # type: ignore[union-attr]
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        again = recompute(data)
        assert again["key"] == data["key"]
        assert again["order"] == data["result"]["order"]
        assert again["panel"] == data["result"]["panel"]
        assert again["replacements"] == data["result"]["replacements"]
        assert "detail" not in path.read_text(encoding="utf-8")


def test_quota_group_takes_the_first_matching_entry() -> None:
    quotas = [{"category": "medical", "specialty": "临床药学", "count": 1}, {"category": "medical", "count": 2}]
    assert quota_group(quotas, "medical", ["临床药学"]) == 0
    assert quota_group(quotas, "medical", ["普通外科"]) == 1
    assert quota_group(quotas, "it", []) is None


def test_csv_has_a_bom_and_chinese_headers(fixture_site: Built) -> None:
    raw = (fixture_site.result.site_dir / "opendata" / "experts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["编号", "姓名"] and len(rows) == 41


@pytest.mark.parametrize("name", ["experts", "supervisors", "institutions"])
def test_csv_headers_and_values_are_chinese(fixture_site: Built, name: str) -> None:
    """Every header and every cell is Chinese, a date, a number or a record id: no raw code such as hospital."""
    text = (fixture_site.result.site_dir / "opendata" / f"{name}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    words = {w for row in rows for cell in row for w in re.findall(r"[A-Za-z][A-Za-z_]+", cell)}
    ids = {row[0] for row in rows[1:]}
    assert words - ids - {"JN"} == set()


def test_schemas_are_published(fixture_site: Built) -> None:
    published = {p.name for p in (fixture_site.result.site_dir / "opendata" / "schemas").glob("*.json")}
    assert published == {p.name for p in (REPO / "schemas").glob("*.schema.json")}


def test_rss_feed_lists_announcements_newest_first(fixture_site: Built) -> None:
    root = ET.fromstring((fixture_site.result.site_dir / "notices" / "rss.xml").read_bytes())
    items = root.findall("./channel/item")
    assert len(items) == 6
    assert items[0].findtext("link") == "https://example.org/roster/notices/a2026-006/"
    assert (fixture_site.result.site_dir / "notices" / "a2026-006" / "index.html").is_file()


def test_open_announcement_comes_first_on_the_notices_page(fixture_site: Built) -> None:
    text = (fixture_site.result.docs_dir / "notices" / "index.md").read_text(encoding="utf-8")
    open_at = text.index("## 正在公示")
    assert text.index("a2026-005", open_at) < text.index("## 全部公告")


def test_every_article_has_an_anchor(fixture_site: Built) -> None:
    page = (fixture_site.result.site_dir / "regulations" / "xz-2023" / "index.html").read_text(encoding="utf-8")
    for n in ("第一条", "第六条", "第二十四条", "第三十三条"):
        assert f'id="{n}"' in page
    assert 'id="（一）"' in (fixture_site.result.site_dir / "regulations" / "xz-2021" / "index.html").read_text(encoding="utf-8")
    assert article_url("xz-2023", "第六条") == "/regulations/xz-2023/#第六条"
    assert article_url("xz-2023", "第六条", base="https://example.org/").endswith("#%E7%AC%AC%E5%85%AD%E6%9D%A1")
    assert text_markdown("gy-2022").count("{#第") == 16


def test_directory_urls_are_ascii(fixture_site: Built) -> None:
    for path in fixture_site.result.site_dir.rglob("*"):
        assert path.relative_to(fixture_site.result.site_dir).as_posix().isascii(), path


def test_big_rosters_are_excluded_from_search(fixture_site: Built) -> None:
    index = json.loads((fixture_site.result.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "experts/medical/" not in locations
    assert "regulations/xz-2023/" in locations
    assert index["config"]["lang"] == ["zh"]


def test_footer_and_derived_config(fixture_site: Built) -> None:
    config = yaml.safe_load(fixture_site.result.config_file.read_text(encoding="utf-8"))
    assert config["docs_dir"] == str(fixture_site.result.docs_dir.resolve())
    assert config["site_name"] == "示例市医保基金监管专家库"
    assert config["theme"]["language"] == "zh" and config["theme"]["font"] is False
    footer = footer_html({"host": "示例局", "site_code": "123", "icp": "藏ICP备1号", "psb": "藏公网安备 2号"})
    assert "主办单位：示例局" in footer and "网站标识码：123" in footer and "藏ICP备1号</a>" in footer


def test_every_nav_entry_exists(fixture_site: Built) -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))

    def walk(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    out += walk(value) if isinstance(value, list) else [value]
        return out

    missing = [p for p in walk(config["nav"]) if not (fixture_site.result.docs_dir / p).is_file()]
    assert missing == []


def test_no_reference_to_another_host_is_loaded(fixture_site: Built) -> None:
    """Static complement of the browser check: no src=/href= stylesheet or script from elsewhere."""
    import re

    pattern = re.compile(r'<(?:script|img|iframe|source)[^>]+src="(?:https?:)?//|<link[^>]+rel="(?:stylesheet|preload|preconnect|icon)"[^>]+href="(?:https?:)?//')
    for path in fixture_site.result.site_dir.rglob("*.html"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_urls_between_generated_pages() -> None:
    assert rel_url("draws/d2026-001.md", "opendata/draws/D2026-001.json") == "../../opendata/draws/D2026-001.json"
    assert rel_url("index.md", "experts/medical.md") == "experts/medical/"
    assert src_rel("draws/d2026-001.md", "verify.md") == "../verify.md"


def test_policy_preset_pages_carry_each_rule_with_its_clause_and_the_bureau_overrides() -> None:
    from roster.site.regulations import policy_pages, regulation_pages

    repo = Path(__file__).resolve().parents[2]
    pages = policy_pages(repo / "registry")
    assert sorted(pages) == ["policies/gy-2022.md", "policies/jn.md", "policies/xz-2023.md"]
    xz = pages["policies/xz-2023.md"]
    assert "（admission.age）" in xz and "第六条 基本条件（四）" in xz
    assert "本局已停用此规则" in xz  # the demo bureau disables policy.validity with a recorded reason
    assert "../policies/xz-2023.md" in regulation_pages()["regulations/index.md"]


def test_the_site_is_rebuilt_and_deployed_every_day() -> None:
    """Status (公示中, 在库) is computed at build time: a daily scheduled build keeps it at most a day old."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on") or workflow.get(True)  # PyYAML reads the key `on` as true
    crons = [entry["cron"] for entry in triggers.get("schedule", [])]
    assert crons, "site.yml has no schedule"
    _minute, hour, day, month, weekday = crons[0].split()
    assert (day, month, weekday) == ("*", "*", "*") and hour.isdigit(), crons[0]
    deploy = workflow["jobs"]["deploy"]["if"]
    assert "github.event_name != 'pull_request'" in deploy and "schedule" not in deploy


def test_every_exclusion_kind_has_a_chinese_label() -> None:
    """A draw page names each kind of exclusion; a kind without a label would show its raw code (designation)."""
    from roster.draw.model import EXCLUSION_LABELS
    from roster.site.labels import labels

    assert "exclusion_kinds" not in labels()  # one wording, the draw model's, on the site and in the record
    assert all(EXCLUSION_LABELS.values()) and not any(re.search(r"[A-Za-z]", v) for v in EXCLUSION_LABELS.values())
