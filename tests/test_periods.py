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


@pytest.mark.parametrize(
    ("text", "measure", "year", "month"),
    [
        # dialects of finance systems and economists, each read by hand
        ("Ack utfall 2023-08", "utfall", 2023, 8),
        ("Utfall jan–aug 2023", "utfall", 2023, 8),
        ("Utfall 2023-01-01 - 2023-08-31", "utfall", 2023, 8),
        ("Periodbudget 202203", "budget", 2022, 3),
        ("Budget t.o.m. mars", "budget", None, 3),
        ("Budget helår", "arsbudget", None, None),
        ("Budget 2023 helår", "arsbudget", 2023, None),
        ("Avv. budget", "budgetavvikelse", None, None),
        ("Avvikelse mot budget", "budgetavvikelse", None, None),
        ("Avvikelse budget/utfall", "budgetavvikelse", None, None),
        ("Prognos aug 2023", "arsprognos", 2023, 8),
        ("Helårsprognos T2", "arsprognos", None, 8),
        ("Avvikelse helårsprognos jmf helårsbudget", "avvikelse_arsprognos", None, None),
        ("Forecast variance", "avvikelse_arsprognos", None, None),
        ("YTD Actual", "utfall", None, None),
        ("Full Year Budget", "arsbudget", None, None),
        ("Utfall per 31 augusti 2023", "utfall", 2023, 8),
        ("Utfall 31.08.2023", "utfall", 2023, 8),
        ("Utfall t.o.m. 31/8", "utfall", None, 8),
        ("Ack. utfall aug -23", "utfall", 2023, 8),
        ("Budget Q1 2022", "budget", 2022, 3),
        ("Bokfört kv2 2023", "utfall", 2023, 6),
    ],
)
def test_real_header_dialects(text, measure, year, month):
    head = parse_header(text)
    assert (head.measure, head.year, head.month) == (measure, year, month)


def test_two_row_header_cells_combine():
    import datetime as dt

    assert parse_header(["Utfall", dt.datetime(2022, 3, 31)]) == ColumnHeader("utfall", 2022, 3)
    assert parse_header(["Budget", 2022]) == ColumnHeader("arsbudget", 2022, None)
    assert parse_header(["jan–aug 2023", "Budget"]) == ColumnHeader("budget", 2023, 8)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Utfall tkr", "tkr"),
        ("Årsbudget 2023 (tkr)", "tkr"),
        ("Utfall, kr", "kr"),
        ("Utfall mnkr", "mnkr"),
    ],
)
def test_unit_in_the_header_text(text, unit):
    assert parse_header(text).unit == unit


@pytest.mark.parametrize("text", ["Avvikelse %", "Utfall i % av budget", "Andel av budget"])
def test_percentage_columns_are_recognised_and_not_read(text):
    head = parse_header(text)
    assert head is None or (head.measure is None and "procent" in head.why)


@pytest.mark.parametrize("text", ["Underliggande enheter", "Konto", "Kommentar", "Prognos 2 2023"])
def test_other_texts_are_not_measures(text):
    assert parse_header(text) is None
