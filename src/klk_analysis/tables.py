"""The resultaträkning and the driftredovisning as printed: an HTML table and files to paste."""

import csv
from html import escape as esc
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from klk_analysis.formatting import XLSX_NUMBER_FORMAT, mnkr, number
from klk_analysis.loading import Table, Workbook
from klk_analysis.processed import staged_dir

TITLES = {
    "resultatrakning": "Resultaträkning",
    "driftredovisning": "Driftredovisning – underliggande enheter",
}
SHEET_NAMES = {"resultatrakning": "Resultaträkning", "driftredovisning": "Driftredovisning"}
# Used when the workbook leaves the label column's header empty: a header cell needs text.
DEFAULT_LABEL_HEADERS = {"resultatrakning": "Konto", "driftredovisning": "Enhet"}
UNIT_NOTE = "belopp i mnkr"
TABLE_FOLDER = "tabeller"
# Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The exported sheets' one font: Excel's own default, so a pasted table matches its document.
XLSX_FONT = "Calibri"
XLSX_FONT_SIZE = 11
# More columns than this are printed on a landscape page.
PORTRAIT_COLUMNS = 5
# Classes the report's style sheet knows: sums and the result are printed in bold.
ROW_CLASSES = {
    "line": "rad",
    "sum": "summa",
    "total": "summa",
    "result": "summa resultat",
    "varav": "rad varav",
}


def label_header(table: Table) -> str:
    """Return the header of the label column as printed, or a plain word when it is empty."""
    return table.label_header or DEFAULT_LABEL_HEADERS.get(table.name, "Rad")


def caption(table: Table) -> str:
    """Return the table's caption: its title as in the source document and the unit."""
    return f"{TITLES.get(table.name, table.sheet)} ({UNIT_NOTE})"


def caption_html(table: Table) -> str:
    """Return the caption's HTML: the title for screen readers (a heading shows it), the unit."""
    title = esc(TITLES.get(table.name, table.sheet))
    return f'<span class="dold">{title}. </span>{esc(UNIT_NOTE.capitalize())}'


def scroll_area(table: str, label: str) -> str:
    """Put an HTML table in its own horizontal scroll area, so a phone never pans the page.

    The style sheet keeps the label column in view while the figures scroll (CSS only); the
    area takes the keyboard focus so that it can be scrolled without a mouse (WCAG 2.1.1).
    """
    return (
        f'<div class="tabellram" role="region" aria-label="{esc(label, quote=True)}" '
        f'tabindex="0">\n{table}\n</div>'
    )


def printed_rows(table: Table) -> list[tuple[str, str, pd.Series | None]]:
    """Return the rows as printed: (kind, label, figures); a group heading has no figures."""
    headings = sorted(table.headings)
    rows = []
    for _, row in table.rows.iterrows():
        # A large board's group headings ("Äldreomsorg") stand where the workbook prints them.
        while headings and headings[0][0] < row["excel_row"]:
            rows.append(("heading", headings.pop(0)[1], None))
        rows.append((row["kind"], row["label"], row))
    return rows


def table_html(table: Table, title: str | None = None) -> str:
    """Return the table as an accessible HTML fragment; every workbook text is escaped."""
    head = "".join(f'<th scope="col">{esc(c.header)}</th>' for c in table.columns)
    lines = [
        '<table class="tabell">',
        f"<caption>{esc(title) if title else caption_html(table)}</caption>",
        f'<thead><tr><th scope="col">{esc(label_header(table))}</th>{head}</tr></thead>',
        "<tbody>",
    ]
    for kind, label, row in printed_rows(table):
        if row is None:
            lines.append(
                f'<tr class="rubrik"><th scope="rowgroup" colspan="{len(table.columns) + 1}">'
                f"{esc(label)}</th></tr>"
            )
            continue
        cells = "".join(
            f'<td class="tal" style="text-align: right">{esc(mnkr(row[c.id]))}</td>'
            for c in table.columns
        )
        row_class = ROW_CLASSES.get(kind, "rad")
        lines.append(f'<tr class="{row_class}"><th scope="row">{esc(label)}</th>{cells}</tr>')
    lines += ["</tbody>", "</table>"]
    return scroll_area("\n".join(lines), title or caption(table))


def tables_html(workbook: Workbook) -> str:
    """Return both tables as HTML fragments, the resultaträkning first."""
    return "\n".join(table_html(t) for t in (workbook.resultatrakning, workbook.driftredovisning))


