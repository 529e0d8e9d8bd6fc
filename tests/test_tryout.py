"""A second corpus: 33 workbooks a new user built in dialects the first corpus did not hold.

Built by tests/tryout/dialects.py (one function call per workbook, its expected reading beside
it); tests/tryout/verify.py compares what the loader reads with what was built: the board, the
period, the unit, every column's measure and every amount.
"""

import json

import pytest

from klk_analysis.cli import main
from tests.tryout import dialects
from tests.tryout.verify import compare


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tryout")
    dialects.OUT = folder
    dialects.EXP.clear()
    dialects.main()
    return folder, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_tryout_workbook_is_read_as_built(books):
    folder, expected = books
    assert len(expected) >= 33
    wrong = {name: compare(folder, name, exp) for name, exp in sorted(expected.items())}
    assert {n: w for n, w in wrong.items() if w != "OK"} == {}


@pytest.mark.slow
def test_klk_check_gives_each_its_exit_code(books, capsys):
    folder, expected = books
    codes = {name: main(["check", str(folder / name)]) for name in sorted(expected)}
    capsys.readouterr()
    assert codes == {name: exp["exit"] for name, exp in sorted(expected.items())}
