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
from .integrity import ROSTER_OF_KIND, allowed_after, removal_final, status_label
from .registry import Record, Registry, blob_id, read_regular


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
    changed = [p for p, r in current.items() if p in base.blobs and base.blobs[p] != r.sha]  # the bytes checked
    old_contents = base.read(changed)
    finals = {kind: removal_final(registry, kind) for kind in ROSTER_OF_KIND}
    settings = registry.settings.data if registry.settings is not None and registry.settings.document is not None else None
    for path in changed:
        record = current[path]
        try:
            old = load_bytes(old_contents[path]).data
            if registry.projected and record.kind in ROSTER_OF_KIND and record.document is not None:
                record = _whole(record)  # a projected person: the comparison reads every field
        except (LoadError, OSError):
            continue
        if isinstance(old, dict) and record.document is not None:
            yield from _compare(record, old, rev, finals.get(record.kind), settings)


def _whole(record: Record) -> Record:
    raw = read_regular(record.file)
    return Record(record.kind, record.file, record.display, record.stem, blob_id(raw), load_bytes(raw),
                  record.problems, record.notes)


def _compare(record: Record, old: dict[str, Any], rev: str, final_clause: str | None,
             settings: dict[str, Any] | None) -> Iterator[Finding]:
    new = record.data
    if record.kind in ("expert", "supervisor"):
        yield from _person_changes(record, old, new, rev, final_clause)
        yield from _identity_changes(record, old, new, rev, final_clause)
    # draws: frozen once on the base, checked by roster.draw.checks
    if record.kind == "announcement" and "outcome" in old and old.get("outcome") != new.get("outcome"):
        line, col = record.line("outcome") if "outcome" in new else (1, 1)
        yield error(record.display, line, col, "history.outcome_rewritten",
                    f"公示已于 {(old.get('outcome') or {}).get('closed')} 办结（基准版本 {rev}），公示结果（outcome）不得修改或删除："
                    "办结后发现的问题请另发公告说明", record=record.id)
    if record.kind == "conduct" and _conduct_changed(old, new):
        yield error(record.display, 1, 1, "history.conduct_changed",
                    f"行为记录 {old.get('id')} 在基准版本 {rev} 中已存在，不得修改：行为记录只能新增。"
                    f"请恢复原记录，另建一条新记录写明更正内容，并写 corrects: {old.get('id')}", record=record.id)


def _conduct_changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """A conduct record is append-only; the one later addition is how a lead was handled (``handled``, JN
    第十二条（二）), written once."""
    if "handled" in old:
        return old != new
    return {k: v for k, v in old.items() if k != "handled"} != {k: v for k, v in new.items() if k != "handled"}


IDENTITY = (("name", "姓名"), ("gender", "性别"), ("birth", "出生年月"))
KEY_FROZEN_STATUSES = ("removed", "withdrawn")


def _identity_changes(record: Record, old: dict[str, Any], new: dict[str, Any], rev: str,
                      final_clause: str | None) -> Iterator[Finding]:
    """An id stays with one person: the identity fields never change, nor the fingerprint of someone who left."""
    for field, label in IDENTITY:
        if old.get(field) != new.get(field):
            line, col = record.line(field) if field in new else (1, 1)
            yield error(record.display, line, col, "history.identity",
                        f"编号 {record.id} 的{label}（{field}）被修改（基准版本 {rev} 中为“{old.get(field)}”）："
                        f"编号一经使用就只属于这个人，{label}不得修改；新人员请用新编号新建记录，"
                        "原记录录入有误的，请恢复原值并报名册管理员处理", record=record.id)
    status = old.get("status")
    if status in KEY_FROZEN_STATUSES and old.get("person_key") != new.get("person_key"):
        line, col = record.line("person_key") if "person_key" in new else (1, 1)
        yield error(record.display, line, col, "history.person_key",
                    f"{status_label(str(status))}人员的身份指纹（person_key）不得修改或删除：它用来识别同一人"
                    f"再次申请入库{'（移出者不得重新入库）' if status == 'removed' and final_clause else ''}。请恢复基准版本中的值",
                    record=record.id,
                    citation=final_clause if status == "removed" else None)


def _person_changes(record: Record, old: dict[str, Any], new: dict[str, Any], rev: str,
                    final_clause: str | None) -> Iterator[Finding]:
    """Status changes against the base; a removal is final only where the preset says so (XZ 第二十八条)."""
    before, after = old.get("status"), new.get("status")
    if before != after and after not in allowed_after(before, final_clause):
        line, col = record.line("status")
        allowed = "、".join(status_label(s) for s in allowed_after(before, final_clause))
        final = "移出是终局状态，不能再变更。" if before == "removed" and final_clause else ""
        then = f"{status_label(str(before))}之后只能变为 {allowed}" if allowed else \
            ("" if final else f"{status_label(str(before))}之后不能再变更")
        yield error(record.display, line, col, "history.transition",
                    f"状态从 {status_label(str(before))}（基准版本 {rev}）变为 {after}，不是允许的变更：{final}{then}"
                    f"。请恢复基准版本中的状态，按允许的变更办理（roster status、withdraw、remove 等）", record=record.id,
                    citation=final_clause if before == "removed" else None)
    for field, label in (("status_history", "状态记录"), ("past_terms", "以往聘期")):
        old_items, new_items = old.get(field) or [], new.get(field) or []
        if isinstance(old_items, list) and isinstance(new_items, list) and new_items[:len(old_items)] != old_items:
            line, col = record.line(field)
            yield error(record.display, line, col, "history.rewritten",
                        f"{label}（{field}）中已有的条目被修改或删除：历史只能在末尾追加，不能改写", record=record.id)
