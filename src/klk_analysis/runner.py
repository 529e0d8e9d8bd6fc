"""A period's run: check the workbook, execute the notebooks, export the report, swap it in at once.

Everything goes into a temporary folder beside the output folder and replaces it only when all
of it succeeded, so a failed run never touches the last good report. Two runs on the same output
folder never interleave: the second waits for the first's lock.
"""

import errno
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from klk_analysis import __version__, console, execution, paths
from klk_analysis.errors import (
    KlkError,
    RunFailedError,
    UnusableInputError,
)
from klk_analysis.execution import (
    StartedKernel,
    describe_failure,
    ensure_kernel,
    execute_notebook,
    import_jupyter,
    take_spare,
)
from klk_analysis.formatting import seconds_sv
from klk_analysis.outputlock import output_lock
from klk_analysis.periods import Period
from klk_analysis.processed import recover_dir, replace_dir
from klk_analysis.source import save_source
from klk_analysis.validation import DEFAULT_TOLERANCE, count_by_severity, raise_for_errors

# A period run executes the report alone: the runner has already read and checked the workbook,
# and 01's tidy tables fed nothing. 01 (checking) and 03 (exploring) are for JupyterLab. Measured
# with 01 beside 02: a median 22,7 s a run against 21,1 s for 02 alone (four alternating pairs).
RUN_NOTEBOOKS = ("02_rapport.ipynb",)
# The run's reading of the workbook, for its notebooks; removed before the report is swapped in.
SOURCE_FILE = ".arbetsbok.pickle"
REPORT_NOTEBOOK = "02_rapport.ipynb"
REPORT_FILE = "rapport.html"
DEFAULT_TIMEOUT = 600

Say = Callable[[str], None]


@dataclass
class RunResult:
    """How one period's run ended: exit code, a one-sentence message and where things are."""

    period: str
    out_dir: Path
    exit_code: int
    message: str
    seconds: float
    failed_dir: Path | None = None
    manifest: dict = field(default_factory=dict)
    board: str = ""  # set when a period has several boards
    report_file: str = REPORT_FILE

    @property
    def report(self) -> Path:
        """The file the run made: the report, or the compilation."""
        return self.out_dir / self.report_file

    @property
    def ok(self) -> bool:
        """True when the report was produced."""
        return self.exit_code == 0


def _quiet(_text: str) -> None:
    pass


def now() -> datetime:
    """Return the local time with its offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


# --- finding the input ---------------------------------------------------------------------------


def raw_periods(raw: Path) -> list[str]:
    """Return the periods that have a folder named YYYY-MM under raw, oldest first."""
    found = []
    folders = [p for p in Path(raw).iterdir() if p.is_dir()] if Path(raw).is_dir() else []
    for folder in folders:
        try:
            found.append(Period.parse(folder.name))
        except ValueError:
            continue  # a folder for notes or an archive, not a period
    return [str(p) for p in sorted(found)]


def latest_period(raw: Path) -> str:
    """Return the latest period under raw, or say that there is none."""
    periods = raw_periods(raw)
    if not periods:
        raise UnusableInputError(
            f"{raw}: inga periodmappar. Förväntade mappar som {Path(raw) / '2022-03'} med en "
            "arbetsbok."
        )
    return periods[-1]


def period_workbooks(raw: Path, period: str) -> list[Path]:
    """Return the workbooks in raw/PERIOD/, or say that the folder is missing or empty."""
    folder = Path(raw) / period
    if not folder.is_dir():
        raise UnusableInputError(
            f"{folder}: mappen finns inte. Förväntade periodens arbetsbok i mappen {folder} "
            "eller en arbetsbok angiven med --input."
        )
    books = paths.workbooks_in(folder)
    if not books:
        raise UnusableInputError(
            f"{folder}: mappen innehåller ingen arbetsbok (.xlsx eller .xlsm). Lägg periodens "
            "arbetsbok där eller ange den med --input."
        )
    return books


def find_workbook(raw: Path, period: str) -> Path:
    """Return the one workbook in raw/PERIOD/, or say what is there instead."""
    folder = Path(raw) / period
    books = period_workbooks(raw, period)
    if len(books) > 1:
        raise UnusableInputError(
            f"{folder}: hittade {len(books)} arbetsböcker ({', '.join(p.name for p in books)}). "
            "Förväntade exakt en; flytta de andra eller ange arbetsboken med --input."
        )
    return books[0]


def refuse_folder(path: Path) -> None:
    """Say so when a workbook given by name is a folder, naming the workbooks in it."""
    if not Path(path).is_dir():
        return
    books = paths.workbooks_in(path)
    inside = (
        f"ange en av arbetsböckerna i den, till exempel {books[0]}"
        if books
        else "den innehåller ingen arbetsbok (.xlsx eller .xlsm)"
    )
    raise UnusableInputError(f"{path} är en mapp, inte en arbetsbok; {inside}.")


def sha256(path: Path) -> str:
    """Return a file's SHA-256 as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit(root: Path = paths.ROOT) -> dict:
    """Return the project's git commit and whether the worktree has changes, or None for both."""

    def git(*args: str) -> str:
        command = ["git", "-C", str(root), *args]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=10, check=True
        ).stdout

    try:
        head = git("rev-parse", "HEAD").strip()
        status = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "changed": None}
    return {"commit": head, "changed": bool(status.strip())}


