import base64
import itertools
import struct
from html.parser import HTMLParser

import pytest
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure

from klk_analysis import charts
from klk_analysis.charts import (
    BLUE,
    GREY,
    NEGATIVE_HATCH,
    ORANGE,
    SKY,
    SwedishFormatter,
    bridge_steps,
    change_on_last_year,
    economy_charts,
    figure_html,
    result_bridge,
    unit_budget_deviation,
    unit_forecast_deviation,
    write_charts,
)
from klk_analysis.errors import UnusableInputError
from klk_analysis.loading import load_workbook
from tests.workbooks import (
    DR_ROWS,
    RR_HEADER,
    RR_ROWS,
    SHIPPED,
    kfn_workbook,
    package_text,
    source_document_words,
    source_workbook,
)

M = "\u2212"


@pytest.fixture(scope="module")
def shipped():
    return load_workbook(SHIPPED)


@pytest.fixture(scope="module")
def kfn(tmp_path_factory):
    return load_workbook(kfn_workbook(tmp_path_factory.mktemp("kfn") / "kfn.xlsx"))


@pytest.fixture(scope="module")
def shipped_charts(shipped):
    return economy_charts(shipped)


def _drawn_texts(figure: Figure) -> list[str]:
    figure.canvas.draw()  # tick labels are made when drawn
    ax = figure.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return ticks + [t.get_text() for t in ax.texts]


def test_swedish_tick_labels():
    formatter = SwedishFormatter()
    assert formatter.format_ticks([-2.5, 0.0, 2.5, 1234.5]) == [
        f"{M}2,5",
        "0,0",
        "2,5",
        "1\u00a0234,5",
    ]
    assert formatter.format_ticks([-100.0, 0.0, 50.0]) == [f"{M}100", "0", "50"]


def test_charts_in_report_order_with_file_names(shipped_charts):
    assert [c.name for c in shipped_charts] == [
        "budgetavvikelse_per_enhet",
        "resultatbrygga",
        "jamforelse_foregaende_ar",
        "prognosavvikelse_per_enhet",
    ]
    # Every bar's length, bottom to top, from the source document's columns (worked by hand):
    lengths = {
        c.name: [round(float(bar.get_width()), 1) for bar in c.figure.axes[0].patches]
        for c in shipped_charts
    }
    # Budgetavvikelse Mar 2022 per unit, sorted: −0,1 (Ledning) … 3,5 (Näringsliv).
    assert lengths["budgetavvikelse_per_enhet"] == [-0.1, 0.4, 1.6, 1.6, 2.0, 2.0, 2.7, 3.5]
    # Budgeted result −1,6; steps 0,0 + 5,9 + 2,9 − 0,1 + 5,1 = 13,8 give 12,2, so a rounding
    # step of −0,1 reaches the printed 12,1.
    assert lengths["resultatbrygga"] == [-1.6, 0.0, 5.9, 2.9, -0.1, 5.1, -0.1, 12.1]
    # Utfall Mar 2021, then Mar 2022: result, övriga kostnader, lokal, personal, intäkter.
    assert lengths["jamforelse_foregaende_ar"] == [
        *(12.5, -73.2, -1.4, -28.8, 14.9, 101.0),
        *(12.1, -89.2, -1.6, -29.1, 16.7, 115.4),
    ]
    # Avvikelse Årsprognos mars: five units at 0,0, then HR 0,3, Ekonomi 1,0, Näringsliv 1,7.
    assert lengths["prognosavvikelse_per_enhet"] == [0.0] * 5 + [0.3, 1.0, 1.7]


def test_the_module_never_uses_pyplot_state():
    assert "pyplot" not in package_text("charts.py")


