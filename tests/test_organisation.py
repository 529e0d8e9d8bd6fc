"""The organisation sheets: expected values read from the source document or worked by hand."""

import openpyxl
import pytest

from klk_analysis.errors import UnusableInputError
from klk_analysis.loading import load_workbook
from klk_analysis.organisation import (
    Staff,
    assessment_sentence,
    commitment_count,
    commitments_sentence,
    load_organisation,
    sick_leave_comparison,
    split_boards,
    staff_sentence,
    status_counts,
)
from klk_analysis.periods import Period
from tests.workbooks import SHIPPED, make_workbook, sheet, source_workbook

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def shipped():
    return load_workbook(SHIPPED), load_organisation(SHIPPED)


# --- the shipped workbook against the source document -------------------------------------


def test_shipped_sentences_word_for_word(shipped):
    workbook, org = shipped
    assert staff_sentence(org.staff, workbook.period) == (
        "På KLK finns per mars 105 tillsvidareanställda medarbetare varav 68 kvinnor och 37 män. "
        "Sjukfrånvaron uppgår till 1,9% vilket är under målnivån på 3,0%."
    )
    assert commitments_sentence(workbook.board, workbook.period.year, org.commitments) == (
        "Kommunstyrelsen avrapporterar 14 åtaganden under 2022."
    )


def test_shipped_process_areas_as_the_documents_text_assesses_them(shipped):
    areas = shipped[1].process_areas
    # Read from each section's "Processområdet bedöms ..." and the overview's arrows.
    columns = ["area", "group", "assessment", "trend"]
    assert list(areas[columns].itertuples(index=False, name=None)) == [
        ("Näringsliv och arbete", "hallbar_utveckling", "uppnar", "battre"),
        ("Utbildning", "hallbar_utveckling", "uppnar", "oforandrad"),
        ("Berikande kultur och fritid", "hallbar_utveckling", "delvis", "oforandrad"),
        ("Samhällsskydd och beredskap", "hallbar_utveckling", "delvis", "oforandrad"),
        ("Hållbar samhällsbyggnad", "hallbar_utveckling", "uppnar", "oforandrad"),
        ("Demokrati", "hallbar_utveckling", "delvis", "oforandrad"),
        ("Processkvalitet", "effektiv_organisation", "delvis", "oforandrad"),
        ("Medarbetare", "effektiv_organisation", "delvis", "battre"),
        ("Ekonomi", "effektiv_organisation", "uppnar", "oforandrad"),
    ]
    assert areas.loc[areas["area"] == "Medarbetare", "text"].iloc[0] is None


def test_shipped_commitments_counted_per_area_with_only_the_surviving_symbol(shipped):
    commitments = shipped[1].commitments
    assert commitment_count(commitments) == 14
    assert commitments.groupby("area", sort=False).size().to_dict() == {
        "Näringsliv och arbete": 3,
        "Utbildning": 1,
        "Berikande kultur och fritid": 1,
        "Samhällsskydd och beredskap": 1,
        "Hållbar samhällsbyggnad": 3,
        "Demokrati": 1,
        "Processkvalitet": 2,
        "Medarbetare": 1,
        "Ekonomi": 1,
    }
    # One ✔ survives in the text, on the third commitment; everything else was lost.
    assert commitments["status"].tolist() == [None, None, "klart"] + [None] * 11
    assert commitments["completion"].tolist() == [None] * 14
    assert commitments["boards"].iloc[0] == "KS, SBN, MRN, SEN, alla bolag"
    assert commitments["text"].iloc[0].endswith("fler kvinnor och män i jobb.")
    assert status_counts(commitments).to_dict("list") == {
        "status": ["klart", "forsenat", None],
        "count": [1, 0, 13],
    }


def test_shipped_events_and_summary(shipped):
    org = shipped[1]
    assert org.events["group"].value_counts().to_dict() == {
        "hallbar_utveckling": 6,
        "effektiv_organisation": 5,
    }
    assert org.events["text"].iloc[-1] == (
        "Kommunstyrelsens plan för digital transformation har beslutats"
    )
    sections = org.summary["section"].tolist()
    assert sections[:4] == ["Sammanfattning"] * 4
    assert "Status åtaganden" in sections
    assert org.staff == Staff(
        "KLK", 68, 37, 105, 1.9, 3.0, org.staff.cells
    )  # cells are where the figures were


