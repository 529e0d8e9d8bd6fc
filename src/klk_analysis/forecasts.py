"""Full-year projections from the year to date, beside the managers' årsprognos.

Three methods, each a pure function of one row per line or unit (see `base`):

- remaining months as budgeted: årsbudget + budgetavvikelse so far;
- straight run-rate: utfall × 12 / months elapsed;
- last year's profile: utfall / the share of a prior year's full-year outcome reached by the
  same month (history from the workbook's Historik sheet or from the forecast register).

The driftredovisning prints no utfall per unit, only the budget deviation, the annual budget and
the forecast deviation, so for units only the first method can be computed, unless the history
holds the unit's utfall for the current year to date. Nothing is estimated in its place.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from klk_analysis import wording
from klk_analysis.deviations import KEYS, ranked
from klk_analysis.formatting import MONTH_NAMES_SV, period_span
from klk_analysis.loading import total_row
from klk_analysis.narrative import plain_label, render, sentence_label
from klk_analysis.periods import Period
from klk_analysis.processed import staged_file
from klk_analysis.tables import sheet_layout, text_cell

TABLES = ("resultatrakning", "driftredovisning")
# Months of costs that come late in the year: before the last quarter a run-rate misleads.
LAST_QUARTER_START = 10
# A profile whose share at the month differs from month/12 by more than this is "uneven".
UNEVEN_PROFILE = 0.05
DEFAULT_THRESHOLD_MNKR = 1.0
# A sentence names at most this many lines or units; the rest are counted ("och tre enheter till").
MAX_NAMED = 5


@dataclass(frozen=True)
class Method:
    """A projection method: its column, its heading in tables and its phrase in sentences."""

    id: str
    label: str
    phrase: str


# The one place where the methods get their Swedish names.
METHODS = (
    Method(
        "budget_rest",
        "Resterande månader enligt budget",
        "om resterande månader följer budget",
    ),
    Method(
        "run_rate",
        "Rak uppräkning av utfallet",
        "om det räknas upp rakt till helår",
    ),
    Method(
        "last_year_profile",
        "Tidigare års profil",
        "om resten av året följer tidigare års mönster",
    ),
)
METHOD_IDS = tuple(m.id for m in METHODS)
FORECAST_LABEL = "Årsprognos"
WARNINGS = {
    "late_costs": "kostnader ofta kommer senare under året",
    "uneven_profile": "tidigare års utfall fördelade sig ojämnt över året",
}
HEADERS = {
    "table": "Tabell",
    "label": "Rad eller enhet",
    "utfall": "Utfall hittills",
    "arsbudget": "Årsbudget",
    **{m.id: m.label for m in METHODS},
    "arsprognos": FORECAST_LABEL,
    "gap": "Prognosens avstånd utanför metoderna",
    "flag": "Markering",
    "run_rate_warning": "Varning rak uppräkning",
}
# Amounts are stored rounded to this many decimals: 461.6, not 461.6000000000001.
XLSX_DECIMALS = 6


def method(method_id: str) -> Method:
    """Return a method by its id."""
    return next(m for m in METHODS if m.id == method_id)


def period_figures(tidy: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return one row per line and unit with the year's measures as columns.

    The same as deviations.wide for one year and both tables, pivoted on (table, order) alone:
    wide's pivot on every label column is most of the time of a large board's projections.
    """
    part = tidy[(tidy["year"] == year) & tidy["table"].isin(TABLES)]
    index = ["table", "order"]
    rows = part.drop_duplicates(index).set_index(index)[["label", "key", "kind"]]
    # pivot, not pivot_table: a measure twice on a row is an error, never silently aggregated.
    values = part.pivot(index=index, columns="measure", values="amount_mnkr")  # noqa: PD010
    rank = {t: i for i, t in enumerate(TABLES)}
    return (
        rows.join(values)
        .reset_index()
        .sort_values(["table", "order"], key=lambda c: c.map(rank) if c.name == "table" else c)
        .rename_axis(columns=None)
        .reset_index(drop=True)
    )


def _measure(w: pd.DataFrame, measure: str) -> pd.Series:
    return w[measure] if measure in w else pd.Series(np.nan, index=w.index)