# --- one period --------------------------------------------------------------------------------


def run_period(
    period: str,
    *,
    workbook: Path | None = None,
    out_dir: Path | None = None,
    raw: Path = paths.DATA_RAW,
    outputs: Path = paths.OUTPUTS,
    processed: Path = paths.DATA_PROCESSED,
    board: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    timeout: int = DEFAULT_TIMEOUT,
    notebooks: tuple[Path, ...] | None = None,
    register: bool = False,
    say: Say = _quiet,
) -> RunResult:
    """Run one period into out_dir (default outputs/PERIOD) and return how it ended.

    A workbook from outside raw (a what-if run) leaves the forecast register as it was unless
    register is True; a workbook under raw records its forecasts there.
    """
    started = time.perf_counter()
    try:
        period = str(Period.parse(period))  # 2022-3 and 2022-03 are one period and one folder
    except ValueError as exc:
        return RunResult(period, Path(out_dir or Path(outputs) / period), 2, f"{exc}.", 0.0)
    out_dir = Path(out_dir) if out_dir is not None else Path(outputs) / period
    try:
        with output_lock(out_dir, say):
            return _run_locked(
                period,
                workbook=workbook,
                out_dir=out_dir,
                raw=Path(raw),
                processed=Path(processed),
                board=board,
                tolerance=tolerance,
                timeout=timeout,
                notebooks=notebooks or tuple(paths.NOTEBOOKS / n for n in RUN_NOTEBOOKS),
                register=register,
                started=(now(), time.perf_counter()),  # after any wait for the lock
                say=say,
            )
    except KlkError as exc:
        untouched = f" {out_dir} är orörd." if out_dir.exists() else ""
        return RunResult(
            period, out_dir, exc.exit_code, f"{exc}{untouched}", time.perf_counter() - started
        )
    except OSError as exc:  # a full disk or a folder without write permission
        untouched = f" {out_dir} är orörd." if out_dir.exists() else ""
        return RunResult(
            period,
            out_dir,
            RunFailedError.exit_code,
            f"{write_problem(exc, out_dir)}{untouched}",
            time.perf_counter() - started,
        )


# Windows refuses longer paths unless long paths are switched on in the registry.
WINDOWS_MAX_PATH = 260


def write_problem(exc: OSError, out_dir: Path, windows: bool = os.name == "nt") -> str:
    """Say in Swedish why a run could not write: a full disk, a read-only folder, or else what."""
    where = exc.filename or out_dir
    if windows and len(str(where)) >= WINDOWS_MAX_PATH:
        why = (
            f"sökvägen är {len(str(where))} tecken lång och Windows tillåter {WINDOWS_MAX_PATH}; "
            "lägg projektet eller --out i en mapp med kortare sökväg (till exempel C:\\klk)"
        )
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "disken är full (eller kvoten slut); frigör utrymme och kör igen"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = "mappen är skrivskyddad eller du saknar skrivrätt; välj en annan mapp med --out"
    else:
        why = exc.strerror or type(exc).__name__
    return f"kunde inte skriva eller läsa {where}: {why}."


