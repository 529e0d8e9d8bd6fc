import functools
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from klk_analysis.forecasts import (
    METHOD_IDS,
    METHODS,
    compare_to_forecast,
    direction,
    flag_sentences,
    forecast_table,
    last_year_profile,
    method_note,
    profile_shares,
    projections,
    remaining_as_budgeted,
    run_rate,
    run_rate_warning,
    subject,
    with_history_utfall,
    write_forecast_xlsx,
)
from klk_analysis.formatting import XLSX_NUMBER_FORMAT as NUMBER_FORMAT
from klk_analysis.loading import load_workbook, tidy
from tests.forecast_data import tidy_frame
from tests.workbooks import SHIPPED


# mutmut forks one process per mutant from the process that ran the tests once: the shipped
# workbook, loaded once here, is loaded for every mutant (the loader is not under test here).
@functools.cache
def _shipped_tidy():
    return tidy(load_workbook(SHIPPED))


@pytest.fixture(scope="module")
def shipped():
    return _shipped_tidy()


@pytest.fixture(scope="module")
def shipped_projections(shipped):
    return projections(shipped).set_index("label")


def history(rows):
    """Rows of (label, year, month, cumulative amount) as a history frame."""
    return pd.DataFrame(rows, columns=["key", "year", "month", "amount_mnkr"]).assign(
        label=lambda d: d["key"], cell=""
    )


# Personalkostnader: 2021 reached −28,8 of −115,2 by March (a quarter, 0,25);
# 2020 reached −27,0 of −120,0 (0,225). Årets resultat 2021: 12,5 of 25,0 (0,5).
# Övriga intäkter 2021 changed sign during the year: no share.
# KLK HR: its 2022 utfall to March (−17,5) and 2021: −16,0 of −70,0.
HISTORY = history(
    [
        ("personalkostnader", 2021, 3, -28.8),
        ("personalkostnader", 2021, 12, -115.2),
        ("personalkostnader", 2020, 3, -27.0),
        ("personalkostnader", 2020, 12, -120.0),
        ("summa årets resultat", 2021, 3, 12.5),
        ("summa årets resultat", 2021, 12, 25.0),
        ("övriga intäkter", 2021, 3, 14.9),
        ("övriga intäkter", 2021, 12, -5.0),
        ("klk hr", 2022, 3, -17.5),
        ("klk hr", 2021, 3, -16.0),
        ("klk hr", 2021, 12, -70.0),
    ]
)


def test_shipped_result_by_each_method(shipped_projections):
    result = shipped_projections.loc["Summa ÅRETS RESULTAT"]
    assert result["budget_rest"] == pytest.approx(13.8)  # årsbudget 0 + avvikelse 13,8
    assert result["run_rate"] == pytest.approx(48.4)  # 12,1 × 12 / 3
    assert pd.isna(result["last_year_profile"])  # no history in the workbook
    assert result["arsprognos"] == pytest.approx(3.0)
    assert result["distance_budget_rest"] == pytest.approx(-10.8)
    assert result["distance_run_rate"] == pytest.approx(-45.4)
    assert result["flag"] == "under"
    assert result["gap"] == pytest.approx(-10.8)
    assert result["nearest_method"] == "budget_rest"
    assert result["run_rate_warning"] == "late_costs"


def test_shipped_lines(shipped_projections):
    staff = shipped_projections.loc["Personalkostnader"]
    assert staff["arsbudget"] == pytest.approx(-121.4)  # −118,5 − 2,9
    assert staff["budget_rest"] == pytest.approx(-118.5)  # −121,4 + 2,9
    assert staff["run_rate"] == pytest.approx(-116.4)  # −29,1 × 4
    assert staff["flag"] == ""  # −118,5 lies in [−118,5; −116,4]
    revenue = shipped_projections.loc["Kommunersättning"]
    assert revenue["run_rate"] == pytest.approx(461.6)  # 115,4 × 4
    assert revenue["run_rate_warning"] == ""  # revenue is not a cost line


def test_units_have_only_the_budget_method(shipped_projections):
    unit = shipped_projections.loc["KLK Näringsliv"]
    assert unit["budget_rest"] == pytest.approx(-49.1)  # −52,6 + 3,5
    assert unit["arsprognos"] == pytest.approx(-50.9)  # −52,6 + 1,7
    assert pd.isna(unit["utfall"]) and pd.isna(unit["run_rate"])
    assert pd.isna(unit["last_year_profile"])
    assert unit["flag"] == "under"  # 1,8 below, more than the 1,0 threshold
    ledning = shipped_projections.loc["KLK Ledning"]
    assert ledning["budget_rest"] == pytest.approx(-99.0)  # −98,9 − 0,1
    assert ledning["flag"] == ""  # 0,1 above: within the threshold


def test_threshold_is_a_parameter(shipped):
    loose = projections(shipped, threshold=11.0).set_index("label")
    assert loose.loc["Summa ÅRETS RESULTAT", "flag"] == ""  # 10,8 below, within 11


