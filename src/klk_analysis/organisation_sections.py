"""The organisation part of the report as sections, in the source document's structure.

Every symbol is shown with its words (shape and words, never colour alone); tables are display
frames rendered by `tables.frame_html`, with real header cells. A value the workbook does not
give is shown as "ej angiven", never guessed. Nothing here writes HTML: `sections` renders.
"""

import re

import pandas as pd

from klk_analysis.formatting import number, percent
from klk_analysis.organisation import (
    ASSESSMENTS,
    COMPLETIONS,
    GROUPS,
    STATUSES,
    TRENDS,
    Organisation,
    Staff,
    assessment_sentence,
    commitments_sentence,
    staff_sentence,
    status_counts,
)
from klk_analysis.periods import Period
from klk_analysis.sections import (
    Block,
    Bullets,
    Heading,
    Paragraph,
    Part,
    Section,
    Table,
    anchor,
    paragraphs,
    section,
    unique_ids,
)
from klk_analysis.tables import Link, Marked, Strong

NOT_GIVEN = "ej angiven"
# Shapes that differ without colour: full, half and empty circle; arrows; tick and warning.
ASSESSMENT_SYMBOLS = {"uppnar": "●", "delvis": "◐", "ej": "○"}
TREND_SYMBOLS = {"battre": "↗", "oforandrad": "→", "samre": "↘"}
STATUS_SYMBOLS = {"klart": "✔", "forsenat": "⚠"}
COMPLETION_STEPS = 5  # a bar of five blocks: 20 % each

# Headings of the report's parts; the process areas and groups come from the workbook.
SUMMARY = "Sammanfattning"
EVENTS = "Väsentliga händelser"
OVERVIEW = "Sammanställning processområden"
FOUR_YEAR_GOALS = "Uppföljning fyraåriga processmål"
COMMITMENT_STATUS = "Status åtaganden"
LEGEND = "Förklaring symboler"
STAFF = "Medarbetare"
ECONOMY = "Ekonomi"
INTERNAL_CONTROL = "Intern styrning och kontroll"
COMMITMENTS = "1-åriga åtaganden"
_OVERVIEW_TEXTS = (OVERVIEW, FOUR_YEAR_GOALS, COMMITMENT_STATUS)
_KNOWN_TEXTS = (SUMMARY, *_OVERVIEW_TEXTS, INTERNAL_CONTROL)
# The organisation's small tables stand in the text's flow, without a scroll area of their own.
_ORG_TABLE = {"scroll": False}

_LEGEND_TEXTS = {
    "assessment": "Bedömningen grundar sig på en samlad bedömning av huvudprocesserna inom "
    "processområdet.",
    "status": "Status anger vilken status det 1-åriga åtagandet bedöms ha vid årsskiftet.",
    "completion": "Visar hur långt arbetet med åtagandet kommit vid aktuellt "
    "rapporteringstillfälle.",
    "trend": "Trendpilen visar hur måluppfyllelsen eller bedömningen har förändrats jämfört "
    "med föregående år.",
}

NOT_GIVEN_CELL = Marked(NOT_GIVEN, css="ej-angiven")


def assessment_cell(assessment: str | None) -> Marked:
    """Show an assessment as shape and words, or 'ej angiven'."""
    if assessment is None:
        return NOT_GIVEN_CELL
    label = ASSESSMENTS[assessment][0]
    return Marked(label, ASSESSMENT_SYMBOLS[assessment], f"bedomning-{assessment}")


def trend_cell(trend: str | None) -> Marked:
    """Show a trend as an arrow and words, or 'ej angiven'."""
    if trend is None:
        return NOT_GIVEN_CELL
    return Marked(TRENDS[trend][0], TREND_SYMBOLS[trend], f"trend-{trend}")


def status_cell(status: str | None) -> Marked:
    """Show a commitment's status as a symbol and words, or 'ej angiven'."""
    if status is None:
        return NOT_GIVEN_CELL
    return Marked(STATUSES[status][0], STATUS_SYMBOLS[status], f"status-{status}")


def completion_cell(completion: int | None) -> Marked:
    """Show a degree of completion as a bar of blocks and the percentage, or 'ej angiven'."""
    if completion is None or pd.isna(completion):
        return NOT_GIVEN_CELL
    return Marked(percent(completion, 0), completion_bar(completion), f"fardiggrad-{completion}")


def completion_bar(completion: int) -> str:
    """A bar of five blocks, one filled per 20 %: ▰▱▱▱▱ for 20 %."""
    filled = round(completion / 100 * COMPLETION_STEPS)
    return "▰" * filled + "▱" * (COMPLETION_STEPS - filled)