def test_budget_deviation_per_unit(shipped):
    chart = unit_budget_deviation(shipped)
    assert chart.title == "Budgetavvikelse per enhet, januari – mars 2022 (mnkr)"
    ax = chart.figure.axes[0]
    # Sorted from the top: the source document's column "Budgetavvikelse Mar 2022", highest first.
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()][::-1]
    assert names == [
        "KLK Näringsliv",
        "KLK Kommunikation, IT och digitalisering",
        "KLK Social hållbarhet",
        "KLK Miljö och samhällsbyggnad",
        "KLK Ekonomi och kvalitet",
        "KLK HR",
        "KS/semesterlöneskuld, ej konterade fakturor mm",
        "KLK Ledning",
    ]
    bars = ax.patches
    negative = [b for b in bars if b.get_width() < 0]
    assert len(negative) == 1 and negative[0].get_width() == pytest.approx(-0.1)
    assert to_hex(negative[0].get_facecolor()) == ORANGE.lower()
    assert negative[0].get_hatch() == NEGATIVE_HATCH
    positive = [b for b in bars if b.get_width() > 0]
    assert {to_hex(b.get_facecolor()) for b in positive} == {BLUE.lower()}
    assert not any(b.get_hatch() for b in positive)
    texts = _drawn_texts(chart.figure)
    assert {"+3,5", "+2,7", "+0,4", f"{M}0,1"} <= set(texts)
    assert not any("-" in t and t[0] == "-" for t in texts)  # no ASCII minus


def test_budget_deviation_text_alternative(shipped):
    assert unit_budget_deviation(shipped).alt == (
        "Budgetavvikelse per enhet, januari – mars 2022 (mnkr). Liggande stapeldiagram med en "
        "stapel per enhet, från högsta till lägsta värde, i miljoner kronor: KLK Näringsliv "
        "+3,5; KLK Kommunikation, IT och digitalisering +2,7; KLK Social hållbarhet +2,0; "
        "KLK Miljö och samhällsbyggnad +2,0; KLK Ekonomi och kvalitet +1,6; KLK HR +1,6; "
        "KS/semesterlöneskuld, ej konterade fakturor mm +0,4; KLK Ledning −0,1. Positiva värden "
        "är bättre än budget, negativa sämre än budget. Summa för Kommunstyrelsen: +13,8 "
        "miljoner kronor."
    )


def test_bridge_from_budgeted_to_actual_result(shipped):
    steps = bridge_steps(shipped)
    # From the printed table: budgeted result −1,6; the lines' budget deviations; the result
    # 12,1. 12,1 − (−1,6) = 13,7 but the rounded lines add up to 13,8: a −0,1 rounding step.
    assert steps["label"].tolist() == [
        "Budgeterat resultat",
        "Kommunersättning",
        "Övriga intäkter",
        "Personalkostnader",
        "Lokalkostnader",
        "Övriga kostnader",
        "Avrundning",
        "Resultat, utfall",
    ]
    assert steps["amount"].round(1).tolist() == [-1.6, 0.0, 5.9, 2.9, -0.1, 5.1, -0.1, 12.1]
    assert steps["level"].round(1).tolist() == [-1.6, -1.6, 4.3, 7.2, 7.1, 12.2, 12.1, 12.1]
    chart = result_bridge(shipped)
    assert chart.alt == (
        "Från budgeterat till verkligt resultat, januari – mars 2022 (mnkr). Vattenfallsdiagram "
        "från budgeterat resultat −1,6 miljoner kronor till utfall +12,1 miljoner kronor. "
        "Budgetavvikelse per rad, i miljoner kronor: Kommunersättning 0,0; Övriga intäkter +5,9; "
        "Personalkostnader +2,9; Lokalkostnader −0,1; Övriga kostnader +5,1; Avrundning −0,1."
    )
    colours = [to_hex(b.get_facecolor()) for b in chart.figure.axes[0].patches]
    assert colours[0] == colours[-1] == GREY.lower()


def test_bridge_of_a_negative_result_without_rounding_gap(kfn):
    steps = bridge_steps(kfn)
    # −1,0 + 0,0 − 3,6 − 3,3 − 0,6 + 0,9 = −7,6, the printed result: no rounding step.
    assert steps["amount"].round(1).tolist() == [-1.0, 0.0, -3.6, -3.3, -0.6, 0.9, -7.6]
    assert "Avrundning" not in steps["label"].tolist()
    texts = _drawn_texts(result_bridge(kfn).figure)
    assert {f"{M}3,6", f"{M}7,6", "+0,9"} <= set(texts)


