"""The suite's own exceptions: every message names where the problem is and what was expected."""

import datetime as dt
import math

from klk_analysis.formatting import MINUS, number


class KlkError(Exception):
    """Base class for every error the suite reports to a user."""

    exit_code = 2


class UnusableInputError(KlkError):
    """The input cannot be used at all: not a workbook, a sheet, column or cell missing or wrong."""

    exit_code = 2


# Longer cell texts are cut in messages: the cell address lets the user find the rest.
_SHOWN_CHARS = 60
_LARGE = 1e15


class Described(str):
    """What a cell holds, already said in Swedish ("en formel utan sparat värde"), not quoted."""


def describe_value(value: object) -> str:
    """Say in Swedish what a cell holds: en tom cell, 'ca 29', talet 12, datumet 2022-03-31."""
    if isinstance(value, Described):
        return str(value)
    if value is None:
        return "en tom cell"
    if isinstance(value, bool):
        # Excel in Swedish shows a boolean cell as SANT or FALSKT
        return f"sanningsvärdet {'SANT' if value else 'FALSKT'}"
    if isinstance(value, int | float):
        value = float(value)
        if not math.isfinite(value) or abs(value) >= _LARGE:
            # Decimal rounding cannot show these; the power of ten is what the user must see.
            shown = f"{value:.1e}".replace(".", ",").replace("-", MINUS)
            return (
                f"ett orimligt stort tal ({shown})" if math.isfinite(value) else "ett ogiltigt tal"
            )
        shown = number(value, 3).rstrip("0").rstrip(",")
        return f"talet {shown}"
    if isinstance(value, dt.datetime | dt.date):
        return f"datumet {value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"klockslaget {value:%H:%M}"
    text = "".join(c if c.isprintable() else " " for c in str(value))
    if not text.strip():
        return "en cell med bara mellanslag"
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return f"'{text}'"


def cell_error(
    path, sheet: str, cell: str, found: object, expected: str, reason: str = ""
) -> UnusableInputError:
    """Build the standard message for one unusable cell; `reason` adds a sentence on how to fix."""
    return UnusableInputError(
        f"{path}, blad {sheet!r}, cell {cell}: hittade {describe_value(found)}, "
        f"förväntade {expected}." + (f" {reason}" if reason else "")
    )


class InconsistentDataError(KlkError):
    """The workbook can be read but its figures do not add up (errors from the reconciliation)."""

    exit_code = 1


class FileInUseError(KlkError):
    """An output file is open in another program (Excel, on Windows), so it cannot be replaced."""

    exit_code = 3


class RunFailedError(KlkError):
    """A notebook of a period run failed or timed out; the data themselves passed the checks."""

    exit_code = 3
