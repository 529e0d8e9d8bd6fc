"""Hand-made workbooks for the tests, and the source document's tables as printed."""

from pathlib import Path

import openpyxl

SHIPPED = Path(__file__).resolve().parents[1] / "data/raw/2022-03/KS_delarsrapport_1_2022.xlsx"

# Kommunstyrelsens delårsrapport 1, 2022, "Resultaträkning", exactly as printed.
RR_HEADER = [
    "Konto",
    "Utfall Mar 2021",
    "Utfall Mar 2022",
    "Budget Mar 2022",
    "Budgetavvikelse Mar 2022",
    "Årsprognos mars",
    "Avvikelse Årsprognos mars",
]
RR_ROWS = [
    ["Kommunersättning", 101.0, 115.4, 115.4, 0.0, 461.5, 0.0],
    ["Övriga intäkter", 14.9, 16.7, 10.8, 5.9, 43.0, 0.0],
    ["Summa INTÄKTER", 115.9, 132.0, 126.1, 5.9, 504.5, 0.0],
    ["Personalkostnader", -28.8, -29.1, -32.0, 2.9, -118.5, 2.9],
    ["- Lokalkostnader", -1.4, -1.6, -1.5, -0.1, -5.9, 0.0],
    ["- Övriga kostnader", -73.2, -89.2, -94.3, 5.1, -377.1, 0.1],
    ["Summa KOSTNADER", -103.4, -119.9, -127.8, 7.9, -501.5, 3.0],
    ["Summa ÅRETS RESULTAT", 12.5, 12.1, -1.6, 13.8, 3.0, 3.0],
]
# "Driftredovisning - underliggande enheter", exactly as printed.
DR_HEADER = [
    "Underliggande enheter",
    "Budgetavvikelse Mar 2021",
    "Budgetavvikelse Mar 2022",
    "Budget 2022",
    "Avvikelse Årsprognos mars",
]
DR_ROWS = [
    ["KS/semesterlöneskuld, ej konterade fakturor mm", -0.5, 0.4, 0.0, 0.0],
    ["KLK Ledning", 0.4, -0.1, -98.9, 0.0],
    ["KLK Ekonomi och kvalitet", 1.1, 1.6, -64.8, 1.0],
    ["KLK HR", 1.9, 1.6, -71.6, 0.3],
    ["KLK Social hållbarhet", 1.3, 2.0, -16.3, 0.0],
    ["KLK Näringsliv", 9.0, 3.5, -52.6, 1.7],
    ["KLK Kommunikation, IT och digitalisering", -1.0, 2.7, -117.3, 0.0],
    ["KLK Miljö och samhällsbyggnad", 1.4, 2.0, -40.0, 0.0],
    ["Summa Kommunstyrelsen", 13.5, 13.8, -461.5, 3.0],
]


def sheet(title: str, header: list, rows: list, unit: str = "Belopp i mnkr") -> list[list]:
    """Return a sheet's rows as an economist lays them out: title, unit, header, data."""
    return [[title], [unit], header, *rows]


def make_workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> Path:
    """Write a workbook with the given sheets (name → rows); cells may be numbers or text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def source_workbook(path: Path, rr_rows=None, dr_rows=None, rr_header=None, dr_header=None):
    """Write the source document's tables, optionally with rows or headers replaced."""
    return make_workbook(
        path,
        {
            "Resultaträkning": sheet("Resultaträkning", rr_header or RR_HEADER, rr_rows or RR_ROWS),
            "Driftredovisning": sheet(
                "Driftredovisning", dr_header or DR_HEADER, dr_rows or DR_ROWS
            ),
        },
    )
