"""The report notebook's building blocks: each function returns content records (sections).

The economy functions return parts (paragraphs, display frames, figures) that `economy` puts
under their headings; `document` places them in the organisation's sections and renders the
whole report as HTML once (`sections.document_html`).
"""

from dataclasses import dataclass
from pathlib import Path

from klk_analysis import (
    charts,
    delivery,
    display,
    narrative,
    organisation_sections,
    paths,
    tables,
    wording,
)
from klk_analysis.errors import UnusableInputError
from klk_analysis.forecasts import (
    DEFAULT_THRESHOLD_MNKR,
    FORECAST_LABEL,
    method_note,
    write_forecast_xlsx,
)
from klk_analysis.formatting import (
    MONTH_NAMES_SV,
    count_phrase,
    mnkr,
    number_word,
    period_text,
)
from klk_analysis.loading import Workbook, tidy
from klk_analysis.organisation import Organisation
from klk_analysis.periods import Period
from klk_analysis.register import (
    ForecastRun,
    accuracy_alt_text,
    accuracy_chart,
    forecast_run,
)
from klk_analysis.sections import (
    Block,
    Bullets,
    Figure,
    Paragraph,
    Part,
    Section,
    Table,
    document_html,
    paragraphs,
    section,
)
from klk_analysis.source import Source, read_source, saved_source
from klk_analysis.tables import Strong
from klk_analysis.validation import (
    DEFAULT_TOLERANCE,
    Finding,
    count_by_severity,
    raise_for_errors,
    reconcile,
)

# The economy part's headings stand under the Ekonomi area's (h3).
ECONOMY_LEVEL = 4
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


def title(data: ReportData) -> Section:
    """Return the report's heading with the board, the period and the source file."""
    months, source = period_text(data.period), data.workbook.path.name
    kalla = f"Ekonomi {months}. Belopp i miljoner kronor (mnkr). Källa: arbetsboken {source}."
    return section(report_title(data.board, data.period), 1, paragraphs([kalla], "kalla"))


def economy_context(data: ReportData) -> dict:
    """Return the figures and names the economy section's sentences are made from."""
    return narrative.economy_context(data.workbook, list(data.findings))


def summary(data: ReportData) -> tuple[Part, ...]:
    """Return the summary: total revenue budget and driftram, the result and the forecast."""
    return paragraphs(narrative.summary(economy_context(data)))


def comments(data: ReportData) -> tuple[Part, ...]:
    """Return the comments on result and forecast as a list, as the source document has them."""
    texts = narrative.comments(economy_context(data))
    return (Bullets(tuple((t,) for t in texts), "kommentarer"),)


def _is_rounding(finding: Finding) -> bool:
    return finding.severity == "info" and finding.computed is not None


def _finding_item(finding: Finding, path: Path) -> tuple:
    if finding.severity == "info" and not _is_rounding(finding):
        # A note from reading the workbook (blank cells read as zero, no forecast columns):
        # its own sentence, naming the file by its name rather than its whole path.
        text = finding.message.replace(str(path), path.name)
        return (Strong("Notering:", "info"), f" {text}")
    label = wording.SEVERITY_IN_REPORT[finding.severity]
    # The report's own sentence from the finding's fields, not the command line's message.
    return (Strong(f"{label}:", finding.severity), f" {narrative.finding_sentence(finding)}")


def rounding_table(notes: list[Finding]) -> Table:
    """Return the rounding notes as a compact table: where, printed, computed and the gap."""
    return Table(
        display.rounding_frame(notes),
        ROUNDING_CAPTION,
        {"css": "tabell avrundning", "signed": display.ROUNDING_SIGNED},
    )


