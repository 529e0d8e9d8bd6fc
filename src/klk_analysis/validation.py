"""Reconciliation: every printed figure that can be recomputed is recomputed and compared."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from klk_analysis.errors import InconsistentDataError
from klk_analysis.formatting import mnkr
from klk_analysis.loading import Column, Table, Workbook

DEFAULT_TOLERANCE = 0.2
# The largest Swedish municipality's whole budget is under this, so no board's figure is larger.
MAX_PLAUSIBLE_MNKR = 50_000.0
# Driftram and the units' budgets a factor near 1 000 apart: one table is in tkr, one in mnkr.
_TKR_FACTOR = (500.0, 2000.0)
# Below this a gap is floating-point noise, not a difference a reader could see.
_NOISE = 0.005

TABLE_NAMES_SV = {"resultatrakning": "Resultaträkning", "driftredovisning": "Driftredovisning"}


@dataclass(frozen=True)
class Finding:
    """One result of a check: a rounding note (info), a warning or an error.

    `cell` is the Excel address of the printed figure the finding is about (C6), on the
    sheet of `table`; it comes last so that findings built without it still work.
    """

    severity: str
    check: str
    table: str
    row: str
    column: str
    printed: float | None
    computed: float | None
    message: str
    cell: str = ""

    def as_dict(self) -> dict:
        """Return the finding as plain data for JSON."""
        return asdict(self)


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


def sum_parts(rows: pd.DataFrame) -> dict[int, list[int]]:
    """Map each sum row's position to the positions of the rows it adds up."""
    parts, lines, sums = {}, [], []
    for pos, kind in enumerate(rows["kind"]):
        if kind == "line":
            lines.append(pos)
        elif kind == "sum":
            parts[pos] = lines or sums[:]
            sums.append(pos)
            lines = []
        else:  # result: the sections' sums, or the lines when there are no sections
            parts[pos] = sums + lines if sums else lines
            sums, lines = [], []
    return parts


def _sign_hint(rows: pd.DataFrame, members: list[int], column: str, gap: float, tol: float):
    for pos in members:
        value = rows[column].iloc[pos]
        if value and abs(gap + 2 * value) <= tol + 1e-9:
            return (
                f" Stämmer om raden {rows['label'].iloc[pos]!r} har motsatt tecken "
                f"({mnkr(-value)} i stället för {mnkr(value)}): troligen ett tappat minustecken."
            )
    return ""


def check_sums(table: Table, tolerance: float) -> list[Finding]:
    """Check every sum row against the rows it adds up, in every column."""
    findings = []
    rows = table.rows
    for pos, members in sum_parts(rows).items():
        if not members:
            continue
        for column in table.columns:
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
            if None in cols:
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


def _row(table: Table, kind: str | None = None, contains: str | None = None) -> int | None:
    rows = table.rows
    mask = pd.Series(True, index=rows.index)
    if kind:
        mask &= rows["kind"] == kind
    if contains:
        mask &= rows["key"].str.contains(contains, regex=False)
    found = rows.index[mask]
    return int(found[-1]) if len(found) else None


def annual_budget(table: Table) -> pd.Series | None:
    """Return each row's annual budget: printed, or årsprognos minus avvikelse årsprognos."""
    printed = table.column("arsbudget")
    if printed is not None:
        return table.rows[printed.id]
    forecast, deviation = table.column("arsprognos"), table.column("avvikelse_arsprognos")
    if forecast is None or deviation is None:
        return None
    return table.rows[forecast.id] - table.rows[deviation.id]


