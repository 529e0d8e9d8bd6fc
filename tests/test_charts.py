import base64
import itertools
import struct
from html.parser import HTMLParser

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
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


@pytest.mark.slow
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
        # 12,1 − (−1,6) = 13,7 against the lines' 13,8: the rounding step is explained.
        "resultatbrygga": "Källa: resultaträkningen, kolumnerna \u201dBudget Mar 2022\u201d, "
        "\u201dUtfall Mar 2022\u201d och \u201dBudgetavvikelse Mar 2022\u201d. Stapeln "
        "avrundning (\u22120,1 mnkr) är skillnaden mellan resultatet och summan av radernas "
        "avvikelser som de är tryckta: beloppen är beräknade före avrundning.",
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


@pytest.mark.slow
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
    # The check refuses it, so the bridge never meets it (one contract for check and run).
    with pytest.raises(UnusableInputError, match=r"'Resultaträkning': .*saknar en resultatrad"):
        load_workbook(source_workbook(tmp_path / "a.xlsx", rr_rows=RR_ROWS[:-1]))


def test_a_driftredovisning_with_only_its_total_still_draws(tmp_path):
    book = load_workbook(source_workbook(tmp_path / "a.xlsx", dr_rows=DR_ROWS[-1:]))
    chart = unit_budget_deviation(book)
    assert len(chart.figure.axes[0].patches) == 0
    assert "men tabellen har inga enheter. Positiva värden" in chart.alt


# A large board: 35 units, names up to 60 characters, deviations of both signs.
LONG_NAMES = [
    f"Enhet {i:02d} "
    + "förskoleverksamhet grundskola särskola fritidshem och elevhälsa"[: 1 + (i * 7) % 51]
    for i in range(35)
]


@pytest.fixture(scope="module")
def large_board(tmp_path_factory):
    rows = [
        [name, 0.1 * i, (i % 7 - 3) * 1.3, -10.0 - i, (i % 5 - 2) * 0.8]
        for i, name in enumerate(LONG_NAMES)
    ]
    rows.append(["Summa Stora nämnden", 0.0, 0.0, -945.0, 0.0])
    path = tmp_path_factory.mktemp("stor") / "stor.xlsx"
    return load_workbook(source_workbook(path, dr_rows=rows))


def _text_boxes(figure: Figure) -> list[tuple[str, object]]:
    """Every drawn text of a figure with its box on the canvas, in pixels."""
    canvas = FigureCanvasAgg(figure)
    # Drawn as the module draws its files: inside the charts' style.
    with matplotlib.rc_context(charts.STYLE):
        canvas.draw()
    renderer = canvas.get_renderer()
    # Only the ticks inside the axes' limits are drawn.
    texts = [
        label
        for ax in figure.axes
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim()))
        for location, label in zip(axis.get_ticklocs(), axis.get_ticklabels(), strict=True)
        if min(low, high) <= location <= max(low, high)
    ]
    texts += [t for ax in figure.axes for t in [*ax.texts, ax.xaxis.label, ax.title]]
    texts += [t for legend in figure.legends for t in legend.get_texts()]
    if figure._suptitle is not None:
        texts.append(figure._suptitle)
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]


def _collisions(figure: Figure) -> list[str]:
    boxes = _text_boxes(figure)
    problems = [
        f"{a!r} överlappar {b!r}"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        # Half a pixel of tolerance for boxes that merely touch.
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]
    edge = figure.bbox
    problems += [
        f"{text!r} går utanför figuren"
        for text, box in boxes
        if box.x0 < edge.x0 - 0.5
        or box.y0 < edge.y0 - 0.5
        or box.x1 > edge.x1 + 0.5
        or box.y1 > edge.y1 + 0.5
    ]
    return problems


@pytest.mark.slow
def test_no_label_of_a_large_boards_charts_collides_or_is_clipped(large_board):
    for chart in economy_charts(large_board):
        assert _collisions(chart.figure) == [], chart.name


@pytest.mark.slow
def test_no_label_of_the_shipped_charts_collides_or_is_clipped(shipped_charts, kfn):
    for chart in [*shipped_charts, *economy_charts(kfn)]:
        assert _collisions(chart.figure) == [], chart.name


def test_a_large_boards_chart_grows_with_its_bars_and_shortens_only_long_names(large_board):
    chart = unit_budget_deviation(large_board)
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert len(labels) == 35
    # 35 bars of three lines of 12-pt text: far taller than the eight-unit chart.
    assert chart.figure.get_size_inches()[1] > 35 * 3 * 12 / 72
    # Names that fit in three lines of 22 characters are whole; longer ones end in "…" and
    # stand in full in the table and the text alternative.
    longest = max(LONG_NAMES, key=len)
    assert len(longest) == 60
    assert any(label.endswith("…") for label in labels)
    assert longest in chart.alt
    assert "Enhet 00 f" in labels


def test_chart_text_stays_legible_on_a_phone(shipped_charts):
    # A phone 360 px wide shows the image in 336 CSS px (12 px margins); the image is
    # WIDTH inches, 72 points each: a point becomes 336 / (WIDTH × 72) px.
    scale = 336 / (charts.WIDTH * 72)
    for chart in shipped_charts:
        texts = chart.figure.findobj(lambda a: hasattr(a, "get_fontsize"))
        sizes = {t.get_fontsize() for t in texts}
        assert min(sizes) * scale >= 11, chart.name


def test_svg_keeps_its_text_as_text_in_fonts_of_windows_and_linux(shipped_charts, tmp_path):
    _png, svg = charts.save_chart(shipped_charts[0], tmp_path)
    text = svg.read_text(encoding="utf-8")
    assert "<text" in text and "KLK Näringsliv" in text
    assert "font-family: 'Arial', 'Liberation Sans', 'DejaVu Sans', sans-serif" in text
    # The style is a context, not a global setting: the module changes nothing on import.
    assert matplotlib.rcParams["svg.fonttype"] == "path"


def test_legend_names_only_the_kinds_of_bar_drawn(shipped, kfn, tmp_path):
    def legend(chart):
        return [t.get_text() for lg in chart.figure.legends for t in lg.get_texts()]

    # Every unit's forecast deviation is 0 or positive: no "Sämre än årsbudget".
    assert legend(unit_forecast_deviation(shipped)) == ["Bättre än årsbudget"]
    assert legend(unit_budget_deviation(shipped)) == ["Bättre än budget", "Sämre än budget"]
    rows = [[r[0], *r[1:4], -abs(r[4]) - 0.5] for r in DR_ROWS[:-1]] + [DR_ROWS[-1]]
    worse = load_workbook(source_workbook(tmp_path / "s.xlsx", dr_rows=rows))
    assert legend(unit_forecast_deviation(worse)) == ["Sämre än årsbudget"]


def test_the_bridge_caption_explains_no_rounding_step_when_there_is_none(kfn):
    assert "avrundning" not in result_bridge(kfn).note.lower()
