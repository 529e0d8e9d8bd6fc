"""Tables as printed and their renderers: display frames to HTML (one renderer), xlsx and CSV.

A display frame is a DataFrame with Swedish headers: its first column heads each row, float
columns are amounts in mnkr (an empty cell where NaN), other columns are text (or a `Link`, a
`Marked` symbol with its words), and the column KIND, when there is one, says how each row is
printed (see ROW_CLASSES; HEADING for a group heading without figures). `frame_html` is the one
place a table becomes HTML, `inline_html` the one place a cell's or a sentence's text is escaped.
"""

import csv
from dataclasses import dataclass
from html import escape as esc
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from klk_analysis import wording
from klk_analysis.formatting import XLSX_NUMBER_FORMAT, mnkr, number
from klk_analysis.loading import Table, Workbook
from klk_analysis.processed import staged_dir

TITLES = {
    "resultatrakning": "Resultaträkning",
    "driftredovisning": "Driftredovisning – underliggande enheter",
}
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
# The display frame's column of row kinds, which styles its rows and is not shown.
KIND = "Radtyp"
HEADING = "heading"


@dataclass(frozen=True)
class Link:
    """A text that links to a place: a section of the same page or a file beside it."""

    text: str
    href: str


@dataclass(frozen=True)
class Marked:
    """A value shown by a symbol's shape and its words (never colour alone), styled by css.

    Without words the symbol is the content (a legend's symbol column); without a symbol the
    words are styled alone ("ej angiven").
    """

    text: str
    symbol: str = ""
    css: str = ""


@dataclass(frozen=True)
class Strong:
    """Words in bold that lead a sentence or name an item: "Fel:", "Om beräkningarna."."""

    text: str
    css: str = ""


def inline_html(value) -> str:
    """Return a cell's or a sentence's piece as HTML: text escaped, links and symbols marked."""
    if isinstance(value, Link):
        return f'<a href="{esc(value.href, quote=True)}">{esc(value.text)}</a>'
    if isinstance(value, Strong):
        css = f' class="{esc(value.css, quote=True)}"' if value.css else ""
        return f"<strong{css}>{esc(value.text)}</strong>"
    if isinstance(value, Marked):
        css = esc(value.css, quote=True)
        if not value.symbol:
            return f'<span class="{css}">{esc(value.text)}</span>'
        if not value.text:
            return f'<span class="symbol {css}">{esc(value.symbol)}</span>'
        # The words carry the meaning; a screen reader need not name the shape as well.
        return (
            f'<span class="symbol {css}" aria-hidden="true">{esc(value.symbol)}</span> '
            f'<span class="symbol-text">{esc(value.text)}</span>'
        )
    return esc(str(value))


def label_header(table: Table) -> str:
    """Return the header of the label column as printed, or a plain word when it is empty."""
    return table.label_header or DEFAULT_LABEL_HEADERS.get(table.name, "Rad")


def caption(table: Table) -> str:
    """Return the table's caption: its title as in the source document and the unit."""
    return f"{TITLES.get(table.name, table.sheet)} ({UNIT_NOTE})"


def scroll_area(table: str, label: str) -> str:
    """Put an HTML table in its own horizontal scroll area, so a phone never pans the page.

    The style sheet keeps the label column in view while the figures scroll (CSS only); the
    area takes the keyboard focus so that it can be scrolled without a mouse (WCAG 2.1.1).
    """
    return (
        f'<div class="tabellram" role="region" aria-label="{esc(label, quote=True)}" '
        f'tabindex="0">\n{table}\n</div>'
    )