def test_economy_sheets_unchanged_by_the_new_sheets():
    book = openpyxl.load_workbook(SHIPPED)
    assert book.sheetnames[:2] == ["Resultaträkning", "Driftredovisning"]
    assert book["Resultaträkning"]["C11"].value == 12.1  # Summa ÅRETS RESULTAT, utfall 2022


def test_workbook_without_the_sheets_still_loads(tmp_path):
    org = load_organisation(source_workbook(tmp_path / "ekonomi.xlsx"))
    assert (org.process_areas, org.commitments, org.staff, org.events, org.summary) == (
        None,
        None,
        None,
        None,
        None,
    )


# --- a hand-made workbook for another board and period ------------------------------------

AUG_RR_HEADER = [
    "Konto",
    "Utfall Aug 2022",
    "Utfall Aug 2023",
    "Budget Aug 2023",
    "Budgetavvikelse Aug 2023",
    "Årsprognos augusti",
    "Avvikelse årsprognos augusti",
]
AUG_RR_ROWS = [
    ["Kommunersättning", 900.0, 950.0, 950.0, 0.0, 1425.0, 0.0],
    ["Summa INTÄKTER", 900.0, 950.0, 950.0, 0.0, 1425.0, 0.0],
    ["Personalkostnader", -880.0, -960.0, -950.0, -10.0, -1440.0, -15.0],
    ["Summa KOSTNADER", -880.0, -960.0, -950.0, -10.0, -1440.0, -15.0],
    ["Summa ÅRETS RESULTAT", 20.0, -10.0, 0.0, -10.0, -15.0, -15.0],
]
AUG_DR_HEADER = [
    "Enhet",
    "Budgetavvikelse Aug 2022",
    "Budgetavvikelse Aug 2023",
    "Budget 2023",
    "Avvikelse årsprognos augusti",
]
AUG_DR_ROWS = [
    ["Hemtjänst", 20.0, -10.0, -1425.0, -15.0],
    ["Summa Vård- och omsorgsnämnden", 20.0, -10.0, -1425.0, -15.0],
]
OTHER_AREAS = [
    ["Vård och omsorg"],
    [],
    ["PROCESSOMRÅDE", "grupp", "BEDÖMNING", "trendpil"],
    ["Trygg omsorg", "hållbar utveckling", "Uppnår ej resultatmålen", "↘"],
    [],
    ["Kompetensförsörjning", "EFFEKTIV ORGANISATION", None, "Sämre än föregående år"],
]
OTHER_COMMITMENTS = [
    ["Åtaganden 2023"],
    ["Processområde", "Åtagande", "Status", "Färdiggrad", "Kommentar"],
    ["trygg omsorg", "Införa nattpatrull i alla områden. (VON, SN)", "Försenat", "20 %", "Pågår"],
    ["Trygg omsorg", "Digital tillsyn", None, 80, None],
    ["Kompetensförsörjning", "Fler undersköterskor (VON)", "klart", None, "Klart i maj"],
]
OTHER_STAFF = [
    ["Medarbetare augusti"],
    ["Uppgift", "Värde"],
    ["Enhet", "VOF"],
    ["Tillsvidareanställda kvinnor", 1204],
    ["Tillsvidareanställda män", 311],
    ["Sjukfrånvaro, %", "7,46 %"],
    ["Målnivå sjukfrånvaro", 6],
]


def _other_workbook(path, **replace):
    sheets = {
        "Resultaträkning": sheet("Resultaträkning", AUG_RR_HEADER, AUG_RR_ROWS),
        "Driftredovisning": sheet("Driftredovisning", AUG_DR_HEADER, AUG_DR_ROWS),
        "processområden": OTHER_AREAS,
        "ÅTAGANDEN": OTHER_COMMITMENTS,
        "Medarbetare": OTHER_STAFF,
    }
    sheets.update(replace)
    return make_workbook(path, {k: v for k, v in sheets.items() if v is not None})


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    path = _other_workbook(tmp_path_factory.mktemp("von") / "VON_delar2_2023.xlsx")
    return load_workbook(path), load_organisation(path)


