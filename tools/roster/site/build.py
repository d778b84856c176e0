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
import errno
import functools
import gzip
import hashlib
import html
import http.server
import json
import logging
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
from ..core.files import replace_folder, write_atomic
from ..core.timeutil import today_beijing
from .background import Background
from .config import derive_config, internal_folders, load_base_config
from .context import SiteContext, SiteError
from .draw_pages import draw_pages, dump
from .labels import texts_index
from .lookup import lookup_index
from .markup import SLOT_PREFIX, lift_tables, page_url, placeholder
from .notices import notice_pages
from .opendata import opendata_files
from .pages import committee_page, expert_pages, home_page, supervisor_pages
from .regulations import policy_pages, regulation_pages
from .services import contact_page, sitemap_page
from .stats import stats_pages

__all__ = ["BuildResult", "bind_server", "build_site", "fill_slots", "generate", "parse_address", "serve_site",
           "write_docs"]

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
    files.update(lookup_index(ctx))
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


def _assets(name: str = "assets") -> Iterator[tuple[str, bytes]]:
    """The files of a folder shipped in this package, ``(path starting with name, bytes)``."""
    root = resources.files(__package__ or __name__).joinpath(name)
    stack = [(root, name)]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append((entry, f"{prefix}/{entry.name}"))
            else:
                yield f"{prefix}/{entry.name}", entry.read_bytes()


def write_docs(files: Mapping[str, str], docs_src: Path, target: Path, *,
               leave_out: frozenset[str] = frozenset()) -> None:
    """Write generated files, assets and hand-written pages into ``target`` (replaced as a whole).

    Hand-written pages in the top folders ``leave_out`` (the staff guide, on the public site) are skipped.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".docs-", dir=target.parent))
    try:
        if docs_src.is_dir():
            for path in sorted(docs_src.rglob("*")):
                rel = path.relative_to(docs_src).as_posix()
                if path.is_dir() or rel == "index.md" or path.name.startswith(".") or rel.split("/")[0] in leave_out:
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
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, target)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _quiet_jieba() -> None:
    """The search plugin's Chinese segmenter prints English progress lines at import: import it quietly."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def _run_mkdocs(config_file: Path, strict: bool, tables: Mapping[str, list[tuple[str, str]]]) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    _quiet_jieba()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), strict=strict)
        filler = TableFiller(tables)
        config.plugins["roster-tables"] = filler  # type: ignore[assignment]  # in this process only, not in mkdocs.yml
        build(config)
        filler.check_done()
    except MkDocsException as exc:
        details = "；".join(m.splitlines()[0] for m in collect.messages[:5])
        raise SiteError(f"MkDocs 构建失败：{exc}" + (f"（{details}）" if details else "")) from None
    finally:
        logger.removeHandler(collect)


def _filled(text: str, slots: list[tuple[str, str]], where: object) -> str:
    for name, block in slots:
        hole = placeholder(name)
        if hole not in text:
            raise SiteError(f"构建出的 {where} 中找不到表格的位置（{name}）")
        text = text.replace(hole, block, 1)
    return text


def lift_all(files: Mapping[str, str]) -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """The generated pages with their tables lifted out (:func:`.markup.lift_tables`), and the tables by page."""
    out: dict[str, str] = {}
    tables: dict[str, list[tuple[str, str]]] = {}
    for rel, text in files.items():
        if rel.endswith(".md"):
            text, lifted = lift_tables(text)
            if lifted:
                tables[rel] = lifted
        out[rel] = text
    return out, tables


class TableFiller:
    """An MkDocs event handler: puts a page's lifted tables back right after Markdown (``on_page_content``),
    before the theme renders the page and search indexes it."""

    def __init__(self, tables: Mapping[str, list[tuple[str, str]]]) -> None:
        self.waiting = dict(tables)

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        tables = self.waiting.pop(page.file.src_uri, None)
        return _filled(html, tables, page.file.src_uri) if tables else html

    def check_done(self) -> None:
        if self.waiting:
            raise SiteError(f"以下页面没有构建出来，其中的表格无处可放：{'、'.join(sorted(self.waiting))}")


def fill_slots(site_dir: Path, files: Mapping[str, str]) -> None:
    """Put each slot's HTML into its built page (see :func:`.markup.slot`)."""
    by_page: dict[str, list[tuple[str, str]]] = {}
    for key, block in files.items():
        if key.startswith(SLOT_PREFIX):
            page, _, name = key[len(SLOT_PREFIX):].partition("#")
            by_page.setdefault(page, []).append((name, block))
    for page, slots in by_page.items():
        target = site_dir / page_url(page) / "index.html"
        text = _filled(target.read_text(encoding="utf-8"), slots, target)
        write_atomic(target, text.encode("utf-8"), durable=False)


