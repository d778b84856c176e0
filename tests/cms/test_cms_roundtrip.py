"""What Decap CMS does to a record file it opens and saves unchanged (measured on every demo record).

tests/cms/decap_yaml.cjs re-serialises each file the way Decap's YAML format does. Found, and allowed here:

* experts, supervisors, conduct records: byte for byte the same (the first-line schema comment is written back
  from the field's ``comment`` in the generated config; keys come out in schema order, which the files use);
* a scalar that needs quotes is written with double quotes instead of single (``region: '540199'`` →
  ``region: "540199"``);
* a multi-line text written as a literal block (``body: |``) is written as a folded block (``body: >``, with
  blank lines doubled so that it reads back as the same text).

Everything else in a file is unchanged, the data read back is equal, and the whole rewritten registry passes
``roster validate``. The browser test (test_cms_browser.py) checks the same on a real save.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from roster.cli import main

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests" / "cms" / "decap_yaml.cjs"
CONFIG = REPO / "tools" / "cms" / "admin" / "config.yml"
YAML_PKG = REPO / "tools" / "cms" / "node_modules" / "yaml" / "package.json"
FOLDERS = ("experts", "supervisors", "institutions", "announcements", "conduct")


def record_files() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for folder in FOLDERS for p in (REPO / "registry" / folder).rglob("*.yaml"))


@pytest.fixture(scope="module")
def rewritten() -> dict[str, str]:
    node = shutil.which("node")
    if node is None or not YAML_PKG.is_file():
        pytest.skip("没有 node 或 tools/cms/node_modules（运行 make cms）")
    assert node is not None
    done = subprocess.run([node, str(SCRIPT), str(CONFIG), *record_files()], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", check=True, timeout=120)
    result: dict[str, str] = json.loads(done.stdout)
    return result


def blocks(text: str) -> dict[str, str]:
    """Top-level key → its lines (the key line and everything indented under it)."""
    found: dict[str, str] = {}
    key = ""
    for line in text.splitlines(keepends=True):
        if line and not line[0].isspace() and not line.startswith("#"):
            key = line.split(":", 1)[0]
        found[key] = found.get(key, "") + line
    return found


def allowed_rewrite(before: str, after: str) -> bool:
    """Only the documented differences: single → double quotes, literal → folded block."""
    if before.replace("'", '"') == after:
        return True
    head = before.partition("\n")[0]
    if head.endswith(": |"):
        return yaml.safe_load(before) == yaml.safe_load(after) and after.partition("\n")[0] == head[:-1] + ">"
    return False


def test_every_record_is_rewritten_only_in_the_documented_ways(rewritten: dict[str, str]) -> None:
    assert len(rewritten) == len(record_files()) > 100
    unchanged, bad = 0, []
    for path, text in rewritten.items():
        original = (REPO / path).read_text(encoding="utf-8")
        assert yaml.safe_load(text) == yaml.safe_load(original), path
        if text == original:
            unchanged += 1
            continue
        before, after = blocks(original), blocks(text)
        assert list(before) == list(after), f"{path}: 键的顺序变了"
        bad += [f"{path}: {key}" for key in before if before[key] != after[key]
                and not allowed_rewrite(before[key], after[key])]
    assert not bad, "Decap 改写了文档没有说明的地方：\n" + "\n".join(bad)
    # measured: every expert, supervisor and conduct record comes back byte for byte
    same = {p for p, t in rewritten.items() if t == (REPO / p).read_text(encoding="utf-8")}
    assert {p for p in rewritten if re.match(r"registry/(experts|supervisors|conduct)/", p)} <= same
    assert unchanged == len(same)


def test_the_rewritten_registry_passes_validate(rewritten: dict[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REPO / "registry", registry)
    for path, text in rewritten.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert main(["validate", "--registry", str(registry), "--no-cache"]) == 0, capsys.readouterr().out