def printed_frame(table: Table) -> pd.DataFrame:
    """Return a table as printed: label, one column per header, KIND; headings have no figures."""
    headings = sorted(table.headings)
    labels, kinds, positions = [], [], []
    for position, (excel_row, label, kind) in enumerate(
        zip(table.rows["excel_row"], table.rows["label"], table.rows["kind"], strict=True)
    ):
        # A large board's group headings ("Äldreomsorg") stand where the workbook prints them.
        while headings and headings[0][0] < excel_row:
            labels.append(headings.pop(0)[1])
            kinds.append(HEADING)
            positions.append(None)
        labels.append(label)
        kinds.append(kind)
        positions.append(position)
    columns = [
        [float("nan") if p is None else float(table.rows[c.id].iloc[p]) for p in positions]
        for c in table.columns
    ]
    # Built by position: a workbook may print two columns under the same header.
    frame = pd.DataFrame(dict(enumerate([labels, *columns, kinds])))
    frame.columns = [label_header(table), *(c.header for c in table.columns), KIND]
    return frame


def _amount_cell(value: float, sign: bool) -> str:
    text = "" if pd.isna(value) else esc(mnkr(value, sign=sign))
    return f'<td class="tal" style="text-align: right">{text}</td>'


def frame_html(
    frame: pd.DataFrame,
    caption: str,
    *,
    title: str = "",
    label: str = "",
    css: str = "tabell",
    signed: tuple[str, ...] = (),
    row_header: bool = True,
    scroll: bool = True,
) -> str:
    """Return a display frame as an accessible HTML table in its scroll area; all text escaped.

    title is said before the caption to screen readers only (a heading above shows it); label
    names the scroll area (the caption by default); signed columns show a plus on gains. An empty
    caption leaves the table without one (a sentence above names it); row_header=False makes the
    first column ordinary cells (a table of one row); scroll=False leaves a small table in the
    text's flow, without a scroll area of its own to tab to.
    """
    shown = [i for i, c in enumerate(frame.columns) if c != KIND]
    amounts = {i for i in shown[1:] if pd.api.types.is_float_dtype(frame.iloc[:, i])}
    signed_at = {i for i in shown if frame.columns[i] in signed}
    hidden = f'<span class="dold">{esc(title)}. </span>' if title else ""
    head = "".join(f'<th scope="col">{esc(str(frame.columns[i]))}</th>' for i in shown)
    lines = [f'<table class="{css}">']
    if caption or title:
        lines.append(f"<caption>{hidden}{esc(caption)}</caption>")
    lines += [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    kinds = frame[KIND] if KIND in frame.columns else ["line"] * len(frame)
    for values, kind in zip(frame.itertuples(index=False), kinds, strict=True):
        heads = inline_html(values[shown[0]])
        if kind == HEADING:
            lines.append(
                f'<tr class="rubrik"><th scope="rowgroup" colspan="{len(shown)}">{heads}</th></tr>'
            )
            continue
        first = f'<th scope="row">{heads}</th>' if row_header else f"<td>{heads}</td>"
        cells = "".join(
            _amount_cell(values[i], i in signed_at)
            if i in amounts
            else f"<td>{inline_html(values[i])}</td>"
            for i in shown[1:]
        )
        row_class = ROW_CLASSES.get(kind, "rad")
        lines.append(f'<tr class="{row_class}">{first}{cells}</tr>')
    lines += ["</tbody>", "</table>"]
    table = "\n".join(lines)
    return scroll_area(table, label or caption) if scroll else table


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
    frame = printed_frame(table).drop(columns=KIND)
    header = [str(c) for c in frame.columns]
    records = [
        [label, *("" if pd.isna(v) else csv_number(v) for v in values)]
        for label, *values in frame.itertuples(index=False)
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
    ws.title = wording.TABLE_NAMES.get(table.name, table.name)[:31]
    frame = printed_frame(table)
    for col, text in enumerate(frame.columns.drop(KIND), start=1):
        text_cell(ws.cell(1, col), str(text))
    for excel_row, (label, *values, _kind) in enumerate(frame.itertuples(index=False), start=2):
        text_cell(ws.cell(excel_row, 1), label)
        for col, value in enumerate(values, start=2):
            if not pd.isna(value):
                ws.cell(excel_row, col, float(value))
    bold_rows = [i + 2 for i, kind in enumerate(frame[KIND]) if kind != "line"]
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
