import datetime as dt

import pytest

from klk_analysis.errors import Described, UnusableInputError, cell_error, describe_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "en tom cell"),
        ("ca 29", "'ca 29'"),
        ("   ", "en cell med bara mellanslag"),
        ("rad 1\nrad\u00a02", "'rad 1 rad 2'"),
        (True, "sanningsvärdet SANT"),
        (False, "sanningsvärdet FALSKT"),
        (12, "talet 12"),
        (-1301.25, "talet \u22121\u00a0301,25"),
        (0.019, "talet 0,019"),
        (1e27, "ett orimligt stort tal (1,0e+27)"),
        (float("nan"), "ett ogiltigt tal"),
        (dt.datetime(2022, 3, 31, 0, 0), "datumet 2022-03-31"),
        (dt.time(8, 5), "klockslaget 08:05"),
        (Described("en formel utan sparat värde"), "en formel utan sparat värde"),
    ],
)
def test_what_a_cell_holds_is_said_in_swedish(value, expected):
    assert describe_value(value) == expected


def test_long_texts_are_cut():
    shown = describe_value("x" * 100)
    assert shown == "'" + "x" * 59 + "…'"


def test_cell_error_names_file_sheet_cell_found_and_expected():
    error = cell_error("a.xlsx", "Resultaträkning", "D7", None, "ett belopp")
    assert isinstance(error, UnusableInputError)
    assert str(error) == (
        "a.xlsx, blad 'Resultaträkning', cell D7: hittade en tom cell, förväntade ett belopp."
    )


def test_cell_error_adds_the_reason_as_a_sentence():
    error = cell_error("a.xlsx", "Blad1", "C6", "1.301", "ett belopp", "Skriv 1 301.")
    assert str(error).endswith("hittade '1.301', förväntade ett belopp. Skriv 1 301.")
