import pandas as pd
import pytest

from klk_analysis.deviations import (
    budget_deviations,
    change_on_last_year,
    deviation_percent,
    implied_annual_budget,
    rank_units,
    ranked,
    wide,
    with_annual_budget,
)
from klk_analysis.loading import load_workbook, tidy, total_row
from tests.workbooks import SHIPPED


@pytest.fixture(scope="module")
def data():
    return tidy(load_workbook(SHIPPED))


def test_implied_annual_budget_is_forecast_minus_forecast_deviation(data):
    budget = implied_annual_budget(data).set_index("label")["amount_mnkr"]
    # 461,5 − 0,0; −118,5 − 2,9; 3,0 − 3,0 (the budgeted full-year result is 0)
    assert budget["Kommunersättning"] == pytest.approx(461.5)
    assert budget["Personalkostnader"] == pytest.approx(-121.4)
    assert budget["- Övriga kostnader"] == pytest.approx(-377.2)
    assert budget["Summa ÅRETS RESULTAT"] == pytest.approx(0.0)
    # The driftredovisning prints its annual budget; nothing is derived there.
    assert set(implied_annual_budget(data)["table"]) == {"resultatrakning"}


def test_with_annual_budget_marks_derived_rows(data):
    out = with_annual_budget(data)
    assert len(out) == len(data) + 8
    assert set(out["source"]) == {"tryckt", "beräknad"}


def test_deviation_percent_of_budget_size():
    import pandas as pd

    got = deviation_percent(pd.Series([2.9, 5.9, 1.0]), pd.Series([-32.0, 10.8, 0.0]))
    assert got.iloc[0] == pytest.approx(9.0625)  # 2,9 / 32,0
    assert got.iloc[1] == pytest.approx(54.6296, abs=1e-4)  # 5,9 / 10,8
    assert pd.isna(got.iloc[2])


def test_budget_deviations(data):
    got = budget_deviations(data, "resultatrakning", 2022).set_index("label")
    assert got.loc["Personalkostnader", "deviation"] == pytest.approx(2.9)
    assert got.loc["- Lokalkostnader", "deviation"] == pytest.approx(-0.1)


def test_change_on_last_year(data):
    got = change_on_last_year(data, "resultatrakning", "utfall", 2022).set_index("label")
    assert got.loc["Kommunersättning", "change"] == pytest.approx(14.4)  # 115,4 − 101,0
    assert got.loc["- Övriga kostnader", "change"] == pytest.approx(-16.0)  # −89,2 − (−73,2)
    assert got.loc["Kommunersättning", "change_percent"] == pytest.approx(14.2574, abs=1e-4)
    with pytest.raises(KeyError, match="2020"):
        change_on_last_year(data, "resultatrakning", "utfall", 2021)


def test_units_ranked_by_deviation(data):
    got = rank_units(data, "budgetavvikelse", 2022)
    assert list(got["label"].head(3)) == [
        "KLK Näringsliv",
        "KLK Kommunikation, IT och digitalisering",
        "KLK Social hållbarhet",
    ]
    assert got["label"].iloc[-1] == "KLK Ledning"
    assert "Summa Kommunstyrelsen" not in set(got["label"])
    assert list(got["rank"]) == list(range(1, 9))


def test_wide_round_trips_the_table(data):
    w = wide(data, "driftredovisning")
    assert list(w.columns[-4:]) == [
        "arsbudget_2022",
        "avvikelse_arsprognos_2022",
        "budgetavvikelse_2021",
        "budgetavvikelse_2022",
    ]
    assert w["arsbudget_2022"].iloc[-1] == -461.5


def test_ranked_best_first_or_largest_first_ties_in_printed_order():
    rows = pd.DataFrame(
        {"label": ["A", "B", "C", "D", "E"], "dev": [1.0, -3.0, 1.0, float("nan"), 2.0]}
    )
    # Best first: 2,0 (E), then the tie 1,0 as printed (A before C), then −3,0; missing last.
    assert ranked(rows, "dev")["label"].tolist() == ["E", "A", "C", "B", "D"]
    # Largest either way: −3,0 (B), 2,0 (E), then A and C as printed.
    assert ranked(rows, "dev", by_size=True)["label"].tolist() == ["B", "E", "A", "C", "D"]


def test_total_row_is_the_last_result_or_grand_total():
    rows = pd.DataFrame(
        {"kind": ["line", "result", "line", "sum", "result", "line"]}, index=range(10, 16)
    )
    assert total_row(rows) == 14
    assert total_row(rows[rows["kind"] != "result"]) is None
    assert total_row(pd.DataFrame({"kind": ["line", "total", "line"]})) == 1


def test_wide_has_no_index_column(data):
    w = wide(data, "resultatrakning")
    assert list(w.columns[:5]) == ["table", "order", "label", "key", "kind"]
    assert "index" not in w.columns
    assert list(w.index) == list(range(8))


def test_implied_annual_budget_rows_say_they_are_computed(data):
    rows = implied_annual_budget(data)
    assert set(rows["measure"]) == {"arsbudget"}
    assert set(rows["header"]) == {""} and set(rows["cell"]) == {""}
    assert set(rows["source"]) == {"beräknad"}


def test_no_implied_annual_budget_without_a_forecast_deviation(data):
    # A year-end workbook prints no avvikelse årsprognos: nothing to compute the budget from.
    assert implied_annual_budget(data[data["measure"] != "avvikelse_arsprognos"]).empty
    assert implied_annual_budget(data[data["measure"] != "arsprognos"]).empty


def test_without_a_printed_annual_budget_every_row_is_implied(data):
    # With no printed annual budget at all, every row with an årsprognos and an avvikelse
    # årsprognos gets one: the resultaträkning's 8 rows and the driftredovisning's 9 (its
    # årsprognos is årsbudget + avvikelse in the tidy data).
    rows = implied_annual_budget(data[data["measure"] != "arsbudget"])
    assert (rows["table"] == "resultatrakning").sum() == 8
    assert (rows["table"] == "driftredovisning").sum() == 9


def test_with_annual_budget_numbers_its_rows_afresh(data):
    out = with_annual_budget(data)
    assert list(out.index) == list(range(len(data) + 8))


def test_budget_deviation_in_percent(data):
    got = budget_deviations(data, "resultatrakning", 2022).set_index("label")
    # Personalkostnader: 2,9 / 32,0 = 9,0625 %
    assert got.loc["Personalkostnader", "deviation_percent"] == pytest.approx(9.0625)


def test_ranked_units_have_no_index_column(data):
    got = rank_units(data, "budgetavvikelse", 2022)
    assert list(got.columns) == [
        "table",
        "order",
        "label",
        "key",
        "kind",
        "budgetavvikelse_2022",
        "rank",
    ]


def test_deviation_percent_stays_numeric_where_the_budget_is_zero():
    import pandas as pd

    got = deviation_percent(pd.Series([1.0, 2.0]), pd.Series([0.0, 4.0]))
    assert got.dtype == "float64"
    assert got.iloc[1] == 50.0  # 2 / 4
