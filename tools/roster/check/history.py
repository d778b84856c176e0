"""Checks against the base of a pull request: history is appended to, never rewritten or lost."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import UsageProblem
from ..core.findings import Finding, error
from ..yamlio.load import LoadError, load_bytes
from .integrity import lifecycle, status_label
from .registry import Record, Registry, blob_id


class BaseError(UsageProblem):
    """The base revision cannot be read (not a git repository, unknown revision)."""


@dataclass(frozen=True)
class BaseTree:
    repo: Path
    rev: str
    blobs: dict[str, str]  # repository-relative path -> blob id at the base

    def read(self, paths: list[str]) -> dict[str, bytes]:
        if not paths:
            return {}
        request = "".join(f"{self.blobs[p]}\n" for p in paths).encode()
        out = _git(self.repo, ["cat-file", "--batch"], stdin=request)
        contents: dict[str, bytes] = {}
        offset = 0
        for path in paths:
            header_end = out.index(b"\n", offset)
            size = int(out[offset:header_end].split()[2])
            contents[path] = out[header_end + 1:header_end + 1 + size]
            offset = header_end + 1 + size + 1
        return contents


def _git(repo: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise BaseError("找不到 git 命令：--base 需要安装 git") from None
    if done.returncode != 0:
        raise BaseError(done.stderr.decode("utf-8", errors="replace").strip() or "git 命令失败")
    return done.stdout


def open_base(registry_root: Path, rev: str) -> tuple[BaseTree, str]:
    """The base tree and the registry's folder inside the repository."""
    try:
        repo = Path(_git(registry_root, ["rev-parse", "--show-toplevel"]).decode().strip())
    except BaseError:
        raise BaseError(f"{registry_root} 不在 git 仓库中：--base 只能在 git 仓库里使用") from None
    try:
        _git(repo, ["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"])
    except BaseError:
        raise BaseError(f"找不到基准版本“{rev}”：请确认分支名或提交号（CI 中需要 fetch-depth: 0）") from None
    prefix = registry_root.resolve().relative_to(repo.resolve()).as_posix()
    listing = _git(repo, ["ls-tree", "-r", "-z", rev, "--", prefix]).decode("utf-8")
    blobs = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        blobs[path] = meta.split()[2]
    return BaseTree(repo, rev, blobs), prefix


def check_against_base(registry: Registry, rev: str) -> Iterator[Finding]:
    base, prefix = open_base(registry.root, rev)
    current: dict[str, Record] = {}
    for record in registry.all_records():
        current[record.path.resolve().relative_to(base.repo.resolve()).as_posix()] = record
    for path in sorted(base.blobs):
        if path.endswith(".yaml") and path not in current:
            shown = str(Path(registry.root, Path(path).relative_to(prefix)))
            yield error(shown, 1, 1, "history.deleted",
                        f"记录文件 {path} 在基准版本 {rev} 中存在，本次被删除或改名：记录文件不得删除、编号不得复用"
                        f"（人员退出请改 status 并在 status_history 追加一条）")
    changed = [p for p, r in current.items() if p in base.blobs and base.blobs[p] != blob_id(r.path.read_bytes())]
    old_contents = base.read(changed)
    for path in changed:
        record = current[path]
        try:
            old = load_bytes(old_contents[path]).data
        except LoadError:
            continue
        if isinstance(old, dict) and record.document is not None:
            yield from _compare(record, old, rev)


def _compare(record: Record, old: dict[str, Any], rev: str) -> Iterator[Finding]:
    new = record.data
    if record.kind in ("expert", "supervisor"):
        yield from _person_changes(record, old, new, rev)
    if record.kind == "draw":
        yield from _draw_changes(record, old, new, rev)


def _person_changes(record: Record, old: dict[str, Any], new: dict[str, Any], rev: str) -> Iterator[Finding]:
    before, after = old.get("status"), new.get("status")
    rules = lifecycle()
    if before != after and after not in rules["transitions"].get(before, []):
        line, col = record.line("status")
        allowed = "、".join(status_label(s) for s in rules["transitions"].get(before, [])) or "（无）"
        final = "移出是终局状态，不能再变更。" if before == "removed" else ""
        yield error(record.display, line, col, "history.transition",
                    f"状态从 {status_label(str(before))}（基准版本 {rev}）变为 {after}，不是允许的变更：{final}"
                    f"{before} 之后只能变为 {allowed}", record=record.id,
                    citation=rules["removed_is_final"] if before == "removed" else None)
    for field, label in (("status_history", "状态记录"), ("past_terms", "以往聘期")):
        old_items, new_items = old.get(field) or [], new.get(field) or []
        if isinstance(old_items, list) and isinstance(new_items, list) and new_items[:len(old_items)] != old_items:
            line, col = record.line(field)
            yield error(record.display, line, col, "history.rewritten",
                        f"{label}（{field}）中已有的条目被修改或删除：历史只能在末尾追加，不能改写", record=record.id)
    if old.get("name") != new.get("name") and old.get("birth") != new.get("birth"):
        line, col = record.line("name")
        yield error(record.display, line, col, "history.id_reused",
                    f"编号 {record.id} 的姓名和出生年月同时改变（原为“{old.get('name')}”）：编号不得复用给另一个人，"
                    f"新人员请新建记录", record=record.id)


def _draw_changes(record: Record, old: dict[str, Any], new: dict[str, Any], rev: str) -> Iterator[Finding]:
    for field, label in (("request", "抽取请求"), ("candidates", "候选名单"), ("exclusions", "排除名单")):
        if "result" in old and old.get(field) != new.get(field):
            line, col = record.line(field)
            yield error(record.display, line, col, "history.draw_frozen",
                        f"抽取已经执行，{label}（{field}）不得再修改", record=record.id,
                        citation="《西藏自治区医疗保障基金监管专家库管理办法（试行）》第十三条：对抽选过程作好书面记录")
    if "result" in old and old.get("result") != new.get("result"):
        line, col = record.line("result")
        yield error(record.display, line, col, "history.draw_result_changed",
                    "抽取结果一经写入不得修改或删除：需要重新抽取时请新建补抽请求（request.parent）", record=record.id,
                    citation="《西藏自治区医疗保障基金监管专家库管理办法（试行）》第十三条")
    old_responses, new_responses = old.get("responses") or [], new.get("responses") or []
    if isinstance(old_responses, list) and isinstance(new_responses, list) \
            and new_responses[:len(old_responses)] != old_responses:
        line, col = record.line("responses")
        yield error(record.display, line, col, "history.rewritten",
                    "答复（responses）中已有的条目被修改或删除：答复只能在末尾追加", record=record.id)
