"""Exploring a table in JupyterLab: DataFrames to sort and filter, one line against its section."""

import html

import pandas as pd
from pandas.io.formats.style import Styler

from klk_analysis import wording
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import number, period_text
from klk_analysis.loading import Table, normalise_label
from klk_analysis.report import Html, ReportData
from klk_analysis.sheets import fold
from klk_analysis.validation import sum_parts

SHARE = "Andel av summan, %"
# How the chosen row stands out in a displayed table: a pale yellow and bold, not colour alone.
HIGHLIGHT = {"background-color": "#fff3b0", "font-weight": "bold"}


def table_name(table: str) -> str:
    """Return the table's name as the package spells it, from any case, with or without å, ä, ö."""
    key = fold(table)  # as sheet names are matched
    if key not in wording.TABLE_NAMES:
        choices = ", ".join(wording.TABLE_NAMES)
        raise UnusableInputError(
            f"Tabellen {table!r} finns inte. Förväntade en av: {choices} "
            "(stora eller små bokstäver, med eller utan å, ä och ö)."
        )
    return key


def pick_table(data: ReportData, table: str) -> Table:
    """Return the table named 'resultatrakning' or 'driftredovisning', or say which exist."""
    return getattr(data.workbook, table_name(table))


def table_frame(data: ReportData, table: str) -> pd.DataFrame:
    """Return a table as a DataFrame to sort and filter: Rad, Typ and one column per header."""
    chosen = pick_table(data, table)
    rows = chosen.rows
    return pd.DataFrame(
        {
            "Rad": rows["label"],
            "Typ": rows["kind"].map(wording.ROW_KINDS).fillna(rows["kind"]),
            **{c.header: rows[c.id].astype(float) for c in chosen.columns},
        }
    )


def line_labels(data: ReportData, table: str) -> Html:
    """Return the labels of a table's rows, to choose the line to drill into."""
    rows = pick_table(data, table).rows
    items = "".join(f"<li>{html.escape(label)}</li>" for label in rows["label"])
    return Html(f"<ul>{items}</ul>", ", ".join(rows["label"]))


def _position(table: Table, line: str) -> int:
    keys = table.rows["key"].tolist()
    key = normalise_label(line)
    if key not in keys:
        names = ", ".join(repr(label) for label in table.rows["label"])
        raise UnusableInputError(
            f"Raden {line!r} finns inte i {wording.in_sentence(table.name)}. "
            f"Raderna heter: {names}."
        )
    return keys.index(key)


def section_sum(table: Table, position: int) -> int | None:
    """Return the position of the innermost sum that adds up a row, never the result; or None."""
    owners = [
        (len(parts), pos)
        for pos, parts in sum_parts(table).items()
        if position in parts and table.rows["kind"].iloc[pos] != "result"
    ]
    return min(owners)[1] if owners else None


def line_figures(data: ReportData, table: str, line: str) -> pd.DataFrame:
    """Return one line's figures beside its section's sum and its share of that sum, per column.

    A line is compared with the sum its section adds up to (a unit with the board's total, a
    cost line with Summa KOSTNADER), never with the result; a sum row has no share.
    """
    chosen = pick_table(data, table)
    position = _position(chosen, line)
    row = chosen.rows.iloc[position]
    owner = section_sum(chosen, position)
    total = chosen.rows.iloc[owner] if owner is not None else None
    amounts = pd.Series({c.header: float(row[c.id]) for c in chosen.columns})
    headers = [c.header for c in chosen.columns]
    sums = pd.Series(
        [float("nan") if total is None else float(total[c.id]) for c in chosen.columns], headers
    )
    shares = (amounts / sums.where(sums != 0) * 100).astype(float)
    frame = pd.DataFrame({"Belopp": amounts, "Avsnittets summa": sums, SHARE: shares})
    frame.index.name = "Kolumn"
    where = wording.in_sentence(chosen.name)
    frame.attrs["caption"] = (
        f"{row['label']} mot {total['label']} i {where}, mnkr"
        if total is not None
        else f"{row['label']} i {where}, mnkr; raden är själv en summa och har ingen andel"
    )
    return frame


def show(frame: pd.DataFrame, caption: str = "", highlight: int | None = None) -> Styler:
    """Show a frame with Swedish numbers (−1,6; 1 301,9), a caption and one row highlighted."""
    numeric = frame.select_dtypes("number").columns
    styled = frame.style.format(
        lambda v: "" if pd.isna(v) else number(v), subset=numeric
    ).set_caption(caption or frame.attrs.get("caption", ""))
    if highlight is not None:
        styled = styled.set_properties(subset=pd.IndexSlice[[highlight], :], **HIGHLIGHT)
    return styled


def whole_table(data: ReportData, table: str, line: str = "") -> Styler:
    """Return the whole table with Swedish numbers and the chosen line highlighted."""
    chosen = pick_table(data, table)
    frame = table_frame(data, table)
    caption = f"{wording.TABLE_NAMES[chosen.name]} {period_text(data.period)}, mnkr"
    return show(frame, caption, _position(chosen, line) if line else None)
