"""The forecast register: each period's forecasts and projections, kept from run to run.

Every run replaces its own period's entries (per board), so a rerun never duplicates them.
When a year's December is in the register, the year's outcome is known and every earlier
forecast of that year can be scored: prognossäkerhet = outcome − forecast (positive when the
outcome turned out better than forecast, for revenue and costs alike).
"""

import contextlib
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from klk_analysis import wording
from klk_analysis.charts import (
    BLUE,
    EDGE,
    GREY,
    NEGATIVE_HATCH,
    ORANGE,
    SKY,
    WIDTH,
    SwedishFormatter,
    styled,
)
from klk_analysis.forecasts import (
    DEFAULT_THRESHOLD_MNKR,
    FORECAST_LABEL,
    METHOD_IDS,
    METHODS,
    TABLES,
    flag_sentences,
    forecast_table,
    projections,
    write_forecast_xlsx,
)
from klk_analysis.formatting import MONTH_NAMES_SV, signed
from klk_analysis.history import empty_history
from klk_analysis.processed import staged_file

IDENTITY = ["board", "period"]
ROW = ["table", "order", "key", "label", "kind"]
FIGURES = ["utfall", "budgetavvikelse", "arsbudget", "arsprognos", *METHOD_IDS]
COLUMNS = [*IDENTITY, "year", "month", *ROW, *FIGURES]
FORECASTS = ("arsprognos", *METHOD_IDS)
# Okabe–Ito colours as in the other charts, one per forecast month (March, August, ...).
MONTH_COLOURS = (BLUE, ORANGE, SKY, GREY)
FORECAST_NAMES = {"arsprognos": FORECAST_LABEL, **{m.id: m.label for m in METHODS}}


def register_entries(projections: pd.DataFrame, board: str) -> pd.DataFrame:
    """Return a run's register entries: one row per line and unit with its forecasts."""
    period = projections["year"].astype(str) + "-" + projections["month"].map("{:02d}".format)
    return projections.assign(board=board, period=period)[COLUMNS].reset_index(drop=True)


def empty_register() -> pd.DataFrame:
    """Return a register without entries."""
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COLUMNS})


def _dtype(column: str) -> str:
    if column in ("year", "month", "order"):
        return "int64"
    return "float64" if column in FIGURES else "object"


def read_register(path: Path | str) -> pd.DataFrame:
    """Read the register (Parquet or CSV by the file's suffix); empty when it does not exist."""
    path = Path(path)
    if not path.exists():
        return empty_register()
    if path.suffix == ".parquet":
        data = pd.read_parquet(path)
    else:
        data = pd.read_csv(path, dtype={"period": str, "board": str, "key": str, "label": str})
    return data.astype({c: _dtype(c) for c in COLUMNS})[COLUMNS]


