"""The Decap CMS configuration generated from the JSON Schemas (roster cms config)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from roster.cli import main
from roster.cms.config import CmsError, build_config, enum_labels

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "tools" / "cms" / "admin" / "config.yml"
SETTINGS = REPO / "tools" / "cms" / "settings.yml"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    data = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def collection(config: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == name)


def field(fields: list[dict[str, Any]], dotted: str) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    found = next(f for f in fields if f["name"] == head)
    return field(found["fields"], rest) if rest else found


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, cwd: Path) -> int:
    monkeypatch.chdir(cwd)
    return main(args)


def test_committed_config_is_what_the_schemas_give(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["cms", "config", "--check"], monkeypatch, REPO) == 0
    assert capsys.readouterr().out == "tools/cms/admin/config.yml 与 schema 一致。\n"


def test_check_fails_when_a_schema_title_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    expert = tmp_path / "schemas" / "expert.schema.json"
    schema = json.loads(expert.read_text(encoding="utf-8"))
    schema["properties"]["name"]["title"] = "姓名（已改）"
    expert.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    args = ["cms", "config", "--check", "--schemas", str(tmp_path / "schemas"),
            "--settings", str(SETTINGS), "--out", str(COMMITTED)]
    assert run(args, monkeypatch, REPO) == 1
    assert capsys.readouterr().err == f"{COMMITTED} 与 schema 生成的不一致：运行 roster cms config 重新生成。\n"
    # and regenerating writes the new title
    out = tmp_path / "config.yml"
    assert run([*args[:2], *args[3:-1], str(out)], monkeypatch, REPO) == 0
    assert "label: 姓名（已改）" in out.read_text(encoding="utf-8")


def test_one_collection_per_record_type_in_its_folder(config: dict[str, Any]) -> None:
    names = [c["name"] for c in config["collections"]]
    assert names == ["experts", "supervisors", "institutions", "announcements", "conduct"]
    for c in config["collections"]:
        assert (REPO / c["folder"]).is_dir(), c["folder"]
        assert c["format"] == "yaml" and c["extension"] == "yaml" and c["delete"] is False
        assert c["identifier_field"] == "id" and c["slug"] == "{{id}}"
    assert collection(config, "announcements")["path"] == "{{year}}/{{id}}"


def test_labels_and_hints_are_the_schema_titles_and_descriptions(config: dict[str, Any]) -> None:
    experts = collection(config, "experts")
    assert experts["label"] == "专家"
    name = field(experts["fields"], "name")
    assert (name["label"], name["hint"], name["widget"]) == ("姓名", "专家姓名。", "string")
    assert "required" not in name
    position = field(experts["fields"], "position")
    assert position["required"] is False
    birth = field(experts["fields"], "birth")
    assert birth["pattern"][0] == "^[0-9]{4}-(0[1-9]|1[0-2])$"


def test_enumerations_are_selects_with_chinese_labels(config: dict[str, Any]) -> None:
    experts = collection(config, "experts")
    category = field(experts["fields"], "category")
    assert category["widget"] == "select"
    assert category["options"] == [{"label": "医药类", "value": "medical"}, {"label": "信息技术类", "value": "it"},
                                   {"label": "财务类", "value": "finance"}, {"label": "医保政策及管理类", "value": "policy"}]
    assert category["hint"] == "医药类、信息技术类、财务类、医保政策及管理类（西藏办法第十一条）。"
    route = field(experts["fields"], "admission.route")
    assert [o["label"] for o in route["options"]] == ["主动邀请", "公开征集（个人自荐）", "公开征集（单位推荐）"]
    gender = field(experts["fields"], "gender")
    assert gender["options"] == [{"label": "男", "value": "男"}, {"label": "女", "value": "女"}]


def test_institution_ids_are_relation_widgets_but_the_record_id_is_typed(config: dict[str, Any]) -> None:
    experts = collection(config, "experts")
    employer = field(experts["fields"], "employer")
    assert {k: employer[k] for k in ("widget", "collection", "value_field")} == {
        "widget": "relation", "collection": "institutions", "value_field": "id"}
    assert employer["display_fields"] == ["{{id}} {{name}}"]
    history = field(experts["fields"], "employment_history")
    assert history["widget"] == "list"
    assert field(history["fields"], "institution")["widget"] == "relation"
    assert field(experts["fields"], "id")["widget"] == "string"
    legal_entity = field(collection(config, "institutions")["fields"], "legal_entity")
    assert legal_entity["collection"] == "institutions"
    # a list of institution ids: each item chosen from the institutions
    claims = field(collection(config, "supervisors")["fields"], "claims")
    assert (claims["widget"], claims["field"]["widget"], claims["field"]["collection"]) == (
        "list", "relation", "institutions")


def test_history_and_specialties_are_lists(config: dict[str, Any]) -> None:
    experts = collection(config, "experts")
    status_history = field(experts["fields"], "status_history")
    assert status_history["widget"] == "list"
    assert [f["name"] for f in status_history["fields"]] == ["date", "status", "reason", "citation", "reference", "application", "note"]
    specialties = field(experts["fields"], "specialties")
    assert specialties["widget"] == "list" and specialties["min"] == 1
    assert specialties["field"] == {"label": "专业", "name": "item", "widget": "string"}


def test_fields_in_schema_order_with_the_modeline_as_first_comment(config: dict[str, Any]) -> None:
    """Decap writes the keys in field order, and a field's comment before its key: files keep their first line."""
    schema = json.loads((REPO / "schemas" / "expert.schema.json").read_text(encoding="utf-8"))
    fields = collection(config, "experts")["fields"]
    assert [f["name"] for f in fields] == list(schema["properties"])
    first = (REPO / "registry" / "experts" / "E0001.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# " + fields[0]["comment"]


def test_backend_with_editorial_workflow_and_local_backend(config: dict[str, Any]) -> None:
    assert config["backend"]["name"] == "forgejo"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert config["locale"] == "zh_Hans"


def test_a_code_without_a_chinese_name_is_an_error() -> None:
    with pytest.raises(CmsError, match="选项 pharmacy 在说明里没有中文名称"):
        enum_labels({"description": "medical 医药类。", "enum": ["medical", "pharmacy"]})


def test_registry_folder_must_be_relative(tmp_path: Path) -> None:
    with pytest.raises(CmsError, match="相对于仓库根目录"):
        build_config({"backend": {"name": "github"}}, REPO / "schemas", tmp_path)
    with pytest.raises(CmsError, match="没有 backend"):
        build_config({}, REPO / "schemas")


def test_required_toggles_start_as_no_and_optional_groups_do_not_block_saving(config: dict[str, Any]) -> None:
    experts = collection(config, "experts")
    civil_servant = field(experts["fields"], "civil_servant")
    assert (civil_servant["widget"], civil_servant["default"]) == ("boolean", False)
    # a declaration item is a group of its own (whether it holds, from which material, when), optional in the form:
    # which items are required is the preset's, checked by roster validate
    item = field(experts["fields"], "declarations.no_admin_penalty")
    assert (item["widget"], item["required"]) == ("object", False)
    assert [f["name"] for f in item["fields"]] == ["confirmed", "source", "date"]
    assert field(item["fields"], "confirmed")["widget"] == "boolean"
    assert [o["value"] for o in field(item["fields"], "source")["options"]] == ["form", "pledge", "review"]
    # an optional group: Decap checks its required fields even when it is left empty, so they are optional here
    tibetan = field(experts["fields"], "tibetan_medicine_master")
    assert tibetan["required"] is False
    assert all(f.get("required") is False and "default" not in f for f in tibetan["fields"])
    term = field(experts["fields"], "term")
    assert [f.get("required") for f in term["fields"]] == [False, False]
    # inside a list item the schema's required fields stay required: the item exists once it is added
    history = field(experts["fields"], "status_history")
    assert "required" not in field(history["fields"], "date")


def test_github_backend_is_only_a_settings_change() -> None:
    settings = {"backend": {"name": "github", "repo": "bureau/roster", "branch": "main"},
                "publish_mode": "editorial_workflow"}
    config = build_config(settings, REPO / "schemas")
    assert config["backend"] == settings["backend"] and config["publish_mode"] == "editorial_workflow"
    assert [c["name"] for c in config["collections"]] == ["experts", "supervisors", "institutions", "announcements",
                                                          "conduct"]
