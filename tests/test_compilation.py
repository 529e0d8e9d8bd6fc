import numpy as np
import pandas as pd
import pytest

from klk_analysis import compilation
from klk_analysis.htmlexport import check_html
from klk_analysis.loading import load_workbook
from klk_analysis.periods import Period
from tests.workbooks import SHIPPED


def test_figures_of_the_source_document():
    amounts = compilation.key_amounts(load_workbook(SHIPPED))["amounts"]
    got = compilation.figures(amounts)
    # Resultaträkning, Summa ÅRETS RESULTAT 12,1 / −1,6 / 13,8 / 3,0 / 3,0 and
    # Kommunersättning 115,4 / 115,4 / årsprognos 461,5, avvikelse 0,0:
    assert got["net_cost"] == pytest.approx(12.1 - 115.4)  # −103,3
    assert got["net_cost_budget"] == pytest.approx(-1.6 - 115.4)  # −117,0
    assert got["budget_deviation"] == pytest.approx(13.8)
    assert got["kommunbidrag"] == pytest.approx(461.5)
    assert got["forecast_net_cost"] == pytest.approx(3.0 - 461.5)  # −458,5
    assert got["forecast_deviation"] == pytest.approx(3.0)


def _boards():
    keys = list(compilation.FIGURES)
    rows = [
        ("Tekniska nämnden", "ok", "", [-80.04, -83.0, 2.96, 180.0, -177.0, 3.04]),
        (
            "Barn- och utbildningsnämnden",
            "ok",
            "",
            [-1400.0, -1394.0, -6.0, 2100.0, -2112.0, -12.0],
        ),
        ("Socialnämnden", "fel", "blad 'Driftredovisning': summan stämmer inte.", [np.nan] * 6),
    ]
    return pd.DataFrame(
        [
            {"board": b, "status": s, "message": m, "link": "", **dict(zip(keys, v, strict=True))}
            for b, s, m, v in rows
        ]
    )


def test_total_adds_the_boards_that_ran_and_lists_the_one_that_did_not():
    table = compilation.compilation_table(_boards())
    assert table["board"].tolist() == [
        "Barn- och utbildningsnämnden",
        "Socialnämnden",
        "Tekniska nämnden",
        "Kommunen totalt",
    ]
    total = table.iloc[-1]
    assert total["budget_deviation"] == pytest.approx(-6.0 + 2.96)  # −3,04
    assert total["kommunbidrag"] == pytest.approx(2280.0)
    assert total["message"] == "2 av 3 nämnder"
    shown = compilation.display_table(table)
    assert shown["Status"].tolist()[:3] == [
        "ok",
        "blad 'Driftredovisning': summan stämmer inte.",
        "ok",
    ]
    assert shown["Budgetavvikelse"].tolist() == ["\u22126,0", "", "3,0", "\u22123,0"]


def test_reconciliation_finds_a_row_off_by_an_ore_and_rounding_in_the_total():
    table = compilation.compilation_table(_boards())
    read = _boards().iloc[:2][["board", *compilation.FIGURES]].copy()
    assert (read["board"] == "Tekniska nämnden").iloc[0]
    read.loc[0, "net_cost"] = -80.04 - 0.00000001  # one öre
    notes = compilation.reconcile(table, read, 0.2)
    errors = notes[notes["severity"] == "error"]["message"].tolist()
    assert len(errors) == 1 and errors[0].startswith("Tekniska nämnden: nettokostnad utfall")
    infos = notes[notes["severity"] == "info"]["message"].tolist()
    # Printed rows −6,0 + 3,0 = −3,0 but the total of −6,0 + 2,96 is −3,04, printed −3,0: no gap.
    # Forecast: −12,0 + 3,0 = −9,0 and −12 + 3,04 = −8,96 printed −9,0: no gap. Net cost:
    # −1 400,0 + −80,0 = −1 480,0 and −1 480,04 printed −1 480,0: no gap.
    assert infos == []
    read.loc[0, "net_cost"] = -80.04
    assert compilation.reconcile(table, read, 0.2).empty


def test_rounding_gap_in_the_total_is_info_and_beyond_tolerance_an_error():
    boards = _boards().iloc[:2].assign(budget_deviation=[0.04, 0.04])
    table = compilation.compilation_table(boards)
    read = boards[["board", *compilation.FIGURES]]
    notes = compilation.reconcile(table, read, 0.2)
    # Rows print 0,0 and 0,0; the total 0,08 prints 0,1: a rounding gap of 0,1.
    assert notes["severity"].tolist() == ["info"]
    assert "0,0, totalen 0,1" in notes["message"].iloc[0]
    assert compilation.reconcile(table, read, 0.05)["severity"].tolist() == ["error"]


def test_html_keeps_the_email_rules_and_links_each_board():
    table = compilation.compilation_table(
        _boards().assign(link=["tn/rapport.html", "bun/rapport.html", ""])
    )
    period = Period.parse("2022-08")
    text = compilation.sentences(table, period)
    assert (
        "Störst negativ budgetavvikelse har Barn- och utbildningsnämnden (−6,0 miljoner kronor)"
        in text
    )
    assert "En nämnd saknas i summan eftersom körningen stoppades: Socialnämnden" in text
    html = compilation.render_html(
        table,
        compilation.reconcile(table, table.iloc[:0], 0.2),
        text,
        compilation.deviation_charts(table, period),
        period,
        "sidfot",
    )
    assert check_html(html, relative_links=True) == []
    assert check_html(html) != []  # the links are allowed only where asked for
    assert '<a href="tn/rapport.html">Tekniska nämnden</a>' in html
    assert '<th scope="col">Prognosavvikelse</th>' in html
    assert check_html('<html lang="sv"><title>t</title><a href="../x.html">x</a></html>', True)
    assert check_html('<html lang="sv"><title>t</title><a href="C:/x.html">x</a></html>', True)
