"""The test corpus (tests/corpus/): every workbook read to its hand-made figures, then checked.

Each workbook is in a named dialect of a real finance system or economist's habit; its builder's
docstring names it, tests/corpus/README.md lists them all. Expected values are worked out by
hand in tests/corpus/figures.py; `test_corpus_cases_add_up` re-adds them in plain Python so that
a typo in the corpus is caught before it is blamed on the loader.
"""

import math
from pathlib import Path

import pytest

from klk_analysis.cli import main
from klk_analysis.loading import load_workbook
from klk_analysis.sections import parts_html
from tests.corpus.expected import CASES, CONSISTENT, INCONSISTENT, SAME_FIGURES, Case

# The largest Swedish municipality's whole budget is under this: no board's figure is larger.
PLAUSIBLE_MNKR = 50_000.0
_SUM_WORDS = ("Summa ", "S:a ", "Totalt ", "Total ")


def _ids(case: Case) -> str:
    return case.name


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance + 1e-6


def _years(values: dict) -> set[int]:
    return {int(col.rsplit("_", 1)[1]) for col in values}


def discrepancies(case: Case) -> list[str]:
    """Every way the case's expected figures fail to add up, in plain Python (no package code)."""
    found = []
    tol = case.rounding
    tables = {"rr": case.rr, "dr": case.dr}
    for (name, label), members in case.parts.items():
        rows = tables[name]
        for col, value in rows[label].items():
            total = sum(rows[m][col] for m in members)
            if not _close(total, value, tol):
                found.append(f"{name} {label!r} {col}: parts add to {total:.3f}, row {value}")
    pairs = [
        ("budgetavvikelse", "utfall", "budget"),
        ("avvikelse_arsprognos", "arsprognos", "arsbudget"),
    ]
    if case.period[1] == 12:
        pairs.append(("budgetavvikelse", "utfall", "arsbudget"))  # year-end: budget = årsbudget
    for name, rows in tables.items():
        for label, values in rows.items():
            for year in _years(values):
                for result, a, b in pairs:
                    cols = [f"{m}_{year}" for m in (result, a, b)]
                    if all(c in values for c in cols):
                        gap = values[cols[1]] - values[cols[2]]
                        if not _close(gap, values[cols[0]], tol):
                            found.append(f"{name} {label!r}: {cols[0]} ≠ {cols[1]} − {cols[2]}")
    rr_result = [label for (n, label), k in case.kinds.items() if n == "rr" and k == "result"]
    dr_result = [label for (n, label), k in case.kinds.items() if n == "dr" and k == "result"]
    if len(rr_result) != 1 or len(dr_result) != 1:
        return [*found, f"result rows: RR {rr_result}, DR {dr_result}"]
    result, total, ram = case.rr[rr_result[0]], case.dr[dr_result[0]], case.rr[case.ram]
    year = case.period[0]

    def annual(values):
        if f"arsbudget_{year}" in values:
            return values[f"arsbudget_{year}"]
        if f"arsprognos_{year}" in values and f"avvikelse_arsprognos_{year}" in values:
            return values[f"arsprognos_{year}"] - values[f"avvikelse_arsprognos_{year}"]
        return None

    for col in total:
        measure = col.rsplit("_", 1)[0]
        if measure in ("budgetavvikelse", "avvikelse_arsprognos") and col in result:
            expected = result[col]
        elif measure == "arsbudget" and annual(result) is not None:
            # the units' net budgets add up to the budgeted result minus the driftram
            expected = annual(result) - annual(ram)
        elif col in result and col in ram:
            expected = result[col] - ram[col]
        else:
            continue
        if not _close(total[col], expected, tol):
            found.append(f"DR total {col} {total[col]} ≠ {expected:.3f} from the RR")
    return found


def _largest(case: Case) -> float:
    return max(abs(v) for rows in (case.rr, case.dr) for r in rows.values() for v in r.values())


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_corpus_cases_add_up(case):
    """The corpus's own figures: consistent cases add up, inconsistent ones fail as intended."""
    assert case.dialect, f"{case.name}: the builder's docstring must name the dialect"
    assert len(case.rr) >= 3 and 5 <= len(case.rr) + len(case.dr) <= 60
    problems = discrepancies(case)
    if case.consistent:
        assert problems == []
        assert _largest(case) < PLAUSIBLE_MNKR
    elif case.written != case.unit:
        # a wrongly stated unit: the figures add up, but their scale cannot be a board's
        assert problems == []
        assert _largest(case) > PLAUSIBLE_MNKR
    else:
        assert problems, f"{case.name} was meant to be inconsistent"


