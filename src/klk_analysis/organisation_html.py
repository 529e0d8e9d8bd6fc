"""HTML fragments for the organisation part of the report, in the source document's structure.

Every symbol is shown with its text (shape and words, never colour alone); every text from the
workbook is escaped; tables have real header cells. A value the workbook does not give is shown
as "ej angiven", never guessed.
"""

import re
import unicodedata
from dataclasses import dataclass
from html import escape

import pandas as pd

from klk_analysis.formatting import number
from klk_analysis.narrative import percent
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
_OVERVIEW_TEXTS = (OVERVIEW, FOUR_YEAR_GOALS, COMMITMENT_STATUS)
_KNOWN_TEXTS = (SUMMARY, *_OVERVIEW_TEXTS, INTERNAL_CONTROL)

# Where the economy part goes when the report is built in pieces (notebook cells).
ECONOMY_SLOT = "<!-- ekonomidelen -->"

_LEGEND_TEXTS = {
    "assessment": "Bedömningen grundar sig på en samlad bedömning av huvudprocesserna inom "
    "processområdet.",
    "status": "Status anger vilken status det 1-åriga åtagandet bedöms ha vid årsskiftet.",
    "completion": "Visar hur långt arbetet med åtagandet kommit vid aktuellt "
    "rapporteringstillfälle.",
    "trend": "Trendpilen visar hur måluppfyllelsen eller bedömningen har förändrats jämfört "
    "med föregående år.",
}


@dataclass(frozen=True)
class Section:
    """One headed part of the report: heading level, link target, heading text and HTML body."""

    level: int
    anchor: str
    title: str
    body: str


def anchor(title: str) -> str:
    """Return a link target for a heading: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-") or "avsnitt"


def _symbol(symbol: str, label: str, css: str) -> str:
    return (
        f'<span class="symbol {css}" aria-hidden="true">{escape(symbol)}</span> '
        f'<span class="symbol-text">{escape(label)}</span>'
    )


def _not_given() -> str:
    return f'<span class="ej-angiven">{NOT_GIVEN}</span>'


def assessment_html(assessment: str | None) -> str:
    """Show an assessment as shape and words, or 'ej angiven'."""
    if assessment is None:
        return _not_given()
    return _symbol(
        ASSESSMENT_SYMBOLS[assessment], ASSESSMENTS[assessment][0], f"bedomning-{assessment}"
    )


def trend_html(trend: str | None) -> str:
    """Show a trend as an arrow and words, or 'ej angiven'."""
    if trend is None:
        return _not_given()
    return _symbol(TREND_SYMBOLS[trend], TRENDS[trend][0], f"trend-{trend}")


def status_html(status: str | None) -> str:
    """Show a commitment's status as a symbol and words, or 'ej angiven'."""
    if status is None:
        return _not_given()
    return _symbol(STATUS_SYMBOLS[status], STATUSES[status][0], f"status-{status}")


def completion_html(completion: int | None) -> str:
    """Show a degree of completion as a bar of blocks and the percentage, or 'ej angiven'."""
    if completion is None or pd.isna(completion):
        return _not_given()
    return _symbol(completion_bar(completion), percent(completion, 0), f"fardiggrad-{completion}")


def completion_bar(completion: int) -> str:
    """A bar of five blocks, one filled per 20 %: ▰▱▱▱▱ for 20 %."""
    filled = round(completion / 100 * COMPLETION_STEPS)
    return "▰" * filled + "▱" * (COMPLETION_STEPS - filled)


def text_html(text: str | None) -> str:
    """Turn a cell's text into paragraphs; lines that start with a dash become a bullet list."""
    if not text:
        return ""
    parts = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        bullets = [line for line in lines if line[:1] in "-–•"]
        if bullets and len(bullets) == len(lines):
            items = "".join(f"<li>{escape(line[1:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{escape(' '.join(lines))}</p>")
    return "\n".join(parts)


