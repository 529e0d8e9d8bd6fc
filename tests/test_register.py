from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from klk_analysis.forecasts import projections
from klk_analysis.register import (
    accuracy,
    accuracy_alt_text,
    accuracy_chart,
    accuracy_table,
    bias,
    history_from_register,
    read_register,
    update_register,
)
from tests.forecast_data import simple_run

BOARD = "Nämnden"

# (period, result to date, managers' forecast of the result, unit's deviation to date,
# unit's forecast deviation). The unit's annual budget is −100.
RUNS = [
    ("2021-03", 4.0, 3.0, 1.0, 0.0),
    ("2021-08", 12.0, 10.0, 2.0, 1.0),
    ("2021-12", 20.0, 20.0, 3.5, 3.5),
    ("2022-03", 2.0, 5.0, -1.0, -2.0),
    ("2022-08", 5.0, 8.0, -2.0, -1.0),
    ("2022-12", 6.0, 6.0, -2.5, -2.5),
]


def run(path, period, *figures):
    return update_register(path, projections(simple_run(period, *figures)), BOARD)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    """Six runs over two years written to one register (once: the tests only read it)."""
    path = tmp_path_factory.mktemp("register") / "prognosregister.parquet"
    for figures in RUNS:
        run(path, *figures)
    return read_register(path)


def test_every_run_adds_its_period(tmp_path):
    path = tmp_path / "prognosregister.parquet"
    run(path, *RUNS[0])
    run(path, *RUNS[1])
    got = read_register(path)
    assert sorted(set(got["period"])) == ["2021-03", "2021-08"]
    assert len(got) == 2 * 3  # two lines and one unit per run


def test_rerun_replaces_its_period_and_never_duplicates(tmp_path):
    path = tmp_path / "prognosregister.parquet"
    run(path, *RUNS[0])
    run(path, *RUNS[1])
    run(path, "2021-03", 4.0, 9.0, 1.0, 0.0)  # the March forecast corrected to 9,0
    got = read_register(path)
    assert len(got) == 6
    march = got[(got["period"] == "2021-03") & (got["kind"] == "result")]
    assert march["arsprognos"].tolist() == [9.0]
    assert [p.name for p in tmp_path.iterdir()] == ["prognosregister.parquet"]


def test_other_boards_are_kept(tmp_path):
    path = tmp_path / "prognosregister.csv"
    run(path, *RUNS[0])
    update_register(path, projections(simple_run(*RUNS[0])), "Annan nämnd")
    got = read_register(path)
    assert sorted(set(got["board"])) == ["Annan nämnd", BOARD]
    assert len(got) == 6
    assert got["period"].tolist()[0] == "2021-03"  # read back as text, not a date or number


def test_register_in_csv_reads_back_like_parquet(tmp_path):
    run(tmp_path / "r.csv", *RUNS[0])
    run(tmp_path / "r.parquet", *RUNS[0])
    pd.testing.assert_frame_equal(
        read_register(tmp_path / "r.csv"), read_register(tmp_path / "r.parquet")
    )


def test_year_end_accuracy_from_the_register(register):
    got = accuracy(register, 2021)
    result = got[(got["kind"] == "result") & (got["method"] == "arsprognos")]
    # Outcome 2021 is 20,0: March forecast 3,0 was 17,0 too low, August's 10,0 by 10,0.
    assert result["month"].tolist() == [3, 8]
    assert result["outcome"].tolist() == [20.0, 20.0]
    assert result["error"].tolist() == pytest.approx([17.0, 10.0])
    unit = got[(got["label"] == "Enhet A") & (got["method"] == "arsprognos")]
    # The unit's outcome is −100 + 3,5 = −96,5; forecasts −100 + 0 and −100 + 1.
    assert unit["outcome"].tolist() == pytest.approx([-96.5, -96.5])
    assert unit["error"].tolist() == pytest.approx([3.5, 2.5])
    budget = got[(got["kind"] == "result") & (got["method"] == "budget_rest")]
    # The budget method's March projection: 0 + 4,0; August: 0 + 12,0.
    assert budget["error"].tolist() == pytest.approx([16.0, 8.0])
    assert set(got["year"]) == {2021}


def test_no_accuracy_before_the_year_has_a_december(tmp_path):
    path = tmp_path / "r.parquet"
    for figures in RUNS[:2]:
        run(path, *figures)
    assert accuracy(read_register(path)).empty


def test_bias_across_the_years(register):
    got = bias(accuracy(register))
    result = got[(got["kind"] == "result") & (got["method"] == "arsprognos")].set_index("month")
    # March: 17,0 (2021) and 1,0 (2022, outcome 6,0 − 5,0); August: 10,0 and −2,0.
    assert result.loc[3, "mean_error"] == pytest.approx(9.0)
    assert result.loc[8, "mean_error"] == pytest.approx(4.0)
    assert result.loc[3, "years"] == 2
    assert result.loc[8, "better_than_forecast"] == 1
    assert result.loc[8, "min_error"] == pytest.approx(-2.0)


def test_register_history_feeds_last_years_profile(register):
    history = history_from_register(register, BOARD)
    # 2021: the result reached 4,0 of 20,0 by March: a share of 0,2.
    got = projections(simple_run("2022-03", 2.0, 5.0, -1.0, -2.0), history=history)
    result = got[got["kind"] == "result"].iloc[0]
    assert result["profile_share"] == pytest.approx(0.2)
    assert result["last_year_profile"] == pytest.approx(10.0)  # 2,0 / 0,2
    unit = got[got["label"] == "Enhet A"].iloc[0]
    assert pd.isna(unit["last_year_profile"])  # a unit has no utfall to date in the register


