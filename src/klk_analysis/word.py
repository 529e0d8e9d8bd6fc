"""The report as a Word document for the board's papers, in the municipality's own template.

Built with python-docx from a finished output folder's content record (`delivery.read_content`)
and the charts the run drew: headings in the template's heading styles, the tables as native
Word tables in a named table style with the numbers as the HTML prints them, the charts as
pictures with their Swedish text alternative and a caption, a table of contents field.
"""

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from klk_analysis import config as klk_config
from klk_analysis.delivery import WORD_FILE, Content, read_content
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import mnkr
from klk_analysis.processed import staged_file

DEFAULT_TEMPLATE = Path(__file__).parent / "templates" / "word" / "rapportmall.docx"
# Tried in order when no table style is named: the shipped template's, then Word's plain grid.
TABLE_STYLES = ("KLK Tabell", "Table Grid")
TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
PICTURE_WIDTH = Cm(16)
LABEL_WIDTH = Cm(5)


def _has_style(document, name: str) -> bool:
    return any(s.name == name for s in document.styles)


def _style(document, name: str, fallback: str = "Normal") -> str:
    return name if _has_style(document, name) else fallback


def open_template(mall: Path | None) -> docx.document.Document:
    """Open the template (the shipped one by default) and empty its body, keeping its sections."""
    path = Path(mall) if mall is not None else DEFAULT_TEMPLATE
    if not path.is_file():
        raise UnusableInputError(f"{path}: Word-mallen finns inte.")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        hint = (
            " Spara mallen som Word-dokument (.docx), inte som mall (.dotx)."
            if (path.suffix.lower() in (".dotx", ".dotm") or "template" in str(exc))
            else ""
        )
        raise UnusableInputError(
            f"{path}: kan inte öppnas som Word-dokument (.docx).{hint}"
        ) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the sample text goes; page setup, header, footer stay
            body.remove(child)
    return document


def table_style(document, requested: str | None, mall: Path | None) -> str | None:
    """Return the table style to use: the one named, else the first known one the template has."""
    if requested:
        if not _has_style(document, requested):
            names = sorted(s.name for s in document.styles if s.type == WD_STYLE_TYPE.TABLE)
            raise UnusableInputError(
                f"{mall or DEFAULT_TEMPLATE}: tabellstilen \u201d{requested}\u201d finns inte i "
                f"mallen; den har {', '.join(names) or 'inga tabellstilar'}."
            )
        return requested
    return next((s for s in TABLE_STYLES if _has_style(document, s)), None)


def _field_start(paragraph, instruction: str, dirty: bool = False) -> None:
    """Open a field (TOC, SEQ) in a paragraph: what follows is the text shown until it updates."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")  # Word updates it on opening (the page numbers)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, instr, separate):
        paragraph.add_run()._r.append(element)


def _field_end(paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def table_of_contents(document, headings: list[tuple[int, str]]) -> None:
    """Add a table of contents field, showing the headings until Word adds the page numbers."""
    heading = document.add_paragraph("Innehåll", style=_style(document, "TOC Heading"))
    if heading.style.name == "Normal":
        heading.runs[0].bold = True
    paragraphs = []
    for level, text in headings:
        paragraphs.append(document.add_paragraph(style=_style(document, f"TOC {level}")))
        if len(paragraphs) == 1:
            _field_start(paragraphs[0], TOC_INSTRUCTION, dirty=True)
        paragraphs[-1].add_run(text)
    _field_end(paragraphs[-1])


def caption(document, kind: str, number: int, text: str, above: bool = False) -> None:
    """Add a caption "Tabell 1. …" or "Figur 1. …" with a SEQ field, as Word's own captions."""
    paragraph = document.add_paragraph(style=_style(document, "Caption"))
    paragraph.add_run(f"{kind} ")
    _field_start(paragraph, f"SEQ {kind} \\* ARABIC")
    paragraph.add_run(str(number))
    _field_end(paragraph)
    paragraph.add_run(f". {text}")
    if above:
        paragraph.paragraph_format.keep_with_next = True


