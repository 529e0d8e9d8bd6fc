"""Report periods and the column headers that name them ("Utfall Mar 2022", "Årsprognos mars")."""

import re
from dataclasses import dataclass

# Month words in Swedish and English, full and abbreviated, as finance systems print them.
_MONTH_WORDS = {
    1: ("jan", "januari", "january"),
    2: ("feb", "februari", "february"),
    3: ("mar", "mars", "march"),
    4: ("apr", "april"),
    5: ("maj", "may"),
    6: ("jun", "juni", "june"),
    7: ("jul", "juli", "july"),
    8: ("aug", "augusti", "august"),
    9: ("sep", "sept", "september"),
    10: ("okt", "oct", "oktober", "october"),
    11: ("nov", "november"),
    12: ("dec", "december"),
}
MONTHS = {word: number for number, words in _MONTH_WORDS.items() for word in words}

MONTH_NAMES_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


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


def month_number(word: str) -> int | None:
    """Return the month a Swedish or English month word names, or None."""
    return MONTHS.get(word.strip().rstrip(".").casefold())


@dataclass(frozen=True)
class ColumnHeader:
    """What a column header says: the measure, and the year and month it refers to."""

    measure: str
    year: int | None
    month: int | None


_MEASURE_WORDS = (
    # Longest first: "Avvikelse årsprognos" must not be read as "årsprognos".
    ("avvikelse_arsprognos", r"(?:avvikelse\s+(?:års|helårs)prognos|prognosavvikelse)"),
    ("budgetavvikelse", r"(?:budgetavvikelse|avvikelse\s+(?:mot\s+)?budget)"),
    ("arsprognos", r"(?:års|helårs)prognos"),
    ("arsbudget", r"årsbudget"),
    ("utfall", r"utfall"),
    ("budget", r"budget"),
)
_TAIL = re.compile(r"^(?:(?P<mon>[a-zåäö]+)\.?)?\s*(?P<year>\d{4})?$")


def parse_header(text: object) -> ColumnHeader | None:
    """Read a measure column header, or return None when the text is not one."""
    if not isinstance(text, str):
        return None
    words = " ".join(text.replace("\u00a0", " ").split()).casefold()
    for measure, pattern in _MEASURE_WORDS:
        match = re.fullmatch(pattern + r"\s*(?P<tail>.*)", words)
        if match is None:
            continue
        tail = _TAIL.match(match["tail"])
        if tail is None:
            return None
        month = month_number(tail["mon"]) if tail["mon"] else None
        if tail["mon"] and month is None:
            return None
        year = int(tail["year"]) if tail["year"] else None
        if measure == "budget" and month is None:
            # "Budget 2022" is the annual budget; "Budget Mar 2022" the budget to date.
            measure = "arsbudget"
        return ColumnHeader(measure, year, month)
    return None
