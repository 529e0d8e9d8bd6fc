import sys
import time

import pytest

from klk_analysis import execution
from klk_analysis.errors import InconsistentDataError, RunFailedError
from tests.lazy import nbformat


def test_parameter_names_read_from_the_parameters_cell(tmp_path):
    cell = nbformat.v4.new_code_cell('period: str = "2022-03"\ntolerance = 0.2\nx: int')
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "p.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert execution.parameter_names(path) == {"period", "tolerance", "x"}


def test_kernel_is_installed_in_this_environment():
    folder = execution.ensure_kernel()
    assert folder.parent.name == "kernels" and str(folder).startswith(sys.prefix)
    assert execution.ensure_kernel() == folder


def _notebook(path, *cells):
    """Write a notebook of a parameters cell, then Markdown ('# …') and code cells."""
    params = nbformat.v4.new_code_cell('period: str = "2022-03"')
    params.metadata["tags"] = ["parameters"]
    body = [
        nbformat.v4.new_markdown_cell(c) if c.startswith("#") else nbformat.v4.new_code_cell(c)
        for c in cells
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=[params, *body]), path)
    return path


def test_heading_above_is_the_last_heading_before_the_cell():
    cells = [
        nbformat.v4.new_markdown_cell("# Rapport\n\nText."),
        nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_markdown_cell("## Läs\n\n### Prognos \nmer text"),
        nbformat.v4.new_markdown_cell("Bara text."),
        nbformat.v4.new_code_cell("b = 2"),
    ]
    assert execution.heading_above(cells, 4) == "Prognos"
    assert execution.heading_above(cells, 1) == "Rapport"
    assert execution.heading_above(cells, 0) is None


@pytest.mark.slow
def test_a_cell_that_runs_too_long_is_stopped_and_named(tmp_path, capfd):
    execution.ensure_kernel()
    execution.import_jupyter()
    source = _notebook(
        tmp_path / "sov.ipynb", "x = 1", "## Vänta länge\n\nText.", "import time\ntime.sleep(60)"
    )
    started = time.perf_counter()
    with pytest.raises(RunFailedError) as caught:
        execution.execute_notebook(source, tmp_path / "ut.ipynb", {"period": "2022-03"}, 1)
    # Cells [1] parameters, [2] injected parameters, [3] x = 1, [4] the sleep.
    assert str(caught.value) == (
        "sov.ipynb avbröts i cell 4 under rubriken \u201dVänta länge\u201d: cellen tog längre "
        "än tidsgränsen 1\u00a0s (ändra den med --timeout)"
    )
    assert time.perf_counter() - started < 30  # interrupted, not left to sleep for a minute
    printed = "".join(capfd.readouterr())
    assert "Timeout" not in printed and "Interrupting" not in printed


@pytest.mark.slow
def test_a_cell_raising_the_suites_own_error_keeps_its_exit_code(tmp_path):
    source = _notebook(
        tmp_path / "fel.ipynb",
        "## Stoppa\n",
        "from klk_analysis.errors import InconsistentDataError\n"
        "raise InconsistentDataError('a.xlsx: stämmer inte')",
    )
    with pytest.raises(InconsistentDataError, match=r"^fel.ipynb: a.xlsx: stämmer inte$"):
        execution.execute_notebook(source, tmp_path / "ut.ipynb", {}, 60)


def test_other_failures_become_sentences_with_the_right_exit_code():
    own = RunFailedError("02.ipynb stannade i cell 4 med KeyError: 'utfall'")
    assert execution.describe_failure("02.ipynb", own) == (3, str(own))
    code, text = execution.describe_failure("02.ipynb", RuntimeError("kärnan svarade inte"))
    assert code == 3 and text == "02.ipynb kunde inte köras: RuntimeError: kärnan svarade inte"


def test_lab_command_opens_the_notebooks_folder():
    command = execution.lab_command()
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert command[3].endswith("notebooks")


# --- Windows: no exec, no local sockets, paths with spaces and å ---------------------------------

ONEDRIVE = r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2"


def test_jupyterlab_runs_as_a_child_where_exec_does_not_replace_the_process():
    command = [sys.executable, "-c", "raise SystemExit(7)"]
    assert execution.open_lab(command, replace=False) == 7


