"""Benchmark: `roster validate` at 10,000 and 100,000 experts, each measurement a separate process.

    python tests/perf/bench_scale.py [--sizes 10000 100000] [--repeat 3] [--keep DIR]

For each size, on the generator's registry committed to a git work tree, prints medians of:
  * libyaml parse — PyYAML's C loader (CSafeLoader) alone reading and parsing every record file;
  * cold — `roster validate --no-cache`;
  * first cached — `roster validate` with an empty cache folder (fills the cache and the state);
  * warm — `roster validate` after one expert file was edited (not committed), cache and state filled;
and three changes that the checks across people must see (a name edited, an expert file added, the
file removed again); with the peak memory (max RSS) of each process or of the largest of its worker
processes, and the ratios the targets are stated in (issue 16: at 10,000 cold ≤ 0.5 × parse and
warm ≤ 0.3 s; at 100,000 cold ≤ 30 s, warm ≤ 1 s, peak ≤ 500 MB). Generating 100,000 experts takes minutes: with --keep DIR the registries are
generated once into DIR/<size> and reused by later runs. The machine is shared: read the ratios.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PARSE = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted(root.rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


# runs `roster` in this process and leaves the largest peak memory of its worker processes in a file
WRAP = """
import os, resource, sys
from roster.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
finally:
    with open(sys.argv[1], "w") as out:
        out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
"""


def run(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Seconds and peak memory (MB) of one process (for `roster`, the largest of it and its workers)."""
    peak_file = Path(tempfile.mkstemp(prefix="roster-rss-")[1])
    if command[0].endswith("roster"):
        command = [sys.executable, "-c", WRAP, str(peak_file), *command[1:]]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output.decode()[-3000:]}")
    workers = int(peak_file.read_text() or 0) if peak_file.stat().st_size else 0
    peak_file.unlink()
    return seconds, max(usage.ru_maxrss, workers) // 1024


def registry(size: int, keep: Path | None, work: Path) -> Path:
    root = (keep or work) / str(size)
    if not (root / "registry.yaml").exists():
        subprocess.run([sys.executable, str(REPO / "tests/perf/generate.py"), "--experts", str(size), "--out", str(root)],
                       check=True)
    if not (root / ".git").exists():
        for command in (["init", "-q"], ["add", "-A"],
                        ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "synthetic"]):
            subprocess.run(["git", "-C", str(root), *command], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "--", "."], check=True)
    return root


def edit(target: Path, original: str, i: int) -> None:
    changed = (original + f"remarks: 第 {i} 次修改\n" if "remarks:" not in original
               else original.replace("remarks:", f"remarks: 修改{i}", 1))
    target.write_text(changed, encoding="utf-8")


def measure(size: int, root: Path, repeat: int, work: Path) -> None:
    env = {**os.environ, "ROSTER_CACHE_DIR": str(work / f"cache-{size}")}
    roster = [str(BIN / "roster"), "validate", "--registry", str(root)]
    parse = [run([sys.executable, "-c", PARSE, str(root)], env) for _ in range(repeat)]
    cold = [run([*roster, "--no-cache"], env) for _ in range(repeat)]
    first = []
    for _ in range(repeat):
        shutil.rmtree(env["ROSTER_CACHE_DIR"], ignore_errors=True)
        first.append(run(roster, env))
    experts = sorted((root / "experts").iterdir())
    target = experts[len(experts) // 2]
    original = target.read_text(encoding="utf-8")
    warm = []
    try:
        for i in range(max(repeat, 5)):
            edit(target, original, i)
            warm.append(run(roster, env))
    finally:
        target.write_text(original, encoding="utf-8")

    # what other people's checks read changes: a name, a new person, a person gone
    renamed, added, removed = [], [], []
    newcomer = root / "experts" / "E9999999.yaml"
    try:
        for i in range(max(repeat, 5)):
            target.write_text(original.replace("\nname: ", f"\nname: 改{i}", 1), encoding="utf-8")
            renamed.append(run(roster, env))
            newcomer.write_text(original.replace(f"id: {target.stem}", "id: E9999999"), encoding="utf-8")
            added.append(run(roster, env))
            newcomer.unlink()
            removed.append(run(roster, env))
    finally:
        target.write_text(original, encoding="utf-8")
        newcomer.unlink(missing_ok=True)

    def med(rows: list[tuple[float, int]]) -> tuple[float, int]:
        return statistics.median(r[0] for r in rows), max(r[1] for r in rows)

    (p, pm), (c, cm), (f, fm), (w, wm) = med(parse), med(cold), med(first), med(warm)
    (r, rm), (a, am), (d, dm) = med(renamed), med(added), med(removed)
    print(f"\n== {size} 位专家（{sum(1 for _ in root.rglob('*.yaml'))} 个文件），中位数，内存为峰值 RSS ==")
    print(f"libyaml 仅解析（CSafeLoader）        {p:8.2f} s  {pm:6d} MB")
    print(f"冷校验 --no-cache                    {c:8.2f} s  {cm:6d} MB   = {c / p:.2f} × 仅解析")
    print(f"首次带缓存运行（缓存为空）           {f:8.2f} s  {fm:6d} MB   = {f / c:.2f} × 冷校验")
    print(f"改动 1 个文件后再次运行（git 工作区）{w:8.2f} s  {wm:6d} MB   = {w / c:.3f} × 冷校验")
    print(f"改了姓名（他人的检查要读的字段）     {r:8.2f} s  {rm:6d} MB   = {r / c:.3f} × 冷校验")
    print(f"新增 1 位专家的文件                  {a:8.2f} s  {am:6d} MB   = {a / c:.3f} × 冷校验")
    print(f"删除这个文件                         {d:8.2f} s  {dm:6d} MB   = {d / c:.3f} × 冷校验")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate registries once into this folder and reuse them")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="roster-scale-"))
    try:
        for size in args.sizes:
            measure(size, registry(size, args.keep, work), args.repeat, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
