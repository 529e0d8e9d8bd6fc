"""The report notebook's building blocks: each function returns one displayable piece of HTML."""

import html
from dataclasses import dataclass
from pathlib import Path

from klk_analysis import charts, delivery, display, narrative, organisation_html, paths, tables
from klk_analysis.errors import UnusableInputError
from klk_analysis.forecasts import (
    DEFAULT_THRESHOLD_MNKR,
    FORECAST_LABEL,
    method_note,
    write_forecast_xlsx,
)
from klk_analysis.formatting import mnkr, period_text
from klk_analysis.loading import Table, Workbook, tidy
from klk_analysis.organisation import Organisation
from klk_analysis.periods import MONTH_NAMES_SV, Period
from klk_analysis.register import (
    ForecastRun,
    accuracy_alt_text,
    accuracy_chart,
    forecast_run,
)
from klk_analysis.source import Source, read_source, saved_source
from klk_analysis.validation import (
    DEFAULT_TOLERANCE,
    Finding,
    count_by_severity,
    raise_for_errors,
    reconcile,
)

SEVERITY_SV = {"error": "Fel", "warning": "Varning", "info": "Avrundning"}
ROUNDING_CAPTION = (
    "Avrundningsdifferenser: tryckt belopp mot det som räknas fram ur tabellens belopp (mnkr)"
)


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
    """A period's workbook read once, its reconciliation findings and the tolerance used."""

    source: Source
    findings: tuple[Finding, ...]
    tolerance: float

    @property
    def workbook(self) -> Workbook:
        """The two tables as printed."""
        return self.source.workbook

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
    source_file: str | Path = "",  # klk run: the workbook as the run's check already read it
) -> ReportData:
    """Read and reconcile a period's workbook; refuse one whose headers name another period."""
    path = paths.resolve(workbook)
    source = (
        saved_source(paths.resolve(source_file), path)
        if source_file
        else read_source(path, board=board or None)
    )
    if str(source.workbook.period) != str(Period.parse(period)):
        raise UnusableInputError(
            f"{path}: kolumnrubrikerna gäller perioden {source.workbook.period}, men perioden som "
            f"begärdes är {period}. Förväntade en arbetsbok för {period}."
        )
    return ReportData(source, tuple(reconcile(source.workbook, tolerance)), tolerance)


def stop_on_errors(data: ReportData) -> None:
    """Stop as `klk run` does when the figures do not add up, before anything is written."""
    raise_for_errors(data.findings, data.workbook.path)


def report_title(board: str, period: Period) -> str:
    """Return the report's title, named by the period: "<nämndens> delårsrapport 1, <år>"."""
    return narrative.report_title(board, period)


def title(data: ReportData) -> Html:
    """Return the report's heading with the board, the period and the source file."""
    heading = html.escape(report_title(data.board, data.period))
    months = html.escape(period_text(data.period))
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


def _is_rounding(finding: Finding) -> bool:
    return finding.severity == "info" and finding.computed is not None


def _finding_item(finding: Finding, path: Path) -> str:
    if finding.severity == "info" and not _is_rounding(finding):
        # A note from reading the workbook (blank cells read as zero, no forecast columns):
        # its own sentence, naming the file by its name rather than its whole path.
        text = finding.message.replace(str(path), path.name)
        return f'<li><strong class="info">Notering:</strong> {html.escape(text)}</li>'
    label = SEVERITY_SV[finding.severity]
    # The report's own sentence from the finding's fields, not the command line's message.
    message = html.escape(narrative.finding_sentence(finding))
    return f'<li><strong class="{finding.severity}">{label}:</strong> {message}</li>'


def rounding_table(notes: list[Finding]) -> str:
    """Return the rounding notes as a compact table: where, printed, computed and the gap."""
    return tables.frame_html(
        display.rounding_frame(notes),
        ROUNDING_CAPTION,
        css="tabell avrundning",
        signed=display.ROUNDING_SIGNED,
    )


