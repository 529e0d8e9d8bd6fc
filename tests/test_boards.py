from pathlib import Path

import pytest

from klk_analysis.boards import board_slug, boards_of, select
from klk_analysis.errors import UnusableInputError


def test_slug_is_lower_case_ascii_with_hyphens():
    assert board_slug("Barn- och utbildningsnämnden") == "barn-och-utbildningsnamnden"
    assert board_slug("Överförmyndarnämnden") == "overformyndarnamnden"
    assert board_slug("Miljö- & byggnämnden (MBN)") == "miljo-byggnamnden-mbn"
    assert board_slug("Kommunstyrelsen") == "kommunstyrelsen"
    assert board_slug("???") == "namnd"


def _named(names: dict):
    def identify(path: Path) -> str:
        if names[path.name] is None:
            raise UnusableInputError(f"{path}: ingen arbetsbok")
        return names[path.name]

    return identify


def test_two_workbooks_of_one_board_name_both_files_and_others_still_run(tmp_path):
    files = [tmp_path / n for n in ("ks.xlsx", "ks_ny.xlsx", "tn.xlsx", "trasig.xlsx")]
    names = {"ks.xlsx": "Kommunstyrelsen", "ks_ny.xlsx": "KOMMUNSTYRELSEN"}
    names |= {"tn.xlsx": "Tekniska nämnden", "trasig.xlsx": None}
    found = {b.name: b for b in boards_of("2022-08", files, _named(names))}
    ks = found["Kommunstyrelsen"]
    assert not ks.runnable and ks.exit_code == 2
    assert str(files[0]) in ks.problem and str(files[1]) in ks.problem
    assert found["Tekniska nämnden"].runnable
    broken = found["trasig.xlsx"]
    assert broken.board is None and broken.slug == "trasig" and "ingen arbetsbok" in broken.problem


def test_board_is_chosen_by_name_in_any_case_by_folder_or_by_file(tmp_path):
    files = [tmp_path / "ks.xlsx", tmp_path / "bun_2022.xlsx"]
    names = {"ks.xlsx": "Kommunstyrelsen", "bun_2022.xlsx": "Barn- och utbildningsnämnden"}
    found = boards_of("2022-08", files, _named(names))
    for wanted in ("barn- och UTBILDNINGSNÄMNDEN", "barn-och-utbildningsnamnden", "bun_2022.xlsx"):
        assert [b.name for b in select(found, wanted, tmp_path)] == ["Barn- och utbildningsnämnden"]
    assert len(select(found, None, tmp_path)) == 2
    with pytest.raises(
        UnusableInputError, match=r"ingen nämnd heter ”Socialnämnden”.*Kommunstyrelsen"
    ):
        select(found, "Socialnämnden", tmp_path)
