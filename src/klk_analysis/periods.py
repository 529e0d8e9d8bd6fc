"""Report periods and the column headers that name them ("Utfall Mar 2022", "Årsprognos mars")."""

import datetime as dt
import re
from dataclasses import dataclass, field

from klk_analysis.formatting import MONTH_NAMES_SV
from klk_analysis.vocabulary import Vocabulary, normalise
from klk_analysis.vocabulary import load as load_vocabulary


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: the year and the last month of the year to date."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"månad {self.month} finns inte")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Read a period written as YYYY-MM."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(text))
        if match is None or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"perioden {text!r} ska skrivas ÅÅÅÅ-MM, till exempel 2022-03")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def month_name(self) -> str:
        """The Swedish name of the period's last month, in lower case."""
        return MONTH_NAMES_SV[self.month - 1]


def month_number(word: str, vocabulary: Vocabulary | None = None) -> int | None:
    """Return the month a Swedish or English month word names, or None."""
    name = (vocabulary or load_vocabulary()).lookup("months", word)
    return int(name) if name is not None else None


# Measures that describe the whole year; the others run from January to the period's month.
FULL_YEAR_MEASURES = ("arsbudget", "arsprognos", "avvikelse_arsprognos")
# "Budget" with nothing that says which: resolved per table (budget to date unless another is).
BARE_BUDGET = "budget?"

_YEARS = range(1990, 2101)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})(?![\d-])")
_COMPACT = re.compile(r"(?<!\d)(\d{4})(0[1-9]|1[0-2])(?!\d)")
_SLASH_MONTH = re.compile(r"(?<!\d)(0?[1-9]|1[0-2])/(\d{4})(?!\d)")
# 31.08.2023 and 31/8 2023 (day, month, year), and 31/8 (day and month) as Swedes write dates
_DAY_MONTH_YEAR = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./ ](\d{4})(?!\d)")
_ISO_RANGE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})\s*-{1,2}\s*(\d{4})-(\d{1,2})(?![\d-])")
# "2023 P08", "P8": a finance system's period number
_PERIOD_NUMBER = re.compile(r"(?<![a-zåäö\d])p(0?[1-9]|1[0-2])(?!\d)")
# "FY23", "FY 2023", "FY2023": the fiscal (calendar) year
_FISCAL_YEAR = re.compile(r"(?<![a-zåäö])fy\s?(\d{4}|\d{2})(?!\d)")
_DAY_MONTH = re.compile(r"(?<![\d/])([0-3]?\d)/(0?[1-9]|1[0-2])(?![\d/])")


@dataclass(frozen=True)
class PeriodWords:
    """What a text says about time: a year, the last month, whether it is to date or the year."""

    year: int | None = None
    month: int | None = None
    to_date: bool = False
    full_year: bool = False
    previous_year: bool = False
    rest: tuple[str, ...] = ()


def _remove_phrases(tokens: list[str], phrases) -> tuple[list[str], bool]:
    found = False
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        words = phrase.split()
        n = len(words)
        i = 0
        while i + n <= len(tokens):
            if tokens[i : i + n] == words:
                tokens = tokens[:i] + tokens[i + n :]
                found = True
            else:
                i += 1
    return tokens, found


