import argparse
import json
import os
import subprocess
import sys

import pytest

from klk_analysis import cli
from klk_analysis.cli import main
from tests.workbooks import DR_ROWS, SHIPPED, source_workbook


def test_check_shipped_workbook_exit_0_with_rounding_notes(capsys):
    assert main(["check", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert (
        "INFO: blad 'Resultaträkning', cell C6 (rad 'Summa INTÄKTER', kolumn 'Utfall Mar 2022'): "
        "tryckt 132,0, raderna summerar till 132,1"
    ) in out
    assert "0 fel" in out


def test_check_json(capsys):
    assert main(["check", "--json", str(SHIPPED)]) == 0
    report = json.loads(capsys.readouterr().out)
    first = report["findings"][0]
    assert {"severity", "table", "row", "column", "printed", "computed"} <= set(first)
    assert report["counts"] == {"error": 0, "warning": 0, "info": 6}
    assert {(f["row"], f["printed"]) for f in report["findings"]} >= {("Summa INTÄKTER", 132.0)}


def test_check_inconsistent_exit_1(tmp_path, capsys):
    rows = [list(r) for r in DR_ROWS]
    rows[5][2] = -3.5  # KLK Näringsliv lost its sign the other way round
    assert main(["check", "--json", str(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any(
        f["severity"] == "error" and f["row"] == "Summa Kommunstyrelsen" for f in report["findings"]
    )


@pytest.mark.slow
def test_check_unusable_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "budget.xlsx"
    bad.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "klk_analysis.cli", "check", str(bad)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "budget.xlsx" in done.stderr
    assert "Traceback" not in done.stderr


def test_lab_opens_jupyterlab_on_the_notebooks(capsys):
    assert main(["lab", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-m jupyterlab" in out and "notebooks" in out


def test_check_refuses_an_unusable_organisation_sheet(tmp_path, capsys):
    import shutil

    import openpyxl

    path = tmp_path / "bedomning.xlsx"
    shutil.copy(SHIPPED, path)
    book = openpyxl.load_workbook(path)
    book["Åtaganden"]["E4"] = 50  # färdiggrad is 0, 20, 80 or 100
    book.save(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bedomning.xlsx" in err and "'Åtaganden', cell E4" in err and "Traceback" not in err


ENGLISH = ("usage", "error", "argument ", "invalid", "required", "unrecognized", "expected")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "klk: ange ett kommando: check, run, scheduled, demo, mail, word eller lab."),
        (["check"], "klk check: saknar FIL."),
        (["check", "--bogus", "x.xlsx"], "klk: okänt argument: --bogus."),
        (["lab", "--tolerance"], "klk: okänt argument: --tolerance."),
        (["frobnicate"], "klk: KOMMANDO: 'frobnicate' finns inte, välj 'check', 'run', "),
        (["check", "x.xlsx", "--tolerance", "abc"], "--tolerance: \u201dabc\u201d är inget belopp"),
        (["check", "x.xlsx", "--tolerance"], "--tolerance ska följas av ett värde."),
        (["run", "2022-03", "--timeout", "0.2"], "--timeout: \u201d0.2\u201d är inget heltal"),
        (["run", "2022-03", "--jobs", "0"], "--jobs: \u201d0\u201d är inget heltal"),
        (["run", "2022-13"], "PERIOD: perioden '2022-13' ska skrivas ÅÅÅÅ-MM"),
    ],
)
def test_usage_errors_are_swedish_and_exit_2(argv, said, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert said in captured.err
    assert captured.err.startswith("användning: klk")
    assert not [w for w in ENGLISH if w in captured.err.casefold()], captured.err


def test_help_is_swedish(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: klk run") and "visa hjälpen" in out
    assert "--timeout SEKUNDER" in out and "options" not in out and "usage" not in out


def test_option_values_are_read_the_swedish_way():
    assert cli.tolerance_mnkr("0,5") == 0.5 and cli.tolerance_mnkr("0.2") == 0.2
    assert cli.timeout_seconds("600") == 600
    assert cli.period_text("2022-3") == "2022-03"
    for bad in ("-1", "nan", "inf", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            cli.tolerance_mnkr(bad)


def test_check_json_on_an_unusable_file_still_writes_json(tmp_path, capsys):
    bad = tmp_path / "budget.xlsx"
    bad.write_bytes(b"")
    assert main(["check", "--json", str(bad)]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["usable"] is False and report["exit_code"] == 2
    assert report["counts"] == {"error": 1, "warning": 0, "info": 0}
    [finding] = report["findings"]
    assert finding["severity"] == "error" and finding["check"] == "unusable"
    assert "budget.xlsx" in finding["message"] and finding["message"] in captured.err


def test_check_on_a_folder_says_it_is_a_folder(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path} är en mapp, inte en arbetsbok" in err and "filen finns inte" not in err


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # like `| head` that has already stopped reading
    try:
        done = subprocess.run(
            [sys.executable, "-m", "klk_analysis.cli", "check", "--json", str(SHIPPED)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write)
    assert done.returncode == cli.EXIT_BROKEN_PIPE
    assert done.stderr == ""


def test_run_starts_its_kernel_early_only_for_one_report_in_this_process(tmp_path):
    from klk_analysis.cli import _one_report, build_parser

    def one(*argv):
        return _one_report(build_parser().parse_args(["run", *argv, "--raw", str(tmp_path)]))

    period = tmp_path / "2022-03"
    period.mkdir()
    (period / "ks.xlsx").touch()
    (period / "~$ks.xlsx").touch()  # Excel's lock file beside an open workbook is no workbook
    assert one("2022-03") is True
    (period / "kfn.xlsm").touch()
    assert one("2022-03") is False  # two boards: the pool runs them, each with its own kernel
    assert one("2022-03", "--board", "KS") is True
    assert one("2022-03", "--input", str(period / "ks.xlsx")) is True
    assert one("2022-03", "2022-04") is False
    assert one("--all") is False
    assert one("2022-05") is False  # no folder: the run says so, no kernel needed
