"""The vocabulary: one packaged file, extended by the user's own without touching code."""

import re

import pytest

from klk_analysis import paths
from klk_analysis.errors import UnusableInputError
from klk_analysis.loading import load_workbook
from klk_analysis.periods import parse_header
from klk_analysis.readout import describe_text
from klk_analysis.vocabulary import (
    PACKAGED,
    load,
    markdown,
    normalise,
    phrase_at_end,
    phrase_at_start,
    row_role,
    without_sum_word,
)
from tests.workbooks import DR_HEADER, DR_ROWS, RR_HEADER, RR_ROWS, make_workbook, sheet


def test_normalise_drops_dots_dashes_and_case():
    assert normalise("Avv. Budget") == "avv budget"
    assert normalise("T.o.m.  mars") == "t o m mars"
    assert normalise("S:a Grundskola") == "sa grundskola"
    assert normalise("Budget\u00a0helår (tkr)") == "budget helår tkr"


def test_every_measure_word_is_read_as_its_measure():
    vocabulary = load()
    for measure, phrases in vocabulary.section("measures").items():
        for phrase in phrases:
            head = parse_header(phrase + " 2023")
            assert head is not None and head.measure == measure, phrase


def _user_words(tmp_path, text):
    path = tmp_path / "ord.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_file_adds_a_header_word_and_says_where_it_came_from(tmp_path):
    assert parse_header("Ack. nettokostnad 2022-03") is None
    user = _user_words(tmp_path, '[measures]\nutfall = ["Ack. nettokostnad"]\n')
    vocabulary = load(user)
    head = parse_header("Ack. nettokostnad 2022-03", vocabulary)
    assert (head.measure, head.year, head.month) == ("utfall", 2022, 3)
    assert vocabulary.source("measures", "utfall", "ack nettokostnad") == user
    assert vocabulary.source("measures", "utfall", "utfall") == PACKAGED
    assert vocabulary.is_user_word("measures", "utfall", "Ack. nettokostnad")
    # the packaged words are still there
    assert parse_header("Bokfört 2022-03", vocabulary).measure == "utfall"


def test_a_workbook_with_the_users_header_word_loads_with_the_file(tmp_path, monkeypatch):
    header = ["Konto", "Utfall Mar 2021", "Ack. nettokostnad Mar 2022", *RR_HEADER[3:]]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "Resultaträkning": sheet("Resultaträkning", header, RR_ROWS),
            "Driftredovisning": sheet("Driftredovisning", DR_HEADER, DR_ROWS),
        },
    )
    with pytest.raises(UnusableInputError, match="kolumn saknas för utfall"):
        load_workbook(path)
    user = _user_words(tmp_path, '[measures]\nutfall = ["Ack. nettokostnad"]\n')
    monkeypatch.setenv("KLK_VOCABULARY", str(user))
    wb = load_workbook(path)
    assert wb.resultatrakning.rows["utfall_2022"].tolist() == [r[2] for r in RR_ROWS]
    # klk check --visa says which file the word came from
    assert f"utfall 2022, t.o.m. månad 3 (ordet från {user})" in describe_text(wb)


def test_an_unknown_list_is_refused_with_the_allowed_names(tmp_path):
    user = _user_words(tmp_path, '[measures]\nutfal = ["Ack"]\n')
    with pytest.raises(UnusableInputError) as info:
        load(user)
    assert "[measures] utfal finns inte" in str(info.value)
    assert "utfall" in str(info.value) and str(user) in str(info.value)


def test_a_broken_file_is_refused_in_swedish(tmp_path):
    user = _user_words(tmp_path, "[measures\nutfall = \n")
    with pytest.raises(UnusableInputError, match="ordlistan kan inte läsas"):
        load(user)
    with pytest.raises(UnusableInputError, match="ska vara en lista av ord"):
        load(_user_words(tmp_path, "[measures]\nutfall = 3\n"))


def test_a_missing_named_file_is_refused(tmp_path):
    with pytest.raises(UnusableInputError, match="ordlistan finns inte"):
        load(tmp_path / "saknas.toml")


def test_the_documented_vocabulary_is_the_packaged_file():
    doc = (paths.ROOT / "docs" / "arbetsbokens-format.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- ordlista -->\n(.*?)\n<!-- /ordlista -->", doc, re.DOTALL)
    assert found is not None, "docs/arbetsbokens-format.md saknar ordlistan"
    assert found[1] == markdown(), "kör python scripts/update_docs.py"


def test_normalise_drops_apostrophes():
    assert normalise("Nämnd'ens") == "nämndens"


