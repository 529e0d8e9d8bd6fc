"""Hardening of whole runs: workbook text reaches the report as text, a killed, failing or
refused run loses nothing and leaves no temporary folders, and data/raw is never written."""

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from klk_analysis import paths, runner
from klk_analysis.cli import main
from klk_analysis.htmlexport import check_html
from tests.badbooks import CASES


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.handlers, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]

    def handle_data(self, data):
        self.text.append(data)


# --- 3. text only in the HTML --------------------------------------------------------------------


def test_workbook_text_reaches_the_report_as_text(hostile_run):
    html = (hostile_run / "rapport.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert "script" not in page.tags
    assert page.handlers == []
    assert check_html(html) == []
    text = "".join(page.text)
    # Shown as those characters: escaped in the source, the characters themselves on screen.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_workbook_text_in_the_svg_figures_is_text_too(hostile_run):
    figures = sorted((hostile_run / "figurer").glob("*.svg"))
    assert figures
    for svg in figures:
        page = _Page()
        page.feed(svg.read_text(encoding="utf-8"))
        assert ("script" not in page.tags, page.handlers) == (True, []), svg.name


# --- 1 and 4. a bad workbook never touches the report folder --------------------------------------


_REFUSED = [c for c in CASES if c.exit_code]


@pytest.mark.slow
@pytest.mark.parametrize("case", _REFUSED, ids=[c.name for c in _REFUSED])
def test_a_run_on_a_bad_workbook_leaves_the_report_folder_as_it_was(case, hostile_run, tmp_path):
    outputs = tmp_path / "outputs"
    out = outputs / "2022-03"
    shutil.copytree(hostile_run, out)
    before = _tree(out)
    folder = tmp_path / "in"
    folder.mkdir()
    result = runner.run_period(
        "2022-03", workbook=case.build(folder), out_dir=out, processed=tmp_path / "p"
    )
    assert result.exit_code == case.exit_code, result.message
    assert "är orörd" in result.message
    assert _tree(out) == before
    assert sorted(p.name for p in outputs.iterdir() if p.is_dir()) == ["2022-03"]


# --- 4. faults: killed runs, full disks, read-only folders --------------------------------------


def _run_command(out: Path, processed: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "klk_analysis.cli", "run", "2022-03", "--out", str(out)]
    return [*command, "--processed", str(processed), *extra]


def _kill_when(command: list[str], ready) -> None:
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if process.poll() is None:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)  # the run and its kernels
        else:  # Windows has no process groups to signal; taskkill ends the whole tree
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], check=False)
    process.wait()


@pytest.mark.slow
def test_a_killed_run_keeps_the_previous_report_and_the_next_run_leaves_no_stray_folders(
    hostile_run, tmp_path
):
    outputs = tmp_path / "outputs"
    out = outputs / "2022-03"
    shutil.copytree(hostile_run, out)
    before = _tree(out)
    command = _run_command(out, tmp_path / "processed")

    def staging() -> list[Path]:
        return [p for p in outputs.iterdir() if p.name.startswith(".2022-03-")]

    # Killed while starting, while the notebooks run, and once the report is in staging.
    _kill_when(command, lambda: not time.sleep(0.3))
    assert _tree(out) == before
    _kill_when(command, lambda: bool(staging()))
    assert _tree(out) == before
    assert staging()  # the kill left a temporary folder behind
    # The last moment races the swap: the folder is then the old report or the whole new one.
    _kill_when(command, lambda: any((s / "rapport.html").exists() for s in staging()))
    whole = out if out.exists() else outputs / ".2022-03.old"
    assert _tree(whole) == before or {"manifest.json", "rapport.html"} <= set(_tree(whole))

    # The next run, in this process (Jupyter is imported already): it clears what the kills left.
    result = runner.run_period("2022-03", out_dir=out, processed=tmp_path / "processed")
    assert result.exit_code == 0, result.message
    assert (out / "rapport.html").read_text(encoding="utf-8") != ""
    assert _tree(out) != before  # the new report is in
    assert sorted(p.name for p in outputs.iterdir() if p.is_dir()) == ["2022-03"]


def test_a_swap_killed_half_way_is_put_back_by_the_next_run_even_if_it_fails(hostile_run, tmp_path):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    out = outputs / "2022-03"
    # The state a kill between replace_dir's two renames leaves: the report moved aside.
    shutil.copytree(hostile_run, outputs / ".2022-03.old")
    before = _tree(outputs / ".2022-03.old")
    bad = tmp_path / "tom.xlsx"
    bad.write_bytes(b"")
    result = runner.run_period("2022-03", workbook=bad, out_dir=out, processed=tmp_path / "p")
    assert result.exit_code == 2
    assert _tree(out) == before
    assert not (outputs / ".2022-03.old").exists()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "disken är full"),
        (errno.EROFS, "skrivskyddad"),
        (errno.EACCES, "skrivskyddad"),
    ],
)
def test_full_disk_or_read_only_folder_gives_a_clear_message(
    hostile_run, tmp_path, monkeypatch, capsys, code, expected
):
    out = tmp_path / "outputs" / "2022-03"
    shutil.copytree(hostile_run, out)
    before = _tree(out)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out.parent))

    # Where a run first writes (its staging folder), the disk is full or the folder read-only.
    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    exit_code = main(["run", "2022-03", "--out", str(out), "--processed", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert exit_code == 3
    assert expected in err
    assert str(out) in err
    assert "Traceback" not in err
    assert _tree(out) == before


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="POSIX modes only; root writes into read-only folders",
)
def test_a_really_read_only_output_folder(tmp_path, capsys):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    outputs.chmod(0o555)
    try:
        assert main(["run", "2022-03", "--out", str(outputs / "2022-03")]) == 3
    finally:
        outputs.chmod(0o755)
    assert "skrivskyddad" in capsys.readouterr().err


def test_a_report_file_open_in_excel_ends_the_run_with_exit_3_and_the_report_intact(
    period_run, tmp_path, monkeypatch, capsys
):
    from tests.windows import excel_opens

    out = tmp_path / "outputs" / "2022-03"
    shutil.copytree(period_run.out_dir, out)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    locked = out / "tabeller" / "driftredovisning.xlsx"
    # Last period's table open in Excel: Windows refuses to rename the folder that holds it.
    excel_opens(monkeypatch, locked)
    code = main(["run", "2022-03", "--out", str(out), "--processed", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 3
    assert err == (
        f"klk: {locked} är öppen i ett annat program, så {out} kan inte ersättas. "
        f"Stäng driftredovisning.xlsx i Excel och kör igen. {out} är orörd.\n"
    )
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert [p.name for p in (tmp_path / "outputs").iterdir() if p.is_dir()] == ["2022-03"]


# --- 5. data/raw is never written ----------------------------------------------------------------


@pytest.mark.slow
def test_a_full_run_never_writes_into_data_raw(tmp_path):
    before = _tree(paths.DATA_RAW)
    assert before  # the shipped workbook is there
    stat_before = {p: p.stat().st_mtime_ns for p in paths.DATA_RAW.rglob("*")}
    result = runner.run_period(
        "2022-03", out_dir=tmp_path / "outputs" / "2022-03", processed=tmp_path / "processed"
    )
    assert result.exit_code == 0, result.message
    assert main(["check", str(paths.DATA_RAW / "2022-03" / "KS_delarsrapport_1_2022.xlsx")]) == 0
    assert _tree(paths.DATA_RAW) == before
    assert {p: p.stat().st_mtime_ns for p in paths.DATA_RAW.rglob("*")} == stat_before
