"""What each corpus workbook must be read as: every printed figure in mnkr, row by row.

The figures are the hand-made ones of tests/corpus/figures.py; which of them a workbook prints,
under which column id, comes from the measure each header was written for in
tests/corpus/dialects.py. Nothing here is taken from a run of the package's code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.corpus import dialects
from tests.corpus.figures import Figures, Table


@dataclass(frozen=True)
class Case:
    """One corpus workbook and the figures it must be read as (mnkr)."""

    name: str
    build: Callable[[Path], Path]
    period: tuple  # (year, month)
    board: str
    unit: str  # the unit the workbook states: 'mnkr', 'tkr' or 'kr'
    rr: dict  # label → {column id: mnkr}, in printed order
    dr: dict
    groups: dict | None  # driftredovisning line label → its innermost group ('' if none)
    codes: dict | None  # driftredovisning label → code; None when there is no code column
    dialect: str = ""
    kinds: dict = field(default_factory=dict)  # (table, label) → 'line' | 'sum' | 'result'
    parts: dict = field(default_factory=dict)  # (table, label) → labels a sum adds up
    headings: tuple = ()  # the driftredovisning's group heading rows, in order
    ram: str = ""  # the RR row with the board's funding
    rounding: float = 0.0  # how far a published sum may stray from its parts
    errors: tuple = ()  # words `klk check` must print (inconsistent workbooks only)
    absent: tuple = ()  # words it must not print
    written: str = ""  # the unit the amounts are really in

    @property
    def consistent(self) -> bool:
        """Whether `klk check` must accept the workbook."""
        return not self.errors


def column_id(key: str, year: int) -> str:
    """Column id of a measure key in a workbook of `year`: utfall_ly → utfall_<year − 1>."""
    if key.endswith("_ly"):
        return f"{key[:-3]}_{year - 1}"
    return f"{key}_{year}"


def _rows(tab: Table, headers: dict, year: int, scale: float) -> dict:
    keys = [k for k in headers if not k.startswith("%")]
    return {
        r.label: {column_id(k, year): round(r.values[k] * scale, 6) for k in keys}
        for r in tab.rows
        if r.kind != "heading"
    }


def make_case(spec: dict) -> Case:
    """Turn a registered builder into a Case."""
    figs: Figures = spec["figs"]
    year = figs.period[0]
    factors = dialects.FACTORS
    # A workbook whose stated unit is wrong is read in the stated unit: kronor under "tkr"
    # come out 1 000 times too large in mnkr, and that is what the loader must report.
    scale = factors[spec["written"]] / factors[spec["unit"]]
    kinds, parts = {}, {}
    for name, tab in (("rr", figs.rr), ("dr", figs.dr)):
        for r in tab.rows:
            if r.kind != "heading":
                kinds[(name, r.label)] = r.kind
            if r.parts:
                parts[(name, r.label)] = r.parts
    dr_lines = [r for r in figs.dr.rows if r.kind == "line"]
    return Case(
        name=spec["name"],
        build=spec["build"],
        period=figs.period,
        board=spec["board"],
        unit=spec["unit"],
        rr=_rows(figs.rr, spec["rr"], year, scale),
        dr=_rows(figs.dr, spec["dr"], year, scale),
        groups={r.label: r.group for r in dr_lines},
        codes={r.label: r.code for r in figs.dr.rows if r.kind != "heading"}
        if spec["codes"]
        else None,
        dialect=(spec["build"].__doc__ or "").strip(),
        kinds=kinds,
        parts=parts,
        headings=tuple(r.label for r in figs.dr.rows if r.kind == "heading"),
        ram=figs.ram,
        rounding=figs.rounding,
        errors=spec["errors"],
        absent=spec["absent"],
        written=spec["written"],
    )


CASES = [make_case(spec) for spec in dialects.REGISTRY]
CONSISTENT = [c for c in CASES if c.consistent]
INCONSISTENT = [c for c in CASES if not c.consistent]
# The same figures printed in mnkr, tkr and kronor.
SAME_FIGURES = ("same_figures_mnkr", "same_figures_tkr", "same_figures_kr")
