import functools
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.validation import (
    annual_budget,
    check_between_tables,
    check_differences,
    check_sums,
    count_by_severity,
    reconcile,
    sum_parts,
)
from tests.workbooks import (
    DR_HEADER,
    DR_ROWS,
    RR_HEADER,
    RR_ROWS,
    SHIPPED,
    make_workbook,
    sheet,
    source_workbook,
)


# mutmut forks one process per mutant from the process that ran the tests once, so a workbook
# loaded once here is loaded for every mutant (the loader is not the module under test).
@functools.cache
def _shipped():
    return load_workbook(SHIPPED)


_LOADED = {}


def _load_once(write, *args, **kwargs):
    """Load the workbook `write(path, *args, **kwargs)` makes, once per process."""
    key = repr((write.__name__, args, sorted(kwargs.items())))
    if key not in _LOADED:
        with tempfile.TemporaryDirectory() as folder:
            _LOADED[key] = load_workbook(write(Path(folder) / "a.xlsx", *args, **kwargs))
    return _LOADED[key]


def test_shipped_workbook_has_only_the_source_documents_rounding_gaps():
    findings = reconcile(_shipped())
    assert count_by_severity(findings) == {"error": 0, "warning": 0, "info": 6}
    gaps = {(f.table, f.row, f.column, f.cell, f.printed, round(f.computed, 1)) for f in findings}
    # Worked by hand from the printed tables: 115,4 + 16,7 = 132,1 against 132,0 printed, ...
    # Cells: data start on Excel row 4 (title, unit, header above); labels in A, so the
    # Resultaträkning's Utfall Mar 2022 is C, its Budget D, its Budgetavvikelse E; the
    # Driftredovisning's Budgetavvikelse Mar 2021 is B and Mar 2022 C. Summa INTÄKTER is the
    # third row (6), Summa ÅRETS RESULTAT the eighth (11), Summa Kommunstyrelsen the ninth (12).
    assert gaps == {
        ("resultatrakning", "Summa INTÄKTER", "Utfall Mar 2022", "C6", 132.0, 132.1),
        ("resultatrakning", "Summa INTÄKTER", "Budget Mar 2022", "D6", 126.1, 126.2),
        ("resultatrakning", "Summa ÅRETS RESULTAT", "Budget Mar 2022", "D11", -1.6, -1.7),
        (
            "resultatrakning",
            "Summa ÅRETS RESULTAT",
            "Budgetavvikelse Mar 2022",
            "E11",
            13.8,
            13.7,
        ),
        (
            "driftredovisning",
            "Summa Kommunstyrelsen",
            "Budgetavvikelse Mar 2021",
            "B12",
            13.5,
            13.6,
        ),
        (
            "driftredovisning",
            "Summa Kommunstyrelsen",
            "Budgetavvikelse Mar 2022",
            "C12",
            13.8,
            13.7,
        ),
    }
    intakter = next(f for f in findings if f.row == "Summa INTÄKTER" and "Utfall" in f.column)
    assert intakter.message.startswith(
        "blad 'Resultaträkning', cell C6 (rad 'Summa INTÄKTER', kolumn 'Utfall Mar 2022'): "
        "tryckt 132,0, raderna summerar till 132,1"
    )


def test_a_finding_as_json_keeps_its_keys_and_adds_the_cell():
    finding = reconcile(_shipped())[0]
    assert list(finding.as_dict()) == [
        "severity",
        "check",
        "table",
        "row",
        "column",
        "printed",
        "computed",
        "message",
        "cell",
    ]


def test_lost_minus_sign_on_a_unit_is_an_error_naming_total_and_unit():
    rows = [list(r) for r in DR_ROWS]
    rows[2][3] = 64.8  # KLK Ekonomi och kvalitet, Budget 2022: printed without its minus
    findings = reconcile(_load_once(source_workbook, dr_rows=rows))
    errors = [f for f in findings if f.severity == "error"]
    total = next(f for f in errors if f.check == "summa")
    assert (total.row, total.column, total.printed) == (
        "Summa Kommunstyrelsen",
        "Budget 2022",
        -461.5,
    )
    assert total.computed == pytest.approx(-331.9)
    assert "'KLK Ekonomi och kvalitet'" in total.message
    assert "tappat minustecken" in total.message
    # Summa Kommunstyrelsen is the ninth data row (Excel row 12); Budget 2022 is column D.
    assert total.cell == "D12"
    assert total.message.startswith("blad 'Driftredovisning', cell D12 (rad 'Summa Kommun")


def test_sum_off_by_several_mnkr_names_the_row():
    rows = [list(r) for r in RR_ROWS]
    rows[6][2] = -124.9  # Summa KOSTNADER, Utfall Mar 2022, 5,0 off
    findings = reconcile(_load_once(source_workbook, rr_rows=rows))
    errors = [f for f in findings if f.severity == "error"]
    assert {(f.row, f.column) for f in errors} >= {("Summa KOSTNADER", "Utfall Mar 2022")}
    first = next(f for f in errors if f.row == "Summa KOSTNADER" and f.check == "summa")
    assert first.computed == pytest.approx(-119.9)
    assert "differens −5,0 mnkr" in first.message


def test_wrong_budget_deviation():
    rows = [list(r) for r in RR_ROWS]
    rows[3][4] = 3.9  # Personalkostnader: −29,1 − (−32,0) is 2,9
    findings = reconcile(_load_once(source_workbook, rr_rows=rows))
    wrong = [f for f in findings if f.check == "budgetavvikelse" and f.severity == "error"]
    assert [(f.row, f.printed, round(f.computed, 1)) for f in wrong] == [
        ("Personalkostnader", 3.9, 2.9)
    ]


def test_units_must_add_up_to_the_driftram():
    rows = [list(r) for r in DR_ROWS]
    rows[1][3], rows[8][3] = -108.9, -471.5  # units and total agree, the driftram does not
    findings = reconcile(_load_once(source_workbook, dr_rows=rows))
    ram = [f for f in findings if f.check == "driftram"]
    assert [(f.severity, f.printed, f.computed, f.cell) for f in ram] == [
        ("error", -471.5, -461.5, "D12")
    ]


