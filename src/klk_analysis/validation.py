"""Reconciliation: every printed figure that can be recomputed is recomputed and compared."""

from collections.abc import Iterable

import pandas as pd

from klk_analysis import wording
from klk_analysis.errors import InconsistentDataError
from klk_analysis.findings import DEFAULT_TOLERANCE, Finding
from klk_analysis.formatting import mnkr
from klk_analysis.loading import (
    MAX_PLAUSIBLE_MNKR,
    UNIT_NAMES_SV,
    Column,
    Table,
    Workbook,
    likely_factor,
    printed_columns,
    ram_row,
)

# Driftram and the units' budgets a factor near 1 000 apart: one table is in tkr, one in mnkr.
_TKR_FACTOR = (500.0, 2000.0)
# Below this a gap is floating-point noise, not a difference a reader could see.
_NOISE = 0.005


def cell_of(table: Table, pos: int, column: Column) -> str:
    """Return the Excel address of a table's figure: its column letter and Excel row (C6)."""
    return f"{column.letter}{int(table.rows['excel_row'].iloc[pos])}"


def _where(table: Table, pos: int, column: Column) -> str:
    return (
        f"blad {table.sheet!r}, cell {cell_of(table, pos, column)} "
        f"(rad {table.rows['label'].iloc[pos]!r}, kolumn {column.header!r})"
    )


def _compare(check, table: Table, pos: int, column: Column, computed, what, tolerance, hint=""):
    printed = float(table.rows[column.id].iloc[pos])
    gap = printed - computed
    if abs(gap) < _NOISE:
        return None
    where = _where(table, pos, column)
    figures = (
        f"tryckt {mnkr(printed)}, {what} {mnkr(computed)} (differens {mnkr(gap, sign=True)} mnkr)"
    )
    if abs(gap) <= tolerance + 1e-9:
        severity = "info"
        message = (
            f"{where}: {figures}: avrundningsdifferens, beloppen är beräknade före avrundning."
        )
    else:
        severity = "error"
        message = f"{where}: {figures}, mer än toleransen {mnkr(tolerance)} mnkr.{hint}"
    return Finding(
        severity,
        check,
        table.name,
        table.rows["label"].iloc[pos],
        column.header,
        round(printed, 6),
        round(computed, 6),
        message,
        cell_of(table, pos, column),
    )


def sum_parts(table: Table) -> dict[int, list[int]]:
    """Map each sum row's position to the positions of the rows it adds up."""
    return {pos: list(members) for pos, members in table.parts.items()}


def _sign_hint(rows: pd.DataFrame, members: list[int], column: str, gap: float, tol: float):
    for pos in members:
        value = rows[column].iloc[pos]
        if value and abs(gap + 2 * value) <= tol + 1e-9:
            group = rows["group"].iloc[pos] if "group" in rows else ""
            where = f" i gruppen {group!r}" if group else ""
            return (
                f" Stämmer om raden {rows['label'].iloc[pos]!r}{where} har motsatt tecken "
                f"({mnkr(-value)} i stället för {mnkr(value)}): troligen ett tappat minustecken."
            )
    return ""


def check_sums(table: Table, tolerance: float) -> list[Finding]:
    """Check every sum row against the rows it adds up, in every column."""
    findings = []
    rows = table.rows
    for pos, members in sum_parts(table).items():
        if not members:
            continue
        for column in printed_columns(table):
            computed = float(rows[column.id].iloc[members].sum())
            gap = rows[column.id].iloc[pos] - computed
            hint = _sign_hint(rows, members, column.id, gap, tolerance)
            what = "raderna summerar till"
            finding = _compare("summa", table, pos, column, computed, what, tolerance, hint)
            if finding:
                findings.append(finding)
    return findings


