"""The shipped report as its readers meet it, measured in headless Chromium.

On a phone (360–430 px): no page-wide scrolling, every table in its own scroll area with the
label column in view, chart text legible. On paper: page numbers and the title in the margins.
For everyone: no WCAG 2.1 A/AA violation found by axe-core. Skipped, saying why, where Chromium,
its driver or axe-core is missing (`.ci/run` installs them).
"""

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from klk_analysis import charts

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
# axe-core is installed by `.ci/run` with npm into tests/node_modules (not committed).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
PHONES = (360, 390, 430)
# What a phone leaves the image beside the page's margins (12 px each side).
PHONE_MARGINS = 24

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Chromium och chromedriver saknas (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium saknas")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(period_run) -> Path:
    return period_run.out_dir / "rapport.html"


def _open(browser, report: Path, width: int) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(report.as_uri())


@pytest.mark.parametrize("width", PHONES)
def test_nothing_is_wider_than_a_phone(browser, report, width):
    _open(browser, report, width)
    page, viewport = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert viewport == width
    assert page <= viewport
    # Every table, scroll area and image ends inside the viewport; wide tables scroll inside
    # their area instead.
    too_wide = browser.execute_script(
        "return Array.from(document.querySelectorAll('div.tabellram, table, img, figure'))"
        ".filter(e => !e.closest('div.tabellram') || e.matches('div.tabellram'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert too_wide == []
    areas = browser.execute_script(
        "return Array.from(document.querySelectorAll('div.tabellram'))"
        ".map(e => [e.clientWidth, e.scrollWidth])"
    )
    assert len(areas) >= 5
    assert any(inner > outer for outer, inner in areas)  # the wide ones do scroll


def test_the_label_column_stays_in_view_while_the_figures_scroll(browser, report):
    _open(browser, report, 390)
    before, after, area = browser.execute_script(
        "const area = document.querySelectorAll('div.tabellram')[1];"
        "const label = area.querySelector('tbody th');"
        "const before = label.getBoundingClientRect().left;"
        "area.scrollLeft = area.scrollWidth;"
        "return [before, label.getBoundingClientRect().left, area.getBoundingClientRect().left];"
    )
    assert after == pytest.approx(before)
    assert after == pytest.approx(area)


@pytest.mark.parametrize("width", PHONES)
def test_chart_text_stays_at_least_11_px_on_a_phone(browser, report, width):
    _open(browser, report, width)
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.diagram img'))"
        ".map(e => e.getBoundingClientRect().width)"
    )
    assert len(shown) == 4
    # The smallest text in a chart is FONT_SIZE points of an image WIDTH inches wide.
    for width_px in shown:
        assert width_px >= width - PHONE_MARGINS - 0.5
        assert charts.FONT_SIZE * width_px / (charts.WIDTH * 72) >= 11


def test_on_a_wide_screen_charts_keep_their_natural_size(browser, report):
    _open(browser, report, 1280)
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.diagram img'))"
        ".map(e => e.getBoundingClientRect().width)"
    )
    # 5 inches at 96 CSS px: the 12-pt text reads as 16 px, like the report's own text.
    assert shown == [charts.WIDTH * 96] * 4


@pytest.mark.parametrize("width", (390, 1280))
def test_axe_finds_no_wcag_21_violation(browser, report, width):
    if not AXE.exists():
        pytest.skip(f"axe-core saknas ({AXE}; npm install --prefix tests axe-core)")
    _open(browser, report, width)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        ".then(r => done(r.violations.map(v => [v.id, v.nodes.length, v.help])))"
        ".catch(e => done([['axe', 0, String(e)]]));"
    )
    assert result == []


def test_the_toc_links_are_at_least_24_px_high(browser, report):
    _open(browser, report, 390)
    heights = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav.innehall a'))"
        ".map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 24


def test_printed_pages_carry_their_number_and_the_title(browser, report, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext saknas (apt-get install poppler-utils)")
    browser.get(report.as_uri())
    printed = browser.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
    )
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Kommunstyrelsens delårsrapport 1, 2022" in page