@pytest.mark.slow
def test_notebooks_run_over_tcp_where_there_are_no_local_sockets(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "IPC_TRANSPORT", False)
    assert execution._kernel_config() == {}
    execution.ensure_kernel()
    execution.import_jupyter()
    source = _notebook(tmp_path / "tcp.ipynb", "svar = 6 * 7\nprint(svar)")
    execution.execute_notebook(source, tmp_path / "ut.ipynb", {"period": "2022-03"}, 60)
    done = nbformat.read(tmp_path / "ut.ipynb", as_version=4)
    assert done.cells[-1].outputs[0].text == "42\n"


def test_windows_paths_reach_the_notebook_as_the_same_text():
    import ast

    from papermill.translators import translate_parameters

    workbook = ONEDRIVE + r"\data\raw\2022-03\KS delårsrapport 1 2022.xlsx"
    output = ONEDRIVE + "\\" + "Kommunstyrelsens delårsrapporter och årsredovisningar " * 3
    assert len(output) > 200
    cell = translate_parameters(
        execution.KERNEL_NAME, "python", {"workbook": workbook, "output_dir": output}
    )
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(cell).body}
    assert values == {"workbook": workbook, "output_dir": output}


def test_the_lab_command_keeps_a_onedrive_path_one_argument(monkeypatch):
    import subprocess
    from pathlib import PureWindowsPath

    from klk_analysis import paths

    monkeypatch.setattr(paths, "NOTEBOOKS", PureWindowsPath(ONEDRIVE) / "notebooks")
    command = execution.lab_command()
    assert command[3] == "--ServerApp.root_dir=" + ONEDRIVE + r"\notebooks"
    # As Windows' CreateProcess receives it: quoted once, because of the spaces.
    assert subprocess.list2cmdline(command[2:]) == (
        f'jupyterlab "--ServerApp.root_dir={ONEDRIVE}\\notebooks"'
    )


@pytest.mark.slow
def test_a_kernel_started_ahead_runs_the_notebook_as_a_new_one_would_and_is_shut_down(tmp_path):
    execution.ensure_kernel()
    kernel = execution.StartedKernel()
    process = kernel.manager.provisioner.process
    source = _notebook(
        tmp_path / "tidig.ipynb",
        "import os, sys\nprint(os.getcwd())",
        "print(sorted(m for m in ('pandas', 'klk_analysis.report') if m in sys.modules))",
    )
    # A time limit of 1 s per cell: the warm-up's imports (seconds) are not the first cell's.
    execution.execute_notebook(source, tmp_path / "ut.ipynb", {"period": "2022-08"}, 1, kernel)
    cells = [c for c in nbformat.read(tmp_path / "ut.ipynb", as_version=4).cells]
    code = [c for c in cells if c.cell_type == "code"]
    # The silent warm-up left no count: [1] parameters, [2] injected, [3] and [4] the cells.
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    assert code[2].outputs[0]["text"].strip() == str(execution.paths.NOTEBOOKS)
    # What the warm-up imported is there when the notebook starts.
    assert code[3].outputs[0]["text"].strip() == "['klk_analysis.report', 'pandas']"
    assert process.poll() is not None  # shut down with the notebook
    kernel.close()  # a second close does nothing


@pytest.mark.slow
def test_a_run_that_fails_its_check_shuts_its_kernel_down_at_once(tmp_path, monkeypatch):
    events = []

    class Recorded:
        def __init__(self):
            events.append("started")

        def close(self):
            events.append("closed")

    from klk_analysis import runner
    from tests.workbooks import DR_ROWS, source_workbook

    monkeypatch.setattr(runner, "StartedKernel", Recorded)
    rows = [list(r) for r in DR_ROWS]
    rows[1][1] += 5.0  # a unit's outcome that the total does not add up to
    bad = source_workbook(tmp_path / "fel.xlsx", dr_rows=rows)
    result = runner.run_period(
        "2022-03", workbook=bad, out_dir=tmp_path / "ut", raw=tmp_path / "raw", processed=tmp_path
    )
    assert result.exit_code == 1
    assert events == ["started", "closed"]  # no notebook ran in it
    assert not (tmp_path / "ut").exists()


def test_a_spare_kernel_is_taken_once_and_only_by_the_process_that_started_it(monkeypatch):
    import os

    kernel = object()
    monkeypatch.setattr(execution, "_spare", (os.getpid() + 1, kernel))  # a forked parent's
    assert execution.take_spare() is None
    monkeypatch.setattr(execution, "_spare", (os.getpid(), kernel))
    assert execution.take_spare() is kernel
    assert execution.take_spare() is None  # taken: the next report starts its own