def test_the_tables_disagreeing_names_both_cells():
    rows = [list(r) for r in RR_ROWS]
    rows[7][4] = 23.8  # Summa ÅRETS RESULTAT, Budgetavvikelse Mar 2022 (E11): 13,8 in the units
    findings = reconcile(_load_once(source_workbook, rr_rows=rows))
    between = [f for f in findings if f.check == "mellan_tabeller"]
    assert [(f.severity, f.table, f.cell, f.printed, f.computed) for f in between] == [
        ("error", "driftredovisning", "C12", 13.8, 23.8)
    ]
    assert between[0].message.startswith("blad 'Driftredovisning', cell C12 (rad 'Summa Kommun")
    assert "resultaträkningens 'Summa ÅRETS RESULTAT' (cell E11) har 23,8" in between[0].message


def test_tolerance_is_a_parameter():
    findings = reconcile(_shipped(), tolerance=0.0)
    assert count_by_severity(findings)["error"] == 6


def test_sum_parts_sections_and_result():
    # Summa INTÄKTER = rows 0–1, Summa KOSTNADER = rows 3–5, the result = the two sums
    rr = _shipped().resultatrakning
    assert sum_parts(rr) == {2: [0, 1], 6: [3, 4, 5], 7: [2, 6]}


def _thousandfold(rows):
    return [[r[0], *(round(v * 1000) for v in r[1:])] for r in rows]


def test_tkr_labelled_mnkr_is_an_error_that_comes_first():
    workbook = _load_once(
        source_workbook, rr_rows=_thousandfold(RR_ROWS), dr_rows=_thousandfold(DR_ROWS)
    )
    first = reconcile(workbook)[0]
    assert (first.severity, first.check, first.table) == ("error", "enhet", "resultatrakning")
    # The largest figure of the first column: Summa INTÄKTER, Utfall Mar 2021, 115,9 × 1 000.
    assert first.cell == "B6"
    assert (
        "blad 'Resultaträkning', cell B6 (rad 'Summa INTÄKTER', kolumn 'Utfall Mar 2021'): "
        "115\u00a0900,0 mnkr är orimligt stort"
    ) in first.message
    assert "ser ut att vara i tkr" in first.message


def test_one_table_in_tkr_is_found_by_the_driftram():
    # A small board: driftram 20,0 mnkr; the units' table in tkr (−20 000), under 50 000.
    rr_header = ["Konto", "Utfall Mar 2022", "Budget Mar 2022", "Budgetavvikelse Mar 2022"]
    rr_header += ["Årsprognos mars", "Avvikelse årsprognos mars"]
    rr = [
        ["Kommunersättning", 5.0, 5.0, 0.0, 20.0, 0.0],
        ["Personalkostnader", -4.0, -5.0, 1.0, -19.0, 1.0],
        ["Summa årets resultat", 1.0, 0.0, 1.0, 1.0, 1.0],
    ]
    dr_header = ["Enhet", "Budgetavvikelse Mar 2022", "Budget 2022", "Avvikelse årsprognos mars"]
    dr = [["Enhet A", 1000, -20000, 1000], ["Summa Nämnden", 1000, -20000, 1000]]
    workbook = _load_once(
        make_workbook,
        {
            "Resultaträkning": sheet("RR", rr_header, rr),
            "Driftredovisning": sheet("DR", dr_header, dr),
        },
    )
    units = [f for f in reconcile(workbook) if f.check == "enhet"]
    assert [(f.severity, f.table) for f in units] == [("error", "driftredovisning")]
    # −20 000 against the driftram 20,0: a factor 1 000.
    assert "faktor 1\u00a0000,0" in units[0].message
    assert "driftredovisningen ser ut att vara i tkr" in units[0].message
    # Summa Nämnden is the second data row (Excel row 5); Budget 2022 is column C.
    assert units[0].cell == "C5"
    assert "−20\u00a0000,0 (blad 'Driftredovisning', cell C5)" in units[0].message


def test_a_table_in_tkr_gets_one_unit_finding():
    workbook = _load_once(source_workbook, dr_rows=_thousandfold(DR_ROWS))
    units = [f for f in reconcile(workbook) if f.check == "enhet"]
    assert [f.table for f in units] == ["driftredovisning"]


def test_the_source_document_is_plausible():
    assert not [f for f in reconcile(_shipped()) if f.check == "enhet"]


def test_raise_for_errors_names_the_first_error_and_counts_the_rest():
    from klk_analysis.errors import InconsistentDataError
    from klk_analysis.validation import Finding, raise_for_errors

    def finding(severity, message):
        return Finding(severity, "summa", "driftredovisning", "r", "k", 1.0, 2.0, message)

    raise_for_errors([finding("info", "avrundning")], "a.xlsx")
    with pytest.raises(
        InconsistentDataError,
        match=r"a.xlsx: .*första Ytterligare 1 fel; kör klk check a.xlsx för alla fel\.$",
    ) as caught:
        raise_for_errors([finding("error", "första"), finding("error", "andra")], "a.xlsx")
    assert caught.value.exit_code == 1


# Every check at its boundaries, on two small tables built in memory (no workbook file: these
# run in milliseconds, so that `make mutation` can run them for every mutant).
#
# Resultaträkning, sheet 'RR', data from Excel row 4; columns C to H:
#   row 4 Kommunbidrag    utfall 10  budget 10  budgetavv 0  årsbudget 40   prognos 40   avv 0
#   row 5 Kostnader       utfall -8  budget -9  budgetavv 1  årsbudget -36  prognos -35  avv 1
#   row 6 Årets resultat  utfall 2   budget 1   budgetavv 1  årsbudget 4    prognos 5    avv 1
# Driftredovisning, sheet 'DR', data from Excel row 4; columns B to D:
#   row 4 Enhet A         budgetavv 0,5  årsbudget -20  avv 0,25
#   row 5 Enhet B         budgetavv 0,5  årsbudget -16  avv 0,75
#   row 6 Summa Nämnden   budgetavv 1    årsbudget -36  avv 1
# Everything adds up: 10 − 8 = 2, 10 − 9 = 1, −8 − (−9) = 1, −35 − (−36) = 1, ...; the units'
# årsbudget −36 is the budgeted result 4 minus the driftram 40; both tables' budgetavvikelse
# and avvikelse årsprognos are 1.

