import re
import shutil
from html.parser import HTMLParser

import pytest

from klk_analysis.errors import RunFailedError
from klk_analysis.htmlexport import TEMPLATES, check_html, export_html
from tests.lazy import nbformat

PAGE = (
    '<!DOCTYPE html><html lang="sv"><head><title>T</title><style>{css}</style></head>'
    "<body>{body}</body></html>"
)


def page(body="", css=""):
    return PAGE.format(body=body, css=css)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def report_html(period_run):
    return (period_run.out_dir / "rapport.html").read_text(encoding="utf-8")


def test_report_keeps_every_email_rule(report_html):
    assert check_html(report_html) == []
    assert "<script" not in report_html.lower()
    assert '<html lang="sv">' in report_html
    assert len(report_html.encode("utf-8")) < 2_000_000


def test_report_title_names_board_and_period(report_html):
    title = re.search(r"<title>(.*?)</title>", report_html).group(1)
    assert title == "Kommunstyrelsens delårsrapport 1, 2022"


def test_report_images_are_embedded_with_swedish_alt_text(report_html):
    collect = _Collect()
    collect.feed(report_html)
    images = [attrs for tag, attrs in collect.tags if tag == "img"]
    assert len(images) == 4
    for attrs in images:
        assert attrs["src"].startswith("data:image/png;base64,")
        assert "miljoner kronor" in attrs["alt"]
    assert "Budgetavvikelse per enhet" in images[0]["alt"]
    assert "KLK Näringsliv +3,5" in images[0]["alt"]
    for tag, attrs in collect.tags:
        assert tag not in ("link", "script", "iframe")
        for name in ("src", "href"):
            assert not attrs.get(name, "data:").startswith(("http", "//"))


def test_report_tables_have_header_cells_and_swedish_numbers(report_html):
    assert '<th scope="col">Utfall Mar 2022</th>' in report_html
    assert '<th scope="row">Summa ÅRETS RESULTAT</th>' in report_html
    # Personalkostnader, Utfall Mar 2022: −29,1 with a true minus sign.
    assert '<td class="tal" style="text-align: right">\u221229,1</td>' in report_html
    assert "@page {\n  size: A4" in report_html


def test_report_hides_code_and_notes_for_the_notebook_reader(report_html):
    assert "report.load(" not in report_html
    assert "remove_cell" not in report_html
    assert "parametercell" not in report_html.lower()


@pytest.mark.parametrize(
    ("body", "css", "problem"),
    [
        ("<script>alert(1)</script>", "", "<script>"),
        ('<a href="https://example.org">x</a>', "", "pekar utanför"),
        ('<img src="https://cdn.example/x.png" alt="x">', "", "pekar utanför"),
        ('<img src="data:image/png;base64,AA==">', "", "textalternativ"),
        ('<link rel="stylesheet" href="x.css">', "", "<link>"),
        ("", "body { background: url(bild.png) }", "url()"),
        ("", "@import 'x.css';", "url()"),
        ('<p style="background:url(//x/y.png)">x</p>', "", "style"),
        ("<table><tr><td>1</td></tr></table>", "", "rubrikceller"),
        ("<table><tr><th>a</th></tr></table>", "", "scope"),
        ('<p onclick="x()">x</p>', "", "skript"),
        ('<iframe src="data:text/html,x"></iframe>', "", "<iframe>"),
        ('<svg><image xlink:href="https://x.example/a.png"/></svg>', "", "pekar utanför"),
        ('<img srcset="https://x.example/a.png 2x" alt="a">', "", "pekar utanför"),
        ('<meta http-equiv="Refresh" content="0; url=https://x.example">', "", "refresh"),
        ("", "@IMPORT 'https://x.example/a.css';", "url()"),
    ],
)
def test_check_html_finds_each_broken_rule(body, css, problem):
    problems = check_html(page(body, css))
    assert any(problem in p for p in problems), problems


def test_a_web_address_in_the_text_a_reader_sees_is_no_problem():
    # Text fetches nothing, in a paragraph, a table cell, an alt text or a title alike.
    body = (
        "<p>Läs mer, se https://www.eskilstuna.se/kommun-och-politik och ftp://arkiv.example.</p>"
        '<table><tr><th scope="row">http://x.example</th></tr></table>'
        '<img src="data:image/png;base64,AA==" alt="Källa: https://www.scb.se/">'
    )
    assert check_html(page(body)) == []


