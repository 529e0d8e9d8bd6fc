"""The optional sheet of prior years' outcomes ("Historik") that feeds last year's profile.

Layout: a header row (found in the first rows, after title and unit rows) with a label column,
a column "År" and one column per month ("Jan" … "Dec", Swedish or English, abbreviated or not).
Each row is one line or unit in one year; each month cell holds the utfall from January to the
end of that month (cumulative, as the interim reports print it), empty where unknown.
"""

from pathlib import Path

import pandas as pd

from klk_analysis.errors import UnusableInputError, cell_error
from klk_analysis.loading import (
    cell_amount,
    normalise_label,
    open_workbook,
    unit_divisor,
)
from klk_analysis.periods import month_number
from klk_analysis.sheets import HEADER_SEARCH_ROWS, find_sheet

SHEET = "Historik"
YEAR_HEADERS = ("år", "ar", "year")
# The headers docs/arbetsbokens-format.md shows; any month word periods.month_number knows is read.
MONTH_HEADERS = ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec")
COLUMNS = ["key", "label", "year", "month", "amount_mnkr", "cell"]


def empty_history() -> pd.DataFrame:
    """Return a history without rows, with the columns a history has."""
    return pd.DataFrame(
        {
            "key": pd.Series(dtype=str),
            "label": pd.Series(dtype=str),
            "year": pd.Series(dtype="int64"),
            "month": pd.Series(dtype="int64"),
            "amount_mnkr": pd.Series(dtype=float),
            "cell": pd.Series(dtype=str),
        }
    )


def _header(ws, path: Path) -> tuple[int, int, int, dict[int, int]]:
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        texts = {c.column: str(c.value).strip() for c in row if isinstance(c.value, str)}
        year_cols = [col for col, t in texts.items() if t.casefold() in YEAR_HEADERS]
        months = {col: m for col, t in texts.items() if (m := month_number(t)) is not None}
        if year_cols and months:
            year_col = year_cols[0]
            labels = [c for c in sorted(texts) if c not in months and c != year_col]
            label_col = labels[0] if labels else (1 if year_col != 1 else 2)
            return row[0].row, label_col, year_col, months
    raise UnusableInputError(
        f"{path}, blad {ws.title!r}: hittade ingen rubrikrad bland de första "
        f"{HEADER_SEARCH_ROWS} raderna. Förväntade en rad med en radtext, 'År' och månader "
        "som 'Jan', 'Feb', 'Mar' … 'Dec'."
    )


def read_history_sheet(book, path: Path) -> pd.DataFrame:
    """Read the Historik sheet of an open workbook; an empty history when there is none."""
    ws = find_sheet(book, path, SHEET, required=False)
    if ws is None:
        return empty_history()
    header_row, label_col, year_col, months = _header(ws, path)
    divisor = unit_divisor(ws, header_row)
    records, seen = [], {}
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        number = row[0].row
        amounts = {}
        for col, month in months.items():
            cell = ws.cell(number, col)
            amount = cell_amount(path, ws, cell, "ett belopp i mnkr eller tomt")
            if amount is not None:
                amounts[month] = (amount / divisor, cell.coordinate)
        if not amounts:
            continue  # blank row, heading or footnote
        label_cell, year_cell = ws.cell(number, label_col), ws.cell(number, year_col)
        label = " ".join(str(label_cell.value or "").split())
        if not label or label.startswith("*"):
            if label.startswith("*"):
                continue  # a finance system's control row
            raise cell_error(path, ws.title, label_cell.coordinate, label_cell.value, "en radtext")
        year = year_cell.value
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year.strip())
        if isinstance(year, float) and year.is_integer():
            year = int(year)
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            raise cell_error(
                path, ws.title, year_cell.coordinate, year_cell.value, "ett årtal som 2021"
            )
        key = normalise_label(label)
        if (key, year) in seen:
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}: {label!r} för {year} finns två gånger, rad "
                f"{seen[key, year]} och rad {number}. Förväntade en rad per rad och år."
            )
        seen[key, year] = number
        records.extend(
            {
                "key": key,
                "label": label,
                "year": year,
                "month": month,
                "amount_mnkr": amount,
                "cell": ref,
            }
            for month, (amount, ref) in sorted(amounts.items())
        )
    if not records:
        return empty_history()
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def read_history(path: Path | str) -> pd.DataFrame:
    """Read the optional Historik sheet of a workbook file; an empty history when there is none."""
    path = Path(path)
    return read_history_sheet(open_workbook(path), path)