RR_COLUMNS = [
    ("utfall", "Utfall", "C"),
    ("budget", "Budget", "D"),
    ("budgetavvikelse", "Budgetavvikelse", "E"),
    ("arsbudget", "Årsbudget", "F"),
    ("arsprognos", "Årsprognos", "G"),
    ("avvikelse_arsprognos", "Avvikelse årsprognos", "H"),
]
DR_COLUMNS = [
    ("budgetavvikelse", "Budgetavvikelse", "B"),
    ("arsbudget", "Årsbudget", "C"),
    ("avvikelse_arsprognos", "Avvikelse årsprognos", "D"),
]
RR_FIGURES = [
    ("Kommunbidrag", "line", [10.0, 10.0, 0.0, 40.0, 40.0, 0.0]),
    ("Kostnader", "line", [-8.0, -9.0, 1.0, -36.0, -35.0, 1.0]),
    ("Årets resultat", "result", [2.0, 1.0, 1.0, 4.0, 5.0, 1.0]),
]
DR_FIGURES = [
    ("Enhet A", "line", [0.5, -20.0, 0.25]),
    ("Enhet B", "line", [0.5, -16.0, 0.75]),
    ("Summa Nämnden", "total", [1.0, -36.0, 1.0]),
]


def _table(name, sheet_name, columns, figures, changes=(), derived=(), parts=None, groups=None):
    """A Table as the loader makes it; `changes` are (row, measure, value) to print instead."""
    from klk_analysis.loading import Column, Table
    from klk_analysis.periods import Period

    cols = tuple(
        Column(f"{m}_2022", h, m, 2022, 3, "" if m in derived else letter, m in derived)
        for m, h, letter in columns
    )
    values = [list(v) for _, _, v in figures]
    measures = [m for m, _, _ in columns]
    for row, measure, value in changes:
        values[row][measures.index(measure)] = value
    rows = pd.DataFrame(
        {
            "label": [label for label, _, _ in figures],
            "key": [label.lower() for label, _, _ in figures],
            "kind": [kind for _, kind, _ in figures],
            "group": groups or [""] * len(figures),
            "code": [""] * len(figures),
            "excel_row": [4 + i for i in range(len(figures))],
            **{c.id: [v[i] for v in values] for i, c in enumerate(cols)},
        }
    )
    return Table(
        name,
        sheet_name,
        "Rad",
        tuple(c for c in cols if not c.derived),
        rows,
        Period(2022, 3),
        parts={len(figures) - 1: tuple(range(len(figures) - 1))} if parts is None else parts,
        derived=tuple(c for c in cols if c.derived),
    )


def _rr(changes=(), **options):
    return _table("resultatrakning", "RR", RR_COLUMNS, RR_FIGURES, changes, **options)


def _dr(changes=(), **options):
    return _table("driftredovisning", "DR", DR_COLUMNS, DR_FIGURES, changes, **options)


def _workbook(rr=None, dr=None, notes=()):
    from pathlib import Path

    from klk_analysis.loading import Workbook
    from klk_analysis.periods import Period

    rr, dr = rr if rr is not None else _rr(), dr if dr is not None else _dr()
    return Workbook(Path("a.xlsx"), Period(2022, 3), "Nämnden", rr, dr, notes=tuple(notes))


def _of(findings, check):
    return [
        (f.severity, f.table, f.row, f.column, f.cell, f.printed, f.computed)
        for f in findings
        if f.check == check
    ]


def test_the_small_tables_add_up():
    assert reconcile(_workbook()) == []


# (check, which table is changed, the change, and the finding expected for a gap of 0,2):
# each change makes one printed figure 0,2 larger than what it is checked against.
AT_TOLERANCE = [
    # Summa Nämnden budgetavvikelse 1,2 against 0,5 + 0,5 = 1,0.
    (
        "summa",
        "dr",
        (2, "budgetavvikelse", 1.2),
        ("driftredovisning", "Summa Nämnden", "Budgetavvikelse", "B6", 1.2, 1.0),
    ),
    # Kostnader budgetavvikelse 1,2 against −8 − (−9) = 1.
    (
        "budgetavvikelse",
        "rr",
        (1, "budgetavvikelse", 1.2),
        ("resultatrakning", "Kostnader", "Budgetavvikelse", "E5", 1.2, 1.0),
    ),
    # Kostnader avvikelse årsprognos 1,2 against −35 − (−36) = 1.
    (
        "avvikelse_arsprognos",
        "rr",
        (1, "avvikelse_arsprognos", 1.2),
        ("resultatrakning", "Kostnader", "Avvikelse årsprognos", "H5", 1.2, 1.0),
    ),
    # The result's budgetavvikelse 1,2 in the resultaträkning: the units' total prints 1.
    (
        "mellan_tabeller",
        "rr",
        (2, "budgetavvikelse", 1.2),
        ("driftredovisning", "Summa Nämnden", "Budgetavvikelse", "B6", 1.0, 1.2),
    ),
    # The same for avvikelse årsprognos.
    (
        "mellan_tabeller",
        "rr",
        (2, "avvikelse_arsprognos", 1.2),
        ("driftredovisning", "Summa Nämnden", "Avvikelse årsprognos", "D6", 1.0, 1.2),
    ),
    # The driftram 40,2: the units' årsbudget should be 4 − 40,2 = −36,2; it prints −36.
    (
        "driftram",
        "rr",
        (0, "arsbudget", 40.2),
        ("driftredovisning", "Summa Nämnden", "Årsbudget", "C6", -36.0, -36.2),
    ),
]