def _mark_header_row(row) -> None:
    # Repeated on every page and read as the header by screen readers.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def add_table(document, record: dict, style: str | None, width) -> None:
    """Add a table as printed: header row, rows with Swedish amounts, sums in bold."""
    header, rows = record["header"], record["rows"]
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    if style:
        table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    amount_width = int((width - LABEL_WIDTH) / max(len(header) - 1, 1))
    texts = [header] + [[r["label"], *(mnkr(v) for v in r["values"])] for r in rows]
    bold = [True] + [r["kind"] != "line" for r in rows]
    widths = [LABEL_WIDTH] + [amount_width] * (len(header) - 1)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width  # the grid, which LibreOffice reads
    for row, cells, strong in zip(table.rows, texts, bold, strict=True):
        for position, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.width = widths[position]  # the cells, which Word reads
            paragraph = cell.paragraphs[0]
            # A body text's spacing after each paragraph would make every row twice as tall.
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = 0
            paragraph.add_run(text).bold = strong
            if position:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _mark_header_row(table.rows[0])


def add_picture(document, path: Path, alt: str, width) -> None:
    """Add a chart as a picture whose text alternative (wp:docPr descr) is the chart's alt text."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(str(path), width=width)
    shape._inline.docPr.set("descr", alt)


def _usable_width(document):
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def build_document(content: Content, mall: Path | None = None, tabellstil: str | None = None):
    """Return the Word document of a finished report, in the template's styles."""
    record = content.record
    document = open_template(mall)
    style = table_style(document, tabellstil, mall)
    width = min(_usable_width(document), PICTURE_WIDTH)
    properties = document.core_properties
    properties.title, properties.author, properties.language = (
        content.title,
        "klk_analysis",
        "sv-SE",
    )
    properties.comments, properties.keywords, properties.subject = "", "", record["period_text"]

    document.add_heading(content.title, level=0)
    document.add_paragraph(
        f"Ekonomi {record['period_text']}. Belopp i miljoner kronor (mnkr). "
        f"Källa: arbetsboken {record['source_file']}."
    )
    toc = [(1, "Sammanfattning"), (1, "Ekonomi")]
    toc += [(2, t["title"]) for t in record["tables"]]
    toc += [(2, "Diagram"), (2, "Kommentarer till resultat och prognos")]
    table_of_contents(document, toc)

    document.add_heading("Sammanfattning", level=1)
    for text in record["summary"]:
        document.add_paragraph(text)
    document.add_heading("Ekonomi", level=1)
    for number, table in enumerate(record["tables"], start=1):
        document.add_heading(table["title"], level=2)
        caption(document, "Tabell", number, table["caption"], above=True)
        add_table(document, table, style, _usable_width(document))
    document.add_heading("Diagram", level=2)
    for number, chart in enumerate(record["charts"], start=1):
        add_picture(document, content.chart_file(chart["name"]), chart["alt"], width)
        caption(document, "Figur", number, f"{chart['title']}. {chart['note']}".strip())
    document.add_heading("Kommentarer till resultat och prognos", level=2)
    bullet = _style(document, "List Bullet")
    for text in record.get("comments", []):
        document.add_paragraph(text, style=bullet)
    return document


def write_docx(
    folder: Path,
    mall: Path | None = None,
    tabellstil: str | None = None,
    config: dict | None = None,
) -> Path:
    """Write folder/rapport.docx from a finished report; template and style default to klk.toml."""
    settings = klk_config.word_settings(klk_config.load_config() if config is None else config)
    content = read_content(folder)
    try:
        document = build_document(
            content, mall or settings["mall"], tabellstil or settings["tabellstil"]
        )
    except ValueError as exc:  # python-docx refuses a text Word cannot hold (control characters)
        raise UnusableInputError(f"{folder}: Word-dokumentet kunde inte göras: {exc}.") from None
    target = Path(folder) / WORD_FILE
    with staged_file(target) as temporary:
        document.save(str(temporary))
    return target
