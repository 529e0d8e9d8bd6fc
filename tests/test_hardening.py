"""Every bad workbook of the corpus gets exit 2 or 1 and a message naming what and where."""

import time

import openpyxl.xml
import pytest

from klk_analysis.cli import main
from klk_analysis.loading import load_workbook
from tests.badbooks import (
    CASES,
    entities_past_prologue,
    macros,
    million_rows,
    source,
    zip_bomb,
)
from tests.workbooks import RR_ROWS


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case_gets_its_exit_code_and_message(case, tmp_path, capsys):
    path = case.build(tmp_path)
    # In-process: any exception other than the suite's own would fail the test here.
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    output = captured.err + captured.out
    assert code == case.exit_code, output
    assert case.expected in output
    if code == 2:
        assert path.name in captured.err  # the message names the file
        assert captured.out == ""  # nothing half-reported


@pytest.mark.slow
@pytest.mark.parametrize("build", [million_rows, zip_bomb])
def test_huge_inputs_are_refused_quickly(build, tmp_path, capsys):
    path = build(tmp_path)
    start = time.perf_counter()
    assert main(["check", str(path)]) == 2
    assert time.perf_counter() - start < 2.0
    capsys.readouterr()


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_defusedxml_stops_entities_the_screening_did_not_see(tmp_path, capsys):
    assert main(["check", str(entities_past_prologue(tmp_path))]) == 2
    assert "entitetsdefinitioner" in capsys.readouterr().err


def test_macros_are_not_kept_and_values_are_read(tmp_path):
    wb = load_workbook(macros(tmp_path))
    assert wb.has_macros
    assert wb.resultatrakning.rows["utfall_2022"].iloc[0] == RR_ROWS[0][2]


# --- property-based: the header finder and the loader ------------------------------------------

import datetime as dt  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: E402

from klk_analysis.errors import KlkError  # noqa: E402
from klk_analysis.formatting import MONTH_NAMES_SV  # noqa: E402
from klk_analysis.validation import reconcile  # noqa: E402
from tests.workbooks import DR_HEADER, DR_ROWS, RR_HEADER, make_workbook, sheet  # noqa: E402

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MONTH_FORMS = {
    m: (n[:3], n, n[:3].upper() + ".", n.capitalize()) for m, n in enumerate(MONTH_NAMES_SV, 1)
}


@st.composite
def header_layouts(draw):
    """A resultaträkning whose header row sits anywhere in the first 30 rows, in any spelling."""
    year = draw(st.integers(min_value=2000, max_value=2099))
    month = draw(st.integers(min_value=1, max_value=12))
    form = draw(st.sampled_from(_MONTH_FORMS[month]))
    spell = draw(st.sampled_from([str, str.upper, str.lower]))
    space = draw(st.sampled_from([" ", "  ", "\u00a0"]))
    header = [
        spell(f"Utfall{space}{form} {year - 1}"),
        spell(f"Utfall{space}{form} {year}"),
        spell(f"Budget{space}{form} {year}"),
        spell(f"Budgetavvikelse{space}{form} {year}"),
        spell(f"Årsprognos{space}{form}"),
        spell(f"Avvikelse årsprognos{space}{form}"),
    ]
    titles = draw(
        st.lists(
            st.sampled_from(["Resultaträkning", "Belopp i mnkr", "Not 1", None, "Utfall"]),
            max_size=27,
        )
    )
    return year, month, [[t] for t in titles], ["Konto", *header]