def _changed(side, change, delta=0.0):
    row, measure, value = change
    new = (row, measure, value + delta if value > 0 else value - delta)
    return _workbook(rr=_rr([new])) if side == "rr" else _workbook(dr=_dr([new]))


@pytest.mark.parametrize(("check", "side", "change", "expected"), AT_TOLERANCE)
def test_a_gap_exactly_at_the_tolerance_is_a_note(check, side, change, expected):
    found = _of(reconcile(_changed(side, change)), check)
    assert [f[:5] for f in found] == [("info", *expected[:4])]
    assert found[0][5:] == pytest.approx(expected[4:])


@pytest.mark.parametrize(("check", "side", "change", "expected"), AT_TOLERANCE)
def test_a_gap_0_1_above_the_tolerance_is_an_error_naming_its_row(check, side, change, expected):
    # The same change 0,1 larger: a gap of 0,3.
    found = _of(reconcile(_changed(side, change, 0.1)), check)
    assert [f[:5] for f in found] == [("error", *expected[:4])]


def test_a_gap_just_over_the_tolerance_in_floating_point_is_still_a_note():
    # 2,2 − 2,0 is 0,2000000000000002 in floating point: the tolerance allows for that.
    findings = reconcile(_workbook(rr=_rr([(2, "utfall", 2.2), (2, "budget", 1.2)])))
    assert _of(findings, "summa")[0][:5] == (
        "info",
        "resultatrakning",
        "Årets resultat",
        "Utfall",
        "C6",
    )
    assert count_by_severity(findings)["error"] == 0


def test_noise_below_half_a_hundredth_is_no_finding_and_at_it_a_note():
    # _NOISE is 0,005: a gap of 0,0049 is floating-point noise, 0,005 a (rounding) note.
    assert _of(reconcile(_workbook(dr=_dr([(2, "avvikelse_arsprognos", 1.0049)]))), "summa") == []
    # A unit printed 0,005 against its parts' 0: the gap is exactly 0,005.
    rows = [("A", "line", [0.0]), ("B", "line", [0.0]), ("Summa", "total", [0.005])]
    table = _table("driftredovisning", "DR", DR_COLUMNS[:1], rows)
    assert [f.severity for f in check_sums(table, 0.2)] == ["info"]
    rows[2] = ("Summa", "total", [0.1])  # a tenth is seen by a reader: a note, never ignored
    assert [f.severity for f in check_sums(table_of(rows), 0.2)] == ["info"]


def table_of(rows):
    return _table("driftredovisning", "DR", DR_COLUMNS[:1], rows)


def test_the_note_and_the_error_messages_in_full():
    findings = reconcile(_changed("rr", (1, "budgetavvikelse", 1.2)))
    (note,) = [f for f in findings if f.check == "budgetavvikelse"]
    assert note.message == (
        "blad 'RR', cell E5 (rad 'Kostnader', kolumn 'Budgetavvikelse'): tryckt 1,2, "
        "'Utfall' minus 'Budget' ger 1,0 (differens +0,2 mnkr): avrundningsdifferens, "
        "beloppen är beräknade före avrundning."
    )
    findings = reconcile(_changed("rr", (1, "budgetavvikelse", 1.2), 0.1))
    (error,) = [f for f in findings if f.check == "budgetavvikelse"]
    assert error.message == (
        "blad 'RR', cell E5 (rad 'Kostnader', kolumn 'Budgetavvikelse'): tryckt 1,3, "
        "'Utfall' minus 'Budget' ger 1,0 (differens +0,3 mnkr), mer än toleransen 0,2 mnkr."
    )


def test_findings_keep_six_decimals():
    # Parts 0,1234567 and 0,2 add up to 0,3234567: stored as 0,323457.
    rows = [("A", "line", [0.1234567]), ("B", "line", [0.2]), ("Summa", "total", [1.1234567])]
    (finding,) = check_sums(table_of(rows), 0.2)
    assert (finding.printed, finding.computed) == (1.123457, 0.323457)


def test_a_sum_without_parts_is_not_checked():
    rows = [("A", "line", [1.0]), ("Summa", "total", [5.0])]
    assert (
        check_sums(_table("driftredovisning", "DR", DR_COLUMNS[:1], rows, parts={1: ()}), 0.2) == []
    )


def test_a_derived_column_is_never_reconciled():
    # budgetavvikelse computed by the loader (utfall − budget) has no cell to blame.
    rr = _rr([(1, "budgetavvikelse", 9.0)], derived=("budgetavvikelse",))
    assert check_differences(rr, 0.2) == []
    assert [f.column for f in check_sums(rr, 0.2)] == []  # printed columns only
    # derived in the units' table: the tables are not compared on it, nor on the driftram
    dr = _dr(
        [(2, "budgetavvikelse", 9.0), (2, "arsbudget", -99.0)],
        derived=("budgetavvikelse", "arsbudget"),
    )
    assert check_between_tables(_workbook(dr=dr), 0.2) == []


def test_a_derived_result_column_is_compared_without_a_cell():
    rr = _rr([(2, "budgetavvikelse", 5.0)], derived=("budgetavvikelse",))
    (between,) = check_between_tables(_workbook(rr=rr), 0.2)
    assert "resultaträkningens 'Årets resultat' har 5,0" in between.message
    printed = check_between_tables(_workbook(rr=_rr([(2, "budgetavvikelse", 5.0)])), 0.2)
    assert "resultaträkningens 'Årets resultat' (cell E6) har 5,0" in printed[0].message


def test_the_driftram_message_names_the_ram_and_the_budgeted_result():
    (ram,) = _of_findings(check_between_tables(_changed("rr", (0, "arsbudget", 40.2), 0.1), 0.2))
    assert ram.message == (
        "blad 'DR', cell C6 (rad 'Summa Nämnden', kolumn 'Årsbudget'): tryckt −36,0, "
        "driftram (Kommunbidrag) 40,3 och budgeterat resultat 4,0 ger −36,3 "
        "(differens +0,3 mnkr), mer än toleransen 0,2 mnkr."
    )


