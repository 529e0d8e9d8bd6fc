"""The text a reader of an HTML page meets, one line per block, whatever the markup around it.

Used to compare a whole report before and after a change of its markup: headings, paragraphs,
list items, captions and every table row (cells joined by " | "), the charts' text alternatives,
and the text said to screen readers only. Styles, scripts and the footer (the run's time) are
left out; runs of white space count as one space.
"""

from html.parser import HTMLParser

BLOCKS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "caption",
    "figcaption",
    "tr",
    "nav",
    "section",
    "div",
    "ul",
    "ol",
    "table",
    "figure",
    "title",
}
SKIPPED = {"style", "script", "footer", "head"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current = ""
        self.skipping = 0

    def _flush(self):
        line = " ".join(self.current.split())
        if line:
            self.lines.append(line)
        self.current = ""

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self._flush()
        elif tag in ("td", "th") and self.current.strip():
            self.current += " | "
        elif tag == "img" and not self.skipping:
            self._flush()
            self.lines.append("[bild] " + " ".join((dict(attrs).get("alt") or "").split()))

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping -= 1
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.skipping:
            self.current += data


def visible_text(html: str) -> list[str]:
    """Return the page's text as a reader meets it, one line per block."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.lines
