"""The Forgejo jobs run here, step by step, against a stand-in forge: git over HTTP (git http-backend) and the
few API calls the status job makes.

A small runner reads .forgejo/workflows/*.yml, evaluates the `if:` conditions and `${{ }}` expressions the
workflows use, and runs each `run:` script with bash (-e -o pipefail, like the runner) in an empty workspace,
with the variables a Forgejo runner sets. What it cannot do is start the job's container: the scripts run on
this machine, and the `make install` step is replaced by this repository's own .venv (make would reinstall it).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FORGEJO = REPO / ".forgejo" / "workflows"
TOKEN = "runner-token"
EXPR = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class Ctx(dict[str, Any]):
    """A context (github, steps, secrets…): attribute access, and '' for what is not set, as in Actions."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name, "")
        return Ctx(value) if isinstance(value, dict) else value


def evaluate(expression: str, contexts: dict[str, Any]) -> Any:
    python = expression.replace("&&", " and ").replace("||", " or ").replace("!=", " != ")
    return eval(python, {"__builtins__": {}}, {k: Ctx(v) for k, v in contexts.items()})


def substitute(text: str, contexts: dict[str, Any]) -> str:
    return EXPR.sub(lambda m: str(evaluate(m[1], contexts)), text)


@dataclass
class Forge:
    """Git over HTTP for repositories under `root`, and a record of the API calls (pull requests)."""

    root: Path
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    auth: set[str] = field(default_factory=set)

    def start(self) -> str:
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                forge.auth.add(self.headers.get("Authorization", ""))
                body = self._body()
                if self.path.startswith("/api/v1/"):
                    forge.calls.append((self.command, self.path, body.decode()))
                    payload = b"[]" if self.command == "GET" else b'{"number": 1}'
                    self.send_response(201 if self.command == "POST" else 200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                path, _, query = self.path.partition("?")
                env = {**os.environ, "GIT_PROJECT_ROOT": str(forge.root), "GIT_HTTP_EXPORT_ALL": "1",
                       "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command,
                       "CONTENT_TYPE": self.headers.get("Content-Type", ""), "REMOTE_USER": "runner",
                       # git gzips a long request (a fetch with many refs to negotiate)
                       "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                       "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body))}
                out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True,
                                     check=False).stdout
                head, _, rest = out.partition(b"\r\n\r\n")
                status = 200
                headers = []
                for line in head.decode().split("\r\n"):
                    name, _, value = line.partition(": ")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        headers.append((name, value))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(rest)))
                self.end_headers()
                self.wfile.write(rest)

            def _body(self) -> bytes:
                """The request body, also when git sends it in chunks (a fetch of many refs does)."""
                if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                    length = int(self.headers.get("Content-Length") or 0)
                    return self.rfile.read(length) if length else b""
                chunks = []
                while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Result:
    ok: bool
    log: str
    outcomes: dict[str, str]


def run_job(workflow: str, job_id: str, github: dict[str, Any], workspace: Path, extra_env: dict[str, str],
            secrets: dict[str, str] | None = None) -> Result:
    job = yaml.safe_load((FORGEJO / workflow).read_text(encoding="utf-8"))["jobs"][job_id]
    steps: dict[str, Any] = {}
    log: list[str] = []
    failed = False
    outcomes: dict[str, str] = {}
    for i, step in enumerate(job["steps"]):
        contexts = {"github": github, "steps": steps, "secrets": secrets or {}, "vars": {}}
        condition = step.get("if", "success()")
        # success()/failure() refer to the job so far
        wanted = evaluate(condition.replace("success()", str(not failed)).replace("failure()", str(failed)),
                          contexts)
        name = step.get("name", f"step {i}")
        if not wanted:
            outcomes[name] = "skipped"
            continue
        if "make install" in name:  # this repository's .venv stands in (see the module docstring)
            (workspace / ".venv").symlink_to(REPO / ".venv")
            outcomes[name] = "success"
            continue
        output = workspace.parent / f"output-{i}"
        output.write_text("", encoding="utf-8")
        env = {**os.environ, **extra_env, "GITHUB_OUTPUT": str(output), "CI": "true",
               **{k: substitute(str(v), contexts) for k, v in (step.get("env") or {}).items()}}
        env.pop("GITHUB_STEP_SUMMARY", None)
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=workspace, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=600, check=False)
        log.append(f"== {name}\n{done.stdout}{done.stderr}")
        outcome = "success" if done.returncode == 0 else "failure"
        outcomes[name] = outcome
        values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        if "id" in step:
            steps[step["id"]] = {"outcome": outcome, "outputs": values}
        if outcome == "failure" and not step.get("continue-on-error"):
            failed = True
    return Result(not failed, "\n".join(log), outcomes)