def text_parts(text: str | None) -> tuple[Part, ...]:
    """Turn a cell's text into paragraphs; lines that start with a dash become a bullet list."""
    if not text:
        return ()
    parts: list[Part] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        bullets = [line for line in lines if line[:1] in "-–•"]
        if bullets and len(bullets) == len(lines):
            parts.append(Bullets(tuple((line[1:].strip(),) for line in lines)))
        else:
            parts.append(Paragraph((" ".join(lines),)))
    return tuple(parts)


def _area_anchor(name: str) -> str:
    return anchor("processomrade " + name)


def overview_tables(areas: pd.DataFrame) -> list[Table]:
    """The overview of process areas per group: assessment and trend, linked to each section."""
    found = []
    for group, (label, _words) in GROUPS.items():
        own = areas[areas["group"] == group]
        if own.empty:
            continue
        frame = pd.DataFrame(
            {
                "Processområde": [Link(a, f"#{_area_anchor(a)}") for a in own["area"]],
                "Bedömning": [assessment_cell(a) for a in own["assessment"]],
                "Trend": [trend_cell(t) for t in own["trend"]],
            }
        )
        found.append(Table(frame, label, {"css": "org processomraden", **_ORG_TABLE}))
    return found


def _legend(caption, description, symbols, labels, css) -> tuple[Part, ...]:
    frame = pd.DataFrame(
        {
            "Symbol": [Marked("", symbols[k], f"{css}-{k}") for k in symbols],
            "Innebörd": [labels[k] for k in symbols],
        }
    )
    return (
        Paragraph((description,)),
        Table(frame, caption, {"css": "org symboler", **_ORG_TABLE}),
    )


def legend_parts() -> tuple[Part, ...]:
    """The legend of every symbol the report uses, each with its meaning in words."""
    completions = {c: completion_bar(c) for c in COMPLETIONS}
    return (
        *_legend(
            "Processområden",
            _LEGEND_TEXTS["assessment"],
            ASSESSMENT_SYMBOLS,
            {k: assessment_sentence(k) for k in ASSESSMENTS},
            "bedomning",
        ),
        *_legend(
            "Åtaganden",
            _LEGEND_TEXTS["status"],
            STATUS_SYMBOLS,
            {k: v[0] for k, v in STATUSES.items()},
            "status",
        ),
        *_legend(
            "Färdiggrad",
            _LEGEND_TEXTS["completion"],
            completions,
            {c: percent(c, 0) for c in COMPLETIONS},
            "fardiggrad",
        ),
        *_legend(
            "Trendpil",
            _LEGEND_TEXTS["trend"],
            TREND_SYMBOLS,
            {k: v[0] for k, v in TRENDS.items()},
            "trend",
        ),
        Paragraph(("Där arbetsboken inte anger ett värde står det ", NOT_GIVEN_CELL, ".")),
    )


def _one_row(columns: dict, css: str) -> Table:
    # One row of values under their headers: no cell heads the row.
    frame = pd.DataFrame({k: [v] for k, v in columns.items()})
    return Table(frame, "", {"css": css, "row_header": False, **_ORG_TABLE})


def commitment_block(commitment) -> Block:
    """One commitment: its text, the boards and companies named, status, completion, comment."""
    boards = (f" ({commitment.boards})",) if commitment.boards else ()
    status = _one_row(
        {
            "Status": status_cell(commitment.status),
            "Färdiggrad": completion_cell(commitment.completion),
        },
        "org atagande-status",
    )
    return Block(
        (
            Paragraph((Strong(commitment.text), *boards), "atagande-text"),
            status,
            *text_parts(commitment.comment),
        ),
        "atagande",
    )


def area_parts(area) -> tuple[Part, ...]:
    """A process area's own content: assessment and trend, its text, the assessment sentence."""
    table = _one_row(
        {"Bedömning": assessment_cell(area.assessment), "Trend": trend_cell(area.trend)},
        "org bedomning",
    )
    return (table, *text_parts(area.text), Paragraph((assessment_sentence(area.assessment),)))


def commitments_section(area_name: str, commitments: pd.DataFrame | None, level: int = 4):
    """The area's 1-year commitments under their own heading, or None when it has none."""
    if commitments is None:
        return None
    own = commitments[commitments["area"] == area_name]
    if own.empty:
        return None
    parts = [commitment_block(c) for c in own.itertuples()]
    return section(COMMITMENTS, level, parts, anchor("ataganden " + area_name))