def test_sentence_for_the_shipped_result(shipped_projections):
    (text,) = flag_sentences(shipped_projections.reset_index())
    # By hand from the printed tables. Result: årsprognos +3,0 against årsbudget 0 + 13,8.
    # Lines outside [budget method; run-rate] by more than 1,0: övriga intäkter 43,0 against
    # 43,0 + 5,9 = 48,9 (lower revenue), övriga kostnader −377,1 against −377,2 + 5,1 = −372,1
    # (higher costs). Units, forecast deviation minus budget deviation: Kommunikation 0 − 2,7,
    # Social hållbarhet 0 − 2,0, Miljö 0 − 2,0, Näringsliv 1,7 − 3,5, HR 0,3 − 1,6. The sums
    # and the board's total are not lines or units and are left to the table.
    assert text == (
        "Årsprognosen för årets resultat, +3,0 miljoner kronor, är 10,8 miljoner kronor sämre "
        "än vad utfallet hittills pekar mot om resterande månader följer budget "
        "(+13,8 miljoner kronor). Det beror främst på att prognosen räknar med 5,9 miljoner "
        "kronor lägre övriga intäkter och 5,0 miljoner kronor högre övriga kostnader än "
        "beräkningarna. Bland enheterna är prognosen sämre än beräkningarna för KLK "
        "Kommunikation, IT och digitalisering (2,7 miljoner kronor), KLK Social hållbarhet "
        "(2,0 miljoner kronor), KLK Miljö och samhällsbyggnad (2,0 miljoner kronor), KLK "
        "Näringsliv (1,8 miljoner kronor) och KLK HR (1,3 miljoner kronor)."
    )
    assert not re.search(r"\b(under|över)\b", text)


def test_sentences_name_five_units_and_count_the_rest(shipped_projections):
    frame = shipped_projections.reset_index()
    units = (frame["table"] == "driftredovisning") & (frame["kind"] == "line")
    # Seven more units, each 1,0 better than its budget method, and a subtotal that must not
    # be spoken of as a unit.
    extra = frame[units].head(1)
    more = pd.concat(
        [extra.assign(label=f"Enhet {i}", gap=1.0 + i / 10, flag="över") for i in range(7)]
        + [extra.assign(label="Summa Grundskola", kind="sum", gap=-9.0, flag="under")],
        ignore_index=True,
    )
    (text,) = flag_sentences(pd.concat([frame, more], ignore_index=True))
    assert text.endswith(
        "och bättre än beräkningarna för Enhet 6 (1,6 miljoner kronor), Enhet 5 (1,5 miljoner "
        "kronor), Enhet 4 (1,4 miljoner kronor), Enhet 3 (1,3 miljoner kronor), Enhet 2 "
        "(1,2 miljoner kronor) och två enheter till."
    )
    assert "Grundskola" not in text


def test_forecast_sentences_never_say_under_or_over_a_signed_amount():
    # Every direction in every kind of row, above and below its projections.
    rows = []
    for table, kind, label, budget in (
        ("resultatrakning", "line", "Intäkter", 100.0),
        ("resultatrakning", "line", "Kostnader", -100.0),
        ("resultatrakning", "result", "Årets resultat", 0.0),
        ("driftredovisning", "line", "Enheten", -50.0),
    ):
        for gap, flag in ((-3.0, "under"), (3.0, "över")):
            rows.append(
                {
                    "table": table,
                    "order": len(rows),
                    "label": label,
                    "key": label.lower(),
                    "kind": kind,
                    "arsbudget": budget,
                    "arsprognos": budget + gap,
                    "budget_rest": budget,
                    "run_rate": np.nan,
                    "last_year_profile": np.nan,
                    "gap": gap,
                    "flag": flag,
                    "nearest_method": "budget_rest",
                }
            )
    sentences = [flag_sentences(pd.DataFrame([row]))[0] for row in rows]
    assert not [s for s in sentences if re.search(r"\b(under|över)\b", s)]
    assert [s.split(" räknar med ", 1)[-1] for s in sentences[:4]] == [
        "3,0 miljoner kronor lägre intäkter än beräkningarna.",
        "3,0 miljoner kronor högre intäkter än beräkningarna.",
        "3,0 miljoner kronor högre kostnader än beräkningarna.",
        "3,0 miljoner kronor lägre kostnader än beräkningarna.",
    ]
    assert " är 3,0 miljoner kronor sämre än " in sentences[4]
    assert " är 3,0 miljoner kronor bättre än " in sentences[5]
    assert sentences[6].startswith("Bland enheterna är prognosen sämre än beräkningarna")
    assert sentences[7].startswith("Bland enheterna är prognosen bättre än beräkningarna")


def test_method_functions_on_hand_figures():
    frame = pd.DataFrame(
        {"arsbudget": [-120.0], "budgetavvikelse": [4.0], "utfall": [-50.0], "month": [5]}
    )
    assert remaining_as_budgeted(frame).iloc[0] == pytest.approx(-116.0)
    assert run_rate(frame).iloc[0] == pytest.approx(-120.0)  # −50 × 12 / 5
    # Each named after its method, the column it becomes.
    assert (remaining_as_budgeted(frame).name, run_rate(frame).name) == ("budget_rest", "run_rate")


def test_profile_shares_over_several_years():
    one = profile_shares(HISTORY, 2022, 3, years=1)
    assert one["personalkostnader"] == pytest.approx(0.25)
    assert one["summa årets resultat"] == pytest.approx(0.5)
    assert pd.isna(one["övriga intäkter"])  # the year changed sign
    two = profile_shares(HISTORY, 2022, 3, years=2)
    assert two["personalkostnader"] == pytest.approx(0.2375)  # (0,25 + 0,225) / 2
    assert two["summa årets resultat"] == pytest.approx(0.5)  # only 2021 known
    assert profile_shares(HISTORY, 2022, 8).empty  # no August in the history


