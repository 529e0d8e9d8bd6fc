"""The report's tables as display frames: Swedish headers and the values to show, no markup.

Every table the report shows is a DataFrame made here (or, for the two tables as printed, in
`tables.printed_frame`): the first column heads each row, float columns are amounts in mnkr,
other columns text, and `tables.KIND` says how a row is printed. `tables.frame_html` renders a
frame as HTML, `word.add_table` as a Word table: the same cells in every format.
"""

import pandas as pd

from klk_analysis import wording
from klk_analysis.findings import Finding
from klk_analysis.forecasts import FORECAST_LABEL, HEADERS, METHOD_IDS
from klk_analysis.loading import Workbook
from klk_analysis.register import accuracy_table
from klk_analysis.tables import KIND, printed_frame

# The forecast tables' titles and the header of their label column.
FORECAST_TABLES = {
    "resultatrakning": ("Resultaträkning", "Konto"),
    "driftredovisning": ("Driftredovisning per enhet", "Enhet"),
}
FORECAST_COLUMNS = ("utfall", "arsbudget", *METHOD_IDS, "arsprognos")
FLAG_HEADER = HEADERS["flag"]
ROUNDING_HEADERS = ("Tabell", "Rad", "Kolumn", "Tryckt", "Beräknat", "Differens")
# Shown with an explicit plus: the gap between the printed and the computed amount.
ROUNDING_SIGNED = ("Differens",)
ACCURACY_HEADERS = ("Rad eller enhet", FORECAST_LABEL, "Utfall helår", "Utfall minus prognos")


def resultatrakning(workbook: Workbook) -> pd.DataFrame:
    """Return the resultaträkning as printed, with its row kinds."""
    return printed_frame(workbook.resultatrakning)


def driftredovisning(workbook: Workbook) -> pd.DataFrame:
    """Return the driftredovisning per unit as printed, group headings where they stand."""
    return printed_frame(workbook.driftredovisning)


def forecast_frame(projections: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return one table's projections beside its årsprognos: a row per line or unit, the flag."""
    part = projections[projections["table"] == table]
    return pd.DataFrame(
        {
            FORECAST_TABLES[table][1]: part["label"],
            **{HEADERS[c]: part[c].astype(float) for c in FORECAST_COLUMNS},
            FLAG_HEADER: part["flag"].map(wording.FLAG_WORDS),
            KIND: part["kind"],
        }
    ).reset_index(drop=True)


def rounding_frame(notes: list[Finding]) -> pd.DataFrame:
    """Return the rounding notes: where, the printed and computed amounts and the gap."""
    return pd.DataFrame(
        [
            (
                wording.TABLE_NAMES.get(f.table, f.table),
                f.row,
                f.column,
                float(f.printed),
                float(f.computed),
                float(f.printed - f.computed),
            )
            for f in notes
        ],
        columns=list(ROUNDING_HEADERS),
    ).astype({h: float for h in ROUNDING_HEADERS[3:]})


def accuracy_frame(accuracy: pd.DataFrame) -> pd.DataFrame:
    """Return prognossäkerhet per line or unit and forecast month: forecast, outcome, the gap."""
    table = accuracy_table(accuracy)
    label, *amounts = ACCURACY_HEADERS
    return pd.DataFrame(
        {
            # Built row by row: an empty register's month column is not text.
            label: [
                f"{row}, prognos i {month}"
                for row, month in zip(table[label], table["Prognos i"], strict=True)
            ],
            **{h: table[h].astype(float) for h in amounts},
        }
    )
