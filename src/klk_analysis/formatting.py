"""Swedish formats: numbers (decimal comma, no-break space between thousands, a true minus
sign), counts in words, lists, quotes, months and periods, durations, a board's genitive.

Every text a reader sees that is made from a number, a date or a name is formatted here.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # periods imports this module: the type is for readers and checkers only
    from klk_analysis.periods import Period

MINUS = "\u2212"
NBSP = "\u00a0"


def rounded(value: float, decimals: int = 1) -> Decimal:
    """Round half away from zero on the decimal digits shown, as Excel and economists do."""
    exponent = Decimal(1).scaleb(-decimals)
    result = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
    return result + 0  # turns -0.0 into 0.0


def number(value: float, decimals: int = 1, sign: bool = False, minus: str = MINUS) -> str:
    """Format a number the Swedish way: 1 301,9 and −1,6; with sign=True also +12,1."""
    amount = rounded(value, decimals)
    digits = f"{abs(amount):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if amount < 0:
        return minus + digits
    return ("+" + digits) if sign and amount > 0 else digits


def mnkr(value: float, sign: bool = False) -> str:
    """Format an amount in mnkr with one decimal."""
    return number(value, 1, sign)


# Excel stores number formats in the en-US notation; Swedish Excel shows them with a decimal
# comma and a space between thousands. The quoted U+2212 makes Excel print the same minus sign
# as the report, so a table pasted into Word matches the HTML.
XLSX_NUMBER_FORMAT = '#,##0.0;"\u2212"#,##0.0'


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

# Swedish style writes the numbers up to twelve in words: "från en period", "sex ställen".
_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva")
_WORDS += ("tolv",)


def signed(value: float) -> str:
    """Format an amount in mnkr with its sign, as the narrative prints it: +4,2, −0,7, 0."""
    text = mnkr(value, sign=True)
    return "0" if text == "0,0" else text


def percent(value: float, decimals: int = 1) -> str:
    """Format a percentage the Swedish way without a space before the sign: 1,9%."""
    return number(value, decimals) + "%"


def amount_label(value: float) -> str:
    """Format an amount as a chart's bar label and its text alternative show it: +4,2, 0,0."""
    return mnkr(value, sign=True) if rounded(value) else "0,0"


def quoted(text: str) -> str:
    """Put a text from the workbook within Swedish typographic quotes: ”Summa INTÄKTER”."""
    return f"\u201d{text}\u201d"


def number_word(count: int, neuter: bool = False) -> str:
    """Write a count up to twelve in words (en, ett, två … tolv), larger ones in digits."""
    if count == 1:
        return "ett" if neuter else "en"
    return _WORDS[count] if 0 <= count < len(_WORDS) else number(count, 0)


def count_phrase(count: int, singular: str, plural: str, neuter: bool = False) -> str:
    """Count things the Swedish way: "inga fel", "en varning", "sex avrundningsdifferenser"."""
    if count == 0:
        return f"inga {plural}"
    return f"{number_word(count, neuter)} {singular if count == 1 else plural}"


def series(items) -> str:
    """Join words the Swedish way: "A", "A och B", "A, B och C"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def period_span(period: "Period") -> str:
    """Name the months of the year to date: "januari – mars", or "januari" for January."""
    if period.month == 1:
        return MONTH_NAMES_SV[0]
    return f"{MONTH_NAMES_SV[0]} \u2013 {period.month_name}"


def period_text(period: "Period") -> str:
    """Name the months a period covers as the report's sentences do: 'januari – mars 2022'."""
    return f"{period_span(period)} {period.year}"


def seconds_sv(value: float) -> str:
    """Format a duration in seconds the Swedish way: '4,2 s'."""
    return f"{number(value, 1)}\u00a0s"


# An all-capitals word longer than this is a name typed in capitals, not an abbreviation.
_MAX_ABBREVIATION = 6


def board_genitive(board: str) -> str:
    """Decline a board's name in the genitive: Tekniska nämnden → Tekniska nämndens, FN → FN:s."""
    name = board.rstrip()
    if not name:
        return name
    last = name.split()[-1]
    # Swedish writes the genitive of an abbreviation, a number or a bracket with a colon.
    if not name[-1].isalpha():
        return name + ":s"
    if last.isupper() and sum(c.isalpha() for c in last) <= _MAX_ABBREVIATION:
        return name + ":s"
    if name[-1] in "sxzSXZ":
        return name
    return name + ("S" if last.isupper() else "s")