def findings_section(data: ReportData) -> Html:
    """Return the reconciliation's outcome: a sentence with the counts, then every finding."""
    counts = count_by_severity(list(data.findings))
    notes_text = narrative.count_phrase(
        sum(map(_is_rounding, data.findings)), "avrundningsdifferens", "avrundningsdifferenser"
    )
    summary = (
        "Avstämningen av arbetsbokens summor och avvikelser gav "
        f"{narrative.count_phrase(counts['error'], 'fel', 'fel', neuter=True)}, "
        f"{narrative.count_phrase(counts['warning'], 'varning', 'varningar')} och "
        f"{notes_text} (högst {mnkr(data.tolerance)} mnkr, eftersom summorna är beräknade "
        "före avrundning)."
    )
    serious = [f for f in data.findings if f.severity != "info"]
    # Rounding notes always carry both figures; any other note is listed with the findings.
    notes = [
        f
        for f in data.findings
        if f.severity == "info" and f.printed is not None and f.computed is not None
    ]
    serious += [f for f in data.findings if f.severity == "info" and f not in notes]
    parts = [f'<section class="avstamning"><p>{html.escape(summary)}</p>']
    if serious:
        path = data.workbook.path
        parts.append("<ul>" + "".join(_finding_item(f, path) for f in serious) + "</ul>")
    if notes:
        # A plain table, not a closed <details>: printed on paper it must still show every note.
        parts.append(rounding_table(notes))
    parts.append("</section>")
    return Html("\n".join(parts), summary)


def table_html(table: Table, caption: str) -> Html:
    """Return a table as printed: its rows and headers, Swedish numbers, real header cells."""
    return Html(tables.table_html(table, caption), caption)


def resultatrakning_table(data: ReportData) -> Html:
    """Return the resultaträkning as printed in the source workbook."""
    table = data.workbook.resultatrakning
    return Html(tables.table_html(table), tables.caption(table))


def driftredovisning_table(data: ReportData) -> Html:
    """Return the driftredovisning per unit as printed in the source workbook."""
    table = data.workbook.driftredovisning
    return Html(tables.table_html(table), tables.caption(table))


def economy_charts(data: ReportData) -> list[charts.Chart]:
    """Return the economy section's charts, each with its Swedish text alternative."""
    return charts.economy_charts(data.workbook)


def figures(chart_list: list[charts.Chart]) -> Html:
    """Return the charts as HTML figures with embedded images, text alternatives and captions."""
    return Html(
        "\n".join(charts.figure_html(c) for c in chart_list),
        "; ".join(c.title for c in chart_list),
    )


def write_outputs(
    data: ReportData,
    chart_list: list[charts.Chart],
    output_dir: str | Path,
    forecast: ForecastRun | None = None,
) -> None:
    """Write the tables to tabeller/ (xlsx, csv), the charts to figurer/, the content record."""
    folder = paths.resolve(output_dir)
    tables.write_tables(data.workbook, folder)
    if forecast is not None:
        # After write_tables, which replaces tabeller/ whole.
        write_forecast_xlsx(forecast.projections, folder)
    charts.write_charts(chart_list, folder)
    # What klk mail and klk word are made of, so they need no rerun.
    record = delivery.content_record(data.workbook, economy_context(data), chart_list)
    delivery.write_content(record, folder)


def organisation(data: ReportData) -> Organisation:
    """Return the organisation sheets; a workbook without them gives the economy alone."""
    return data.source.organisation


def _sections(data: ReportData, org: Organisation) -> list[organisation_html.Section]:
    # The economy's summary sentences open the report's Sammanfattning, as in the document.
    return organisation_html.report_sections(
        org,
        data.board,
        data.period,
        economy_html=organisation_html.ECONOMY_SLOT,
        economy_summary_html=summary(data).html,
    )


def contents(data: ReportData, org: Organisation) -> Html:
    """Return the table of contents, linking to every section of the report."""
    sections = _sections(data, org)
    return Html(organisation_html.table_of_contents_html(sections), "Innehåll")


def before_economy(data: ReportData, org: Organisation) -> Html:
    """Return the report from the summary up to the economy tables, in the document's order."""
    before, _after = organisation_html.split_at_economy(_sections(data, org))
    return Html(before, "Sammanfattning … Ekonomi")


def after_economy(data: ReportData, org: Organisation) -> Html:
    """Return what follows the economy tables: the economy's commitments, internal control."""
    _before, after = organisation_html.split_at_economy(_sections(data, org))
    return Html(after, "Åtaganden inom ekonomi, intern styrning och kontroll")


# --- Prognos: projections beside the årsprognos, the forecast register, prognossäkerhet --------

