"""Every bad workbook of the corpus gets exit 2 or 1 and a message naming what and where."""

import time

import openpyxl.xml
import pytest

from klk_analysis.cli import main
from klk_analysis.loading import load_workbook
from tests.badbooks import CASES, entities_past_prologue, macros, million_rows, zip_bomb
from tests.workbooks import RR_ROWS


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case_gets_its_exit_code_and_message(case, tmp_path, capsys):
    path = case.build(tmp_path)
    # In-process: any exception other than the suite's own would fail the test here.
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    output = captured.err + captured.out
    assert code == case.exit_code, output
    assert case.expected in output
    if code == 2:
        assert path.name in captured.err  # the message names the file
        assert captured.out == ""  # nothing half-reported


@pytest.mark.parametrize("build", [million_rows, zip_bomb])
def test_huge_inputs_are_refused_quickly(build, tmp_path, capsys):
    path = build(tmp_path)
    start = time.perf_counter()
    assert main(["check", str(path)]) == 2
    assert time.perf_counter() - start < 2.0
    capsys.readouterr()


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_defusedxml_stops_entities_the_screening_did_not_see(tmp_path, capsys):
    assert main(["check", str(entities_past_prologue(tmp_path))]) == 2
    assert "EntitiesForbidden" in capsys.readouterr().err


def test_macros_are_not_kept_and_values_are_read(tmp_path):
    wb = load_workbook(macros(tmp_path))
    assert wb.has_macros
    assert wb.resultatrakning.rows["utfall_2022"].iloc[0] == RR_ROWS[0][2]