def test_accuracy_table_in_swedish(register):
    table = accuracy_table(accuracy(register, 2021))
    assert list(table.columns) == [
        "År",
        "Tabell",
        "Rad eller enhet",
        "Prognos i",
        "Årsprognos",
        "Utfall helår",
        "Utfall minus prognos",
    ]
    first = table[table["Rad eller enhet"] == "Summa årets resultat"].iloc[0]
    assert first["Prognos i"] == "mars"
    assert first["Utfall minus prognos"] == pytest.approx(17.0)


def test_accuracy_chart(register):
    scored = accuracy(register)
    figure = accuracy_chart(scored)
    assert isinstance(figure, Figure)
    axes = figure.axes[0]
    assert axes.get_title("left") == "Prognossäkerhet för årets resultat"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2021", "2022"]
    assert axes.yaxis.get_major_formatter()(2.5, 0) == "2,5"
    assert axes.yaxis.get_major_formatter()(-2.5, 0) == "\u22122,5"
    # The legend stands below the bars, as wide as the figure (five inches).
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "Prognos i mars",
        "Prognos i augusti",
    ]
    labels = [t.get_text() for t in axes.texts]
    assert "+17,0" in labels and "\u22122,0" in labels
    alt = accuracy_alt_text(scored)
    assert "2021, prognos i mars: +17,0 mnkr" in alt
    assert "2022, prognos i augusti: \u22122,0 mnkr" in alt


def test_chart_and_alt_text_without_outcomes():
    empty = accuracy(read_register("/nonexistent/register.parquet"))
    assert isinstance(accuracy_chart(empty), Figure)
    assert "saknar värden" in accuracy_alt_text(empty)


@pytest.mark.slow
def test_forecast_run_records_exports_and_scores_at_year_end(tmp_path):
    from klk_analysis.register import forecast_run

    path, out = tmp_path / "data" / "prognosregister.parquet", tmp_path / "rapport"
    march = forecast_run(simple_run(*RUNS[0]), BOARD, path, out)
    assert march.workbook == out / "tabeller" / "prognos.xlsx"
    assert march.workbook.exists()
    assert march.accuracy.empty and march.bias.empty  # no outcome before December
    assert len(march.register) == 3
    # The result forecast 3,0 lies below the budget method's 4,0 by no more than 1,0.
    assert march.sentences == []
    again = forecast_run(simple_run(*RUNS[0]), BOARD, path, out)
    assert len(again.register) == 3  # a rerun replaces, never duplicates
    forecast_run(simple_run(*RUNS[1]), BOARD, path, out)
    december = forecast_run(simple_run(*RUNS[2]), BOARD, path, out)
    result = december.accuracy[
        (december.accuracy["kind"] == "result") & (december.accuracy["method"] == "arsprognos")
    ]
    assert result["error"].tolist() == pytest.approx([17.0, 10.0])
    assert set(december.bias["years"]) == {1}
    assert len(december.register) == 9


@pytest.mark.slow
def test_next_year_uses_the_register_as_history(tmp_path):
    from klk_analysis.register import forecast_run

    path = tmp_path / "prognosregister.csv"
    for figures in RUNS[:3]:
        forecast_run(simple_run(*figures), BOARD, path, tmp_path)
    got = forecast_run(simple_run(*RUNS[3]), BOARD, path, tmp_path).projections
    result = got[got["kind"] == "result"].iloc[0]
    assert result["last_year_profile"] == pytest.approx(10.0)  # 2,0 / (4,0 / 20,0)


@pytest.mark.slow
def test_year_end_workbook_scores_the_shipped_march_forecast(tmp_path):
    from klk_analysis.loading import load_workbook, tidy
    from klk_analysis.register import forecast_run
    from tests.workbooks import DR_HEADER, RR_HEADER, SHIPPED, source_workbook

    def december(header):
        return [h.replace("Mar", "Dec").replace("mars", "december") for h in header]

    year_end = source_workbook(
        tmp_path / "bokslut.xlsx", rr_header=december(RR_HEADER), dr_header=december(DR_HEADER)
    )
    path = tmp_path / "prognosregister.parquet"
    forecast_run(tidy(load_workbook(SHIPPED)), "Kommunstyrelsen", path, tmp_path / "mars")
    done = forecast_run(tidy(load_workbook(year_end)), "Kommunstyrelsen", path, tmp_path / "dec")
    managers = done.accuracy[done.accuracy["method"] == "arsprognos"].set_index("label")
    # The same figures read as December: the result's outcome 12,1 against March's +3,0.
    assert managers.loc["Summa ÅRETS RESULTAT", "error"] == pytest.approx(9.1)
    # A unit's outcome is budget + the year's deviation: −52,6 + 3,5 against −52,6 + 1,7.
    assert managers.loc["KLK Näringsliv", "outcome"] == pytest.approx(-49.1)
    assert managers.loc["KLK Näringsliv", "error"] == pytest.approx(1.8)
    assert set(managers["month"]) == {3}


def test_the_register_lock_is_outside_processed_and_one_per_register(tmp_path, monkeypatch):
    from klk_analysis.register import register_lock

    monkeypatch.chdir(tmp_path)
    absolute = register_lock(tmp_path / "p" / "prognosregister.parquet")
    relative = register_lock(Path("p") / "prognosregister.parquet")
    assert absolute.lock_file == relative.lock_file  # one register, one lock
    assert register_lock(tmp_path / "q.parquet").lock_file != absolute.lock_file
    with absolute:
        pass
    assert not (tmp_path / "p").exists()  # nothing written beside the register
