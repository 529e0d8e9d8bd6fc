import zipfile

import pytest

from klk_analysis.errors import UnusableInputError
from klk_analysis.loading import load_workbook, normalise_label, tidy
from klk_analysis.periods import Period
from klk_analysis.validation import reconcile
from tests.badbooks import entities_past_prologue
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


def _figures(table):
    return [[row["label"], *(row[c.id] for c in table.columns)] for _, row in table.rows.iterrows()]


def test_shipped_workbook_holds_the_source_documents_tables():
    wb = load_workbook(SHIPPED)
    assert wb.period == Period(2022, 3)
    assert wb.board == "Kommunstyrelsen"
    assert [c.header for c in wb.resultatrakning.columns] == RR_HEADER[1:]
    assert [c.header for c in wb.driftredovisning.columns] == DR_HEADER[1:]
    assert wb.resultatrakning.label_header == "Konto"
    assert wb.driftredovisning.label_header == "Underliggande enheter"
    assert _figures(wb.resultatrakning) == RR_ROWS
    assert _figures(wb.driftredovisning) == DR_ROWS


def test_shipped_workbook_recomputes_every_printed_deviation():
    rr = load_workbook(SHIPPED).resultatrakning.rows
    # Budgetavvikelse = utfall − budget, each within the rounding of printed figures.
    for _, row in rr.iterrows():
        assert row["budgetavvikelse_2022"] == pytest.approx(
            row["utfall_2022"] - row["budget_2022"], abs=0.11
        )


def test_columns_know_measure_year_and_month():
    rr = load_workbook(SHIPPED).resultatrakning
    assert [(c.measure, c.year, c.month) for c in rr.columns] == [
        ("utfall", 2021, 3),
        ("utfall", 2022, 3),
        ("budget", 2022, 3),
        ("budgetavvikelse", 2022, 3),
        ("arsprognos", 2022, 12),
        ("avvikelse_arsprognos", 2022, 12),
    ]


def test_messy_layout_and_every_number_form(tmp_path):
    rr = [
        ["Eskilstuna kommun"],
        ["Resultaträkning"],
        [],
        ["Belopp i mnkr", None, "Not"],
        [],
        [
            "Konto",
            "Utfall Aug 2022",
            "Utfall Aug 2023",
            "Budget Aug 2023",
            "Budgetavvikelse Aug 2023",
            "Årsprognos augusti",
            "Avvikelse Årsprognos augusti",
            "Kommentar",
        ],
        ["*KONTROLL", 1, 2, 3, 4, 5, 6],
        ["Intäkter"],
        ["  kommunersättning ", "1 000,0", "1\u00a0200,5", "1200,5", "0", "1 801,0", "–"],
        ["Övriga intäkter", 10, "(1,5)", "2,5", "\u22124,0", "12", "0,0", "text is ignored"],
        ["SUMMA intäkter", "1010", "1 199,0", "1 203,0", "– 4,0", "1 813,0", "0"],
        [],
        ["-- Personalkostnader", "-500", "−600,0", "-650,0", "50,0", "-1 000,0", "20,0"],
        ["Summa kostnader", "-500", "-600,0", "-650,0", "50,0", "-1 000,0", "20,0"],
        ["Summa årets resultat", 510, 599, 553, 46, 813, 20],
        ["Not 1: siffrorna är preliminära."],
        ["* slut på rapport"],
    ]
    dr = sheet(
        "Driftredovisning",
        ["Enhet", "Budgetavvikelse Aug 2023", "Budget 2023", "Avvikelse Årsprognos augusti"],
        [
            ["Bibliotek", "1,0", "-700,0", "10,0"],
            ["Fritid", 1, -500, 10],
            ["Summa Kultur- och fritidsnämnden", 2, -1200, 20],
        ],
    )
    path = make_workbook(
        tmp_path / "kfn.xlsx",
        {"RESULTATRÄKNING": rr, "driftredovisning": dr, "Resultaträkning gammal": [["x"]]},
        hidden=("Resultaträkning gammal",),
    )
    wb = load_workbook(path)
    assert wb.period == Period(2023, 8)
    assert wb.board == "Kultur- och fritidsnämnden"
    rows = wb.resultatrakning.rows
    assert list(rows["label"]) == [
        "kommunersättning",
        "Övriga intäkter",
        "SUMMA intäkter",
        "-- Personalkostnader",
        "Summa kostnader",
        "Summa årets resultat",
    ]
    assert list(rows["kind"]) == ["line", "line", "sum", "line", "sum", "result"]
    assert list(rows["utfall_2023"]) == [1200.5, -1.5, 1199.0, -600.0, -600.0, 599.0]
    assert list(rows["budgetavvikelse_2023"]) == [0.0, -4.0, -4.0, 50.0, 50.0, 46.0]
    assert list(rows["avvikelse_arsprognos_2023"]) == [0.0, 0.0, 0.0, 20.0, 20.0, 20.0]
    assert list(rows["excel_row"]) == [9, 10, 11, 13, 14, 15]