def check_differences(table: Table, tolerance: float) -> list[Finding]:
    """Check budgetavvikelse = utfall − budget and avvikelse årsprognos = årsprognos − årsbudget."""
    findings = []
    pairs = [
        ("budgetavvikelse", "utfall", "budget"),
        ("avvikelse_arsprognos", "arsprognos", "arsbudget"),
    ]
    years = sorted({c.year for c in table.columns})
    for result, minuend, subtrahend in pairs:
        for year in years:
            cols = [table.column(m, year) for m in (result, minuend, subtrahend)]
            if None in cols or cols[0].derived:
                continue
            res, a, b = cols
            computed = table.rows[a.id] - table.rows[b.id]
            for pos, value in enumerate(computed):
                finding = _compare(
                    result,
                    table,
                    pos,
                    res,
                    float(value),
                    f"'{a.header}' minus '{b.header}' ger",
                    tolerance,
                )
                if finding:
                    findings.append(finding)
    return findings


def annual_budget(table: Table) -> pd.Series | None:
    """Return each row's annual budget: printed, or årsprognos minus avvikelse årsprognos."""
    column = table.column("arsbudget", table.period.year)
    return None if column is None else table.rows[column.id]


def check_between_tables(workbook: Workbook, tolerance: float) -> list[Finding]:
    """Check the driftredovisning's total against the resultaträkning's result and driftram."""
    rr, dr = workbook.resultatrakning, workbook.driftredovisning
    result, total = rr.total(), dr.total()
    if result is None or total is None:
        return []
    findings = []
    for measure in ("budgetavvikelse", "avvikelse_arsprognos"):
        a, b = rr.column(measure, rr.period.year), dr.column(measure, rr.period.year)
        if a is None or b is None or b.derived:
            continue
        where = f" (cell {cell_of(rr, result, a)})" if not a.derived else ""
        finding = _compare(
            "mellan_tabeller",
            dr,
            total,
            b,
            float(rr.rows[a.id].iloc[result]),
            f"resultaträkningens {rr.rows['label'].iloc[result]!r}{where} har",
            tolerance,
        )
        if finding:
            findings.append(finding)
    ram = ram_row(rr)
    rr_budget, dr_budget = annual_budget(rr), dr.column("arsbudget", rr.period.year)
    if ram is not None and rr_budget is not None and dr_budget is not None:
        if dr_budget.derived:
            return findings
        # Units' net budgets add up to the budgeted result minus the driftram.
        expected = float(rr_budget.iloc[result] - rr_budget.iloc[ram])
        finding = _compare(
            "driftram",
            dr,
            total,
            dr_budget,
            expected,
            f"driftram ({rr.rows['label'].iloc[ram]}) {mnkr(float(rr_budget.iloc[ram]))} och "
            f"budgeterat resultat {mnkr(float(rr_budget.iloc[result]))} ger",
            tolerance,
        )
        if finding:
            findings.append(finding)
    return findings


# The unit a table's figures look like they are in, by how much larger they are than stated.
_FACTOR_WORDS = {1000.0: "1 000", 1_000_000.0: "1 000 000"}
_SMALLER_UNIT = {("mnkr", 1000.0): "tkr", ("mnkr", 1_000_000.0): "kr", ("tkr", 1000.0): "kr"}
_LARGER_UNIT = {(smaller, factor): larger for (larger, factor), smaller in _SMALLER_UNIT.items()}


def _too_large(table: Table) -> tuple[int, Column, float] | None:
    for column in printed_columns(table):
        values = table.rows[column.id].abs()
        if (values > MAX_PLAUSIBLE_MNKR).any():
            pos = int(values.to_numpy().argmax())
            return pos, column, float(table.rows[column.id].iloc[pos])
    return None