def test_last_years_profile_on_the_shipped_workbook(shipped):
    got = projections(shipped, history=HISTORY).set_index("label")
    assert got.loc["Personalkostnader", "last_year_profile"] == pytest.approx(-116.4)  # −29,1/0,25
    assert got.loc["Summa ÅRETS RESULTAT", "last_year_profile"] == pytest.approx(24.2)  # 12,1/0,5
    assert pd.isna(got.loc["Övriga intäkter", "last_year_profile"])
    # The unit's utfall comes from the history's current year: −17,5.
    hr = got.loc["KLK HR"]
    assert hr["utfall"] == pytest.approx(-17.5)
    assert hr["run_rate"] == pytest.approx(-70.0)  # −17,5 × 4
    assert hr["last_year_profile"] == pytest.approx(-76.5625)  # −17,5 / (16/70)
    two = projections(shipped, history=HISTORY, profile_years=2).set_index("label")
    assert two.loc["Personalkostnader", "last_year_profile"] == pytest.approx(-122.5263, abs=1e-4)


def late_year(month: int, share_history: pd.DataFrame | None = None):
    data = tidy_frame(
        f"2022-{month:02d}",
        {
            "Intäkter": {
                "utfall": 90.0,
                "budget": 88.0,
                "budgetavvikelse": 2.0,
                "arsprognos": 100.0,
                "avvikelse_arsprognos": 0.0,
            },
            "Kostnader": {
                "utfall": -88.0,
                "budget": -90.0,
                "budgetavvikelse": 2.0,
                "arsprognos": -94.0,
                "avvikelse_arsprognos": 6.0,
            },
        },
        {"Enhet": {"budgetavvikelse": 1.0, "arsbudget": -10.0, "avvikelse_arsprognos": 0.0}},
    )
    return projections(data, history=share_history).set_index("label")


def test_warning_rule():
    early = late_year(9)
    assert early.loc["Kostnader", "run_rate_warning"] == "late_costs"
    # A unit without utfall has no run-rate, so nothing to warn about.
    assert pd.isna(early.loc["Enhet", "run_rate"])
    assert early.loc["Enhet", "run_rate_warning"] == ""
    assert early.loc["Intäkter", "run_rate_warning"] == ""
    late = late_year(11)
    assert late.loc["Kostnader", "run_rate_warning"] == ""
    # Last year 70 of 100 by November is far from 11/12: the profile is uneven.
    uneven = late_year(11, history([("intäkter", 2021, 11, 70.0), ("intäkter", 2021, 12, 100.0)]))
    assert uneven.loc["Intäkter", "run_rate_warning"] == "uneven_profile"
    assert uneven.loc["Intäkter", "last_year_profile"] == pytest.approx(90 / 0.7)


def test_forecast_above_the_range_is_flagged_with_the_highest_method():
    got = late_year(11).loc["Kostnader"]
    # Årsbudget −94 − 6 = −100; budget method −98; run-rate −88 × 12 / 11 = −96,0.
    assert got["budget_rest"] == pytest.approx(-98.0)
    assert got["run_rate"] == pytest.approx(-96.0)
    assert got["flag"] == "över"
    assert got["nearest_method"] == "run_rate"
    assert got["gap"] == pytest.approx(2.0)  # −94 − (−96)
    # A cost forecast above its projections (−94 against −96) is a lower cost, never "över".
    sentence = flag_sentences(late_year(11).reset_index())[-1]
    assert sentence == "Prognosen räknar med 2,0 miljoner kronor lägre kostnader än beräkningarna."


def test_run_rate_warning_without_profile_or_utfall_columns():
    # Rows of a larger frame (index 3 and 4): the warnings keep their rows.
    frame = pd.DataFrame(
        {"month": [3, 11], "arsbudget": [-1.0, -1.0], "kind": ["line", "line"]}, index=[3, 4]
    )
    got = run_rate_warning(frame)
    assert got.to_dict() == {3: "late_costs", 4: ""}
    assert got.name == "run_rate_warning"


def test_last_year_profile_without_history():
    frame = pd.DataFrame({"key": ["a"], "year": [2022], "month": [3], "utfall": [1.0]})
    assert last_year_profile(frame, None)["last_year_profile"].isna().all()


def test_methods_have_swedish_labels_in_one_place(shipped_projections):
    table = forecast_table(shipped_projections.reset_index())
    for m in METHODS:
        assert m.label in table.columns
    assert "Årsprognos" in table.columns
    assert tuple(m.id for m in METHODS) == METHOD_IDS