def _table(caption: str | None, header: list[str], rows: list[tuple[str, ...]], css: str) -> str:
    """A table whose first column heads each row; cells are HTML already escaped."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        f'<tr><th scope="row">{first}</th>' + "".join(f"<td>{c}</td>" for c in rest) + "</tr>"
        for first, *rest in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _area_anchor(name: str) -> str:
    return anchor("processomrade " + name)


def overview_html(areas: pd.DataFrame) -> str:
    """The overview of process areas per group: assessment and trend, linked to each section."""
    tables = []
    for group, (label, _words) in GROUPS.items():
        rows = [
            (
                f'<a href="#{_area_anchor(r.area)}">{escape(r.area)}</a>',
                assessment_html(r.assessment),
                trend_html(r.trend),
            )
            for r in areas[areas["group"] == group].itertuples()
        ]
        if rows:
            header = ["Processområde", "Bedömning", "Trend"]
            tables.append(_table(label, header, rows, "org processomraden"))
    return "\n".join(tables)


def legend_html() -> str:
    """The legend of every symbol the report uses, each with its meaning in words."""

    def legend(caption, description, symbols, labels, css):
        rows = [
            (f'<span class="symbol {css}-{k}">{escape(symbols[k])}</span>', escape(labels[k]))
            for k in symbols
        ]
        return f"<p>{escape(description)}</p>" + _table(
            caption, ["Symbol", "Innebörd"], rows, "org symboler"
        )

    completions = {c: completion_bar(c) for c in COMPLETIONS}
    return "\n".join(
        [
            legend(
                "Processområden",
                _LEGEND_TEXTS["assessment"],
                ASSESSMENT_SYMBOLS,
                {k: assessment_sentence(k) for k in ASSESSMENTS},
                "bedomning",
            ),
            legend(
                "Åtaganden",
                _LEGEND_TEXTS["status"],
                STATUS_SYMBOLS,
                {k: v[0] for k, v in STATUSES.items()},
                "status",
            ),
            legend(
                "Färdiggrad",
                _LEGEND_TEXTS["completion"],
                completions,
                {c: percent(c, 0) for c in COMPLETIONS},
                "fardiggrad",
            ),
            legend(
                "Trendpil",
                _LEGEND_TEXTS["trend"],
                TREND_SYMBOLS,
                {k: v[0] for k, v in TRENDS.items()},
                "trend",
            ),
            f"<p>Där arbetsboken inte anger ett värde står det {_not_given()}.</p>",
        ]
    )


def commitment_html(commitment) -> str:
    """One commitment: its text, the boards and companies named, status, completion, comment."""
    boards = f" ({escape(commitment.boards)})" if commitment.boards else ""
    status = (
        '<table class="org atagande-status"><thead><tr><th scope="col">Status</th>'
        '<th scope="col">Färdiggrad</th></tr></thead><tbody><tr>'
        f"<td>{status_html(commitment.status)}</td>"
        f"<td>{completion_html(commitment.completion)}</td></tr></tbody></table>"
    )
    return (
        f'<div class="atagande"><p class="atagande-text"><strong>{escape(commitment.text)}'
        f"</strong>{boards}</p>\n{status}\n{text_html(commitment.comment)}</div>"
    )


def area_html(area, commitments: pd.DataFrame | None, insert: str = "", level: int = 3) -> str:
    """A process area's section body: assessment and trend, text, inserted parts, commitments."""
    table = (
        '<table class="org bedomning"><thead><tr><th scope="col">Bedömning</th>'
        '<th scope="col">Trend</th></tr></thead><tbody><tr>'
        f"<td>{assessment_html(area.assessment)}</td><td>{trend_html(area.trend)}</td>"
        "</tr></tbody></table>"
    )
    parts = [table, text_html(area.text), f"<p>{escape(assessment_sentence(area.assessment))}</p>"]
    if insert:
        parts.append(insert)
    own = commitments[commitments["area"] == area.area] if commitments is not None else None
    if own is not None and not own.empty:
        heading = f"h{level + 1}"
        parts.append(f"<{heading}>1-åriga åtaganden</{heading}>")
        parts.extend(commitment_html(c) for c in own.itertuples())
    return "\n".join(p for p in parts if p)


def staff_html(staff: Staff, period: Period) -> str:
    """The staff section body: the generated sentence and a table of the figures."""

    def count(value):
        return _not_given() if value is None else escape(number(value, 0))

    def rate(value):
        return _not_given() if value is None else escape(percent(value))

    rows = [
        ("Tillsvidareanställda", count(staff.total)),
        ("varav kvinnor", count(staff.women)),
        ("varav män", count(staff.men)),
        ("Sjukfrånvaro", rate(staff.sick_leave)),
        ("Målnivå sjukfrånvaro", rate(staff.sick_leave_target)),
    ]
    caption = f"Medarbetare {staff.unit or ''} per {period.month_name} {period.year}"
    return f"<p>{escape(staff_sentence(staff, period))}</p>\n" + _table(
        " ".join(caption.split()), ["Uppgift", "Värde"], rows, "org medarbetare"
    )


def events_html(events: pd.DataFrame, level: int = 2) -> str:
    """The significant events as bullet lists under a heading per group."""
    parts, heading = [], f"h{level + 1}"
    for group, (label, _words) in GROUPS.items():
        own = events[events["group"] == group]
        if not own.empty:
            items = "".join(f"<li>{escape(t)}</li>" for t in own["text"])
            parts.append(f"<{heading}>{escape(label)}</{heading}>\n<ul>{items}</ul>")
    return "\n".join(parts)


def status_summary_html(board: str, year: int, commitments: pd.DataFrame) -> str:
    """The commitments sentence and the number of commitments per status, 'ej angiven' too."""
    counts = status_counts(commitments)
    rows = [
        (status_html(s), escape(str(n)))
        for s, n in zip(counts["status"], counts["count"], strict=True)
    ]
    return f"<p>{escape(commitments_sentence(board, year, commitments))}</p>\n" + _table(
        None, ["Status", "Antal åtaganden"], rows, "org status-antal"
    )


