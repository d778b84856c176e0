"""``roster site build``: registry → generated docs folder → MkDocs (or Zensical) → static site.

Layout of the build folder (never committed)::

    <out>/docs/        generated Markdown, data files, assets, and the hand-written docs/ pages
    <out>/mkdocs.yml   the top-level mkdocs.yml with docs_dir, site_dir, title and footer filled in
    <out>/site/        the built site

The docs folder is written next to the old one and swapped in with ``os.replace``, so a failed
generation leaves the previous build as it was.
"""

from __future__ import annotations

import functools
import http.server
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..check.registry import Registry
from ..core.files import write_atomic
from ..core.timeutil import today_beijing
from .config import derive_config, load_base_config
from .context import SiteContext, SiteError
from .draw_pages import draw_pages, dump
from .markup import SLOT_PREFIX, page_url
from .notices import notice_pages
from .opendata import opendata_files
from .pages import committee_page, expert_pages, home_page, supervisor_pages
from .regulations import policy_pages, regulation_pages
from .stats import stats_pages

__all__ = ["BuildResult", "build_site", "fill_slots", "generate", "serve_site", "write_docs"]

ENGINES = ("mkdocs", "zensical")


@dataclass(frozen=True)
class BuildResult:
    out: Path
    docs_dir: Path
    site_dir: Path
    config_file: Path
    generated: int
    seconds_generate: float
    seconds_engine: float


def _hand_written_home(docs_src: Path) -> str | None:
    """The body of a hand-written docs/index.md (without its first heading), used as the home intro."""
    path = docs_src / "index.md"
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip() or None


def generate(ctx: SiteContext, *, schema_dir: Path, home_intro: str | None = None) -> dict[str, str]:
    """Every generated file of the docs folder, ``{relative path: text}``."""
    files: dict[str, str] = {}
    files.update(home_page(ctx, intro=home_intro))
    files.update(expert_pages(ctx))
    files.update(committee_page(ctx))
    files.update(supervisor_pages(ctx))
    files.update(notice_pages(ctx))
    pages, data = draw_pages(ctx)
    files.update(pages)
    files.update({path: dump(value) for path, value in data.items()})
    files.update(stats_pages(ctx))
    files.update(regulation_pages())
    files.update(policy_pages(ctx.registry.root))
    files.update(opendata_files(ctx, schema_dir, data))
    return files


def _assets() -> Iterator[tuple[str, bytes]]:
    root = resources.files(__package__ or __name__).joinpath("assets")
    stack = [(root, "assets")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append((entry, f"{prefix}/{entry.name}"))
            else:
                yield f"{prefix}/{entry.name}", entry.read_bytes()


def write_docs(files: Mapping[str, str], docs_src: Path, target: Path) -> None:
    """Write generated files, assets and hand-written pages into ``target`` (replaced as a whole)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".docs-", dir=target.parent))
    try:
        if docs_src.is_dir():
            for path in sorted(docs_src.rglob("*")):
                rel = path.relative_to(docs_src).as_posix()
                if path.is_dir() or rel == "index.md" or path.name.startswith("."):
                    continue
                if rel in files:
                    raise SiteError(f"手写页面 {docs_src / rel} 与生成的页面同名，请改名")
                dest = staging / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
        for rel, data in _assets():
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        for rel, text in files.items():
            if rel.startswith(SLOT_PREFIX):
                continue
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_mkdocs(config_file: Path, strict: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        build(config)
    except MkDocsException as exc:
        details = "；".join(m.splitlines()[0] for m in collect.messages[:5])
        raise SiteError(f"MkDocs 构建失败：{exc}" + (f"（{details}）" if details else "")) from None
    finally:
        logger.removeHandler(collect)


def fill_slots(site_dir: Path, files: Mapping[str, str]) -> None:
    """Put each slot's HTML into its built page (see :func:`.markup.slot`)."""
    by_page: dict[str, list[tuple[str, str]]] = {}
    for key, html in files.items():
        if key.startswith(SLOT_PREFIX):
            page, _, name = key[len(SLOT_PREFIX):].partition("#")
            by_page.setdefault(page, []).append((name, html))
    for page, slots in by_page.items():
        target = site_dir / page_url(page) / "index.html"
        text = target.read_text(encoding="utf-8")
        for name, html in slots:
            placeholder = f'<div class="roster-slot" data-slot="{name}"></div>'
            if placeholder not in text:
                raise SiteError(f"构建出的 {target} 中找不到表格的位置（{name}）")
            text = text.replace(placeholder, html, 1)
        write_atomic(target, text.encode("utf-8"), durable=False)


def _run_zensical(config_file: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config_file), "--clean"],
                          capture_output=True, text=True, check=False, cwd=config_file.parent)
    if done.returncode != 0:
        raise SiteError(f"Zensical 构建失败：{(done.stderr or done.stdout).strip()[-2000:]}")


def build_site(registry: Registry, out: Path, *, config: Path = Path("mkdocs.yml"), docs: Path = Path("docs"),
               schemas: Path = Path("schemas"), today: date | None = None, engine: str = "mkdocs",
               strict: bool = True, extra_pages: Mapping[str, str] | None = None) -> BuildResult:
    """Generate the docs folder from the registry and build the site into ``out/site``.

    `extra_pages` are further generated pages (``{relative path: Markdown}``), e.g. the command reference.
    """
    if engine not in ENGINES:
        raise SiteError(f"未知的构建工具“{engine}”，可用：{'、'.join(ENGINES)}")
    started = time.perf_counter()
    ctx = SiteContext.of(registry, today or today_beijing())
    base = load_base_config(config)
    files = generate(ctx, schema_dir=schemas, home_intro=_hand_written_home(docs))
    files.update(extra_pages or {})
    docs_dir, site_dir = out / "docs", out / "site"
    write_docs(files, docs, docs_dir)
    config_file = out / "mkdocs.yml"
    derived = derive_config(base, ctx, docs_dir, site_dir)
    config_file.write_text(yaml.safe_dump(derived, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (out / "allowed-contacts.json").write_text(json.dumps(ctx.contacts(), ensure_ascii=False), encoding="utf-8")
    generated = time.perf_counter()
    if engine == "mkdocs":
        _run_mkdocs(config_file, strict)
    else:
        _run_zensical(config_file)
    fill_slots(site_dir, files)
    return BuildResult(out, docs_dir, site_dir, config_file, len(files), generated - started,
                       time.perf_counter() - generated)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logging.getLogger("roster.site").debug(format, *args)


def serve_site(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A static file server for a built site (call ``serve_forever`` on it)."""
    if not (site_dir / "index.html").is_file():
        raise SiteError(f"{site_dir} 中没有构建好的网站，请先运行 roster site build")
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise SiteError(f"无法在 {host}:{port} 上启动网站预览：{exc.strerror}") from None