def test_corpus_size_and_names():
    """At least 55 workbooks, six of them inconsistent, each with its own name."""
    assert len(CASES) >= 55
    assert len(INCONSISTENT) >= 6
    assert len({c.name for c in CASES}) == len(CASES)


def _compare_table(case: Case, name: str, table, expected: dict) -> list[str]:
    bad = []
    # getattr: list every difference from the target API rather than stop at the first
    unit = getattr(table, "unit", None)
    if unit != case.unit:
        bad.append(f"{name}: unit {unit!r}, expected {case.unit!r}")
    printed = {c.id for c in table.columns if not getattr(c, "derived", False)}
    wanted = {col for values in expected.values() for col in values}
    if printed != wanted:
        bad.append(f"{name}: printed columns {sorted(printed)}, expected {sorted(wanted)}")
    rows = table.rows
    labels = list(rows["label"])
    if labels != list(expected):
        return [*bad, f"{name}: rows {labels}, expected {list(expected)}"]
    for pos, (label, values) in enumerate(expected.items()):
        kind = rows["kind"].iloc[pos]
        # the driftredovisning's grand total is kind 'total' (the resultaträkning's is 'result')
        kind = "result" if kind == "total" else kind
        if kind != case.kinds[(name, label)]:
            bad.append(f"{name} {label!r}: kind {kind!r}, expected {case.kinds[(name, label)]!r}")
        for col, value in values.items():
            got = rows[col].iloc[pos] if col in rows else math.nan
            if got != pytest.approx(value, abs=1e-9):
                bad.append(f"{name} {label!r} {col}: read {got}, expected {value}")
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_reads_every_figure(case, tmp_path):
    """Every printed figure of both tables, in mnkr, with the period, board, unit and structure."""
    book = load_workbook(case.build(tmp_path / f"{case.name}.xlsx"))
    bad = []
    if (book.period.year, book.period.month) != case.period:
        bad.append(f"period {book.period}, expected {case.period}")
    if book.board != case.board:
        bad.append(f"board {book.board!r}, expected {case.board!r}")
    rr, dr = book.resultatrakning, book.driftredovisning
    bad += _compare_table(case, "rr", rr, case.rr)
    bad += _compare_table(case, "dr", dr, case.dr)
    blank = [""] * len(dr.rows)
    groups, codes = dr.rows.get("group", blank), dr.rows.get("code", blank)
    if list(dr.rows["label"]) == list(case.dr):
        for label, group, code in zip(dr.rows["label"], groups, codes, strict=True):
            if label in case.groups and group != case.groups[label]:
                bad.append(f"dr {label!r}: group {group!r}, expected {case.groups[label]!r}")
            wanted = case.codes.get(label, "") if case.codes is not None else ""
            if code != wanted:
                bad.append(f"dr {label!r}: code {code!r}, expected {wanted!r}")
    rr_codes = list(rr.rows.get("code", [""] * len(rr.rows)))
    if rr_codes != [""] * len(rr.rows):
        bad.append(f"rr codes {rr_codes}, expected none")
    headings = [label for _, label in getattr(dr, "headings", ())]
    if headings != list(case.headings):
        bad.append(f"dr headings {headings}, expected {list(case.headings)}")
    assert not bad, f"{case.name} ({case.dialect}):\n" + "\n".join(bad[:25])


def test_same_figures_in_mnkr_tkr_and_kronor(tmp_path):
    """The same figures printed in mnkr, tkr and kronor load to the same amounts in mnkr."""
    by_name = {c.name: c for c in CASES}
    loaded = []
    for name in SAME_FIGURES:
        book = load_workbook(by_name[name].build(tmp_path / f"{name}.xlsx"))
        loaded.append(
            {
                (t, label, col): value
                for t, table in (("rr", book.resultatrakning), ("dr", book.driftredovisning))
                for col in (c.id for c in table.columns if not getattr(c, "derived", False))
                for label, value in zip(table.rows["label"], table.rows[col], strict=True)
            }
        )
    assert loaded[0].keys() == loaded[1].keys() == loaded[2].keys()
    for key, value in loaded[0].items():
        assert loaded[1][key] == pytest.approx(value, abs=1e-9), key
        assert loaded[2][key] == pytest.approx(value, abs=1e-9), key
    # 12 345 tkr of Verksamhetens intäkter are 12,345 mnkr in every one of them
    assert loaded[2][("rr", "Verksamhetens intäkter", "utfall_2023")] == pytest.approx(
        12.345, abs=1e-9
    )


