"""Benchmark `klk run` against the floor: papermill plus nbconvert for one simple notebook.

Measures, in this environment and in the same run:

- the floor: one notebook that imports pandas and matplotlib and saves one chart, executed by
  papermill and exported to HTML by nbconvert, through the command lines and in one Python
  process (papermill's and nbconvert's defaults);
- `klk run PERIOD` for one period (the median of --repeat runs);
- eight single runs one after another, and `klk run --all` over the same eight periods.

The eight periods are made from the shipped workbook in a temporary raw folder: the headers name
another month, and one revenue line's outcome moves by a different amount in each period, with
every sum and deviation that depends on it moved too, so each workbook still reconciles.

Targets: one period at most 2 x the in-process floor and at most 0,75 x the command-line floor;
eight periods at most 0,6 x eight single runs.
Usage: .venv/bin/python benchmarks/bench_run.py [--repeat 3]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "raw" / "2022-03" / "KS_delarsrapport_1_2022.xlsx"
BIN = Path(sys.executable).parent
MONTHS = [
    ("Jan", "januari"),
    ("Feb", "februari"),
    ("Mar", "mars"),
    ("Apr", "april"),
    ("Maj", "maj"),
    ("Jun", "juni"),
    ("Jul", "juli"),
    ("Aug", "augusti"),
]
FLOOR_CELLS = [
    "import matplotlib.pyplot as plt\nimport pandas as pd",
    "frame = pd.DataFrame({'enhet': list('ABCDE'), 'avvikelse': [0.4, -0.1, 1.6, 1.6, 2.0]})",
    "fig, ax = plt.subplots()\nframe.plot.barh(x='enhet', y='avvikelse', ax=ax)",
    "fig.savefig('floor.png')",
]
IN_PROCESS = """
import sys, papermill
from nbconvert import HTMLExporter
papermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="klk-analysis", progress_bar=False)
body, _ = HTMLExporter(exclude_input=True).from_filename(sys.argv[2])
open(sys.argv[3], "w", encoding="utf-8").write(body)
"""


def make_period(target: Path, month: int, shift: float) -> Path:
    """Write the shipped workbook as another month's, with one revenue outcome moved by shift."""
    abbr, name = MONTHS[month - 1]
    book = openpyxl.load_workbook(SHIPPED)
    for ws in book.worksheets:
        header_row = next(r for r in ws.iter_rows() if r[1].value)
        headers = {}
        for cell in header_row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace(" Mar ", f" {abbr} ").replace("mars", name)
                headers[cell.value] = cell.column
        data = [r for r in ws.iter_rows(min_row=header_row[0].row + 1) if r[1].value is not None]
        moved = [
            c
            for h, c in headers.items()
            if h.startswith(("Utfall", "Budgetavvikelse")) and "2022" in h
        ]
        # Resultaträkning: a revenue line, its sum, the result; driftredovisning: a unit, the total.
        rows = (
            [data[1], data[2], data[-1]] if ws.title.startswith("Result") else [data[0], data[-1]]
        )
        for row in rows:
            for column in moved:
                cell = row[column - 1]
                cell.value = round(float(cell.value) + shift, 1)
    path = target / f"2022-{month:02d}" / "arbetsbok.xlsx"
    path.parent.mkdir(parents=True)
    book.save(path)
    return path


