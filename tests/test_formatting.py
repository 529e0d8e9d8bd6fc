import pytest

from klk_analysis.formatting import (
    board_genitive,
    count_phrase,
    mnkr,
    number,
    number_word,
    period_text,
    quoted,
    seconds_sv,
)
from klk_analysis.periods import Period


def test_decimal_comma_space_thousands_true_minus():
    assert mnkr(1301.94) == "1\u00a0301,9"
    assert mnkr(-1.6) == "\u22121,6"
    assert mnkr(-461.5) == "\u2212461,5"


def test_signed_amounts_carry_plus():
    assert mnkr(12.1, sign=True) == "+12,1"
    assert mnkr(-0.1, sign=True) == "\u22120,1"
    assert mnkr(0.0, sign=True) == "0,0"


def test_rounds_half_away_from_zero_and_never_prints_minus_zero():
    assert mnkr(0.05) == "0,1"
    assert mnkr(-0.25) == "\u22120,3"
    assert mnkr(-0.04) == "0,0"
    assert number(2.675, 2) == "2,68"


def test_counts_up_to_twelve_in_words():
    assert [number_word(n) for n in (1, 2, 6, 12, 13)] == ["en", "två", "sex", "tolv", "13"]
    assert number_word(1, neuter=True) == "ett"
    assert count_phrase(0, "fel", "fel", neuter=True) == "inga fel"
    assert count_phrase(1, "period", "perioder") == "en period"
    assert count_phrase(3, "varning", "varningar") == "tre varningar"


def test_workbook_texts_get_typographic_quotes():
    assert quoted("Summa INTÄKTER") == "\u201dSumma INTÄKTER\u201d"


def test_genitive_of_the_source_documents_boards():
    assert board_genitive("Kommunstyrelsen") == "Kommunstyrelsens"
    assert board_genitive("Kultur- och fritidsnämnden") == "Kultur- och fritidsnämndens"
    assert board_genitive("Eskilstuna Logistik och Etablering AB") == (
        "Eskilstuna Logistik och Etablering AB:s"
    )


@pytest.mark.parametrize(
    ("board", "genitive"),
    [
        ("Tekniska nämnden", "Tekniska nämndens"),
        ("KS", "KS:s"),
        ("SAS", "SAS:s"),  # an abbreviation takes :s even when it ends in s
        ("Servicenämnden (SEF)", "Servicenämnden (SEF):s"),
        ("Nämnden för IT", "Nämnden för IT:s"),
        ("Valnämnd 2", "Valnämnd 2:s"),
        ("Vård- och omsorgsnämnden", "Vård- och omsorgsnämndens"),
        ("Kultur och fritid Mälardalens", "Kultur och fritid Mälardalens"),
        ("Box", "Box"),
        ("Kommunstyrelsen Vaxholm-Ramz", "Kommunstyrelsen Vaxholm-Ramz"),
        ("KOMMUNSTYRELSEN", "KOMMUNSTYRELSENS"),  # a name typed in capitals, no abbreviation
        ("Tekniska nämnden ", "Tekniska nämndens"),
        ("", ""),
    ],
)
def test_genitive_by_swedish_rules(board, genitive):
    assert board_genitive(board) == genitive


def test_period_text_and_duration():
    # One spelling throughout, the source document's: "januari – mars".
    assert period_text(Period(2022, 3)) == "januari \u2013 mars 2022"
    assert period_text(Period(2023, 1)) == "januari 2023"
    assert period_text(Period(2022, 12)) == "januari \u2013 december 2022"
    assert seconds_sv(4.25) == "4,3\u00a0s"
    assert seconds_sv(1234.0) == "1\u00a0234,0\u00a0s"
