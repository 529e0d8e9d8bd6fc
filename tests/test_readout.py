"""`klk check --visa`: how a workbook was read, column by column and row by row."""

import json

import pytest

from klk_analysis.cli import main
from klk_analysis.loading import load_workbook
from klk_analysis.readout import describe, describe_text
from tests.workbooks import SHIPPED, make_workbook


def _grouped_tkr(path):
    # Qlik export: code column, tkr in the label header, a heading, a group with a subtotal.
    header = ["Ansvar", "Tkr", "Utfall jan-aug 2023", "Budget jan-aug 2023", "Avvikelse %"]
    rr = [
        ["Resultaträkning"],
        ["", "Tkr", "Utfall jan-aug 2023", "Budget jan-aug 2023", "Avvikelse"],
        ["", "Verksamhetens intäkter", 1000, 900, 100],
        ["", "Verksamhetens kostnader", -3000, -3000, None],
        ["", "Verksamhetens nettokostnad", -2000, -2100, 100],
        ["", "Kommunbidrag", 2100, 2100, 0],
        ["", "Årets resultat", 100, 0, 100],
    ]
    dr = [
        ["Driftredovisning, Tekniska nämnden"],
        header,
        [None, "Gata", None, None, None],
        [4100, "Gata norr", -1200, -1250, 4.0],
        [4200, "Gata söder", -800, -850, 5.9],
        [None, "Summa Gata", -2000, -2100, 4.8],
        [None, "Totalt", -2000, -2100, 4.8],
    ]
    return make_workbook(path, {"RR": rr, "Drift": dr})


def test_describe_names_every_column_unit_board_and_row(tmp_path):
    wb = load_workbook(_grouped_tkr(tmp_path / "a.xlsx"))
    d = describe(wb)
    assert d["nämnd"] == "Tekniska nämnden"
    assert d["nämnd_från"] == "rubriken i cell A1 på bladet 'Drift'"
    assert d["period"] == "2023-08"
    rr, dr = d["tabeller"]
    assert (rr["blad"], rr["enhet"], rr["rubrikrader"]) == ("RR", "tkr", [2])
    assert rr["enhet_från"] == "cell B2 ('Tkr')"
    assert dr["kodkolumn"] == "Ansvar"
    by_letter = {c["kolumn"]: c["läst_som"] for c in dr["kolumner"]}
    assert by_letter["C"] == "utfall" and by_letter["D"] == "budget för perioden"
    assert by_letter["E"] == "ignorerad: en kolumn i procent"
    computed = [c for c in dr["kolumner"] if c.get("beräknad")]
    assert [c["läst_som"] for c in computed] == ["budgetavvikelse"]
    rows = {r["text"]: (r["typ"], r["grupp"], r["kod"]) for r in dr["rader"]}
    assert rows["Gata"] == ("grupprubrik", "", "")
    assert rows["Gata norr"] == ("rad", "Gata", "4100")
    assert rows["Summa Gata"] == ("summa", "", "")
    assert rows["Totalt"] == ("totalsumma", "", "")
    # the blank budget deviation on Verksamhetens kostnader reads as 0 with a note
    assert wb.resultatrakning.rows["budgetavvikelse_2023"].iloc[1] == 0.0
    assert [f.cell for f in wb.notes if f.check == "tomma_celler"] == ["E4"]


def test_describe_text_is_a_table_a_person_can_read():
    text = describe_text(load_workbook(SHIPPED))
    assert "Nämnd: Kommunstyrelsen (från summaraden 'Summa Kommunstyrelsen'" in text
    assert "Period: 2022-03 (från kolumnrubrikerna)" in text
    assert "enhet mnkr (från cell A2 ('Belopp i mnkr'))" in text
    assert "Årsbudget 2022 (beräknad)" in text
    assert "Summa ÅRETS RESULTAT" in text and "resultat" in text


def test_check_visa_prints_the_reading_before_the_findings(capsys):
    assert main(["check", "--visa", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert out.index("Kolumn  Rubrik") < out.index("0 fel")
    assert "KLK Ekonomi och kvalitet" in out


def test_check_visa_json_holds_the_same(capsys):
    assert main(["check", "--visa", "--json", str(SHIPPED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["läsning"]["nämnd"] == "Kommunstyrelsen"
    assert len(data["läsning"]["tabeller"][1]["rader"]) == 9


def test_check_with_a_missing_vocabulary_file_exits_2(tmp_path, capsys):
    assert main(["check", "--vocabulary", str(tmp_path / "nej.toml"), str(SHIPPED)]) == 2
    assert "ordlistan finns inte" in capsys.readouterr().err


def test_unreadable_headers_list_the_candidate_rows_and_the_vocabulary(tmp_path, capsys):
    rr = [["Resultaträkning"], ["Konto", "Nettokostnad ack", "Plan ack"], ["Intäkter", 1, 2]]
    path = make_workbook(tmp_path / "a.xlsx", {"Resultaträkning": rr})
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "blad 'Resultaträkning': hittade ingen rubrikrad" in err
    assert "'Nettokostnad ack'" in err and "'Plan ack'" in err
    assert "vocabulary.toml" in err and "klk.toml" in err


@pytest.mark.parametrize("encoding", ["utf-8"])
def test_visa_text_has_no_internal_names(encoding):
    text = describe_text(load_workbook(SHIPPED))
    for internal in ("arsprognos", "avvikelse_arsprognos", "budgetavvikelse_2022"):
        assert internal not in text
