"""The notebooks are thin and run top to bottom with their defaults."""

import ast
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from klk_analysis import execution, paths, report
from klk_analysis.errors import InconsistentDataError
from tests.lazy import nbformat
from tests.workbooks import DR_ROWS, SHIPPED, source_workbook

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


def _defaults(path) -> dict:
    code = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    return {n.target.id: n.value.value for n in ast.parse(code.source).body}


def test_notebooks_with_their_defaults_write_to_a_scratch_folder_never_the_register():
    scratch = "outputs/utkast"
    check, report, explore = (_defaults(p) for p in NOTEBOOKS)
    assert check["processed_dir"] == scratch
    assert report["output_dir"] == scratch
    # 02 reads the register in processed_dir but writes it only when klk run says so.
    assert report["record_forecasts"] is False
    assert report["source_file"] == ""
    assert "output_dir" not in explore and "processed_dir" not in explore


# Every parameter that names a file or folder, and the package function that resolves it with
# paths.resolve (tests/test_paths.py runs each from another working directory).
PATH_PARAMETERS = {"workbook", "processed_dir", "output_dir", "source_file"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_path_parameter_is_one_the_package_resolves(path):
    named = {k for k, v in _defaults(path).items() if isinstance(v, str) and "/" in v}
    named |= {k for k in _defaults(path) if k.endswith(("_dir", "_file"))}
    assert named <= PATH_PARAMETERS


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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_its_defaults(executed, path):
    book = nbformat.read(executed / path.name, as_version=4)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # Only the output folders were overridden; everything else ran with its default.
    assert set(book.metadata.papermill.parameters) <= {"processed_dir", "output_dir"}


@pytest.mark.slow
def test_check_notebook_writes_processed_tables(executed):
    assert (
        executed / "processed" / "2022-03" / "kommunstyrelsen" / "driftredovisning.csv"
    ).exists()


@pytest.mark.slow
def test_report_notebook_writes_tables_and_figures_but_not_the_register(executed):
    assert (executed / "out" / "figurer" / "budgetavvikelse_per_enhet.png").exists()
    assert (executed / "out" / "tabeller" / "resultatrakning.csv").exists()
    assert (executed / "out" / "tabeller" / "prognos.xlsx").exists()
    assert not (executed / "processed" / "prognosregister.parquet").exists()


@pytest.mark.slow
def test_report_notebook_stops_on_a_wrong_sum_before_writing_anything(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[5][2] = -3.5  # KLK Näringsliv's +3,5 with its minus lost: the units add to 6,8, not 13,8
    bad = source_workbook(tmp_path / "fel.xlsx", dr_rows=rows)
    processed = tmp_path / "processed"
    # A register with March 2022 in it, as an earlier run left it.
    report.forecasts(report.load("2022-03", SHIPPED), processed)
    register = processed / report.REGISTER_FILE
    before = register.read_bytes()
    execution.ensure_kernel()
    execution.import_jupyter()
    parameters = {
        "workbook": str(bad),
        "processed_dir": str(processed),
        "output_dir": str(tmp_path / "ut"),
        "record_forecasts": True,  # as klk run asks: the stop must come before the register
    }
    with pytest.raises(InconsistentDataError, match="Summa Kommunstyrelsen"):
        execution.execute_notebook(
            paths.NOTEBOOKS / "02_rapport.ipynb", tmp_path / "02.ipynb", parameters, timeout=300
        )
    assert register.read_bytes() == before
    assert sorted(p.name for p in processed.iterdir()) == [report.REGISTER_FILE]
    assert not (tmp_path / "ut").exists()


@pytest.mark.slow
def test_exploration_notebook_drills_into_its_default_line(executed):
    text = json.dumps(nbformat.read(executed / "03_utforska.ipynb", as_version=4).cells)
    # KLK HR's budgetavvikelse Mar 2022 is 1,6 of the total 13,8: 11,6 %; its row highlighted.
    assert "KLK HR mot Summa Kommunstyrelsen i driftredovisningen, mnkr" in text
    assert ">11,6</td>" in text and "#fff3b0" in text