def test_export_workbook(shipped_projections, tmp_path):
    path = write_forecast_xlsx(shipped_projections.reset_index(), tmp_path)
    assert path == tmp_path / "tabeller" / "prognos.xlsx"
    ws = openpyxl.load_workbook(path).active
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Tabell", "Rad eller enhet", "Utfall hittills", "Årsbudget"]
    assert "Resterande månader enligt budget" in headers and "Årsprognos" in headers
    assert ws.max_row == 1 + 17  # 8 lines and 9 units
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    result = rows["Summa ÅRETS RESULTAT"]
    budget_col = headers.index("Resterande månader enligt budget")
    assert result[budget_col].value == pytest.approx(13.8)
    assert result[budget_col].number_format == NUMBER_FORMAT
    assert result[headers.index("Årsprognos")].value == pytest.approx(3.0)
    unit = rows["KLK HR"]
    assert unit[headers.index("Rak uppräkning av utfallet")].value is None
    # No run-rate for a unit without utfall, so no warning about one either.
    assert unit[headers.index("Varning rak uppräkning")].value in (None, "")
    assert result[headers.index("Varning rak uppräkning")].value == (
        "kostnader ofta kommer senare under året"
    )
    # The flag in the same words as the report's tables: below the projections is worse.
    assert result[headers.index("Markering")].value == "Sämre än beräkningarna"
    assert rows["KLK Ledning"][headers.index("Markering")].value in (None, "")
    assert not list(tmp_path.glob("tabeller/.*"))


def test_export_rounds_amounts_to_six_decimals(shipped_projections, tmp_path):
    frame = shipped_projections.reset_index()
    frame.loc[0, "arsprognos"] = 0.1 + 0.2  # 0.30000000000000004 in binary floating point
    frame.loc[1, "arsprognos"] = 461.6000000000001
    ws = openpyxl.load_workbook(write_forecast_xlsx(frame, tmp_path)).active
    column = [c.value for c in ws[1]].index("Årsprognos")
    assert [r[column].value for r in ws.iter_rows(min_row=2, max_row=3)] == [0.3, 461.6]


def test_method_note_counts_units_without_utfall():
    frame = pd.DataFrame(
        {
            "table": ["driftredovisning"] * 3,
            "kind": ["line"] * 3,
            "year": [2022] * 3,
            "month": [10] * 3,
            "utfall": [1.0, float("nan"), float("nan")],
            "last_year_profile": [1.0, float("nan"), float("nan")],
        }
    )
    assert "så för 2 av 3 enheter visas bara" in method_note(frame)
    assert "för alla" not in method_note(frame)
    assert "så för alla 2 enheter visas bara" in method_note(frame.iloc[1:])
    # A board of one unit: "för den enda enheten", never "för alla 1 enheter".
    assert "så för den enda enheten visas bara beräkningen" in method_note(frame.iloc[2:])


def test_period_figures_agree_with_wide(shipped):
    from klk_analysis.deviations import wide
    from klk_analysis.forecasts import period_figures

    got = period_figures(shipped, 2022)
    for table in ("resultatrakning", "driftredovisning"):
        expected = wide(shipped, table)
        mine = got[got["table"] == table].reset_index(drop=True)
        assert mine["label"].tolist() == expected["label"].tolist()
        for column in [c for c in expected.columns if c.endswith("_2022")]:
            measure = column.removesuffix("_2022")
            pd.testing.assert_series_equal(
                mine[measure], expected[column], check_names=False, check_dtype=False
            )


def test_method_note_says_what_cannot_be_computed(shipped_projections):
    assert method_note(shipped_projections.reset_index()) == (
        "Årsprognosen jämförs med beräkningar av helåret utifrån utfallet januari \u2013 mars: "
        "resterande månader enligt budget, rak uppräkning av utfallet och tidigare års profil. "
        "En rak uppräkning markeras som osäker före årets sista kvartal för kostnader och "
        "resultat, eftersom kostnader ofta kommer senare under året. Tidigare års profil kan "
        "inte beräknas: den behöver tidigare års utfall för helåret och till och med mars, och "
        "arbetsboken har inget blad \u201dHistorik\u201d med dem och prognosregistret ingen "
        "årsredovisning från ett tidigare år. "
        "Driftredovisningen har inget utfall per enhet, så för alla 8 enheter visas bara "
        "beräkningen där resterande månader följer budget. Prognoser som avviker mer än 1,0 "
        "miljoner kronor från beräkningarna markeras."
    )


def test_export_keeps_formula_like_labels_as_text(tmp_path):
    data = tidy_frame(
        "2022-03",
        {
            "=SUMMA(A1)": {
                "utfall": 1.0,
                "budget": 1.0,
                "budgetavvikelse": 0.0,
                "arsprognos": 4.0,
                "avvikelse_arsprognos": 0.0,
            }
        },
        {"- Enhet": {"budgetavvikelse": 0.0, "arsbudget": -4.0, "avvikelse_arsprognos": 0.0}},
    )
    path = write_forecast_xlsx(projections(data), tmp_path)
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].value == "=SUMMA(A1)" and ws["B2"].data_type == "s"
    assert ws["B2"].quotePrefix and ws["B3"].quotePrefix
    assert ws["C2"].value == 1.0 and ws["C2"].number_format == '#,##0.0;"\u2212"#,##0.0'


# The flag at its boundaries, on one-row frames: the three projections and the årsprognos.
def compared(forecast, budget_rest, run_rate=np.nan, profile=np.nan, threshold=1.0):
    frame = pd.DataFrame(
        {
            "arsprognos": [forecast, 5.0],
            "budget_rest": [budget_rest, np.nan],
            "run_rate": [run_rate, np.nan],
            "last_year_profile": [profile, np.nan],
        }
    )
    got = compare_to_forecast(frame, threshold)
    # The second row has no projection at all: never flagged, whatever its årsprognos.
    assert (got.loc[1, "flag"], got.loc[1, "gap"], got.loc[1, "nearest_method"]) == ("", 0.0, "")
    return got.loc[0]


