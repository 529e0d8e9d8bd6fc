import re
from pathlib import Path

import pandas as pd
import pytest

from klk_analysis import report
from klk_analysis.errors import UnusableInputError
from klk_analysis.periods import Period
from klk_analysis.sections import (
    Section,
    part_html,
    parts_html,
    section,
    section_html,
    sections_html,
)
from tests.workbooks import DR_ROWS, SHIPPED, kfn_workbook, source_workbook


def _html(content) -> str:
    """A report function's content rendered as the report renders it."""
    if isinstance(content, Section):
        return section_html(content)
    if isinstance(content, tuple):
        return parts_html(content)
    return part_html(content)


def _text(paragraphs) -> str:
    """The paragraphs' words, joined by spaces."""
    return " ".join("".join(str(p) for p in para.pieces) for para in paragraphs)


@pytest.fixture(scope="module")
def data():
    return report.load("2022-03", SHIPPED)


def test_load_reads_and_reconciles(data):
    assert data.board == "Kommunstyrelsen"
    assert str(data.period) == "2022-03"
    assert len(data.findings) == 6


def test_load_resolves_paths_from_the_project_root():
    assert report.load("2022-03", "data/raw/2022-03/KS_delarsrapport_1_2022.xlsx").board


def test_load_refuses_a_workbook_of_another_period():
    with pytest.raises(UnusableInputError, match=r"gäller perioden 2022-03.*begärdes är 2022-04"):
        report.load("2022-04", SHIPPED)


def test_title_names_the_period():
    # The report is named by its period (see test_narrative for every kind).
    assert report.report_title("Kulturnämnden", Period(2022, 8)) == (
        "Kulturnämndens delårsrapport 2, 2022"
    )


def test_resultatrakning_table_as_printed(data):
    text = _html(report.resultatrakning_table(data))
    # The heading above names the table: the caption names it for screen readers only.
    assert '<caption><span class="dold">Resultaträkning. </span>Belopp i mnkr</caption>' in text
    assert '<th scope="col">Konto</th><th scope="col">Utfall Mar 2021</th>' in text
    # Personalkostnader −28,8 −29,1 −32,0 2,9 −118,5 2,9 as in the source document.
    cells = "".join(
        f'<td class="tal" style="text-align: right">{v}</td>'
        for v in ("−28,8", "−29,1", "−32,0", "2,9", "−118,5", "2,9")
    )
    assert f'<tr class="rad"><th scope="row">Personalkostnader</th>{cells}</tr>' in text
    assert '<tr class="summa"><th scope="row">Summa KOSTNADER</th>' in text


