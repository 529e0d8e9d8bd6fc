import pandas as pd

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