def test_december_period_and_tkr_converted(tmp_path):
    header = [
        "Konto",
        "Utfall Dec 2021",
        "Budget Dec 2021",
        "Budgetavvikelse Dec 2021",
        "Årsprognos december",
        "Avvikelse årsprognos december",
    ]
    rr = [
        ["Kommunbidrag", 5000, 4000, 1000, 5000, 1000],
        ["Summa årets resultat", 5000, 4000, 1000, 5000, 1000],
    ]
    dr = [["Enhet A", 1000, -4000, 1000], ["Summa Tekniska nämnden", 1000, -4000, 1000]]
    path = make_workbook(
        tmp_path / "tn.xlsx",
        {
            "Resultaträkning": sheet("RR", header, rr, unit="Belopp i tkr"),
            "Driftredovisning": sheet(
                "DR",
                [
                    "Enhet",
                    "Budgetavvikelse Dec 2021",
                    "Budget 2021",
                    "Avvikelse årsprognos december",
                ],
                dr,
                unit="tkr",
            ),
        },
    )
    wb = load_workbook(path)
    assert wb.period == Period(2021, 12)
    assert wb.board == "Tekniska nämnden"
    assert list(wb.resultatrakning.rows["utfall_2021"]) == [5.0, 5.0]
    assert list(wb.driftredovisning.rows["arsbudget_2021"]) == [-4.0, -4.0]


def test_board_given_overrides_the_sum_row():
    assert load_workbook(SHIPPED, board="KS").board == "KS"


def test_labels():
    assert normalise_label("- Lokalkostnader") == "lokalkostnader"
    assert normalise_label("  Summa   INTÄKTER ") == "summa intäkter"


def test_tidy_is_long_with_measure_year_month():
    t = tidy(load_workbook(SHIPPED))
    assert len(t) == 8 * 6 + 9 * 4
    # with the computed columns: årsbudget (RR) and årsprognos (DR)
    assert tidy(load_workbook(SHIPPED), derived=True)["derived"].sum() == 8 + 9
    row = t[(t["label"] == "Personalkostnader") & (t["measure"] == "budget")].iloc[0]
    assert (row["year"], row["month"], row["amount_mnkr"], row["cell"]) == (2022, 3, -32.0, "D7")
    ram = t[(t["table"] == "driftredovisning") & (t["measure"] == "arsbudget")]
    assert ram["amount_mnkr"].iloc[-1] == -461.5


# --- unusable input: exit 2 with a message naming file, sheet, cell -------------------------


def _error(path) -> str:
    with pytest.raises(UnusableInputError) as info:
        load_workbook(path)
    return str(info.value)


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "rapport.xlsx"
    path.write_text("Konto;Utfall\nKommunersättning;115,4\n", encoding="utf-8")
    assert "rapport.xlsx" in _error(path)
    assert "Excel-arbetsbok" in _error(path)


