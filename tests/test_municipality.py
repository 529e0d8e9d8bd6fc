"""Acceptance: a generated municipality of eight boards, one with a wrong sum, one unreadable."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from klk_analysis import compilation, demo
from klk_analysis.cli import main
from klk_analysis.formatting import mnkr
from tests.page_text import visible_text

GOLDEN = Path(__file__).parent / "golden"


def _xlsx_rows(path):
    book = openpyxl.load_workbook(path, data_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def _wrong_sum(path):
    book = openpyxl.load_workbook(path)
    ws = book["Driftredovisning"]
    ws.cell(5, 2).value = ws.cell(5, 2).value + 5.0  # a unit's deviation 5,0 too large
    book.save(path)


def _report_figures(folder):
    """The board's own figures, read back from its tabeller/resultatrakning.xlsx by hand."""
    rows = {r[0]: r for r in _xlsx_rows(folder / "tabeller" / "resultatrakning.xlsx")}
    header = _xlsx_rows(folder / "tabeller" / "resultatrakning.xlsx")[0]
    col = {h: i for i, h in enumerate(header)}
    result, ram = rows["Summa ÅRETS RESULTAT"], rows["Kommunersättning"]
    return {
        "Nettokostnad utfall": result[col["Utfall Aug 2022"]] - ram[col["Utfall Aug 2022"]],
        "Budgetavvikelse": result[col["Budgetavvikelse Aug 2022"]],
        "Kommunbidrag helår": ram[col["Årsprognos augusti"]]
        - ram[col["Avvikelse Årsprognos augusti"]],
        "Prognosavvikelse": result[col["Avvikelse Årsprognos augusti"]],
    }


