"""Charts of the economy section, in Swedish, readable in grey and for colour-blind readers."""

import base64
import html
import io
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, MaxNLocator

from klk_analysis.deviations import ranked
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import amount_label, number, period_span, quoted, rounded, series
from klk_analysis.loading import Workbook
from klk_analysis.narrative import plain_label, render
from klk_analysis.processed import staged_dir

FIGURE_FOLDER = "figurer"
DPI = 200
# Okabe–Ito colours: told apart with every common colour-vision deficiency. Blue, orange and the
# light grey of result bars also differ in lightness, so they stay apart in grey print; negative
# bars and last year's bars are hatched as well.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREY = "#D9D9D9"
NEGATIVE_HATCH = "///"
EDGE = "#1A1A1A"
# Inches. The report shows a chart at its natural size, 480 CSS px, on a screen and shrinks it
# to about 340 px on a 360-px phone: 12-pt text then stays above 11 px.
WIDTH = 5.0
FONT_SIZE = 12
TITLE_SIZE = 13
LINE_HEIGHT = FONT_SIZE * 1.25 / 72  # inches per line of a tick label
# Unit names wrap at this many characters; longer than three lines they end in "…" (the table
# beside the chart prints them in full).
LABEL_CHARS = 22
LABEL_LINES = 3
TITLE_CHARS = 46
# Text stays text in the SVG (editable when pasted into Word or PowerPoint), in a font that
# Windows (Arial), Linux (Liberation Sans, DejaVu Sans) and macOS (Arial) all have.
FONTS = ["Arial", "Liberation Sans", "DejaVu Sans"]
STYLE = {
    "svg.fonttype": "none",
    "font.family": ["sans-serif"],
    "font.sans-serif": FONTS,
    "font.size": FONT_SIZE,
    "hatch.linewidth": 1.0,
}
# Below this the printed deviations add up to the printed result: no rounding step is drawn.
ROUNDING_STEP_MIN = Decimal("0.1")
ROUNDING_LABEL = "Avrundning"


@dataclass(frozen=True)
class Chart:
    """A chart ready to save or embed: file name, Swedish title, figure and text alternative.

    The title is drawn in the image; the note (where its figures come from) is the caption.
    """

    name: str
    title: str
    figure: Figure
    alt: str
    note: str = ""
    # PNG bytes per dpi: the report embeds the very file that is written to figurer/.
    rendered: dict = field(default_factory=dict, repr=False, compare=False)

    def _repr_html_(self) -> str:
        # A notebook shows the chart as the report does: embedded PNG, text alternative, caption.
        return figure_html(self)

    def __repr__(self) -> str:
        return self.title


class SwedishFormatter(Formatter):
    """Tick labels with a decimal comma, a true minus sign and no more decimals than needed."""

    def __call__(self, x, pos=None):
        return number(x, self._decimals([x]))

    def format_ticks(self, values):
        decimals = self._decimals(values)
        return [number(v, decimals) for v in values]

    @staticmethod
    def _decimals(values) -> int:
        return 0 if all(abs(v - round(v)) < 1e-9 for v in values) else 1


def styled(draw):
    """Draw a chart inside the charts' style: fonts, sizes and SVG text as text."""

    @wraps(draw)
    def drawing(*args, **kwargs):
        # A context, not global rcParams: importing the module changes nothing.
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return drawing


def _axes(height: float):
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    # A margin of 6 pt around the texts, so that none touches the image's edge at any dpi.
    figure.get_layout_engine().set(w_pad=6 / 72, h_pad=6 / 72)
    ax = figure.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    # Tick labels are made anew when drawn: their size is fixed here. Their font comes from
    # the style, so every drawing goes through `styled` (png_bytes, save_chart).
    ax.tick_params(labelsize=FONT_SIZE)
    return figure, ax


def _height(labels: list[str], bars_per_label: int = 1) -> float:
    # Sized to the bars: each label gets room for its lines, so labels never overlap.
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    pitch = max(lines * LINE_HEIGHT + 0.12, 0.3 * bars_per_label)
    return 1.9 + pitch * max(len(labels), 1)


def _value_axis(axis, label: str = "mnkr") -> None:
    axis.set_major_formatter(SwedishFormatter())
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    axis.set_label_text(label)


