import shutil
import subprocess

import openpyxl
import pytest

docx = pytest.importorskip("docx", reason="python-docx saknas (pip install -e '.')")
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.shared import Inches, RGBColor  # noqa: E402

from klk_analysis import delivery, word  # noqa: E402
from klk_analysis.cli import main  # noqa: E402
from klk_analysis.errors import UnusableInputError  # noqa: E402

MINUS = "\u2212"


@pytest.fixture(scope="module")
def document(finished_folder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("word") / "2022-03"
    shutil.copytree(finished_folder, folder)
    path = word.write_docx(folder, config={})
    return docx.Document(str(path))


def amount(text: str) -> float:
    """Read an amount as the report prints it (−1 301,9) without the suite's own code."""
    return float(text.replace(MINUS, "-").replace("\u00a0", "").replace(",", "."))


def test_every_table_cell_matches_the_xlsx_tables(document, finished_folder):
    tables = document.tables
    assert len(tables) == 2
    for table, name in zip(tables, ("resultatrakning", "driftredovisning"), strict=True):
        sheet = openpyxl.load_workbook(finished_folder / "tabeller" / f"{name}.xlsx").active
        expected = [list(r) for r in sheet.iter_rows(values_only=True)]
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert len(cells) == len(expected)
        assert cells[0] == expected[0]  # the headers as printed
        for got, want in zip(cells[1:], expected[1:], strict=True):
            assert got[0] == want[0]
            assert [amount(t) for t in got[1:]] == [round(v, 1) for v in want[1:]]


def test_amounts_are_printed_as_in_the_html(document):
    # Personalkostnader as in the source document: −28,8 −29,1 −32,0 2,9 −118,5 2,9.
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in document.tables[0].rows}
    assert rows["Personalkostnader"] == [
        f"{MINUS}28,8",
        f"{MINUS}29,1",
        f"{MINUS}32,0",
        "2,9",
        f"{MINUS}118,5",
        "2,9",
    ]
    assert rows["- Lokalkostnader"][0] == f"{MINUS}1,4"
    # Sums in bold, lines not.
    by_label = {row.cells[0].text: row for row in document.tables[0].rows}
    assert by_label["Summa KOSTNADER"].cells[1].paragraphs[0].runs[0].bold
    assert not by_label["Personalkostnader"].cells[1].paragraphs[0].runs[0].bold
    header = document.tables[0].rows[0]._tr
    assert header.trPr is not None and "tblHeader" in header.trPr.xml


def test_headings_sentences_captions_pictures_and_contents(document, finished_folder):
    content = delivery.read_content(finished_folder)
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Kommunstyrelsens delårsrapport 1, 2022") in styled
    assert ("Heading 1", "Sammanfattning") in styled and ("Heading 1", "Ekonomi") in styled
    assert ("Heading 2", "Resultaträkning") in styled
    assert any("uppgår till +12,1 miljoner kronor" in text for _, text in styled)
    captions = [text for style, text in styled if style == "Caption"]
    assert captions[0] == "Tabell 1. Resultaträkning (belopp i mnkr)"
    assert captions[2].startswith("Figur 1. Budgetavvikelse per enhet, januari – mars 2022")
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert descriptions == [c["alt"] for c in content.record["charts"]]
    assert descriptions[0].startswith("Budgetavvikelse per enhet")
    assert 'TOC \\o "1-2"' in document.element.body.xml
    assert document.core_properties.language == "sv-SE"
    # The shipped template's table style.
    assert {t.style.name for t in document.tables} == {"KLK Tabell"}


