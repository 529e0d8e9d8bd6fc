"""Every board of a period, and several periods, in one run; then each period's compilation.

    outputs/PERIOD/<nämnd>/rapport.html, tabeller/, figurer/, manifest.json, the notebooks
    outputs/PERIOD/sammanstallning.html and sammanstallning.xlsx

Each board's report is made by `runner.run_period` into its own folder (its own lock, its own
atomic swap); all boards of all periods share one pool of worker processes.
"""

import json
import shutil
from pathlib import Path

from klk_analysis import paths, runner
from klk_analysis.boards import BoardInput, boards_of, select
from klk_analysis.compilation import HTML_FILE, STATUS_OK, write_compilation
from klk_analysis.errors import KlkError, RunFailedError
from klk_analysis.outputlock import lock_path, output_lock
from klk_analysis.runner import RunResult, Say, now
from klk_analysis.validation import DEFAULT_TOLERANCE

# Files of a report written straight into outputs/PERIOD/ before a period had several boards.
COMPILATION = "Sammanställning"
OLD_LAYOUT = (
    "rapport.html",
    "rapport.docx",
    "rapport.eml",
    "innehall.json",
    "manifest.json",
    "tabeller",
    "figurer",
    "*.ipynb",
)


def run_boards(
    periods: list[str],
    *,
    board: str | None = None,
    jobs: int | None = None,
    raw: Path = paths.DATA_RAW,
    outputs: Path = paths.OUTPUTS,
    processed: Path = paths.DATA_PROCESSED,
    tolerance: float = DEFAULT_TOLERANCE,
    timeout: int = runner.DEFAULT_TIMEOUT,
    say: Say = print,
) -> list[RunResult]:
    """Make every board's report (or the one board named) of each period, then the compilations.

    Returns one result per board and one per compilation, in period and board order.
    """
    raw, outputs = Path(raw), Path(outputs)
    options = {"processed": processed, "tolerance": tolerance, "timeout": timeout}
    plans, done, tasks = [], [], []
    for period in periods:
        try:
            found = boards_of(period, runner.period_workbooks(raw, period))
            chosen = select(found, board, raw / period)
        except KlkError as exc:
            done.append(RunResult(period, outputs / period, exc.exit_code, str(exc), 0.0))
            continue
        plans.append((period, found, chosen))
        for entry in chosen:
            out_dir = outputs / period / entry.slug
            if entry.runnable:
                # raw too: a workbook under raw is the period's own and records its forecasts
                task = {**options, "raw": raw, "workbook": entry.workbooks[0], "out_dir": out_dir}
                tasks.append((f"{period} {entry.name}", period, task, entry))
            else:
                done.append(
                    RunResult(
                        period, out_dir, entry.exit_code, entry.problem, 0.0, board=entry.name
                    )
                )
    if tasks:
        say(f"{len(tasks)} rapporter ({len(plans)} perioder), {_jobs(jobs, len(tasks))} åt gången.")
    ran = _run(tasks, jobs, say)
    done += ran
    for period, found, _chosen in plans:
        mine = {r.board: r for r in done if r.period == period}
        done.append(
            _compile(
                period, found, mine, outputs, tolerance, board is None, register_file(processed)
            )
        )
    return sorted(done, key=lambda r: (r.period, r.board == COMPILATION, r.board.casefold()))


def _jobs(jobs: int | None, tasks: int) -> int:
    import os

    return max(1, min(jobs or os.cpu_count() or 1, tasks))


def _run(tasks: list, jobs: int | None, say: Say) -> list[RunResult]:
    """Run the boards' reports: in this process when there is one, else in the pool."""
    if len(tasks) == 1:
        label, period, options, _entry = tasks[0]
        results = [runner.run_period(period, say=say, **options)]
        say(f"[1/1] {label} {'klar' if results[0].ok else 'misslyckades'}")
    else:
        results = runner.run_pool([t[:3] for t in tasks], _jobs(jobs, len(tasks)), say)
    return [_named(r, t[3]) for r, t in zip(results, tasks, strict=True)]


def _named(result: RunResult, entry: BoardInput) -> RunResult:
    result.board = entry.name
    return result


def register_file(processed: Path) -> Path:
    """Return the forecast register the boards' runs share (it keys on the board)."""
    from klk_analysis.report import REGISTER_FILE

    return Path(processed).resolve() / REGISTER_FILE


def _compile(
    period, found, results, outputs, tolerance, all_boards, register: Path | None = None
) -> RunResult:
    """Write the period's compilation beside the board folders; clear stale ones on a full run."""
    started = now()
    folder = Path(outputs) / period
    entries = []
    for entry in found:
        result = results.get(entry.name)
        if result is not None:
            status, message = (STATUS_OK, "") if result.ok else ("fel", result.message)
        elif (folder / entry.slug / "manifest.json").exists():
            status, message = STATUS_OK, ""  # not run now (--board): its last report stands
        else:
            status, message = "fel", "ingen rapport ännu; kör klk run utan --board."
        entries.append(
            {"board": entry.name, "slug": entry.slug, "status": status, "message": message}
        )
    footer = f"Skapad {started:%Y-%m-%d %H:%M} av klk_analysis från {len(found)} arbetsböcker."
    try:
        with output_lock(folder):
            if all_boards:
                remove_stale(folder, found)
            _table, notes = write_compilation(period, entries, folder, tolerance, footer, register)
    except KlkError as exc:
        return RunResult(period, folder, exc.exit_code, str(exc), 0.0, board=COMPILATION)
    except OSError as exc:
        message = runner.write_problem(exc, folder)
        return RunResult(period, folder, RunFailedError.exit_code, message, 0.0, board=COMPILATION)
    errors = notes[notes["severity"] == "error"]
    if len(errors):
        message = f"stämmer inte: {errors['message'].iloc[0]}"
        return RunResult(period, folder, 1, message, 0.0, board=COMPILATION)
    seconds = (now() - started).total_seconds()
    message = f"klar: {folder / HTML_FILE}"
    return RunResult(period, folder, 0, message, seconds, board=COMPILATION, report_file=HTML_FILE)


def remove_stale(folder: Path, found: list[BoardInput]) -> list[Path]:
    """Remove board folders of the period whose board has no workbook any more; return them.

    A folder is a board's when it holds a manifest.json; a folder whose report was made from a
    workbook still in the period (one that cannot be read this time) is kept.
    """
    slugs = {b.slug for b in found}
    files = {p.name for b in found for p in b.workbooks}
    removed = []
    if not folder.is_dir():
        return removed
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        manifest = sub / "manifest.json"
        if sub.name in slugs or not manifest.exists():
            continue
        try:
            inputs = json.loads(manifest.read_text(encoding="utf-8")).get("inputs", [])
        except (OSError, ValueError):
            inputs = []
        if any(Path(i.get("path", "")).name in files for i in inputs):
            continue
        with output_lock(sub):
            shutil.rmtree(sub)
        lock_path(sub).unlink(missing_ok=True)
        removed.append(sub)
    if (folder / "manifest.json").exists():  # a report of the one-board layout
        for pattern in OLD_LAYOUT:
            for path in folder.glob(pattern):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        removed.append(folder / "rapport.html")
    return removed
