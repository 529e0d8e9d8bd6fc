"""Tiny hand-written tidy tables for the forecast and register tests."""

import pandas as pd

from klk_analysis.loading import normalise_label, row_kind


def tidy_frame(period: str, resultatrakning: dict, driftredovisning: dict) -> pd.DataFrame:
    """Return tidy rows as loading.tidy makes them: {label: {measure: amount}} per table."""
    year, month = (int(p) for p in period.split("-"))
    records = []
    for table, rows in (
        ("resultatrakning", resultatrakning),
        ("driftredovisning", driftredovisning),
    ):
        for order, (label, measures) in enumerate(rows.items(), start=1):
            key = normalise_label(label)
            for measure, amount in measures.items():
                records.append(
                    {
                        "table": table,
                        "order": order,
                        "label": label,
                        "key": key,
                        "kind": row_kind(key),
                        "measure": measure,
                        "year": year,
                        "month": 12 if measure.startswith(("ars", "avvikelse")) else month,
                        "header": "",
                        "amount_mnkr": amount,
                        "cell": "",
                    }
                )
    return pd.DataFrame.from_records(records).assign(period=period, board="Nämnden")


def simple_run(period: str, result: float, forecast: float, unit_dev: float, unit_fc_dev: float):
    """Return a board with one revenue line, a result row and one unit, for register tests."""
    return tidy_frame(
        period,
        {
            "Intäkter": {
                "utfall": result,
                "budget": 0.0,
                "budgetavvikelse": result,
                "arsprognos": forecast,
                "avvikelse_arsprognos": forecast,
            },
            "Summa årets resultat": {
                "utfall": result,
                "budget": 0.0,
                "budgetavvikelse": result,
                "arsprognos": forecast,
                "avvikelse_arsprognos": forecast,
            },
        },
        {
            "Enhet A": {
                "budgetavvikelse": unit_dev,
                "arsbudget": -100.0,
                "avvikelse_arsprognos": unit_fc_dev,
            },
        },
    )
