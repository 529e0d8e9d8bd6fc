"""Swedish sentences from templates: every figure in a sentence comes from the data."""

import re
from functools import cache

import jinja2
import pandas as pd

from klk_analysis import wording
from klk_analysis.deviations import ranked
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import (
    amount_label,
    board_genitive,
    count_phrase,
    mnkr,
    number_word,
    percent,
    period_span,
    quoted,
    rounded,
    series,
    signed,
)
from klk_analysis.loading import Table, Workbook, ram_row
from klk_analysis.periods import Period
from klk_analysis.validation import Finding, annual_budget

# Interim reports by the month they end with; other months are named by the month.
REPORT_NAMES = {
    3: "Delårsrapport 1",
    4: "Delårsrapport 1",
    8: "Delårsrapport 2",
    12: "Årsredovisning",
}
LARGEST_LINES = 3
# A sentence names at most this many units, the largest first; the rest are counted.
LARGEST_UNITS = 5
_DASHES = "-\u2212\u2013\u2014•*· "
# The reconciliation's checks in the report's own words: what the printed figure is compared to.
CHECK_WORDS = {
    "summa": "raderna ovanför summerar till",
    "budgetavvikelse": "utfall minus budget ger",
    "avvikelse_arsprognos": "årsprognos minus årsbudget ger",
    "mellan_tabeller": "resultaträkningens resultat ger",
    "driftram": "driftram och budgeterat resultat ger",
    "enhet": "driftramen ger",
}


def finding_sentence(finding: Finding) -> str:
    """Say in the report's words where a check found a gap, and the printed and computed figures."""
    table = wording.TABLE_NAMES_DEFINITE.get(finding.table, finding.table)
    where = f"{table}, rad {quoted(finding.row)}, kolumn {quoted(finding.column)}"
    if finding.printed is None:
        return f"{where}: kontrollen kunde inte räkna fram beloppet."
    if finding.computed is None:
        # Only the unit check leaves the computed figure out: an amount too large for mnkr.
        return (
            f"{where}: {mnkr(finding.printed)} mnkr är orimligt stort för en nämnd; "
            "beloppen ser ut att vara i tkr."
        )
    gap = finding.printed - finding.computed
    what = CHECK_WORDS.get(finding.check, "beräknat")
    return (
        f"{where}: tryckt {mnkr(finding.printed)} mnkr, {what} {mnkr(finding.computed)} mnkr, "
        f"en differens på {mnkr(gap, sign=True)} mnkr."
    )


def report_name(period: Period) -> str:
    """Name the report of a period: Delårsrapport 1 or 2, Årsredovisning, or the month."""
    return REPORT_NAMES.get(period.month, period.month_name.capitalize())


def report_title(board: str, period: Period) -> str:
    """Title a board's report: "<nämndens> delårsrapport 1, <år>" or "... årsredovisning <år>"."""
    name = report_name(period)
    if period.month in REPORT_NAMES:
        separator = ", " if name.startswith("Delårsrapport") else " "
        return f"{board_genitive(board)} {name.lower()}{separator}{period.year}"
    return f"{board_genitive(board)} månadsrapport {period.month_name} {period.year}"


@cache
def environment() -> jinja2.Environment:
    """Return the template environment: package templates, Swedish filters, strict variables."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("klk_analysis", "templates/text"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; the HTML edge escapes it
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        mnkr=mnkr,
        signed=signed,
        percent=percent,
        genitive=board_genitive,
        series=series,
        bar_label=amount_label,
        words=number_word,
        count=count_phrase,
        quoted=quoted,
    )
    return env


def render(template: str, **context) -> str:
    """Render a text template with the given figures and return one paragraph of text."""
    text = environment().get_template(template).render(**context)
    # Only ordinary white space: the no-break spaces in "1 301,9" must stay.
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def sentence_label(label: str) -> str:
    """Return a line's label for a sentence: "- Övriga kostnader" → "övriga kostnader"."""
    text = label.lstrip(_DASHES).strip()
    # Lower the first letter only of ordinary words, never of abbreviations such as "IT-stöd".
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def plain_label(label: str) -> str:
    """Return a label as printed but without leading dashes or bullets."""
    return label.lstrip(_DASHES).strip()


def _column(table: Table, path, measure: str, year: int) -> str:
    column = table.column(measure, year)
    if column is None:
        raise UnusableInputError(
            f"{path}, blad {table.sheet!r}: ingen kolumn för {measure} {year}; "
            f"hittade {series(repr(c.header) for c in table.columns)}."
        )
    return column.id


def _nonzero(value: float) -> bool:
    return rounded(value) != 0


def _amounts(labels, values, name) -> list[dict]:
    return [
        {"name": name(label), "amount": float(value)}
        for label, value in zip(labels, values, strict=True)
        if _nonzero(value)
    ]


def _largest(rows: pd.DataFrame, column: str) -> list[dict]:
    picked = ranked(rows[rows["kind"] == "line"], column, by_size=True).head(LARGEST_LINES)
    return _amounts(picked["label"], picked[column], sentence_label)


