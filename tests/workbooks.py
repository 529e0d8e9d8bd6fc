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

# A large board's units under a group heading without figures, with the group's subtotal.
GROUPED_ROWS = [
    ["Äldreomsorg", None, None, None, None],
    ["Hemtjänst Norr", 0.1, 0.2, -10.0, 0.0],
    ["Hemtjänst Söder", 0.1, 0.3, -12.0, 0.0],
    ["Summa Äldreomsorg", 0.2, 0.5, -22.0, 0.0],
    ["Nämnd och förvaltning", 0.0, 0.1, -3.0, 0.0],
    ["Summa Vård- och omsorgsnämnden", 0.2, 0.6, -25.0, 0.0],
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


# A hand-made workbook for another board and period, with a negative result; every sum and
# deviation adds up exactly. Annual budgets (årsprognos − avvikelse): Kommunersättning 225,0,
# Summa INTÄKTER 273,0, Summa ÅRETS RESULTAT −2,0; the units' "Budget 2023" adds to −227,0.
KFN_BOARD = "Kultur- och fritidsnämnden"
KFN_RR_HEADER = [
    "Konto",
    "Utfall Aug 2022",
    "Utfall Aug 2023",
    "Budget Aug 2023",
    "Budgetavvikelse Aug 2023",
    "Årsprognos augusti",
    "Avvikelse Årsprognos augusti",
]
KFN_RR_ROWS = [
    ["Kommunersättning", 140.2, 150.0, 150.0, 0.0, 225.0, 0.0],
    ["Övriga intäkter", 30.1, 28.4, 32.0, -3.6, 45.5, -2.5],
    ["Summa INTÄKTER", 170.3, 178.4, 182.0, -3.6, 270.5, -2.5],
    ["Personalkostnader", -95.0, -101.3, -98.0, -3.3, -152.0, -4.0],
    ["- Lokalkostnader", -40.2, -44.6, -44.0, -0.6, -66.5, -0.5],
    ["- Övriga kostnader", -38.0, -40.1, -41.0, 0.9, -60.0, 1.0],
    ["Summa KOSTNADER", -173.2, -186.0, -183.0, -3.0, -278.5, -3.5],
    ["Summa ÅRETS RESULTAT", -2.9, -7.6, -1.0, -6.6, -8.0, -6.0],
]
KFN_DR_HEADER = [
    "Enhet",
    "Budgetavvikelse Aug 2022",
    "Budgetavvikelse Aug 2023",
    "Budget 2023",
    "Avvikelse Årsprognos augusti",
]
KFN_DR_ROWS = [
    ["Kulturskolan", 0.8, -1.2, -40.0, -1.5],
    ["Bibliotek", 0.3, 0.4, -55.0, 0.5],
    ["Fritidsgårdar", -0.6, -2.1, -38.0, -2.0],
    ["Idrottsanläggningar", -1.5, -3.7, -92.0, -3.0],
    ["Nämnd och förvaltning", 0.1, 0.0, -2.0, 0.0],
    ["Summa Kultur- och fritidsnämnden", -0.9, -6.6, -227.0, -6.0],
]


def kfn_workbook(path: Path) -> Path:
    """Write the hand-made Kultur- och fritidsnämnden workbook for August 2023."""
    return source_workbook(path, KFN_RR_ROWS, KFN_DR_ROWS, KFN_RR_HEADER, KFN_DR_HEADER)


def source_document_words() -> list[str]:
    """Figures and names of the source document that the package code must never contain."""
    names = [r[0] for r in DR_ROWS] + ["Kommunstyrelse", "KLK", "Eskilstuna"]
    figures = {v for r in RR_ROWS + DR_ROWS for v in r[1:] if abs(v) >= 10}
    swedish = [f"{abs(v):.1f}".replace(".", ",") for v in figures]
    return names + swedish + [f"{abs(v):.1f}" for v in figures] + ["504,5", "461,5", "12,1", "+3,0"]


def package_text(*relative: str) -> str:
    """Return the text of package files (paths under src/klk_analysis, globs allowed)."""
    package = Path(__file__).resolve().parents[1] / "src" / "klk_analysis"
    return "\n".join(
        path.read_text(encoding="utf-8") for rel in relative for path in sorted(package.glob(rel))
    )