def _wrap(text: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> str:
    wrapped = textwrap.wrap(text, width, break_long_words=True, max_lines=lines, placeholder=" …")
    return "\n".join(wrapped) or text


def _title(ax, title: str) -> None:
    # At the figure's left edge, not the axes': the unit names stand left of the axes.
    ax.figure.suptitle(_wrap(title, TITLE_CHARS, 4), x=0.02, ha="left", fontsize=TITLE_SIZE)


def _legend(figure, entries: list[tuple[bool, object]]) -> None:
    # Only the kinds of bar that the chart draws: no "Sämre än budget" when no bar is.
    handles = [patch for present, patch in entries if present]
    # Side by side where they fit in the width, one under the other where they do not.
    widths = [_text_width(h.get_label()) + 45 for h in handles]
    columns = 2 if len(handles) > 1 and max(widths) * 2 < WIDTH * 72 else 1
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=columns, frameon=False)


def _is_negative(value: float) -> bool:
    return rounded(value) < 0


def _label_bars(ax, bars, values) -> None:
    for bar, value in zip(bars, values, strict=True):
        negative = _is_negative(value)
        # A bar with a negative length starts at its base: its far end is the smaller edge.
        ends = (bar.get_x(), bar.get_x() + bar.get_width())
        ax.annotate(
            amount_label(value),
            (min(ends) if negative else max(ends), bar.get_y() + bar.get_height() / 2),
            xytext=(-3 if negative else 3, 0),
            textcoords="offset points",
            ha="right" if negative else "left",
            va="center",
        )


def _text_width(text: str) -> float:
    # Points, estimated before drawing: digits and most letters are at most 0,65 em wide in
    # Arial, Liberation Sans and DejaVu Sans.
    return max((len(line) for line in text.split("\n")), default=0) * FONT_SIZE * 0.65


def _room(low: float, high: float, labels: list[str], values) -> tuple[float, float]:
    """Return x limits that leave room beside the bars for their value labels.

    Bars stick to their base, so matplotlib's margins cannot make that room; the labels' width
    in points is turned into data units through the width the axes will get beside the names.
    """
    low, high = min(low, 0.0), max(high, 0.0)
    axes = WIDTH * 72 - max(map(_text_width, labels), default=0.0) - 40
    left = max((_text_width(amount_label(v)) + 8 for v in values if _is_negative(v)), default=0)
    right = max(
        (_text_width(amount_label(v)) + 8 for v in values if not _is_negative(v)), default=0
    )
    # The zero side keeps a little room too, for the labels of bars that end at zero.
    left, right = max(left, 6.0), max(right, 6.0)
    total = (high - low or 1.0) / max(1 - (left + right) / axes, 0.2)
    return low - total * left / axes, high + total * right / axes


def _deviation_chart(names, values, title, better, worse):
    labels = [_wrap(n) for n in names]
    figure, ax = _axes(_height(labels))
    negative = [_is_negative(v) for v in values]
    colours = [ORANGE if n else BLUE for n in negative]
    hatches = [NEGATIVE_HATCH if n else "" for n in negative]
    positions = range(len(values))
    bars = ax.barh(positions, values, color=colours, hatch=hatches, edgecolor=EDGE)
    ax.set_yticks(list(positions), labels)
    ax.set_ylim(-0.6, len(values) - 0.4)
    _label_bars(ax, bars, values)
    ax.axvline(0, color=EDGE, linewidth=0.8)
    # Labels of the longest bars need about a third of the width beyond the bar's end.
    ax.set_xlim(*_room(min(values, default=0.0), max(values, default=0.0), labels, values))
    _value_axis(ax.xaxis)
    _title(ax, title)
    _legend(
        figure,
        [
            (not all(negative), Patch(facecolor=BLUE, edgecolor=EDGE, label=better)),
            (
                any(negative),
                Patch(facecolor=ORANGE, edgecolor=EDGE, hatch=NEGATIVE_HATCH, label=worse),
            ),
        ],
    )
    return figure