def _of_findings(findings):
    return [f for f in findings if f.check == "driftram"]


def test_no_driftram_check_without_a_ram_row_or_an_annual_budget():
    rows = [("Intäkter", "line", f) if n == "Kommunbidrag" else (n, k, f) for n, k, f in RR_FIGURES]
    no_ram = _table("resultatrakning", "RR", RR_COLUMNS, rows, [(0, "arsbudget", 99.0)])
    assert _of(check_between_tables(_workbook(rr=no_ram), 0.2), "driftram") == []
    without = [c for c in RR_COLUMNS if c[0] != "arsbudget"]
    figures = [
        (n, k, [v for c, v in zip(RR_COLUMNS, f, strict=True) if c[0] != "arsbudget"])
        for n, k, f in RR_FIGURES
    ]
    rr = _table("resultatrakning", "RR", without, figures)
    assert check_between_tables(_workbook(rr=rr), 0.2) == []
    assert annual_budget(rr) is None
    assert annual_budget(_rr()).tolist() == [40.0, -36.0, 4.0]


def test_no_comparison_between_tables_without_a_total():
    rows = [(n, "line", f) for n, _, f in DR_FIGURES]
    dr = _table("driftredovisning", "DR", DR_COLUMNS, rows, [(2, "budgetavvikelse", 9.0)])
    assert check_between_tables(_workbook(dr=dr), 0.2) == []


def test_every_year_is_checked_under_its_own_header():
    columns = [
        ("utfall", "Utfall", "B"),
        ("budget", "Budget", "C"),
        ("budgetavvikelse", "Avv", "D"),
    ]
    figures = [("A", "line", [3.0, 1.0, 2.0]), ("Summa", "result", [3.0, 1.0, 2.0])]
    table = _table("resultatrakning", "RR", columns, figures)
    earlier = [
        replace(
            c,
            id=c.id.replace("2022", "2021"),
            year=2021,
            header=c.header + " 2021",
            letter=chr(ord(c.letter) + 3),
        )
        for c in table.columns
    ]
    rows = table.rows.assign(
        utfall_2021=[1.0, 1.0], budget_2021=[1.0, 1.0], budgetavvikelse_2021=[0.5, 0.0]
    )
    both = replace(table, columns=table.columns + tuple(earlier), rows=rows)
    found = [
        (f.check, f.column, f.cell, f.printed, f.computed) for f in check_differences(both, 0.2)
    ]
    # 2021: 1 − 1 = 0 against 0,5 printed in G4 (the 2021 Avv, three columns after D).
    assert found == [("budgetavvikelse", "Avv 2021", "G4", 0.5, 0.0)]


def test_a_lost_minus_is_named_with_its_sign_and_group():
    # Enhet A printed 20 instead of −20: the parts add up to 20 − 16 = 4 against −36 printed,
    # a gap of −40, which is exactly what flipping Enhet A's sign (20 → −20) explains.
    table = _dr([(0, "arsbudget", 20.0)], groups=["Skola", "Skola", ""])
    (error,) = [f for f in check_sums(table, 0.2) if f.column == "Årsbudget"]
    assert error.message.endswith(
        "(differens −40,0 mnkr), mer än toleransen 0,2 mnkr. Stämmer om raden 'Enhet A' i "
        "gruppen 'Skola' har motsatt tecken (−20,0 i stället för 20,0): troligen ett tappat "
        "minustecken."
    )


def test_the_lost_minus_hint_only_when_one_flip_explains_the_gap_within_the_tolerance():
    # Enhet B printed 16 instead of −16: parts −20 + 16 = −4 against −36 printed, gap −32.
    # Flipping Enhet B gives −36: explained. The hint names the row without a group.
    (error,) = check_sums(_dr([(1, "arsbudget", 16.0)]), 0.2)
    assert error.message.endswith(
        "Stämmer om raden 'Enhet B' har motsatt tecken (−16,0 i stället för 16,0): troligen "
        "ett tappat minustecken."
    )
    # The total printed −36,2: gap −32,2; flipping B leaves −0,2, within the tolerance: hint.
    (error,) = check_sums(_dr([(1, "arsbudget", 16.0), (2, "arsbudget", -36.2)]), 0.2)
    assert "tappat minustecken" in error.message
    # −36,3: flipping B leaves −0,3, more than the tolerance: no hint.
    (error,) = check_sums(_dr([(1, "arsbudget", 16.0), (2, "arsbudget", -36.3)]), 0.2)
    assert error.message.endswith("mer än toleransen 0,2 mnkr.")
    # A gap of 6 (total −30 against −36): flipping A (+40) or B (+32) explains nothing.
    (error,) = check_sums(_dr([(2, "arsbudget", -30.0)]), 0.2)
    assert error.message.endswith("(differens +6,0 mnkr), mer än toleransen 0,2 mnkr.")


def test_a_zero_row_is_never_blamed_for_a_lost_minus():
    # Parts 0 and 0 against 5 printed: flipping a zero changes nothing.
    rows = [("A", "line", [0.0]), ("B", "line", [0.0]), ("Summa", "total", [5.0])]
    (error,) = check_sums(table_of(rows), 0.2)
    assert error.message.endswith("(differens +5,0 mnkr), mer än toleransen 0,2 mnkr.")


def _finding(severity, message="m"):
    from klk_analysis.findings import Finding

    return Finding(severity, "summa", "driftredovisning", "r", "k", 1.0, 2.0, message)


def test_one_error_is_named_alone_and_never_with_ytterligare_0_fel():
    from klk_analysis.errors import InconsistentDataError
    from klk_analysis.validation import raise_for_errors

    with pytest.raises(InconsistentDataError) as caught:
        raise_for_errors([_finding("info", "not"), _finding("error", "första")], "a.xlsx")
    assert str(caught.value) == "a.xlsx: siffrorna stämmer inte: första"


