"""HTML fragments of the organisation part: structure, symbols with words, escaping, links."""

import re
from html.parser import HTMLParser

import pytest

from klk_analysis.loading import load_workbook
from klk_analysis.organisation import load_organisation
from klk_analysis.organisation_html import (
    ECONOMY_SLOT,
    anchor,
    completion_html,
    legend_html,
    paragraphs_html,
    report_sections,
    sections_html,
    split_at_economy,
    table_of_contents_html,
    text_html,
)
from klk_analysis.periods import Period
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


@pytest.fixture(scope="module")
def report():
    workbook, org = load_workbook(SHIPPED), load_organisation(SHIPPED)
    sections = report_sections(
        org, workbook.board, workbook.period, economy_html="<p>EKONOMIDELEN</p>"
    )
    html = table_of_contents_html(sections) + sections_html(sections)
    return sections, html, _check(html)


def test_headings_in_the_source_documents_order(report):
    sections = report[0]
    assert [(s.level, s.title) for s in sections] == [
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


def test_table_of_contents_links_every_section(report):
    sections, _html, checker = report
    anchors = [s.anchor for s in sections]
    assert len(set(anchors)) == len(anchors)
    toc_links = checker.links[: len(sections)]
    assert toc_links == ["#" + a for a in anchors]
    assert set(anchors) <= set(checker.ids)
    # The overview's area names link to their sections too.
    assert all(link[1:] in checker.ids for link in checker.links)


def test_summary_and_staff_sentences_in_place(report):
    sections = {s.title: s.body for s in report[0]}
    staff = (
        "På KLK finns per mars 105 tillsvidareanställda medarbetare varav 68 kvinnor och 37 män. "
        "Sjukfrånvaron uppgår till 1,9% vilket är under målnivån på 3,0%."
    )
    assert staff in sections["Sammanfattning"]
    assert staff in sections["Medarbetare"]
    assert "Kommunstyrelsen avrapporterar 14 åtaganden under 2022." in sections["Status åtaganden"]
    assert "EKONOMIDELEN" in sections["Ekonomi"]
    # The economy part comes before the area's commitment, as in the document.
    assert sections["Ekonomi"].index("EKONOMIDELEN") < sections["Ekonomi"].index("1-åriga")


def test_overview_lists_nine_areas_with_symbol_and_words(report):
    body = {s.title: s.body for s in report[0]}["Sammanställning processområden"]
    rows = re.findall(r'<tr><th scope="row"><a href="#[^"]+">([^<]+)</a></th>(.*?)</tr>', body)
    assessed = {name: re.sub(r"<[^>]+>", "", cells) for name, cells in rows}
    assert len(assessed) == 9
    assert assessed["Näringsliv och arbete"] == "● Uppnår resultatmålen↗ Bättre än föregående år"
    assert assessed["Demokrati"] == "◐ Delvis uppnår resultatmålen→ Oförändrad mot föregående år"
    assert sum("Delvis uppnår" in v for v in assessed.values()) == 5
    assert body.count("<caption>") == 2


def test_commitments_show_ej_angiven_where_the_document_lost_the_symbol(report):
    bodies = [s.body for s in report[0] if s.level == 3]
    commitments = "".join(bodies).count('<div class="atagande">')
    assert commitments == 14
    status_cells = re.findall(r'<table class="org atagande-status">.*?</table>', "".join(bodies))
    text = [re.sub(r"<[^>]+>", "", t) for t in status_cells]
    assert text.count("StatusFärdiggradej angivenej angiven") == 13
    assert "StatusFärdiggrad✔ Klart, avslutatej angiven" in text


def test_legend_explains_every_symbol():
    text = re.sub(r"<[^>]+>", "", legend_html())
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
    _check(legend_html())


def test_completion_bar_and_text():
    assert re.sub(r"<[^>]+>", "", completion_html(80)) == "▰▰▰▰▱ 80%"
    assert re.sub(r"<[^>]+>", "", completion_html(None)) == "ej angiven"


def test_text_is_escaped_and_bullets_become_lists():
    html = text_html("Första <b>stycket</b> & mer\n\n- ett\n- två")
    assert html == (
        "<p>Första &lt;b&gt;stycket&lt;/b&gt; &amp; mer</p>\n<ul><li>ett</li><li>två</li></ul>"
    )


def test_anchor():
    assert anchor("Sammanställning processområden") == "sammanstallning-processomraden"
    assert anchor("Väsentliga händelser") == "vasentliga-handelser"


def test_workbook_without_organisation_sheets_gives_only_the_economy(tmp_path):
    org = load_organisation(source_workbook(tmp_path / "ekonomi.xlsx"))
    sections = report_sections(org, "Kommunstyrelsen", Period(2022, 3), economy_html="<p>E</p>")
    assert [(s.level, s.title) for s in sections] == [(2, "Ekonomi")]


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
    sections = report_sections(org, "Vård- och omsorgsnämnden", Period(2023, 8), "<p>E</p>")
    assert [s.title for s in sections] == [
        "Sammanfattning",
        "Sammanställning processområden",
        "Förklaring symboler",
        "Hållbar utveckling",
        "Trygg <omsorg>",
        "Medarbetare",
        "Ekonomi",
    ]
    html = table_of_contents_html(sections) + sections_html(sections)
    checker = _check(html)
    assert "Trygg &lt;omsorg&gt;" in html and "A &amp; B" in html
    assert "○ Uppnår ej resultatmålen" in "".join(checker.text)
    assert "vilket är över målnivån på 6,0%" in html


def test_split_at_economy_keeps_the_economy_inside_the_ekonomi_area(report):
    workbook, org = load_workbook(SHIPPED), load_organisation(SHIPPED)
    sections = report_sections(
        org,
        workbook.board,
        workbook.period,
        economy_html=ECONOMY_SLOT,
        economy_summary_html=paragraphs_html(["Intäkter <budget>."]),
    )
    before, after = split_at_economy(sections)
    assert before.rstrip().endswith("Processområdet bedöms uppnå resultatmålen.</p>")
    assert '<h3 id="processomrade-ekonomi">Ekonomi</h3>' in before
    assert after.lstrip().startswith("<h4>1-åriga åtaganden</h4>")
    assert '<h2 id="intern-styrning-och-kontroll">' in after
    assert "<p>Intäkter &lt;budget&gt;.</p>" in before
    # Together they are the whole report with the economy where the slot was.
    before = before.replace("<p>Intäkter &lt;budget&gt;.</p>\n", "")
    assert before + "<p>EKONOMIDELEN</p>" + after == report[1].split("</nav>", 1)[1]
