import pytest

from klk_analysis import report
from klk_analysis.errors import UnusableInputError
from klk_analysis.periods import Period
from tests.workbooks import DR_ROWS, SHIPPED, source_workbook


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


def test_period_text_and_title():
    assert report.period_text(Period(2022, 3)) == "januari\u2013mars 2022"
    assert report.period_text(Period(2023, 1)) == "januari 2023"
    assert report.report_title("Kulturnämnden", Period(2022, 8)) == (
        "Kulturnämnden: ekonomisk redovisning januari\u2013augusti 2022"
    )


def test_resultatrakning_table_as_printed(data):
    text = report.resultatrakning_table(data).html
    assert "<caption>Resultaträkning januari–mars 2022, mnkr</caption>" in text
    assert '<th scope="col">Konto</th><th scope="col">Utfall Mar 2021</th>' in text
    # Personalkostnader −28,8 −29,1 −32,0 2,9 −118,5 2,9 as in the source document.
    assert (
        '<tr class="rad"><th scope="row">Personalkostnader</th><td>−28,8</td><td>−29,1</td>'
        "<td>−32,0</td><td>2,9</td><td>−118,5</td><td>2,9</td></tr>"
    ) in text
    assert '<tr class="summa"><th scope="row">Summa KOSTNADER</th>' in text


def test_driftredovisning_table_escapes_labels(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = "Ledning & <stab>"
    data = report.load("2022-03", source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    text = report.driftredovisning_table(data).html
    assert "Ledning &amp; &lt;stab&gt;" in text and "<stab>" not in text
    assert "<td>−461,5</td>" in text


def test_findings_section_counts_and_lists(data):
    section = report.findings_section(data)
    assert "gav 0 fel, 0 varningar och 6 avrundningsdifferenser" in section.html
    assert "tryckt 132,0, raderna summerar till 132,1" in section.html
    assert repr(section).startswith("Avstämningen")


def test_deviation_chart_is_an_embedded_figure_with_swedish_alt(data):
    chart = report.deviation_chart(data)
    assert chart.png[:4] == b"\x89PNG"
    assert "KLK Ledning −0,1" in chart.alt and "KLK Näringsliv +3,5" in chart.alt
    html = chart._repr_html_()
    assert html.startswith('<figure class="diagram"><img src="data:image/png;base64,')
    assert "<figcaption>Budgetavvikelse per enhet januari–mars 2022, mnkr</figcaption>" in html


def test_write_outputs_writes_tables_and_figures(data, tmp_path):
    chart = report.Chart("diagram", b"\x89PNG", "alt", "caption")
    assert report.write_outputs(data, [chart], tmp_path) is None
    lines = (tmp_path / "tabeller" / "driftredovisning.csv").read_text("utf-8-sig").splitlines()
    assert lines[0] == (
        "Underliggande enheter;Budgetavvikelse Mar 2021;Budgetavvikelse Mar 2022;Budget 2022;"
        "Avvikelse Årsprognos mars"
    )
    assert "Summa Kommunstyrelsen;13,5;13,8;-461,5;3,0" in lines
    assert (tmp_path / "figurer" / "diagram.png").read_bytes() == b"\x89PNG"
