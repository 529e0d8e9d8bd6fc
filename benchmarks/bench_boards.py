"""Twelve boards of one period in one `klk run` against twelve single-board runs.

Prints the seconds of each, their ratio (target ≤ 0,45), the peak memory of the one run (its
process and children, from getrusage) and the compilation's own seconds.
    .venv/bin/python benchmarks/bench_boards.py [--boards 12]
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from klk_analysis import demo
from klk_analysis.formatting import number

KLK = str(Path(sys.executable).parent / "klk")


def boards(count: int) -> tuple:
    """Return count invented boards: the demo's, then more of the same shapes under new names."""
    extra = [replace(b, name=f"{b.name} {i}") for i, b in enumerate(demo.BOARDS * 2, start=2)]
    return (*demo.BOARDS, *extra)[:count]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=12)
    count = parser.parse_args().boards
    with tempfile.TemporaryDirectory() as base:
        raw, out = Path(base) / "raw", Path(base) / "out"
        books = demo.write_demo(raw, "2022-08", boards(count))
        common = ["--raw", str(raw), "--processed", str(Path(base) / "p")]
        single = sum(
            timed(
                [
                    KLK,
                    "run",
                    "2022-08",
                    "--input",
                    str(b),
                    "--out",
                    str(out / "s" / b.stem),
                    *common,
                ]
            )
            for b in books
        )
        one = timed([KLK, "run", "2022-08", "--outputs", str(out / "m"), *common])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        from klk_analysis.boards import boards_of
        from klk_analysis.municipality import _compile
        from klk_analysis.runner import period_workbooks

        found = boards_of("2022-08", period_workbooks(raw, "2022-08"))
        started = time.perf_counter()
        _compile("2022-08", found, {}, out / "m", 0.2, all_boards=False)
        compile_s = time.perf_counter() - started
    print(f"{count} nämnder, {count} enskilda körningar: {number(single, 1)} s")
    print(
        f"{count} nämnder i en klk run: {number(one, 1)} s = {number(one / single, 2)} × "
        "(mål ≤ 0,45)"
    )
    print(f"största minnet i en process (RSS): {number(peak_mb, 0)} MB")
    print(f"sammanställningen ensam: {number(compile_s, 2)} s")


if __name__ == "__main__":
    main()
