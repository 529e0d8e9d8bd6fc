"""Computations on the tidy tables: annual budgets, deviations, change on last year, rankings."""

import numpy as np
import pandas as pd

KEYS = ["table", "order", "label", "key", "kind"]


def wide(tidy: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return one table with a row per line and a column per measure and year (utfall_2022)."""
    part = tidy[tidy["table"] == table]
    return (
        part.assign(column=part["measure"] + "_" + part["year"].astype(str))
        .pivot_table(index=KEYS, columns="column", values="amount_mnkr", aggfunc="first")
        .reset_index()
        .sort_values("order")
        .rename_axis(columns=None)
        .reset_index(drop=True)
    )


def implied_annual_budget(tidy: pd.DataFrame) -> pd.DataFrame:
    """Return årsbudget rows (årsprognos − avvikelse årsprognos) for lines without a printed one."""
    index = [*KEYS, "year", "month", "period", "board"]
    parts = tidy[tidy["measure"].isin(["arsprognos", "avvikelse_arsprognos", "arsbudget"])]
    table = parts.pivot_table(index=index, columns="measure", values="amount_mnkr", aggfunc="first")
    if "arsprognos" not in table or "avvikelse_arsprognos" not in table:
        return tidy.iloc[0:0]
    printed = table["arsbudget"] if "arsbudget" in table else pd.Series(np.nan, index=table.index)
    missing = printed.isna()
    derived = (table["arsprognos"] - table["avvikelse_arsprognos"])[missing]
    return (
        derived.rename("amount_mnkr")
        .reset_index()
        .assign(measure="arsbudget", header="", cell="", source="beräknad")
    )


def with_annual_budget(tidy: pd.DataFrame) -> pd.DataFrame:
    """Return the tidy data with the implied annual budgets added as rows of their own."""
    return pd.concat(
        [tidy.assign(source="tryckt"), implied_annual_budget(tidy)], ignore_index=True
    )[[*tidy.columns, "source"]]


def deviation_percent(deviation: pd.Series, budget: pd.Series) -> pd.Series:
    """Return a deviation in per cent of the budget's size; NaN where the budget is zero."""
    size = budget.abs().replace(0, np.nan)
    return deviation / size * 100


def budget_deviations(tidy: pd.DataFrame, table: str, year: int) -> pd.DataFrame:
    """Return utfall, budget, deviation and deviation in per cent for a table's lines in a year."""
    w = wide(tidy, table)
    out, budget = f"utfall_{year}", f"budget_{year}"
    return w.assign(
        deviation=w[out] - w[budget],
        deviation_percent=lambda d: deviation_percent(d["deviation"], d[budget]),
    )[[*KEYS, out, budget, "deviation", "deviation_percent"]]


def change_on_last_year(tidy: pd.DataFrame, table: str, measure: str, year: int) -> pd.DataFrame:
    """Return a measure this year, the same period last year, the change and change in per cent."""
    w = wide(tidy, table)
    now, before = f"{measure}_{year}", f"{measure}_{year - 1}"
    if before not in w:
        raise KeyError(f"{before} saknas: arbetsboken har inga siffror för föregående år")
    return w.assign(
        change=w[now] - w[before],
        change_percent=lambda d: deviation_percent(d["change"], d[before]),
    )[[*KEYS, before, now, "change", "change_percent"]]


def ranked(rows: pd.DataFrame, column: str, by_size: bool = False) -> pd.DataFrame:
    """Return rows ordered on a column, best first (by_size: largest either way first).

    The one ranking of units and lines for sentences, charts and tables: rows that tie keep
    the order the table prints them in, and missing amounts come last.
    """
    key = rows[column].abs() if by_size else rows[column]
    return rows.loc[key.sort_values(ascending=False, kind="stable").index]


def rank_units(tidy: pd.DataFrame, measure: str, year: int) -> pd.DataFrame:
    """Return the driftredovisning's units (not totals) ranked by a measure, best first."""
    w = wide(tidy, "driftredovisning")
    column = f"{measure}_{year}"
    return (
        ranked(w[w["kind"] == "line"], column)[[*KEYS, column]]
        .assign(rank=lambda d: range(1, len(d) + 1))
        .reset_index(drop=True)
    )
