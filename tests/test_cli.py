import json
import subprocess
import sys

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