@pytest.mark.slow
def test_eight_boards_six_reports_a_compilation_and_a_rerun_without_stale_folders(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    books = demo.write_demo(raw, "2022-08", demo.BOARDS[:7])
    _wrong_sum(books[3])  # Socialnämnden
    (raw / "2022-08" / "ekonomi_trasig.xlsx").write_bytes(b"inte en arbetsbok")
    argv = ["run", "2022-08", "--raw", str(raw), "--outputs", str(out)]
    argv += ["--processed", str(tmp_path / "p"), "--jobs", "2"]
    assert main(argv) == 2  # the unreadable file (2) is more serious than the wrong sum (1)
    printed = capsys.readouterr().out
    period = out / "2022-08"
    reports = sorted(p.parent.name for p in period.glob("*/rapport.html"))
    assert reports == [
        "barn-och-utbildningsnamnden",
        "kommunstyrelsen",
        "kultur-och-fritidsnamnden",
        "miljo-och-byggnamnden",
        "tekniska-namnden",
        "vard-och-omsorgsnamnden",
    ]
    assert "7 av 9 rapporter klara." in printed  # six boards and the compilation of nine lines
    table = pd.read_excel(period / "sammanstallning.xlsx", sheet_name=0)
    assert len(table) == 9 and table["Nämnd"].iloc[-1] == "Kommunen totalt"
    status = dict(zip(table["Nämnd"], table["Status"], strict=True))
    assert "Socialnämnden" in status and "summa" in status["Socialnämnden"].lower()
    assert "ekonomi_trasig.xlsx" in status["ekonomi_trasig.xlsx"]
    assert sum(s == "ok" for s in status.values()) == 6
    html = (period / "sammanstallning.html").read_text(encoding="utf-8")
    for folder in (period / name for name in reports):
        manifest_board = pd.read_json(folder / "manifest.json", typ="series")["board"]
        row = table[table["Nämnd"] == manifest_board].iloc[0]
        own = _report_figures(folder)
        for header, value in own.items():
            assert abs(row[header] - value) < 0.5e-8, (manifest_board, header)
        # the printed budget deviation is the one the board's own report prints
        shown = compilation.display_table(
            compilation.compilation_table(
                pd.DataFrame(
                    [
                        {
                            "board": manifest_board,
                            "status": "ok",
                            "message": "",
                            "link": "",
                            **{k: 0.0 for k in compilation.FIGURES},
                            "budget_deviation": own["Budgetavvikelse"],
                        }
                    ]
                )
            )
        )["Budgetavvikelse"].iloc[0]
        shown = mnkr(shown)
        assert f'<td class="tal" style="text-align: right">{shown}</td>' in html
        assert shown in (folder / "rapport.html").read_text(encoding="utf-8")
        assert f'href="{folder.name}/rapport.html"' in html
    total = table.iloc[-1]
    assert total["Budgetavvikelse"] == pytest.approx(table["Budgetavvikelse"].iloc[:-1].sum())
    # Every sentence and cell as before its tables went through the one renderer (recorded
    # from commit 423e27b; the folder of this run written {base}).
    expected = (GOLDEN / "sammanstallning_text.txt").read_text(encoding="utf-8").splitlines()
    assert [line.replace(str(tmp_path), "{base}") for line in visible_text(html)] == expected

    # Second run: Tekniska nämnden's workbook changed, Miljö- och byggnämnden's is gone.
    before = (period / "kommunstyrelsen" / "manifest.json").read_text(encoding="utf-8")
    tekniska = demo.Board("Tekniska nämnden", 180, ("Gata", "Park"), -1.2, -2.5)
    demo.write_board(tekniska, books[5], 2022, 8)
    books[6].unlink()
    assert main(argv) == 2
    capsys.readouterr()
    assert not (period / "miljo-och-byggnamnden").exists()
    assert (period / "kommunstyrelsen" / "manifest.json").read_text(encoding="utf-8") != before
    table = pd.read_excel(period / "sammanstallning.xlsx", sheet_name=0)
    row = table[table["Nämnd"] == "Tekniska nämnden"].iloc[0]
    assert row["Budgetavvikelse"] == pytest.approx(-1.2)
    assert row["Prognosavvikelse"] == pytest.approx(-2.5)
    assert "Miljö- och byggnämnden" not in set(table["Nämnd"])
    assert sorted(p.name for p in period.iterdir() if not p.name.startswith(".")) == [
        "barn-och-utbildningsnamnden",
        "kommunstyrelsen",
        "kultur-och-fritidsnamnden",
        "sammanstallning.html",
        "sammanstallning.xlsx",
        "tekniska-namnden",
        "vard-och-omsorgsnamnden",
    ]


@pytest.mark.slow
def test_board_option_and_two_workbooks_of_one_board_through_klk_run(tmp_path, capsys):
    raw, out = tmp_path / "raw", tmp_path / "out"
    _ks, tekniska = demo.write_demo(raw, "2022-08", (demo.BOARDS[0], demo.BOARDS[5]))
    assert tekniska.name == "tekniska-namnden.xlsx"
    copy = raw / "2022-08" / "Tekniska kopia.xlsx"
    copy.write_bytes(tekniska.read_bytes())
    argv = ["run", "2022-08", "--raw", str(raw), "--outputs", str(out)]
    argv += ["--processed", str(tmp_path / "p")]
    period = out / "2022-08"

    # Every board: Kommunstyrelsen is made, Tekniska nämnden stops with exit 2 naming both files.
    assert main(argv) == 2
    printed = capsys.readouterr().out
    assert "2 arbetsböcker för Tekniska nämnden i samma period:" in printed
    assert str(copy) in printed and str(tekniska) in printed
    assert sorted(p.parent.name for p in period.glob("*/rapport.html")) == ["kommunstyrelsen"]
    status = pd.read_excel(period / "sammanstallning.xlsx", sheet_name=0).set_index("Nämnd")
    assert str(copy) in status.loc["Tekniska nämnden", "Status"]
    made = (period / "kommunstyrelsen" / "manifest.json").read_bytes()
    # A workbook under --raw is the period's own: its forecasts are in the shared register.
    register = pd.read_parquet(tmp_path / "p" / "prognosregister.parquet")
    assert set(register["board"]) == {"Kommunstyrelsen"}

    # --board in another case runs that board alone; the other board is not touched.
    assert main([*argv, "--board", "KOMMUNSTYRELSEN"]) == 0
    printed = capsys.readouterr().out
    assert not [line for line in printed.splitlines() if line.startswith("2022-08   Tekniska")]
    assert (period / "kommunstyrelsen" / "manifest.json").read_bytes() != made
    assert not (period / "tekniska-namnden").exists()
    made = (period / "kommunstyrelsen" / "manifest.json").read_bytes()

    # --board by the file name (any case) of a board with two workbooks: exit 2, both named.
    assert main([*argv, "--board", "TEKNISKA KOPIA.XLSX"]) == 2
    printed = capsys.readouterr().out
    assert str(copy) in printed and str(tekniska) in printed
    assert (period / "kommunstyrelsen" / "manifest.json").read_bytes() == made

    # A name no board has: exit 2, the boards of the folder listed, nothing run.
    assert main([*argv, "--board", "Gatunämnden"]) == 2
    err = capsys.readouterr()
    said = err.out + err.err
    assert "ingen nämnd heter \u201dGatunämnden\u201d" in said
    assert "Kommunstyrelsen, Tekniska nämnden" in said
    assert (period / "kommunstyrelsen" / "manifest.json").read_bytes() == made
