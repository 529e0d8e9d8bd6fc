"""One result of reading or checking a workbook: a note (info), a warning or an error."""

from dataclasses import asdict, dataclass

# The largest gap between a printed and a computed figure that is a rounding note, not an
# error, in mnkr (`--tolerance`); here, not in validation, so that the command line can name it
# without importing pandas.
DEFAULT_TOLERANCE = 0.2


@dataclass(frozen=True)
class Finding:
    """One result of a check: a rounding note (info), a warning or an error.

    `cell` is the Excel address of the printed figure the finding is about (C6), on the
    sheet of `table`; it comes last so that findings built without it still work.
    """

    severity: str
    check: str
    table: str
    row: str
    column: str
    printed: float | None
    computed: float | None
    message: str
    cell: str = ""

    def as_dict(self) -> dict:
        """Return the finding as plain data for JSON."""
        return asdict(self)