def findings_section(data: ReportData) -> Block:
    """Return the reconciliation's outcome: a sentence with the counts, then every finding."""
    counts = count_by_severity(list(data.findings))
    notes_text = count_phrase(
        sum(map(_is_rounding, data.findings)), "avrundningsdifferens", "avrundningsdifferenser"
    )
    summary = (
        "Avstämningen av arbetsbokens summor och avvikelser gav "
        f"{count_phrase(counts['error'], 'fel', 'fel', neuter=True)}, "
        f"{count_phrase(counts['warning'], 'varning', 'varningar')} och "
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
    parts: list[Part] = [Paragraph((summary,))]
    if serious:
        path = data.workbook.path
        parts.append(Bullets(tuple(_finding_item(f, path) for f in serious)))
    if notes:
        # A plain table, not a closed <details>: printed on paper it must still show every note.
        parts.append(rounding_table(notes))
    return Block(tuple(parts), "avstamning", tag="section")


def printed_table(table) -> Table:
    """Return a table as printed: its title said to screen readers, the unit as caption."""
    return Table(
        tables.printed_frame(table),
        tables.UNIT_NOTE.capitalize(),
        {"title": tables.TITLES.get(table.name, table.sheet), "label": tables.caption(table)},
    )


def resultatrakning_table(data: ReportData) -> tuple[Part, ...]:
    """Return the resultaträkning as printed in the source workbook."""
    return (printed_table(data.workbook.resultatrakning),)


def driftredovisning_table(data: ReportData) -> tuple[Part, ...]:
    """Return the driftredovisning per unit as printed in the source workbook."""
    return (printed_table(data.workbook.driftredovisning),)


def economy_charts(data: ReportData) -> list[charts.Chart]:
    """Return the economy section's charts, each with its Swedish text alternative."""
    return charts.economy_charts(data.workbook)


def figures(chart_list: list[charts.Chart]) -> tuple[Part, ...]:
    """Return the charts as figures with embedded images, text alternatives and captions."""
    return tuple(Figure(c) for c in chart_list)


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


def economy(
    data: ReportData,
    chart_list: list[charts.Chart],
    forecast: ForecastRun,
    forecast_chart_list: list[charts.Chart],
) -> list[Section]:
    """Return the economy part's sections in the report's order, under the Ekonomi area."""
    parts = {
        "Resultaträkning": resultatrakning_table(data),
        "Driftredovisning – underliggande enheter": driftredovisning_table(data),
        "Diagram": figures(chart_list),
        "Kommentarer till resultat och prognos": comments(data),
        "Prognos": (
            *forecast_text(forecast),
            *forecast_tables(forecast, data),
            *forecast_notes(forecast),
        ),
        "Prognossäkerhet": (*accuracy_section(forecast, data), *figures(forecast_chart_list)),
        "Avstämning av arbetsboken": (findings_section(data),),
    }
    return [section(heading, ECONOMY_LEVEL, content) for heading, content in parts.items()]


def sections(data: ReportData, org: Organisation, economy_part: list[Section]) -> list[Section]:
    """Return the report's sections: the organisation's, with the economy part where it belongs."""
    # The economy's summary sentences open the report's Sammanfattning, as in the document.
    return organisation_sections.report_sections(
        org, data.board, data.period, economy=economy_part, economy_summary=summary(data)
    )


def document(data: ReportData, org: Organisation, economy_part: list[Section]) -> Html:
    """Return the whole report as HTML, rendered once: title, table of contents, sections."""
    heading = title(data)
    return Html(document_html(heading, sections(data, org, economy_part)), heading.heading)


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


def forecast_text(run: ForecastRun) -> tuple[Part, ...]:
    """Return the flagged forecasts in words: the result, the lines behind it, the units."""
    if run.projections["arsprognos"].isna().all():
        texts = ["Arbetsboken har ingen årsprognos; tabellerna visar beräkningarna av helåret."]
    else:
        texts = run.sentences or [
            "Årsprognosen ligger inom beräkningarna av helåret för alla rader och enheter."
        ]
    return paragraphs(texts)


def forecast_notes(run: ForecastRun) -> tuple[Part, ...]:
    """Return the short "Om beräkningarna" paragraph: how the projections are made, what lacks."""
    note = method_note(run.projections, run.threshold)
    return (Paragraph((Strong("Om beräkningarna."), f" {note}"), "om-berakningarna"),)


def forecast_tables(run: ForecastRun, data: ReportData) -> tuple[Part, ...]:
    """Return the projections beside the årsprognos: the resultaträkning, then the units."""
    return tuple(
        Table(
            display.forecast_frame(run.projections, table),
            f"{title}: helåret beräknat utifrån {period_text(data.period)} och "
            f"{FORECAST_LABEL.lower()} (mnkr). Tom cell: kan inte beräknas.",
        )
        for table, (title, _label) in display.FORECAST_TABLES.items()
    )


def _years_text(first: int, last: int, years: int) -> str:
    if first == last:
        return str(int(first))
    return f"{number_word(int(years), neuter=True)} år mellan {int(first)} och {int(last)}"


def accuracy_section(run: ForecastRun, data: ReportData) -> tuple[Part, ...]:
    """Return prognossäkerhet at year-end: outcome − each earlier forecast, and the bias."""
    if data.period.month != 12:
        periods = run.register[run.register["board"] == data.board]["period"].nunique()
        text = (
            "Prognossäkerheten redovisas i årsredovisningen, när årets utfall är känt. "
            "Prognosregistret har prognoser från "
            f"{count_phrase(periods, 'period', 'perioder')} för {data.board}."
        )
        return paragraphs([text])
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
    return (*paragraphs(sentences), Table(display.accuracy_frame(run.accuracy), caption))


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
