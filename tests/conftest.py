"""Shared, expensive fixtures: one real period run that several test modules read."""

import shutil

import pytest

from klk_analysis import runner
from tests.workbooks import SHIPPED


@pytest.fixture(scope="session")
def period_run(tmp_path_factory):
    """Run 2022-03 from a copy of the shipped workbook once; return the RunResult."""
    base = tmp_path_factory.mktemp("run")
    raw = base / "raw" / "2022-03"
    raw.mkdir(parents=True)
    shutil.copy(SHIPPED, raw / SHIPPED.name)
    result = runner.run_period(
        "2022-03",
        raw=base / "raw",
        outputs=base / "outputs",
        processed=base / "processed",
    )
    assert result.exit_code == 0, result.message
    return result


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory):
    """Run 2022-03 once on a workbook with HTML and formula-like unit names; return its folder."""
    from tests.badbooks import hostile_workbook

    root = tmp_path_factory.mktemp("fientlig")
    result = runner.run_period(
        "2022-03",
        workbook=hostile_workbook(root),
        out_dir=root / "outputs" / "2022-03",
        processed=root / "processed",
    )
    assert result.exit_code == 0, result.message
    return result.out_dir


@pytest.fixture(scope="session")
def finished_folder(tmp_path_factory):
    """An output folder as the report notebook leaves it, made without a kernel: 2022-03."""
    from klk_analysis import report

    folder = tmp_path_factory.mktemp("rapport") / "2022-03"
    data = report.load("2022-03", SHIPPED)
    report.write_outputs(data, report.economy_charts(data), folder)
    (folder / "rapport.html").write_text(
        '<!DOCTYPE html><html lang="sv"><title>Rapport</title><p>Hela rapporten.</p></html>',
        encoding="utf-8",
    )
    return folder
