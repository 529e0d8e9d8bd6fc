import datetime as dt

import pytest

from klk_analysis.periods import (
    BARE_BUDGET,
    ColumnHeader,
    Period,
    PeriodWords,
    cell_text,
    month_number,
    parse_header,
    period_words,
    unit_of_text,
)


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


# Every month, the year's edges and the invalid months, pinned one by one.

MONTHS = [
    (1, "jan", "januari"),
    (2, "feb", "februari"),
    (3, "mar", "mars"),
    (4, "apr", "april"),
    (5, "maj", "maj"),
    (6, "jun", "juni"),
    (7, "jul", "juli"),
    (8, "aug", "augusti"),
    (9, "sep", "september"),
    (10, "okt", "oktober"),
    (11, "nov", "november"),
    (12, "dec", "december"),
]


@pytest.mark.parametrize(("month", "short", "name"), MONTHS)
def test_every_month_parses_prints_and_is_named(month, short, name):
    assert Period.parse(f"2022-{month:02d}") == Period(2022, month)
    assert Period.parse(f"2022-{month}") == Period(2022, month)
    assert str(Period(2022, month)) == f"2022-{month:02d}"
    assert Period(2022, month).month_name == name
    assert month_number(short) == month
    assert month_number(name.capitalize()) == month


@pytest.mark.parametrize(("month", "short", "name"), MONTHS)
def test_every_month_in_a_header(month, short, name):
    expected = ColumnHeader("utfall", 2022, month)
    assert parse_header(f"Utfall {short.capitalize()} 2022") == expected
    assert parse_header(f"Utfall {name} 2022") == expected
    assert parse_header(f"Utfall 2022-{month:02d}") == expected
    assert parse_header(f"Utfall 2022{month:02d}") == expected
    assert parse_header(f"Utfall {month}/2022") == expected
    assert parse_header(f"Utfall 2022-{month:02d}-28") == expected
    assert parse_header(["Utfall", dt.date(2022, month, 1)]) == expected


@pytest.mark.parametrize("text", ["2022-00", "2022-0", "2022-13", "22-03", "2022-003", "2022/03"])
def test_invalid_periods_are_refused_with_the_form_to_use(text):
    with pytest.raises(ValueError) as caught:
        Period.parse(text)
    assert str(caught.value) == f"perioden {text!r} ska skrivas ÅÅÅÅ-MM, till exempel 2022-03"


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_period_with_a_month_outside_1_to_12_cannot_exist(month):
    with pytest.raises(ValueError, match=f"^månad {month} finns inte$"):
        Period(2022, month)


def test_periods_order_by_year_then_month_and_parse_with_spaces():
    assert Period.parse(" 2022-03 ") == Period(2022, 3)
    assert Period(2021, 12) < Period(2022, 1) < Period(2022, 2)


def test_month_number_of_a_non_month_is_none():
    assert month_number("foo") is None
    assert month_number("13") is None


@pytest.mark.parametrize(
    "text",
    [
        "Utfall 2022-13",
        "Utfall 2022-00",
        "Utfall 202213",
        "Utfall 202200",
        "Utfall 13/2022",
        "Utfall 0/2022",
        "Utfall 2022-13-01",
        # The years read are 1990 to 2100: outside them the number is left as a word.
        "Utfall Mar 1989",
        "Utfall Mar 2101",
    ],
)
def test_headers_with_an_impossible_month_or_year_are_not_measures(text):
    assert parse_header(text) is None


@pytest.mark.parametrize(("year", "text"), [(1990, "Utfall Mar 1990"), (2100, "Utfall Mar 2100")])
def test_the_first_and_last_year_read(year, text):
    assert parse_header(text) == ColumnHeader("utfall", year, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2022, 3, 31), "2022-03-31"),
        (dt.datetime(2022, 12, 1, 13, 5), "2022-12-01"),
        (2022, "2022"),
        (2022.0, "2022"),
        (1990, "1990"),
        (2100, "2100"),
        (1989, ""),  # not a year we read: a figure, not a header word
        (2101, ""),
        (2022.5, ""),
        (115.4, ""),
        (True, ""),
        (False, ""),
        (None, ""),
        ("Utfall", "Utfall"),
    ],
)
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Budget" alone: a month or a to-date word makes it the budget to date,
        # a year or a full-year word the annual budget, nothing at all leaves it open.
        ("Budget", ColumnHeader(BARE_BUDGET, None, None)),
        ("Budget mars", ColumnHeader("budget", None, 3)),
        ("Budget t o m mars", ColumnHeader("budget", None, 3)),
        ("Budget ack", ColumnHeader("budget", None, None)),
        ("Budget per", ColumnHeader("budget", None, None)),
        ("Budget helår", ColumnHeader("arsbudget", None, None)),
        ("Budget utfall helår", ColumnHeader("arsbudget", None, None)),
        ("Budget utfall", ColumnHeader(BARE_BUDGET, None, None)),
        ("Budget 2022", ColumnHeader("arsbudget", 2022, None)),
        ("Budget Mar 2022", ColumnHeader("budget", 2022, 3)),
        # "Utfall helår" is the year's outcome: December, with or without a year.
        ("Utfall helår", ColumnHeader("utfall", None, 12)),
        ("Utfall helår 2021", ColumnHeader("utfall", 2021, 12)),
        ("Utfall helår mars", ColumnHeader("utfall", None, 3)),
        ("Utfall per 31 augusti 2022", ColumnHeader("utfall", 2022, 8)),
        ("Utfall jan–aug 2022", ColumnHeader("utfall", 2022, 8)),
        ("Utfall fg år mars", ColumnHeader("utfall", None, 3, previous_year=True)),
        ("Avvikelse mot budget", ColumnHeader("budgetavvikelse", None, None)),
        ("Utfall Mar 2022 (tkr)", ColumnHeader("utfall", 2022, 3, "tkr")),
        ("Utfall Mar 2022 mnkr", ColumnHeader("utfall", 2022, 3, "mnkr")),
        ("Utfall Mar 2022 kronor", ColumnHeader("utfall", 2022, 3, "kr")),
        # two units: the first in the order mnkr, tkr, kr wins
        ("Utfall tkr mnkr", ColumnHeader("utfall", None, None, "mnkr")),
        ("Utfall kr tkr", ColumnHeader("utfall", None, None, "tkr")),
    ],
)
def test_budget_words_full_year_units_and_previous_year(text, expected):
    assert parse_header(text) == expected