def test_missing_file(tmp_path):
    assert "finns inte" in _error(tmp_path / "saknas.xlsx")


def test_a_folder_is_named_as_a_folder_not_a_missing_file(tmp_path):
    message = _error(tmp_path)
    assert f"{tmp_path}: är en mapp, inte en fil." in message
    assert "finns inte" not in message


def test_an_empty_amount_cell_reads_as_zero_and_the_sum_catches_a_missing_figure(tmp_path):
    # Exports leave zeros blank; a blank where a figure is really missing shows in the sums.
    rows = [list(r) for r in RR_ROWS]
    rows[3][3] = None  # Personalkostnader, Budget Mar 2022 (−32,0 printed)
    wb = load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows))
    assert wb.resultatrakning.rows["budget_2022"].iloc[3] == 0.0
    (note,) = [f for f in wb.notes if f.check == "tomma_celler"]
    assert note.severity == "info" and note.cell == "D7"
    assert "en tom beloppscell på en rad med andra belopp lästes som 0 (D7)" in note.message
    errors = [f for f in reconcile(wb) if f.severity == "error"]
    # Summa KOSTNADER budget: printed −127,8; rows −1,5 − 94,3 + 0 = −95,8
    assert any(f.cell == "D10" and f.computed == pytest.approx(-95.8) for f in errors)