def merge_entries(register: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    """Return the register with the entries' board and period replaced by the entries."""
    runs = entries[IDENTITY].drop_duplicates()
    kept = register.merge(runs, on=IDENTITY, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    parts = [p for p in (kept, entries[COLUMNS]) if not p.empty]
    if not parts:
        return empty_register()
    return (
        pd.concat(parts, ignore_index=True)
        .sort_values(["board", "period", "table", "order"], kind="stable")
        .reset_index(drop=True)
    )


def write_register(register: pd.DataFrame, path: Path | str) -> Path:
    """Write the register atomically: a reader sees the old file or the new, never half."""
    path = Path(path)
    with staged_file(path) as temporary:
        if path.suffix == ".parquet":
            register.to_parquet(temporary, index=False)
        else:
            register.to_csv(temporary, index=False, encoding="utf-8")
    return path


def update_register(path: Path | str, projections: pd.DataFrame, board: str) -> pd.DataFrame:
    """Record a run's forecasts in the register at path, replacing that period's entries."""
    register = merge_entries(read_register(path), register_entries(projections, board))
    write_register(register, path)
    return register


def outcomes(register: pd.DataFrame) -> pd.DataFrame:
    """Return each year's full-year outcome per line and unit, from the December entries."""
    december = register[register["month"] == 12]
    # A unit has no utfall; in December its budget plus the year's deviation is the outcome.
    return december.assign(outcome=december["utfall"].fillna(december["budget_rest"]))[
        ["board", "year", "table", "key", "outcome"]
    ]


def accuracy(register: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Return outcome − forecast for each earlier forecast of each year with a December.

    One row per board, year, line or unit, forecast month and method ('arsprognos' is the
    managers' forecast); `error` is positive when the outcome was better than the forecast.
    """
    earlier = register[register["month"] < 12]
    if year is not None:
        earlier = earlier[earlier["year"] == year]
    long = earlier.melt(
        id_vars=["board", "year", "month", *ROW],
        value_vars=list(FORECASTS),
        var_name="method",
        value_name="forecast",
    ).dropna(subset=["forecast"])
    return (
        long.merge(outcomes(register), on=["board", "year", "table", "key"], how="inner")
        .assign(
            error=lambda d: d["outcome"] - d["forecast"],
            rank=lambda d: d["table"].map({t: i for i, t in enumerate(TABLES)}),
        )
        .sort_values(["board", "year", "rank", "order", "method", "month"], kind="stable")
        .drop(columns="rank")
        .reset_index(drop=True)
    )


def bias(scored: pd.DataFrame) -> pd.DataFrame:
    """Return the mean error per line or unit, forecast month and method across the years."""
    return (
        scored.groupby(["board", "table", "order", "key", "label", "kind", "month", "method"])
        .agg(
            years=("year", "nunique"),
            first_year=("year", "min"),
            last_year=("year", "max"),
            mean_error=("error", "mean"),
            min_error=("error", "min"),
            max_error=("error", "max"),
            better_than_forecast=("error", lambda e: int((e > 0).sum())),
        )
        .reset_index()
        .assign(rank=lambda d: d["table"].map({t: i for i, t in enumerate(TABLES)}))
        .sort_values(["board", "rank", "order", "method", "month"], kind="stable")
        .drop(columns="rank")
        .reset_index(drop=True)
    )


def history_from_register(register: pd.DataFrame, board: str) -> pd.DataFrame:
    """Return the register's utfall as history (key, year, month, cumulative amount)."""
    own = register[register["board"] == board]
    amount = own["utfall"].where(own["month"] < 12, own["utfall"].fillna(own["budget_rest"]))
    return (
        own.assign(amount_mnkr=amount, cell="")[
            ["key", "label", "year", "month", "amount_mnkr", "cell"]
        ]
        .dropna(subset=["amount_mnkr"])
        .reset_index(drop=True)
    )


def accuracy_table(scored: pd.DataFrame, method: str = "arsprognos") -> pd.DataFrame:
    """Return one method's accuracy for display: one row per line or unit and forecast month."""
    part = scored[scored["method"] == method]
    return pd.DataFrame(
        {
            "År": part["year"],
            "Tabell": part["table"].map(wording.TABLE_NAMES),
            "Rad eller enhet": part["label"],
            "Prognos i": part["month"].map(lambda m: MONTH_NAMES_SV[m - 1]),
            FORECAST_NAMES[method]: part["forecast"],
            "Utfall helår": part["outcome"],
            "Utfall minus prognos": part["error"],
        }
    ).reset_index(drop=True)


def _result_errors(scored: pd.DataFrame, method: str) -> pd.DataFrame:
    part = scored[(scored["method"] == method) & (scored["kind"] == "result")]
    return part.pivot_table(index="year", columns="month", values="error", aggfunc="first")


def accuracy_alt_text(scored: pd.DataFrame, method: str = "arsprognos") -> str:
    """Return the chart's text alternative: every bar's figure in words."""
    errors = _result_errors(scored, method)
    if errors.empty:
        return "Diagrammet saknar värden: registret har inget helårsutfall för årets resultat."
    parts = [
        f"{year}, prognos i {MONTH_NAMES_SV[month - 1]}: {signed(value)} mnkr"
        for year, row in errors.iterrows()
        for month, value in row.items()
        if pd.notna(value)
    ]
    return (
        "Stapeldiagram över prognossäkerheten för årets resultat, utfall minus prognos i "
        "miljoner kronor, per år och prognostillfälle; positivt betyder att utfallet blev "
        "bättre än prognosen. " + "; ".join(parts) + "."
    )


@styled
def accuracy_chart(scored: pd.DataFrame, method: str = "arsprognos") -> Figure:
    """Draw outcome − forecast for the year's result, per year and forecast month."""
    errors = _result_errors(scored, method)
    figure = Figure(figsize=(WIDTH, 3.8), layout="constrained")
    axes = figure.add_subplot()
    years = list(errors.index)
    months = list(errors.columns)
    # Narrow bars however few years there are: one wide slab reads as a filled area.
    width = min(0.8 / max(len(months), 1), 0.3)
    low = high = 0.0
    for i, month in enumerate(months):
        values = errors[month]
        positions = np.arange(len(years)) + (i - (len(months) - 1) / 2) * width
        bars = axes.bar(
            positions,
            values.fillna(0),
            width,
            color=MONTH_COLOURS[i % len(MONTH_COLOURS)],
            edgecolor=EDGE,
            linewidth=0.6,
            label=f"Prognos i {MONTH_NAMES_SV[month - 1]}",
        )
        for bar, value in zip(bars, values, strict=True):
            if value < 0:
                bar.set_hatch(NEGATIVE_HATCH)
        axes.bar_label(bars, labels=[signed(v) if pd.notna(v) else "" for v in values], padding=2)
        low, high = min(low, values.min()), max(high, values.max())
    pad = (high - low) * 0.15 or 1.0
    axes.set_ylim(low - pad if low < 0 else 0.0, high + pad if high > 0 else pad / 4)
    axes.set_xlim(-0.6, max(len(years), 1) - 0.4)
    axes.axhline(0, color=EDGE, linewidth=0.8)
    axes.set_xticks(np.arange(len(years)), [str(y) for y in years])
    axes.yaxis.set_major_formatter(SwedishFormatter())
    axes.set_ylabel("Utfall minus prognos, mnkr")
    axes.set_title("Prognossäkerhet för årets resultat", loc="left")
    if months:
        # Below the bars, not beside them: the chart is only five inches wide.
        figure.legend(frameon=False, loc="outside lower center", ncols=2)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def combined_history(sheet: pd.DataFrame, register: pd.DataFrame, board: str) -> pd.DataFrame:
    """Return the Historik sheet's outcomes, completed by the register's where it has none."""
    from_register = history_from_register(register, board)
    parts = [p for p in (sheet, from_register) if not p.empty]
    if not parts:
        return sheet
    return (
        pd.concat(parts, ignore_index=True)
        .drop_duplicates(["key", "year", "month"], keep="first")
        .reset_index(drop=True)
    )


def register_lock(path: Path | str):
    """Return the lock that lets one run at a time read, update and write the register at path.

    It lives in the system's temporary folder, named by the register's full path, so that the
    processed folder holds the register alone and a what-if run leaves it byte for byte.
    """
    from filelock import FileLock

    key = hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return FileLock(Path(tempfile.gettempdir()) / f"klk-prognosregister-{key}.lock")


@dataclass(frozen=True)
class ForecastRun:
    """What one run's Prognos section shows, and where its files went."""

    projections: pd.DataFrame
    table: pd.DataFrame
    sentences: list[str]
    register: pd.DataFrame
    accuracy: pd.DataFrame
    all_accuracy: pd.DataFrame
    bias: pd.DataFrame
    workbook: Path | None
    board: str
    threshold: float


def forecast_run(
    tidy: pd.DataFrame,
    board: str,
    register_path: Path | str,
    output_dir: Path | str | None = None,
    history: pd.DataFrame | None = None,
    threshold: float = DEFAULT_THRESHOLD_MNKR,
    profile_years: int = 1,
    record: bool = True,
) -> ForecastRun:
    """Project the year, record the forecasts in the register and score them at December.

    With an output_dir, the projections are also written to output_dir/tabeller/prognos.xlsx.
    With record=False the register file is read but left as it was (a what-if or a draft run);
    the period's entries are still part of the returned register and of the scoring.
    """
    # The boards of a period run at once and share the register: one at a time reads and writes.
    with register_lock(register_path) if record else contextlib.nullcontext():
        before = read_register(register_path)
        past = combined_history(history if history is not None else empty_history(), before, board)
        frame = projections(tidy, past, threshold, profile_years)
        # The register read above is updated and written: read once, not again for the update.
        register = merge_entries(before, register_entries(frame, board))
        if record:
            write_register(register, register_path)
    own = register[register["board"] == board]
    # Accuracy is shown at year-end only: before December this year's outcome is unknown.
    year_end = int(frame["month"].iloc[0]) == 12
    scored_all = accuracy(own) if year_end else accuracy(own.iloc[0:0])
    scored = scored_all[scored_all["year"] == int(frame["year"].iloc[0])]
    return ForecastRun(
        projections=frame,
        table=forecast_table(frame),
        sentences=flag_sentences(frame),
        register=register,
        accuracy=scored,
        all_accuracy=scored_all,
        bias=bias(scored_all),
        workbook=None if output_dir is None else write_forecast_xlsx(frame, output_dir),
        board=board,
        threshold=threshold,
    )