def test_a_forecast_exactly_the_threshold_outside_its_projections_is_not_flagged():
    below = compared(9.0, 10.0, 12.0)  # 10 − 1,0
    assert (below["flag"], below["gap"], below["nearest_method"]) == ("", 0.0, "")
    assert (below["low"], below["high"]) == (10.0, 12.0)
    assert below["distance_budget_rest"] == pytest.approx(-1.0)  # 9 − 10
    assert below["distance_run_rate"] == pytest.approx(-3.0)  # 9 − 12
    above = compared(13.0, 10.0, 12.0)  # 12 + 1,0
    assert (above["flag"], above["gap"], above["nearest_method"]) == ("", 0.0, "")


def test_a_forecast_0_1_beyond_the_threshold_is_flagged_with_the_nearest_method():
    below = compared(8.9, 10.0, 12.0)
    assert (below["flag"], below["nearest_method"]) == ("under", "budget_rest")
    assert below["gap"] == pytest.approx(-1.1)  # 8,9 − 10
    above = compared(13.1, 10.0, 12.0)
    assert (above["flag"], above["nearest_method"]) == ("över", "run_rate")
    assert above["gap"] == pytest.approx(1.1)  # 13,1 − 12


def test_a_missing_projection_is_never_the_nearest():
    # No run-rate (a unit): the nearest method is the lowest or highest of the other two.
    below = compared(8.0, 11.0, np.nan, 10.0)
    assert (below["flag"], below["nearest_method"]) == ("under", "last_year_profile")
    assert below["gap"] == pytest.approx(-2.0)  # 8 − 10
    above = compared(14.0, 10.0, np.nan, 11.0)
    assert (above["flag"], above["nearest_method"]) == ("över", "last_year_profile")
    assert above["gap"] == pytest.approx(3.0)  # 14 − 11


def test_the_threshold_of_the_flag_is_a_parameter():
    assert compared(9.5, 10.0, 12.0, threshold=0.5)["flag"] == ""  # exactly 0,5 below
    tight = compared(9.4, 10.0, 12.0, threshold=0.5)
    assert (tight["flag"], tight["gap"]) == ("under", pytest.approx(-0.6))
    assert compared(8.9, 10.0, 12.0, threshold=2.0)["flag"] == ""


def warnings_for(rows):
    """Rows of (month, kind, arsbudget, utfall, profile_share) as run_rate_warning sees them."""
    frame = pd.DataFrame(rows, columns=["month", "kind", "arsbudget", "utfall", "profile_share"])
    return run_rate_warning(frame).tolist()


def test_the_run_rate_is_warned_for_costs_and_results_before_october():
    assert warnings_for(
        [
            (9, "line", -1.0, -0.5, np.nan),  # a cost line in September
            (10, "line", -1.0, -0.5, np.nan),  # October begins the last quarter
            (9, "line", 0.0, -0.5, np.nan),  # no budget: neither a cost nor a revenue
            (9, "line", 1.0, 0.5, np.nan),  # revenue
            (9, "result", 1.0, 0.5, np.nan),  # a result, whatever its sign
            (9, "line", -1.0, np.nan, np.nan),  # no utfall, so no run-rate to warn about
        ]
    ) == ["late_costs", "", "", "", "late_costs", ""]


def test_an_uneven_profile_is_more_than_five_points_from_month_over_twelve():
    assert warnings_for(
        [
            (1, "line", 1.0, 0.2, 2 / 15),  # 2/15 − 1/12 = 3/60: exactly five points
            (1, "line", 1.0, 0.2, 2.1 / 15),  # 0,14: 5,7 points above
            (12, "line", 1.0, 0.2, 0.94),  # 6 points below December's 1
            (12, "line", 1.0, 0.2, 0.96),  # 4 points below
            (3, "line", -1.0, -0.2, 0.5),  # an early cost line: the late costs come first
            (3, "line", 1.0, np.nan, 0.5),  # uneven, but no utfall and so no run-rate
        ]
    ) == ["", "uneven_profile", "uneven_profile", "", "late_costs", ""]


def row(**values):
    defaults = {"table": "resultatrakning", "kind": "line", "arsbudget": np.nan}
    return pd.Series({**defaults, **values})


def test_a_row_is_named_in_a_sentence_as_a_reader_says_it():
    assert subject(row(label="- Övriga kostnader", key="övriga kostnader")) == "övriga kostnader"
    assert subject(row(label="IT-stöd", key="it-stöd")) == "IT-stöd"
    result = row(label="Summa ÅRETS RESULTAT", key="summa årets resultat", kind="result")
    assert subject(result) == "årets resultat"
    unit = row(table="driftredovisning", label="- KLK HR", key="klk hr")
    assert subject(unit) == "KLK HR"