def test_check_html_accepts_embedded_data_and_anchors():
    body = (
        '<a href="#tabell">x</a><img src="data:image/png;base64,AA==" alt="Diagram">'
        '<table><tr><th scope="col">a</th></tr></table>'
    )
    assert check_html(page(body, "h1 { color: #123456 }")) == []
    assert any("lang" in p for p in check_html(page().replace(' lang="sv"', "")))


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_stylesheet_text_colours_meet_wcag_aa_contrast():
    css = (TEMPLATES / "rapport" / "rapport.css").read_text(encoding="utf-8")
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    checked = 0
    for _selector, body in rules:
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", body)
        if not colour:
            continue
        background = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", body)
        # Without its own background a rule's text sits on the page's white or the header fill.
        grounds = [background.group(1)] if background else ["#ffffff", "#e6edf4"]
        for ground in grounds:
            assert _contrast(colour.group(1), ground) >= 4.5, (_selector, colour.group(1), ground)
        checked += 1
    assert checked >= 5


def _executed_notebook(path):
    hidden = nbformat.v4.new_markdown_cell("Bara för den som öppnar anteckningsboken.")
    hidden.metadata["tags"] = ["remove_cell"]
    code = nbformat.v4.new_code_cell("report.title(data)")
    code.outputs = [
        nbformat.v4.new_output(
            "execute_result", {"text/html": "<h1>Rubrik</h1>", "text/plain": "x"}, execution_count=1
        ),
        nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: något"),
        nbformat.v4.new_output("display_data", {"application/javascript": "alert(1)"}),
    ]
    book = nbformat.v4.new_notebook(cells=[hidden, nbformat.v4.new_markdown_cell("## Del"), code])
    nbformat.write(book, path)
    return path


@pytest.mark.slow
def test_export_hides_code_notes_warnings_and_scripts(tmp_path):
    target = export_html(_executed_notebook(tmp_path / "n.ipynb"), tmp_path / "r.html", "Titel")
    text = target.read_text(encoding="utf-8")
    assert "<h1>Rubrik</h1>" in text and "<h2" in text
    for absent in ("report.title", "Bara för den som", "FutureWarning", "alert(1)", "<script"):
        assert absent not in text
    assert "<title>Titel</title>" in text


@pytest.mark.slow
def test_export_refuses_a_report_that_would_load_something_from_the_web(tmp_path):
    path = _executed_notebook(tmp_path / "n.ipynb")
    book = nbformat.read(path, as_version=4)
    book.cells[2].outputs[0]["data"]["text/html"] = '<img src="https://x.example/a.png" alt="a">'
    nbformat.write(book, path)
    with pytest.raises(RunFailedError, match="pekar utanför"):
        export_html(path, tmp_path / "r.html", "Titel")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_a_web_address_in_an_event_text_is_shown_as_text_and_the_run_succeeds(tmp_path):
    import openpyxl

    from klk_analysis import runner
    from tests.workbooks import SHIPPED

    workbook = tmp_path / "handelser.xlsx"
    shutil.copy(SHIPPED, workbook)
    book = openpyxl.load_workbook(workbook)
    events = book["Väsentliga händelser"]
    events["B4"] = f"{events['B4'].value} Läs mer, se https://www.eskilstuna.se/kommun-och-politik."
    book.save(workbook)
    out = tmp_path / "ut"
    result = runner.run_period("2022-03", workbook=workbook, out_dir=out, processed=tmp_path / "p")
    assert result.exit_code == 0, result.message
    text = (out / "rapport.html").read_text(encoding="utf-8")
    assert "Läs mer, se https://www.eskilstuna.se/kommun-och-politik.</li>" in text
    assert not re.search(r"""(?:href|src)\s*=\s*["']?(?:https?:|//)""", text)


def test_the_title_in_the_print_margin_cannot_break_out_of_its_css_string():
    from klk_analysis.htmlexport import css_string

    assert css_string("Kommunstyrelsens delårsrapport 1, 2022") == (
        "Kommunstyrelsens delårsrapport 1, 2022"
    )
    hostile = 'Nämnd "x"; } body { display: none } </style><script>'
    escaped = css_string(hostile)
    # Inside the string "}" and ";" are plain text; only a quote, a backslash, a line break
    # or "<" (which could end the <style> element) could break out, and all are escaped.
    left = escaped.replace("\\22 ", "").replace("\\3c ", "").replace("\\3e ", "")
    assert not set('"<>\\\n') & set(left)
    assert escaped.startswith("Nämnd \\22 x\\22 ; }")


def test_report_prints_its_title_and_page_numbers_in_the_margins(report_html):
    assert 'content: "Sida " counter(page) " av " counter(pages);' in report_html
    title = "Kommunstyrelsens delårsrapport 1, 2022"
    assert f'content: "{title}";' in report_html
    assert "display: table-header-group" in report_html
