"""Every path a notebook is given resolves against the project root, from any working folder."""

import shutil
from pathlib import Path

import pytest

from klk_analysis import paths, processed, report
from tests.workbooks import SHIPPED


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A project root in tmp_path/projekt and a working folder that is not it."""
    root = tmp_path / "projekt"
    (root / "data" / "raw" / "2022-03").mkdir(parents=True)
    shutil.copy(SHIPPED, root / "data" / "raw" / "2022-03" / "bok.xlsx")
    cwd = tmp_path / "annanstans"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(paths, "ROOT", root)
    return root, cwd


def test_resolve_anchors_relative_paths_on_the_root_not_the_working_folder(elsewhere):
    root, _cwd = elsewhere
    assert paths.resolve("data/raw") == root / "data" / "raw"
    assert paths.resolve(Path("/tmp/x.xlsx")) == Path("/tmp/x.xlsx")
    assert paths.resolve("~/x.xlsx") == Path.home() / "x.xlsx"


def test_the_real_root_is_the_checkout_whatever_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert (paths.ROOT / "pyproject.toml").is_file()
    assert paths.resolve("notebooks") == paths.NOTEBOOKS


@pytest.mark.slow
def test_every_notebook_path_parameter_lands_under_the_root(elsewhere):
    root, cwd = elsewhere
    # workbook (01, 02, 03), processed_dir (01 writes, 02 reads and records), output_dir (02).
    data = report.load("2022-03", "data/raw/2022-03/bok.xlsx")
    processed.write_processed(data.workbook, "outputs/utkast")
    forecast = report.forecasts(data, "outputs/utkast/register")
    report.write_outputs(data, [], "outputs/utkast", forecast)
    assert (root / "outputs/utkast/2022-03/kommunstyrelsen/driftredovisning.parquet").is_file()
    assert (root / "outputs/utkast/register" / report.REGISTER_FILE).is_file()
    assert (root / "outputs/utkast/tabeller/resultatrakning.xlsx").is_file()
    assert list(cwd.iterdir()) == []
