"""Drilling into one line of a table: its figures beside the table's total, for the economists."""

import html

from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import number
from klk_analysis.loading import Table, normalise_label
from klk_analysis.report import TABLE_TITLES, Html, ReportData, period_text, table_html


def pick_table(data: ReportData, table: str) -> Table:
    """Return the table named 'resultatrakning' or 'driftredovisning', or say which exist."""
    if table not in TABLE_TITLES:
        raise UnusableInputError(
            f"tabellen {table!r} finns inte. Förväntade en av: {', '.join(TABLE_TITLES)}."
        )
    return getattr(data.workbook, table)


def line_labels(data: ReportData, table: str) -> Html:
    """Return the labels of a table's rows, to choose the line to drill into."""
    rows = pick_table(data, table).rows
    items = "".join(f"<li>{html.escape(label)}</li>" for label in rows["label"])
    return Html(f"<ul>{items}</ul>", ", ".join(rows["label"]))


def line_figures(data: ReportData, table: str, line: str) -> Html:
    """Return every figure of one line beside the table's total and its share of the total."""
    chosen = pick_table(data, table)
    rows = chosen.rows
    match = rows[rows["key"] == normalise_label(line)]
    if match.empty:
        raise UnusableInputError(
            f"raden {line!r} finns inte i {TABLE_TITLES[table].lower()}en. Raderna heter: "
            + ", ".join(repr(label) for label in rows["label"])
            + "."
        )
    totals = rows[rows["kind"] != "line"]
    total = totals.iloc[-1]
    row = match.iloc[0]
    body = []
    for column in chosen.columns:
        part, whole = float(row[column.id]), float(total[column.id])
        shown = number(part / whole * 100, 1) + "\u00a0%" if whole else ""
        body.append(
            f'<tr><th scope="row">{html.escape(column.header)}</th>'
            f"<td>{number(row[column.id])}</td><td>{number(total[column.id])}</td>"
            f"<td>{shown}</td></tr>"
        )
    caption = f"{row['label']} i {TABLE_TITLES[table].lower()}en, mnkr"
    return Html(
        f'<table class="tabell"><caption>{html.escape(caption)}</caption>'
        f'<thead><tr><th scope="col">Kolumn</th><th scope="col">{html.escape(row["label"])}</th>'
        f'<th scope="col">{html.escape(total["label"])}</th>'
        '<th scope="col">Andel av summan</th></tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>",
        caption,
    )


def whole_table(data: ReportData, table: str) -> Html:
    """Return the whole table the line belongs to, as printed."""
    return table_html(
        pick_table(data, table), f"{TABLE_TITLES[table]} {period_text(data.period)}, mnkr"
    )
