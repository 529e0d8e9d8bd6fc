import pytest

from klk_analysis import exploration, report
from klk_analysis.errors import UnusableInputError
from tests.workbooks import SHIPPED


@pytest.fixture(scope="module")
def data():
    return report.load("2022-03", SHIPPED)


def test_line_figures_beside_the_total(data):
    text = exploration.line_figures(data, "driftredovisning", "klk hr").html
    # KLK HR: 1,6 of Summa Kommunstyrelsen's 13,8 is 11,6 %; budget −71,6 of −461,5 is 15,5 %.
    assert "<td>1,6</td><td>13,8</td><td>11,6\u00a0%</td>" in text
    assert "<td>−71,6</td><td>−461,5</td><td>15,5\u00a0%</td>" in text


def test_a_line_of_the_resultatrakning_against_the_result(data):
    text = exploration.line_figures(data, "resultatrakning", "Kommunersättning").html
    # Avvikelse Årsprognos mars: 0,0 for the line and 3,0 for the result; budgetavvikelse 0,0.
    assert "<td>0,0</td><td>13,8</td><td>0,0\u00a0%</td>" in text


def test_unknown_line_or_table_names_the_choices(data):
    with pytest.raises(UnusableInputError, match="'KLK HR'"):
        exploration.line_figures(data, "driftredovisning", "KLK Okänd")
    with pytest.raises(UnusableInputError, match="resultatrakning, driftredovisning"):
        exploration.pick_table(data, "balansräkning")


def test_line_labels_and_whole_table(data):
    assert "<li>KLK Näringsliv</li>" in exploration.line_labels(data, "driftredovisning").html
    assert "<caption>Driftredovisning januari \u2013 mars 2022, mnkr</caption>" in (
        exploration.whole_table(data, "driftredovisning").html
    )
