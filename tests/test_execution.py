import sys
import time

import nbformat
import pytest

from klk_analysis import execution
from klk_analysis.errors import InconsistentDataError, RunFailedError


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
