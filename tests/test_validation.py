import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.validation import count_by_severity, reconcile, sum_parts
from tests.workbooks import DR_ROWS, RR_ROWS, SHIPPED, make_workbook, sheet, source_workbook


def test_shipped_workbook_has_only_the_source_documents_rounding_gaps():
    findings = reconcile(load_workbook(SHIPPED))
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
    finding = reconcile(load_workbook(SHIPPED))[0]
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


def test_lost_minus_sign_on_a_unit_is_an_error_naming_total_and_unit(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[2][3] = 64.8  # KLK Ekonomi och kvalitet, Budget 2022: printed without its minus
    findings = reconcile(load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows)))
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


def test_sum_off_by_several_mnkr_names_the_row(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[6][2] = -124.9  # Summa KOSTNADER, Utfall Mar 2022, 5,0 off
    findings = reconcile(load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows)))
    errors = [f for f in findings if f.severity == "error"]
    assert {(f.row, f.column) for f in errors} >= {("Summa KOSTNADER", "Utfall Mar 2022")}
    first = next(f for f in errors if f.row == "Summa KOSTNADER" and f.check == "summa")
    assert first.computed == pytest.approx(-119.9)
    assert "differens −5,0 mnkr" in first.message


def test_wrong_budget_deviation(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[3][4] = 3.9  # Personalkostnader: −29,1 − (−32,0) is 2,9
    findings = reconcile(load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows)))
    wrong = [f for f in findings if f.check == "budgetavvikelse" and f.severity == "error"]
    assert [(f.row, f.printed, round(f.computed, 1)) for f in wrong] == [
        ("Personalkostnader", 3.9, 2.9)
    ]


def test_units_must_add_up_to_the_driftram(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[1][3], rows[8][3] = -108.9, -471.5  # units and total agree, the driftram does not
    findings = reconcile(load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows)))
    ram = [f for f in findings if f.check == "driftram"]
    assert [(f.severity, f.printed, f.computed, f.cell) for f in ram] == [
        ("error", -471.5, -461.5, "D12")
    ]


def test_the_tables_disagreeing_names_both_cells(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[7][4] = 23.8  # Summa ÅRETS RESULTAT, Budgetavvikelse Mar 2022 (E11): 13,8 in the units
    findings = reconcile(load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows)))
    between = [f for f in findings if f.check == "mellan_tabeller"]
    assert [(f.severity, f.table, f.cell, f.printed, f.computed) for f in between] == [
        ("error", "driftredovisning", "C12", 13.8, 23.8)
    ]
    assert between[0].message.startswith("blad 'Driftredovisning', cell C12 (rad 'Summa Kommun")
    assert "resultaträkningens 'Summa ÅRETS RESULTAT' (cell E11) har 23,8" in between[0].message


def test_tolerance_is_a_parameter():
    findings = reconcile(load_workbook(SHIPPED), tolerance=0.0)
    assert count_by_severity(findings)["error"] == 6


def test_sum_parts_sections_and_result():
    # Summa INTÄKTER = rows 0–1, Summa KOSTNADER = rows 3–5, the result = the two sums
    rr = load_workbook(SHIPPED).resultatrakning
    assert sum_parts(rr) == {2: [0, 1], 6: [3, 4, 5], 7: [2, 6]}


def _thousandfold(rows):
    return [[r[0], *(round(v * 1000) for v in r[1:])] for r in rows]


def test_tkr_labelled_mnkr_is_an_error_that_comes_first(tmp_path):
    path = source_workbook(
        tmp_path / "a.xlsx", rr_rows=_thousandfold(RR_ROWS), dr_rows=_thousandfold(DR_ROWS)
    )
    first = reconcile(load_workbook(path))[0]
    assert (first.severity, first.check, first.table) == ("error", "enhet", "resultatrakning")
    # The largest figure of the first column: Summa INTÄKTER, Utfall Mar 2021, 115,9 × 1 000.
    assert first.cell == "B6"
    assert (
        "blad 'Resultaträkning', cell B6 (rad 'Summa INTÄKTER', kolumn 'Utfall Mar 2021'): "
        "115\u00a0900,0 mnkr är orimligt stort"
    ) in first.message
    assert "ser ut att vara i tkr" in first.message


def test_one_table_in_tkr_is_found_by_the_driftram(tmp_path):
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
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "Resultaträkning": sheet("RR", rr_header, rr),
            "Driftredovisning": sheet("DR", dr_header, dr),
        },
    )
    units = [f for f in reconcile(load_workbook(path)) if f.check == "enhet"]
    assert [(f.severity, f.table) for f in units] == [("error", "driftredovisning")]
    # −20 000 against the driftram 20,0: a factor 1 000.
    assert "faktor 1\u00a0000,0" in units[0].message
    assert "driftredovisningen ser ut att vara i tkr" in units[0].message
    # Summa Nämnden is the second data row (Excel row 5); Budget 2022 is column C.
    assert units[0].cell == "C5"
    assert "−20\u00a0000,0 (blad 'Driftredovisning', cell C5)" in units[0].message


def test_a_table_in_tkr_gets_one_unit_finding(tmp_path):
    path = source_workbook(tmp_path / "a.xlsx", dr_rows=_thousandfold(DR_ROWS))
    units = [f for f in reconcile(load_workbook(path)) if f.check == "enhet"]
    assert [f.table for f in units] == ["driftredovisning"]


def test_the_source_document_is_plausible():
    assert not [f for f in reconcile(load_workbook(SHIPPED)) if f.check == "enhet"]


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
