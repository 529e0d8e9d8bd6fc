"""The municipality's compilation: every board's net cost, kommunbidrag, deviations and forecast.

Each board's row is taken from the key amounts its run recorded in its manifest, and reconciled
against the same rows and columns read back from the board's own tabeller/resultatrakning.xlsx,
to the öre. The functions here are pure (DataFrame in, DataFrame or text out); reading the board
folders and writing sammanstallning.html and .xlsx happen in `write_compilation` at the edge.
"""

import json
from html import escape as esc
from pathlib import Path

import numpy as np
import pandas as pd

from klk_analysis import wording
from klk_analysis.errors import RunFailedError
from klk_analysis.formatting import XLSX_NUMBER_FORMAT, mnkr, rounded
from klk_analysis.loading import Workbook, ram_row
from klk_analysis.periods import Period

# The compilation's charts: 1,5 × their on-screen size is sharp on a phone or a high-density
# screen and draws in about half the time of the 200 dpi the board reports print at.
SCREEN_DPI = 144
HTML_FILE = "sammanstallning.html"
XLSX_FILE = "sammanstallning.xlsx"
TOTAL = "Kommunen totalt"
# Half an öre in mnkr: a row equals its report's figure when they differ by less.
ORE = 0.5e-8
# The compilation's figures: key, Swedish column header. Costs are negative, as in the reports;
# a deviation is positive when the board did better than its budget.
FIGURES = {
    "net_cost": "Nettokostnad utfall",
    "net_cost_budget": "Nettokostnad budget",
    "budget_deviation": "Budgetavvikelse",
    "kommunbidrag": "Kommunbidrag helår",
    "forecast_net_cost": "Nettokostnad årsprognos",
    "forecast_deviation": "Prognosavvikelse",
}
# The resultaträkning's rows and measures the figures come from.
ROWS = ("resultat", "kommunbidrag")
MEASURES = ("utfall", "budget", "budgetavvikelse", "arsprognos", "avvikelse_arsprognos")
STATUS_OK = "ok"
ACCURACY_MEAN = "Genomsnitt för nämnderna"


# --- the key amounts of one board ----------------------------------------------------------------


def key_amounts(workbook: Workbook) -> dict:
    """Return the resultaträkning cells the compilation needs: row label, header, amount."""
    rr = workbook.resultatrakning
    # The check requires both rows before a report is made; a missing one leaves its figures NaN.
    positions = dict(zip(ROWS, (rr.total(), ram_row(rr)), strict=True))
    amounts = []
    for row, pos in positions.items():
        if pos is None:
            continue
        for measure in MEASURES:
            column = rr.column(measure, workbook.period.year)
            if column is not None:
                amounts.append(
                    {
                        "row": row,
                        "measure": measure,
                        "label": str(rr.rows["label"].iloc[pos]),
                        "header": column.header,
                        "amount": float(rr.rows[column.id].iloc[pos]),
                    }
                )
    return {"board": workbook.board, "period": str(workbook.period), "amounts": amounts}


def figures(amounts: list[dict]) -> dict[str, float]:
    """Derive the compilation's figures from a board's key amounts (NaN where one is missing)."""
    a = {(x["row"], x["measure"]): float(x["amount"]) for x in amounts}

    def get(row: str, measure: str) -> float:
        return a.get((row, measure), np.nan)

    return {
        # result = net cost + kommunbidrag, so the net cost is the result less the kommunbidrag
        "net_cost": get("resultat", "utfall") - get("kommunbidrag", "utfall"),
        "net_cost_budget": get("resultat", "budget") - get("kommunbidrag", "budget"),
        "budget_deviation": get("resultat", "budgetavvikelse"),
        "kommunbidrag": get("kommunbidrag", "arsprognos")
        - get("kommunbidrag", "avvikelse_arsprognos"),
        "forecast_net_cost": get("resultat", "arsprognos") - get("kommunbidrag", "arsprognos"),
        "forecast_deviation": get("resultat", "avvikelse_arsprognos"),
    }


