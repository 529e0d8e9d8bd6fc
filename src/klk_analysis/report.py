"""The report notebook's building blocks: each function returns one displayable piece of HTML."""

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import mnkr, number
from klk_analysis.loading import Table, Workbook, load_workbook
from klk_analysis.periods import MONTH_NAMES_SV, Period
from klk_analysis.validation import DEFAULT_TOLERANCE, Finding, count_by_severity, reconcile

TABLE_TITLES = {"resultatrakning": "Resultaträkning", "driftredovisning": "Driftredovisning"}
SEVERITY_SV = {"error": "Fel", "warning": "Varning", "info": "Avrundning"}


@dataclass(frozen=True)
class Html:
    """A piece of HTML that a notebook shows as HTML; its plain-text form is a short label."""

    html: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text or "HTML"

    def __str__(self) -> str:
        return self.html


@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes with its Swedish text alternative and caption."""

    name: str
    png: bytes
    alt: str
    caption: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure class="diagram"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt)}">'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def __repr__(self) -> str:
        return self.caption


@dataclass(frozen=True)
class ReportData:
    """A period's loaded workbook, its reconciliation findings and the tolerance used."""

    workbook: Workbook
    findings: tuple[Finding, ...]
    tolerance: float

    @property
    def period(self) -> Period:
        """The period the workbook's headers name."""
        return self.workbook.period

    @property
    def board(self) -> str:
        """The board (nämnd) the report is for."""
        return self.workbook.board


def load(
    period: str,
    workbook: str | Path,
    board: str | None = None,  # None or "": the board named by the last "Summa <nämnd>" row
    tolerance: float = DEFAULT_TOLERANCE,
) -> ReportData:
    """Load and reconcile a period's workbook; refuse one whose headers name another period."""
    path = paths.resolve(workbook)
    loaded = load_workbook(path, board=board or None)
    if str(loaded.period) != str(Period.parse(period)):
        raise UnusableInputError(
            f"{path}: kolumnrubrikerna gäller perioden {loaded.period}, men perioden som begärdes "
            f"är {period}. Förväntade en arbetsbok för {period}."
        )
    return ReportData(loaded, tuple(reconcile(loaded, tolerance)), tolerance)


def period_text(period: Period) -> str:
    """Name the months a period covers in Swedish: 'januari–mars 2022', 'januari 2022'."""
    months = MONTH_NAMES_SV[0]
    if period.month > 1:
        months += "\u2013" + period.month_name
    return f"{months} {period.year}"


def report_title(board: str, period: Period) -> str:
    """Return the report's title: the board, 'ekonomisk redovisning' and the months covered."""
    return f"{board}: ekonomisk redovisning {period_text(period)}"


def title(data: ReportData) -> Html:
    """Return the report's heading with the board, the period and the source file."""
    heading = html.escape(report_title(data.board, data.period))
    source = html.escape(data.workbook.path.name)
    return Html(
        f"<h1>{heading}</h1>\n"
        f'<p class="kalla">Belopp i miljoner kronor (mnkr). Källa: arbetsboken {source}.</p>',
        report_title(data.board, data.period),
    )


def _finding_item(finding: Finding) -> str:
    label = SEVERITY_SV[finding.severity]
    message = html.escape(finding.message)
    return f'<li><strong class="{finding.severity}">{label}:</strong> {message}</li>'


def findings_section(data: ReportData) -> Html:
    """Return the reconciliation's outcome: a sentence with the counts, then every finding."""
    counts = count_by_severity(list(data.findings))
    summary = (
        f"Avstämningen av arbetsbokens summor och avvikelser gav {counts['error']} fel, "
        f"{counts['warning']} varningar och {counts['info']} avrundningsdifferenser "
        f"(högst {mnkr(data.tolerance)} mnkr, eftersom summorna är beräknade före avrundning)."
    )
    serious = [f for f in data.findings if f.severity != "info"]
    notes = [f for f in data.findings if f.severity == "info"]
    parts = [f'<section class="avstamning"><p>{html.escape(summary)}</p>']
    if serious:
        parts.append("<ul>" + "".join(_finding_item(f) for f in serious) + "</ul>")
    if notes:
        parts.append(
            "<details><summary>Avrundningsdifferenser</summary><ul>"
            + "".join(_finding_item(f) for f in notes)
            + "</ul></details>"
        )
    parts.append("</section>")
    return Html("\n".join(parts), summary)


