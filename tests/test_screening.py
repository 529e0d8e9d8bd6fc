import errno
import re
import zipfile
import zlib
from pathlib import Path

import pytest

from klk_analysis import screening
from klk_analysis.errors import UnusableInputError
from klk_analysis.screening import Screening, screen_workbook_file
from tests.badbooks import DR_PART, rezip, source, truncated_zip


def _sheet(rows: int, cells_per_row: int) -> bytes:
    cells = "".join(f'<c r="A{i}"><v>1</v></c>' for i in range(cells_per_row))
    body = "".join(f'<row r="{n}">{cells}</row>' for n in range(1, rows + 1))
    return f'<worksheet><sheetData>{body}<rowBreaks count="0"/></sheetData></worksheet>'.encode()


def test_a_good_workbook_passes(tmp_path):
    assert screen_workbook_file(source(tmp_path)) == Screening(has_macros=False)


@pytest.mark.parametrize("chunk", [1, 5, 16, 17, 33, 4096])
def test_rows_and_cells_are_counted_exactly_across_chunk_edges(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(screening, "_CHUNK", chunk)
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("s.xml", _sheet(37, 3))
    with zipfile.ZipFile(path) as archive:
        # 37 rows of 3 cells; <rowBreaks> is not a row, and no <c> hides in it.
        assert screening._count_rows_and_cells(archive, "s.xml") == (37, 111)


def test_cell_limit_names_the_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(screening, "MAX_CELLS", 100)
    path = rezip(source(tmp_path), tmp_path / "b.xlsx", replace={DR_PART: _sheet(10, 4)})
    with pytest.raises(UnusableInputError, match=r"fler än 100 celler.*'Driftredovisning'"):
        screen_workbook_file(path)


def test_unpacked_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(screening, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(UnusableInputError, match="packas upp till 0 MB"):
        screen_workbook_file(source(tmp_path))


def test_text_in_cp1252_is_recognised_as_text(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes("Konto;Utfall\nKommunersättning;115,4\n".encode("cp1252"))
    with pytest.raises(UnusableInputError, match="textfil"):
        screen_workbook_file(path)


def test_a_folder_or_unreadable_path_is_refused(tmp_path):
    with pytest.raises(UnusableInputError, match=re.escape(str(tmp_path))):
        screen_workbook_file(tmp_path)


def test_a_folder_is_named_as_a_folder(tmp_path):
    with pytest.raises(UnusableInputError, match="det är en mapp, inte en fil"):
        screen_workbook_file(tmp_path)


def test_an_unreadable_file_is_explained_in_swedish(tmp_path, monkeypatch):
    path = source(tmp_path)

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(UnusableInputError) as caught:
        screen_workbook_file(path)
    assert "filen kan inte läsas: behörighet att läsa den saknas" in str(caught.value)
    assert "Permission" not in str(caught.value)


def test_a_truncated_zip_is_explained_in_swedish(tmp_path):
    with pytest.raises(UnusableInputError) as caught:
        screen_workbook_file(truncated_zip(tmp_path))
    message = str(caught.value)
    assert "trasig zip-fil (zip-filens innehållsförteckning i slutet av filen saknas)" in message
    assert "not a zip file" not in message


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (zipfile.BadZipFile("Bad CRC-32 for file 'xl/styles.xml'"), "fel kontrollsumma"),
        (zipfile.BadZipFile("Bad magic number for file header"), "stämmer inte med innehållet"),
        (zlib.error("Error -3 while decompressing data"), "en packad del är skadad"),
        (EOFError(), "tar slut mitt i en packad del"),
        (NotImplementedError("compression type 99"), "packad på ett sätt som inte stöds"),
    ],
)
def test_each_zip_failure_gets_a_swedish_reason(tmp_path, monkeypatch, error, expected):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(screening, "_screen_zip", fail)
    with pytest.raises(UnusableInputError) as caught:
        screen_workbook_file(source(tmp_path))
    message = str(caught.value)
    assert re.search(rf"trasig zip-fil \([^)]*{expected}[^)]*\)", message)
    assert str(error) == "" or str(error) not in message


def test_a_text_files_first_line_is_shown_without_python_escapes(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes("\ufeffKonto\tUtfall\r\nKommunersättning\t115,4\r\n".encode())
    with pytest.raises(UnusableInputError) as caught:
        screen_workbook_file(path)
    assert "första raden är 'Konto Utfall'" in str(caught.value)
    assert "\\" not in str(caught.value)


# OneDrive's Files On-Demand: a workbook kept only online, whose content Windows could not fetch
# (the OneDrive client stopped, no network). Python reports the Cloud Files errors as EINVAL.
@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.EINVAL, "Invalid argument"),
        OSError(errno.EIO, "The cloud file provider is not running"),
    ],
    ids=["einval", "cloud-file-provider"],
)
def test_a_onedrive_file_kept_only_online_gets_a_clear_message(tmp_path, monkeypatch, error):
    path = source(tmp_path)

    def fetch_fails(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(Path, "open", fetch_fails)
    with pytest.raises(UnusableInputError) as caught:
        screen_workbook_file(path)
    assert str(caught.value) == (
        f"{path}: filen kan inte läsas: den finns kanske bara online i OneDrive och kunde inte "
        "hämtas. Högerklicka på filen (eller mappen) i Utforskaren och välj Alltid behåll på "
        "den här enheten, vänta tills OneDrive har hämtat den och kör igen."
    )


def test_access_denied_in_a_onedrive_folder_mentions_both_causes(tmp_path, monkeypatch, capsys):
    from klk_analysis.cli import main

    folder = tmp_path / "OneDrive - Eskilstuna kommun" / "Ekonomi" / "Delår 2"
    folder.mkdir(parents=True)
    path = source(folder)

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"klk: {path}: filen kan inte läsas: behörighet att läsa den saknas, eller den finns "
        "kanske bara online i OneDrive"
    )
    assert "Alltid behåll på den här enheten" in err
    assert "Traceback" not in err and "Permission" not in err
