"""Benchmark `make test-fast`: the fast tests (-m "not slow") against 15 s.

Runs the fast tests --repeat times as `make test-fast` does and prints, per run, the wall time,
the CPU time of pytest, and the machine's load average before the run (on a shared machine a
load above the core count makes wall time mean little; the CPU time then says more).

Target: wall time under 15 s on a quiet machine.
Usage: .venv/bin/python benchmarks/bench_tests.py [--repeat 3]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 15.0


def run() -> tuple[float, float, float]:
    """Run the fast tests once; return (wall s, CPU s of the child, load average before)."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "not slow"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the fast tests failed:\n{done.stdout[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls = []
    for i in range(args.repeat):
        wall, cpu, load = run()
        walls.append(wall)
        print(f"make test-fast #{i + 1}: {wall:5.1f} s wall, {cpu:5.1f} s CPU, load {load:.1f}")
    median = statistics.median(walls)
    verdict = "under" if median < TARGET_S else "OVER"
    print(f"median {median:.1f} s: {verdict} the target of {TARGET_S:.0f} s")


if __name__ == "__main__":
    main()
