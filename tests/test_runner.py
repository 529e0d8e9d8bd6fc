import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from klk_analysis import paths, runner
from klk_analysis.cli import main
from klk_analysis.errors import InconsistentDataError, UnusableInputError
from klk_analysis.validation import raise_for_errors
from tests.conftest import opens_during
from tests.lazy import nbformat
from tests.workbooks import DR_HEADER, DR_ROWS, RR_HEADER, SHIPPED, source_workbook


def _april(header):
    return [h.replace("Mar", "Apr").replace("mars", "april") for h in header]


def _inconsistent(path):
    rows = [list(r) for r in DR_ROWS]
    rows[5][2] = -3.5  # a unit's deviation with the wrong sign: the total no longer adds up
    return source_workbook(path, dr_rows=rows)


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_run_writes_report_notebooks_tables_figures_and_manifest(period_run):
    out = period_run.out_dir
    names = {p.name for p in out.iterdir()}
    assert {"rapport.html", "manifest.json", "tabeller", "figurer"} <= names
    # The report notebook is the record; 01 is for checking by hand in JupyterLab.
    assert "02_rapport.ipynb" in names and "01_las_och_kontrollera.ipynb" not in names
    assert not (out / runner.SOURCE_FILE).exists()
    assert (out / "figurer" / "budgetavvikelse_per_enhet.png").read_bytes()[:4] == b"\x89PNG"
    # Source document, Resultaträkning: Summa INTÄKTER 115,9 132,0 126,1 5,9 504,5 0,0.
    csv = (out / "tabeller" / "resultatrakning.csv").read_text(encoding="utf-8-sig")
    assert "Summa INTÄKTER;115,9;132,0;126,1;5,9;504,5;0,0" in csv.splitlines()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".2022-03-")]
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)


def test_executed_notebooks_record_the_run_without_errors(period_run):
    book = nbformat.read(period_run.out_dir / "02_rapport.ipynb", as_version=4)
    assert book.metadata.papermill.parameters.period == "2022-03"
    assert not [c for c in book.cells if c.get("outputs") and c.outputs[0].output_type == "error"]


