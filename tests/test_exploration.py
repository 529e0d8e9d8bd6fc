"""Exploring a table: expected figures from the source document, shares worked by hand."""

import math

import pandas as pd
import pytest

from klk_analysis import exploration, report
from klk_analysis.errors import UnusableInputError
from tests.workbooks import SHIPPED


@pytest.fixture(scope="module")
def data():
    return report.load("2022-03", SHIPPED)


def test_a_unit_against_the_boards_total(data):
    frame = exploration.line_figures(data, "driftredovisning", "klk hr")
    assert isinstance(frame, pd.DataFrame)
    kvartal = frame.loc["Budgetavvikelse Mar 2022"]
    # KLK HR: 1,6 of Summa Kommunstyrelsen's 13,8 is 11,59 %; budget −71,6 of −461,5 is 15,51 %.
    assert (kvartal["Belopp"], kvartal["Avsnittets summa"]) == (1.6, 13.8)
    assert kvartal[exploration.SHARE] == pytest.approx(1.6 / 13.8 * 100)
    assert frame.loc["Budget 2022", exploration.SHARE] == pytest.approx(71.6 / 461.5 * 100)
    assert frame.attrs["caption"] == "KLK HR mot Summa Kommunstyrelsen i driftredovisningen, mnkr"


def test_a_line_of_the_resultatrakning_against_its_section_not_the_result(data):
    frame = exploration.line_figures(data, "Resultaträkning", "Personalkostnader")
    # Utfall Mar 2022: −29,1 of Summa KOSTNADER −119,9 is 24,27 %, not −29,1 / 12,1 = −240 %.
    assert frame.loc["Utfall Mar 2022", "Avsnittets summa"] == -119.9
    assert frame.loc["Utfall Mar 2022", exploration.SHARE] == pytest.approx(29.1 / 119.9 * 100)
    # Budgetavvikelse: 2,9 of 7,9 is 36,71 %.
    assert frame.loc["Budgetavvikelse Mar 2022", exploration.SHARE] == pytest.approx(
        2.9 / 7.9 * 100
    )
    revenue = exploration.line_figures(data, "resultatrakning", "Kommunersättning")
    # 115,4 of Summa INTÄKTER 132,0 is 87,42 %; the forecast deviation 0,0 of 0,0 has no share.
    assert revenue.loc["Utfall Mar 2022", exploration.SHARE] == pytest.approx(115.4 / 132.0 * 100)
    assert math.isnan(revenue.loc["Avvikelse Årsprognos mars", exploration.SHARE])


def test_a_sum_row_has_no_share(data):
    frame = exploration.line_figures(data, "resultatrakning", "Summa INTÄKTER")
    assert frame["Avsnittets summa"].isna().all() and frame[exploration.SHARE].isna().all()
    assert "själv en summa" in frame.attrs["caption"]


def test_table_names_in_any_case_and_a_wrong_name_in_a_swedish_sentence(data):
    assert exploration.table_name("DRIFTREDOVISNING") == "driftredovisning"
    assert exploration.table_name(" Resultaträkning ") == "resultatrakning"
    with pytest.raises(UnusableInputError) as caught:
        exploration.pick_table(data, "balansräkning")
    assert str(caught.value) == (
        "Tabellen 'balansräkning' finns inte. Förväntade en av: resultatrakning, "
        "driftredovisning (stora eller små bokstäver, med eller utan å, ä och ö)."
    )
    with pytest.raises(UnusableInputError, match="Raderna heter: 'KS/semesterlöneskuld"):
        exploration.line_figures(data, "driftredovisning", "KLK Okänd")


def test_the_table_as_a_frame_to_sort_and_filter(data):
    frame = exploration.table_frame(data, "driftredovisning")
    units = frame[frame["Typ"] == "rad"].sort_values("Budgetavvikelse Mar 2022")
    # The source document's units: KLK Ledning −0,1 is the lowest, KLK Näringsliv 3,5 the highest.
    assert units["Rad"].iloc[0] == "KLK Ledning" and units["Rad"].iloc[-1] == "KLK Näringsliv"
    assert len(units) == 8


def test_whole_table_highlights_the_chosen_row_with_swedish_numbers(data):
    html = exploration.whole_table(data, "driftredovisning", "KLK HR").to_html()
    assert "<caption>Driftredovisning januari \u2013 mars 2022, mnkr</caption>" in html
    assert "\u2212461,5" in html  # Summa Kommunstyrelsen's Budget 2022, with a true minus
    # KLK HR is the table's fourth row (position 3): only its cells carry the highlight.
    assert html.count("background-color: #fff3b0") == 1
    assert "#T_" in html and "_row3_col0" in html.split("background-color: #fff3b0")[0]


def test_line_labels(data):
    assert "<li>KLK Näringsliv</li>" in exploration.line_labels(data, "driftredovisning").html
