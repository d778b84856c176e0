"""The registry as of a commit (``git archive`` into a temporary folder), for checking a new request
against the registry it was made from rather than the default branch of today."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..check.history import BaseError
from ..check.registry import Registry, blob_id

__all__ = ["RegistryAsOf", "git_out"]


def git_out(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise BaseError(done.stderr.decode("utf-8", errors="replace").strip() or "git 命令失败")
    return done.stdout.decode("utf-8").strip()


class RegistryAsOf:
    """Registries read from the commits that last wrote given files; the working registry otherwise."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.repo = Path(git_out(registry.root, "rev-parse", "--show-toplevel")).resolve()
        self.prefix = registry.root.resolve().relative_to(self.repo).as_posix()
        self._by_commit: dict[str, Registry] = {}
        self._temps: list[tempfile.TemporaryDirectory[str]] = []

    def __enter__(self) -> RegistryAsOf:
        return self

    def __exit__(self, *_: object) -> None:
        for temp in self._temps:
            temp.cleanup()

    def commit_of(self, path: Path) -> str | None:
        """The commit on HEAD that last wrote ``path``, when the file on disk is exactly as committed."""
        rel = path.resolve().relative_to(self.repo).as_posix()
        try:
            commit = git_out(self.repo, "log", "-1", "--format=%H", "HEAD", "--", rel)
            committed = git_out(self.repo, "rev-parse", f"{commit}:{rel}") if commit else ""
        except BaseError:
            return None
        return commit if committed and committed == blob_id(path.read_bytes()) else None

    def for_file(self, path: Path) -> Registry:
        commit = self.commit_of(path)
        if commit is None:
            if self.registry.projected:  # a pool needs whole person records
                if "" not in self._by_commit:
                    from ..check.validate import open_registry

                    self._by_commit[""] = open_registry(self.registry.root)
                return self._by_commit[""]
            return self.registry
        if commit not in self._by_commit:
            self._by_commit[commit] = self._open(commit)
        return self._by_commit[commit]

    def _open(self, commit: str) -> Registry:
        from ..check.validate import open_registry  # validate imports the draw checks

        done = subprocess.run(["git", "-C", str(self.repo), "archive", "--format=tar", commit, "--", self.prefix],
                              capture_output=True, check=False)
        if done.returncode != 0:
            return self.registry
        temp = tempfile.TemporaryDirectory(prefix="roster-as-of-")
        self._temps.append(temp)
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
            tar.extractall(temp.name, filter="data")
        return open_registry(Path(temp.name) / self.prefix, use_cache=False)
