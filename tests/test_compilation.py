import numpy as np
import pandas as pd
import pytest

from klk_analysis import compilation
from klk_analysis.htmlexport import check_html
from klk_analysis.loading import load_workbook
from klk_analysis.periods import Period
from klk_analysis.sections import part_html, sections_html
from klk_analysis.tables import KIND
from tests.test_display import table_texts
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
    rows = table_texts(part_html(compilation.table_part(table, "Rubrik")))[0]["rows"]
    # Budgetavvikelse: −6,0; none for the board that failed; 2,96 printed 3,0; −3,04 → −3,0.
    assert [row[3] for row in rows] == ["Budgetavvikelse", "\u22126,0", "", "3,0", "\u22123,0"]
    assert rows[-1][-1] == "2 av 3 nämnder"


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


@pytest.mark.slow
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


def _register(rows):
    """A forecast register by hand: (board, month, table, kind, årsprognos, utfall)."""
    from klk_analysis.register import COLUMNS, empty_register

    entries = [
        {
            "board": board,
            "period": f"2022-{month:02d}",
            "year": 2022,
            "month": month,
            "table": table,
            "order": 9 if kind == "result" else 1,
            "key": f"{table}-{kind}",
            "label": "Årets resultat" if kind == "result" else "Rad",
            "kind": kind,
            "arsprognos": forecast,
            "utfall": outcome,
        }
        for board, month, table, kind, forecast, outcome in rows
    ]
    return pd.concat([empty_register(), pd.DataFrame(entries)], ignore_index=True)[COLUMNS]


@pytest.mark.slow
def test_prognossakerhet_per_board_at_december_with_the_bias_across_boards():
    rr = "resultatrakning"
    register = _register(
        [
            # Kommunstyrelsen: forecasts +3,0 (mars) and +1,5 (augusti), outcome +4,2.
            ("Kommunstyrelsen", 3, rr, "result", 3.0, 1.0),
            ("Kommunstyrelsen", 8, rr, "result", 1.5, 2.0),
            ("Kommunstyrelsen", 12, rr, "result", 4.2, 4.2),
            ("Kommunstyrelsen", 3, rr, "line", 50.0, 10.0),  # a line: not the result
            ("Kommunstyrelsen", 12, rr, "line", 40.0, 40.0),
            # Tekniska nämnden: −2,1 (mars) and −5,0 (augusti), outcome −3,5.
            ("Tekniska nämnden", 3, rr, "result", -2.1, -1.0),
            ("Tekniska nämnden", 8, rr, "result", -5.0, -2.0),
            ("Tekniska nämnden", 12, rr, "result", -3.5, -3.5),
            # Not a board of this compilation, and a board without December: both left out.
            ("Annan nämnd", 3, rr, "result", 9.0, 1.0),
            ("Annan nämnd", 12, rr, "result", 1.0, 1.0),
            ("Socialnämnden", 8, rr, "result", -1.0, -1.0),
        ]
    )
    boards = ["Tekniska nämnden", "Kommunstyrelsen", "Socialnämnden"]
    assert compilation.forecast_accuracy(register, Period(2022, 8), boards).empty
    errors = compilation.forecast_accuracy(register, Period(2022, 12), boards)
    # outcome − forecast: KS 4,2 − 3,0 = +1,2 and 4,2 − 1,5 = +2,7;
    # Tekniska −3,5 − (−2,1) = −1,4 and −3,5 − (−5,0) = +1,5.
    assert list(errors.index) == ["Kommunstyrelsen", "Tekniska nämnden"]
    assert list(errors.columns) == [3, 8]
    assert errors.loc["Kommunstyrelsen"].tolist() == pytest.approx([1.2, 2.7])
    assert errors.loc["Tekniska nämnden"].tolist() == pytest.approx([-1.4, 1.5])
    bias = compilation.accuracy_bias(errors)
    # mars: (1,2 − 1,4) / 2 = −0,1, one of two better; augusti: (2,7 + 1,5) / 2 = +2,1, both.
    assert bias["mean_error"].tolist() == pytest.approx([-0.1, 2.1])
    assert bias["better"].tolist() == [1, 2] and bias["boards"].tolist() == [2, 2]
    text = compilation.accuracy_sentences(errors, 2022)
    assert text == (
        "Med prognosen i mars blev 2022 års resultat i genomsnitt 0,1 miljoner kronor sämre än "
        "prognosen för två nämnder; en av dem fick ett bättre utfall än prognosen. "
        "Med prognosen i augusti blev 2022 års resultat i genomsnitt 2,1 miljoner kronor bättre "
        "än prognosen för två nämnder; två av dem fick ett bättre utfall än prognosen."
    )
    shown = compilation.accuracy_display(errors)
    assert shown.columns.tolist() == ["Nämnd", "Prognos i mars", "Prognos i augusti", KIND]
    assert shown[KIND].tolist() == ["line", "line", "sum"]
    charts = compilation.accuracy_charts(errors, 2022)
    assert [c.name for c in charts] == [
        "prognossakerhet_03_per_namnd",
        "prognossakerhet_08_per_namnd",
    ]
    assert "Kommunstyrelsen" in charts[1].alt and "+2,7" in charts[1].alt
    section = sections_html(compilation.accuracy_sections(errors, charts, 2022))
    assert table_texts(section)[0]["rows"] == [
        ["Nämnd", "Prognos i mars", "Prognos i augusti"],
        ["Kommunstyrelsen", "+1,2", "+2,7"],
        ["Tekniska nämnden", "\u22121,4", "+1,5"],
        ["Genomsnitt för nämnderna", "\u22120,1", "+2,1"],
    ]
    assert '<tr class="summa"><th scope="row">Genomsnitt för nämnderna</th>' in section
    page = compilation.render_html(
        compilation.compilation_table(
            pd.DataFrame(
                [
                    {
                        "board": "Kommunstyrelsen",
                        "status": "ok",
                        "message": "",
                        "link": "kommunstyrelsen/rapport.html",
                        **dict.fromkeys(compilation.FIGURES, 1.0),
                    }
                ]
            )
        ),
        pd.DataFrame(columns=["severity", "message"]),
        "Text.",
        [],
        Period(2022, 12),
        "",
        compilation.accuracy_sections(errors, charts, 2022),
    )
    assert check_html(page, relative_links=True) == []
    assert '<h2 id="prognossakerhet-per-namnd">Prognossäkerhet per nämnd</h2>' in page