def read_back(xlsx: Path, amounts: list[dict]) -> list[dict]:
    """Read the same cells back from a board's tabeller/resultatrakning.xlsx by label, header."""
    import openpyxl

    book = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    header = [str(h) if h is not None else "" for h in rows[0]]
    labels = {str(r[0]): r for r in rows[1:] if r and r[0] is not None}
    found = []
    for amount in amounts:
        row = labels.get(amount["label"])
        col = header.index(amount["header"]) if amount["header"] in header else None
        value = row[col] if row is not None and col is not None else None
        found.append({**amount, "amount": float(value) if value is not None else np.nan})
    return found


# --- the table ---------------------------------------------------------------------------------


def compilation_table(boards: pd.DataFrame) -> pd.DataFrame:
    """Return the boards (board, status, message, link, figures) sorted, with the total last.

    The total adds the boards whose report was made; a board that failed has no figures.
    """
    ordered = boards.sort_values("board", key=lambda s: s.str.casefold(), kind="stable")
    ok = ordered[ordered["status"] == STATUS_OK]
    counted = len(ok)
    total = {key: float(ok[key].sum()) if counted else np.nan for key in FIGURES}
    note = f"{counted} av {len(ordered)} nämnder"
    total_row = {"board": TOTAL, "status": "", "message": note, "link": "", **total}
    return pd.concat([ordered, pd.DataFrame([total_row])], ignore_index=True).assign(
        is_total=lambda d: d["board"].eq(TOTAL) & (d.index == len(d) - 1)
    )


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the compilation as a display frame: Swedish headers, amounts, each board linked."""
    from klk_analysis.tables import KIND, Link

    status = [
        m if t else (STATUS_OK if s == STATUS_OK else m)
        for s, m, t in zip(table["status"], table["message"], table["is_total"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Nämnd": [
                Link(name, link) if link else name
                for name, link in zip(table["board"], table["link"], strict=True)
            ],
            **{header: table[key].astype(float) for key, header in FIGURES.items()},
            "Status": status,
            KIND: ["result" if t else "line" for t in table["is_total"]],
        }
    ).reset_index(drop=True)


def reconcile(table: pd.DataFrame, read: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Check each board's row against its own report's tables and the total against the rows.

    `read` has a row per board with the figures read back from its tabeller/resultatrakning.xlsx.
    Returns findings (severity, message): an error where a row differs from its report by half
    an öre or more; for the total, info where the printed rows add up to a printed total that
    differs by rounding, an error where it differs by more than the tolerance.
    """
    notes = []
    boards = table[~table["is_total"] & (table["status"] == STATUS_OK)].set_index("board")
    back = read.set_index("board")
    for board, row in boards.iterrows():
        for key, header in FIGURES.items():
            mine, theirs = row[key], back[key].get(board, np.nan) if key in back else np.nan
            if pd.isna(mine) and pd.isna(theirs):
                continue
            if pd.isna(theirs) or pd.isna(mine) or abs(mine - theirs) >= ORE:
                shown = "saknas" if pd.isna(theirs) else mnkr(theirs)
                notes.append(
                    {
                        "severity": "error",
                        "message": f"{board}: {header.lower()} {mnkr(mine)} i sammanställningen "
                        f"men {shown} enligt nämndens rapport (tabeller/resultatrakning.xlsx).",
                    }
                )
    total = table[table["is_total"]].iloc[0]
    for key, header in FIGURES.items():
        if pd.isna(total[key]) or boards.empty:
            continue
        printed_rows = float(sum(rounded(v) for v in boards[key]))
        printed_total = float(rounded(total[key]))
        gap = round(printed_total - printed_rows, 6)
        if gap == 0:
            continue
        severity = "info" if abs(gap) <= tolerance + 1e-9 else "error"
        notes.append(
            {
                "severity": severity,
                "message": f"{header}: nämndernas rader som de skrivs summerar till "
                f"{mnkr(printed_rows)}, totalen {mnkr(printed_total)} (differens {mnkr(gap)}"
                + (", avrundning)." if severity == "info" else ", mer än toleransen).")
                + ("" if severity == "info" else f" Toleransen är {mnkr(tolerance)} mnkr."),
            }
        )
    return pd.DataFrame(notes, columns=["severity", "message"])


