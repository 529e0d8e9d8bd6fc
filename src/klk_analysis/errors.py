"""The suite's own exceptions: every message names where the problem is and what was expected."""


class KlkError(Exception):
    """Base class for every error the suite reports to a user."""

    exit_code = 2


class UnusableInputError(KlkError):
    """The input cannot be used at all: not a workbook, a sheet, column or cell missing or wrong."""

    exit_code = 2


def cell_error(path, sheet: str, cell: str, found: object, expected: str) -> UnusableInputError:
    """Build the standard message for one unusable cell."""
    return UnusableInputError(
        f"{path}, blad {sheet!r}, cell {cell}: hittade {found!r}, förväntade {expected}."
    )


class InconsistentDataError(KlkError):
    """The workbook can be read but its figures do not add up (errors from the reconciliation)."""

    exit_code = 1


class RunFailedError(KlkError):
    """A notebook of a period run failed or timed out; the data themselves passed the checks."""

    exit_code = 3