def base(tidy: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per line and unit: period, utfall, deviation, årsbudget and årsprognos."""
    period = Period.parse(tidy["period"].iloc[0])
    w = period_figures(tidy, period.year)
    budget, forecast = _measure(w, "arsbudget"), _measure(w, "arsprognos")
    forecast_dev = _measure(w, "avvikelse_arsprognos")
    # avvikelse årsprognos = årsprognos − årsbudget: either one gives the other.
    out = w[KEYS].assign(
        year=period.year,
        month=period.month,
        utfall=_measure(w, "utfall"),
        budgetavvikelse=_measure(w, "budgetavvikelse"),
        arsbudget=budget.fillna(forecast - forecast_dev),
        arsprognos=forecast.fillna(budget + forecast_dev),
    )
    return out if history is None else with_history_utfall(out, history)


def with_history_utfall(frame: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Fill a missing utfall (a unit's) from the history's current year at the same month."""
    now = history[
        (history["year"] == frame["year"].iloc[0]) & (history["month"] == frame["month"].iloc[0])
    ]
    found = frame["key"].map(now.drop_duplicates("key").set_index("key")["amount_mnkr"])
    return frame.assign(utfall=frame["utfall"].fillna(found))


def remaining_as_budgeted(frame: pd.DataFrame) -> pd.Series:
    """Project the year as årsbudget plus the budget deviation so far (method a)."""
    return (frame["arsbudget"] + frame["budgetavvikelse"]).rename("budget_rest")


def run_rate(frame: pd.DataFrame) -> pd.Series:
    """Project the year as utfall × 12 / months elapsed (method b); NaN without utfall."""
    return (frame["utfall"] * 12 / frame["month"]).rename("run_rate")


def profile_shares(history: pd.DataFrame, year: int, month: int, years: int = 1) -> pd.Series:
    """Return per key the mean share of the full-year outcome reached by `month`, prior years."""
    past = history[
        history["year"].between(year - years, year - 1) & history["month"].isin([month, 12])
    ]
    by_year = past.set_index(["key", "year"])
    reached = _unique(by_year.loc[by_year["month"] == month, "amount_mnkr"])
    full_year = _unique(by_year.loc[by_year["month"] == 12, "amount_mnkr"])
    share = (reached / full_year.replace(0, np.nan)).dropna()
    share = share.where(share > 0)
    if share.empty:
        return pd.Series(dtype=float, name="profile_share")
    return share.groupby(level="key").mean().rename("profile_share")


def _unique(amounts: pd.Series) -> pd.Series:
    return amounts[~amounts.index.duplicated()]


def last_year_profile(
    frame: pd.DataFrame, history: pd.DataFrame | None, years: int = 1
) -> pd.DataFrame:
    """Project the year as utfall / share reached by the same month in prior years (method c)."""
    if history is None or history.empty:
        share = pd.Series(np.nan, index=frame.index)
    else:
        shares = profile_shares(
            history, int(frame["year"].iloc[0]), int(frame["month"].iloc[0]), years
        )
        share = frame["key"].map(shares)
    return pd.DataFrame(
        {"profile_share": share, "last_year_profile": frame["utfall"] / share}, index=frame.index
    )


def run_rate_warning(frame: pd.DataFrame) -> pd.Series:
    """Return why a run-rate misleads for a row ('late_costs', 'uneven_profile') or ''.

    Rule: only rows with an utfall (so a run-rate) are warned. Before the last quarter every cost
    line, unit and result row is warned, because costs come later in the year; where history
    shows a share at this month more than five percentage points from month/12, at any month.
    """
    early = frame["month"] < LAST_QUARTER_START
    costs = (frame["arsbudget"] < 0) | (frame["kind"] == "result")
    even = frame["month"] / 12
    share = frame["profile_share"] if "profile_share" in frame else pd.Series(np.nan, frame.index)
    uneven = (share - even).abs() > UNEVEN_PROFILE
    # Only a run-rate that exists can mislead: a unit without utfall gets none and no warning.
    exists = frame["utfall"].notna() if "utfall" in frame else pd.Series(True, frame.index)
    return pd.Series(
        np.select([exists & early & costs, exists & uneven], ["late_costs", "uneven_profile"], ""),
        index=frame.index,
        name="run_rate_warning",
    )


def compare_to_forecast(frame: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD_MNKR):
    """Add the forecast's distance from each projection, the range and a flag outside it."""
    projections = frame[list(METHOD_IDS)]
    low, high = projections.min(axis=1), projections.max(axis=1)
    forecast = frame["arsprognos"]
    below, above = forecast < low - threshold, forecast > high + threshold
    # Rows without any projection are never flagged, so the fill only keeps idxmin quiet.
    nearest = np.where(below, projections.fillna(np.inf).idxmin(axis=1), "")
    nearest = np.where(above, projections.fillna(-np.inf).idxmax(axis=1), nearest)
    distances = {f"distance_{m}": forecast - frame[m] for m in METHOD_IDS}
    return frame.assign(
        **distances,
        low=low,
        high=high,
        gap=np.where(below, forecast - low, np.where(above, forecast - high, 0.0)),
        flag=np.select([below, above], ["under", "över"], ""),
        nearest_method=nearest,
    )


def projections(
    tidy: pd.DataFrame,
    history: pd.DataFrame | None = None,
    threshold: float = DEFAULT_THRESHOLD_MNKR,
    profile_years: int = 1,
) -> pd.DataFrame:
    """Return every method's projection per line and unit, the årsprognos and the flags."""
    frame = base(tidy, history)
    return (
        frame.assign(budget_rest=remaining_as_budgeted(frame), run_rate=run_rate(frame))
        .join(last_year_profile(frame, history, profile_years))
        .assign(run_rate_warning=lambda d: run_rate_warning(d))
        .pipe(compare_to_forecast, threshold)
    )


def subject(row: pd.Series) -> str:
    """Return how a sentence names a row: 'årets resultat', 'personalkostnader', a unit."""
    if row["table"] == "driftredovisning":
        return plain_label(row["label"])
    key = row["key"]
    return key.removeprefix("summa ") if row["kind"] == "result" else sentence_label(row["label"])


def direction(row: pd.Series) -> str:
    """Say in words what the forecast's gap to the projections means for this row.

    A signed amount is never 'under' or 'över': below the projections is lower revenue,
    higher costs, a worse result or a worse unit, whatever the signs of the figures.
    """
    worse = row["gap"] < 0
    if row["kind"] == "result" or row["table"] == "driftredovisning":
        return "sämre" if worse else "bättre"
    revenue = (row["arsbudget"] if pd.notna(row["arsbudget"]) else row["arsprognos"]) > 0
    return ("lägre" if worse else "högre") if revenue else ("högre" if worse else "lägre")


def _driver(row: pd.Series) -> dict:
    return {"name": subject(row), "gap": abs(row["gap"]), "direction": direction(row)}


def _largest_gaps(rows: pd.DataFrame) -> tuple[list[dict], int]:
    named = ranked(rows, "gap", by_size=True).head(MAX_NAMED)
    return [_driver(r) for _, r in named.iterrows()], len(rows) - len(named)


def flag_sentences(frame: pd.DataFrame) -> list[str]:
    """Return the flagged forecasts in a few sentences: the result, its lines, then the units.

    Only the result, the resultaträkning's lines and the units are spoken of: a sum or a group's
    subtotal is not a line or a unit, and the tables show them. At most MAX_NAMED of each are
    named, the largest gaps first, and the rest are counted.
    """
    flagged = frame[frame["flag"] != ""]
    rr = flagged[flagged["table"] == "resultatrakning"]
    position = total_row(rr)
    result = None
    if position is not None:
        row = rr.loc[position]
        chosen = method(row["nearest_method"])
        result = {
            "forecast": row["arsprognos"],
            "gap": abs(row["gap"]),
            "direction": direction(row),
            "phrase": chosen.phrase,
            "projection": row[chosen.id],
        }
    lines, more_lines = _largest_gaps(rr[rr["kind"] == "line"])
    units = flagged[(flagged["table"] == "driftredovisning") & (flagged["kind"] == "line")]
    worse, more_worse = _largest_gaps(units[units["gap"] < 0])
    better, more_better = _largest_gaps(units[units["gap"] > 0])
    text = render(
        "prognos_flagga.txt.j2",
        result=result,
        lines=lines,
        more_lines=more_lines,
        worse=worse,
        more_worse=more_worse,
        better=better,
        more_better=more_better,
    )
    return [text] if text else []


def method_note(frame: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD_MNKR) -> str:
    """Return the Swedish paragraph saying how the projections are made and what they lack."""
    units = frame[(frame["table"] == "driftredovisning") & (frame["kind"] == "line")]
    month = int(frame["month"].iloc[0])
    return render(
        "prognos_metoder.txt.j2",
        month_name=MONTH_NAMES_SV[month - 1],
        period_span=period_span(Period(int(frame["year"].iloc[0]), month)),
        methods=[m.label.lower() for m in METHODS],
        warn_early=month < LAST_QUARTER_START,
        has_profile=bool(frame["last_year_profile"].notna().any()),
        units=len(units),
        units_without_utfall=int(units["utfall"].isna().sum()),
        threshold=threshold,
    )


def forecast_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the projections for display: one row per line and unit, Swedish headers."""
    columns = ["table", "label", "utfall", "arsbudget", *METHOD_IDS, "arsprognos", "gap", "flag"]
    return (
        frame[columns]
        .assign(
            table=frame["table"].map(wording.TABLE_NAMES),
            flag=frame["flag"].map(wording.FLAG_WORDS),
            run_rate_warning=frame["run_rate_warning"].map(WARNINGS).fillna(""),
        )
        .rename(columns=HEADERS)
        .reset_index(drop=True)
    )


def write_forecast_xlsx(frame: pd.DataFrame, directory: Path) -> Path:
    """Write the projections table to directory/tabeller/prognos.xlsx and return its path."""
    table = forecast_table(frame)
    target = Path(directory) / "tabeller" / "prognos.xlsx"
    book = Workbook()
    ws = book.active
    ws.title = "Prognos"
    ws.append(list(table.columns))
    numeric = {i for i, c in enumerate(table.columns) if pd.api.types.is_float_dtype(table[c])}
    for row, values in enumerate(table.itertuples(index=False), start=2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if col - 1 in numeric:
                cell.value = None if pd.isna(value) else round(float(value), XLSX_DECIMALS)
            else:
                text_cell(cell, str(value))  # a label "=..." from a received file stays text
    sheet_layout(ws, frozen="C2")
    with staged_file(target) as temporary:
        book.save(temporary)
    return target