def _largest(table: pd.DataFrame, key: str, positive: bool, count: int = 2) -> list[dict]:
    boards = table[~table["is_total"] & (table["status"] == STATUS_OK)]
    chosen = (
        boards[boards[key].map(rounded) > 0] if positive else boards[boards[key].map(rounded) < 0]
    )
    chosen = chosen.sort_values(key, ascending=not positive, kind="stable").head(count)
    return [
        {"name": b, "amount": float(v)} for b, v in zip(chosen["board"], chosen[key], strict=True)
    ]


def sentences(table: pd.DataFrame, period: Period) -> str:
    """Return the paragraph naming the total and the boards with the largest deviations."""
    from klk_analysis.formatting import period_span
    from klk_analysis.narrative import render

    total = table[table["is_total"]].iloc[0]
    boards = table[~table["is_total"]]
    failed = boards[boards["status"] != STATUS_OK]["board"].tolist()
    return render(
        "sammanstallning.txt.j2",
        span=period_span(period),
        year=period.year,
        counted=int((boards["status"] == STATUS_OK).sum()),
        boards=len(boards),
        **{key: (0.0 if pd.isna(total[key]) else float(total[key])) for key in FIGURES},
        best_budget=_largest(table, "budget_deviation", True),
        worst_budget=_largest(table, "budget_deviation", False),
        best_forecast=_largest(table, "forecast_deviation", True),
        worst_forecast=_largest(table, "forecast_deviation", False),
        failed=failed,
    )


def deviation_charts(table: pd.DataFrame, period: Period) -> list:
    """Chart the budget and the forecast deviation per board, largest on top."""
    from klk_analysis.charts import Chart, _deviation_chart, source_note
    from klk_analysis.formatting import period_span
    from klk_analysis.narrative import render

    boards = table[~table["is_total"] & (table["status"] == STATUS_OK)]
    total = table[table["is_total"]].iloc[0]
    span = f"{period_span(period)} {period.year}"
    charts = []
    for key, name, title, better, worse in (
        (
            "budget_deviation",
            "budgetavvikelse_per_namnd",
            f"Budgetavvikelse per nämnd, {span} (mnkr)",
            "Bättre än budget",
            "Sämre än budget",
        ),
        (
            "forecast_deviation",
            "prognosavvikelse_per_namnd",
            f"Prognosavvikelse per nämnd, helår {period.year}, "
            f"prognos i {period.month_name} (mnkr)",
            "Bättre än årsbudget",
            "Sämre än årsbudget",
        ),
    ):
        ranked = boards.sort_values(key, ascending=False, kind="stable")
        names, values = ranked["board"].tolist(), [float(v) for v in ranked[key]]
        figure = _deviation_chart(names[::-1], values[::-1], title, better, worse)
        alt = render(
            "diagram_enheter.txt.j2",
            title=title,
            items=[{"name": n, "amount": v} for n, v in zip(names, values, strict=True)],
            total=None if pd.isna(total[key]) else float(total[key]),
            board="kommunen",
            per="nämnd",
            per_plural="nämnder",
            better=better,
            worse=worse,
        )
        note = source_note("nämndernas resultaträkningar", [FIGURES[key]], ", raden årets resultat")
        charts.append(Chart(name, title, figure, alt, note))
    return charts


# --- prognossäkerhet per board, at December ------------------------------------------------------


def forecast_accuracy(register: pd.DataFrame, period: Period, boards: list[str]) -> pd.DataFrame:
    """Return outcome − forecast of each board's result, one row per board, a column per month.

    Only at December, when the year's outcome is in the register (from that board's December
    run): the managers' årsprognos for the result row given at each earlier report of the year,
    against the December result. Positive: the outcome turned out better than the forecast.
    Empty before December or when no board has both a forecast and an outcome.
    """
    from klk_analysis.register import accuracy

    if period.month != 12 or register.empty:
        return pd.DataFrame()
    scored = accuracy(register[register["board"].isin(boards)], period.year)
    result = scored[
        (scored["method"] == "arsprognos")
        & (scored["table"] == "resultatrakning")
        & (scored["kind"] == "result")
    ]
    if result.empty:
        return pd.DataFrame()
    table = result.pivot_table(index="board", columns="month", values="error", aggfunc="first")
    order = [b for b in sorted(boards, key=str.casefold) if b in table.index]
    return table.loc[order].sort_index(axis=1)


