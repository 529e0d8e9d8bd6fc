"""The report as records: headed sections of paragraphs, lists, display frames and figures.

The organisation part and the economy part each return sections; `document_html` turns the
whole list into HTML once, with a table of contents. Text is escaped where it becomes HTML:
`tables.inline_html` for sentences and cells, `tables.frame_html` for tables, here for headings.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from klk_analysis import charts, tables
from klk_analysis.tables import Link, Marked, Strong, inline_html

# Deeper headings than this stay out of the table of contents.
CONTENTS_DEPTH = 3

Inline = str | Link | Marked | Strong


class _Shown:
    """Shows a record as HTML where a notebook displays it (JupyterLab, notebook 01)."""

    def _repr_html_(self) -> str:
        return section_html(self) if isinstance(self, Section) else part_html(self)


@dataclass(frozen=True)
class Paragraph(_Shown):
    """A paragraph of text pieces (a sentence, bold words, a symbol); css styles it."""

    pieces: tuple[Inline, ...]
    css: str = ""


@dataclass(frozen=True)
class Bullets(_Shown):
    """A bullet list; each item is a tuple of text pieces."""

    items: tuple[tuple[Inline, ...], ...]
    css: str = ""


@dataclass(frozen=True)
class Heading(_Shown):
    """A heading inside a section that the table of contents leaves out (an events group)."""

    level: int
    text: str


@dataclass(frozen=True, eq=False)
class Table(_Shown):
    """A display frame and how `tables.frame_html` shows it (caption, css, signed columns …)."""

    frame: pd.DataFrame
    caption: str
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Figure(_Shown):
    """A chart as a figure: the embedded image, its text alternative and caption."""

    chart: charts.Chart
    dpi: int = charts.DPI


@dataclass(frozen=True)
class Block(_Shown):
    """Parts kept together in a styled container: a commitment, the reconciliation."""

    parts: tuple
    css: str
    tag: str = "div"


Part = Paragraph | Bullets | Heading | Table | Figure | Block


@dataclass(frozen=True)
class Section(_Shown):
    """One headed part of the report: link target, heading, heading level and its content."""

    id: str
    heading: str
    level: int
    parts: tuple[Part, ...] = ()


def anchor(title: str) -> str:
    """Return a link target for a heading: lower case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-") or "avsnitt"


def section(heading: str, level: int, parts=(), target: str = "") -> Section:
    """Return a section whose link target is made from its heading unless one is given."""
    return Section(target or anchor(heading), heading, level, tuple(parts))


def paragraphs(texts, css: str = "") -> tuple[Paragraph, ...]:
    """Return plain-text paragraphs (generated sentences) as paragraph records, empty ones left."""
    return tuple(Paragraph((t,), css) for t in texts if t)


def unique_ids(sections: list[Section]) -> list[Section]:
    """Return the sections with a number after a link target already used: "ekonomi-2"."""
    seen: dict[str, int] = {}
    unique = []
    for s in sections:
        n = seen.get(s.id, 0)
        seen[s.id] = n + 1
        unique.append(s if n == 0 else Section(f"{s.id}-{n + 1}", s.heading, s.level, s.parts))
    return unique


def part_html(part: Part) -> str:
    """Return one content part as HTML."""
    if isinstance(part, Paragraph):
        css = f' class="{escape(part.css, quote=True)}"' if part.css else ""
        return f"<p{css}>{''.join(inline_html(p) for p in part.pieces)}</p>"
    if isinstance(part, Bullets):
        css = f' class="{escape(part.css, quote=True)}"' if part.css else ""
        items = "".join(f"<li>{''.join(inline_html(p) for p in i)}</li>" for i in part.items)
        return f"<ul{css}>{items}</ul>"
    if isinstance(part, Heading):
        return f"<h{part.level}>{escape(part.text)}</h{part.level}>"
    if isinstance(part, Table):
        return tables.frame_html(part.frame, part.caption, **part.options)
    if isinstance(part, Figure):
        return charts.figure_html(part.chart, part.dpi)
    if isinstance(part, Block):
        inner = parts_html(part.parts)
        return f'<{part.tag} class="{escape(part.css, quote=True)}">{inner}</{part.tag}>'
    raise TypeError(f"okänd del av rapporten: {type(part).__name__}")


def parts_html(parts) -> str:
    """Return content parts as HTML, one after another."""
    return "\n".join(part_html(p) for p in parts)


def section_html(s: Section) -> str:
    """Return a section as HTML: its heading with its link target, then its parts."""
    heading = f'<h{s.level} id="{escape(s.id, quote=True)}">{escape(s.heading)}</h{s.level}>'
    return "\n".join([heading, *(part_html(p) for p in s.parts)])


def contents_html(sections: list[Section]) -> str:
    """A table of contents linking to every section, deeper headings nested under theirs."""
    entries: list[tuple[str, list[str]]] = []
    for s in sections:
        if s.level > CONTENTS_DEPTH or s.level < 2:
            continue
        link = inline_html(Link(s.heading, f"#{s.id}"))
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
    """Return the sections as HTML, one after another."""
    return "\n".join(section_html(s) for s in sections)


def document_html(title: Section, sections: list[Section], contents: bool = True) -> str:
    """Return the report's body: the title section, the table of contents, every section."""
    parts = [section_html(title)]
    if contents:
        parts.append(contents_html(sections))
    parts.append(sections_html(sections))
    return "\n".join(parts)