def test_driftredovisning_table_escapes_labels(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = "Ledning & <stab>"
    data = report.load("2022-03", source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    text = _html(report.driftredovisning_table(data))
    assert "Ledning &amp; &lt;stab&gt;" in text and "<stab>" not in text
    assert ">−461,5</td>" in text


def test_findings_section_counts_and_lists(data):
    section = _html(report.findings_section(data))
    assert "gav inga fel, inga varningar och sex avrundningsdifferenser" in section
    # Printed on paper too: a table, never inside a closed <details>.
    assert "<details" not in section
    assert (
        '<tr class="rad"><th scope="row">Resultaträkning</th><td>Summa INTÄKTER</td>'
        "<td>Utfall Mar 2022</td>"
        '<td class="tal" style="text-align: right">132,0</td>'
        '<td class="tal" style="text-align: right">132,1</td>'
        '<td class="tal" style="text-align: right">\u22120,1</td></tr>'
    ) in section
    assert "'" not in section.replace("'Summa", "")  # no straight quotes around labels
    assert section.startswith('<section class="avstamning"><p>Avstämningen')


def test_summary_and_comments_are_escaped_paragraphs(data):
    summary = _html(report.summary(data))
    assert summary.startswith("<p>Kommunstyrelsens totala intäkter för 2022 budgeteras till")
    assert summary.count("<p>") == 2
    comments = _html(report.comments(data))
    assert comments.startswith('<ul class="kommentarer"><li>Budgetavvikelsen för perioden')
    assert comments.count("<li>") == 3


@pytest.mark.slow
def test_figures_embed_every_chart(data):
    chart_list = report.economy_charts(data)
    html = _html(report.figures(chart_list))
    assert html.count('<figure class="diagram"><img src="data:image/png;base64,') == 4
    assert "KLK Ledning −0,1" in chart_list[0].alt and "KLK Näringsliv +3,5" in chart_list[0].alt


@pytest.mark.slow
def test_write_outputs_writes_tables_and_figures(data, tmp_path):
    chart_list = report.economy_charts(data)[:1]
    report.write_outputs(data, chart_list, tmp_path)
    png = tmp_path / "figurer" / "budgetavvikelse_per_enhet.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "figurer" / "budgetavvikelse_per_enhet.svg").read_text("utf-8")
    lines = (tmp_path / "tabeller" / "driftredovisning.csv").read_text("utf-8-sig").splitlines()
    assert lines[0] == (
        "Underliggande enheter;Budgetavvikelse Mar 2021;Budgetavvikelse Mar 2022;Budget 2022;"
        "Avvikelse Årsprognos mars"
    )
    assert "Summa Kommunstyrelsen;13,5;13,8;-461,5;3,0" in lines
    assert sorted(p.name for p in (tmp_path / "tabeller").iterdir()) == [
        "driftredovisning.csv",
        "driftredovisning.xlsx",
        "resultatrakning.csv",
        "resultatrakning.xlsx",
    ]
    assert sorted(p.name for p in (tmp_path / "figurer").iterdir()) == [
        "budgetavvikelse_per_enhet.png",
        "budgetavvikelse_per_enhet.svg",
    ]


def test_the_report_has_the_source_documents_sentences_in_its_order(period_run):
    # The source document's sentences, with the unit after "0" that it left out (issue 13).
    text = (period_run.out_dir / "rapport.html").read_text(encoding="utf-8")
    first = (
        "Kommunstyrelsens totala intäkter för 2022 budgeteras till 504,5 miljoner kronor. "
        "Av dessa utgör driftram 461,5 miljoner kronor."
    )
    second = (
        "Utfall för perioden januari – mars uppgår till +12,1 miljoner kronor att jämföra med "
        "budgeterat resultat på helår 0,0 miljoner kronor. Prognos på helår uppgår till "
        "+3,0 miljoner kronor."
    )
    assert first in text and second in text
    # Summary first, then the tables, the charts, the comments (the source's economy section).
    order = [
        text.index(first),
        text.index('<span class="dold">Resultaträkning. </span>'),
        text.index('<span class="dold">Driftredovisning'),
        text.index('<figure class="diagram">'),
        text.index('<ul class="kommentarer">'),
    ]
    assert order == sorted(order)
    out = period_run.out_dir
    assert (out / "tabeller" / "resultatrakning.xlsx").exists()
    assert len(list((out / "figurer").glob("*.svg"))) == 4


def test_another_board_and_period_gets_its_own_title_and_sentences(tmp_path):
    data = report.load("2023-08", kfn_workbook(tmp_path / "kfn.xlsx"))
    assert report.title(data).heading == "Kultur- och fritidsnämndens delårsrapport 2, 2023"
    assert "Ekonomi januari – augusti 2023." in _html(report.title(data))
    # Worked by hand in tests/workbooks.py: revenue budget 273,0, driftram 225,0, result −7,6.
    assert _text(report.summary(data)).startswith(
        "Kultur- och fritidsnämndens totala intäkter för 2023 budgeteras till 273,0 miljoner "
        "kronor. Av dessa utgör driftram 225,0 miljoner kronor. Utfall för perioden januari – "
        "augusti uppgår till \u22127,6 miljoner kronor"
    )


def _economy(data):
    # A stand-in for the economy part (the whole needs a forecast run): its first section.
    return [section("Resultaträkning", 4, report.resultatrakning_table(data))]


def test_organisation_parts_around_the_economy(data):
    org = report.organisation(data)
    html = report.document(data, org, _economy(data)).html
    assert html.startswith(
        '<h1 id="kommunstyrelsens-delarsrapport-1-2022">Kommunstyrelsens delårsrapport 1, 2022'
        '</h1>\n<p class="kalla">Ekonomi januari – mars 2022. Belopp i miljoner kronor (mnkr). '
        "Källa: arbetsboken KS_delarsrapport_1_2022.xlsx.</p>\n<nav"
    )
    toc, body = html.split("</nav>", 1)
    for anchor in ("sammanfattning", "processomrade-ekonomi", "intern-styrning-och-kontroll"):
        assert f'href="#{anchor}"' in toc
    assert body.startswith('\n<h2 id="sammanfattning">Sammanfattning</h2>')
    assert "Sjukfrånvaron uppgår till 1,9% vilket är under målnivån på 3,0%." in body
    # The Ekonomi area's comments and its assessment, the economy part, then its commitment.
    assert (
        "ca 0.</li></ul>\n<p>Processområdet bedöms uppnå resultatmålen.</p>\n"
        '<h4 id="resultatrakning">Resultaträkning</h4>'
    ) in body
    assert (
        body.index('<h4 id="resultatrakning">')
        < body.index('<h4 id="ataganden-ekonomi">1-åriga åtaganden</h4>')
        < body.index("Förbättrad ekonomistyrning")
    )


def test_organisation_parts_of_a_workbook_without_the_sheets(tmp_path):
    path = source_workbook(tmp_path / "ekonomi.xlsx")
    data = report.load("2022-03", path)
    sections = report.sections(data, report.organisation(data), _economy(data))
    # The economy's own summary still opens the report; then the economy, nothing invented.
    assert [(s.level, s.heading) for s in sections] == [
        (2, "Sammanfattning"),
        (2, "Ekonomi"),
        (4, "Resultaträkning"),
    ]
    assert sections_html(sections[:1]).startswith(
        '<h2 id="sammanfattning">Sammanfattning</h2>\n<p>Kommunstyrelsens totala intäkter'
    )


def test_the_reports_text_reads_as_before(period_run):
    # Recorded from rapport.html before the report became a list of sections rendered once
    # (commit 423e27b): every heading, sentence, table cell, caption and text alternative.
    from tests.page_text import visible_text

    golden = Path(__file__).parent / "golden" / "rapport_text.txt"
    text = (period_run.out_dir / "rapport.html").read_text(encoding="utf-8")
    assert visible_text(text) == golden.read_text(encoding="utf-8").splitlines()


def test_the_whole_report_in_the_source_documents_structure(period_run):
    text = (period_run.out_dir / "rapport.html").read_text(encoding="utf-8")
    for sentence in (
        "På KLK finns per mars 105 tillsvidareanställda medarbetare varav 68 kvinnor och 37 män. "
        "Sjukfrånvaron uppgår till 1,9% vilket är under målnivån på 3,0%.",
        "Kommunstyrelsen avrapporterar 14 åtaganden under 2022.",
    ):
        assert sentence in text
    headings = re.findall(r'<h([23]) id="([^"]+)">([^<]+)</h\1>', text)
    titles = [t for _level, _id, t in headings]
    order = [
        "Sammanfattning",
        "Väsentliga händelser",
        "Sammanställning processområden",
        "Effektiv organisation",
        "Medarbetare",
        "Ekonomi",
        "Intern styrning och kontroll",
    ]
    assert [t for t in titles if t in order] == order
    # The table of contents links to every section, and every link has its target.
    toc = text[re.search(r'<nav[^>]*class="innehall"', text).start() : text.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert targets == [i for _level, i, t in headings if i != "innehall-rubrik"]
    # The economy tables sit inside the Ekonomi area, before its commitment.
    assert (
        text.index('id="processomrade-ekonomi"')
        < text.index('<span class="dold">Resultaträkning. </span>')
        < text.index("Förbättrad ekonomistyrning")
    )
    assert text.count('<div class="atagande">') == 14


def test_another_board_with_organisation_sheets_gets_its_own_sentences(tmp_path):
    import openpyxl

    path = kfn_workbook(tmp_path / "kfn.xlsx")
    book = openpyxl.load_workbook(path)
    staff = book.create_sheet("Medarbetare")
    for row in (["Enhet", "KFF"], ["Kvinnor", 212], ["Män", 148], ["Sjukfrånvaro", 6.04]):
        staff.append(row)
    staff.append(["Målnivå sjukfrånvaro", 5.5])
    areas = book.create_sheet("Processområden")
    areas.append(["Processområde", "Grupp", "Bedömning", "Trend"])
    areas.append(["Ekonomi", "Effektiv organisation", "Delvis uppnår", "Sämre"])
    commitments = book.create_sheet("Åtaganden")
    commitments.append(["Processområde", "Åtagande", "Status", "Färdiggrad"])
    commitments.append(["Ekonomi", "Sänka lokalkostnaderna (KFN)", "Försenat", 20])
    book.save(path)
    data = report.load("2023-08", path)
    html = report.document(data, report.organisation(data), _economy(data)).html
    before, after = html.split('<h4 id="resultatrakning">')
    # 212 + 148 = 360; 6,04 is printed 6,0, above 5,5.
    assert (
        "På KFF finns per augusti 360 tillsvidareanställda medarbetare varav 212 kvinnor och "
        "148 män. Sjukfrånvaron uppgår till 6,0% vilket är över målnivån på 5,5%."
    ) in before
    assert "Kultur- och fritidsnämnden avrapporterar 1 åtagande under 2023." in before
    assert "Försenat" in after and "▰▱▱▱▱" in after
    # No Medarbetare area: the staff figures get their own section, before the Ekonomi area.
    assert before.index('<h3 id="medarbetare">Medarbetare</h3>') < before.index(
        '<h3 id="processomrade-ekonomi">Ekonomi</h3>'
    )


@pytest.fixture(scope="module")
def forecast_runs(tmp_path_factory):
    """The shipped March, then the same figures read as a December, through one register."""
    from tests.workbooks import DR_HEADER, RR_HEADER

    base = tmp_path_factory.mktemp("prognos")

    def december(header):
        return [h.replace("Mar", "Dec").replace("mars", "december") for h in header]

    march = report.load("2022-03", SHIPPED)
    march_run = report.forecasts(march, base)
    year_end = source_workbook(
        base / "dec.xlsx", rr_header=december(RR_HEADER), dr_header=december(DR_HEADER)
    )
    dec = report.load("2022-12", year_end)
    return base, march, march_run, dec, report.forecasts(dec, base)


def test_forecast_section_flags_the_shipped_result(forecast_runs):
    base, march, run, _, _ = forecast_runs
    text = _html(report.forecast_text(run))
    assert text.startswith(
        "<p>Årsprognosen för årets resultat, +3,0 miljoner kronor, är 10,8 miljoner kronor "
        "sämre än vad utfallet hittills pekar mot om resterande månader följer budget "
        "(+13,8 miljoner kronor). Det beror främst på"
    )
    # The method and what the workbook lacks come after the figures, for the economist.
    notes = _html(report.forecast_notes(run))
    assert notes.startswith('<p class="om-berakningarna"><strong>Om beräkningarna.</strong> ')
    assert "Historik" in notes and "Historik" not in text
    cells = re.findall(
        r'<th scope="row">Summa ÅRETS RESULTAT</th>(.*?)</tr>',
        _html(report.forecast_tables(run, march)),
    )[0]
    # Utfall 12,1; årsbudget 0; budget method 13,8; run-rate 48,4; no history; årsprognos 3,0.
    assert re.findall(r">([^<]*)</td>", cells) == [
        "12,1",
        "0,0",
        "13,8",
        "48,4",
        "",
        "3,0",
        "Sämre än beräkningarna",
    ]
    assert (base / "prognosregister.parquet").exists()


def test_accuracy_waits_for_december(forecast_runs):
    _, march, run, _, _ = forecast_runs
    assert "redovisas i årsredovisningen" in _html(report.accuracy_section(run, march))
    assert "från en period för Kommunstyrelsen" in _html(report.accuracy_section(run, march))
    assert report.forecast_charts(run, march) == []


def test_accuracy_at_december_from_the_register(forecast_runs, tmp_path):
    _, _, _, dec, run = forecast_runs
    section = _html(report.accuracy_section(run, dec))
    # The result's outcome 12,1 against the March forecast +3,0.
    assert (
        "Prognosen i mars har i genomsnitt underskattat årets resultat med 9,1 miljoner kronor"
        in (section)
    )
    row = re.findall(r"Summa ÅRETS RESULTAT, prognos i mars</th>(.*?)</tr>", section)[0]
    assert re.findall(r">([^<]*)</td>", row) == ["3,0", "12,1", "9,1"]
    (chart,) = report.forecast_charts(run, dec)
    assert "2022, prognos i mars: +9,1 mnkr" in chart.alt
    # The caption says where the figures come from; the title is drawn in the image.
    assert chart.note.startswith("Källa: prognosregistret")
    report.write_outputs(dec, [chart], tmp_path, run)
    assert (tmp_path / "tabeller" / "prognos.xlsx").exists()
    assert (tmp_path / "tabeller" / "resultatrakning.xlsx").exists()
    assert (tmp_path / "figurer" / "prognossakerhet.png").exists()


def test_the_run_reports_the_forecast_and_updates_the_register(period_run):
    text = (period_run.out_dir / "rapport.html").read_text(encoding="utf-8")
    assert "sämre än vad utfallet hittills pekar mot om resterande månader följer budget" in text
    assert "Om beräkningarna." in text
    assert (period_run.out_dir / "tabeller" / "prognos.xlsx").exists()
    assert (period_run.out_dir.parents[1] / "processed" / "prognosregister.parquet").exists()


def test_forecast_text_of_a_workbook_without_forecasts_says_so():
    from types import SimpleNamespace

    import numpy as np

    # A year-end workbook, or an export without an Årsprognos column: no forecast to judge.
    run = SimpleNamespace(projections=pd.DataFrame({"arsprognos": [np.nan]}), sentences=[])
    assert _text(report.forecast_text(run)) == (
        "Arbetsboken har ingen årsprognos; tabellerna visar beräkningarna av helåret."
    )
    within = SimpleNamespace(projections=pd.DataFrame({"arsprognos": [1.0]}), sentences=[])
    assert "inom beräkningarna" in _text(report.forecast_text(within))


def test_notes_from_reading_are_notes_not_rounding(tmp_path):
    # Blank amount cells read as zero: listed as a note with the file's name, not counted as
    # a rounding difference.
    from klk_analysis import report
    from tests.workbooks import RR_ROWS as ROWS
    from tests.workbooks import source_workbook

    rows = [list(r) for r in ROWS]
    rows[1][4] = None  # Övriga intäkter, Budgetavvikelse Mar 2022 (5,9 printed)
    path = source_workbook(tmp_path / "tom.xlsx", rr_rows=rows)
    data = report.load("2022-03", str(path))
    text = _html(report.findings_section(data))
    assert '<strong class="info">Notering:</strong> tom.xlsx, blad &#x27;Resultaträkning' in text
    assert str(tmp_path) not in text
