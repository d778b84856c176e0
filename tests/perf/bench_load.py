"""Benchmark: the strict loader's line reader (fastpath.py) against its libyaml path and PyYAML's C loader.

    .venv/bin/python tests/perf/bench_load.py [--experts 3000] [--repeat 5] [--keep DIR]

On the expert files of a synthetic registry (tests/perf/generate.py), prints per-file medians of `repeat`
runs and their ratios:
  * line reader   — `fastpath.parse` on the decoded text;
  * load_bytes    — what `roster validate` calls: decode, line reader, libyaml only when it declines;
  * libyaml path  — `load_bytes_libyaml`: yaml.compose with the strict loader's resolver, then the conversion;
  * CSafeLoader   — `yaml.load(raw, Loader=yaml.CSafeLoader)`, the baseline of issue 16;
and the memory the loaded records hold with shared field names, against the same records with a copy of
every field name each (as before the names were interned).
The machine is shared and noisy: read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from roster.yamlio import fastpath  # noqa: E402
from roster.yamlio.load import load_bytes, load_bytes_libyaml  # noqa: E402


def per_file_ms(action: Callable[[], object], files: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / files * 1000


def unshared(value: Any) -> Any:
    """The same data with a separate copy of every field name."""
    if isinstance(value, dict):
        return {key.encode().decode(): unshared(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unshared(item) for item in value]
    return value


def held_bytes(build: Callable[[], object]) -> int:
    tracemalloc.start()
    kept = build()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the registry here once and reuse it afterwards")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-load-")) / "registry"
    if not (root / "experts").is_dir():
        subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", str(args.experts),
                        "--out", str(root)], check=True, capture_output=True)
    raws = [path.read_bytes() for path in sorted((root / "experts").glob("*.yaml"))]
    texts = [raw.decode("utf-8") for raw in raws]
    accepted = sum(fastpath.parse(text) is not None for text in texts)
    print(f"{len(raws)} expert files, {sum(map(len, raws)) / len(raws):.0f} bytes each on average; "
          f"the line reader accepts {accepted}")

    results = {
        "line reader": per_file_ms(lambda: [fastpath.parse(text) for text in texts], len(raws), args.repeat),
        "load_bytes": per_file_ms(lambda: [load_bytes(raw) for raw in raws], len(raws), args.repeat),
        "libyaml path": per_file_ms(lambda: [load_bytes_libyaml(raw) for raw in raws], len(raws), args.repeat),
        "CSafeLoader": per_file_ms(lambda: [yaml.load(raw, Loader=yaml.CSafeLoader) for raw in raws], len(raws),
                                   args.repeat),
    }
    for name, ms in results.items():
        print(f"{name:>13}: {ms:.4f} ms per file  = {ms / results['libyaml path']:.2f} × libyaml path"
              f"  = {ms / results['CSafeLoader']:.2f} × CSafeLoader")

    shared = held_bytes(lambda: [load_bytes(raw).data for raw in raws])
    copied = held_bytes(lambda: [unshared(load_bytes(raw).data) for raw in raws])
    print(f"memory held by the {len(raws)} records: {shared / 2**20:.1f} MiB with shared field names, "
          f"{copied / 2**20:.1f} MiB with a copy each ({shared / copied:.2f})")


if __name__ == "__main__":
    main()
