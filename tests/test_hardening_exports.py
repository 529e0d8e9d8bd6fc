"""Exported xlsx and CSV files neutralise text that a spreadsheet would run as a formula."""

import csv
import re
from pathlib import Path

import openpyxl

from klk_analysis.loading import load_workbook
from klk_analysis.tables import write_tables
from tests.badbooks import HOSTILE, hostile_workbook
from tests.workbooks import DR_ROWS

TRIGGERS = ("=", "+", "-", "@")
_CSV_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def _check_csv(path: Path) -> int:
    neutralised = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle, delimiter=";"):
            for field in record:
                if _CSV_NUMBER.match(field):
                    continue  # an amount: left as a number, minus sign and all
                assert not field.startswith(TRIGGERS), f"{path.name}: {field!r}"
                neutralised += field.startswith("'")
    return neutralised


def _check_xlsx(path: Path) -> int:
    neutralised = 0
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    neutralised += 1
    return neutralised


def test_exports_neutralise_formula_text_and_keep_numbers(tmp_path):
    workbook = load_workbook(hostile_workbook(tmp_path))
    files = write_tables(workbook, tmp_path / "ut")
    csvs = [f for f in files if f.suffix == ".csv"]
    xlsxs = [f for f in files if f.suffix == ".xlsx"]
    # Four hostile unit names, "- Lokalkostnader" and "- Övriga kostnader" begin with =, +, -, @.
    assert sum(1 for name in HOSTILE.values() if name.startswith(TRIGGERS)) == 4
    assert sum(_check_csv(f) for f in csvs) == 6
    assert sum(_check_xlsx(f) for f in xlsxs) == 6
    book = openpyxl.load_workbook(next(f for f in xlsxs if "drift" in f.name))
    amounts = [[c.value for c in row[1:]] for row in book.active.iter_rows(min_row=2)]
    assert amounts == [r[1:] for r in DR_ROWS]  # numbers as numbers, unchanged


def test_the_runs_table_files_are_neutralised_too(hostile_run):
    files = sorted((hostile_run / "tabeller").glob("*.*"))
    assert {f.suffix for f in files} >= {".csv"}
    for path in files:
        {".csv": _check_csv, ".xlsx": _check_xlsx}.get(path.suffix, lambda _: 0)(path)
