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
        (?:[,.](?P<frac>\d+))?$              # ,9 or .9
    """,
    re.VERBOSE,
)


class AmountError(ValueError):
    """A cell's content is not an amount; the loader adds file, sheet and cell."""


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
        raise AmountError(value)
    number = float(match["int"].replace(" ", "") + "." + (match["frac"] or "0"))
    if number >= MAX_AMOUNT:
        raise AmountError(value)
    return -number if negative else number
