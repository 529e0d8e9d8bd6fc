import pytest

from klk_analysis.periods import ColumnHeader, Period, parse_header


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Utfall Mar 2022", ColumnHeader("utfall", 2022, 3)),
        ("Utfall Aug 2023", ColumnHeader("utfall", 2023, 8)),
        ("utfall  okt.  2021", ColumnHeader("utfall", 2021, 10)),
        ("Budget Mar 2022", ColumnHeader("budget", 2022, 3)),
        ("Budget 2022", ColumnHeader("arsbudget", 2022, None)),
        ("Årsbudget 2024", ColumnHeader("arsbudget", 2024, None)),
        ("Budgetavvikelse Dec 2021", ColumnHeader("budgetavvikelse", 2021, 12)),
        ("Årsprognos mars", ColumnHeader("arsprognos", None, 3)),
        ("Årsprognos augusti", ColumnHeader("arsprognos", None, 8)),
        ("Helårsprognos Aug 2023", ColumnHeader("arsprognos", 2023, 8)),
        ("Avvikelse Årsprognos mars", ColumnHeader("avvikelse_arsprognos", None, 3)),
        ("Prognosavvikelse", ColumnHeader("avvikelse_arsprognos", None, None)),
        ("Utfall May 2022", ColumnHeader("utfall", 2022, 5)),
    ],
)
def test_headers_name_measure_and_period(text, expected):
    assert parse_header(text) == expected


@pytest.mark.parametrize("text", ["Konto", "Kommentar", "Utfall Foo 2022", None, 2022, ""])
def test_other_headers_are_not_measures(text):
    assert parse_header(text) is None


def test_period_parse_and_names():
    assert Period.parse("2022-03") == Period(2022, 3)
    assert str(Period(2023, 8)) == "2023-08"
    assert Period(2021, 12).month_name == "december"
    with pytest.raises(ValueError, match="ÅÅÅÅ-MM"):
        Period.parse("2022-13")
