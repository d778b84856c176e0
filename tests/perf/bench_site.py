"""Benchmark: `roster site build` for a 10,000-expert registry with 300 draws and 200 announcements.

    python tests/perf/bench_site.py [--experts 10000] [--draws 300] [--announcements 200] [--candidates 500]

Timed like `make run` runs it: `roster validate` first (its per-file cache is then warm), then
`roster site build` — load, generate, MkDocs. The registry comes from tests/perf/generate.py (experts, institutions, supervisors, announcements);
the draws are added here with the project's RFC 3797 engine (tests/site/site_fixture.py), each over
``--candidates`` eligible experts (a specialty-sized pool), one of them still embargoed. Prints the
time of each stage and in total (target < 15 s), the CPU time beside it (steadier on a shared
machine), the largest page gzipped (target ≤ 1 MB) and the search index size. Exit 1 when a target
is missed. "generate" includes the whole-registry validation the build runs on its second core;
"MkDocs" includes the scan for personal data (tests/perf/README.md). ``--keep DIR`` twice with the
same arguments reuses the registry: compare two trees with
``PYTHONPATH=<tree>/tools python <tree>/tests/perf/bench_site.py --keep DIR`` in turn.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "site"))

from site_fixture import _draw  # noqa: E402

from roster.check.validate import open_registry  # noqa: E402
from roster.commands.reference import generated_pages  # noqa: E402
from roster.draw.canonical import commitment  # noqa: E402
from roster.site.build import build_site  # noqa: E402

AS_OF = date(2026, 6, 1)
TARGET_SECONDS = 15.0
TARGET_PAGE_GZIP = 1024 * 1024


def add_draws(root: Path, count: int, candidates: int) -> None:
    registry = open_registry(root, use_cache=False)
    experts = [r.data for r in registry.of_kind("expert") if r.data.get("status") == "active"]
    institutions = {r.id: r.data for r in registry.of_kind("institution") if r.id}
    rng = random.Random(3797)
    for n in range(1, count + 1):
        publish = AS_OF + timedelta(days=30) if n == count else AS_OF - timedelta(days=count - n + 1)
        pool = sorted(rng.sample(experts, min(candidates, len(experts))), key=lambda e: e["id"])
        record = _draw(n, rng, pool, institutions, publish, candidates, dlt=True)
        record["id"] = f"D2026-{n:04d}"
        record["commitment"] = commitment(record)  # the id is part of what the commitment covers
        path = root / "draws" / "2026" / f"{record['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _cpu() -> float:
    """CPU seconds of this process and its (waited-for) children: steadier than wall time on a shared machine."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def largest_gzipped(site: Path, suffixes: tuple[str, ...]) -> tuple[int, Path]:
    best = (0, site)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in suffixes:
            size = len(gzip.compress(path.read_bytes(), 6))
            best = max(best, (size, path))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--announcements", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep the registry and the build in this folder; a registry left "
                        "there by an earlier run (same arguments) is reused instead of generated again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as scratch:
        tmp = args.keep or Path(scratch)
        root = Path(tmp) / "registry"
        started = time.perf_counter()
        if not (root / "draws").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", str(args.experts),
                            "--announcements", str(args.announcements), "--as-of", AS_OF.isoformat(), "--out", str(root)],
                           check=True)
            add_draws(root, args.draws, args.candidates)
        print(f"synthetic registry: {args.experts:,} experts, {args.draws} draws, {args.announcements} announcements "
              f"({time.perf_counter() - started:.1f} s to generate, not timed below)")

        shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
        os.environ["ROSTER_CACHE_DIR"] = str(Path(tmp) / "cache")
        c0 = time.perf_counter()
        open_registry(root)  # what `roster validate` leaves behind: the per-file cache
        cold = time.perf_counter() - c0
        t0, cpu0 = time.perf_counter(), _cpu()
        registry = open_registry(root)
        t1 = time.perf_counter()
        result = build_site(registry, Path(tmp) / "build", config=REPO / "mkdocs.yml", docs=REPO / "docs",
                            schemas=REPO / "schemas", today=AS_OF, extra_pages=generated_pages())
        t2, cpu = time.perf_counter(), _cpu() - cpu0
        total = t2 - t0
        size, page = largest_gzipped(result.site_dir, (".html",))
        data_size, data_file = largest_gzipped(result.site_dir, (".json", ".xml", ".csv", ".js", ".svg"))
        index = result.site_dir / "search" / "search_index.json"
        html = sum(1 for _ in result.site_dir.rglob("*.html"))
        site_bytes = sum(p.stat().st_size for p in result.site_dir.rglob("*") if p.is_file())
        print(f"(load registry with no cache: {cold:.2f} s — `roster validate` pays this once and fills the cache)")
        print(f"load registry (validation cache) {t1 - t0:6.2f} s")
        print(f"generate Markdown and data       {result.seconds_generate:6.2f} s")
        print(f"MkDocs Material build            {result.seconds_engine:6.2f} s")
        print(f"total                            {total:6.2f} s   (target < {TARGET_SECONDS:.0f} s)")
        print(f"CPU time, this process and its children {cpu:6.2f} s  (wall > CPU / 2 means the second core was busy)")
        print(f"pages: {html} HTML, site {site_bytes / 1e6:.1f} MB")
        print(f"largest page gzipped: {size / 1024:.0f} KiB  {page.relative_to(result.site_dir)}  (target ≤ 1024 KiB)")
        print(f"largest data file gzipped: {data_size / 1024:.0f} KiB  {data_file.relative_to(result.site_dir)}")
        print(f"search index: {index.stat().st_size / 1024:.0f} KiB ({len(gzip.compress(index.read_bytes())) / 1024:.0f} KiB gzipped)")
        return 0 if total < TARGET_SECONDS and max(size, data_size) <= TARGET_PAGE_GZIP else 1


if __name__ == "__main__":
    sys.exit(main())