def check_between_tables(workbook: Workbook, tolerance: float) -> list[Finding]:
    """Check the driftredovisning's total against the resultaträkning's result and driftram."""
    rr, dr = workbook.resultatrakning, workbook.driftredovisning
    result = _row(rr, "result")
    total = _row(dr, "result")
    total = _row(dr, "sum") if total is None else total
    if result is None or total is None:
        return []
    findings = []
    for measure in ("budgetavvikelse", "avvikelse_arsprognos"):
        a, b = rr.column(measure), dr.column(measure, rr.period.year)
        if a is None or b is None:
            continue
        finding = _compare(
            "mellan_tabeller",
            dr,
            total,
            b,
            float(rr.rows[a.id].iloc[result]),
            f"resultaträkningens {rr.rows['label'].iloc[result]!r} "
            f"(cell {cell_of(rr, result, a)}) har",
            tolerance,
        )
        if finding:
            findings.append(finding)
    ram_row = _row(rr, contains="kommunersättning")
    if ram_row is None:
        ram_row = _row(rr, contains="driftram")
    rr_budget, dr_budget = annual_budget(rr), dr.column("arsbudget")
    if ram_row is not None and rr_budget is not None and dr_budget is not None:
        # Units' net budgets add up to the budgeted result minus the driftram.
        expected = float(rr_budget.iloc[result] - rr_budget.iloc[ram_row])
        finding = _compare(
            "driftram",
            dr,
            total,
            dr_budget,
            expected,
            f"driftram {mnkr(float(rr_budget.iloc[ram_row]))} och budgeterat "
            f"resultat {mnkr(float(rr_budget.iloc[result]))} ger",
            tolerance,
        )
        if finding:
            findings.append(finding)
    return findings


def _stated_unit(table: Table) -> str:
    return "tkr" if table.unit_scale != 1.0 else "mnkr"


def check_units(workbook: Workbook) -> list[Finding]:
    """Flag figures that look like tkr labelled as mnkr: too large, or 1 000 times the driftram."""
    findings = []
    for table in (workbook.resultatrakning, workbook.driftredovisning):
        for column in table.columns:
            values = table.rows[column.id].abs()
            if not (values > MAX_PLAUSIBLE_MNKR).any():
                continue
            pos = int(values.to_numpy().argmax())
            printed = float(table.rows[column.id].iloc[pos])
            findings.append(
                Finding(
                    "error",
                    "enhet",
                    table.name,
                    table.rows["label"].iloc[pos],
                    column.header,
                    round(printed, 6),
                    None,
                    f"{_where(table, pos, column)}: "
                    f"{mnkr(printed)} mnkr är orimligt stort för en nämnd (över "
                    f"{mnkr(MAX_PLAUSIBLE_MNKR)} mnkr): siffrorna ser ut att vara i tkr fast "
                    f"bladet anger {_stated_unit(table)}. Skriv 'Belopp i tkr' ovanför "
                    "rubrikraden, eller dela beloppen med 1 000.",
                    cell_of(table, pos, column),
                )
            )
            break  # one finding per table: the whole table is in the wrong unit
    rr, dr = workbook.resultatrakning, workbook.driftredovisning
    ram_row = _row(rr, contains="kommunersättning")
    ram_row = _row(rr, contains="driftram") if ram_row is None else ram_row
    total = _row(dr, "result")
    total = _row(dr, "sum") if total is None else total
    rr_budget, dr_budget = annual_budget(rr), dr.column("arsbudget")
    if any(x is None for x in (ram_row, total, rr_budget, dr_budget)):
        return findings
    ram, units = float(rr_budget.iloc[ram_row]), float(dr.rows[dr_budget.id].iloc[total])
    if not ram or not units:
        return findings
    ratio = abs(units / ram)
    low, high = _TKR_FACTOR
    flagged = {f.table for f in findings}
    for suspect, factor in ((dr, ratio), (rr, 1 / ratio)):
        if low <= factor <= high and suspect.name not in flagged:
            findings.append(
                Finding(
                    "error",
                    "enhet",
                    suspect.name,
                    dr.rows["label"].iloc[total],
                    dr_budget.header,
                    round(units, 6),
                    round(-ram, 6),
                    f"{TABLE_NAMES_SV[suspect.name]}: enheternas årsbudget {mnkr(units)} "
                    f"(blad {dr.sheet!r}, cell {cell_of(dr, total, dr_budget)}) och "
                    f"driftramen {mnkr(ram)} i resultaträkningens rad "
                    f"{rr.rows['label'].iloc[ram_row]!r} (blad {rr.sheet!r}) skiljer sig med "
                    f"en faktor {mnkr(factor)}: {TABLE_NAMES_SV[suspect.name].lower()}en ser ut "
                    f"att vara i tkr fast bladet anger {_stated_unit(suspect)}. Rätta "
                    "enhetsraden ('Belopp i tkr') ovanför rubrikraden.",
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