def table_html(table: Table, caption: str) -> Html:
    """Return a table as printed: its rows and headers, Swedish numbers, real header cells."""
    head = "".join(f'<th scope="col">{html.escape(c.header)}</th>' for c in table.columns)
    body = []
    for row in table.rows.itertuples(index=False):
        values = row._asdict()
        cells = "".join(f"<td>{html.escape(number(values[c.id]))}</td>" for c in table.columns)
        kind = "summa" if values["kind"] != "line" else "rad"
        body.append(
            f'<tr class="{kind}"><th scope="row">{html.escape(values["label"])}</th>{cells}</tr>'
        )
    return Html(
        f'<table class="tabell"><caption>{html.escape(caption)}</caption>\n'
        f'<thead><tr><th scope="col">{html.escape(table.label_header)}</th>{head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(body) + "\n</tbody></table>",
        caption,
    )


def resultatrakning_table(data: ReportData) -> Html:
    """Return the resultaträkning as printed in the source workbook."""
    caption = f"Resultaträkning {period_text(data.period)}, mnkr"
    return table_html(data.workbook.resultatrakning, caption)


def driftredovisning_table(data: ReportData) -> Html:
    """Return the driftredovisning per unit as printed in the source workbook."""
    caption = f"Driftredovisning per enhet {period_text(data.period)}, mnkr"
    return table_html(data.workbook.driftredovisning, caption)


def deviation_chart(data: ReportData) -> Chart:
    """Return a bar chart of each unit's budget deviation this period, with its text alternative."""
    from matplotlib.figure import Figure  # only the report kernel needs matplotlib

    table = data.workbook.driftredovisning
    column = table.column("budgetavvikelse", data.period.year)
    units = table.rows[table.rows["kind"] == "line"]
    labels, values = units["label"].tolist(), units[column.id].tolist()
    fig = Figure(figsize=(7.5, 0.4 * len(labels) + 1.3), dpi=150, layout="constrained")
    ax = fig.subplots()
    colours = ["#1f5f8b" if v >= 0 else "#a4343a" for v in values]
    ax.barh(range(len(values)), values, color=colours)
    ax.set_yticks(range(len(values)), labels)
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", linewidth=0.8)
    # Room on both sides for the value labels beside the bars.
    low, high = min(0.0, *values), max(0.0, *values)
    pad = (high - low or 1.0) * 0.12
    ax.set_xlim(low - (pad if low < 0 else 0), high + pad)
    ax.xaxis.set_major_formatter(lambda x, _pos: number(x, 1))
    ax.set_xlabel(f"{column.header}, mnkr")
    ax.spines[["top", "right"]].set_visible(False)
    for pos, value in enumerate(values):
        ax.annotate(
            mnkr(value, sign=True),
            (value, pos),
            xytext=(4 if value >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if value >= 0 else "right",
            va="center",
            fontsize=8,
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    listing = "; ".join(
        f"{label} {mnkr(v, sign=True)}" for label, v in zip(labels, values, strict=True)
    )
    caption = f"Budgetavvikelse per enhet {period_text(data.period)}, mnkr"
    alt = f"Liggande stapeldiagram. {caption}: {listing}."
    return Chart("budgetavvikelse_per_enhet", buffer.getvalue(), alt, caption)


def write_outputs(data: ReportData, charts: list[Chart], output_dir: str | Path) -> None:
    """Write the tables as CSV to output_dir/tabeller/ and the charts as PNG to figurer/."""
    folder = paths.resolve(output_dir)
    tables, figures = folder / "tabeller", folder / "figurer"
    tables.mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)
    for table in (data.workbook.resultatrakning, data.workbook.driftredovisning):
        frame = table.rows.set_index("label")[[c.id for c in table.columns]]
        frame = frame.rename(columns={c.id: c.header for c in table.columns})
        # Semicolons and decimal commas are what Excel with Swedish settings opens as columns.
        frame.rename_axis(table.label_header or "Rad").to_csv(
            tables / f"{table.name}.csv", sep=";", decimal=",", encoding="utf-8-sig"
        )
    for chart in charts:
        (figures / f"{chart.name}.png").write_bytes(chart.png)