def test_the_direction_of_a_line_follows_its_budget_or_else_its_forecast():
    # Revenue below its projections is lower, a cost below them higher (a larger minus).
    assert direction(row(arsbudget=10.0, arsprognos=8.0, gap=-2.0)) == "lägre"
    assert direction(row(arsbudget=-10.0, arsprognos=-12.0, gap=-2.0)) == "högre"
    assert direction(row(arsbudget=-10.0, arsprognos=-8.0, gap=2.0)) == "lägre"
    # Without an årsbudget the årsprognos tells revenue from costs.
    assert direction(row(arsprognos=8.0, gap=-2.0)) == "lägre"
    assert direction(row(arsprognos=-8.0, gap=-2.0)) == "högre"
    # The årsbudget decides when both are there, however small: 0,5 is revenue.
    assert direction(row(arsbudget=2.0, arsprognos=-1.0, gap=-3.0)) == "lägre"
    assert direction(row(arsbudget=0.5, arsprognos=0.4, gap=-1.1)) == "lägre"
    assert direction(row(arsbudget=-0.5, arsprognos=0.4, gap=1.1)) == "lägre"
    # A budget of zero is no revenue: 2,0 under it is a higher cost.
    assert direction(row(arsbudget=0.0, arsprognos=-2.0, gap=-2.0)) == "högre"
    # A result and a unit are better or worse, whatever their sign.
    assert direction(row(kind="result", arsbudget=-5.0, gap=-1.0)) == "sämre"
    assert direction(row(kind="result", arsbudget=-5.0, gap=1.0)) == "bättre"
    assert direction(row(kind="result", arsbudget=-5.0, gap=0.5)) == "bättre"  # threshold 0,3
    assert direction(row(table="driftredovisning", arsbudget=-5.0, gap=-1.0)) == "sämre"
    assert direction(row(table="driftredovisning", arsbudget=-5.0, gap=1.0)) == "bättre"


def flagged_lines(count, result_flag=""):
    """A resultaträkning of `count` revenue lines, each above its projections, and its result."""
    rows = [
        {
            "table": "resultatrakning",
            "order": i,
            "label": f"Rad {i}",
            "key": f"rad {i}",
            "kind": "line",
            "arsbudget": 10.0,
            "arsprognos": 12.0,
            "budget_rest": 10.0,
            "gap": 1.0 + i / 10,
            "flag": "över",
            "nearest_method": "budget_rest",
        }
        for i in range(1, count + 1)
    ]
    # A subtotal outside its projections is left to the table, never spoken of as a line.
    rows.append({**rows[0], "label": "Summa intäkter", "key": "summa intäkter", "kind": "sum"})
    rows.append(
        {
            **rows[0],
            "label": "Årets resultat",
            "key": "årets resultat",
            "kind": "result",
            "arsprognos": -2.0,
            "budget_rest": 1.5,
            "run_rate": 2.5,
            "gap": -3.5 if result_flag else 0.0,
            "flag": result_flag,
            "nearest_method": "budget_rest",
        }
    )
    return pd.DataFrame(rows)


def test_sentences_name_five_lines_and_count_one_more_as_en_rad():
    (text,) = flag_sentences(flagged_lines(6))
    assert text == (
        "Prognosen räknar med 1,6 miljoner kronor högre rad 6, 1,5 miljoner kronor högre rad 5, "
        "1,4 miljoner kronor högre rad 4, 1,3 miljoner kronor högre rad 3, 1,2 miljoner kronor "
        "högre rad 2 och en rad till än beräkningarna."
    )


def test_sentences_count_two_more_lines_as_rader_after_the_result():
    (text,) = flag_sentences(flagged_lines(7, result_flag="under"))
    # Årets resultat: −2,0 against the budget method's +1,5 (the run-rate +2,5 is farther).
    assert text.startswith(
        "Årsprognosen för årets resultat, \u22122,0 miljoner kronor, är 3,5 miljoner kronor "
        "sämre än vad utfallet hittills pekar mot om resterande månader följer budget "
        "(+1,5 miljoner kronor). Det beror främst på att prognosen räknar med 1,7 miljoner "
        "kronor högre rad 7, "
    )
    assert text.endswith("1,3 miljoner kronor högre rad 3 och två rader till än beräkningarna.")
    assert "intäkter" not in text


def test_no_flag_no_sentence():
    frame = flagged_lines(1).assign(flag="", gap=0.0)
    assert flag_sentences(frame) == []


# Profile shares: the first of two figures for a year and month, prior years only, positive.
SHARES = history(
    [
        ("a", 2021, 3, 30.0),
        ("a", 2021, 3, 99.0),  # the same month twice (Historik and register): the first counts
        ("a", 2021, 12, 120.0),
        ("a", 2022, 3, 10.0),  # the current year is never its own profile
        ("a", 2022, 12, 10.0),
        ("a", 2019, 3, 10.0),  # three years back: 0,1
        ("a", 2019, 12, 100.0),
        ("a", 2021, 6, 60.0),  # another month
        ("b", 2021, 3, 5.0),  # a full year of zero gives no share
        ("b", 2021, 12, 0.0),
        ("c", 2021, 3, -5.0),  # a change of sign gives none
        ("c", 2021, 12, 10.0),
        ("d", 2021, 3, 0.0),  # nothing reached by March: a share of zero is none either
        ("d", 2021, 12, 10.0),
        ("e", 2020, 3, 1.0),  # two years back only: 0,25
        ("e", 2020, 12, 4.0),
    ]
)


