"""Reading amounts as Swedish reports and finance systems write them."""

import math
import re

# Characters used for a minus sign in real workbooks: hyphen, minus (U+2212), en and em dash.
MINUS_SIGNS = "-\u2212\u2013\u2014"
# Characters used between thousands: space, no-break space, narrow no-break space, thin space.
GROUP_SPACES = " \u00a0\u202f\u2009"
# No finance figure in any unit comes near this; refusing larger ones keeps every sum finite.
MAX_AMOUNT = 1e15

_DIGITS = re.compile(
    r"""^(?P<int>\d{1,3}(?:[ ]\d{3})+|\d+)   # 1 301 or 1301
        (?:(?P<sep>[,.])(?P<frac>\d+))?$     # ,9 or .9
    """,
    re.VERBOSE,
)
# 1.234.567 or 1.234,5: dots between thousands, the German and English-Excel habit.
_DOT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")


class AmountError(ValueError):
    """A cell's content is not an amount; the loader adds file, sheet and cell.

    `reason` is a Swedish sentence saying why and how to write it, when more than "not an
    amount" can be said.
    """

    def __init__(self, value: object, reason: str = ""):
        super().__init__(value)
        self.value, self.reason = value, reason


def _dot_is_ambiguous(match: re.Match) -> bool:
    """4.250 may be 4 250 (a thousands dot) or 4,250 (an English decimal point): refuse it."""
    # A thousands dot follows a first group of 1 to 3 digits that does not start with 0.
    head = match["int"]
    return (
        match["sep"] == "."
        and len(match["frac"]) == 3
        and head.isdigit()
        and len(head) <= 3
        and head != "0"
    )


def parse_amount(value: object) -> float | None:
    """Return the amount in a cell (numeric or Swedish text), None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(value)
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number) or abs(number) >= MAX_AMOUNT:
            raise AmountError(value)
        return number
    if not isinstance(value, str):
        raise AmountError(value)
    text = value.strip(GROUP_SPACES + "\t\r\n")
    if not text:
        return None
    written = " ".join(text.split())  # as the user typed it, for the suggested spelling
    for space in GROUP_SPACES[1:]:
        text = text.replace(space, " ")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text and text[0] in MINUS_SIGNS:
        if negative:
            raise AmountError(value)
        negative, text = True, text[1:].strip()
        if not text:
            # A lone dash is how Swedish tables print zero.
            return 0.0
    elif text.startswith("+") and not negative:
        text = text[1:].strip()
    match = _DIGITS.match(text)
    if match is None:
        if _DOT_GROUPS.match(text):
            raise AmountError(
                value,
                f"Punkt mellan tusental läses inte; skriv {written.replace('.', ' ')} "
                "(med mellanslag).",
            )
        raise AmountError(value)
    if _dot_is_ambiguous(match):
        raise AmountError(
            value,
            "En punkt följd av exakt tre siffror kan vara både tusentalsavgränsare och "
            f"decimaltecken; skriv {written.replace('.', ' ')} (med mellanslag) om det är "
            f"tusental, eller {written.replace('.', ',')} (med komma) om det är decimaler.",
        )
    number = float(match["int"].replace(" ", "") + "." + (match["frac"] or "0"))
    if number >= MAX_AMOUNT:
        raise AmountError(value)
    return -number if negative else number