def _texts(summary: pd.DataFrame | None, section: str) -> str:
    if summary is None:
        return ""
    return "\n".join(text_html(t) for t in summary.loc[summary["section"] == section, "text"])


def report_sections(
    org: Organisation,
    board: str,
    period: Period,
    economy_html: str = "",
    economy_summary_html: str = "",
) -> list[Section]:
    """The report's sections in the source document's order, the economy part where it belongs."""
    sections: list[Section] = []

    def add(level, title, body, target=None):
        sections.append(Section(level, target or anchor(title), title, body))

    areas, summary, staff = org.process_areas, org.summary, org.staff
    staff_body = staff_html(staff, period) if staff is not None else ""
    if summary is not None or staff is not None or economy_summary_html:
        staff_sentence_html = (
            f"<p>{escape(staff_sentence(staff, period))}</p>" if staff is not None else ""
        )
        body = [_texts(summary, SUMMARY), economy_summary_html, staff_sentence_html]
        add(2, SUMMARY, "\n".join(b for b in body if b))
    if org.events is not None:
        add(2, EVENTS, events_html(org.events))
    placed_staff = placed_economy = False
    if areas is not None:
        add(2, OVERVIEW, _texts(summary, OVERVIEW) + "\n" + overview_html(areas))
        if summary is not None and (summary["section"] == FOUR_YEAR_GOALS).any():
            add(3, FOUR_YEAR_GOALS, _texts(summary, FOUR_YEAR_GOALS))
        if org.commitments is not None:
            body = status_summary_html(board, period.year, org.commitments)
            add(3, COMMITMENT_STATUS, body + "\n" + _texts(summary, COMMITMENT_STATUS))
        add(3, LEGEND, legend_html())
        for group, (label, _words) in GROUPS.items():
            own = areas[areas["group"] == group]
            if own.empty:
                continue
            add(2, label, "")
            for area in own.itertuples():
                insert = ""
                if area.key == STAFF.casefold() and staff is not None:
                    insert, placed_staff = staff_body, True
                elif area.key == ECONOMY.casefold() and economy_html:
                    insert, placed_economy = economy_html, True
                body = area_html(area, org.commitments, insert)
                add(3, area.area, body, _area_anchor(area.area))
    if staff is not None and not placed_staff:
        # Without a Medarbetare area the staff figures still come before the economy's area.
        economy_area = [i for i, s in enumerate(sections) if s.anchor == _area_anchor(ECONOMY)]
        at = economy_area[0] if economy_area else len(sections)
        level = sections[at].level if economy_area else 2
        sections.insert(at, Section(level, anchor(STAFF), STAFF, staff_body))
    if economy_html and not placed_economy:
        add(2, ECONOMY, economy_html)
    if summary is not None:
        if (summary["section"] == INTERNAL_CONTROL).any():
            add(2, INTERNAL_CONTROL, _texts(summary, INTERNAL_CONTROL))
        for section in summary["section"].drop_duplicates():
            if section not in _KNOWN_TEXTS:
                add(2, section, _texts(summary, section))
    return _unique_anchors(sections)


def _unique_anchors(sections: list[Section]) -> list[Section]:
    seen: dict[str, int] = {}
    unique = []
    for s in sections:
        n = seen.get(s.anchor, 0)
        seen[s.anchor] = n + 1
        unique.append(s if n == 0 else Section(s.level, f"{s.anchor}-{n + 1}", s.title, s.body))
    return unique


def table_of_contents_html(sections: list[Section]) -> str:
    """A table of contents linking to every section, deeper headings nested under theirs."""
    entries: list[tuple[str, list[str]]] = []
    for s in sections:
        link = f'<a href="#{escape(s.anchor)}">{escape(s.title)}</a>'
        if s.level > 2 and entries:
            entries[-1][1].append(link)
        else:
            entries.append((link, []))
    items = "".join(
        f"<li>{link}"
        + ("<ol>" + "".join(f"<li>{c}</li>" for c in children) + "</ol>" if children else "")
        + "</li>"
        for link, children in entries
    )
    return (
        '<nav class="innehall" aria-labelledby="innehall-rubrik">'
        f'<h2 id="innehall-rubrik">Innehåll</h2><ol>{items}</ol></nav>'
    )


def sections_html(sections: list[Section]) -> str:
    """The sections as HTML: each heading carries its link target, then its body."""
    return "\n".join(
        f'<h{s.level} id="{escape(s.anchor)}">{escape(s.title)}</h{s.level}>\n{s.body}'
        for s in sections
    )


def paragraphs_html(paragraphs: list[str]) -> str:
    """Escape plain-text paragraphs (such as generated sentences) into <p> elements."""
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def split_at_economy(sections: list[Section]) -> tuple[str, str]:
    """The sections' HTML before and after the economy part, for sections built with the slot."""
    before, slot, after = sections_html(sections).partition(ECONOMY_SLOT)
    if not slot:
        raise ValueError("sektionerna saknar platsen för ekonomidelen (ECONOMY_SLOT)")
    return before, after