def source_note(table: str, headers: list[str], extra: str = "") -> str:
    """Say where a chart's figures come from: the table and its columns as printed."""
    word = "kolumnen" if len(headers) == 1 else "kolumnerna"
    return f"Källa: {table}, {word} {series(quoted(h) for h in headers)}{extra}."


def _units(workbook: Workbook, measure: str) -> tuple[pd.DataFrame, str, float | None]:
    dr = workbook.driftredovisning
    column = dr.column(measure, workbook.period.year)
    units = ranked(dr.rows[dr.rows["kind"] == "line"], column.id)
    position = dr.total()
    total = None if position is None else float(dr.rows[column.id].iloc[position])
    return units, column.id, total


def _unit_chart(workbook: Workbook, measure: str, name: str, template: str, words: dict) -> Chart:
    ranked, column, total = _units(workbook, measure)
    names = [plain_label(x) for x in ranked["label"]]
    values = [float(v) for v in ranked[column]]
    # Bars are drawn from the bottom up: reversed, the largest value ends up on top.
    figure = _deviation_chart(
        names[::-1], values[::-1], words["title"], words["better"], words["worse"]
    )
    items = [{"name": n, "amount": v} for n, v in zip(names, values, strict=True)]
    alt = render(template, items=items, total=total, board=workbook.board, **words)
    header = workbook.driftredovisning.column(measure, workbook.period.year).header
    return Chart(name, words["title"], figure, alt, source_note("driftredovisningen", [header]))


@styled
def unit_budget_deviation(workbook: Workbook) -> Chart:
    """Chart the budget deviation per unit for the period, sorted, positive and negative apart."""
    span, year = period_span(workbook.period), workbook.period.year
    words = {
        "title": f"Budgetavvikelse per enhet, {span} {year} (mnkr)",
        "better": "Bättre än budget",
        "worse": "Sämre än budget",
    }
    return _unit_chart(
        workbook, "budgetavvikelse", "budgetavvikelse_per_enhet", "diagram_enheter.txt.j2", words
    )


@styled
def unit_forecast_deviation(workbook: Workbook) -> Chart | None:
    """Chart the forecast deviation per unit (forecast minus annual budget), sorted, or None."""
    year = workbook.period.year
    if workbook.driftredovisning.column("avvikelse_arsprognos", year) is None:
        return None  # a year-end workbook has no forecasts
    words = {
        "title": f"Prognosavvikelse per enhet, helår {year}, prognos i "
        f"{workbook.period.month_name} (mnkr)",
        "better": "Bättre än årsbudget",
        "worse": "Sämre än årsbudget",
    }
    return _unit_chart(
        workbook,
        "avvikelse_arsprognos",
        "prognosavvikelse_per_enhet",
        "diagram_enheter.txt.j2",
        words,
    )


def bridge_steps(workbook: Workbook) -> pd.DataFrame:
    """Return the bridge from budgeted to actual result: start, one step per line, end."""
    rr, year = workbook.resultatrakning, workbook.period.year
    budget = rr.column("budget", year).id
    outcome = rr.column("utfall", year).id
    deviation = rr.column("budgetavvikelse", year).id
    position = rr.total()
    if position is None:
        raise UnusableInputError(
            f"{workbook.path}, blad {rr.sheet!r}: ingen resultatrad. Förväntade en rad som "
            "'Summa ÅRETS RESULTAT' eller 'Årets resultat' att rita bryggan till."
        )
    result = rr.rows.iloc[position]
    lines = rr.rows[rr.rows["kind"] == "line"]
    start, end = float(result[budget]), float(result[outcome])
    steps = [("start", "Budgeterat resultat", start)]
    steps += [
        ("step", plain_label(x), float(v))
        for x, v in zip(lines["label"], lines[deviation], strict=True)
    ]
    # Printed deviations are rounded: a gap they leave of a tenth or more is shown (and the
    # caption explains it); a smaller one cannot be seen and would only puzzle the reader.
    gap = (end - start) - sum(v for kind, _, v in steps if kind == "step")
    if abs(rounded(gap)) >= ROUNDING_STEP_MIN:
        steps.append(("step", ROUNDING_LABEL, gap))
    steps.append(("end", "Resultat, utfall", end))
    frame = pd.DataFrame(steps, columns=["kind", "label", "amount"])
    running = frame["amount"].where(frame["kind"] == "step", 0).cumsum() + start
    return frame.assign(
        bottom=(running - frame["amount"]).where(frame["kind"] == "step", 0.0),
        level=running.where(frame["kind"] != "end", end),
    )


