"""The organisation part as sections: structure, symbols with words, escaping, links."""

import re
from html.parser import HTMLParser

import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.organisation import load_organisation
from klk_analysis.organisation_sections import (
    completion_cell,
    legend_parts,
    report_sections,
    text_parts,
)
from klk_analysis.periods import Period
from klk_analysis.sections import (
    anchor,
    contents_html,
    paragraphs,
    parts_html,
    section,
    section_html,
    sections_html,
)
from klk_analysis.tables import inline_html
from tests.workbooks import SHIPPED, make_workbook, source_workbook

VOID = {"br", "hr", "img", "meta", "link", "input"}


class _Checker(HTMLParser):
    """Collects tags, ids, links and text, and fails on tags that do not nest."""

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.links, self.headings, self.text = [], [], [], [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "th":
            assert attrs.get("scope") in ("col", "row"), "th without scope"
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, ""]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if self._heading and tag == self._heading[0]:
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self._heading[1] += data


def _check(html: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    return checker


ECONOMY = [section("Ekonomidelen", 4, paragraphs(["EKONOMIDELEN"]))]


def _bodies(sections) -> dict[str, str]:
    return {s.heading: section_html(s) for s in sections}


@pytest.fixture(scope="module")
def report():
    workbook, org = load_workbook(SHIPPED), load_organisation(SHIPPED)
    sections = report_sections(org, workbook.board, workbook.period, economy=ECONOMY)
    html = contents_html(sections) + sections_html(sections)
    return sections, html, _check(html)


def test_headings_in_the_source_documents_order(report):
    sections = report[0]
    assert [(s.level, s.heading) for s in sections if s.level <= 3] == [
        (2, "Sammanfattning"),
        (2, "Väsentliga händelser"),
        (2, "Sammanställning processområden"),
        (3, "Uppföljning fyraåriga processmål"),
        (3, "Status åtaganden"),
        (3, "Förklaring symboler"),
        (2, "Hållbar utveckling"),
        (3, "Näringsliv och arbete"),
        (3, "Utbildning"),
        (3, "Berikande kultur och fritid"),
        (3, "Samhällsskydd och beredskap"),
        (3, "Hållbar samhällsbyggnad"),
        (3, "Demokrati"),
        (2, "Effektiv organisation"),
        (3, "Processkvalitet"),
        (3, "Medarbetare"),
        (3, "Ekonomi"),
        (2, "Intern styrning och kontroll"),
    ]
    # Under an area: the economy part (under Ekonomi only), then the area's commitments.
    headings = [s.heading for s in sections]
    economy = headings.index("Ekonomidelen")
    assert headings[economy - 1 : economy + 2] == ["Ekonomi", "Ekonomidelen", "1-åriga åtaganden"]
    commitments = [s for s in sections if s.heading == "1-åriga åtaganden"]
    assert len(commitments) == 9 and {s.level for s in commitments} == {4}
    assert commitments[0].id == "ataganden-naringsliv-och-arbete"


def test_table_of_contents_links_every_section(report):
    sections, _html, checker = report
    anchors = [s.id for s in sections]
    assert len(set(anchors)) == len(anchors)
    # The table of contents goes two levels deep, as the document's.
    listed = [s.id for s in sections if s.level <= 3]
    toc_links = checker.links[: len(listed)]
    assert toc_links == ["#" + a for a in listed]
    assert set(anchors) <= set(checker.ids)
    # The overview's area names link to their sections too.
    assert all(link[1:] in checker.ids for link in checker.links)


def test_summary_and_staff_sentences_in_place(report):
    sections = _bodies(report[0])
    staff = (
        "På KLK finns per mars 105 tillsvidareanställda medarbetare varav 68 kvinnor och 37 män. "
        "Sjukfrånvaron uppgår till 1,9% vilket är under målnivån på 3,0%."
    )
    assert staff in sections["Sammanfattning"]
    assert staff in sections["Medarbetare"]
    assert "Kommunstyrelsen avrapporterar 14 åtaganden under 2022." in sections["Status åtaganden"]
    # The economy part comes after the Ekonomi area's text, before its commitment.
    html = report[1]
    assert (
        html.index('id="processomrade-ekonomi"')
        < html.index("EKONOMIDELEN")
        < html.index('id="ataganden-ekonomi"')
    )


def test_overview_lists_nine_areas_with_symbol_and_words(report):
    body = _bodies(report[0])["Sammanställning processområden"]
    rows = re.findall(r'<tr[^>]*><th scope="row"><a href="#[^"]+">([^<]+)</a></th>(.*?)</tr>', body)
    assessed = {name: re.sub(r"<[^>]+>", "", cells) for name, cells in rows}
    assert len(assessed) == 9
    assert assessed["Näringsliv och arbete"] == "● Uppnår resultatmålen↗ Bättre än föregående år"
    assert assessed["Demokrati"] == "◐ Delvis uppnår resultatmålen→ Oförändrad mot föregående år"
    assert sum("Delvis uppnår" in v for v in assessed.values()) == 5
    assert body.count("<caption>") == 2


def test_commitments_show_ej_angiven_where_the_document_lost_the_symbol(report):
    html = report[1]
    assert html.count('<div class="atagande">') == 14
    status_cells = re.findall(r'<table class="org atagande-status">.*?</table>', html, re.S)
    text = [re.sub(r"<[^>]+>", "", t).replace("\n", "") for t in status_cells]
    assert text.count("StatusFärdiggradej angivenej angiven") == 13
    assert "StatusFärdiggrad✔ Klart, avslutatej angiven" in text


def test_legend_explains_every_symbol():
    html = parts_html(legend_parts())
    text = re.sub(r"<[^>]+>", "", html)
    for words in (
        # The document's legend, word for word.
        "Processområdet bedöms ej uppnå resultatmålen.",
        "Processområdet bedöms delvis uppnå resultatmålen.",
        "Processområdet bedöms uppnå resultatmålen.",
        "Klart, avslutat",
        "Försenat",
        "Bättre än föregående år",
        "Oförändrad mot föregående år",
        "Sämre än föregående år",
        "▰▱▱▱▱20%",
        "ej angiven",
    ):
        assert words.casefold() in text.casefold()
    _check(html)


def test_completion_bar_and_text():
    assert re.sub(r"<[^>]+>", "", inline_html(completion_cell(80))) == "▰▰▰▰▱ 80%"
    assert re.sub(r"<[^>]+>", "", inline_html(completion_cell(None))) == "ej angiven"


def test_text_is_escaped_and_bullets_become_lists():
    html = parts_html(text_parts("Första <b>stycket</b> & mer\n\n- ett\n- två"))
    assert html == (
        "<p>Första &lt;b&gt;stycket&lt;/b&gt; &amp; mer</p>\n<ul><li>ett</li><li>två</li></ul>"
    )


def test_anchor():
    assert anchor("Sammanställning processområden") == "sammanstallning-processomraden"
    assert anchor("Väsentliga händelser") == "vasentliga-handelser"


def test_workbook_without_organisation_sheets_gives_only_the_economy(tmp_path):
    org = load_organisation(source_workbook(tmp_path / "ekonomi.xlsx"))
    sections = report_sections(org, "Kommunstyrelsen", Period(2022, 3), economy=ECONOMY)
    assert [(s.level, s.heading) for s in sections] == [(2, "Ekonomi"), (4, "Ekonomidelen")]


def test_staff_and_economy_get_own_sections_without_such_areas(tmp_path):
    path = make_workbook(
        tmp_path / "annan.xlsx",
        {
            "Processområden": [
                ["Processområde", "Grupp", "Bedömning", "Trend", "Text"],
                ["Trygg <omsorg>", "Hållbar utveckling", "Uppnår ej", "Sämre", "A & B"],
            ],
            "Medarbetare": [
                ["Enhet", "VOF"],
                ["Kvinnor", 10],
                ["Män", 5],
                ["Sjukfrånvaro", 7],
                ["Målnivå", 6],
            ],
        },
    )
    org = load_organisation(path)
    sections = report_sections(org, "Vård- och omsorgsnämnden", Period(2023, 8), ECONOMY)
    assert [s.heading for s in sections] == [
        "Sammanfattning",
        "Sammanställning processområden",
        "Förklaring symboler",
        "Hållbar utveckling",
        "Trygg <omsorg>",
        "Medarbetare",
        "Ekonomi",
        "Ekonomidelen",
    ]
    html = contents_html(sections) + sections_html(sections)
    checker = _check(html)
    assert "Trygg &lt;omsorg&gt;" in html and "A &amp; B" in html
    assert "○ Uppnår ej resultatmålen" in "".join(checker.text)
    assert "vilket är över målnivån på 6,0%" in html


def test_economy_summary_opens_the_sammanfattning_escaped(report):
    workbook, org = load_workbook(SHIPPED), load_organisation(SHIPPED)
    sections = report_sections(
        org,
        workbook.board,
        workbook.period,
        economy=ECONOMY,
        economy_summary=paragraphs(["Intäkter <budget>."]),
    )
    summary = section_html(sections[0])
    assert summary.startswith('<h2 id="sammanfattning">Sammanfattning</h2>')
    # After the board's own summary texts, before the staff sentence.
    assert "<p>Intäkter &lt;budget&gt;.</p>\n<p>På KLK finns per mars" in summary
    # Apart from the summary, the same sections as without it.
    assert sections_html(sections[1:]) == sections_html(report[0][1:])