def test_three_errors_count_the_two_others():
    from klk_analysis.errors import InconsistentDataError
    from klk_analysis.validation import raise_for_errors

    with pytest.raises(InconsistentDataError) as caught:
        raise_for_errors([_finding("error", f"fel {i}") for i in (1, 2, 3)], "b.xlsx")
    assert str(caught.value) == (
        "b.xlsx: siffrorna stämmer inte: fel 1 Ytterligare 2 fel; "
        "kör klk check b.xlsx för alla fel."
    )
    assert raise_for_errors([_finding("warning"), _finding("info")], "b.xlsx") is None


def test_findings_come_errors_first_then_warnings_then_notes():
    # Kostnader's budgetavvikelse 1,3 (utfall − budget is 1) and avvikelse årsprognos 1,1
    # (prognos − årsbudget is 1): the result row's sums are then 0,3 and 0,1 off as well.
    note = _finding("warning", "en anteckning från inläsningen")
    rr = _rr([(1, "budgetavvikelse", 1.3), (1, "avvikelse_arsprognos", 1.1)])
    findings = reconcile(_workbook(rr=rr, notes=[note]))
    assert [(f.severity, f.check, f.row) for f in findings] == [
        ("error", "summa", "Årets resultat"),
        ("error", "budgetavvikelse", "Kostnader"),
        ("warning", "summa", "r"),
        ("info", "summa", "Årets resultat"),
        ("info", "avvikelse_arsprognos", "Kostnader"),
    ]
    assert count_by_severity(findings) == {"error": 2, "warning": 1, "info": 2}


@pytest.mark.parametrize(
    ("largest", "factor"),
    [
        (49_999.9, 1.0),  # under MAX_PLAUSIBLE_MNKR (50 000): taken as mnkr
        (50_000.0, 1000.0),  # at it: 50 mnkr as tkr, inside the board range 10 to 25 000
        (25_000_000.0, 1000.0),  # 25 000 mnkr as tkr: the top of the board range
        (25_000_001.0, 1_000_000.0),  # above it as tkr; 25,000001 mnkr as kronor
        (25_000_000_000.0, 1_000_000.0),  # 25 000 mnkr as kronor: the top again
        (25_000_001_000.0, 1000.0),  # beyond every range: the nearer factor
    ],
)
def test_likely_factor_at_the_edges_of_the_plausible_sizes(largest, factor):
    from klk_analysis.loading import likely_factor

    assert likely_factor(largest) == factor


def _units(findings):
    return [f for f in findings if f.check == "enhet"]


def test_a_figure_at_the_plausible_limit_is_no_unit_finding_and_just_above_it_is():
    # MAX_PLAUSIBLE_MNKR is 50 000 mnkr; the largest figure of a column is compared to it.
    at = _rr([(0, "arsprognos", 50_000.0)])
    assert _units(reconcile(_workbook(rr=at))) == []
    above = _rr([(0, "arsprognos", 50_000.1)])
    (unit,) = _units(reconcile(_workbook(rr=above)))
    assert (unit.severity, unit.table, unit.row, unit.column, unit.cell, unit.printed) == (
        "error",
        "resultatrakning",
        "Kommunbidrag",
        "Årsprognos",
        "G4",
        50_000.1,
    )
    assert unit.computed is None
    assert unit.message == (
        "blad 'RR', cell G4 (rad 'Kommunbidrag', kolumn 'Årsprognos'): 50\u00a0000,1 mnkr är "
        "orimligt stort för en nämnd (över 50\u00a0000,0 mnkr): siffrorna ser ut att vara i tkr "
        "fast bladet anger mnkr (en faktor 1 000). Skriv 'Belopp i tkr' ovanför rubrikraden."
    )


def test_a_large_negative_figure_is_named_with_its_sign_and_kronor_under_mnkr():
    # −30 000 000 000 under mnkr: 30 000 mnkr as kronor is beyond 25 000, so likely_factor
    # gives 1 000 (tkr); the figure is named with its sign.
    (unit,) = _units(reconcile(_workbook(dr=_dr([(1, "arsbudget", -30_000_000_000.0)]))))
    assert (unit.table, unit.row, unit.cell, unit.printed) == (
        "driftredovisning",
        "Enhet B",
        "C5",
        -30_000_000_000.0,
    )
    # 3 000 000 000 mnkr: 3 000 mnkr as kronor.
    (unit,) = _units(reconcile(_workbook(dr=_dr([(1, "arsbudget", -3_000_000_000.0)]))))
    assert "ser ut att vara i kronor fast bladet anger mnkr (en faktor 1 000 000)" in (unit.message)


def test_a_too_large_table_in_tkr_looks_like_kronor():
    from dataclasses import replace as change

    dr = change(_dr([(1, "arsbudget", -60_000.0)]), unit="tkr")
    (unit,) = _units(reconcile(_workbook(dr=dr)))
    assert "ser ut att vara i kronor fast bladet anger tkr (en faktor 1 000)" in unit.message
    assert "Skriv 'Belopp i kronor' ovanför rubrikraden." in unit.message


def _by_the_ram(ram, units):
    """The driftram `ram` and the units' annual budgets adding up to `units` (one unit)."""
    rr = _rr([(0, "arsbudget", ram)])
    dr = _dr([(0, "arsbudget", units), (1, "arsbudget", 0.0), (2, "arsbudget", units)])
    return _units(reconcile(_workbook(rr=rr, dr=dr)))


@pytest.mark.parametrize(
    ("ram", "units", "flagged"),
    [
        # _TKR_FACTOR (500, 2 000): the units' årsbudget 500 to 2 000 times the driftram.
        (20.0, -9_998.0, False),  # 499,9 times
        (20.0, -10_000.0, True),  # 500 times
        (20.0, -40_000.0, True),  # 2 000 times
        (20.0, -40_002.0, False),  # 2 000,1 times
        # the same window × 1 000 for kronor: 500 000 to 2 000 000 times (1/16 and 1/64 mnkr
        # are exact in binary, so the ratios are exactly the edges)
        (0.0625, -31_249.9375, False),  # 499 999 times
        (0.0625, -31_250.0, True),  # 500 000 times
        (0.015625, -31_250.0, True),  # 2 000 000 times
        (0.015625, -31_250.015625, False),  # 2 000 001 times
    ],
)
def test_the_driftram_factor_window_at_its_edges(ram, units, flagged):
    assert bool(_by_the_ram(ram, units)) == flagged