def _output(capsys) -> str:
    out = capsys.readouterr()
    return (out.out + out.err).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.slow
@pytest.mark.parametrize("case", CONSISTENT, ids=_ids)
def test_check_accepts(case, tmp_path, capsys):
    """`klk check` accepts every consistent workbook of the corpus (exit 0)."""
    path = case.build(tmp_path / f"{case.name}.xlsx")
    code = main(["check", str(path)])
    assert code == 0, f"{case.name} ({case.dialect}):\n{_output(capsys)}"


@pytest.mark.parametrize("case", INCONSISTENT, ids=_ids)
def test_check_names_the_row(case, tmp_path, capsys):
    """`klk check` refuses each inconsistent workbook (exit 1), naming the row and its group."""
    path = case.build(tmp_path / f"{case.name}.xlsx")
    code = main(["check", str(path)])
    text = _output(capsys)
    assert code == 1, f"{case.name}: exit {code}\n{text}"
    for word in case.errors:
        assert word in text, f"{case.name}: {word!r} not in\n{text}"
    for word in case.absent:
        assert word not in text, f"{case.name}: {word!r} should not be in\n{text}"


def test_readme_lists_every_case():
    """tests/corpus/README.md lists every corpus workbook by name."""
    readme = (Path(__file__).parent / "corpus" / "README.md").read_text(encoding="utf-8")
    assert [c.name for c in CASES if f"`{c.name}`" not in readme] == []


@pytest.mark.slow
@pytest.mark.parametrize("case", CONSISTENT, ids=_ids)
def test_what_check_accepts_the_report_makes(case, tmp_path, monkeypatch):
    """One contract for check and run: every cell of the report notebook runs on the workbook."""
    import matplotlib.pyplot as plt

    from tests.notebook_cells import run_report

    path = case.build(tmp_path / f"{case.name}.xlsx")
    assert main(["check", str(path)]) == 0
    period = f"{case.period[0]}-{case.period[1]:02d}"
    namespace = run_report(path, period, tmp_path / "ut")
    html = parts_html(namespace["report"].summary(namespace["data"]))
    assert namespace["data"].board in html or case.board in html
    assert (tmp_path / "ut" / "rapport" / "tabeller" / "driftredovisning.xlsx").is_file()
    plt.close("all")


def _report_text(case_name: str, folder: Path) -> tuple[str, ...]:
    import matplotlib.pyplot as plt

    from tests.notebook_cells import run_report

    case = next(c for c in CASES if c.name == case_name)
    path = case.build(folder / f"{case.name}.xlsx")
    period = f"{case.period[0]}-{case.period[1]:02d}"
    ns = run_report(path, period, folder / case.name)
    report, data = ns["report"], ns["data"]
    plt.close("all")
    # everything a reader sees of the economy, except the source file's name
    return (
        parts_html(report.summary(data)),
        parts_html(report.comments(data)),
        parts_html(report.resultatrakning_table(data)),
        parts_html(report.driftredovisning_table(data)),
    )


@pytest.mark.slow
def test_kronor_and_tkr_give_the_same_report_as_mnkr(tmp_path):
    mnkr, tkr, kr = (_report_text(name, tmp_path) for name in SAME_FIGURES)
    assert tkr == mnkr
    assert kr == mnkr
    assert "miljoner kronor" in mnkr[0]


# One workbook per family of dialects, through the real command: check, both notebooks in
# their kernels, the HTML export, the tables and the charts.
END_TO_END = (
    "same_figures_kr",
    "one_sheet_both_tables",
    "year_end_redovisat_tkr",
    "large_board_qlik_codes_blanks",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", END_TO_END)
def test_klk_run_makes_the_report(name, tmp_path):
    case = next(c for c in CASES if c.name == name)
    path = case.build(tmp_path / f"{case.name}.xlsx")
    period = f"{case.period[0]}-{case.period[1]:02d}"
    out = tmp_path / "rapport"
    code = main(
        ["run", period, "--input", str(path), "--out", str(out), "--processed", str(tmp_path)]
    )
    assert code == 0
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert case.board in html
    assert "miljoner kronor" in html
