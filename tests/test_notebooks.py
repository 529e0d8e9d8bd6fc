"""The notebooks are thin and run top to bottom with their defaults."""

import ast
import json
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from klk_analysis import execution, paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def test_the_three_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == [
        "01_las_och_kontrollera.ipynb",
        "02_rapport.ipynb",
        "03_utforska.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_committed_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == execution.KERNEL_NAME
    code = [c for c in book.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for node in ast.parse(code[0].source).body:
        # Literal, type-annotated defaults only.
        assert isinstance(node, ast.AnnAssign), ast.dump(node)
        assert isinstance(node.value, ast.Constant)
    assert {"period", "workbook", "board", "tolerance"} <= execution.parameter_names(path)
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    for cell in code[1:]:
        assert len(ast.parse(cell.source).body) == 1, cell.source
    headings = [c.source for c in book.cells if c.cell_type == "markdown"]
    assert any(h.startswith("## ") for h in headings)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Execute every notebook with its defaults (outputs redirected to a temporary folder)."""
    base = tmp_path_factory.mktemp("notebooks")
    execution.ensure_kernel()
    execution.import_jupyter()
    overrides = {"processed_dir": str(base / "processed"), "output_dir": str(base / "out")}

    def run(path):
        execution.execute_notebook(path, base / path.name, overrides, timeout=300)
        return path.name

    with ThreadPoolExecutor(max_workers=len(NOTEBOOKS)) as pool:
        list(pool.map(run, NOTEBOOKS))
    return base


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_its_defaults(executed, path):
    book = nbformat.read(executed / path.name, as_version=4)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # Only the output folders were overridden; everything else ran with its default.
    assert set(book.metadata.papermill.parameters) <= {"processed_dir", "output_dir"}


def test_check_notebook_writes_processed_tables(executed):
    assert (
        executed / "processed" / "2022-03" / "kommunstyrelsen" / "driftredovisning.csv"
    ).exists()


def test_report_notebook_writes_tables_and_figures(executed):
    assert (executed / "out" / "figurer" / "budgetavvikelse_per_enhet.png").exists()
    assert (executed / "out" / "tabeller" / "resultatrakning.csv").exists()
    assert (executed / "out" / "tabeller" / "prognos.xlsx").exists()
    assert (executed / "processed" / "prognosregister.parquet").exists()


def test_exploration_notebook_drills_into_its_default_line(executed):
    text = json.dumps(nbformat.read(executed / "03_utforska.ipynb", as_version=4).cells)
    # KLK HR's budgetavvikelse Mar 2022 is 1,6 of the total 13,8.
    assert "<td>1,6</td><td>13,8</td>" in text
