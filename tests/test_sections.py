"""The report's records and their one HTML renderer: escaping, ids, the table of contents."""

import pandas as pd

from klk_analysis.sections import (
    Block,
    Bullets,
    Heading,
    Paragraph,
    Table,
    contents_html,
    document_html,
    part_html,
    section,
    section_html,
    unique_ids,
)
from klk_analysis.tables import Link, Marked, Strong


def test_every_text_is_escaped_where_it_becomes_html():
    html = part_html(Paragraph(("A < B & ", Strong("<fet>", "error"), " ", Link("x", "#a&b"))))
    assert html == (
        '<p>A &lt; B &amp; <strong class="error">&lt;fet&gt;</strong> <a href="#a&amp;b">x</a></p>'
    )
    heading = section_html(section("Mål & <medel>", 2))
    assert heading == '<h2 id="mal-medel">Mål &amp; &lt;medel&gt;</h2>'


def test_a_symbol_is_shown_with_its_words_and_hidden_from_screen_readers():
    html = part_html(Paragraph((Marked("Uppnår", "●", "bedomning-uppnar"),)))
    assert html == (
        '<p><span class="symbol bedomning-uppnar" aria-hidden="true">●</span> '
        '<span class="symbol-text">Uppnår</span></p>'
    )
    assert part_html(Paragraph((Marked("ej angiven", css="ej-angiven"),))) == (
        '<p><span class="ej-angiven">ej angiven</span></p>'
    )


def test_lists_blocks_and_inner_headings():
    block = Block((Heading(3, "Grupp"), Bullets((("ett",), ("två",)), "lista")), "ram", "section")
    assert part_html(block) == (
        '<section class="ram"><h3>Grupp</h3>\n<ul class="lista"><li>ett</li><li>två</li></ul>'
        "</section>"
    )


def test_a_small_table_without_caption_row_headers_or_scroll_area():
    frame = pd.DataFrame({"Status": [Marked("Klart", "✔", "status-klart")], "Antal": ["3"]})
    html = part_html(Table(frame, "", {"css": "org", "row_header": False, "scroll": False}))
    assert "<caption>" not in html and "tabellram" not in html and '<th scope="row"' not in html
    assert '<td><span class="symbol status-klart" aria-hidden="true">✔</span>' in html
    assert "<td>3</td>" in html


def test_ids_are_made_unique_and_the_contents_go_two_levels_deep():
    sections = unique_ids(
        [
            section("Ekonomi", 2),
            section("Ekonomi", 3),
            section("Resultaträkning", 4),
            section("Intern styrning", 2),
        ]
    )
    ids = ["ekonomi", "ekonomi-2", "resultatrakning", "intern-styrning"]
    assert [s.id for s in sections] == ids
    assert contents_html(sections) == (
        '<nav class="innehall" aria-labelledby="innehall-rubrik"><h2 id="innehall-rubrik">'
        'Innehåll</h2><ol><li><a href="#ekonomi">Ekonomi</a><ol><li><a href="#ekonomi-2">'
        'Ekonomi</a></li></ol></li><li><a href="#intern-styrning">Intern styrning</a></li></ol>'
        "</nav>"
    )
    document = document_html(section("Rapport", 1), sections)
    assert document.startswith('<h1 id="rapport">Rapport</h1>\n<nav class="innehall"')
    assert document.endswith('<h2 id="intern-styrning">Intern styrning</h2>')
