"""Editor support cannot drift from `roster validate`: the schema line of every record, .vscode, pre-commit."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import pytest
import yaml

from roster.check.registry import discover
from roster.check.schemas import SCHEMA_FILES, default_schema_dir
from roster.yamlio.yamltext import SCHEMA_COMMENT, schema_comment

REPO = Path(__file__).resolve().parents[2]
REGISTRY = REPO / "registry"


def record_files() -> list[tuple[str, Path]]:
    files, _ = discover(REGISTRY)
    return [(kind, Path(path)) for kind, path, _ in files]


def validate_schema(kind: str) -> Path:
    """The schema file `roster validate` checks records of `kind` against."""
    return (default_schema_dir() / SCHEMA_FILES[kind]).resolve()


def vscode_schemas() -> dict[str, list[str]]:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    return {key: value if isinstance(value, list) else [value] for key, value in settings["yaml.schemas"].items()}


def test_validate_reads_the_repository_schemas() -> None:
    assert default_schema_dir().resolve() == (REPO / "schemas").resolve()


def test_every_record_names_the_schema_validate_uses() -> None:
    wrong = []
    for kind, path in record_files():
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        target = (path.parent / first[len(SCHEMA_COMMENT):].strip()).resolve() if first.startswith(SCHEMA_COMMENT) else None
        if target != validate_schema(kind) or first != schema_comment(kind, len(path.relative_to(REPO).parts) - 1):
            wrong.append(f"{path.relative_to(REPO)}: 第一行是“{first}”，roster validate 用 {validate_schema(kind).name}")
    assert not wrong, "\n".join(wrong)


def test_vscode_maps_every_kind_to_the_schema_validate_uses() -> None:
    mapped = {(REPO / key).resolve(): globs for key, globs in vscode_schemas().items()}
    for kind in SCHEMA_FILES:
        assert validate_schema(kind) in mapped, f".vscode/settings.json 没有为 {kind} 配置 schema"
    assert set(mapped) == {validate_schema(kind) for kind in SCHEMA_FILES}


def _matches(rel: PurePosixPath, glob: str) -> bool:
    pattern = "^" + re.escape(glob).replace(r"\*", "[^/]*") + "$"
    return re.match(pattern, rel.as_posix()) is not None


def test_vscode_globs_pick_the_same_schema_for_every_record() -> None:
    wrong = []
    for kind, path in record_files():
        rel = PurePosixPath(path.relative_to(REPO).as_posix())
        chosen = {(REPO / key).resolve() for key, globs in vscode_schemas().items() if any(_matches(rel, g) for g in globs)}
        if chosen != {validate_schema(kind)}:
            wrong.append(f"{rel}: .vscode/settings.json 匹配到 {sorted(p.name for p in chosen)}，roster validate 用 {validate_schema(kind).name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("sample", ["registry/announcements/2031/A2031-001.yaml", "registry/draws/2031/D2031-001.yaml",
                                    "registry/conduct/2031/C2031-001.yaml", "registry/calendar/2031.yaml",
                                    "registry/experts/E9999.yaml", "registry/registry.yaml"])
def test_vscode_globs_cover_kinds_the_demo_may_lack(sample: str) -> None:
    rel = PurePosixPath(sample)
    assert sum(any(_matches(rel, g) for g in globs) for globs in vscode_schemas().values()) == 1


def test_pre_commit_runs_validate_on_registry_changes() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert hook["entry"].split()[-1] == "validate" and hook["entry"].split()[0].endswith("roster")
    files = re.compile(hook["files"])
    assert files.search("registry/experts/E0001.yaml") and files.search("schemas/expert.schema.json")
    assert not files.search("tools/roster/cli.py") and not files.search("docs/guide/index.md")