def test_manifest_names_the_inputs_hash_parameters_and_findings(period_run):
    manifest = json.loads((period_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["sha256"] == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert manifest["parameters"]["period"] == "2022-03"
    assert manifest["parameters"]["tolerance"] == 0.2
    assert manifest["parameters"]["output_dir"] == str(period_run.out_dir.resolve())
    # The shipped workbook has six rounding differences and nothing worse (see test_cli).
    assert manifest["findings"] == {"error": 0, "warning": 0, "info": 6}
    assert manifest["board"] == "Kommunstyrelsen"
    assert [n["name"] for n in manifest["notebooks"]] == list(runner.RUN_NOTEBOOKS)
    assert all(n["seconds"] > 0 for n in manifest["notebooks"])
    assert manifest["package_version"] == "0.1.0"
    assert set(manifest["git"]) == {"commit", "changed"}
    assert manifest["started"] <= manifest["finished"]


def test_a_run_from_raw_records_its_forecasts_and_writes_nothing_else_in_processed(period_run):
    processed = period_run.out_dir.parents[1] / "processed"
    assert [p.name for p in processed.iterdir()] == ["prognosregister.parquet"]
    assert json.loads((period_run.out_dir / "manifest.json").read_text(encoding="utf-8"))[
        "parameters"
    ]["record_forecasts"]


def test_a_whole_run_screens_and_opens_the_workbook_once(period_run):
    workbook = period_run.out_dir.parents[1] / "raw" / "2022-03" / SHIPPED.name
    # The runner's check reads every sheet once; the report notebook gets that reading.
    assert opens_during(period_run) == [("screen", workbook), ("open", workbook)]


def test_what_if_is_a_workbook_from_outside_raw(tmp_path):
    raw = tmp_path / "raw"
    assert runner.is_what_if(tmp_path / "annan.xlsx", raw)
    assert not runner.is_what_if(raw / "2022-03" / "bok.xlsx", raw)
    assert not runner.is_what_if(None, raw)  # the period's own workbook, found under raw


@pytest.mark.slow
def test_register_option_reaches_the_run(monkeypatch, tmp_path):
    seen = []

    def fake_run(period, **options):
        seen.append(options["register"])
        return runner.RunResult(period, tmp_path, 0, "klar", 0.0)

    monkeypatch.setattr(runner, "run_period", fake_run)
    assert main(["run", "2022-03", "--input", str(SHIPPED), "--register"]) == 0
    assert main(["run", "2022-03", "--input", str(SHIPPED)]) == 0
    assert seen == [True, False]


def _data_hashes() -> dict:
    data = paths.ROOT / "data"
    return {
        p.relative_to(data): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_a_what_if_run_leaves_the_projects_data_byte_for_byte(tmp_path):
    what_if = tmp_path / "annan.xlsx"
    shutil.copy(SHIPPED, what_if)
    before = _data_hashes()
    # The project's own --raw and --processed (the defaults): only --out points elsewhere.
    assert main(["run", "2022-03", "--input", str(what_if), "--out", str(tmp_path / "ut")]) == 0
    assert (tmp_path / "ut" / "rapport.html").exists()
    assert _data_hashes() == before


def test_inconsistent_or_unusable_input_leaves_the_earlier_report_byte_for_byte(
    period_run, tmp_path
):
    out = tmp_path / "2022-03"
    shutil.copytree(period_run.out_dir, out)
    before = _snapshot(out)
    bad = _inconsistent(tmp_path / "fel.xlsx")
    result = runner.run_period("2022-03", workbook=bad, out_dir=out)
    assert result.exit_code == 1
    assert "Summa Kommunstyrelsen" in result.message and "orörd" in result.message
    empty = tmp_path / "tom.xlsx"
    empty.write_bytes(b"")
    assert runner.run_period("2022-03", workbook=empty, out_dir=out).exit_code == 2
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".2022-03.lock",
        "2022-03",
        "fel.xlsx",
        "tom.xlsx",
    ]


def _failing_notebook(path: Path) -> Path:
    cells = [
        nbformat.v4.new_code_cell('period: str = "2022-03"'),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_failed_notebook_is_kept_where_the_message_says_and_report_untouched(period_run, tmp_path):
    out = tmp_path / "2022-03"
    shutil.copytree(period_run.out_dir, out)
    before = _snapshot(out)
    failing = _failing_notebook(tmp_path / "trasig.ipynb")
    result = runner.run_period("2022-03", workbook=SHIPPED, out_dir=out, notebooks=(failing,))
    assert result.exit_code == 3
    assert "ZeroDivisionError" in result.message
    assert str(result.failed_dir) in result.message
    assert result.failed_dir.parent == tmp_path / "failed"
    assert (result.failed_dir / "trasig.ipynb").exists()
    assert _snapshot(out) == before


@pytest.mark.slow
def test_batch_with_one_bad_period_still_produces_the_others(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "2022-04").mkdir(parents=True)
    (raw / "2022-05").mkdir()
    source_workbook(
        raw / "2022-04" / "april.xlsx", rr_header=_april(RR_HEADER), dr_header=_april(DR_HEADER)
    )
    _inconsistent(raw / "2022-05" / "maj.xlsx")
    argv = ["run", "--all", "--raw", str(raw), "--outputs", str(tmp_path / "out")]
    code = main([*argv, "--processed", str(tmp_path / "processed"), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 2
    assert (tmp_path / "out" / "2022-04" / "kommunstyrelsen" / "rapport.html").exists()
    assert not (tmp_path / "out" / "2022-05" / "kommunstyrelsen").exists()
    lines = out.splitlines()
    assert any(line.startswith("2022-04   Kommunstyrelsen") and "klar" in line for line in lines)
    assert any(line.startswith("2022-05   Kommunstyrelsen") and "fel (2)" in line for line in lines)
    # Each period's compilation is made, listing the failed board with its reason.
    assert (tmp_path / "out" / "2022-05" / "sammanstallning.html").exists()
    assert "3 av 4 rapporter klara." in out
    assert any(line.startswith("[2/2]") for line in lines)


def test_periods_and_workbooks_are_found_under_raw(tmp_path):
    for name in ("2021-12", "2022-03", "anteckningar"):
        (tmp_path / name).mkdir()
    assert runner.raw_periods(tmp_path) == ["2021-12", "2022-03"]
    assert runner.latest_period(tmp_path) == "2022-03"
    (tmp_path / "2022-03" / "a.xlsx").write_bytes(b"")
    # Beside a workbook open in Excel: Excel's owner file (~$), its save-in-progress files
    # (8 hex digits, ~WRL….tmp), LibreOffice's lock, OneDrive's download and a hidden copy.
    for temporary in (
        "~$a.xlsx",
        "3A5F1B20",
        "~WRL0001.tmp",
        ".~lock.a.xlsx#",
        "a.xlsx.~tmp",
        ".a.xlsx",
        "desktop.ini",
    ):
        (tmp_path / "2022-03" / temporary).write_bytes(b"")
    assert runner.find_workbook(tmp_path, "2022-03").name == "a.xlsx"
    (tmp_path / "2022-03" / "b.xlsx").write_bytes(b"")
    with pytest.raises(UnusableInputError, match=r"hittade 2 arbetsböcker \(a.xlsx, b.xlsx\)"):
        runner.find_workbook(tmp_path, "2022-03")
    with pytest.raises(UnusableInputError, match="inga periodmappar"):
        runner.latest_period(tmp_path / "2021-12")
    with pytest.raises(UnusableInputError) as caught:
        runner.find_workbook(tmp_path, "2021-12")
    assert "mappen innehåller ingen arbetsbok (.xlsx eller .xlsm)" in str(caught.value)
    assert "0 arbetsböcker" not in str(caught.value) and "(ingen)" not in str(caught.value)


def test_a_folder_given_as_the_workbook_is_named_as_a_folder(tmp_path):
    folder = tmp_path / "bok"
    folder.mkdir()
    result = runner.run_period("2022-03", workbook=folder, out_dir=tmp_path / "ut")
    assert result.exit_code == 2
    assert f"{folder} är en mapp, inte en arbetsbok" in result.message
    assert "finns inte" not in result.message
    (folder / "budget.xlsx").write_bytes(b"")
    with pytest.raises(UnusableInputError, match=r"ange en av arbetsböckerna .*budget.xlsx"):
        runner.refuse_folder(folder)


def test_a_period_without_leading_zero_is_the_same_period(tmp_path, capsys):
    result = runner.run_period("2022-3", raw=tmp_path, outputs=tmp_path / "ut")
    assert result.period == "2022-03"
    assert f"{tmp_path / '2022-03'}: mappen finns inte" in result.message
    # Both spellings on the command line are one period, run once.
    assert main(["run", "2022-3", "2022-03", "--raw", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("mappen finns inte") == 1 and "2022-3:" not in err


def test_several_errors_point_to_klk_check_for_all_of_them():
    def error(text):
        return SimpleNamespace(severity="error", message=text)

    info = SimpleNamespace(severity="info", message="avrundning.")
    with pytest.raises(InconsistentDataError) as caught:
        raise_for_errors([info, error("första."), error("andra.")], Path("a.xlsx"))
    message = str(caught.value)
    assert message.endswith("första. Ytterligare 1 fel; kör klk check a.xlsx för alla fel.")
    assert "(och" not in message and "andra" not in message
    with pytest.raises(InconsistentDataError) as caught:
        raise_for_errors([error("enda.")], Path("a.xlsx"))
    assert str(caught.value).endswith("enda.")
    raise_for_errors([info], Path("a.xlsx"))


def test_usage_errors_exit_2_with_a_sentence(tmp_path, capsys):
    assert main(["run", "2022-13", "--outputs", str(tmp_path)]) == 2
    assert "ÅÅÅÅ-MM" in capsys.readouterr().err
    assert main(["run", "2022-03", "--raw", str(tmp_path), "--outputs", str(tmp_path)]) == 2
    assert "mappen finns inte" in capsys.readouterr().err
    assert main(["run", "--raw", str(tmp_path)]) == 2
    assert main(["run", "2022-03", "2022-04", "--out", str(tmp_path)]) == 2


@pytest.mark.slow
def test_scheduled_command_line_runs_as_cron_would(tmp_path):
    raw = tmp_path / "raw" / "2022-03"
    raw.mkdir(parents=True)
    shutil.copy(SHIPPED, raw / SHIPPED.name)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    klk = Path(sys.executable).parent / "klk"
    # cron: no terminal, no session, another working directory, a bare environment.
    done = subprocess.run(
        [
            str(klk),
            "scheduled",
            "--raw",
            str(tmp_path / "raw"),
            "--outputs",
            str(tmp_path / "out"),
            "--processed",
            str(tmp_path / "processed"),
        ],
        cwd=elsewhere,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": os.environ.get("HOME", str(tmp_path)),
            "SHELL": "/bin/sh",
            "PYTHONIOENCODING": "ascii",  # a console without å: the log is UTF-8 all the same
        },
        start_new_session=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    logs = list((tmp_path / "out" / "logs").glob("2022-03-*.log"))
    assert len(logs) == 1
    log = logs[0].read_text(encoding="utf-8")
    assert "OK Kommunstyrelsen: klar" in log and str(logs[0]) in done.stdout
    assert f"klk scheduled: period 2022-03 från {tmp_path / 'raw'}" in log
    assert (tmp_path / "out" / "2022-03" / "kommunstyrelsen" / "rapport.html").exists()
    assert (tmp_path / "out" / "2022-03" / "sammanstallning.html").exists()
    assert list(elsewhere.iterdir()) == []


def test_scheduled_without_periods_logs_the_reason_and_exits_2(tmp_path):
    code, log = runner.scheduled(raw=tmp_path / "raw", outputs=tmp_path / "out")
    assert code == 2
    assert log.parent == tmp_path / "out" / "logs"
    assert "inga periodmappar" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_unusable_organisation_sheet_fails_before_any_notebook(tmp_path):
    import openpyxl

    bad = tmp_path / "trend.xlsx"
    shutil.copy(SHIPPED, bad)
    book = openpyxl.load_workbook(bad)
    book["Processområden"]["D4"] = "Uppåt"
    book.save(bad)
    result = runner.run_period("2022-03", workbook=bad, out_dir=tmp_path / "2022-03")
    assert result.exit_code == 2
    assert "'Processområden', cell D4" in result.message and "'Uppåt'" in result.message
    assert not (tmp_path / "2022-03").exists()


# A notebook run in a process of its own, as `klk run` is, so that whatever nbclient, asyncio or
# the kernel print reaches stderr as it would in a terminal.
_RUN_WITH_NOTEBOOK = """
import sys
from pathlib import Path
from klk_analysis import cli, paths, runner
paths.NOTEBOOKS = Path(sys.argv[1])
runner.RUN_NOTEBOOKS = ("sov.ipynb",)
sys.exit(cli.main(sys.argv[2:]))
"""


def test_timeout_is_one_swedish_sentence_and_the_earlier_report_stays(period_run, tmp_path):
    notebooks = tmp_path / "anteckningsbocker"
    notebooks.mkdir()
    cells = [
        nbformat.v4.new_code_cell('period: str = "2022-03"'),
        nbformat.v4.new_markdown_cell("## Läs arbetsboken"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("## Vänta länge\n\nEn cell som inte blir klar."),
        nbformat.v4.new_code_cell("import time\ntime.sleep(60)"),
    ]
    cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), notebooks / "sov.ipynb")
    outputs = tmp_path / "outputs"
    board = outputs / "2022-03" / "kommunstyrelsen"  # --input runs into the workbook's board
    shutil.copytree(period_run.out_dir, board)
    before = _snapshot(board)
    argv = ["run", "2022-3", "--input", str(SHIPPED), "--outputs", str(outputs), "--timeout", "1"]
    done = subprocess.run(
        [sys.executable, "-c", _RUN_WITH_NOTEBOOK, str(notebooks), *argv, "--processed", "p"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(
        "klk: sov.ipynb avbröts i cell 4 under rubriken \u201dVänta länge\u201d: cellen tog längre "
        "än tidsgränsen 1\u00a0s (ändra den med --timeout)."
    )
    assert lines[0].endswith(f"{board} är orörd.")
    for english in ("Timeout", "Task", "Traceback", "site-packages", "Interrupting", "Error"):
        assert english not in done.stderr + done.stdout
    assert _snapshot(board) == before
    assert not (outputs / "2022-3").exists()


# --- Windows: no fork, long OneDrive paths --------------------------------------------------------


def _shipped_as(period_folder: Path, month: str, month_sv: str) -> Path:
    """Copy the shipped workbook into a period folder with its column headers for another month."""
    import openpyxl

    period_folder.mkdir(parents=True)
    book = openpyxl.load_workbook(SHIPPED)
    for sheet in (book["Resultaträkning"], book["Driftredovisning"]):
        for cell in sheet[3]:  # the header row
            if isinstance(cell.value, str):
                cell.value = cell.value.replace("Mar", month).replace("mars", month_sv)
    target = period_folder / SHIPPED.name.replace("1_2022", f"{period_folder.name}")
    book.save(target)
    return target


@pytest.mark.slow
def test_a_batch_runs_with_spawn_as_on_windows(tmp_path, monkeypatch, capsys):
    import multiprocessing

    raw = tmp_path / "raw"
    (raw / "2022-03").mkdir(parents=True)
    shutil.copy(SHIPPED, raw / "2022-03" / SHIPPED.name)
    _shipped_as(raw / "2022-04", "Apr", "april")
    # Windows offers no fork: the runner must choose spawn, and every worker start from scratch.
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    methods = []
    get_context = multiprocessing.get_context

    def recording(method=None):
        methods.append(method)
        return get_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", recording)
    argv = ["run", "2022-03", "2022-04", "--raw", str(raw), "--outputs", str(tmp_path / "out")]
    code = main([*argv, "--processed", str(tmp_path / "processed"), "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert methods == ["spawn"]
    assert "4 av 4 rapporter klara." in out  # a board and a compilation in each period
    for period in ("2022-03", "2022-04"):
        board = tmp_path / "out" / period / "kommunstyrelsen"
        manifest = json.loads((board / "manifest.json").read_text("utf-8"))
        assert manifest["period"] == period
        assert (board / "rapport.html").exists()


def test_a_path_too_long_for_windows_is_said_so():
    from pathlib import PureWindowsPath

    long = (
        PureWindowsPath(r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2")
        / " ".join(["Kommunstyrelsens delårsrapporter och årsredovisningar"] * 4)
        / "outputs"
        / ".2022-03-k3j4h5g6"
        / "tabeller"
        / "driftredovisning.xlsx"
    )
    # C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2 is 2+6+7+29+8+8 = 60;
    # the folder 4 × 53 + 3 = 215; then \outputs, \.2022-03-k3j4h5g6, \tabeller and the file.
    assert len(str(long)) == 60 + 1 + 215 + 1 + 7 + 1 + 17 + 1 + 8 + 1 + 21 == 333
    error = FileNotFoundError(2, "The system cannot find the path specified", str(long))
    assert runner.write_problem(error, long.parents[2], windows=True) == (
        f"kunde inte skriva eller läsa {long}: sökvägen är 333 tecken lång och Windows "
        "tillåter 260; lägg projektet eller --out i en mapp med kortare sökväg "
        "(till exempel C:\\klk)."
    )
    # The same error on a short path, or off Windows, is told as before.
    assert "260" not in runner.write_problem(error, long.parents[2], windows=False)


@pytest.mark.slow
def test_a_boards_failed_notebook_is_kept_in_outputs_failed_not_in_the_period(tmp_path):
    failing = _failing_notebook(tmp_path / "trasig.ipynb")
    out = tmp_path / "outputs" / "2022-03" / "kommunstyrelsen"
    result = runner.run_period("2022-03", workbook=SHIPPED, out_dir=out, notebooks=(failing,))
    assert result.exit_code == 3
    # outputs/failed/2022-03-kommunstyrelsen-YYYYMMDDTHHMMSS/, as the README says
    assert result.failed_dir.parent == tmp_path / "outputs" / "failed"
    assert result.failed_dir.name.startswith("2022-03-kommunstyrelsen-")
    assert (result.failed_dir / "trasig.ipynb").exists()
    assert str(result.failed_dir) in result.message
    assert not (tmp_path / "outputs" / "2022-03" / "failed").exists()
    assert not out.exists()