def cell_text(value: object) -> str:
    """Return a header cell's value as text: a date as 2022-03-31, a year as 2022."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float) and float(value).is_integer() and int(value) in _YEARS:
        return str(int(value))
    if isinstance(value, int | float):
        return ""
    return str(value)


def period_words(text: str, vocabulary: Vocabulary | None = None) -> PeriodWords:
    """Read the year, month and period words of a text; return the words left over."""
    vocabulary = vocabulary or load_vocabulary()
    raw = str(text).replace("\u00a0", " ").casefold()
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
        raw = raw.replace(dash, "-")
    year = month = None
    to_date = False
    found: list[tuple[int, int | None, int]] = []  # (year, month, position) of each date form
    # A range of ISO months first ("2023-01--2023-08"): its end is the period.
    for match in _ISO_RANGE.finditer(raw):
        if int(match[3]) in _YEARS and 1 <= int(match[4]) <= 12:
            found.append((int(match[3]), int(match[4]), match.start()))
            raw = raw.replace(match[0], " ")
    forms = (
        (_ISO_DATE, 1, 2),
        (_ISO_MONTH, 1, 2),
        (_COMPACT, 1, 2),
        (_DAY_MONTH_YEAR, 3, 2),
        (_SLASH_MONTH, 2, 1),
        (_DAY_MONTH, None, 2),
        (_PERIOD_NUMBER, None, 1),
    )
    for pattern, y, m in forms:
        for match in pattern.finditer(raw):
            month_found = int(match[m])
            year_found = int(match[y]) if y else None
            if 1 <= month_found <= 12 and (year_found is None or year_found in _YEARS):
                found.append((year_found, month_found, match.start()))
                raw = raw.replace(match[0], " ")
    if found:
        # the latest date a header names is its period's end ("1/1–31/8 2023" is August)
        years = [y for y, _, _ in found if y is not None]
        year = max(years) if years else None
        month, to_date = max(m for y, m, _ in found if y in (None, year)), True
    fiscal = _FISCAL_YEAR.search(raw)
    if fiscal:
        digits = fiscal[1]
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        raw = raw.replace(fiscal[0], " fy ")  # the year is read; "fy" still says the whole year
    tokens = normalise(raw).split()
    tokens, previous = _remove_phrases(tokens, vocabulary.words("periods", "previous_year"))
    rest = []
    months = []
    after_month = False
    for token in tokens:
        number = vocabulary.lookup("months", token)
        if number is not None:
            months.append(int(number))
        elif token.isdigit() and len(token) == 4 and int(token) in _YEARS:
            year = int(token)
        elif after_month and token.isdigit() and len(token) == 2 and year is None:
            year = 2000 + int(token)  # "aug -23", "aug 23": a two-digit year after the month
        else:
            rest.append(token)
        after_month = number is not None
    if months:
        month, to_date = months[-1], True  # "jan–aug" ends in August
        # a day before a month word: "per 31 augusti"
        rest = [t for t in rest if not (t.isdigit() and 1 <= int(t) <= 31)]
    elif year is None:
        # "Budget 23", "Årsbudget -23": a two-digit year where no month is named
        short = [t for t in rest if t.isdigit() and len(t) == 2 and 10 <= int(t) <= 99]
        if len(short) == 1:
            year = 2000 + int(short[0])
            rest.remove(short[0])
    return PeriodWords(year, month, to_date, False, previous, tuple(rest))


@dataclass(frozen=True)
class ColumnHeader:
    """What a column header says: the measure, and the year and month it refers to.

    `measure` is None for a column that is recognised but not read (a percentage); `why` says
    why in Swedish, for `klk check --visa`. `phrase` is the vocabulary phrase that matched.
    """

    measure: str | None
    year: int | None
    month: int | None
    unit: str | None = None
    previous_year: bool = False
    why: str = field(default="", compare=False)
    phrase: str = field(default="", compare=False)


def _unit_in(tokens: list[str], vocabulary: Vocabulary) -> tuple[list[str], str | None]:
    unit = None
    for name in ("mnkr", "tkr", "kr"):
        tokens, found = _remove_phrases(tokens, vocabulary.words("units", name))
        if found and unit is None:
            unit = name
    return tokens, unit


def parse_header(value: object, vocabulary: Vocabulary | None = None) -> ColumnHeader | None:
    """Read a measure column header (text, or texts of stacked cells), or None if it is not one."""
    vocabulary = vocabulary or load_vocabulary()
    parts = value if isinstance(value, list | tuple) else [value]
    text = " ".join(t for t in (cell_text(p) for p in parts) if t.strip())
    if not text.strip() or not any(c.isalpha() for c in text):
        return None
    words = period_words(text, vocabulary)
    tokens, unit = _unit_in(list(words.rest), vocabulary)
    percent_words = vocabulary.words("measure_words", "percent")
    if "%" in text or any(t in percent_words for t in tokens):
        return ColumnHeader(None, words.year, words.month, unit, why="en kolumn i procent")
    to_date, full_year = words.to_date, False
    phrase = " ".join(tokens)
    measure = vocabulary.lookup("measures", phrase)
    # Words dropped one kind at a time until the rest is a measure: fillers ("mot", "jmf"),
    # then words for the period to date ("ack", "t.o.m."), then words for the whole year.
    for kind in (("measure_words", "fillers"), ("periods", "to_date"), ("periods", "full_year")):
        if measure is not None:
            break
        tokens, found = _remove_phrases(tokens, vocabulary.words(*kind))
        to_date |= found and kind[1] == "to_date"
        full_year |= found and kind[1] == "full_year"
        phrase = " ".join(tokens)
        measure = vocabulary.lookup("measures", phrase)
    if measure is None and phrase in vocabulary.words("measure_words", "ambiguous_budget"):
        if words.month is not None or to_date:
            measure = "budget"
        elif full_year or words.year is not None:
            # "Budget 2022" is the annual budget; "Budget Mar 2022" the budget to date.
            measure = "arsbudget"
        else:
            measure = BARE_BUDGET
    if measure is None:
        return None
    if measure == "budgetavvikelse" and full_year:
        # "Helår Avvikelse", "Avvikelse" under "Helår 2023": the year's forecast deviation
        measure = "avvikelse_arsprognos"
    month = words.month
    if measure == "utfall" and full_year and month is None:
        month = 12
    return ColumnHeader(measure, words.year, month, unit, words.previous_year, phrase=phrase)


def unit_of_text(text: object, vocabulary: Vocabulary | None = None) -> str | None:
    """Return the unit a text names ('mnkr', 'tkr' or 'kr'), or None."""
    vocabulary = vocabulary or load_vocabulary()
    return _unit_in(normalise(cell_text(text)).split(), vocabulary)[1]
