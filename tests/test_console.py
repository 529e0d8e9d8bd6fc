"""Every message reaches a console of any encoding: the command line run as a user runs it."""

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klk_analysis.console import ERRORS, plain_char, use_plain_fallbacks
from tests.workbooks import DR_ROWS, SHIPPED, source_workbook

ENCODINGS = ("utf-8", "cp1252", "cp850", "ascii")
KLK = shutil.which("klk", path=str(Path(sys.executable).parent))


def _klk(encoding: str, *argv: str) -> tuple[int, str, str]:
    """Run the installed `klk` with stdout and stderr in the encoding; return code, out, err."""
    done = subprocess.run(
        [KLK, *argv],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding},
        timeout=120,
    )
    # Decoding strictly proves that every byte written is in the encoding.
    return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)


def test_characters_an_encoding_lacks_get_their_plain_form():
    assert plain_char("\u2212", "cp1252") == "-"  # cp1252 has no true minus
    assert plain_char("\u201d", "cp850") == '"'  # cp850 has no typographic quotes
    assert plain_char("\u2013", "cp850") == "-"
    assert plain_char("\u00a0", "ascii") == " "
    assert [plain_char(c, "ascii") for c in "åäöÅÄÖ"] == list("aaoAAO")
    assert plain_char("\u2026", "ascii") == "..."
    assert plain_char("\u25cf", "ascii") == "?"  # ● has no plain form


def test_the_error_handler_keeps_what_the_encoding_has():
    use_plain_fallbacks()
    text = "tryckt \u22121,6 för \u201dKLK Näringsliv\u201d, 1\u00a0301,9 mnkr"
    # cp1252 has ä, ” and the no-break space, but no true minus.
    assert text.encode(
        "cp1252", ERRORS
    ) == "tryckt -1,6 för ”KLK Näringsliv”, 1\xa0301,9 mnkr".encode("cp1252")
    # cp850 has ä and the no-break space (0xFF), neither ” nor the minus.
    assert text.encode(
        "cp850", ERRORS
    ) == 'tryckt -1,6 för "KLK Näringsliv", 1\xa0301,9 mnkr'.encode("cp850")
    assert text.encode("ascii", ERRORS) == b'tryckt -1,6 for "KLK Naringsliv", 1 301,9 mnkr'
    assert codecs.lookup_error(ERRORS) is not None


# The line of `klk check` on the shipped workbook for cell D11 of the Resultaträkning: printed
# −1,6, the rows sum to −1,7 (the source document's Summa ÅRETS RESULTAT, Budget Mar 2022).
SHIPPED_LINE = {
    "utf-8": "INFO: blad 'Resultaträkning', cell D11 (rad 'Summa ÅRETS RESULTAT', kolumn "
    "'Budget Mar 2022'): tryckt \u22121,6, raderna summerar till \u22121,7 (differens +0,1 mnkr)",
    "cp1252": "INFO: blad 'Resultaträkning', cell D11 (rad 'Summa ÅRETS RESULTAT', kolumn "
    "'Budget Mar 2022'): tryckt -1,6, raderna summerar till -1,7 (differens +0,1 mnkr)",
    "cp850": "INFO: blad 'Resultaträkning', cell D11 (rad 'Summa ÅRETS RESULTAT', kolumn "
    "'Budget Mar 2022'): tryckt -1,6, raderna summerar till -1,7 (differens +0,1 mnkr)",
    "ascii": "INFO: blad 'Resultatrakning', cell D11 (rad 'Summa ARETS RESULTAT', kolumn "
    "'Budget Mar 2022'): tryckt -1,6, raderna summerar till -1,7 (differens +0,1 mnkr)",
}


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_check_of_the_shipped_workbook_prints_in_any_encoding(encoding):
    code, out, err = _klk(encoding, "check", str(SHIPPED))
    assert code == 0, err
    assert "Traceback" not in out + err
    assert SHIPPED_LINE[encoding] in out
    assert out.splitlines()[-1] == "0 fel, 0 varningar, 6 avrundningsdifferenser."


# KLK Näringsliv's deviation 3,5 entered as −3,5: the check names the row and the lost sign.
BAD_LINE = {
    "utf-8": "Stämmer om raden 'KLK Näringsliv' har motsatt tecken (3,5 i stället för \u22123,5)",
    "cp1252": "Stämmer om raden 'KLK Näringsliv' har motsatt tecken (3,5 i stället för -3,5)",
    "cp850": "Stämmer om raden 'KLK Näringsliv' har motsatt tecken (3,5 i stället för -3,5)",
    "ascii": "Stammer om raden 'KLK Naringsliv' har motsatt tecken (3,5 i stallet for -3,5)",
}


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_check_of_a_bad_workbook_prints_in_any_encoding(encoding, tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[5][2] = -3.5
    bad = source_workbook(tmp_path / "fel.xlsx", dr_rows=rows)
    code, out, err = _klk(encoding, "check", str(bad))
    assert code == 1
    assert "Traceback" not in out + err
    assert BAD_LINE[encoding] in out
    code, _, err = _klk(encoding, "check", "--tolerance", "x", str(bad))
    assert code == 2
    assert "Traceback" not in err
    quote = "\u201d" if encoding in ("utf-8", "cp1252") else '"'
    assert f"--tolerance: {quote}x{quote} " in err


HELP_LINE = {
    "utf-8": "lab       öppna JupyterLab på notebooks/ med projektets kärna",
    "cp1252": "lab       öppna JupyterLab på notebooks/ med projektets kärna",
    "cp850": "lab       öppna JupyterLab på notebooks/ med projektets kärna",
    "ascii": "lab       oppna JupyterLab pa notebooks/ med projektets karna",
}


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_help_prints_in_any_encoding(encoding):
    code, out, err = _klk(encoding, "--help")
    assert code == 0
    assert err == ""
    assert out.startswith("anvandning: klk" if encoding == "ascii" else "användning: klk")
    assert HELP_LINE[encoding] in out


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["cp850", "ascii"])
def test_json_stays_exact_on_a_console_without_the_characters(encoding):
    code, out, err = _klk(encoding, "check", "--json", str(SHIPPED))
    assert code == 0, err
    assert out.isascii()  # \u escapes, which every JSON reader turns back
    report = json.loads(out)
    first = report["findings"][0]
    assert first["row"] == "Summa INTÄKTER"
    assert "(differens \u22120,1 mnkr)" in first["message"]
