"""``roster site build``: registry → generated docs folder → MkDocs (or Zensical) → static site.

Layout of the build folder (never committed)::

    <out>/docs/        generated Markdown, data files, assets, and the hand-written docs/ pages
    <out>/mkdocs.yml   the top-level mkdocs.yml with docs_dir, site_dir, title and footer filled in
    <out>/site/        the built site

The docs folder is written next to the old one and swapped in with ``os.replace``, so a failed
generation leaves the previous build as it was.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import html
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
from ..core.timeutil import today_beijing
from .config import derive_config, load_base_config
from .context import SiteContext, SiteError
from .draw_pages import draw_pages, dump
from .labels import texts_index
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
    for key, block in files.items():
        if key.startswith(SLOT_PREFIX):
            page, _, name = key[len(SLOT_PREFIX):].partition("#")
            by_page.setdefault(page, []).append((name, block))
    for page, slots in by_page.items():
        target = site_dir / page_url(page) / "index.html"
        text = target.read_text(encoding="utf-8")
        for name, block in slots:
            placeholder = f'<div class="roster-slot" data-slot="{name}"></div>'
            if placeholder not in text:
                raise SiteError(f"构建出的 {target} 中找不到表格的位置（{name}）")
            text = text.replace(placeholder, block, 1)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)


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
    today = today or today_beijing()
    refuse_invalid(registry, today)
    ctx = SiteContext.of(registry, today)
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
    hits = scan_built(site_dir, published_contacts(ctx))
    if hits:
        shutil.rmtree(site_dir, ignore_errors=True)
        shown = "；".join(hits[:10]) + ("；……" if len(hits) > 10 else "")
        raise SiteError(f"生成的网站中发现疑似个人信息（{len(hits)} 处），网站已删除、不得发布：{shown}。"
                        "请删除名册或 docs/ 中的这些内容（roster validate 会指出名册中的位置）")
    return BuildResult(out, docs_dir, site_dir, config_file, len(files), generated - started,
                       time.perf_counter() - generated)


def published_contacts(ctx: SiteContext) -> list[str]:
    """Organisational contacts the site prints on purpose: office phones, and the addresses printed in
    the regulations' own texts."""
    texts = [c for meta in texts_index().values() for c in meta.get("public_contacts", [])]
    return ctx.contacts() + texts


def refuse_invalid(registry: Registry, today: date) -> None:
    """The site is never built from a registry that fails validation (设计文档“保密模型”)."""
    from ..check.validate import check_registry

    errors = [f for f in check_registry(registry, today) if f.is_error]
    if errors:
        first = errors[0]
        raise SiteError(f"名册未通过校验（{len(errors)} 个错误），不能生成网站：请先运行 roster validate 并改正。"
                        f"第一个错误：{first.path}:{first.line}: {first.message}")


# Built files that hold text the public reads; theme code and images are not scanned.
SCANNED_SUFFIXES = (".html", ".htm", ".xml", ".json", ".csv", ".txt", ".md", ".svg", ".rss", ".xml.gz")


def _readable_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix in (".html", ".htm", ".xml", ".svg", ".rss", ".gz"):
        text = html.unescape(text)  # &#49;&#51;… is a number to a reader
    elif path.suffix == ".json" and "\\u" in text:
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=0)
    return text


def scan_built(site_dir: Path, allow: list[str]) -> list[str]:
    """Every suspected piece of personal data in the built site, as "file line N: kind" (never the value)."""
    from ..check.pii import kind_label, scan_text

    found: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.name.endswith(SCANNED_SUFFIXES):
            for hit in scan_text(_readable_text(path), allow=allow):
                found.append(f"{path.relative_to(site_dir).as_posix()} 第 {hit.line} 行：{kind_label(hit.kind)}")
    return found


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
