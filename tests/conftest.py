"""Shared, expensive fixtures: one real period run that several test modules read."""

import os
import shutil
from pathlib import Path

import pytest

from klk_analysis import loading, runner
from tests.workbooks import SHIPPED

# Imported first by every Python process started with this folder on PYTHONPATH (the kernels):
# notes each screening and each opening of a workbook in the file KLK_TEST_OPENS names.
OPEN_COUNTER = """
import os

import openpyxl
from klk_analysis import screening

LOG = os.environ["KLK_TEST_OPENS"]


def _note(what, path):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{what} {path} {os.getpid()}\\n")


def _counted(what, function):
    def counted(path, *args, **kwargs):
        _note(what, path)
        return function(path, *args, **kwargs)

    return counted


openpyxl.load_workbook = _counted("open", openpyxl.load_workbook)
screening.screen_workbook_file = _counted("screen", screening.screen_workbook_file)
"""


# A test is end to end (marked slow, left out by `make test-fast`) when it runs a period,
# executes notebooks, writes a report's outputs, draws its charts or builds its mail or Word
# document: the fixtures below do. Tests that start a process or sweep a whole corpus of
# workbooks carry @pytest.mark.slow themselves.
SLOW_FIXTURES = {
    "period_run",
    "hostile_run",
    "executed",
    "finished_folder",
    "shipped_charts",
    "large_board",
    "shipped_tables",
    "shipped_files",
    "forecast_runs",
    "eml",
    "document",
}


# Modules whose every test is end to end: each draws charts, writes files (registers,
# processed tables, Word documents), drives a browser, runs boards or sweeps a corpus. Under
# `make test-fast` they are not even imported.
END_TO_END_MODULES = {
    "test_charts.py",
    "test_register.py",
    "test_processed.py",
    "test_municipality.py",
    "test_word.py",
    "test_htmlexport_browser.py",
    "test_tryout.py",
}


def pytest_ignore_collect(collection_path, config):
    """Leave the end-to-end modules out of `-m "not slow"` without importing them."""
    if collection_path.name in END_TO_END_MODULES and config.getoption("markexpr") == "not slow":
        return True
    return None


def pytest_collection_modifyitems(items):
    """Mark the end-to-end tests slow, so that `make test-fast` (-m "not slow") leaves them out."""
    for item in items:
        end_to_end_module = item.path.name in END_TO_END_MODULES
        if end_to_end_module or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def period_run(tmp_path_factory):
    """Run 2022-03 from a copy of the shipped workbook once; return the RunResult.

    Every screening and opening of a workbook during the run, in this process and in the
    kernels, is noted in base/opens.log (one line each: what, path, process id).
    """
    base = tmp_path_factory.mktemp("run")
    raw = base / "raw" / "2022-03"
    raw.mkdir(parents=True)
    shutil.copy(SHIPPED, raw / SHIPPED.name)
    (base / "counter").mkdir()
    (base / "counter" / "sitecustomize.py").write_text(OPEN_COUNTER, encoding="utf-8")
    log = base / "opens.log"
    log.touch()
    with pytest.MonkeyPatch.context() as patch:
        path = os.environ.get("PYTHONPATH", "")
        patch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(base / "counter"), path])))
        patch.setenv("KLK_TEST_OPENS", str(log))

        def counted(what, function):
            def wrapper(target, *args, **kwargs):
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(f"{what} {target} {os.getpid()}\n")
                return function(target, *args, **kwargs)

            return wrapper

        patch.setattr(
            loading.openpyxl, "load_workbook", counted("open", loading.openpyxl.load_workbook)
        )
        patch.setattr(
            loading, "screen_workbook_file", counted("screen", loading.screen_workbook_file)
        )
        result = runner.run_period(
            "2022-03",
            raw=base / "raw",
            outputs=base / "outputs",
            processed=base / "processed",
        )
    assert result.exit_code == 0, result.message
    return result


def opens_during(run) -> list[tuple[str, Path]]:
    """Return (what, path) for every screening and opening of a workbook during period_run."""
    log = run.out_dir.parents[1] / "opens.log"
    found = []
    for line in log.read_text(encoding="utf-8").splitlines():
        what, rest = line.split(" ", 1)
        found.append((what, Path(rest.rsplit(" ", 1)[0])))
    return found


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
