"""The words readers see for the package's own names come from one file, wording.toml."""

import pytest

from klk_analysis import exploration, readout, report, sheets, wording
from klk_analysis.loading import load_workbook
from tests.workbooks import SHIPPED


@pytest.fixture(scope="module")
def data():
    return report.load("2022-03", SHIPPED)


def test_every_table_has_a_name_and_a_name_inside_a_sentence():
    assert set(wording.TABLE_NAMES) == set(sheets.TABLE_NAMES)
    assert wording.TABLE_NAMES["driftredovisning"] == "Driftredovisning"
    assert wording.in_sentence("resultatrakning") == "resultaträkningen"
    assert wording.in_sentence("driftredovisning") == "driftredovisningen"


def test_every_row_kind_has_one_word_in_the_readout_and_the_exploration(data):
    assert set(wording.ROW_KINDS) == {"line", "sum", "total", "result", "varav", "heading"}
    read = readout.describe_table(load_workbook(SHIPPED).driftredovisning)
    by_label = {r["text"]: r["typ"] for r in read["rader"]}
    frame = exploration.table_frame(data, "driftredovisning")
    shown = dict(zip(frame["Rad"], frame["Typ"], strict=True))
    # The source document's driftredovisning: units, then "Summa Kommunstyrelsen" as its total.
    assert by_label["KLK HR"] == shown["KLK HR"] == "rad"
    assert by_label["Summa Kommunstyrelsen"] == shown["Summa Kommunstyrelsen"] == "totalsumma"
    rr = exploration.table_frame(data, "resultatrakning").set_index("Rad")["Typ"]
    assert rr["Summa KOSTNADER"] == "summa" and rr["Summa ÅRETS RESULTAT"] == "resultat"


def test_a_forecast_below_its_projections_is_called_the_worse():
    assert wording.FLAG_WORDS == {
        "under": "Sämre än beräkningarna",
        "över": "Bättre än beräkningarna",
        "": "",
    }


def test_measures_and_severities_in_swedish():
    assert wording.MEASURE_NAMES["avvikelse_arsprognos"] == "avvikelse årsprognos"
    assert wording.SEVERITY == {"error": "FEL", "warning": "VARNING", "info": "INFO"}
    assert wording.SEVERITY_IN_REPORT["info"] == "Avrundning"  # a note is a rounding gap