def is_what_if(workbook: Path | None, raw: Path) -> bool:
    """True for a workbook given from outside raw: a what-if run, not the period's own."""
    return workbook is not None and not Path(workbook).resolve().is_relative_to(raw.resolve())


def _run_locked(
    period,
    *,
    workbook,
    out_dir,
    raw,
    processed,
    board,
    tolerance,
    timeout,
    notebooks,
    register,
    started,
    say,
) -> RunResult:
    from klk_analysis import report
    from klk_analysis.compilation import key_amounts
    from klk_analysis.htmlexport import export_html
    from klk_analysis.word import write_docx

    started_at, t0 = started
    recover_dir(out_dir)  # a run killed half-way through its swap: put the last report back
    if workbook is not None:
        refuse_folder(workbook)
    record = register or not is_what_if(workbook, raw)
    workbook = (Path(workbook) if workbook is not None else find_workbook(raw, period)).resolve()
    ensure_kernel()
    # The kernels start first and import what the notebooks need while this process reads and
    # checks the workbook and imports papermill (two cores: their start-up is no longer on the
    # run's path). A workbook that fails its check shuts them down at once (finally, below).
    kernels = {nb: take_spare() or StartedKernel() for nb in notebooks}
    staging = None
    try:
        say(f"{period}: läser och stämmer av {workbook}")
        # The one reading of the workbook in a run: every sheet, checked before any notebook.
        data = report.load(period, workbook, board, tolerance)
        raise_for_errors(data.findings, workbook)
        steps = {"check": time.perf_counter()}
        import_jupyter(convert=False)
        # nbconvert is needed only for the export: imported while the notebooks run.
        converter = threading.Thread(target=import_jupyter, daemon=True)
        converter.start()
        steps["jupyter_import"] = time.perf_counter()
        staging = _staging_dir(out_dir)
        parameters = {
            "period": period,
            "workbook": str(workbook),
            "board": board or "",
            "tolerance": float(tolerance),
            "processed_dir": str(Path(processed).resolve()),
            "record_forecasts": record,
            "output_dir": str(staging),
        }
        # The notebooks read the run's reading of the workbook, not the file again.
        source_file = save_source(data.source, staging / SOURCE_FILE)
        say(f"{period}: kör {', '.join(n.name for n in notebooks)}")
        seconds, failures = execute_all(
            notebooks, staging, {**parameters, "source_file": str(source_file)}, timeout, kernels
        )
        source_file.unlink()
        converter.join()
        steps["notebooks"] = time.perf_counter()
        input_hash = sha256(workbook)
        if not failures and (staging / REPORT_NOTEBOOK).exists():
            footer = (
                f"Skapad {now():%Y-%m-%d %H:%M} av klk_analysis {__version__} från "
                f"{workbook.name} (SHA-256 {input_hash[:12]}…)."
            )
            title = report.report_title(data.board, data.period)
            try:
                export_html(staging / REPORT_NOTEBOOK, staging / REPORT_FILE, title, footer)
                write_docx(staging)  # rapport.docx beside it, inside the same swap
            except KlkError as exc:
                failures.append((exc.exit_code, str(exc)))
        steps["html"] = time.perf_counter()
        if failures:
            failed_dir = _keep_failed(staging, out_dir, period)
            text = "; ".join(m for _, m in failures)
            return RunResult(
                period,
                out_dir,
                max(c for c, _ in failures),
                f"{text}. De körda anteckningsböckerna finns i {failed_dir}; {out_dir} är orörd.",
                time.perf_counter() - t0,
                failed_dir,
            )
        (staging / "tabeller").mkdir(exist_ok=True)
        (staging / "figurer").mkdir(exist_ok=True)
        manifest = {
            "period": period,
            "board": data.board,
            "inputs": [
                {"path": str(workbook), "sha256": input_hash, "bytes": workbook.stat().st_size}
            ],
            "notebooks": [
                {"name": nb.name, "source_sha256": sha256(nb), "seconds": seconds[nb.name]}
                for nb in notebooks
            ],
            "parameters": {**parameters, "output_dir": str(out_dir.resolve())},
            "findings": count_by_severity(list(data.findings)),
            # The figures the municipality's compilation takes from this report.
            "nyckeltal": key_amounts(data.workbook),
            "package_version": __version__,
            "git": git_commit(),
            "python": platform.python_version(),
            "kernel": execution.KERNEL_NAME,
            "started": started_at.isoformat(),
            "finished": now().isoformat(),
            "seconds": _step_seconds(t0, steps),
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        replace_dir(staging, out_dir)
    finally:
        for kernel in kernels.values():  # those a failure left unused
            kernel.close()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    took = time.perf_counter() - t0
    message = f"klar: {out_dir / REPORT_FILE} ({seconds_sv(took)})"
    return RunResult(period, out_dir, 0, message, took, None, manifest)


def _staging_dir(out_dir: Path) -> Path:
    """Make the temporary folder beside out_dir that a run builds in, after clearing stale ones."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that was killed; we hold the lock
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))


def _step_seconds(t0: float, steps: dict[str, float]) -> dict[str, float]:
    """Turn the times at which each step ended into seconds per step, and the total."""
    seconds, before = {}, t0
    for step, ended in steps.items():
        seconds[step], before = round(ended - before, 2), ended
    seconds["total"] = round(time.perf_counter() - t0, 2)
    return seconds


def execute_all(
    notebooks: tuple[Path, ...],
    folder: Path,
    parameters: dict,
    timeout: int,
    kernels: dict[Path, StartedKernel] | None = None,
) -> tuple[dict[str, float], list[tuple[int, str]]]:
    """Execute notebooks at once into folder; return seconds per notebook and the failures.

    A notebook with a kernel in `kernels` runs in it (started ahead), the others in a new one.
    """
    seconds, failures = {}, []
    kernels = kernels or {}
    # Each kernel is a process of its own: threads here only let their start-ups overlap.
    with ThreadPoolExecutor(max_workers=len(notebooks)) as pool:
        jobs = {
            pool.submit(
                execute_notebook, nb, folder / nb.name, parameters, timeout, kernels.get(nb)
            ): nb
            for nb in notebooks
        }
        for job in as_completed(jobs):
            try:
                seconds[jobs[job].name] = round(job.result(), 2)
            except Exception as exc:  # any failure of a notebook ends the run the same way
                failures.append(describe_failure(jobs[job].name, exc))
    return seconds, failures


def _keep_failed(staging: Path, out_dir: Path, period: str) -> Path:
    """Move a failed run's executed notebooks to outputs/failed/PERIOD-NÄMND-TIME/; return it.

    A board's folder outputs/PERIOD/<nämnd>/ keeps its failures in outputs/failed/, so that the
    period's folder holds only board folders and the compilation; any other folder DIR (--out)
    keeps them beside it, in DIR/../failed/PERIOD-TIME/.
    """
    board_layout = out_dir.parent.name == period and out_dir.name != period
    root = out_dir.parent.parent if board_layout else out_dir.parent
    name = f"{period}-{out_dir.name}" if board_layout else period
    failed = root / "failed" / f"{name}-{now():%Y%m%dT%H%M%S}"
    failed.mkdir(parents=True, exist_ok=True)
    for notebook in staging.glob("*.ipynb"):
        shutil.move(str(notebook), failed / notebook.name)
    return failed


# --- several periods ---------------------------------------------------------------------------


def _worker(period: str, options: dict) -> RunResult:
    return run_period(period, say=lambda text: print(text, file=sys.stderr, flush=True), **options)


def run_pool(
    tasks: list[tuple[str, str, dict]], jobs: int | None = None, say: Say = print
) -> list[RunResult]:
    """Run (label, period, options) tasks in parallel processes, a line per finished task.

    Jupyter is imported once here and inherited by the forked workers; a failing task does not
    stop the others. Results come back in the order of the tasks.
    """
    import multiprocessing

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    ensure_kernel()
    import_jupyter()  # once here, inherited by forked workers
    # Windows has no fork: there each worker is a fresh Python that imports what it needs.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    results: dict[int, RunResult] = {}
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=console.use_plain_fallbacks,  # a spawned worker's streams are new
    ) as pool:
        futures = {
            pool.submit(_worker, period, options): (i, label, period)
            for i, (label, period, options) in enumerate(tasks)
        }
        for done, future in enumerate(as_completed(futures), start=1):
            index, label, period = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a worker that died must not take the batch down
                result = RunResult(
                    period, Path(), RunFailedError.exit_code, f"{type(exc).__name__}: {exc}", 0.0
                )
            results[index] = result
            status = "klar" if result.ok else f"misslyckades (kod {result.exit_code})"
            say(f"[{done}/{len(tasks)}] {label} {status} på {seconds_sv(result.seconds)}")
    return [results[i] for i in range(len(tasks))]


def run_periods(
    periods: list[str], jobs: int | None = None, say: Say = print, **options
) -> list[RunResult]:
    """Run several periods in parallel processes; a failing period does not stop the others."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(periods)))
    say(f"{len(periods)} perioder, {jobs} åt gången.")
    results = run_pool([(p, p, options) for p in periods], jobs, say)
    return sorted(results, key=lambda r: r.period)


def summary_table(results: list[RunResult]) -> str:
    """Return a plain-text table of a batch: period, board, status, seconds and report or reason."""
    boards = any(r.board for r in results)
    width = max([len(r.board) for r in results] + [5]) if boards else 0
    board_head = f"{'Nämnd':<{width}}  " if boards else ""
    lines = [f"{'Period':<8}  {board_head}{'Status':<8}  {'Tid':>8}  Rapport eller orsak"]
    for r in results:
        status = "klar" if r.ok else f"fel ({r.exit_code})"
        where = str(r.report) if r.ok else r.message
        board = f"{r.board:<{width}}  " if boards else ""
        lines.append(f"{r.period:<8}  {board}{status:<8}  {seconds_sv(r.seconds):>8}  {where}")
    ok = sum(r.ok for r in results)
    what = "rapporter" if boards else "perioder"
    lines.append(f"{ok} av {len(results)} {what} klara.")
    return "\n".join(lines)


def exit_code(results: list[RunResult]) -> int:
    """Return 0 when every period succeeded, else the most serious exit code among them."""
    return max((r.exit_code for r in results), default=0)


# --- scheduled runs ----------------------------------------------------------------------------


def scheduled(
    raw: Path = paths.DATA_RAW,
    outputs: Path = paths.OUTPUTS,
    logs: Path | None = None,
    after: Callable[[RunResult], RunResult] | None = None,
    **options,
) -> tuple[int, Path]:
    """Run every board of the latest period unattended, writing a log.

    `after` (sending) follows each board whose report was made.
    """
    logs = Path(logs) if logs is not None else Path(outputs) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = f"{now():%Y%m%dT%H%M%S}"
    try:
        period = latest_period(raw)
    except KlkError as exc:
        log = logs / f"{stamp}.log"
        log.write_text(f"{now().isoformat()} klk scheduled: {exc}\n", encoding="utf-8")
        return exc.exit_code, log
    log = logs / f"{period}-{stamp}.log"
    with open(log, "w", encoding="utf-8") as handle:

        def write(text: str) -> None:
            handle.write(f"{now().isoformat()} {text}\n")
            handle.flush()

        write(f"klk scheduled: period {period} från {raw}, python {sys.executable}")
        from klk_analysis.municipality import COMPILATION, run_boards

        options.pop("board", None)  # every board of the period
        results = run_boards([period], raw=raw, outputs=outputs, say=write, **options)
        if after is not None:  # each board's own report is sent; a failed board's is not
            results = [after(r) if r.ok and r.board != COMPILATION else r for r in results]
        for result in results:
            name = f"{result.board}: " if result.board else ""
            write(
                ("OK " if result.ok else f"FEL (kod {result.exit_code}) ") + name + result.message
            )
    return exit_code(results), log