REGISTER_FILE = "prognosregister.parquet"


def forecasts(
    data: ReportData,
    processed_dir: str | Path,
    threshold: float = DEFAULT_THRESHOLD_MNKR,
    record: bool = True,
) -> ForecastRun:
    """Project the year per line and unit, record the period in the register, score December.

    record=False reads the register in processed_dir but leaves it as it was.
    """
    return forecast_run(
        tidy(data.workbook),
        data.board,
        paths.resolve(processed_dir) / REGISTER_FILE,
        history=data.source.history,
        threshold=threshold,
        record=record,
    )


def forecast_text(run: ForecastRun) -> Html:
    """Return the flagged forecasts in words: the result, the lines behind it, the units."""
    if run.projections["arsprognos"].isna().all():
        texts = ["Arbetsboken har ingen årsprognos; tabellerna visar beräkningarna av helåret."]
    else:
        texts = run.sentences or [
            "Årsprognosen ligger inom beräkningarna av helåret för alla rader och enheter."
        ]
    return Html(_paragraphs(texts), " ".join(texts))


def forecast_notes(run: ForecastRun) -> Html:
    """Return the short "Om beräkningarna" paragraph: how the projections are made, what lacks."""
    note = method_note(run.projections, run.threshold)
    return Html(
        f'<p class="om-berakningarna"><strong>Om beräkningarna.</strong> {html.escape(note)}</p>',
        note,
    )


def forecast_tables(run: ForecastRun, data: ReportData) -> Html:
    """Return the projections beside the årsprognos: the resultaträkning, then the units."""
    parts = [
        tables.frame_html(
            display.forecast_frame(run.projections, table),
            f"{title}: helåret beräknat utifrån {period_text(data.period)} och "
            f"{FORECAST_LABEL.lower()} (mnkr). Tom cell: kan inte beräknas.",
        )
        for table, (title, _label) in display.FORECAST_TABLES.items()
    ]
    return Html("\n".join(parts), "Helåret beräknat och årsprognosen")


def _years_text(first: int, last: int, years: int) -> str:
    if first == last:
        return str(int(first))
    return (
        f"{narrative.number_word(int(years), neuter=True)} år mellan {int(first)} och {int(last)}"
    )


def accuracy_section(run: ForecastRun, data: ReportData) -> Html:
    """Return prognossäkerhet at year-end: outcome − each earlier forecast, and the bias."""
    if data.period.month != 12:
        periods = run.register[run.register["board"] == data.board]["period"].nunique()
        text = (
            "Prognossäkerheten redovisas i årsredovisningen, när årets utfall är känt. "
            "Prognosregistret har prognoser från "
            f"{narrative.count_phrase(periods, 'period', 'perioder')} för {data.board}."
        )
        return Html(_paragraphs([text]), text)
    result = run.bias[(run.bias["kind"] == "result") & (run.bias["method"] == "arsprognos")]
    # Outcome minus forecast: positive when the year turned out better than forecast.
    sentences = [
        f"Prognosen i {MONTH_NAMES_SV[int(r.month) - 1]} har i genomsnitt "
        f"{'underskattat' if r.mean_error > 0 else 'överskattat'} årets resultat med "
        f"{mnkr(abs(r.mean_error))} miljoner kronor "
        f"({_years_text(r.first_year, r.last_year, r.years)})."
        for r in result.itertuples()
    ]
    caption = f"Prognossäkerhet {data.period.year}: utfall helår minus prognos (mnkr)"
    return Html(
        _paragraphs(sentences)
        + "\n"
        + tables.frame_html(display.accuracy_frame(run.accuracy), caption),
        " ".join(sentences) or caption,
    )


def forecast_charts(run: ForecastRun, data: ReportData) -> list[charts.Chart]:
    """Return the year-end chart of outcome − forecast for the result; none before December."""
    if data.period.month != 12 or run.all_accuracy.empty:
        return []
    return [
        charts.Chart(
            "prognossakerhet",
            "Prognossäkerhet för årets resultat: utfall minus prognos (mnkr)",
            accuracy_chart(run.all_accuracy),
            accuracy_alt_text(run.all_accuracy),
            "Källa: prognosregistret, årsprognoserna och årets utfall i december.",
        )
    ]