def test_this_period_against_last_year(shipped):
    chart = change_on_last_year(shipped)
    assert chart.title == "Utfall januari – mars 2022 jämfört med samma period 2021 (mnkr)"
    assert chart.alt.endswith(
        "i miljoner kronor: Kommunersättning +101,0 och +115,4; Övriga intäkter +14,9 och "
        "+16,7; Personalkostnader −28,8 och −29,1; Lokalkostnader −1,4 och −1,6; Övriga "
        "kostnader −73,2 och −89,2; Summa ÅRETS RESULTAT +12,5 och +12,1."
    )
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend == ["Januari – mars 2021", "Januari – mars 2022"]
    hatches = {b.get_hatch() or "" for b in chart.figure.axes[0].patches}
    assert hatches == {"..", ""}  # last year's bars are told apart by a pattern too


def test_no_comparison_without_last_years_figures(tmp_path):
    header = [h for h in RR_HEADER if h != "Utfall Mar 2021"]
    rows = [[r[0], *r[2:]] for r in RR_ROWS]
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=rows, rr_header=header))
    assert change_on_last_year(book) is None
    assert [c.name for c in economy_charts(book)] == [
        "budgetavvikelse_per_enhet",
        "resultatbrygga",
        "prognosavvikelse_per_enhet",
    ]


def test_forecast_deviation_per_unit_for_another_board(kfn):
    chart = unit_forecast_deviation(kfn)
    assert chart.alt == (
        "Prognosavvikelse per enhet, helår 2023, prognos i augusti (mnkr). Liggande "
        "stapeldiagram med en stapel per enhet, från högsta till lägsta värde, i miljoner "
        "kronor: Bibliotek +0,5; Nämnd och förvaltning 0,0; Kulturskolan −1,5; Fritidsgårdar "
        "−2,0; Idrottsanläggningar −3,0. Positiva värden är bättre än årsbudget, negativa "
        "sämre än årsbudget. Summa för Kultur- och fritidsnämnden: −6,0 miljoner kronor."
    )
    hatched = [b for b in chart.figure.axes[0].patches if b.get_hatch() == NEGATIVE_HATCH]
    assert sorted(round(b.get_width(), 1) for b in hatched) == [-3.0, -2.0, -1.5]


def _grey(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_colours_stay_apart_in_grey():
    levels = sorted(_grey(c) for c in (BLUE, ORANGE, GREY))
    assert min(b - a for a, b in itertools.pairwise(levels)) > 0.15
    assert abs(_grey(SKY) - _grey(BLUE)) > 0.15


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
def test_write_charts_as_png_at_200_dpi_and_svg(shipped_charts, tmp_path):
    (tmp_path / "figurer").mkdir()
    (tmp_path / "figurer" / "gammal.png").write_bytes(b"x")
    written = write_charts(shipped_charts, tmp_path)
    assert sorted(p.name for p in (tmp_path / "figurer").iterdir()) == sorted(
        p.name for p in written
    )
    assert len(written) == 8
    for chart in shipped_charts:
        png = (tmp_path / "figurer" / f"{chart.name}.png").read_bytes()
        width, height = chart.figure.get_size_inches()
        assert _png_size(png) == (round(width * 200), round(height * 200))
        svg = (tmp_path / "figurer" / f"{chart.name}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg
    assert [p.name for p in tmp_path.iterdir()] == ["figurer"]


class _Figure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.caption, self._in = [], "", False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag == "figcaption"

    def handle_data(self, data):
        if self._in:
            self.caption += data


def test_figure_html_embeds_the_png_with_text_alternative_and_caption(tmp_path):
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = 'Enhet "A" <script>alert(1)</script>'
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=rows))
    chart = unit_budget_deviation(book)
    fragment = figure_html(chart)
    assert "<script>" not in fragment
    parsed = _Figure()
    parsed.feed(fragment)
    assert [t for t, _ in parsed.tags] == ["figure", "img", "figcaption"]
    img = parsed.tags[1][1]
    assert img["src"].startswith("data:image/png;base64,")
    assert img["alt"] == chart.alt
    assert 'Enhet "A" <script>alert(1)</script> −0,1' in img["alt"]
    # The title is drawn in the image and opens the alt text: the caption says where it is from.
    assert parsed.caption == chart.note
    assert chart.title not in parsed.caption


