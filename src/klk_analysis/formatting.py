"""Swedish number formats: decimal comma, no-break space between thousands, a true minus sign."""

from decimal import ROUND_HALF_UP, Decimal

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