def test_missing_sections_and_lists_are_empty():
    vocabulary = load(None)
    assert vocabulary.words("saknas", "utfall") == ()
    assert vocabulary.words("measures", "saknas") == ()
    assert vocabulary.section("saknas") == {}
    assert vocabulary.lookup("saknas", "utfall") is None
    assert not vocabulary.is_user_word("measures", "utfall", "finns inte")
    assert not vocabulary.is_user_word("measures", "utfall", "utfall")


def test_the_broken_file_message_shows_the_expected_form(tmp_path):
    user = _user_words(tmp_path, "[measures\n")
    with pytest.raises(UnusableInputError) as info:
        load(user)
    assert str(info.value).endswith(
        'Förväntade TOML, till exempel [measures] följt av utfall = ["Ack. nettokostnad"].'
    )


def test_an_unreadable_file_names_the_reason():
    from klk_analysis.vocabulary import _read

    folder = paths.ROOT / "docs"  # a folder cannot be read as a file
    with pytest.raises(UnusableInputError) as info:
        _read(folder)
    assert str(info.value) == f"{folder}: ordlistan kan inte öppnas (Is a directory)."


def test_a_section_that_is_not_a_table_is_refused(tmp_path):
    with pytest.raises(UnusableInputError) as info:
        load(_user_words(tmp_path, "measures = 3\n"))
    assert str(info.value).endswith(": [measures] ska vara en tabell med listor av ord, hittade 3.")


def test_an_unknown_list_names_every_allowed_list(tmp_path):
    user = _user_words(tmp_path, '[measures]\nutfal = ["Ack"]\n')
    with pytest.raises(UnusableInputError) as info:
        load(user)
    assert str(info.value) == (
        f"{user}: [measures] utfal finns inte i ordlistan. Förväntade ett av utfall, budget, "
        "arsbudget, budgetavvikelse, arsprognos, avvikelse_arsprognos."
    )


def test_a_single_word_may_be_written_without_a_list(tmp_path):
    vocabulary = load(_user_words(tmp_path, '[measures]\nutfall = "Ack. nettokostnad"\n'))
    assert vocabulary.lookup("measures", "Ack. nettokostnad") == "utfall"


def test_a_users_repeated_or_empty_word_changes_nothing(tmp_path):
    packaged = load(None).words("measures", "utfall")
    vocabulary = load(_user_words(tmp_path, '[measures]\nutfall = ["Utfall", "", "..."]\n'))
    assert vocabulary.words("measures", "utfall") == packaged
    assert not vocabulary.is_user_word("measures", "utfall", "Utfall")


def test_klk_toml_at_the_project_root_is_the_users_file(tmp_path, monkeypatch):
    from klk_analysis.vocabulary import ENVIRONMENT, user_file

    monkeypatch.delenv(ENVIRONMENT, raising=False)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    assert user_file() is None
    (tmp_path / "klk.toml").write_text("", encoding="utf-8")
    assert user_file() == tmp_path / "klk.toml"


def test_a_misspelt_section_is_refused_and_mail_settings_are_left_to_config(tmp_path):
    with pytest.raises(UnusableInputError, match=r"avsnittet \[measure\] finns inte"):
        load(_user_words(tmp_path, '[measure]\nutfall = ["Ack"]\n'))
    vocabulary = load(_user_words(tmp_path, '[mail]\nhost = "smtp.example"\n'))
    assert vocabulary.words("measures", "utfall")[0] == "utfall"


# --- a row's role and a sum's name, from the row words -----------------------------------------


@pytest.fixture(scope="module")
def packaged():
    return load(None)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Varav bidrag", "varav"),
        ("Därav personal", "varav"),
        ("Varav", "varav"),  # the word alone
        ("Varav summa", "varav"),  # varav is decided before the sum word
        ("Varavdelning", "line"),  # a word that only begins with "varav"
        ("Summa Grundskola", "sum"),
        ("S:a Grundskola", "sum"),
        ("Summa", "sum"),  # the word alone
        ("Förskola Summa", "sum"),  # an Excel pivot table puts the sum word last
        ("Lönesumma", "line"),  # ends with "summa" but is not the word
        ("Summeringar", "line"),
        ("Verksamhetens nettokostnad", "sum"),  # a subtotal without a sum word
        ("Årets resultat", "result"),
        ("Summa årets resultat", "result"),  # in the result list as it stands
        ("Summa nämndens resultat", "result"),  # a result once the sum word is taken off
        ("Nämndens resultat Summa", "result"),  # the same with the sum word last
        ("Summa intäkter", "sum"),  # a sum before a revenue
        ("Intäkter", "revenue"),
        ("Övriga intäkter", "revenue"),
        ("Kommunbidrag", "ram"),
        ("Kommunbidrag 2022", "ram"),  # the ram word first, more after it
        ("Ramavtal", "line"),  # begins with "ram" but is not the word
        ("Personalkostnader", "line"),
    ],
)
def test_a_rows_role_comes_from_its_words(packaged, label, role):
    assert row_role(label, packaged) == role


