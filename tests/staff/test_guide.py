"""The staff guide's commands run as written, in order, on a copy of the demo registry.

A block runs when the line before its ```bash fence is ``<!-- runnable -->`` (invisible on the site).
A ```text block right after it, marked ``<!-- output -->``, shows what it prints: every line of it must
appear in the real output. The pages run in the order docs/guide/index.md links them. If this fails after the demo registry
changed, the guide no longer matches it: update the commands (ids, dates) in docs/guide/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roster.check.pii import scan_text

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "guide"
TODAY = "2026-12-18"
RUNNABLE = re.compile(r"^<!-- runnable -->\n```bash\n(.*?)\n```\n(?:\n<!-- output -->\n```text\n(.*?)\n```$)?",
                      re.S | re.M)


def pages() -> list[Path]:
    index = GUIDE / "index.md"
    linked = re.findall(r"\]\(([a-z0-9-]+\.md)\)", index.read_text(encoding="utf-8"))
    return [index, *(GUIDE / name for name in dict.fromkeys(linked))]


def blocks() -> list[tuple[str, str, str]]:
    """(page, script, expected output lines) of every runnable block, in order."""
    return [(page.name, script, shown) for page in pages()
            for script, shown in RUNNABLE.findall(page.read_text(encoding="utf-8"))]


def test_every_page_is_linked_from_the_index() -> None:
    assert {p.name for p in pages()} == {p.name for p in GUIDE.glob("*.md")}


def test_each_task_has_runnable_commands() -> None:
    counts = {name: sum(1 for page, _, _ in blocks() if page == name) for name in (p.name for p in pages())}
    assert all(counts.values()), f"pages without a runnable block: {[n for n, c in counts.items() if not c]}"


def test_the_guide_holds_no_personal_data() -> None:
    for path in [*GUIDE.rglob("*.md"), *GUIDE.rglob("*.csv")]:
        assert scan_text(path.read_text(encoding="utf-8-sig")) == [], path


def test_guide_commands_run_on_the_demo_registry(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "registry", repo / "registry")
    shutil.copytree(REPO / "docs", repo / "docs")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROSTER_")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", HOME=str(home),
               ROSTER_TODAY=TODAY, ROSTER_CACHE_DIR=str(tmp_path / "cache"), LANG="C.UTF-8")
    for page, script, shown in blocks():
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=repo, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.fail(f"docs/guide/{page}: this block failed (exit {done.returncode}) on the demo registry:\n"
                        f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
        printed = done.stdout.splitlines()
        missing = [line for line in shown.splitlines() if line.strip() and line not in printed]
        assert not missing, f"docs/guide/{page}: the output shown after\n{script}\nis not what it prints:\n{done.stdout}"
    final = subprocess.run(["roster", "validate"], cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert final.returncode == 0, final.stdout
    assert (home / "专家名单.xlsx").is_file() and (home / "专家联系方式-2026-12.csv").is_file()