def staff_parts(staff: Staff, period: Period) -> tuple[Part, ...]:
    """The staff section's content: the generated sentence and a table of the figures."""

    def count(value):
        return NOT_GIVEN_CELL if value is None else number(value, 0)

    def rate(value):
        return NOT_GIVEN_CELL if value is None else percent(value)

    frame = pd.DataFrame(
        {
            "Uppgift": [
                "Tillsvidareanställda",
                "varav kvinnor",
                "varav män",
                "Sjukfrånvaro",
                "Målnivå sjukfrånvaro",
            ],
            "Värde": [
                count(staff.total),
                count(staff.women),
                count(staff.men),
                rate(staff.sick_leave),
                rate(staff.sick_leave_target),
            ],
        }
    )
    caption = f"Medarbetare {staff.unit or ''} per {period.month_name} {period.year}"
    caption = " ".join(caption.split())
    return (
        Paragraph((staff_sentence(staff, period),)),
        Table(frame, caption, {"css": "org medarbetare", **_ORG_TABLE}),
    )


def events_parts(events: pd.DataFrame, level: int = 2) -> tuple[Part, ...]:
    """The significant events as bullet lists under a heading per group."""
    parts: list[Part] = []
    for group, (label, _words) in GROUPS.items():
        own = events[events["group"] == group]
        if not own.empty:
            parts += [Heading(level + 1, label), Bullets(tuple((t,) for t in own["text"]))]
    return tuple(parts)


def status_summary_parts(board: str, year: int, commitments: pd.DataFrame) -> tuple[Part, ...]:
    """The commitments sentence and the number of commitments per status, 'ej angiven' too."""
    counts = status_counts(commitments)
    frame = pd.DataFrame(
        {
            "Status": [status_cell(s) for s in counts["status"]],
            "Antal åtaganden": [str(n) for n in counts["count"]],
        }
    )
    return (
        Paragraph((commitments_sentence(board, year, commitments),)),
        Table(frame, "", {"css": "org status-antal", **_ORG_TABLE}),
    )


def _texts(summary: pd.DataFrame | None, name: str) -> tuple[Part, ...]:
    if summary is None:
        return ()
    return tuple(p for t in summary.loc[summary["section"] == name, "text"] for p in text_parts(t))


def report_sections(
    org: Organisation,
    board: str,
    period: Period,
    economy: list[Section] = (),
    economy_summary: tuple[Part, ...] = (),
) -> list[Section]:
    """The report's sections in the source document's order, the economy part where it belongs.

    The economy's sections follow the Ekonomi area's own text, before its commitments; its
    summary sentences open the Sammanfattning.
    """
    sections: list[Section] = []

    def add(level, title, parts, target=""):
        sections.append(section(title, level, parts, target))

    areas, summary, staff = org.process_areas, org.summary, org.staff
    staff_body = staff_parts(staff, period) if staff is not None else ()
    if summary is not None or staff is not None or economy_summary:
        staff_sentence_part = (
            paragraphs([staff_sentence(staff, period)]) if staff is not None else ()
        )
        add(2, SUMMARY, [*_texts(summary, SUMMARY), *economy_summary, *staff_sentence_part])
    if org.events is not None:
        add(2, EVENTS, events_parts(org.events))
    placed_staff = placed_economy = False
    if areas is not None:
        add(2, OVERVIEW, [*_texts(summary, OVERVIEW), *overview_tables(areas)])
        if summary is not None and (summary["section"] == FOUR_YEAR_GOALS).any():
            add(3, FOUR_YEAR_GOALS, _texts(summary, FOUR_YEAR_GOALS))
        if org.commitments is not None:
            parts = status_summary_parts(board, period.year, org.commitments)
            add(3, COMMITMENT_STATUS, [*parts, *_texts(summary, COMMITMENT_STATUS)])
        add(3, LEGEND, legend_parts())
        for group, (label, _words) in GROUPS.items():
            own = areas[areas["group"] == group]
            if own.empty:
                continue
            add(2, label, ())
            for area in own.itertuples():
                parts = area_parts(area)
                if area.key == STAFF.casefold() and staff is not None:
                    parts, placed_staff = (*parts, *staff_body), True
                add(3, area.area, parts, _area_anchor(area.area))
                if area.key == ECONOMY.casefold() and economy:
                    sections.extend(economy)
                    placed_economy = True
                own_commitments = commitments_section(area.area, org.commitments)
                if own_commitments is not None:
                    sections.append(own_commitments)
    if staff is not None and not placed_staff:
        # Without a Medarbetare area the staff figures still come before the economy's area.
        economy_area = [i for i, s in enumerate(sections) if s.id == _area_anchor(ECONOMY)]
        at = economy_area[0] if economy_area else len(sections)
        level = sections[at].level if economy_area else 2
        sections.insert(at, section(STAFF, level, staff_body))
    if economy and not placed_economy:
        add(2, ECONOMY, ())
        sections.extend(economy)
    if summary is not None:
        if (summary["section"] == INTERNAL_CONTROL).any():
            add(2, INTERNAL_CONTROL, _texts(summary, INTERNAL_CONTROL))
        for name in summary["section"].drop_duplicates():
            if name not in _KNOWN_TEXTS:
                add(2, name, _texts(summary, name))
    return unique_ids(sections)