def test_a_units_table_in_tkr_found_by_the_driftram_in_full():
    (unit,) = _by_the_ram(20.0, -10_000.0)
    assert (unit.table, unit.row, unit.column, unit.cell, unit.printed, unit.computed) == (
        "driftredovisning",
        "Summa Nämnden",
        "Årsbudget",
        "C6",
        -10_000.0,
        -20.0,
    )
    assert unit.message == (
        "Driftredovisning: enheternas årsbudget −10\u00a0000,0 (blad 'DR', cell C6) och "
        "driftramen 20,0 i resultaträkningens rad 'Kommunbidrag' (blad 'RR') skiljer sig med "
        "en faktor 500,0: driftredovisningen ser ut att vara i tkr fast bladet anger mnkr "
        "(en faktor 1 000). Rätta enhetsraden ('Belopp i tkr') ovanför rubrikraden."
    )
    (unit,) = _by_the_ram(0.0625, -31_250.0)
    assert "driftredovisningen ser ut att vara i kronor" in unit.message
    assert "(en faktor 1 000 000)" in unit.message


def test_a_resultatrakning_in_tkr_found_by_the_driftram():
    # The driftram 30 000 (tkr under mnkr) against the units' −20: 1 500 times.
    (unit,) = _by_the_ram(30_000.0, -20.0)
    assert "skiljer sig med en faktor 1\u00a0500,0" in unit.message
    assert unit.table == "resultatrakning"
    assert unit.message.startswith("Resultaträkning: enheternas årsbudget −20,0")
    assert "resultaträkningen ser ut att vara i tkr" in unit.message
    # 31 250 against −0,03125: 1 000 000 times, kronor.
    (unit,) = _by_the_ram(31_250.0, -0.03125)
    assert "resultaträkningen ser ut att vara i kronor" in unit.message


def test_no_driftram_factor_with_a_zero_ram_or_zero_units_or_without_them():
    assert _by_the_ram(0.0, -10_000.0) == []
    assert _by_the_ram(20.0, 0.0) == []
    derived = _dr([(2, "arsbudget", -10_000.0)], derived=("arsbudget",))
    assert _units(reconcile(_workbook(rr=_rr([(0, "arsbudget", 20.0)]), dr=derived))) == []


def test_a_table_too_large_and_in_the_window_gets_one_unit_finding():
    # −60 000 is over 50 000 and 1 500 times the driftram 40: the size finding alone.
    (unit,) = _by_the_ram(40.0, -60_000.0)
    assert "orimligt stort" in unit.message


def test_unit_findings_keep_six_decimals():
    (unit,) = _by_the_ram(20.1234567, -20_000.1234567)
    assert (unit.printed, unit.computed) == (-20_000.123457, -20.123457)
    (unit,) = _units(reconcile(_workbook(rr=_rr([(0, "arsprognos", 50_000.1234567)]))))
    assert unit.printed == 50_000.123457


def test_the_lost_minus_hint_without_a_group_column():
    table = _dr([(1, "arsbudget", 16.0)])
    table = replace(table, rows=table.rows.drop(columns="group"))
    (error,) = check_sums(table, 0.2)
    assert error.message.endswith(
        "Stämmer om raden 'Enhet B' har motsatt tecken (−16,0 i stället för 16,0): troligen "
        "ett tappat minustecken."
    )


def test_a_sum_without_parts_does_not_stop_the_sums_after_it():
    rows = [("A", "line", [1.0]), ("S1", "total", [5.0]), ("B", "line", [2.0])]
    rows.append(("S2", "total", [99.0]))
    table = _table("driftredovisning", "DR", DR_COLUMNS[:1], rows, parts={1: (), 3: (2,)})
    assert [(f.row, f.printed, f.computed) for f in check_sums(table, 0.2)] == [("S2", 99.0, 2.0)]


def _with_2023(table, figures):
    """The table with columns for 2023 as well (next year's budget beside this year's)."""
    from klk_analysis.loading import Column

    later = tuple(
        Column(f"{m}_2023", f"{h} 2023", m, 2023, 12, "Z", False)
        for m, h, _ in (RR_COLUMNS if table.name == "resultatrakning" else DR_COLUMNS)
        if m in figures
    )
    rows = table.rows.assign(**{c.id: figures[c.measure] for c in later})
    return replace(table, columns=table.columns + later, rows=rows)


def test_the_periods_year_is_compared_when_the_tables_also_hold_next_year():
    # 2023 columns that agree with nothing: the checks between the tables, the driftram and
    # the unit factor read 2022, the period's year, so they find nothing.
    rr = _with_2023(
        _rr(), {"budgetavvikelse": [9.0, 9.0, 9.0], "arsbudget": [30_000.0, 0.0, 30_000.0]}
    )
    dr = _with_2023(
        _dr(),
        {
            "budgetavvikelse": [7.0, 7.0, 7.0],
            "arsbudget": [-20.0, 0.0, -30_000.0],
            "avvikelse_arsprognos": [5.0, 5.0, 5.0],
        },
    )
    findings = reconcile(_workbook(rr=rr, dr=dr))
    assert _of(findings, "mellan_tabeller") == []
    assert _of(findings, "driftram") == []
    assert _of(findings, "enhet") == []
    assert annual_budget(rr).tolist() == [40.0, -36.0, 4.0]


