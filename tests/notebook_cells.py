"""Run a notebook's code cells in this process, with its parameters replaced: the report's
contract with `klk check` tested without a kernel (fast enough for every corpus workbook)."""

import json
from pathlib import Path

from klk_analysis import paths


def run_cells(notebook: str, **parameters) -> dict:
    """Execute the notebook's code cells in order in one namespace; return the namespace."""
    cells = json.loads((paths.NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        exec(compile(source, f"{notebook}[{cells.index(cell)}]", "exec"), namespace)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(parameters)
    return namespace


def run_report(workbook: Path, period: str, out: Path) -> dict:
    """Run notebook 02 on a workbook into `out` (processed data and outputs both under it)."""
    return run_cells(
        "02_rapport.ipynb",
        period=period,
        workbook=str(workbook),
        output_dir=str(out / "rapport"),
        processed_dir=str(out / "processed"),
    )
