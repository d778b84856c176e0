"""Where a file with personal or embargoed data may be written: outside the repository, never over
another file. Exports, contact lists, written draw records and office documents all pass here, so
none of them can be committed (or published through docs/) by mistake."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import EditError

__all__ = ["output_path", "repository_root"]


def repository_root(registry: Path) -> Path:
    """The git work tree holding the registry (the folder with .git), else the registry's parent."""
    start = registry.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start.parent


def output_path(registry_dir: Path, target: Path, what: str, example: str) -> Path:
    """`target` resolved, or EditError when it is inside the repository, exists, or has no folder."""
    resolved = target.expanduser().resolve()
    repo = repository_root(registry_dir)
    if resolved == repo or repo in resolved.parents:
        raise EditError(f"{what} {target} 在仓库（{repo}）之内，可能被提交：请写到仓库以外的位置，例如 {example}")
    if resolved.exists():
        raise EditError(f"{target} 已经存在：不会覆盖，请换一个文件名")
    if not resolved.parent.is_dir():
        raise EditError(f"{resolved.parent} 文件夹不存在：请先建立，或换一个位置")
    return resolved