def test_other_board_gets_its_own_sentences(other):
    workbook, org = other
    assert workbook.board == "Vård- och omsorgsnämnden"
    assert workbook.period == Period(2023, 8)
    # 1204 + 311 = 1515; 7,46 shows as 7,5, above 6,0.
    assert staff_sentence(org.staff, workbook.period) == (
        f"På VOF finns per augusti 1{NBSP}515 tillsvidareanställda medarbetare varav "
        f"1{NBSP}204 kvinnor och 311 män. "
        "Sjukfrånvaron uppgår till 7,5% vilket är över målnivån på 6,0%."
    )
    assert commitments_sentence(workbook.board, workbook.period.year, org.commitments) == (
        "Vård- och omsorgsnämnden avrapporterar 3 åtaganden under 2023."
    )


def test_other_layout_and_vocabulary_read_tolerantly(other):
    org = other[1]
    areas = org.process_areas
    assert areas["assessment"].tolist() == ["ej", None]  # an empty cell stays empty
    assert areas["trend"].tolist() == ["samre", "samre"]
    assert areas["group"].tolist() == ["hallbar_utveckling", "effektiv_organisation"]
    assert areas["excel_row"].tolist() == [4, 6]
    c = org.commitments
    assert c["area"].tolist() == ["Trygg omsorg", "Trygg omsorg", "Kompetensförsörjning"]
    assert c["text"].tolist() == [
        "Införa nattpatrull i alla områden.",
        "Digital tillsyn",
        "Fler undersköterskor",
    ]
    assert c["boards"].tolist() == ["VON, SN", None, "VON"]
    assert c["status"].tolist() == ["forsenat", None, "klart"]
    assert c["completion"].tolist() == [20, 80, None]
    assert c["comment"].tolist() == ["Pågår", None, "Klart i maj"]
    assert org.staff.stated_total is None
    assert org.staff.total == 1515
    assert org.events is None and org.summary is None