def timed(command: list[str], cwd: Path) -> float:
    """Run a command and return its wall-clock seconds; stop the benchmark if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} misslyckades:\n{done.stdout}\n{done.stderr}")
    return took


def median(values: list[float]) -> float:
    """Return the median of a list of seconds."""
    return statistics.median(values)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    klk = str(BIN / "klk")
    subprocess.run([klk, "lab", "--dry-run"], check=True, capture_output=True)  # kernel installed
    with tempfile.TemporaryDirectory(prefix="klk-bench-") as tmp:
        tmp = Path(tmp)
        raw = tmp / "raw"
        for month in range(1, 9):
            make_period(raw, month, shift=0.5 * month)
        floor = tmp / "floor"
        floor.mkdir()
        book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in FLOOR_CELLS])
        book.metadata["kernelspec"] = {
            "name": "klk-analysis",
            "display_name": "klk",
            "language": "python",
        }
        nbformat.write(book, floor / "floor.ipynb")

        cli, inproc, single = [], [], []
        for _ in range(args.repeat):
            cli.append(
                timed(
                    [str(BIN / "papermill"), "floor.ipynb", "ut.ipynb", "-k", "klk-analysis"], floor
                )
                + timed(
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "ut.ipynb"],
                    floor,
                )
            )
            inproc.append(
                timed(
                    [sys.executable, "-c", IN_PROCESS, "floor.ipynb", "ut2.ipynb", "ut2.html"],
                    floor,
                )
            )
            out = tmp / f"single-{len(single)}"
            single.append(
                timed(
                    [
                        klk,
                        "run",
                        "2022-03",
                        "--raw",
                        str(raw),
                        "--outputs",
                        str(out),
                        "--processed",
                        str(tmp / "processed"),
                    ],
                    tmp,
                )
            )
        # A board's report lands in outputs/PERIOD/<nämnd>/.
        manifest = json.loads(next((out / "2022-03").rglob("manifest.json")).read_text("utf-8"))

        eight = []
        for month in range(1, 9):
            eight.append(
                timed(
                    [
                        klk,
                        "run",
                        f"2022-{month:02d}",
                        "--raw",
                        str(raw),
                        "--outputs",
                        str(tmp / "eight"),
                        "--processed",
                        str(tmp / "processed"),
                    ],
                    tmp,
                )
            )
        all_runs = timed(
            [
                klk,
                "run",
                "--all",
                "--raw",
                str(raw),
                "--outputs",
                str(tmp / "all"),
                "--processed",
                str(tmp / "processed"),
            ],
            tmp,
        )
        imports = timed([sys.executable, "-c", "import klk_analysis.cli"], tmp)
        jupyter = timed(
            [sys.executable, "-c", "from klk_analysis import runner; runner.import_jupyter()"], tmp
        )
        produced = len(list((tmp / "all").glob("2022-0?/*/rapport.html")))
        shutil.rmtree(tmp / "processed", ignore_errors=True)

    floor_cli, floor_in = median(cli), median(inproc)
    one = median(single)
    print(f"Golv, papermill + jupyter nbconvert (kommandon):  {floor_cli:6.2f} s  {cli}")
    print(f"Golv, papermill + nbconvert i en process:         {floor_in:6.2f} s  {inproc}")
    print(f"klk run 2022-03 (median av {args.repeat}):                  {one:6.2f} s  {single}")
    print(
        f"  = {one / floor_in:.2f} x golvet i en process, "
        f"{one / floor_cli:.2f} x golvet med kommandon"
    )
    print(f"Åtta enskilda körningar efter varandra:           {sum(eight):6.2f} s")
    print(f"klk run --all, åtta perioder ({produced} rapporter):       {all_runs:6.2f} s")
    print(f"  = {all_runs / sum(eight):.2f} x åtta enskilda körningar")
    print("Var tiden går i en körning (manifest.json, sekunder):")
    for step, seconds in manifest["seconds"].items():
        print(f"  {step:<10} {seconds:6.2f}")
    for notebook in manifest["notebooks"]:
        print(f"  {notebook['name']:<32} {notebook['seconds']:6.2f} (samtidigt)")
    print(f"  start av python + import av klk_analysis.cli:      {imports:6.2f}")
    print(f"  start av python + runner.import_jupyter():          {jupyter:6.2f}")
    ok = one <= 2 * floor_in and one <= 0.75 * floor_cli and all_runs <= 0.6 * sum(eight)
    print("Målen nås." if ok else "Målen nås inte.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