def accuracy_bias(errors: pd.DataFrame) -> pd.DataFrame:
    """Return the bias across boards per forecast month: mean error, boards, how many better."""
    return pd.DataFrame(
        {
            "month": errors.columns,
            "mean_error": [float(errors[m].mean()) for m in errors.columns],
            "boards": [int(errors[m].notna().sum()) for m in errors.columns],
            "better": [int((errors[m] > 0).sum()) for m in errors.columns],
        }
    )


def accuracy_display(errors: pd.DataFrame) -> pd.DataFrame:
    """Return the accuracy table as a display frame: a row per board, the mean as last row."""
    from klk_analysis.formatting import MONTH_NAMES_SV
    from klk_analysis.tables import KIND

    headers = {m: f"Prognos i {MONTH_NAMES_SV[m - 1]}" for m in errors.columns}
    mean = errors.mean().rename(ACCURACY_MEAN)
    shown = pd.concat([errors, mean.to_frame().T]).rename(columns=headers).astype(float)
    return (
        shown.rename_axis("Nämnd").reset_index().assign(**{KIND: ["line"] * len(errors) + ["sum"]})
    )


def accuracy_sentences(errors: pd.DataFrame, year: int) -> str:
    """Return the sentences on the bias across boards, one per forecast month."""
    from klk_analysis.formatting import MONTH_NAMES_SV
    from klk_analysis.narrative import render

    months = [
        {**r, "name": MONTH_NAMES_SV[int(r["month"]) - 1]}
        for r in accuracy_bias(errors).to_dict("records")
    ]
    return render("sammanstallning_prognossakerhet.txt.j2", year=year, months=months)


def accuracy_charts(errors: pd.DataFrame, year: int) -> list:
    """Chart outcome − forecast per board for each forecast month of the year."""
    from klk_analysis.charts import Chart, _deviation_chart
    from klk_analysis.formatting import MONTH_NAMES_SV
    from klk_analysis.narrative import render

    charts = []
    for month in errors.columns:
        ranked = errors[month].dropna().sort_values(ascending=False, kind="stable")
        name = MONTH_NAMES_SV[month - 1]
        title = f"Prognossäkerhet per nämnd {year}, prognos i {name} (mnkr)"
        better, worse = "Utfall bättre än prognosen", "Utfall sämre än prognosen"
        names, values = ranked.index.tolist(), [float(v) for v in ranked]
        figure = _deviation_chart(names[::-1], values[::-1], title, better, worse)
        alt = render(
            "diagram_enheter.txt.j2",
            title=title,
            items=[{"name": n, "amount": v} for n, v in zip(names, values, strict=True)],
            total=None,
            board="kommunen",
            per="nämnd",
            per_plural="nämnder",
            better=better,
            worse=worse,
        )
        note = (
            f"Källa: prognosregistret, årets resultat i december minus nämndens årsprognos "
            f"i {name}."
        )
        charts.append(Chart(f"prognossakerhet_{month:02d}_per_namnd", title, figure, alt, note))
    return charts


# --- the renderers -------------------------------------------------------------------------------


def table_part(table: pd.DataFrame, caption: str):
    """Return the compilation as a table of the page, each board linked to its report."""
    from klk_analysis.sections import Table

    # In the page's flow, not a scroll area: on a screen the Status column stays in view.
    options = {"css": "tabell sammanstallning", "scroll": False}
    return Table(display_table(table), caption, options)


def findings_parts(notes: pd.DataFrame) -> tuple:
    """Return the reconciliation's findings as a list, or the sentence that everything agrees."""
    from klk_analysis.sections import Bullets, paragraphs
    from klk_analysis.tables import Strong

    if notes.empty:
        return paragraphs(
            [
                "Varje nämnds rad stämmer till öret med nämndens egen rapport, och nämnderna "
                "summerar till kommunens total."
            ]
        )
    words = wording.SEVERITY_IN_REPORT
    items = tuple(
        (Strong(f"{words.get(s, s)}:", s), f" {m}")
        for s, m in zip(notes["severity"], notes["message"], strict=True)
    )
    return (Bullets(items),)