def check_units(workbook: Workbook) -> list[Finding]:
    """Flag figures whose scale contradicts the stated unit: too large, or 1 000 times the ram."""
    findings = []
    for table in (workbook.resultatrakning, workbook.driftredovisning):
        found = _too_large(table)
        if found is None:
            continue
        pos, column, printed = found
        # tkr under "mnkr" is 1 000 too large; kronor under "mnkr" 1 000 000, under "tkr" 1 000.
        largest = max(float(table.rows[c.id].abs().max()) for c in printed_columns(table))
        factor = likely_factor(largest) if table.unit == "mnkr" else 1000.0
        real = _SMALLER_UNIT.get((table.unit, factor))
        # Kronor is the smallest unit: a figure too large in kronor is no unit mix-up.
        advice = (
            f"siffrorna ser ut att vara i {UNIT_NAMES_SV[real]} fast bladet anger "
            f"{UNIT_NAMES_SV[table.unit]} (en faktor {_FACTOR_WORDS[factor]}). Skriv "
            f"'Belopp i {UNIT_NAMES_SV[real]}' ovanför rubrikraden."
            if table.unit != "kr"
            else "bladet anger redan kronor, så beloppet är fel i sig. Kontrollera cellen."
        )
        findings.append(
            Finding(
                "error",
                "enhet",
                table.name,
                table.rows["label"].iloc[pos],
                column.header,
                round(printed, 6),
                None,
                f"{_where(table, pos, column)}: {mnkr(printed)} mnkr är orimligt stort för en "
                f"nämnd (över {mnkr(MAX_PLAUSIBLE_MNKR)} mnkr): {advice}",
                cell_of(table, pos, column),
            )
        )
    rr, dr = workbook.resultatrakning, workbook.driftredovisning
    ram, total = ram_row(rr), dr.total()
    rr_budget, dr_budget = annual_budget(rr), dr.column("arsbudget", rr.period.year)
    if any(x is None for x in (ram, total, rr_budget, dr_budget)) or dr_budget.derived:
        return findings
    ram_value, units = float(rr_budget.iloc[ram]), float(dr.rows[dr_budget.id].iloc[total])
    if not ram_value or not units:
        return findings
    ratio = abs(units / ram_value)
    low, high = _TKR_FACTOR
    flagged = {f.table for f in findings}
    for larger, other, factor in ((dr, rr, ratio), (rr, dr, 1 / ratio)):
        for size in (1000.0, 1_000_000.0):
            if not (low * size / 1000 <= factor <= high * size / 1000):
                continue
            # The larger table's figures in a smaller unit than its sheet states, or, when no
            # unit is that much smaller (kronor is the smallest), the other's in a larger one.
            suspect, real = larger, _SMALLER_UNIT.get((larger.unit, size))
            if real is None:
                suspect, real = other, _LARGER_UNIT.get((other.unit, size))
            if real is None or suspect.name in flagged:
                continue
            findings.append(
                Finding(
                    "error",
                    "enhet",
                    suspect.name,
                    dr.rows["label"].iloc[total],
                    dr_budget.header,
                    round(units, 6),
                    round(-ram_value, 6),
                    f"{wording.TABLE_NAMES[suspect.name]}: enheternas årsbudget {mnkr(units)} "
                    f"(blad {dr.sheet!r}, cell {cell_of(dr, total, dr_budget)}) och "
                    f"driftramen {mnkr(ram_value)} i resultaträkningens rad "
                    f"{rr.rows['label'].iloc[ram]!r} (blad {rr.sheet!r}) skiljer sig med "
                    f"en faktor {mnkr(factor)}: {wording.in_sentence(suspect.name)} ser ut "
                    f"att vara i {UNIT_NAMES_SV[real]} fast bladet anger "
                    f"{UNIT_NAMES_SV[suspect.unit]} (en faktor {_FACTOR_WORDS[size]}). Rätta "
                    f"enhetsraden ('Belopp i {UNIT_NAMES_SV[real]}') ovanför rubrikraden.",
                    cell_of(dr, total, dr_budget),
                )
            )
    return findings


def reconcile(workbook: Workbook, tolerance: float = DEFAULT_TOLERANCE) -> list[Finding]:
    """Run every check on a loaded workbook and return the findings, errors first."""
    # Unit findings first: when a table is in tkr they explain every other error.
    findings = check_units(workbook)
    for table in (workbook.resultatrakning, workbook.driftredovisning):
        findings += check_sums(table, tolerance)
        findings += check_differences(table, tolerance)
    findings += check_between_tables(workbook, tolerance)
    findings += list(workbook.notes)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    """Count findings per severity."""
    return {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}


def raise_for_errors(findings: Iterable[Finding], source: object) -> None:
    """Raise InconsistentDataError naming the first error when any finding is an error."""
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        more = (
            f" Ytterligare {len(errors) - 1} fel; kör klk check {source} för alla fel."
            if len(errors) > 1
            else ""
        )
        raise InconsistentDataError(f"{source}: siffrorna stämmer inte: {errors[0].message}{more}")