@pytest.fixture
def forge(tmp_path: Path) -> Any:
    """A forge holding this repository's committed history as yibao/roster, and a clone to make changes in."""
    if not (REPO / ".venv" / "bin" / "roster").is_file():
        pytest.skip("没有 .venv（运行 make install）")
    root = tmp_path / "forge"
    bare = root / "yibao" / "roster.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(REPO), str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "config", "http.receivepack", "true"], check=True)
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "-C", str(bare), "update-ref", "refs/heads/main", head], check=True)
    server = Forge(root)
    url = server.start()
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], check=True)
    yield server, url, work, head
    server.stop()


def commit_and_push(work: Path, message: str, *refs: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(work), "commit", "-q", "-am", message], check=True, env=env)
    for ref in refs:
        subprocess.run(["git", "-C", str(work), "push", "-q", "origin", f"HEAD:{ref}"], check=True)
    return subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def github_context(url: str, **values: Any) -> dict[str, Any]:
    return {"token": TOKEN, "server_url": url, "repository": "yibao/roster", "repository_owner": "yibao",
            "ref_name": "main", **values}


def test_validate_job_on_a_pull_request_prints_file_line_and_fails(forge: Any, tmp_path: Path) -> None:
    server, url, work, _ = forge
    expert = work / "registry" / "experts" / "E0001.yaml"
    expert.write_text(expert.read_text(encoding="utf-8").replace("status: active", "status: candidate", 1),
                      encoding="utf-8")
    sha = commit_and_push(work, "把在库专家改回候选（不允许的状态变更）", "refs/heads/change", "refs/pull/1/head")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    result = run_job("validate.yml", "validate", github_context(
        url, event_name="pull_request", ref="refs/pull/1/head", sha=sha, base_ref="main"), workspace,
        {"ROSTER_CACHE_DIR": str(tmp_path / "cache")})
    assert not result.ok
    assert result.outcomes["校验名册（对照目标分支）"] == "failure"
    assert result.outcomes["校验名册（对照推送前的提交）"] == "skipped"
    assert re.search(r"^registry/experts/E0001\.yaml:\d+:\d+: 错误: .+\[history\.transition\]$", result.log, re.M), result.log
    assert "::error" not in result.log
    assert server.auth >= {"Basic " + base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()}


def test_validate_job_on_a_push_checks_against_the_commit_before(forge: Any, tmp_path: Path) -> None:
    _, url, work, before = forge
    institution = work / "registry" / "institutions" / "I0001.yaml"
    text = institution.read_text(encoding="utf-8")
    institution.write_text(re.sub(r"^remarks: .*$", "remarks: 已核对", text, flags=re.M) if "\nremarks:" in text
                           else text + "remarks: 已核对\n", encoding="utf-8")
    sha = commit_and_push(work, "单位备注", "refs/heads/main")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    result = run_job("validate.yml", "validate", github_context(
        url, event_name="push", ref="refs/heads/main", sha=sha, event={"before": before}), workspace,
        {"ROSTER_CACHE_DIR": str(tmp_path / "cache")})
    assert result.ok, result.log
    assert result.outcomes["校验名册（对照推送前的提交）"] == "success"
    assert "不在历史中" not in result.log and "通过" in result.log


def test_status_job_pushes_a_branch_and_opens_a_pull_request(forge: Any, tmp_path: Path) -> None:
    server, url, _, _ = forge
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    head = subprocess.run(["git", "-C", str(server.root / "yibao" / "roster.git"), "rev-parse", "main"],
                          capture_output=True, text=True, check=True).stdout.strip()
    result = run_job("status.yml", "status", github_context(
        url, event_name="schedule", ref="refs/heads/main", sha=head), workspace,
        # far enough ahead that terms have ended: status --apply has something to write
        {"ROSTER_CACHE_DIR": str(tmp_path / "cache"), "ROSTER_TODAY": "2029-06-01"},
        secrets={"ROSTER_BOT_TOKEN": "bot-token"})
    assert result.outcomes["推送分支并开启、更新或关闭拉取请求"] == "success", result.log
    bare = server.root / "yibao" / "roster.git"
    changed = subprocess.run(["git", "-C", str(bare), "diff", "--name-only", "main", "roster/status-auto"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert changed and all(p.startswith("registry/") for p in changed)
    methods = [(m, p) for m, p, _ in server.calls]
    assert methods == [("GET", "/api/v1/repos/yibao/roster/pulls?state=open&limit=50"),
                       ("POST", "/api/v1/repos/yibao/roster/pulls")]
    body = json.loads(server.calls[1][2])
    assert (body["head"], body["base"]) == ("roster/status-auto", "main")
    assert "token bot-token" in server.auth