def _run_zensical(config_file: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "zensical", "build", "--config-file", str(config_file), "--clean"],
                          capture_output=True, text=True, check=False, cwd=config_file.parent)
    if done.returncode != 0:
        raise SiteError(f"Zensical 构建失败：{(done.stderr or done.stdout).strip()[-2000:]}")


def build_site(registry: Registry, out: Path, *, config: Path = Path("mkdocs.yml"), docs: Path = Path("docs"),
               schemas: Path = Path("schemas"), today: date | None = None, engine: str = "mkdocs",
               strict: bool = True, extra_pages: Mapping[str, str] | None = None,
               internal: bool = False) -> BuildResult:
    """Generate the docs folder from the registry and build the site into ``out/site``.

    `extra_pages` are further generated pages (``{relative path: Markdown}``), e.g. the command reference.
    The public site leaves out the staff-only pages (the folders of ``extra.internal_nav`` in the
    configuration); ``internal`` builds the staff's own site, with them.
    """
    if engine not in ENGINES:
        raise SiteError(f"未知的构建工具“{engine}”，可用：{'、'.join(ENGINES)}")
    started = time.perf_counter()
    today = today or today_beijing()
    # Validation (seconds at 10,000 experts) runs on the second core while the pages are generated in
    # memory; nothing is written before its answer, and an invalid registry is refused with its own message.
    check = Background(validation_error, registry, today)
    docs_dir, site_dir = out / "docs", out / "site"
    try:
        ctx = SiteContext.of(registry, today)
        base = load_base_config(config)
        files = generate(ctx, schema_dir=schemas, home_intro=_hand_written_home(docs))
        leave_out = frozenset() if internal else internal_folders(base)
        files.update({k: v for k, v in (extra_pages or {}).items() if k.split("/")[0] not in leave_out})
        derived = derive_config(base, ctx, docs_dir, site_dir, internal=internal, overrides=out / "overrides")
        files.update(sitemap_page(derived.get("nav", [])))
        files.update(contact_page(ctx))
        tables: dict[str, list[tuple[str, str]]] = {}
        if engine == "mkdocs":  # Zensical has no page events: it gets the tables in the Markdown
            files, tables = lift_all(files)
    except Exception:
        refuse(check.result())  # a page that cannot be made from an invalid registry: say why it is invalid
        raise
    except BaseException:
        check.cancel()
        raise
    refuse(check.result())
    write_docs(files, docs, docs_dir, leave_out=leave_out)
    for rel, data in _assets("overrides"):  # theme templates: the Chinese 404 page, footer, scripts in <head>
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    config_file = out / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(derived, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (out / "allowed-contacts.json").write_text(json.dumps(ctx.contacts(), ensure_ascii=False), encoding="utf-8")
    generated = time.perf_counter()
    allow = published_contacts(ctx)
    data_scan = Background(scan_data, files, allow)  # while the engine runs, which copies these files unchanged
    try:
        if engine == "mkdocs":
            _run_mkdocs(config_file, strict, tables)
        else:
            _run_zensical(config_file)
        fill_slots(site_dir, files)
    except BaseException:
        data_scan.cancel()
        raise
    hits = scan_built(site_dir, allow, known=data_scan.result())
    if hits:
        shutil.rmtree(site_dir, ignore_errors=True)
        shown = "；".join(hits[:10]) + ("；……" if len(hits) > 10 else "")
        raise SiteError(f"生成的网站中发现疑似个人信息（{len(hits)} 处），网站已删除、不得发布：{shown}。"
                        "请删除名册或 docs/ 中的这些内容（roster validate 会指出名册中的位置）")
    return BuildResult(out, docs_dir, site_dir, config_file, len(files), generated - started,
                       time.perf_counter() - generated)


HTTP_ERRORS = {400: "请求有误", 403: "不允许访问", 404: "找不到这个页面", 405: "不支持这种请求",
               500: "服务器出错", 501: "不支持这种请求"}
def published_contacts(ctx: SiteContext) -> list[str]:
    """Organisational contacts the site prints on purpose: office phones, and the addresses printed in
    the regulations' own texts."""
    texts = [c for meta in texts_index().values() for c in meta.get("public_contacts", [])]
    return ctx.contacts() + texts


def validation_error(registry: Registry, today: date) -> str | None:
    """Why the site cannot be built from this registry, or ``None``: the site is never built from a
    registry that fails validation (设计文档“保密模型”)."""
    from ..check.validate import check_registry

    errors = [f for f in check_registry(registry, today) if f.is_error]
    if not errors:
        return None
    first = errors[0]
    return (f"名册未通过校验（{len(errors)} 个错误），不能生成网站：请先运行 roster validate 并改正。"
            f"第一个错误：{first.path}:{first.line}: {first.message}")


def refuse(error: str | None) -> None:
    if error is not None:
        raise SiteError(error)


# Built files that hold text the public reads; theme code and images are not scanned.
SCANNED_SUFFIXES = (".html", ".htm", ".xml", ".json", ".csv", ".txt", ".md", ".svg", ".rss", ".xml.gz")


def _readable_text(name: str, raw: bytes) -> str:
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    suffix = Path(name).suffix
    if suffix in (".html", ".htm", ".xml", ".svg", ".rss", ".gz"):
        text = html.unescape(text)  # &#49;&#51;… is a number to a reader
    elif suffix == ".json" and "\\u" in text:
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=0)
    return text