def accuracy_sections(errors: pd.DataFrame, charts: list, year: int) -> list:
    """Return the prognossäkerhet section: the bias sentences, the table and its charts."""
    from klk_analysis.sections import Figure, Table, paragraphs, section
    from klk_analysis.tables import KIND

    if errors.empty:
        return []
    shown = accuracy_display(errors)
    signed = tuple(c for c in shown.columns[1:] if c != KIND)
    caption = (
        f"Prognossäkerhet per nämnd {year}: årets resultat minus nämndens årsprognos för det "
        "(mnkr); positivt när utfallet blev bättre än prognosen"
    )
    parts = [
        *paragraphs([accuracy_sentences(errors, year)]),
        Table(shown, caption, {"signed": signed, "scroll": False}),
        *(Figure(c, SCREEN_DPI) for c in charts),
    ]
    return [section("Prognossäkerhet per nämnd", 2, parts)]


def render_html(
    table, notes, paragraph, charts, period: Period, footer: str, accuracy: list = ()
) -> str:
    """Return sammanstallning.html: one self-contained page under the reports' email rules."""
    from klk_analysis.formatting import period_span
    from klk_analysis.htmlexport import TEMPLATES
    from klk_analysis.sections import Block, Figure, document_html, paragraphs, section

    css = (TEMPLATES / "rapport" / "rapport.css").read_text(encoding="utf-8")
    title = f"Sammanställning per nämnd, {period_span(period)} {period.year}"
    caption = f"Driftredovisning per nämnd, {period_span(period)} {period.year} (belopp i mnkr)"
    explanation = (
        "Nettokostnaden är nämndens resultat minus kommunbidraget (negativ: en kostnad). "
        "Avvikelserna är positiva när nämnden gör bättre än budget. Varje nämnds namn "
        "länkar till dess rapport i mappen bredvid den här filen."
    )
    heading = section(title, 1, [*paragraphs([paragraph, explanation]), table_part(table, caption)])
    checks = Block(findings_parts(notes), "avstamning", "section")
    body = document_html(
        heading,
        [
            section("Diagram", 2, [Figure(c, SCREEN_DPI) for c in charts]),
            *accuracy,
            section("Avstämning mot nämndernas rapporter", 2, [checks]),
        ],
        contents=False,
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{css}\n"
        "table.sammanstallning td:not(.tal) { text-align: left; white-space: normal; "
        "min-width: 6em; }\n</style>\n</head>\n<body>\n"
        '<main class="rapport">\n'
        + body
        + f'\n<footer class="sidfot"><p>{esc(footer)}</p></footer>\n</main>\n</body>\n</html>\n'
    )


def write_xlsx(
    table: pd.DataFrame, notes: pd.DataFrame, path: Path, accuracy: pd.DataFrame | None = None
) -> Path:
    """Write the compilation to Excel: unrounded amounts with the reports' number format."""
    import openpyxl
    from openpyxl.styles import Font

    from klk_analysis.tables import text_cell

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sammanställning"
    header = ["Nämnd", *FIGURES.values(), "Status"]
    for col, text in enumerate(header, start=1):
        text_cell(ws.cell(1, col), text)
        ws.cell(1, col).font = Font(bold=True)
    shown = display_table(table)
    for offset, (_, row) in enumerate(table.iterrows()):
        excel_row = offset + 2
        text_cell(ws.cell(excel_row, 1), row["board"])
        for col, key in enumerate(FIGURES, start=2):
            if not pd.isna(row[key]):
                cell = ws.cell(excel_row, col, float(row[key]))
                cell.number_format = XLSX_NUMBER_FORMAT
        text_cell(ws.cell(excel_row, len(header)), shown["Status"].iloc[offset])
        if row["is_total"]:
            for col in range(1, len(header) + 1):
                ws.cell(excel_row, col).font = Font(bold=True)
    ws.column_dimensions["A"].width = 40
    ws.freeze_panes = "B2"
    checks = book.create_sheet("Avstämning")
    for col, text in enumerate(("Allvarlighet", "Meddelande"), start=1):
        text_cell(checks.cell(1, col), text)
    for offset, (severity, message) in enumerate(
        zip(notes["severity"], notes["message"], strict=True), start=2
    ):
        text_cell(checks.cell(offset, 1), severity)
        text_cell(checks.cell(offset, 2), message)
    if accuracy is not None and not accuracy.empty:
        _accuracy_sheet(book.create_sheet("Prognossäkerhet"), accuracy)
    book.save(path)
    return path