@styled
def result_bridge(workbook: Workbook) -> Chart:
    """Chart the bridge from the period's budgeted result to its actual result, line by line."""
    span, year = period_span(workbook.period), workbook.period.year
    title = f"Från budgeterat till verkligt resultat, {span} {year} (mnkr)"
    steps = bridge_steps(workbook)
    labels = [_wrap(t) for t in steps["label"]]
    figure, ax = _axes(_height(labels))
    step = steps["kind"] == "step"
    negative = [_is_negative(v) for v in steps["amount"]]
    colours = [
        GREY if not s else (ORANGE if n else BLUE) for s, n in zip(step, negative, strict=True)
    ]
    hatches = [NEGATIVE_HATCH if s and n else "" for s, n in zip(step, negative, strict=True)]
    # Read from the top down: the budgeted result first, the actual result last.
    y = [len(steps) - 1 - i for i in range(len(steps))]
    bars = ax.barh(
        y,
        steps["amount"],
        left=steps["bottom"],
        color=colours,
        hatch=hatches,
        edgecolor=EDGE,
        height=0.6,
    )
    for i in range(len(steps) - 1):
        level = steps["level"].iloc[i]
        ax.plot([level, level], [y[i] - 0.3, y[i + 1] + 0.3], color=EDGE, linewidth=0.7)
    _label_bars(ax, bars, list(steps["amount"]))
    ax.axvline(0, color=EDGE, linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(steps) - 0.4)
    edges = pd.concat([steps["bottom"], steps["bottom"] + steps["amount"]])
    ax.set_xlim(*_room(edges.min(), edges.max(), labels, steps["amount"]))
    _value_axis(ax.xaxis)
    _title(ax, title)
    moves = [n for s, n in zip(step, negative, strict=True) if s]
    _legend(
        figure,
        [
            (True, Patch(facecolor=GREY, edgecolor=EDGE, label="Resultat")),
            (not all(moves), Patch(facecolor=BLUE, edgecolor=EDGE, label="Bättre än budget")),
            (
                any(moves),
                Patch(
                    facecolor=ORANGE, edgecolor=EDGE, hatch=NEGATIVE_HATCH, label="Sämre än budget"
                ),
            ),
        ],
    )
    items = [
        {"name": label, "amount": amount}
        for label, amount in zip(steps["label"][step], steps["amount"][step], strict=True)
    ]
    alt = render(
        "diagram_brygga.txt.j2",
        title=title,
        start=float(steps["amount"].iloc[0]),
        end=float(steps["amount"].iloc[-1]),
        items=items,
    )
    rr = workbook.resultatrakning
    headers = [rr.column(m, year).header for m in ("budget", "utfall", "budgetavvikelse")]
    note = source_note("resultaträkningen", headers)
    rounding = steps.loc[steps["label"] == ROUNDING_LABEL, "amount"]
    if len(rounding):
        note += (
            f" Stapeln {ROUNDING_LABEL.lower()} ({amount_label(rounding.iloc[0])} mnkr) är "
            "skillnaden mellan resultatet och summan av radernas avvikelser som de är "
            "tryckta: beloppen är beräknade före avrundning."
        )
    return Chart("resultatbrygga", title, figure, alt, note)