def test_profile_shares_take_the_first_figure_of_prior_years_only():
    one = profile_shares(SHARES, 2022, 3)
    assert (one.name, one.dtype) == ("profile_share", "float64")
    assert pd.isna(one.get("e"))  # one year back by default
    assert profile_shares(SHARES, 2022, 3, years=2)["e"] == pytest.approx(0.25)
    none = profile_shares(SHARES, 2022, 8)  # no August in any year
    assert none.empty and (none.name, none.dtype) == ("profile_share", "float64")
    assert one["a"] == pytest.approx(0.25)  # 30 / 120
    assert pd.isna(one.get("b")) and pd.isna(one.get("c")) and pd.isna(one.get("d"))
    assert profile_shares(SHARES, 2022, 3, years=2)["a"] == pytest.approx(0.25)  # no 2020
    assert profile_shares(SHARES, 2022, 3, years=3)["a"] == pytest.approx(0.175)  # (0,25+0,1)/2
    assert profile_shares(SHARES, 2022, 6)["a"] == pytest.approx(0.5)  # 60 / 120


def test_last_years_profile_divides_the_utfall_by_the_share():
    frame = pd.DataFrame(
        {"key": ["a", "c", "x"], "year": [2022] * 3, "month": [3] * 3, "utfall": [33.0, 4.0, 1.0]}
    )
    got = last_year_profile(frame, SHARES)
    assert got["last_year_profile"].iloc[0] == pytest.approx(132.0)  # 33 / 0,25
    assert got["profile_share"].iloc[0] == pytest.approx(0.25)
    assert got["last_year_profile"].iloc[1:].isna().all()  # a change of sign; no history
    assert last_year_profile(frame.assign(key="e"), SHARES)["last_year_profile"].isna().all()
    two = last_year_profile(frame.assign(key="e"), SHARES, years=2)
    assert two["last_year_profile"].iloc[0] == pytest.approx(132.0)  # 33 / 0,25 (2020)
    three = last_year_profile(frame, SHARES, years=3)
    assert three["last_year_profile"].iloc[0] == pytest.approx(188.5714, abs=1e-4)  # 33 / 0,175
    assert last_year_profile(frame, SHARES.iloc[0:0])["last_year_profile"].isna().all()


def test_a_units_utfall_comes_from_the_history_of_this_year_and_month():
    frame = pd.DataFrame(
        {
            "key": ["a", "b", "c"],
            "year": [2022] * 3,
            "month": [3] * 3,
            "utfall": [5.0, np.nan, np.nan],
        }
    )
    past = history(
        [
            ("a", 2022, 3, 9.0),  # a printed utfall is kept
            ("b", 2022, 3, -2.0),
            ("b", 2022, 3, -3.0),  # twice: the first counts
            ("b", 2022, 2, -1.0),
            ("b", 2021, 3, -4.0),
            ("c", 2021, 3, -1.0),  # last year's is not this year's
            ("c", 2022, 2, -1.0),  # nor February's
        ]
    )
    got = with_history_utfall(frame, past)["utfall"].tolist()
    assert got[:2] == [5.0, -2.0] and pd.isna(got[2])
    # A board of one unit.
    assert with_history_utfall(frame.iloc[1:2], past)["utfall"].tolist() == [-2.0]


def test_the_method_note_after_september_with_a_profile():
    frame = pd.DataFrame(
        {
            "table": ["resultatrakning", "driftredovisning", "driftredovisning"],
            "kind": ["line", "line", "sum"],
            "year": [2022] * 3,
            "month": [10] * 3,
            "utfall": [1.0, 2.0, np.nan],
            "last_year_profile": [np.nan, 3.0, np.nan],
        }
    )
    assert method_note(frame, threshold=2.5) == (
        "Årsprognosen jämförs med beräkningar av helåret utifrån utfallet januari \u2013 oktober: "
        "resterande månader enligt budget, rak uppräkning av utfallet och tidigare års profil. "
        "Prognoser som avviker mer än 2,5 miljoner kronor från beräkningarna markeras."
    )
    september = method_note(frame.assign(month=9))
    assert "utfallet januari \u2013 september:" in september
    assert "En rak uppräkning markeras som osäker före årets sista kvartal" in september
    assert "avviker mer än 1,0 miljoner kronor" in september


def test_the_method_note_in_january_without_a_profile():
    frame = pd.DataFrame(
        {
            "table": ["driftredovisning"],
            "kind": ["line"],
            "year": [2023],
            "month": [1],
            "utfall": [np.nan],
            "last_year_profile": [np.nan],
        }
    )
    note = method_note(frame)
    assert "utifrån utfallet januari: " in note
    assert "till och med januari, och arbetsboken" in note
    assert "Driftredovisningen har inget utfall per enhet" in note


def test_the_table_in_swedish_words():
    data = late_year(11, history([("intäkter", 2021, 11, 70.0), ("intäkter", 2021, 12, 100.0)]))
    table = forecast_table(data.reset_index())
    assert list(table.columns) == [
        "Tabell",
        "Rad eller enhet",
        "Utfall hittills",
        "Årsbudget",
        "Resterande månader enligt budget",
        "Rak uppräkning av utfallet",
        "Tidigare års profil",
        "Årsprognos",
        "Prognosens avstånd utanför metoderna",
        "Markering",
        "Varning rak uppräkning",
    ]
    assert table["Tabell"].tolist() == ["Resultaträkning", "Resultaträkning", "Driftredovisning"]
    assert table["Rad eller enhet"].tolist() == ["Intäkter", "Kostnader", "Enhet"]
    # Kostnader: −94 above the run-rate −96 by 2,0 (see the test above): better.
    assert table["Markering"].tolist() == ["", "Bättre än beräkningarna", ""]
    assert table["Varning rak uppräkning"].tolist() == [
        "tidigare års utfall fördelade sig ojämnt över året",
        "",
        "",
    ]
    # Intäkter: årsbudget 100 − 0, utfall 90 by November.
    assert table.loc[0, "Årsbudget"] == pytest.approx(100.0)
    assert table.loc[0, "Utfall hittills"] == pytest.approx(90.0)