def municipality_template(path):
    """A municipality's template: its own heading font, table style, margins, header, sample."""
    template = docx.Document()
    styles = template.styles
    styles["Heading 1"].font.name = "Georgia"
    styles["Heading 1"].font.color.rgb = RGBColor(0x7A, 0x00, 0x26)
    style = styles.add_style("Eskilstuna tabell", WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Table Grid"]
    section = template.sections[0]
    section.left_margin = Inches(1.3)  # whole twips, so it reads back exactly
    section.header.paragraphs[0].text = "Eskilstuna kommun"
    section.footer.paragraphs[0].text = "Kommunledningskontoret"
    template.add_paragraph("Exempeltext i mallen")
    template.save(str(path))
    return path


def test_the_municipalitys_template_gives_styles_page_setup_header_and_footer(
    finished_folder, tmp_path
):
    mall = municipality_template(tmp_path / "kommunens mall.docx")
    out = tmp_path / "ut"
    shutil.copytree(finished_folder, out)
    code = main(
        [
            "word",
            "2022-03",
            "--out",
            str(out),
            "--mall",
            str(mall),
            "--tabellstil",
            "Eskilstuna tabell",
        ]
    )
    assert code == 0
    made = docx.Document(str(out / "rapport.docx"))
    assert {t.style.name for t in made.tables} == {"Eskilstuna tabell"}
    headings = {p.style.name for p in made.paragraphs if p.style.name.startswith("Heading")}
    assert headings == {"Heading 1", "Heading 2"}
    assert made.styles["Heading 1"].font.name == "Georgia"
    assert made.sections[0].left_margin == Inches(1.3)
    assert made.sections[0].header.paragraphs[0].text == "Eskilstuna kommun"
    assert made.sections[0].footer.paragraphs[0].text == "Kommunledningskontoret"
    assert "Exempeltext i mallen" not in [p.text for p in made.paragraphs]


def test_template_from_klk_toml(finished_folder, tmp_path):
    mall = municipality_template(tmp_path / "mall.docx")
    cfg = tmp_path / "klk.toml"
    cfg.write_text(f'[word]\nmall = "{mall}"\ntabellstil = "Eskilstuna tabell"\n', "utf-8")
    out = tmp_path / "ut"
    shutil.copytree(finished_folder, out)
    assert main(["word", "2022-03", "--out", str(out), "--config", str(cfg)]) == 0
    made = docx.Document(str(out / "rapport.docx"))
    assert {t.style.name for t in made.tables} == {"Eskilstuna tabell"}


def test_a_wrong_template_or_style_is_a_sentence_and_nothing_is_written(finished_folder, tmp_path):
    out = tmp_path / "ut"
    shutil.copytree(finished_folder, out)
    (out / "rapport.docx").unlink(missing_ok=True)
    with pytest.raises(UnusableInputError, match="Word-mallen finns inte"):
        word.write_docx(out, tmp_path / "saknas.docx", config={})
    dotx = tmp_path / "mall.dotx"
    dotx.write_bytes(b"inte en mall")
    with pytest.raises(UnusableInputError, match=r"Spara mallen som Word-dokument \(\.docx\)"):
        word.write_docx(out, dotx, config={})
    with pytest.raises(
        UnusableInputError, match=r"tabellstilen ”Kommunens” finns inte.*KLK Tabell"
    ):
        word.write_docx(out, None, "Kommunens", config={})
    assert not (out / "rapport.docx").exists()


def test_the_run_makes_the_word_document_inside_its_swap(period_run):
    made = docx.Document(str(period_run.out_dir / "rapport.docx"))
    assert len(made.tables) == 2 and len(made.inline_shapes) >= 3


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) saknas: apt-get install libreoffice-writer-nogui",
)
@pytest.mark.slow
def test_libreoffice_converts_it_to_pdf(finished_folder, tmp_path):
    shutil.copytree(finished_folder, tmp_path / "ut")
    path = word.write_docx(tmp_path / "ut", config={})
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "rapport.pdf"
    assert pdf.is_file(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_word_and_html_show_the_same_cells_group_headings_too(tmp_path):
    from klk_analysis import report
    from klk_analysis.sections import parts_html
    from tests.test_display import table_texts
    from tests.workbooks import GROUPED_ROWS, source_workbook

    data = report.load("2022-03", source_workbook(tmp_path / "g.xlsx", dr_rows=GROUPED_ROWS))
    report.write_outputs(data, [], tmp_path / "ut")
    made = word.build_document(delivery.read_content(tmp_path / "ut"))
    for table, html in zip(
        made.tables,
        (
            parts_html(report.resultatrakning_table(data)),
            parts_html(report.driftredovisning_table(data)),
        ),
        strict=True,
    ):
        cells = [[c.text for c in row.cells] for row in table.rows]
        html_rows = table_texts(html)[0]["rows"]
        # The HTML's heading row is one cell spanning the table; Word keeps the empty cells.
        assert [[c for c in row if c] for row in cells] == html_rows
    units = [[c.text for c in row.cells] for row in made.tables[1].rows]
    assert units[1] == ["Äldreomsorg", "", "", "", ""]
    assert units[2] == ["Hemtjänst Norr", "0,1", "0,2", f"{MINUS}10,0", "0,0"]
