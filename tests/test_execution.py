import sys

import nbformat
from papermill.exceptions import PapermillExecutionError

from klk_analysis import execution


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


def test_failures_become_sentences_with_the_right_exit_code():
    own = PapermillExecutionError(3, 4, "x", "InconsistentDataError", "a.xlsx: stämmer inte", [])
    assert execution.describe_failure("01.ipynb", own) == (1, "01.ipynb: a.xlsx: stämmer inte")
    other = PapermillExecutionError(3, 4, "x", "KeyError", "'utfall'", [])
    assert execution.describe_failure("02.ipynb", other) == (
        3,
        "02.ipynb stannade i cell 4 med KeyError: 'utfall'",
    )
    code, text = execution.describe_failure("02.ipynb", TimeoutError("cellen tog 600 s"))
    assert code == 3 and "tog för lång tid" in text


def test_lab_command_opens_the_notebooks_folder():
    command = execution.lab_command()
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert command[3].endswith("notebooks")