def is_formula_like(text: str) -> bool:
    """Tell whether a spreadsheet would read this text as the start of a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_text(text: str) -> str:
    """Return a text for a CSV cell, with OWASP's apostrophe before a formula-like start."""
    return "'" + text if is_formula_like(text) else text


def csv_number(value: float) -> str:
    """Return an amount for a CSV cell that Swedish Excel reads as a number: -1301,9."""
    # An ASCII hyphen and no thousands separator: Excel reads U+2212 or spaces as text.
    return number(value, 1, minus="-")


def write_csv(table: Table, path: Path) -> Path:
    """Write a table as CSV for Swedish Excel: semicolons, decimal comma, UTF-8 with BOM."""
    header = [label_header(table), *(c.header for c in table.columns)]
    records = [
        [label, *(csv_number(row[c.id]) if row is not None else "" for c in table.columns)]
        for _, label, row in printed_rows(table)
    ]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([csv_text(h) for h in header])
        for record in records:
            writer.writerow([csv_text(record[0]), *record[1:]])
    return Path(path)


def text_cell(cell, text: str) -> None:
    """Put a text in an xlsx cell so that no spreadsheet reads it as a formula."""
    # The string type keeps openpyxl from storing "=..." as a formula; Excel's quote prefix keeps
    # a text that looks like a formula a text even when a user edits the cell, and is not shown.
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


def write_xlsx(table: Table, path: Path) -> Path:
    """Write a table as an Excel file: a header row, the rows as printed, formatted numbers."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = SHEET_NAMES.get(table.name, table.name)[:31]
    header = [label_header(table), *(c.header for c in table.columns)]
    for col, text in enumerate(header, start=1):
        text_cell(ws.cell(1, col), text)
    rows = printed_rows(table)
    for offset, (_, label, row) in enumerate(rows):
        excel_row = offset + 2
        text_cell(ws.cell(excel_row, 1), label)
        if row is not None:
            for col, column in enumerate(table.columns, start=2):
                ws.cell(excel_row, col, float(row[column.id]))
    bold_rows = [i + 2 for i, (kind, _, _) in enumerate(rows) if kind != "line"]
    sheet_layout(ws, bold_rows=bold_rows, frozen="B2")
    book.save(path)
    return Path(path)


def cell_text(cell) -> str:
    """Return a cell's text as a spreadsheet shows it: numbers with one decimal, 1 301,9."""
    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
        return number(cell.value, 1)
    return "" if cell.value is None else str(cell.value)


def sheet_layout(ws, bold_rows=(), frozen: str = "B2") -> None:
    """Lay out an exported sheet for reading and printing.

    One font throughout (bold is the same font), numbers with one decimal, every column as wide
    as its longest text, the header row frozen and repeated on every printed page, the columns
    fitted to one page wide, landscape when there are more than five.
    """
    bold_rows = {1, *bold_rows}
    for row in ws.iter_rows():
        for cell in row:
            cell.font = Font(name=XLSX_FONT, size=XLSX_FONT_SIZE, bold=cell.row in bold_rows)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.number_format = XLSX_NUMBER_FORMAT
    # A header stands right-aligned over amounts, as they are, and left over texts.
    for header in ws[1]:
        below = [c.value for c in ws[header.column_letter][1:] if c.value not in (None, "")]
        if below and all(isinstance(v, int | float) for v in below):
            header.alignment = Alignment(horizontal="right")
    for column in ws.iter_cols():
        widest = max(len(cell_text(cell)) for cell in column)
        # Bold text and the filter arrows need a little more than the characters themselves.
        ws.column_dimensions[get_column_letter(column[0].column)].width = widest * 1.1 + 2
    ws.freeze_panes = frozen
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ws.max_column > PORTRAIT_COLUMNS else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need


def write_tables(workbook: Workbook, folder: Path) -> list[Path]:
    """Write both tables to folder/tabeller/ as .xlsx and .csv and return the files written."""
    target = Path(folder) / TABLE_FOLDER
    names = []
    with staged_dir(target) as staging:
        for table in (workbook.resultatrakning, workbook.driftredovisning):
            names.append(write_xlsx(table, staging / f"{table.name}.xlsx").name)
            names.append(write_csv(table, staging / f"{table.name}.csv").name)
    return [target / name for name in names]
