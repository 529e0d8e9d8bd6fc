"""The report notebook as one self-contained HTML file for email: no code, no scripts, no links."""

import re
from html.parser import HTMLParser
from pathlib import Path

from klk_analysis.errors import RunFailedError

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "rapport"
MAX_BYTES = 2_000_000
# Cells with this tag (explanations for whoever opens the notebook) stay out of the report.
HIDDEN_TAG = "remove_cell"
# The rules judge what a browser would fetch or run (attributes, CSS, elements), never the text
# a reader sees: a web address in a workbook's text is shown as text and fetches nothing.
# Attributes that make a browser fetch something (xlink:href too); only embedded data may
# appear in them, and in href only a link within the page.
_FETCHING = {"src", "srcset", "href", "action", "formaction", "poster", "background", "data"}
_FORBIDDEN_ELEMENTS = ("script", "iframe", "frame", "object", "embed", "link", "base", "applet")
_EMBEDDED = re.compile(r"url\(\s*(['\"]?)(?!data:)", re.IGNORECASE)


def export_html(notebook: Path, target: Path, title: str, footer: str = "") -> Path:
    """Export an executed notebook to target as the script-free report and check its rules."""
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDDEN_TAG}, enabled=True), enabled=True
    )
    notebook_node = nbformat.read(notebook, as_version=4)
    resources = {
        "klk": {"lang": "sv", "title": title, "footer": footer, "css_title": css_string(title)}
    }
    body, _ = exporter.from_notebook_node(notebook_node, resources=resources)
    problems = check_html(body)
    if problems:
        raise RunFailedError(
            f"{notebook.name}: rapporten bryter mot reglerna för e-post: " + "; ".join(problems)
        )
    target.write_text(body, encoding="utf-8")
    return target


def css_string(text: str) -> str:
    """Return a text for inside a double-quoted CSS string: quotes, backslashes and < escaped."""
    # Escaped as CSS code points, so a board name cannot end the string, the rule or the <style>.
    return "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in text)


class _Rules(HTMLParser):
    """Collects what an emailed report must not contain while walking its tags."""

    def __init__(self, relative_links: bool = False):
        super().__init__(convert_charrefs=True)
        self.relative_links = relative_links
        self.problems: list[str] = []
        self.lang: str | None = None
        self.title = ""
        self._in_title = False
        self._style = False
        self.tables = self.header_cells = self.images = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "style":
            self._style = True
        elif tag in _FORBIDDEN_ELEMENTS:
            self.problems.append(f"elementet <{tag}> är inte tillåtet")
        elif tag == "meta" and (values.get("http-equiv") or "").strip().casefold() == "refresh":
            self.problems.append("<meta http-equiv=refresh> hämtar en annan sida")
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.header_cells += 1
            if "scope" not in values:
                self.problems.append("en rubrikcell <th> saknar scope")
        elif tag == "img":
            self.images += 1
            if not (values.get("alt") or "").strip():
                self.problems.append("en bild saknar textalternativ (alt)")
        for name, value in attrs:
            value = (value or "").strip()
            local = name.rsplit(":", 1)[-1]  # xlink:href is an href
            if name.startswith("on"):
                self.problems.append(f"attributet {name} (skript) är inte tillåtet")
            elif local in _FETCHING and value:
                allowed = (
                    value.startswith("#") or (self.relative_links and _relative(value))
                    if local == "href"
                    else value.startswith("data:")
                )
                if not allowed:
                    self.problems.append(f"{tag} {name}={value[:60]!r} pekar utanför filen")
            elif name == "style" and (_EMBEDDED.search(value) or "@import" in value.casefold()):
                self.problems.append(f"{tag} style hämtar en fil utanför rapporten")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "style":
            self._style = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._style and (_EMBEDDED.search(data) or "@import" in data.casefold()):
            self.problems.append("stilmallen hämtar en fil utanför rapporten (url() eller @import)")


def _relative(link: str) -> bool:
    # A file beside the page (kommunstyrelsen/rapport.html): no scheme, no host, no root, no "..".
    return ":" not in link and not link.startswith(("/", "\\")) and ".." not in link


def check_html(text: str, relative_links: bool = False) -> list[str]:
    """Return the ways an HTML report breaks the email rules (empty when it keeps them all).

    With relative_links, links to files beside the page (a board's report) are allowed too.
    """
    rules = _Rules(relative_links)
    rules.feed(text)
    rules.close()
    problems = list(rules.problems)
    if rules.lang != "sv":
        problems.append(f'<html> har lang={rules.lang!r}, förväntade lang="sv"')
    if not rules.title.strip():
        problems.append("rapporten saknar <title>")
    if rules.tables > rules.header_cells:
        problems.append("en tabell saknar rubrikceller <th>")
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        problems.append(f"rapporten är {size} byte, mer än {MAX_BYTES}")
    return problems