def test_charts_say_where_their_figures_come_from(shipped_charts):
    notes = {c.name: c.note for c in shipped_charts}
    assert notes == {
        "budgetavvikelse_per_enhet": "Källa: driftredovisningen, kolumnen "
        "\u201dBudgetavvikelse Mar 2022\u201d.",
        "resultatbrygga": "Källa: resultaträkningen, kolumnerna \u201dBudget Mar 2022\u201d, "
        "\u201dUtfall Mar 2022\u201d och \u201dBudgetavvikelse Mar 2022\u201d.",
        "jamforelse_foregaende_ar": "Källa: resultaträkningen, kolumnerna "
        "\u201dUtfall Mar 2021\u201d och \u201dUtfall Mar 2022\u201d; utan summaraderna.",
        "prognosavvikelse_per_enhet": "Källa: driftredovisningen, kolumnen "
        "\u201dAvvikelse Årsprognos mars\u201d.",
    }


def test_a_chart_without_a_note_hides_its_repeated_title_from_sight(shipped):
    chart = charts.Chart("x", "Titel", unit_budget_deviation(shipped).figure, "Titel. Text.")
    assert '<figcaption><span class="dold">Titel</span></figcaption>' in figure_html(chart)


def test_alt_text_amounts_read_as_the_bar_labels(shipped):
    # Kommunersättning's budget deviation is 0: the bar says 0,0 and so must the alt text.
    chart = result_bridge(shipped)
    assert "0,0" in _drawn_texts(chart.figure)
    assert "Kommunersättning 0,0;" in chart.alt


def test_each_chart_is_laid_out_once_and_the_report_embeds_the_written_png(
    shipped, tmp_path, monkeypatch
):
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    calls = []
    execute = ConstrainedLayoutEngine.execute

    def counting(self, figure):
        calls.append(figure)
        return execute(self, figure)

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counting)
    chart = unit_budget_deviation(shipped)
    fragment = figure_html(chart)
    (png, svg) = charts.save_chart(chart, tmp_path)
    assert len(calls) == 1  # not again for the 200-dpi file and the SVG
    embedded = fragment.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(embedded) == png.read_bytes()
    assert "<svg" in svg.read_text(encoding="utf-8")


def test_no_figure_or_name_of_the_source_document_in_the_module():
    text = package_text("charts.py")
    assert [w for w in source_document_words() if w in text] == []


def test_charts_module_has_no_state_between_calls(shipped):
    first = unit_budget_deviation(shipped).figure
    second = unit_budget_deviation(shipped).figure
    assert first is not second
    assert charts.DPI == 200


def test_a_chart_shows_itself_in_a_notebook_as_the_report_figure(shipped_charts):
    chart = shipped_charts[0]
    assert chart._repr_html_().startswith('<figure class="diagram"><img src="data:image/png')
    assert repr(chart) == chart.title


def test_a_resultatrakning_without_a_result_row_is_refused_with_the_place(tmp_path):
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=RR_ROWS[:-1]))
    with pytest.raises(UnusableInputError, match=r"blad 'Resultaträkning': ingen resultatrad"):
        result_bridge(book)


def test_a_driftredovisning_with_only_its_total_still_draws(tmp_path):
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=DR_ROWS[-1:]))
    chart = unit_budget_deviation(book)
    assert len(chart.figure.axes[0].patches) == 0
    assert "men tabellen har inga enheter. Positiva värden" in chart.alt