def test_a_measure_missing_or_derived_in_the_units_table_skips_only_that_comparison():
    # The units print no avvikelse årsprognos: budgetavvikelse is still compared.
    figures = [(n, k, f[:2]) for n, k, f in DR_FIGURES]
    dr = _table("driftredovisning", "DR", DR_COLUMNS[:2], figures, [(2, "budgetavvikelse", 5.0)])
    assert [f.column for f in check_between_tables(_workbook(dr=dr), 0.2)] == ["Budgetavvikelse"]
    # The resultaträkning prints no avvikelse årsprognos: the same.
    rr_figures = [(n, k, f[:5]) for n, k, f in RR_FIGURES]
    rr = _table("resultatrakning", "RR", RR_COLUMNS[:5], rr_figures, [(2, "budgetavvikelse", 5.0)])
    assert [f.column for f in check_between_tables(_workbook(rr=rr), 0.2)] == ["Budgetavvikelse"]
    # The units' budgetavvikelse derived: avvikelse årsprognos is still compared.
    dr = _dr([(2, "avvikelse_arsprognos", 5.0)], derived=("budgetavvikelse",))
    found = check_between_tables(_workbook(dr=dr), 0.2)
    assert [f.column for f in found] == ["Avvikelse årsprognos"]


def test_a_table_in_tkr_far_too_large_is_still_a_factor_1000():
    # Under "tkr" the figures are compared as kronor, whatever their size.
    from dataclasses import replace as change

    dr = change(_dr([(1, "arsbudget", -30_000_000.0)]), unit="tkr")
    (unit,) = _units(reconcile(_workbook(dr=dr)))
    assert "fast bladet anger tkr (en faktor 1 000)." in unit.message


def test_errors_from_the_loader_come_before_its_warnings():
    notes = [_finding("warning", "varning"), _finding("error", "fel")]
    findings = reconcile(_workbook(notes=notes))
    assert [f.message for f in findings] == ["fel", "varning"]


def test_a_figure_too_large_in_kronor_is_not_called_a_unit_mix_up():
    # 60 000 000 000 kr = 60 000 mnkr: kronor is the smallest unit, so no factor explains it.
    rows = [list(r) for r in DR_ROWS]
    rows = [[r[0], *(v * 1_000_000 for v in r[1:])] for r in rows]
    rows[1][3] = -60_000_000_000_000.0 / 1000  # KLK Ledning, Budget 2022: 60 000 mnkr
    workbook = _load_once(
        make_workbook,
        {
            "Resultaträkning": sheet(
                "Resultaträkning",
                RR_HEADER,
                [[r[0], *(v * 1_000_000 for v in r[1:])] for r in RR_ROWS],
                unit="Belopp i kr",
            ),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, rows, unit="Belopp i kr"),
        },
    )
    (finding,) = [f for f in reconcile(workbook) if f.check == "enhet"]
    # KLK Ledning is the second data row (Excel row 5); Budget 2022 is column D.
    assert finding.message == (
        "blad 'Driftredovisning', cell D5 (rad 'KLK Ledning', kolumn 'Budget 2022'): "
        "\u221260\u00a0000,0 mnkr är orimligt stort för en nämnd (över 50\u00a0000,0 mnkr): "
        "bladet anger redan kronor, så beloppet är fel i sig. Kontrollera cellen."
    )
    assert "ser ut att vara i kronor fast bladet anger kronor" not in finding.message


def _in_units(rr_unit, ram, dr_unit, units):
    """_by_the_ram with the units the two sheets state."""
    rr = replace(_rr([(0, "arsbudget", ram)]), unit=rr_unit)
    dr = _dr([(0, "arsbudget", units), (1, "arsbudget", 0.0), (2, "arsbudget", units)])
    return _units(reconcile(_workbook(rr=rr, dr=replace(dr, unit=dr_unit))))


def test_units_in_kronor_point_to_a_resultatrakning_in_too_small_a_unit():
    # The resultaträkning says tkr but prints mnkr: its driftram 20 reads as 0,02 mnkr, while
    # the units' table in kronor reads right as −20 mnkr, 1 000 times the ram. Kronor is the
    # smallest unit, so the resultaträkning's stated unit is the one that is wrong.
    (unit,) = _in_units("tkr", 0.02, "kr", -20.0)
    assert (unit.table, unit.row, unit.cell, unit.printed, unit.computed) == (
        "resultatrakning",
        "Summa Nämnden",
        "C6",
        -20.0,
        -0.02,
    )
    assert unit.message == (
        "Resultaträkning: enheternas årsbudget −20,0 (blad 'DR', cell C6) och driftramen 0,0 i "
        "resultaträkningens rad 'Kommunbidrag' (blad 'RR') skiljer sig med en faktor "
        "1\u00a0000,0: resultaträkningen ser ut att vara i mnkr fast bladet anger tkr (en faktor "
        "1 000). Rätta enhetsraden ('Belopp i mnkr') ovanför rubrikraden."
    )


@pytest.mark.parametrize(
    ("rr_unit", "ram", "dr_unit", "units", "expected"),
    [
        # Both in kronor, the units 1 000 times the ram: the resultaträkning is in tkr.
        ("kr", 0.02, "kr", -20.0, "i tkr fast bladet anger kronor (en faktor 1 000)"),
        # Units in tkr 2 000 000 times a ram in kronor: nothing is 1 000 000 times below tkr,
        # so the resultaträkning is in mnkr.
        ("kr", 0.015625, "tkr", -31_250.0, "i mnkr fast bladet anger kronor (en faktor 1 000 000)"),
    ],
)
def test_a_resultatrakning_in_a_larger_unit_than_stated(rr_unit, ram, dr_unit, units, expected):
    (unit,) = _in_units(rr_unit, ram, dr_unit, units)
    assert unit.table == "resultatrakning"
    assert f"resultaträkningen ser ut att vara {expected}" in unit.message


def test_no_unit_explains_units_in_kronor_1000_times_a_ram_in_mnkr():
    # Kronor has nothing smaller and mnkr nothing larger: the driftram check names the gap.
    assert _in_units("mnkr", 20.0, "kr", -20_000.0) == []
