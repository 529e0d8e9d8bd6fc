"""The report's tables as display frames, and the one renderer that turns them into HTML."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from klk_analysis import display, report, tables
from klk_analysis.findings import Finding
from klk_analysis.sections import part_html, parts_html
from tests.workbooks import DR_HEADER, GROUPED_ROWS, RR_HEADER, SHIPPED, source_workbook

GOLDEN = Path(__file__).parent / "golden" / "rapport_tabeller.json"


class _TableText(HTMLParser):
    """Collect what a reader (or a screen reader) gets from each table: caption and cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = "".join(self._caption)
            self._caption = None
        elif tag in ("th", "td"):
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def table_texts(fragment: str) -> list[dict]:
    """Return every table's caption and the text of its cells, row by row."""
    parser = _TableText()
    parser.feed(fragment)
    return parser.tables


def _december(header):
    return [h.replace("Mar", "Dec").replace("mars", "december") for h in header]


@pytest.fixture(scope="module")
def shipped_tables(tmp_path_factory):
    """Every table of the shipped workbook's report, rendered through the report functions."""
    base = tmp_path_factory.mktemp("tabeller")
    march = report.load("2022-03", SHIPPED)
    march_run = report.forecasts(march, base)
    year_end = source_workbook(
        base / "dec.xlsx", rr_header=_december(RR_HEADER), dr_header=_december(DR_HEADER)
    )
    december = report.load("2022-12", year_end)
    december_run = report.forecasts(december, base)
    grouped = report.load("2022-03", source_workbook(base / "grupper.xlsx", dr_rows=GROUPED_ROWS))
    return {
        "resultatrakning": parts_html(report.resultatrakning_table(march)),
        "driftredovisning": parts_html(report.driftredovisning_table(march)),
        "prognos": parts_html(report.forecast_tables(march_run, march)),
        "avstamning": part_html(report.findings_section(march)),
        "prognossakerhet": parts_html(report.accuracy_section(december_run, december)),
        "grupper": parts_html(report.driftredovisning_table(grouped)),
    }


def test_the_reports_tables_read_as_before(shipped_tables):
    # Recorded from the report before its tables became display frames (commit 26a58e1):
    # a reader must see the same captions and cells, whatever the markup around them.
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert {name: table_texts(html) for name, html in shipped_tables.items()} == expected


def test_a_grouped_boards_printed_frame_has_its_heading_without_figures(tmp_path):
    book = report.load("2022-03", source_workbook(tmp_path / "g.xlsx", dr_rows=GROUPED_ROWS))
    frame = display.driftredovisning(book.workbook)
    assert list(frame.columns) == [*DR_HEADER, tables.KIND]
    assert frame.iloc[:, 0].tolist() == [r[0] for r in GROUPED_ROWS]
    assert frame[tables.KIND].tolist() == ["heading", "line", "line", "sum", "line", "total"]
    assert frame.iloc[0, 1:5].isna().all()
    assert frame.iloc[1, 1:5].tolist() == [0.1, 0.2, -10.0, 0.0]


def test_rounding_frame_and_its_signed_gap():
    # Summa INTÄKTER printed 132,0 where 115,4 + 16,7 = 132,1: the gap is −0,1.
    notes = [
        Finding("info", "sum", "resultatrakning", "Summa INTÄKTER", "Utfall", 132.0, 132.1, ""),
        Finding("info", "sum", "driftredovisning", "Summa", "Budget", -461.5, -461.6, ""),
    ]
    frame = display.rounding_frame(notes)
    assert list(frame.columns) == ["Tabell", "Rad", "Kolumn", "Tryckt", "Beräknat", "Differens"]
    assert frame["Tabell"].tolist() == ["Resultaträkning", "Driftredovisning"]
    html = part_html(report.rounding_table(notes))
    cells = [row[3:] for row in table_texts(html)[0]["rows"][1:]]
    assert cells == [["132,0", "132,1", "−0,1"], ["−461,5", "−461,6", "+0,1"]]


def test_the_renderer_escapes_every_text_once():
    frame = pd.DataFrame(
        {
            "Rad <i>": ["<script>x</script>", "A & B"],
            "Belopp": [1301.94, float("nan")],
            "Not": ['"citat"', "<b>"],
            tables.KIND: ["line", "sum"],
        }
    )
    html = tables.frame_html(frame, "Rubrik <1>", title="Dold & titel")
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert '<th scope="row">&lt;script&gt;x&lt;/script&gt;</th>' in html
    assert '<tr class="summa"><th scope="row">A &amp; B</th>' in html
    assert '<span class="dold">Dold &amp; titel. </span>Rubrik &lt;1&gt;' in html
    assert 'aria-label="Rubrik &lt;1&gt;"' in html
    assert table_texts(html)[0]["rows"] == [
        ["Rad <i>", "Belopp", "Not"],
        ["<script>x</script>", "1\u00a0301,9", '"citat"'],
        ["A & B", "", "<b>"],
    ]


def test_accuracy_frame_of_a_register_without_outcomes_is_empty_not_an_error():
    scored = pd.DataFrame(
        columns=["method", "year", "table", "label", "month", "forecast", "outcome", "error"]
    ).astype({"month": "int64", "year": "int64"})
    frame = display.accuracy_frame(scored)
    assert list(frame.columns) == list(display.ACCURACY_HEADERS)
    assert frame.empty
