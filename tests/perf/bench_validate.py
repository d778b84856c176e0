"""Benchmark: `roster validate` on a synthetic registry, against two baselines measured in the same run.

    python tests/perf/bench_validate.py [--experts 10000] [--repeat 5] [--skip-check-jsonschema]

Prints medians and ratios:
  * libyaml baseline — PyYAML's C loader (CSafeLoader) alone parsing every record file;
  * cold validation — `validate(..., use_cache=False)` in-process: parse, schema, privacy, integrity, rules;
  * check-jsonschema — the same record files against the same schemas (run once: it is the slow one);
  * warm CLI run after one changed file — `roster validate` as staff run it (registry in a git work
    tree, cache populated, one record edited and not yet committed).
The machine is shared and noisy: read the ratios, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parse_all(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def cold_validation(root: Path) -> None:
    from roster.check.validate import validate

    outcome = validate(root, use_cache=False)
    if not outcome.valid:
        raise SystemExit("synthetic registry did not validate: " + outcome.findings[0].message)


def check_jsonschema(root: Path) -> float:
    exe = BIN / "check-jsonschema"
    start = time.perf_counter()
    for folder, schema in (("experts", "expert"), ("institutions", "institution"), ("supervisors", "supervisor")):
        files = sorted(str(p) for p in (root / folder).glob("*.yaml"))
        done = subprocess.run([str(exe), "--schemafile", str(REPO / "schemas" / f"{schema}.schema.json"), *files],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"check-jsonschema failed on {folder}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def warm_cli_after_one_change(root: Path, cache: Path, repeat: int) -> float:
    env = {**os.environ, "ROSTER_CACHE_DIR": str(cache)}
    command = [str(BIN / "roster"), "validate", "--registry", str(root)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    target = sorted((root / "experts").glob("*.yaml"))[len(list((root / "experts").glob("*.yaml"))) // 2]
    original = target.read_text(encoding="utf-8")
    times = []
    for i in range(repeat):
        target.write_text(original + f"remarks: 第 {i} 次修改\n" if "remarks:" not in original
                          else original.replace("remarks:", f"remarks: 修改{i}", 1), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"warm run failed:\n{done.stdout[-2000:]}")
    target.write_text(original, encoding="utf-8")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-check-jsonschema", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    try:
        root = work / "registry"
        subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", str(args.experts),
                        "--out", str(root)], check=True)
        # a registry lives in a git repository; the warm run may use git's index for content ids
        for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                                                        "commit", "-q", "-m", "synthetic registry"]):
            subprocess.run(["git", "-C", str(root), *command], check=True, capture_output=True)
        files = sorted(root.rglob("*.yaml"))
        print(f"合成名册：{args.experts} 位专家，共 {len(files)} 个文件")

        parse = median_seconds(lambda: parse_all(files), args.repeat)
        cold = median_seconds(lambda: cold_validation(root), args.repeat)
        print(f"libyaml 仅解析（CSafeLoader）       中位数 {parse:7.3f} s")
        print(f"roster 冷校验（--no-cache，进程内） 中位数 {cold:7.3f} s   = {cold / parse:.2f} × 仅解析（要求 ≤ 1.5×）")
        if not args.skip_check_jsonschema:
            baseline = check_jsonschema(root)
            print(f"check-jsonschema（同一批文件、同一 schema，运行 1 次） {baseline:7.3f} s   "
                  f"= 冷校验的 {baseline / cold:.1f} 倍（要求 ≥ 10×）")
        warm = warm_cli_after_one_change(root, work / "cache", args.repeat)
        print(f"改动 1 个文件后再次运行 roster validate（命令行，含启动） 中位数 {warm:7.3f} s（要求 < 1 s）")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
