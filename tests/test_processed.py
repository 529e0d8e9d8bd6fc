import pandas as pd
import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.processed import read_processed, write_processed
from tests.workbooks import SHIPPED


def test_writes_parquet_and_csv_per_period(tmp_path):
    target = write_processed(load_workbook(SHIPPED), tmp_path)
    assert target == tmp_path / "2022-03" / "kommunstyrelsen"
    assert sorted(p.name for p in target.iterdir()) == [
        "driftredovisning.csv",
        "driftredovisning.parquet",
        "resultatrakning.csv",
        "resultatrakning.parquet",
    ]
    data = read_processed(tmp_path, "2022-03", "Kommunstyrelsen")
    row = data[
        (data["label"] == "Summa INTÄKTER") & (data["measure"] == "utfall") & (data["year"] == 2022)
    ]
    assert row["amount_mnkr"].tolist() == [132.0]
    csv = pd.read_csv(target / "driftredovisning.csv")
    assert (
        csv["amount_mnkr"].sum() == data[data["table"] == "driftredovisning"]["amount_mnkr"].sum()
    )


def test_rewrite_replaces_and_leaves_no_temporary_folders(tmp_path):
    write_processed(load_workbook(SHIPPED), tmp_path)
    (tmp_path / "2022-03" / "kommunstyrelsen" / "stale.csv").write_text("x")
    write_processed(load_workbook(SHIPPED), tmp_path)
    assert not (tmp_path / "2022-03" / "kommunstyrelsen" / "stale.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["2022-03"]


def test_a_swap_killed_half_way_is_recovered(tmp_path):
    from klk_analysis.processed import recover_dir, replace_dir

    # Killed after the old folder was moved aside and before the new one was moved in.
    target, old = tmp_path / "2022-03", tmp_path / ".2022-03.old"
    old.mkdir()
    (old / "rapport.html").write_text("förra")
    recover_dir(target)
    assert (target / "rapport.html").read_text() == "förra"
    assert [p.name for p in tmp_path.iterdir()] == ["2022-03"]
    recover_dir(target)  # nothing to do the second time
    new = tmp_path / ".2022-03-abc"
    new.mkdir()
    (new / "rapport.html").write_text("ny")
    replace_dir(new, target)
    assert (target / "rapport.html").read_text() == "ny"
    assert [p.name for p in tmp_path.iterdir()] == ["2022-03"]


def test_replaced_folder_is_readable_like_any_other(tmp_path):
    target = write_processed(load_workbook(SHIPPED), tmp_path)
    assert target.stat().st_mode & 0o055 == 0o055  # group and others may read and enter


# --- Windows: a file open in Excel, folders without POSIX modes ----------------------------------


def test_a_file_open_in_excel_is_named_and_left_as_it_was(tmp_path, monkeypatch):
    from klk_analysis.errors import FileInUseError
    from klk_analysis.processed import staged_file
    from tests.windows import excel_opens

    target = tmp_path / "prognosregister.csv"
    target.write_bytes(b"gammal")
    excel_opens(monkeypatch, target)
    with pytest.raises(FileInUseError) as caught, staged_file(target) as temporary:
        temporary.write_bytes(b"ny")
    assert str(caught.value) == (
        f"{target} är öppen i ett annat program. Stäng prognosregister.csv i Excel och kör igen."
    )
    assert caught.value.exit_code == 3
    assert target.read_bytes() == b"gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["prognosregister.csv"]


def test_a_folder_with_files_open_in_excel_is_not_swapped(tmp_path, monkeypatch):
    from klk_analysis.errors import FileInUseError
    from klk_analysis.processed import staged_dir
    from tests.windows import excel_opens

    target = tmp_path / "tabeller"
    target.mkdir()
    for name in ("driftredovisning.xlsx", "resultatrakning.xlsx", "resultatrakning.csv"):
        (target / name).write_bytes(name.encode())
    excel_opens(monkeypatch, target / "driftredovisning.xlsx", target / "resultatrakning.xlsx")
    with pytest.raises(FileInUseError) as caught, staged_dir(target) as staging:
        (staging / "driftredovisning.xlsx").write_bytes(b"ny")
    assert str(caught.value).endswith(
        f"så {target} kan inte ersättas. "
        "Stäng driftredovisning.xlsx och resultatrakning.xlsx i Excel och kör igen."
    )
    assert str(target / "driftredovisning.xlsx") in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["tabeller"]
    assert (target / "driftredovisning.xlsx").read_bytes() == b"driftredovisning.xlsx"


def test_a_new_folder_that_cannot_move_in_puts_the_old_one_back(tmp_path, monkeypatch):
    from klk_analysis.errors import FileInUseError
    from klk_analysis.processed import replace_dir
    from tests.windows import excel_opens

    target, new = tmp_path / "2022-03", tmp_path / ".2022-03-abc"
    target.mkdir()
    (target / "rapport.html").write_text("förra", encoding="utf-8")
    new.mkdir()
    (new / "rapport.html").write_text("ny", encoding="utf-8")
    # Something (a virus scanner, OneDrive) holds the new report: the old folder moved aside
    # first, and must come back.
    excel_opens(monkeypatch, new / "rapport.html")
    with pytest.raises(FileInUseError, match=r"Stäng rapport\.html i Excel"):
        replace_dir(new, target)
    assert (target / "rapport.html").read_text(encoding="utf-8") == "förra"
    assert not (tmp_path / ".2022-03.old").exists()


def test_without_posix_modes_the_swaps_never_call_chmod(tmp_path, monkeypatch):
    import os
    from pathlib import Path

    from klk_analysis import processed

    def refuse(*_args, **_kwargs):
        raise AssertionError("chmod called")

    monkeypatch.setattr(processed, "POSIX_MODES", False)
    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)
    target = write_processed(load_workbook(SHIPPED), tmp_path)
    assert (target / "resultatrakning.parquet").exists()
    with processed.staged_file(tmp_path / "register.csv") as temporary:
        temporary.write_text("ny", encoding="utf-8")
    assert (tmp_path / "register.csv").read_text(encoding="utf-8") == "ny"


def test_the_aside_name_is_built_right_for_a_onedrive_folder_on_windows():
    from pathlib import PureWindowsPath

    from klk_analysis.processed import aside_dir

    folder = PureWindowsPath(
        r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2\outputs\2022-03"
    )
    assert str(aside_dir(folder)) == (
        r"C:\Users\ekonom\OneDrive - Eskilstuna kommun\Ekonomi\Delår 2\outputs\.2022-03.old"
    )
