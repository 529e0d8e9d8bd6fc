"""The report notebook's building blocks: each function returns one displayable piece of HTML."""

import html
from dataclasses import dataclass
from pathlib import Path

from klk_analysis import charts, narrative, paths, tables
from klk_analysis.errors import UnusableInputError
from klk_analysis.formatting import mnkr
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
    """Return the report's title, named by the period: "<nämndens> delårsrapport 1, <år>"."""
    return narrative.report_title(board, period)


def title(data: ReportData) -> Html:
    """Return the report's heading with the board, the period and the source file."""
    heading = html.escape(report_title(data.board, data.period))
    months = html.escape(f"{narrative.period_span(data.period)} {data.period.year}")
    source = html.escape(data.workbook.path.name)
    return Html(
        f"<h1>{heading}</h1>\n"
        f'<p class="kalla">Ekonomi {months}. Belopp i miljoner kronor (mnkr). '
        f"Källa: arbetsboken {source}.</p>",
        report_title(data.board, data.period),
    )


def economy_context(data: ReportData) -> dict:
    """Return the figures and names the economy section's sentences are made from."""
    return narrative.economy_context(data.workbook, list(data.findings))


def _paragraphs(texts: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(text)}</p>" for text in texts)


def summary(data: ReportData) -> Html:
    """Return the summary: total revenue budget and driftram, the result and the forecast."""
    texts = narrative.summary(economy_context(data))
    return Html(_paragraphs(texts), " ".join(texts))


def comments(data: ReportData) -> Html:
    """Return the comments on result and forecast as a list, as the source document has them."""
    texts = narrative.comments(economy_context(data))
    items = "".join(f"<li>{html.escape(text)}</li>" for text in texts)
    return Html(f'<ul class="kommentarer">{items}</ul>', " ".join(texts))


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
    return Html(tables.table_html(table, caption), caption)


def resultatrakning_table(data: ReportData) -> Html:
    """Return the resultaträkning as printed in the source workbook."""
    table = data.workbook.resultatrakning
    return table_html(table, tables.caption(table))


def driftredovisning_table(data: ReportData) -> Html:
    """Return the driftredovisning per unit as printed in the source workbook."""
    table = data.workbook.driftredovisning
    return table_html(table, tables.caption(table))


def economy_charts(data: ReportData) -> list[charts.Chart]:
    """Return the economy section's charts, each with its Swedish text alternative."""
    return charts.economy_charts(data.workbook)


def figures(chart_list: list[charts.Chart]) -> Html:
    """Return the charts as HTML figures with embedded images, text alternatives and captions."""
    return Html(
        "\n".join(charts.figure_html(c) for c in chart_list),
        "; ".join(c.title for c in chart_list),
    )


def write_outputs(data: ReportData, chart_list: list[charts.Chart], output_dir: str | Path) -> None:
    """Write the tables to output_dir/tabeller/ (xlsx, csv) and the charts to figurer/."""
    folder = paths.resolve(output_dir)
    tables.write_tables(data.workbook, folder)
    charts.write_charts(chart_list, folder)