def test_the_xlsx_sheet_is_named_and_frozen_at_the_figures(tmp_path):
    ws = openpyxl.load_workbook(write_forecast_xlsx(late_year(11).reset_index(), tmp_path)).active
    assert ws.title == "Prognos"
    assert ws.freeze_panes == "C2"
    assert [c.value for c in ws["A"]] == [
        "Tabell",
        "Resultaträkning",
        "Resultaträkning",
        "Driftredovisning",
    ]
    # The unit has no utfall: an empty cell, not "nan".
    assert ws["C4"].value is None and ws["D4"].value == -10.0


def test_sentences_count_one_more_worse_unit_and_name_a_small_better_one():
    units = [
        {
            "table": "driftredovisning",
            "order": i,
            "label": f"Enhet {i}",
            "key": f"enhet {i}",
            "kind": "line",
            "arsbudget": -10.0,
            "arsprognos": -12.0,
            "budget_rest": -10.0,
            "gap": -1.0 - i / 10,
            "flag": "under",
            "nearest_method": "budget_rest",
        }
        for i in range(1, 7)
    ]
    # With a threshold of 0,3 a unit 0,5 above its projections is flagged: better.
    units.append({**units[0], "label": "Enhet B", "gap": 0.5, "flag": "över"})
    (text,) = flag_sentences(pd.DataFrame(units))
    assert text == (
        "Bland enheterna är prognosen sämre än beräkningarna för Enhet 6 (1,6 miljoner kronor), "
        "Enhet 5 (1,5 miljoner kronor), Enhet 4 (1,4 miljoner kronor), Enhet 3 (1,3 miljoner "
        "kronor), Enhet 2 (1,2 miljoner kronor) och en enhet till, och bättre än beräkningarna "
        "för Enhet B (0,5 miljoner kronor)."
    )


def test_a_missing_annual_budget_or_forecast_comes_from_the_other_and_its_deviation():
    # No årsbudget in either table: årsprognos − avvikelse årsprognos. No utfall: no run-rate.
    data = tidy_frame(
        "2022-03",
        {
            "Intäkter": {"budgetavvikelse": 1.0, "arsprognos": 50.0, "avvikelse_arsprognos": 2.0},
            "Kostnader": {
                "budgetavvikelse": -1.0,
                "arsprognos": -45.0,
                "avvikelse_arsprognos": -3.0,
            },
        },
        {"Enhet": {"budgetavvikelse": 0.5, "arsprognos": -20.0, "avvikelse_arsprognos": 1.0}},
    )
    got = projections(data).set_index("label")
    assert got["arsbudget"].tolist() == [48.0, -42.0, -21.0]
    assert got["budget_rest"].tolist() == [49.0, -43.0, -20.5]  # årsbudget + budgetavvikelse
    assert got["run_rate"].isna().all()
    # No årsprognos in either table: årsbudget + avvikelse årsprognos.
    data = tidy_frame(
        "2022-03",
        {
            "Intäkter": {"utfall": 12.0, "arsbudget": 48.0, "avvikelse_arsprognos": 2.0},
            "Kostnader": {"utfall": -10.0, "arsbudget": -42.0, "avvikelse_arsprognos": -3.0},
        },
        {"Enhet": {"arsbudget": -21.0, "avvikelse_arsprognos": 1.0}},
    )
    got = projections(data).set_index("label")
    assert got["arsprognos"].tolist() == [50.0, -45.0, -20.0]
    assert got.loc["Intäkter", "run_rate"] == pytest.approx(48.0)  # 12 × 12 / 3
    assert got["budget_rest"].isna().all()  # no budgetavvikelse


def test_period_figures_in_the_printed_order_whatever_the_order_of_the_tidy_rows():
    from klk_analysis.forecasts import period_figures

    data = tidy_frame(
        "2022-03",
        {"Intäkter": {"utfall": 3.0}, "Kostnader": {"utfall": -2.0}},
        {"Enhet A": {"budgetavvikelse": 0.5}, "Enhet B": {"budgetavvikelse": -0.5}},
    )
    got = period_figures(data.iloc[::-1], 2022)
    assert got.index.tolist() == [0, 1, 2, 3]
    assert list(got.columns) == [
        "table",
        "order",
        "label",
        "key",
        "kind",
        "budgetavvikelse",
        "utfall",
    ]
    assert got["label"].tolist() == ["Intäkter", "Kostnader", "Enhet A", "Enhet B"]


def test_a_board_of_one_figure():
    data = tidy_frame("2022-03", {"Intäkter": {"utfall": 3.0}}, {})
    assert len(data) == 1
    past = history([("intäkter", 2021, 3, 2.0), ("intäkter", 2021, 12, 8.0)])
    (got,) = projections(data, history=past).to_dict("records")
    assert (got["year"], got["month"]) == (2022, 3)
    assert got["run_rate"] == pytest.approx(12.0)  # 3 × 12 / 3
    assert got["last_year_profile"] == pytest.approx(12.0)  # 3 / (2/8)
