"""Make the plain Word template the suite ships: src/klk_analysis/templates/word/rapportmall.docx.

A municipality uses its own template instead (`klk word --mall`, or [word] mall in klk.toml);
this one only gives a tidy A4 document: Swedish language, calm headings, a table style
"KLK Tabell" and the page number in the footer. Run it again after changing it:

    .venv/bin/python scripts/make_word_template.py
"""

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parents[1] / "src/klk_analysis/templates/word/rapportmall.docx"
DARK = RGBColor(0x1A, 0x1A, 0x1A)
BLUE = RGBColor(0x00, 0x4B, 0x87)


def _swedish(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), "sv-SE")


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 2  # right
    paragraph.add_run("Sida ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def main() -> None:
    """Write the template."""
    document = docx.Document()
    _swedish(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    _page_number_footer(section)

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = "Arial", Pt(10.5), DARK
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("TOC Heading", 13)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = "Arial", Pt(size), True
        style.font.color.rgb = BLUE if name != "Title" else DARK
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
    styles["Caption"].font.size, styles["Caption"].font.italic = Pt(9), True
    styles["Caption"].font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    styles["Caption"].font.bold = False

    table = styles.add_style("KLK Tabell", WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    table.font.name, table.font.size = "Arial", Pt(9)
    table.paragraph_format.space_after = Pt(0)

    properties = document.core_properties
    properties.author = properties.last_modified_by = ""
    properties.title = properties.subject = properties.comments = properties.keywords = ""
    properties.language = "sv-SE"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(TARGET))
    print(TARGET)


if __name__ == "__main__":
    main()