def revenue_row_budget(table: Table, budgets: pd.Series, ram: int) -> float:
    """Return the total revenue budget: the revenue sum, else revenue lines, with the driftram."""
    rows = table.rows
    sums = [p for p in range(len(rows)) if rows["kind"].iloc[p] == "sum"]
    revenue_sums = [p for p in sums if "intäkt" in rows["key"].iloc[p]]
    if revenue_sums:
        total = revenue_sums[0]
        # "Summa intäkter" may or may not hold the driftram (Kommunbidrag often stands apart)
        inside = ram in _members(table.parts, total)
        return float(budgets.iloc[total]) + (0.0 if inside else float(budgets.iloc[ram]))
    lines = [
        p
        for p in range(len(rows))
        if rows["kind"].iloc[p] == "line" and "intäkt" in rows["key"].iloc[p] and p != ram
    ]
    return float(budgets.iloc[[*lines, ram]].sum())


def _members(parts: dict, position: int) -> set[int]:
    """Every row a sum holds, at any depth."""
    found = set()
    for member in parts.get(position, ()):
        found |= {member, *_members(parts, member)}
    return found


def _optional_column(table: Table, measure: str, year: int) -> str | None:
    column = table.column(measure, year)
    return None if column is None else column.id


def _named_units(sign: str, units: pd.DataFrame, column: str) -> dict:
    # The largest deviations, named in order of size; how many more there are, counted.
    by_size = ranked(units, column, by_size=True)
    named = _amounts(by_size["label"], by_size[column], plain_label)
    return {f"{sign}_units": named[:LARGEST_UNITS], f"more_{sign}": len(named[LARGEST_UNITS:])}


def economy_context(workbook: Workbook, findings: list[Finding]) -> dict:
    """Collect the figures and names the economy sentences need from a workbook and its checks."""
    rr, dr, path = workbook.resultatrakning, workbook.driftredovisning, workbook.path
    year = workbook.period.year
    budgets = annual_budget(rr)
    ram, result = ram_row(rr), rr.total()
    if ram is None or result is None or budgets is None:
        raise UnusableInputError(
            f"{path}, blad {rr.sheet!r}: resultaträkningen saknar "
            + ("en rad för driftramen (till exempel Kommunbidrag)" if ram is None else "")
            + (" och " if ram is None and result is None else "")
            + ("en resultatrad (till exempel Årets resultat)" if result is None else "")
            + ("årsbudget" if budgets is None and ram is not None and result is not None else "")
            + ". Kör klk check FIL."
        )
    utfall = _column(rr, path, "utfall", year)
    deviation = _column(rr, path, "budgetavvikelse", year)
    forecast = _optional_column(rr, "arsprognos", year)
    forecast_deviation = _optional_column(rr, "avvikelse_arsprognos", year)
    units = dr.rows[dr.rows["kind"] == "line"]
    # At year-end without forecasts the units are ranked by their budget deviation.
    unit_deviation = _optional_column(dr, "avvikelse_arsprognos", year) or _column(
        dr, path, "budgetavvikelse", year
    )
    positive = units[units[unit_deviation] > 0]
    negative = units[units[unit_deviation] < 0]
    budget_result = float(budgets.iloc[result])
    infos = [f for f in findings if f.severity == "info" and f.computed is not None]

    def at_result(column):
        return None if column is None else float(rr.rows[column].iloc[result])

    return {
        "board": workbook.board,
        "year": year,
        "period_span": period_span(workbook.period),
        "report_name": report_name(workbook.period),
        "revenue_budget": revenue_row_budget(rr, budgets, ram),
        "driftram": float(budgets.iloc[ram]),
        "result": float(rr.rows[utfall].iloc[result]),
        "budget_result": budget_result,
        "budget_result_is_zero": not _nonzero(budget_result),
        "forecast": at_result(forecast),
        "result_deviation": float(rr.rows[deviation].iloc[result]),
        "forecast_deviation": at_result(forecast_deviation),
        "units_by_forecast": unit_deviation != _column(dr, path, "budgetavvikelse", year),
        **_named_units("positive", positive, unit_deviation),
        **_named_units("negative", negative, unit_deviation),
        "largest_budget_lines": _largest(rr.rows, deviation),
        "largest_forecast_lines": _largest(rr.rows, forecast_deviation)
        if forecast_deviation
        else [],
        "errors": [finding_sentence(f) for f in findings if f.severity == "error"],
        "warnings": [finding_sentence(f) for f in findings if f.severity == "warning"],
        "rounding_count": len(infos),
        "rounding_max": max((abs(f.printed - f.computed) for f in infos), default=0.0),
    }


def summary(context: dict) -> list[str]:
    """Return the summary's paragraphs: the revenue budget and driftram, result and forecast."""
    return [render("intakter.txt.j2", **context), render("resultat.txt.j2", **context)]


def comments(context: dict) -> list[str]:
    """Return the comments on result and forecast: deviations by line and unit, and the checks."""
    return [
        render("avvikelser_rader.txt.j2", **context),
        render("prognos_enheter.txt.j2", **context),
        render("kontroller.txt.j2", **context),
    ]
