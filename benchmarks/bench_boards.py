"""Twelve boards of one period in one `klk run` against twelve single-board runs.

Prints the seconds of each, their ratio (target ≤ 0,45), the peak memory of the one run (the
resident memory of its process and all its children added up, sampled every 0,1 s, and the
largest single process), the compilation's own seconds, where the boards' time went (the steps
each manifest records) and the machine's load average before and after.
    .venv/bin/python benchmarks/bench_boards.py [--boards 12]
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import psutil  # ipykernel's dependency, so always installed with the suite

from klk_analysis import demo
from klk_analysis.formatting import number

KLK = str(Path(sys.executable).parent / "klk")


def boards(count: int) -> tuple:
    """Return count invented boards: the demo's, then more of the same shapes under new names."""
    extra = [replace(b, name=f"{b.name} {i}") for i, b in enumerate(demo.BOARDS * 2, start=2)]
    return (*demo.BOARDS, *extra)[:count]


def timed(command: list[str], log: Path | None = None) -> tuple[float, float, float]:
    """Run command; return its seconds, the peak of its tree's summed RSS and its largest RSS.

    With a log, the command's output goes there (the summary table names a failed board).
    """
    started = time.perf_counter()
    out = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
    process = psutil.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    peak_sum = peak_one = 0.0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            rss = []
            for p in tree:
                with contextlib.suppress(psutil.Error):  # a child that just ended
                    rss.append(p.memory_info().rss)
            peak_sum, peak_one = max(peak_sum, sum(rss)), max(peak_one, max(rss, default=0))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if log:
        out.close()
    return time.perf_counter() - started, peak_sum / 2**20, peak_one / 2**20


def steps(folder: Path) -> dict[str, float]:
    """Add up the seconds per step that the boards' manifests under folder record."""
    total: dict[str, float] = {}
    for manifest in folder.glob("*/manifest.json"):
        for step, seconds in json.loads(manifest.read_text(encoding="utf-8"))["seconds"].items():
            total[step] = total.get(step, 0.0) + seconds
    return total


def load() -> str:
    return " ".join(number(x, 2) for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=12)
    count = parser.parse_args().boards
    print(f"belastning före (1, 5, 15 min): {load()}; {os.cpu_count()} kärnor")
    with tempfile.TemporaryDirectory() as base:
        raw, out = Path(base) / "raw", Path(base) / "out"
        books = demo.write_demo(raw, "2022-08", boards(count))
        common = ["--raw", str(raw), "--processed", str(Path(base) / "p")]
        single = 0.0
        for b in books:
            folder = out / "s" / "2022-08" / b.stem
            single += timed(
                [KLK, "run", "2022-08", "--input", str(b), "--out", str(folder), *common]
            )[0]
        single_steps = steps(out / "s" / "2022-08")
        single_made = len(list((out / "s" / "2022-08").glob("*/rapport.html")))
        print(f"belastning efter de enskilda körningarna: {load()}")
        log = Path(base) / "en-korning.log"
        one, peak_sum, peak_one = timed(
            [KLK, "run", "2022-08", "--outputs", str(out / "m"), *common], log
        )
        made = len(list((out / "m" / "2022-08").glob("*/rapport.html")))
        for line in log.read_text(encoding="utf-8").splitlines():
            if "  fel (" in line:
                print(f"misslyckades: {line}")
        many_steps = steps(out / "m" / "2022-08")
        from klk_analysis.boards import boards_of
        from klk_analysis.municipality import _compile
        from klk_analysis.runner import period_workbooks

        found = boards_of("2022-08", period_workbooks(raw, "2022-08"))
        started = time.perf_counter()
        _compile("2022-08", found, {}, out / "m", 0.2, all_boards=False)
        compile_s = time.perf_counter() - started
    print(f"belastning efter: {load()}")
    print(
        f"{count} nämnder, {count} enskilda körningar ({single_made} rapporter): "
        f"{number(single, 1)} s"
    )
    print(
        f"{count} nämnder i en klk run ({made} rapporter): {number(one, 1)} s = "
        f"{number(one / single, 2)} × (mål ≤ 0,45)"
    )
    print(
        f"största minnet i den körningen: {number(peak_sum, 0)} MB för processen och dess barn "
        f"tillsammans, {number(peak_one, 0)} MB för den största processen (mål < 2 048 MB)"
    )
    print(f"sammanställningen ensam: {number(compile_s, 2)} s")
    for name, recorded in (("enskilda", single_steps), ("en körning", many_steps)):
        shown = ", ".join(f"{k} {number(v, 1)} s" for k, v in recorded.items())
        print(f"tid per steg summerad över nämnderna ({name}): {shown}")


if __name__ == "__main__":
    main()
