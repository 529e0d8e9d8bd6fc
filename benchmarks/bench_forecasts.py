"""Time every projection for 500 units, 12 periods and 10 years of history.

Run: .venv/bin/python benchmarks/bench_forecasts.py
The data is made up here (not timed); the timed part is `forecasts.projections` for each of
the twelve periods of a year, with the history feeding last year's profile and the units' utfall.
"""

import time

import numpy as np
import pandas as pd

from klk_analysis.forecasts import projections
from klk_analysis.loading import row_kind

UNITS, YEARS, YEAR = 500, 10, 2031
LINES = ["Kommunersättning", "Övriga intäkter", "Personalkostnader", "Övriga kostnader"]


def tidy_period(month: int, rng: np.random.Generator) -> pd.DataFrame:
    """Return a tidy table like loading.tidy for one period: four lines and 500 units."""
    frames = []
    labels = [*LINES, "Summa årets resultat"]
    n = len(labels)
    for measure, values in {
        "utfall": rng.normal(0, 50, n),
        "budget": rng.normal(0, 50, n),
        "budgetavvikelse": rng.normal(0, 2, n),
        "arsprognos": rng.normal(0, 200, n),
        "avvikelse_arsprognos": rng.normal(0, 2, n),
    }.items():
        frames.append(_rows("resultatrakning", labels, measure, month, values))
    units = [f"Enhet {i}" for i in range(UNITS)]
    for measure, values in {
        "budgetavvikelse": rng.normal(0, 1, UNITS),
        "arsbudget": -rng.uniform(10, 100, UNITS),
        "avvikelse_arsprognos": rng.normal(0, 1, UNITS),
    }.items():
        frames.append(_rows("driftredovisning", units, measure, month, values))
    return pd.concat(frames, ignore_index=True).assign(period=f"{YEAR}-{month:02d}", board="B")


def _rows(table, labels, measure, month, values):
    keys = [label.casefold() for label in labels]
    return pd.DataFrame(
        {
            "table": table,
            "order": range(1, len(labels) + 1),
            "label": labels,
            "key": keys,
            "kind": [row_kind(k) for k in keys],
            "measure": measure,
            "year": YEAR,
            "month": 12 if measure.startswith(("ars", "avvikelse")) else month,
            "header": "",
            "amount_mnkr": values,
            "cell": "",
        }
    )


def history(rng: np.random.Generator) -> pd.DataFrame:
    """Return ten prior years and this year, cumulative by month, for every line and unit."""
    keys = [label.casefold() for label in LINES] + [f"enhet {i}" for i in range(UNITS)]
    years = range(YEAR - YEARS, YEAR + 1)
    index = pd.MultiIndex.from_product([keys, years, range(1, 13)], names=["key", "year", "month"])
    monthly = -rng.uniform(0.5, 10, len(index))
    cumulative = pd.Series(monthly, index=index).groupby(level=["key", "year"]).cumsum()
    return cumulative.rename("amount_mnkr").reset_index().assign(label=lambda d: d["key"], cell="")


def main() -> None:
    """Print the best of five timings of all projections for twelve periods."""
    rng = np.random.default_rng(2031)
    periods = [tidy_period(month, rng) for month in range(1, 13)]
    past = history(rng)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        results = [projections(p, history=past, profile_years=YEARS) for p in periods]
        timings.append(time.perf_counter() - start)
    rows = sum(len(r) for r in results)
    filled = sum(int(r["last_year_profile"].notna().sum()) for r in results)
    print(
        f"{len(periods)} perioder × {UNITS} enheter, historik {YEARS} år ({len(past)} rader): "
        f"{rows} rader, {filled} med tidigare års profil; bästa av 5: {min(timings):.3f} s "
        f"(sämsta {max(timings):.3f} s)"
    )


if __name__ == "__main__":
    main()