def test_a_header_names_the_phrase_that_matched():
    assert parse_header("Avvikelse mot budget Mar 2022").phrase == "avvikelse mot budget"
    assert parse_header("Budget ack mars").phrase == "budget ack"
    assert parse_header("Budget t o m mars").phrase == "budget"


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("Avvikelse %", None, None),
        ("Utfall i % av budget mars 2022", 2022, 3),
        ("Andel mars", None, 3),
        ("Procent 2022 tkr", 2022, None),
    ],
)
def test_percentage_columns_keep_their_year_and_month(text, year, month):
    head = parse_header(text)
    assert (head.measure, head.year, head.month) == (None, year, month)
    assert head.why == "en kolumn i procent"


def test_stacked_header_cells_are_read_together():
    assert parse_header(["Utfall", None, "Mar"]) == ColumnHeader("utfall", None, 3)
    assert parse_header(("Utfall", 2022.0)) == ColumnHeader("utfall", 2022, None)
    assert parse_header(["", "  "]) is None
    assert parse_header("2022-03") is None  # no letters: a date, not a measure
    assert parse_header("   ") is None


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Belopp i tkr", "tkr"),
        ("Belopp i mnkr", "mnkr"),
        ("Belopp i kronor", "kr"),
        ("Belopp i miljoner kronor", "mnkr"),
        ("Belopp i tusen kronor", "tkr"),
        ("Tkr", "tkr"),
        ("Belopp", None),
        (None, None),
        (2022, None),
    ],
)
def test_unit_of_text(text, unit):
    assert unit_of_text(text) == unit


def test_period_words_reads_year_month_and_rest():
    words = period_words("Utfall per 31 augusti 2022")
    # "per" is a to-date word: parse_header removes it, period_words leaves it
    assert (words.year, words.month, words.to_date, words.rest) == (
        2022,
        8,
        True,
        ("utfall", "per"),
    )
    words = period_words("Utfall 2022")
    assert (words.year, words.month, words.to_date, words.rest) == (2022, None, False, ("utfall",))
    # a day is only dropped before a month word: "31" with no month stays
    assert period_words("Utfall 2022 31").rest == ("utfall", "31")
    assert period_words("Utfall 32 mars").rest == ("utfall", "32")
    assert period_words("Utfall 0 mars").rest == ("utfall", "0")
    assert period_words("Utfall 1 mars").rest == ("utfall",)
    # a no-break space and a true minus read as a space and a hyphen
    words = period_words("Utfall\u00a02022\u221203")
    assert (words.year, words.month, words.rest) == (2022, 3, ("utfall",))
    assert period_words("Utfall fg år").previous_year
    assert not period_words("Utfall").previous_year


def test_longer_phrases_are_removed_before_the_words_inside_them():
    # "i fjol" is removed whole; removing "fjol" first would leave "utfall i", no measure.
    assert parse_header("Utfall i fjol") == ColumnHeader("utfall", None, None, previous_year=True)
    assert parse_header("Utfall föregående år mars") == ColumnHeader(
        "utfall", None, 3, previous_year=True
    )


@pytest.mark.parametrize(
    ("text", "measure", "phrase"),
    [
        # Each step removes one kind of word and looks again: fillers, to-date words, full-year
        # words. The phrase that matched says at which step.
        ("Avvikelse jmf budget", "budgetavvikelse", "avvikelse budget"),  # fillers
        ("Budget jmf ack", "budget", "budget ack"),  # fillers: "budget ack" is a measure
        ("Utfall t o m mars", "utfall", "utfall"),  # to-date words
        # to-date words: "budget helår" is the annual budget, found before "helår" is removed
        # (removed, "budget" with a to-date word would be the budget to date)
        ("Budget helår ack", "arsbudget", "budget helår"),
        ("Prognos helår 2022", "arsprognos", "prognos helår"),
    ],
)
def test_filler_to_date_and_full_year_words_are_removed_in_that_order(text, measure, phrase):
    head = parse_header(text)
    assert (head.measure, head.phrase) == (measure, phrase)