@pytest.mark.slow
@_SETTINGS
@given(header_layouts())
def test_header_row_is_found_wherever_it_is_and_however_spelt(layout):
    year, month, titles, header = layout
    rows = [
        ["Kommunbidrag", 1.0, 2.0, 1.5, 0.5, 6.0, 0.0],
        ["Summa årets resultat", 1, 2, 1.5, 0.5, 6, 0],
    ]
    name = MONTH_NAMES_SV[month - 1]
    dr_header = [
        "Enhet",
        f"Budgetavvikelse {name} {year}",
        f"Budget {year}",
        f"Avvikelse årsprognos {name}",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = make_workbook(
            Path(tmp) / "a.xlsx",
            {
                "Resultaträkning": [*titles, header, *rows],
                "Driftredovisning": [dr_header, ["Summa Nämnden", 0.5, -1.0, 0.0]],
            },
        )
        table = load_workbook(path).resultatrakning
    assert table.rows["excel_row"].iloc[0] == len(titles) + 2
    assert table.period.year == year and table.period.month == month
    assert [c.measure for c in table.columns] == [
        "utfall",
        "utfall",
        "budget",
        "budgetavvikelse",
        "arsprognos",
        "avvikelse_arsprognos",
    ]


_WORDS = [
    *RR_HEADER,
    *DR_HEADER,
    "Budget 2022",
    "Årsbudget 2023",
    "Utfall Aug 2023",
    "Summa Nämnden",
    "Summa ÅRETS RESULTAT",
    "Kommunersättning",
    "*KONTROLL",
    "Belopp i tkr",
    "Belopp i mnkr",
    "1 301,9",
    "(1,6)",
    "–",
    "−0,5",
    "=A1+B1",
    "#REF!",
    "",
]
_CELLS = st.one_of(
    st.none(),
    st.sampled_from(_WORDS),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)
_ROWS = st.lists(st.lists(_CELLS, max_size=8), max_size=12)


def _check_never_crashes(path: Path) -> None:
    try:
        workbook = load_workbook(path)
    except KlkError:
        return
    reconcile(workbook)  # the figures can be anything; checking them must not crash either


@pytest.mark.slow
@_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["Resultaträkning", "Driftredovisning", "RESULTATRÄKNING", "Blad1"]),
        _ROWS,
        min_size=1,
        max_size=4,
    )
)
def test_random_layouts_raise_only_the_suites_errors(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        _check_never_crashes(make_workbook(Path(tmp) / "a.xlsx", sheets))


@pytest.mark.slow
@_SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(DR_ROWS) - 1), st.integers(0, len(DR_HEADER) - 1), _CELLS),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.tuples(st.integers(0, 12), st.lists(_CELLS, max_size=6)), max_size=3),
)
def test_source_tables_with_random_cells_raise_only_the_suites_errors(changes, inserts):
    rows = [list(r) for r in DR_ROWS]
    for row, col, value in changes:
        rows[row][col] = value
    dr = sheet("Driftredovisning", DR_HEADER, rows)
    for at, row in inserts:
        dr.insert(at, row)
    with tempfile.TemporaryDirectory() as tmp:
        base = source(Path(tmp))
        _check_never_crashes(
            make_workbook(
                Path(tmp) / "b.xlsx",
                {"Resultaträkning": sheet("RR", RR_HEADER, RR_ROWS), "Driftredovisning": dr},
            )
        )
        assert base.exists()


@pytest.mark.slow
@_SETTINGS
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_bytes_raise_only_the_suites_errors(flips):
    with tempfile.TemporaryDirectory() as tmp:
        path = source(Path(tmp))
        data = bytearray(path.read_bytes())
        for where, byte in flips:
            data[int(where * (len(data) - 1))] = byte
        path.write_bytes(bytes(data))
        _check_never_crashes(path)


@pytest.mark.slow
@_SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.integers(1, 7), st.integers(0, 3), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["Resultaträkning", "Driftredovisning"]),
)
def test_merged_cells_anywhere_raise_only_the_suites_errors(merges, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = source(Path(tmp))
        book = openpyxl.load_workbook(path)
        ws = book[name]
        taken = set()
        for row, col, down, across in merges:
            cells = {
                (r, c) for r in range(row, row + down + 1) for c in range(col, col + across + 1)
            }
            if cells & taken or len(cells) == 1:
                continue  # Excel does not allow overlapping merges
            taken |= cells
            ws.merge_cells(
                start_row=row, start_column=col, end_row=row + down, end_column=col + across
            )
        book.save(path)
        _check_never_crashes(path)