def test_percent_formatted_cells(tmp_path):
    path = _other_workbook(tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(path)
    book["Medarbetare"]["B6"] = 0.0746
    book["Medarbetare"]["B6"].number_format = "0.0%"
    book["ÅTAGANDEN"]["D4"] = 1
    book["ÅTAGANDEN"]["D4"].number_format = "0%"
    book.save(path)
    org = load_organisation(path)
    assert org.staff.sick_leave == pytest.approx(7.46)
    assert org.commitments["completion"].tolist()[1] == 100


# --- errors name file, sheet, cell, what was found and what is allowed ---------------------


def _error(tmp_path, **replace) -> str:
    path = _other_workbook(tmp_path / "fel.xlsx", **replace)
    with pytest.raises(UnusableInputError) as caught:
        load_organisation(path)
    return str(caught.value)


def test_unknown_assessment_names_cell_and_allowed_values(tmp_path):
    areas = [list(r) for r in OTHER_AREAS]
    areas[3][2] = "Bra"
    message = _error(tmp_path, processområden=areas)
    assert "fel.xlsx" in message and "'processområden'" in message and "cell C4" in message
    assert "'Bra'" in message and "uppnår, delvis uppnår, uppnår ej" in message


def test_unknown_trend_and_group(tmp_path):
    areas = [list(r) for r in OTHER_AREAS]
    areas[3][3] = "↑↑"
    assert "cell D4" in _error(tmp_path, processområden=areas)
    areas = [list(r) for r in OTHER_AREAS]
    areas[5][1] = "Ekonomi"
    message = _error(tmp_path, processområden=areas)
    assert "cell B6" in message and "hållbar utveckling, effektiv organisation" in message


def test_completion_outside_the_four_steps(tmp_path):
    commitments = [list(r) for r in OTHER_COMMITMENTS]
    commitments[3][3] = 50
    message = _error(tmp_path, ÅTAGANDEN=commitments)
    assert "cell D4" in message and "50" in message and "0, 20, 80 eller 100" in message


def test_commitment_in_an_unknown_area(tmp_path):
    commitments = [list(r) for r in OTHER_COMMITMENTS]
    commitments[4][0] = "Kultur"
    message = _error(tmp_path, ÅTAGANDEN=commitments)
    assert "cell A5" in message and "'Kultur'" in message
    assert "Trygg omsorg, Kompetensförsörjning" in message


def test_commitment_status_outside_vocabulary(tmp_path):
    commitments = [list(r) for r in OTHER_COMMITMENTS]
    commitments[2][2] = "Pågår"
    message = _error(tmp_path, ÅTAGANDEN=commitments)
    assert "cell C3" in message and "klart, försenat" in message


def test_commitments_need_the_process_areas(tmp_path):
    assert "Processområden" in _error(tmp_path, processområden=None)


def test_missing_header_row(tmp_path):
    message = _error(tmp_path, processområden=[["Trygg omsorg", "Hållbar utveckling"]])
    assert "ingen rubrikrad" in message and "'Bedömning'" in message


def test_staff_key_missing_or_figure_wrong(tmp_path):
    message = _error(tmp_path, Medarbetare=OTHER_STAFF[:-1])
    assert "'Medarbetare'" in message and "'Målnivå sjukfrånvaro'" in message
    staff = [list(r) for r in OTHER_STAFF]
    staff[3][1] = "många"
    assert "cell B4" in _error(tmp_path, Medarbetare=staff)
    staff = [*OTHER_STAFF, ["Tillsvidareanställda", 1500]]
    message = _error(tmp_path, Medarbetare=staff)
    assert "cell B8" in message and "1204 + 311 = 1515" in message


def test_a_thousands_dot_in_a_count_is_refused_with_the_spaced_form(tmp_path):
    staff = [list(r) for r in OTHER_STAFF]
    staff[3][1] = "1.204"
    message = _error(tmp_path, Medarbetare=staff)
    assert "cell B4: hittade '1.204'" in message
    assert "skriv 1 204 (med mellanslag)" in message


def test_same_process_area_twice(tmp_path):
    areas = [*OTHER_AREAS, ["trygg omsorg", "Hållbar utveckling", None, None]]
    message = _error(tmp_path, processområden=areas)
    assert "rad 4 och rad 7" in message


# --- the pure parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "target", "word"),
    [
        (1.9, 3.0, "under"),
        (3.0, 3.0, "på"),
        (2.96, 3.0, "på"),  # printed 3,0%: "under målnivån på 3,0%" would read wrong
        (2.94, 3.0, "under"),
        (3.06, 3.0, "över"),
        (7.46, 6, "över"),
    ],
)
def test_sick_leave_compared_as_printed(rate, target, word):
    assert sick_leave_comparison(rate, target) == word


def test_staff_sentence_on_target_singular_and_missing():
    period = Period(2024, 4)
    assert staff_sentence(Staff("Kansliet", 1, 1, None, 2.0, 2.0), period) == (
        "På Kansliet finns per april 2 tillsvidareanställda medarbetare varav 1 kvinna och 1 man. "
        "Sjukfrånvaron uppgår till 2,0% vilket är på målnivån på 2,0%."
    )
    assert staff_sentence(Staff("Kansliet", None, 3, None, None, 2.0), period) == (
        "Antalet tillsvidareanställda på Kansliet per april är ej angivet. "
        "Sjukfrånvaron är ej angiven."
    )


def test_assessment_sentences():
    assert assessment_sentence("uppnar") == "Processområdet bedöms uppnå resultatmålen."
    assert assessment_sentence("delvis") == "Processområdet bedöms delvis uppnå resultatmålen."
    assert assessment_sentence("ej") == "Processområdet bedöms ej uppnå resultatmålen."
    assert assessment_sentence(None) == "Bedömning av processområdet: ej angiven."


def test_split_boards():
    assert split_boards("Stärka krisberedskapen. (KS, alla nämnder, alla bolag).") == (
        "Stärka krisberedskapen.",
        "KS, alla nämnder, alla bolag",
    )
    assert split_boards("Utan parentes") == ("Utan parentes", None)


def test_no_source_document_name_or_figure_in_the_organisation_code():
    from tests.workbooks import package_text, source_document_words

    text = package_text(
        "organisation*.py",
        "templates/text/staff.txt.j2",
        "templates/text/commitments.txt.j2",
        "templates/text/assessment.txt.j2",
    )
    assert "def load_organisation" in text  # the glob found the modules
    assert [w for w in source_document_words() if w in text] == []