def test_a_percent_sign_anywhere_marks_a_percentage_column_and_keeps_its_unit():
    assert parse_header("Avv%").why == "en kolumn i procent"
    assert parse_header("Avvikelse % tkr") == ColumnHeader(None, None, None, "tkr")
    assert parse_header("Avvikelse % tkr").unit == "tkr"
    # no letters: not a header at all, percent sign or not
    assert parse_header("%") is None
    assert parse_header("12 %") is None


def test_the_header_reader_uses_the_vocabulary_it_is_given():
    from klk_analysis.vocabulary import Vocabulary, load

    words = load().lists
    months = {**words["months"], "3": (*words["months"]["3"], "tremanad")}
    previous = {**words["periods"], "previous_year": ("aret innan",)}
    vocabulary = Vocabulary({**words, "months": months, "periods": previous})
    head = parse_header("Utfall tremanad aret innan", vocabulary)
    assert head == ColumnHeader("utfall", None, 3, previous_year=True)
    assert parse_header("Utfall tremanad") is None  # not a month in the packaged words
    assert month_number("tremanad", vocabulary) == 3


@pytest.mark.parametrize(
    "text", ["Utfall 2022-03", "Utfall 202203", "Utfall 3/2022", "Utfall 2022-03-31"]
)
def test_a_numeric_month_is_a_period_to_date(text):
    words = period_words(text)
    assert (words.year, words.month, words.to_date, words.full_year) == (2022, 3, True, False)
    assert words.rest == ("utfall",)


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("Utfall 2023-01--2023-08", 2023, 8),  # a range of ISO months: its end is the period
        ("Utfall 2023-01 \u2013 2023-08", 2023, 8),  # an en dash with spaces
        ("Utfall 2022-01--2022-12", 2022, 12),  # the year-end period
        ("Utfall 2022-01--2022-01", 2022, 1),  # January alone
    ],
)
def test_an_iso_range_ends_in_its_period(text, year, month):
    assert period_words(text) == PeriodWords(year, month, True, False, False, ("utfall",))


def test_an_iso_range_with_no_such_month_or_year_is_not_a_period():
    # Month 13 is no month: the year it names is still read, as from "Utfall 2022".
    words = period_words("Utfall 2022-01--2022-13")
    assert (words.year, words.month, words.to_date) == (2022, None, False)
    # 1980 is outside the years read (1990–2100): neither a year nor a month.
    words = period_words("Utfall 1980-01--1980-08")
    assert (words.year, words.month, words.to_date) == (None, None, False)


def test_a_finance_systems_period_number():
    assert period_words("Utfall 2023 P08") == PeriodWords(2023, 8, True, False, False, ("utfall",))
    assert period_words("Utfall P12").month == 12
    assert period_words("Utfall P13").month is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Budget FY23", 2023),
        ("Budget FY 2023", 2023),
        ("Budget FY2023", 2023),
        ("Budget FY99", 2099),
    ],
)
def test_a_fiscal_year_is_read_and_fy_still_says_the_whole_year(text, year):
    # "fy" stays among the words: parse_header reads it as a full-year word (årsbudget).
    assert period_words(text) == PeriodWords(year, None, False, False, False, ("budget", "fy"))
    assert parse_header(text).measure == "arsbudget"


@pytest.mark.parametrize(
    ("text", "year", "rest"),
    [
        ("Årsbudget -23", 2023, ("årsbudget",)),
        ("Budget 10", 2010, ("budget",)),  # the smallest two-digit year read
        ("Budget 99", 2099, ("budget",)),
        ("Budget 09", None, ("budget", "09")),  # not a year: below 10
        ("Budget 23 24", None, ("budget", "23", "24")),  # two candidates: neither is the year
    ],
)
def test_a_two_digit_year_where_no_month_is_named(text, year, rest):
    words = period_words(text)
    assert (words.year, words.month, words.rest) == (year, None, rest)


def test_a_two_digit_year_after_a_month_but_a_day_before_it_is_no_year():
    assert (period_words("Utfall aug -23").year, period_words("Utfall aug -23").month) == (2023, 8)
    assert period_words("Utfall aug 23").year == 2023
    # "15 augusti": a day before the month, not the year 2015.
    words = period_words("Utfall 15 augusti")
    assert (words.year, words.month, words.rest) == (None, 8, ("utfall",))
    words = period_words("15 augusti")  # the day first: nothing before it is a month
    assert (words.year, words.month, words.rest) == (None, 8, ())


@pytest.mark.parametrize("header", ["Helår Avvikelse", ["Helår 2023", "Avvikelse"]])
def test_a_deviation_under_the_full_year_is_the_forecasts_deviation(header):
    assert parse_header(header).measure == "avvikelse_arsprognos"
    assert parse_header("Avvikelse").measure == "budgetavvikelse"