def _hits(rel: str, raw: bytes, allow: list[str]) -> list[str]:
    from ..check.pii import kind_label, scan_text

    return [f"{rel} 第 {hit.line} 行：{kind_label(hit.kind)}" for hit in scan_text(_readable_text(rel, raw), allow=allow)]


Scanned = dict[str, tuple[bytes, list[str]]]  # site path: SHA-256 of the bytes scanned, and what was found


def scan_data(files: Mapping[str, str], allow: list[str]) -> Scanned:
    """The generated data files (JSON, CSV, XML … — not pages, which the engine turns into HTML), scanned
    as written to the docs folder; the engine copies them into the site unchanged."""
    found: Scanned = {}
    for rel, text in files.items():
        if rel.endswith(SCANNED_SUFFIXES) and not rel.endswith(".md") and not rel.startswith(SLOT_PREFIX):
            raw = text.encode("utf-8")
            found[rel] = (hashlib.sha256(raw).digest(), _hits(rel, raw, allow))
    return found


def scan_built(site_dir: Path, allow: list[str], known: Scanned | None = None) -> list[str]:
    """Every suspected piece of personal data in the built site, as "file line N: kind" (never the value).

    ``known`` are files scanned already (:func:`scan_data`): taken as they are when the built file has
    exactly the bytes that were scanned, scanned again otherwise."""
    known = known or {}
    found: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.name.endswith(SCANNED_SUFFIXES):
            rel, raw = path.relative_to(site_dir).as_posix(), path.read_bytes()
            earlier = known.get(rel)
            if earlier is not None and earlier[0] == hashlib.sha256(raw).digest():
                found += earlier[1]
            else:
                found += _hits(rel, raw, allow)
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The preview server: no log lines, and errors in Chinese (a missing page gets the site's own 404 page)."""

    error_message_format = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>%(code)d %(message)s</title>'
                            "<h1>%(message)s</h1><p>错误代码 %(code)d。</p></html>")
    error_content_type = "text/html; charset=utf-8"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
        else:
            body = (self.error_message_format % {"code": code, "message": HTTP_ERRORS.get(code, "出错了")}).encode()
        self.send_response(code)  # the status line keeps HTTP's own reason phrase (it must be Latin-1)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logging.getLogger("roster.site").debug(format, *args)


def bind_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A static file server for ``site_dir``, its port taken now (before the site is built), or a Chinese error."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            reason = f"端口 {port} 已被其他程序占用。请先停止那个程序，或换一个端口（make run ADDR={host}:{port + 1}）"
        elif exc.errno == errno.EACCES:
            reason = f"没有权限使用端口 {port}，请换一个 1024 以上的端口"
        elif exc.errno == errno.EADDRNOTAVAIL:
            reason = f"本机没有地址 {host}"
        else:
            reason = f"系统错误 {exc.errno}"
        raise SiteError(f"无法在 {host}:{port} 上启动网站预览：{reason}") from None


def serve_site(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A static file server for a built site (call ``serve_forever`` on it)."""
    if not (site_dir / "index.html").is_file():
        raise SiteError(f"{site_dir} 中没有构建好的网站，请先运行 roster site build")
    return bind_server(site_dir, host, port)


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``PORT`` (on 127.0.0.1), as the Makefile's ``ADDR``."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise SiteError(f"地址“{text}”应写成 主机:端口，例如 127.0.0.1:8000")
    return host or "127.0.0.1", int(port)