@styled
def change_on_last_year(workbook: Workbook) -> Chart | None:
    """Chart the period's outcome against the same period last year by line, or None."""
    rr, year = workbook.resultatrakning, workbook.period.year
    now, before = rr.column("utfall", year), rr.column("utfall", year - 1)
    if now is None or before is None:
        return None
    span = period_span(workbook.period)
    title = f"Utfall {span} {year} jämfört med samma period {year - 1} (mnkr)"
    rows = rr.rows[rr.rows["kind"] != "sum"].iloc[::-1]
    names = [_wrap(plain_label(x)) for x in rows["label"]]
    figure, ax = _axes(_height(names, bars_per_label=2))
    positions = range(len(rows))
    height = 0.38
    old = ax.barh(
        [p + height / 2 for p in positions],
        rows[before.id],
        height=height,
        color=SKY,
        hatch="..",
        edgecolor=EDGE,
        label=f"{span.capitalize()} {year - 1}",
    )
    new = ax.barh(
        [p - height / 2 for p in positions],
        rows[now.id],
        height=height,
        color=BLUE,
        edgecolor=EDGE,
        label=f"{span.capitalize()} {year}",
    )
    _label_bars(ax, old, list(rows[before.id]))
    _label_bars(ax, new, list(rows[now.id]))
    ax.set_yticks(list(positions), names)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.axvline(0, color=EDGE, linewidth=0.8)
    both = pd.concat([rows[before.id], rows[now.id]])
    ax.set_xlim(*_room(both.min(), both.max(), names, both))
    _value_axis(ax.xaxis)
    _title(ax, title)
    _legend(figure, [(True, old), (True, new)])
    items = [
        {"name": plain_label(label), "before": float(b), "now": float(n)}
        for label, b, n in zip(rows["label"], rows[before.id], rows[now.id], strict=True)
    ][::-1]
    alt = render("diagram_jamforelse.txt.j2", title=title, items=items, year=year, span=span)
    note = source_note("resultaträkningen", [before.header, now.header], "; utan summaraderna")
    return Chart("jamforelse_foregaende_ar", title, figure, alt, note)


def economy_charts(workbook: Workbook) -> list[Chart]:
    """Return the economy section's charts in report order; a chart without data is left out."""
    charts = [
        unit_budget_deviation(workbook),
        result_bridge(workbook),
        change_on_last_year(workbook),
        unit_forecast_deviation(workbook),
    ]
    return [c for c in charts if c is not None]


@styled
def _save(chart: Chart, target, **options) -> None:
    chart.figure.savefig(target, **options)
    # The first drawing laid the chart out (most of its time); later drawings at another dpi
    # or as SVG keep that layout instead of computing the same one again.
    if chart.figure.get_layout_engine() is not None:
        chart.figure.set_layout_engine("none")


def png_bytes(chart: Chart, dpi: int = DPI) -> bytes:
    """Return the chart as PNG bytes, drawn once per dpi."""
    if dpi not in chart.rendered:
        buffer = io.BytesIO()
        _save(chart, buffer, format="png", dpi=dpi, metadata={"Software": None})
        chart.rendered[dpi] = buffer.getvalue()
    return chart.rendered[dpi]


def figure_html(chart: Chart, dpi: int = DPI) -> str:
    """Return an HTML <figure> with the chart as an embedded PNG, its text alternative and title."""
    data = base64.b64encode(png_bytes(chart, dpi)).decode("ascii")
    return (
        '<figure class="diagram">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(chart.alt, quote=True)}" '
        # Inline as well as in the style sheet, for a fragment pasted without it: at most its
        # natural size (WIDTH inches of 96 px), and never wider than the column.
        f'style="width: 100%; max-width: {round(WIDTH * 96)}px; height: auto">'
        f"<figcaption>{_caption(chart)}</figcaption>"
        "</figure>"
    )


def _caption(chart: Chart) -> str:
    # The title is in the image and opens the alt text: shown again it would only repeat itself.
    if chart.note:
        return html.escape(chart.note)
    return f'<span class="dold">{html.escape(chart.title)}</span>'


def save_chart(chart: Chart, folder: Path) -> list[Path]:
    """Save a chart as PNG (200 dpi) and SVG in a folder and return the two files."""
    folder = Path(folder)
    png, svg = folder / f"{chart.name}.png", folder / f"{chart.name}.svg"
    png.write_bytes(png_bytes(chart))
    _save(chart, svg, format="svg", metadata={"Date": None, "Creator": None})
    return [png, svg]


def write_charts(charts: list[Chart], folder: Path) -> list[Path]:
    """Write charts to folder/figurer/ as PNG and SVG, replacing the folder whole."""
    target = Path(folder) / FIGURE_FOLDER
    names = []
    with staged_dir(target) as staging:
        for chart in charts:
            names += [p.name for p in save_chart(chart, staging)]
    return [target / name for name in names]
