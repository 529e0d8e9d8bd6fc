import pytest

from klk_analysis.errors import UnusableInputError
from klk_analysis.forecasts import projections
from klk_analysis.history import MONTH_HEADERS, read_history
from klk_analysis.loading import load_workbook, tidy
from tests.workbooks import DR_HEADER, DR_ROWS, RR_HEADER, RR_ROWS, make_workbook, sheet

HEADER = ["Rad", "År", *MONTH_HEADERS]


def months(**values):
    """A row's twelve month cells, empty except the months given (jan=..., dec=...)."""
    return [values.get(m.casefold()) for m in MONTH_HEADERS]


def book(tmp_path, history_rows, header=HEADER, unit="Belopp i mnkr", name="Historik"):
    return make_workbook(
        tmp_path / "bok.xlsx",
        {
            "Resultaträkning": sheet("Resultaträkning", RR_HEADER, RR_ROWS),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, DR_ROWS),
            name: [["Utfall tidigare år, ackumulerat"], [unit], [], header, *history_rows],
        },
    )


def test_reads_cumulative_outcomes_by_year_and_month(tmp_path):
    path = book(
        tmp_path,
        [
            ["Personalkostnader", 2021, *months(mar=-28.8, aug="−75,0", dec="-115,2")],
            ["Personalkostnader", 2020, *months(mar=-27.0, dec=-120.0)],
            ["* kontrollrad", 2021, *months(dec=1.0)],
            ["Fotnot: beloppen är ackumulerade"],
            ["KLK HR", "2021", *months(mar=-16.0, dec=-70.0)],
        ],
    )
    got = read_history(path)
    assert len(got) == 2 + 3 + 2
    staff = got[got["key"] == "personalkostnader"].set_index(["year", "month"])["amount_mnkr"]
    assert staff[2021, 8] == pytest.approx(-75.0)
    assert staff[2020, 12] == pytest.approx(-120.0)
    assert set(got[got["key"] == "klk hr"]["year"]) == {2021}
    assert got.set_index(["key", "year", "month"]).loc[("personalkostnader", 2021, 3), "cell"] == (
        "E5"
    )


def test_history_feeds_last_years_profile(tmp_path):
    path = book(tmp_path, [["Summa ÅRETS RESULTAT", 2021, *months(mar=12.5, dec=25.0)]])
    got = projections(tidy(load_workbook(path)), history=read_history(path)).set_index("label")
    assert got.loc["Summa ÅRETS RESULTAT", "last_year_profile"] == pytest.approx(24.2)  # 12,1/0,5


def test_tkr_are_converted(tmp_path):
    path = book(tmp_path, [["KLK HR", 2021, *months(dec=-70000)]], unit="Belopp i tkr")
    assert read_history(path)["amount_mnkr"].tolist() == [pytest.approx(-70.0)]


def test_english_month_headers_and_only_some_months(tmp_path):
    header = ["Enhet", "Year", "March", "August", "December"]
    path = book(tmp_path, [["KLK HR", 2021, -16.0, None, -70.0]], header=header)
    got = read_history(path)
    assert got["month"].tolist() == [3, 12]


def test_workbook_without_history_gives_an_empty_history(tmp_path):
    path = make_workbook(
        tmp_path / "bok.xlsx",
        {
            "Resultaträkning": sheet("Resultaträkning", RR_HEADER, RR_ROWS),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, DR_ROWS),
        },
    )
    got = read_history(path)
    assert got.empty
    assert list(got.columns) == ["key", "label", "year", "month", "amount_mnkr", "cell"]


def test_text_where_an_amount_belongs_names_the_cell(tmp_path):
    path = book(tmp_path, [["KLK HR", 2021, *months(mar="okänt")]])
    with pytest.raises(UnusableInputError, match=r"blad 'Historik', cell E5: hittade 'okänt'"):
        read_history(path)


def test_a_missing_year_names_the_cell(tmp_path):
    path = book(tmp_path, [["KLK HR", "förra året", *months(dec=-70.0)]])
    with pytest.raises(UnusableInputError, match=r"cell B5: .*förväntade ett årtal"):
        read_history(path)


def test_the_same_row_and_year_twice_is_refused(tmp_path):
    path = book(
        tmp_path,
        [["KLK HR", 2021, *months(dec=-70.0)], ["- KLK HR", 2021, *months(dec=-71.0)]],
    )
    with pytest.raises(UnusableInputError, match=r"'- KLK HR' för 2021 finns två gånger, rad 5"):
        read_history(path)


def test_a_sheet_without_header_is_refused(tmp_path):
    path = book(tmp_path, [["KLK HR", 2021, -70.0]], header=["Rad", "Belopp"])
    with pytest.raises(UnusableInputError, match="hittade ingen rubrikrad"):
        read_history(path)


def test_an_ambiguous_thousands_dot_gets_the_parsers_advice(tmp_path):
    path = book(tmp_path, [["KLK HR", 2021, *months(mar="1.301")]])
    with pytest.raises(UnusableInputError, match=r"cell E5: .*skriv 1 301 .* eller 1,301"):
        read_history(path)