def test_a_zip_without_a_workbook_part_is_explained_in_swedish(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/styles.xml", "<styleSheet/>")
    message = _error(path)
    assert "kan inte läsas som en Excel-arbetsbok (en del som varje Excel-arbetsbok har" in message
    assert "Error" not in message
    assert "valid workbook" not in message


def test_xml_entities_the_screening_missed_are_refused_in_swedish(tmp_path):
    message = _error(entities_past_prologue(tmp_path))
    assert "arbetsbokens XML innehåller entitetsdefinitioner (ENTITY)" in message
    assert "Forbidden" not in message


def test_missing_sheet_names_the_sheets_found(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx", {"Resultaträkning": sheet("RR", RR_HEADER, RR_ROWS), "Blad1": [["x"]]}
    )
    message = _error(path)
    assert "hittade ingen driftredovisning" in message
    assert "'Blad1'" in message


def test_missing_column_is_named(tmp_path):
    header = [h for h in RR_HEADER if h != "Budget Mar 2022"]
    rows = [[v for i, v in enumerate(r) if i != 3] for r in RR_ROWS]
    message = _error(source_workbook(tmp_path / "a.xlsx", rr_rows=rows, rr_header=header))
    assert "kolumn saknas för budget" in message
    assert "'Resultaträkning'" in message


def test_no_header_row(tmp_path):
    rows = [["Konto", "Jan", "Feb"], ["Kommunersättning", 1, 2]]
    message = _error(source_workbook(tmp_path / "a.xlsx", rr_rows=rows, rr_header=["x"]))
    assert "ingen rubrikrad" in message


def test_text_in_a_number_cell_names_the_cell(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[3][2] = "ca 29"
    message = _error(source_workbook(tmp_path / "a.xlsx", rr_rows=rows))
    # Row 4 of the data is Excel row 7 (title, unit and header above), column C.
    assert "cell C7" in message
    assert "'ca 29'" in message
    assert "förväntade ett belopp" in message


def test_a_thousands_dot_is_refused_naming_the_cell_and_both_spellings(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[2][2] = "1.301"
    message = _error(source_workbook(tmp_path / "a.xlsx", rr_rows=rows))
    assert "blad 'Resultaträkning', cell C6: hittade '1.301'" in message
    assert "skriv 1 301 (med mellanslag)" in message
    assert "eller 1,301 (med komma)" in message


def test_an_english_decimal_point_is_read(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[0][2] = "115.4"
    wb = load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows))
    assert wb.resultatrakning.rows["utfall_2022"].iloc[0] == 115.4


def test_formula_without_cached_value_is_an_error_not_zero(tmp_path):
    rows = [list(r) for r in RR_ROWS]
    rows[2][2] = "=C4+C5"
    message = _error(source_workbook(tmp_path / "a.xlsx", rr_rows=rows))
    assert "cell C6" in message
    assert "formel utan sparat värde" in message


def test_duplicate_row_label(tmp_path):
    rows = [*DR_ROWS[:2], ["klk ledning", 0.0, 0.0, 0.0, 0.0], *DR_ROWS[2:]]
    message = _error(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    assert "två gånger" in message
    assert "rad 5" in message


def test_amounts_without_label(tmp_path):
    rows = [*DR_ROWS[:2], [None, 1.0, 1.0, 1.0, 1.0], *DR_ROWS[2:]]
    assert "cell A6" in _error(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))


def test_tables_for_different_periods(tmp_path):
    header = [h.replace("Mar", "Apr").replace("mars", "april") for h in DR_HEADER]
    assert "samma period" in _error(source_workbook(tmp_path / "a.xlsx", dr_header=header))


def test_two_tables_on_one_sheet_that_read_alike_are_told_apart_by_order(tmp_path):
    # A driftredovisning that also prints the board's Kommunbidrag: both tables look like a
    # resultaträkning by their words; the one left over is the driftredovisning.
    head = ["", "Utfall jan-mar 2022", "Budget jan-mar 2022", "Avvikelse", "Årsprognos"]
    rows = [
        ["Ekonomi, Tekniska nämnden"],
        head,
        ["Verksamhetens intäkter", 30.0, 28.0, 2.0, 112.0],
        ["Verksamhetens kostnader", -80.0, -83.0, 3.0, -333.0],
        ["Verksamhetens nettokostnad", -50.0, -55.0, 5.0, -221.0],
        ["Kommunbidrag", 55.0, 55.0, 0.0, 220.0],
        ["Årets resultat", 5.0, 0.0, 5.0, -1.0],
        [],
        head,
        ["Gata", -30.0, -33.0, 3.0, -132.0],
        ["Park", -20.0, -22.0, 2.0, -89.0],
        ["Kommunbidrag", 55.0, 55.0, 0.0, 220.0],
        ["Resultat", 5.0, 0.0, 5.0, -1.0],
    ]
    wb = load_workbook(make_workbook(tmp_path / "a.xlsx", {"Ekonomi": rows}))
    assert wb.resultatrakning.rows["label"].iloc[0] == "Verksamhetens intäkter"
    assert wb.driftredovisning.rows["label"].tolist() == [
        "Gata",
        "Park",
        "Kommunbidrag",
        "Resultat",
    ]
    assert wb.board == "Tekniska nämnden"


def test_a_row_numbering_the_columns_under_the_header_is_skipped(tmp_path):
    numbers = [None, *range(1, len(RR_HEADER))]  # 1, 2, … 6 under the six measures
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "Resultaträkning": sheet("Resultaträkning", RR_HEADER, [numbers, *RR_ROWS]),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, DR_ROWS),
        },
    )
    wb = load_workbook(path)
    assert wb.resultatrakning.rows["label"].iloc[0] == "Kommunersättning"
    assert len(wb.resultatrakning.rows) == len(RR_ROWS)


@pytest.mark.parametrize("total", ["Summa nämnd", "Total förvaltning", "Nämnden totalt"])
def test_a_total_without_the_boards_name_leaves_the_name_to_the_title(tmp_path, total):
    rows = [*DR_ROWS[:-1], [total, *DR_ROWS[-1][1:]]]
    path = make_workbook(
        tmp_path / "Socialnamnden_delar1_2022.xlsx",
        {
            "Resultaträkning": sheet("Resultaträkning", RR_HEADER, RR_ROWS),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, rows),
        },
    )
    wb = load_workbook(path)
    assert wb.board == "Socialnamnden"
    assert wb.board_source == "filnamnet 'Socialnamnden_delar1_2022.xlsx'"