def test_a_rows_role_uses_the_users_words_when_given_and_the_packaged_ones_otherwise(
    tmp_path, monkeypatch
):
    from klk_analysis.vocabulary import ENVIRONMENT

    monkeypatch.delenv(ENVIRONMENT, raising=False)
    monkeypatch.setattr(paths, "ROOT", tmp_path)  # no klk.toml there
    user = load(_user_words(tmp_path, '[rows]\nrevenue = ["Taxor och avgifter"]\n'))
    assert row_role("Taxor och avgifter", user) == "revenue"
    assert row_role("Taxor och avgifter") == "line"
    assert row_role("Summa Grundskola") == "sum"


def test_the_longest_phrase_is_found_at_the_start_or_the_end(packaged):
    ram = packaged.words("rows", "ram")  # holds "ram", "kommunbidrag" and "kommunbidrag ram"
    assert phrase_at_start("kommunbidrag ram 2022", ram) == "kommunbidrag ram"
    assert phrase_at_start("kommunbidrag", ram) == "kommunbidrag"
    assert phrase_at_start("ramavtal", ram) is None
    assert phrase_at_start("övrigt kommunbidrag", ram) is None  # not at the start
    assert phrase_at_end("avgår tilldelad ram", ram) == "tilldelad ram"  # not just "ram"
    assert phrase_at_end("övrigt anslag", ram) == "anslag"
    assert phrase_at_end("anslag", ram) is None  # the whole label is not a word at the end
    assert phrase_at_end("övrigt lönebidrag", ram) is None
    assert phrase_at_end("kommunbidrag övrigt", ram) is None  # not at the end


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Summa Grundskola", "Grundskola"),
        ("S:a Grundskola", "Grundskola"),
        ("Summa Rektorsområde IX", "Rektorsområde IX"),  # every word after the sum word
        ("Summa: Förskola", "Förskola"),
        ("Summa - Förskola", "Förskola"),
        ("Summa – Förskola –", "Förskola"),
        ("Summa Förskola:", "Förskola"),
        ("Förskola Nord Summa", "Förskola Nord"),  # a pivot table's sum word last
        ("Rektorsområde IX Summa", "Rektorsområde IX"),
        ("Förskola - Summa", "Förskola"),
        ("Förskola: Summa", "Förskola"),
        ("Summa", "Summa"),  # nothing after the word: the label is the name
        ("Summa:", "Summa:"),
        ("Summa-Förskola", "Summa-Förskola"),  # one word in the label: it cannot be split
        ("Förskola-Summa", "Förskola-Summa"),
        ("Grundskola", "Grundskola"),  # no sum word
        ("Lönesumma", "Lönesumma"),
    ],
)
def test_a_sums_name_is_its_label_without_the_sum_word(packaged, label, name):
    assert without_sum_word(label, packaged) == name


def test_a_users_sum_word_of_two_words_is_taken_off_whole(tmp_path):
    user = load(_user_words(tmp_path, '[rows]\nsum = ["Summa totalt"]\n'))
    assert without_sum_word("Summa totalt Grundskola", user) == "Grundskola"
    assert without_sum_word("Grundskola Summa totalt", user) == "Grundskola"
    assert without_sum_word("Summa Grundskola", user) == "Grundskola"  # the packaged word too


def test_an_edited_users_file_is_read_again(tmp_path):
    import os

    user = _user_words(tmp_path, '[rows]\nrevenue = ["Taxor"]\n')
    assert row_role("Taxor", load(user)) == "revenue"
    user.write_text('[rows]\nrevenue = ["Avgifter"]\n', encoding="utf-8")
    changed = user.stat().st_mtime_ns + 1_000_000_000  # a second later, whatever the clock
    os.utime(user, ns=(changed, changed))
    edited = load(user)
    assert row_role("Avgifter", edited) == "revenue"
    assert row_role("Taxor", edited) == "line"


def test_a_misspelt_section_names_every_section_there_is(tmp_path):
    user = _user_words(tmp_path, '[measure]\nutfall = ["Ack"]\n')
    with pytest.raises(UnusableInputError) as info:
        load(user)
    assert str(info.value) == (
        f"{user}: avsnittet [measure] finns inte i ordlistan. Förväntade ett av [measures], "
        "[measure_words], [periods], [months], [units], [sheets], [rows], [columns], [board]."
    )


def test_a_users_result_word_that_begins_with_a_sum_word_is_a_result(tmp_path):
    # "Totalt nämnden" is in the result list as it stands; without "totalt" it is not.
    user = load(_user_words(tmp_path, '[rows]\nresult = ["Totalt nämnden"]\n'))
    assert row_role("Totalt nämnden", user) == "result"
    assert row_role("Totalt förvaltningen", user) == "sum"