def _accuracy_sheet(ws, errors: pd.DataFrame) -> None:
    from klk_analysis.tables import text_cell

    headers = accuracy_display(errors).columns
    for col, text in enumerate(headers, start=1):
        text_cell(ws.cell(1, col), text)
    full = pd.concat([errors, errors.mean().rename(ACCURACY_MEAN).to_frame().T])
    for row, (board, values) in enumerate(full.iterrows(), start=2):
        text_cell(ws.cell(row, 1), board)
        for col, value in enumerate(values, start=2):
            if not pd.isna(value):
                ws.cell(row, col, float(value)).number_format = XLSX_NUMBER_FORMAT
    ws.column_dimensions["A"].width = 40


# --- the edge: read the board folders, write the two files -----------------------------------


def read_board(folder: Path) -> tuple[dict, dict]:
    """Return a board folder's figures from its manifest and as read back from its tables."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    amounts = manifest["nyckeltal"]["amounts"]
    back = read_back(folder / "tabeller" / "resultatrakning.xlsx", amounts)
    return figures(amounts), figures(back)


def write_compilation(
    period: str,
    entries: list[dict],
    out_dir: Path,
    tolerance: float,
    footer: str = "",
    register_file: Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write sammanstallning.html and .xlsx into out_dir; return the table and the findings.

    Each entry names a board (board, slug, status, message); an entry with status ok is read
    from out_dir/<slug>/, whose manifest gives the row and whose tables the reconciliation.
    At December the forecast register (register_file) gives each board's prognossäkerhet.
    """
    from klk_analysis.htmlexport import check_html
    from klk_analysis.processed import staged_file
    from klk_analysis.register import read_register

    rows, read = [], []
    for entry in entries:
        row = {**entry, "link": "", **dict.fromkeys(FIGURES, np.nan)}
        if entry["status"] == STATUS_OK:
            folder = Path(out_dir) / entry["slug"]
            try:
                mine, theirs = read_board(folder)
            except (OSError, ValueError, KeyError, IndexError) as exc:
                row |= {"status": "fel", "message": f"rapporten i {folder} kan inte läsas ({exc})."}
            else:
                row |= {**mine, "link": f"{entry['slug']}/rapport.html"}
                read.append({"board": entry["board"], **theirs})
        rows.append(row)
    table = compilation_table(pd.DataFrame(rows))
    read_frame = pd.DataFrame(read, columns=["board", *FIGURES])
    counted = int((table["status"] == STATUS_OK).sum())
    # The printed rows of n boards can differ from their printed total by up to n × 0,05.
    notes = reconcile(table, read_frame, max(tolerance, 0.05 * counted))
    parsed = Period.parse(period)
    register = read_register(register_file) if register_file is not None else pd.DataFrame()
    errors = forecast_accuracy(register, parsed, [e["board"] for e in entries])
    section = accuracy_sections(errors, accuracy_charts(errors, parsed.year), parsed.year)
    html = render_html(
        table,
        notes,
        sentences(table, parsed),
        deviation_charts(table, parsed),
        parsed,
        footer,
        section,
    )
    problems = check_html(html, relative_links=True)
    if problems:
        raise RunFailedError(f"{HTML_FILE} bryter mot reglerna för e-post: " + "; ".join(problems))
    out_dir = Path(out_dir)
    with staged_file(out_dir / HTML_FILE) as temporary:
        temporary.write_text(html, encoding="utf-8")
    with staged_file(out_dir / XLSX_FILE) as temporary:
        write_xlsx(table, notes, temporary, errors)
    return table, notes
