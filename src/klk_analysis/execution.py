"""Executing notebooks: the project's named kernel, papermill in this process, failures in words."""

import ast
import contextlib
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from klk_analysis import errors, paths
from klk_analysis.errors import KlkError, RunFailedError, UnusableInputError

KERNEL_NAME = "klk-analysis"
KERNEL_DISPLAY_NAME = "Python (klk-analysis)"
# Local sockets between this process and its kernels exist on POSIX only; Windows uses TCP.
IPC_TRANSPORT = os.name == "posix"


def ensure_kernel() -> Path:
    """Install the named kernel into this environment unless it is there; return its folder."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    folder = Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec_file = folder / "kernel.json"
    try:
        argv = json.loads(spec_file.read_text(encoding="utf-8"))["argv"]
    except (OSError, ValueError, KeyError):
        argv = []
    # Same bin folder, same environment: `klk` may run as python3 and pytest as python.
    if not argv or Path(argv[0]).parent != Path(sys.executable).parent:
        from ipykernel.kernelspec import install

        # frozen_modules=True keeps Python's fast start-up; the debugger flag is not needed here.
        install(
            kernel_name=KERNEL_NAME,
            display_name=KERNEL_DISPLAY_NAME,
            prefix=sys.prefix,
            frozen_modules=True,
        )
    try:
        found = Path(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir)
    except NoSuchKernel:
        found = None
    if found is None or found.resolve() != folder.resolve():
        raise UnusableInputError(
            f"kärnan {KERNEL_NAME!r} hittas i {found}, inte i den här miljön ({folder}). "
            f"Ta bort den andra med 'jupyter kernelspec remove {KERNEL_NAME}' och kör igen."
        )
    return folder


@contextlib.contextmanager
def without_iri_grammar():
    """Import Jupyter's modules without jsonschema building its IRI grammar.

    jsonschema builds an IRI grammar at import when rfc3987-syntax is installed (jupyterlab
    pulls it in): one to five seconds per process. Notebook validation never checks that
    format, so the import is skipped inside this block and allowed again afterwards.
    """
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None
    try:
        yield
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


def import_jupyter(convert: bool = True) -> None:
    """Import papermill and (unless convert is False) nbconvert once, before they are needed."""
    with without_iri_grammar():
        import papermill  # noqa: F401

        if convert:
            import nbconvert  # noqa: F401


def parameter_names(notebook: Path) -> set[str]:
    """Return the names the notebook's cell tagged 'parameters' assigns."""
    content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names = set()
    for cell in content.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for node in ast.parse(source).body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [getattr(node, "target", None)]
                )
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _kernel_config():
    import uuid

    from traitlets.config import Config

    if not IPC_TRANSPORT:
        return Config()  # TCP on 127.0.0.1, the kernel's default
    # Local sockets instead of TCP ports on a shared machine (ipykernel warns about plain TCP).
    # An absolute, unique prefix: the kernel runs in notebooks/, this process elsewhere.
    prefix = Path(tempfile.gettempdir()) / f"klk-{uuid.uuid4().hex[:12]}"
    return Config({"KernelManager": {"transport": "ipc", "ip": str(prefix)}})


# The error a timed-out cell's reply carries, to tell a timeout from the KeyboardInterrupt the
# kernel reports once it has been interrupted.
TIMEOUT_ENAME = "KlkCellTimeout"


def heading_above(cells: list, index: int) -> str | None:
    """Return the last Markdown heading above cell index, without its '#'s, or None."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        headings = [line for line in source.splitlines() if line.startswith("#")]
        if headings:
            return headings[-1].lstrip("#").strip()
    return None


class CellTracker:
    """Follow a notebook's execution through nbclient's hooks: which cell runs, under what."""

    def __init__(self) -> None:
        self.cells: list = []
        self.number = 0  # code cells sent to the kernel: the [n] JupyterLab shows beside the cell
        self.heading: str | None = None
        self.timed_out = False

    def on_notebook_start(self, notebook, **_) -> None:
        """Keep the notebook being executed, injected parameters included."""
        self.cells = notebook.cells

    def on_cell_execute(self, cell, cell_index: int, **_) -> None:
        """Count the code cell about to run and note the heading it stands under."""
        self.number += 1
        self.heading = heading_above(self.cells, cell_index)

    def on_cell_error(self, cell, cell_index: int, execute_reply: dict, **_) -> None:
        """Note whether the cell's error was the timeout."""
        self.timed_out = execute_reply.get("content", {}).get("ename") == TIMEOUT_ENAME

    def where(self) -> str:
        """Name the cell for a message: 'cell 4 under rubriken ”Prognos”'."""
        if not self.number:
            return "kärnans start"
        under = f" under rubriken \u201d{self.heading}\u201d" if self.heading else ""
        return f"cell {self.number}{under}"

    def hooks(self) -> dict:
        """Return the hooks as NotebookClient options."""
        return {
            "on_notebook_start": self.on_notebook_start,
            "on_cell_execute": self.on_cell_execute,
            "on_cell_error": self.on_cell_error,
        }


def quiet_logs() -> None:
    """Keep nbclient's and asyncio's English log lines off the terminal; failures are reported."""
    for name in ("papermill", "asyncio"):
        logger = logging.getLogger(name)
        logger.propagate = False
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


# What a report notebook imports first: a kernel started ahead imports it while the run still
# imports papermill and nbconvert, so that the notebook's first cell finds it done.
WARM_UP = "import matplotlib.pyplot, pandas\nfrom klk_analysis import report"


class StartedKernel:
    """A kernel started before its notebook, so that its start-up overlaps the run's own work.

    Started with the options nbclient would give it (the notebooks/ folder as working folder,
    history in memory), it imports WARM_UP silently (nothing in the notebook, no execution
    count), and is shut down at once by `close`, whatever happened.
    """

    def __init__(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.utils import run_sync

        self._run_sync = run_sync
        self.manager = AsyncKernelManager(kernel_name=KERNEL_NAME, config=_kernel_config())
        run_sync(self.manager.start_kernel)(
            cwd=str(paths.NOTEBOOKS), extra_arguments=["--HistoryManager.hist_file=:memory:"]
        )
        # Sent now, run by the kernel as soon as it is up; `wait_until_warm` takes its reply.
        self._client = self.manager.blocking_client()
        # The shell channel alone: no heartbeat thread that could complain when it is shut down.
        self._client.start_channels(iopub=False, stdin=False, hb=False, control=False)
        self._warm_up = self._client.execute(WARM_UP, silent=True, store_history=False)

    def wait_until_warm(self, timeout: float = 60) -> None:
        """Wait until the kernel has done its imports, so that no cell's time limit counts them.

        A kernel that does not answer in time is left to the notebook's run, which says so.
        """
        from queue import Empty

        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                reply = self._client.get_shell_msg(timeout=left)
            except Empty:
                return
            if reply["parent_header"].get("msg_id") == self._warm_up:
                return

    def close(self) -> None:
        """Shut the kernel down at once; closing it again does nothing."""
        if self._client is None:
            return
        self._client.stop_channels()
        self._client = None
        if self._run_sync(self.manager.is_alive)():
            self._run_sync(self.manager.shutdown_kernel)(now=True)  # cleans up after itself
        else:
            self._run_sync(self.manager.cleanup_resources)()


# One kernel `klk run` starts before it imports pandas and reads the workbook, for the one
# report it runs in this process; see start_spare and take_spare.
_spare: tuple[int, StartedKernel] | None = None


def start_spare() -> None:
    """Start a kernel now for the one notebook this process will run (see take_spare)."""
    global _spare
    ensure_kernel()
    _spare = (os.getpid(), StartedKernel())


def take_spare() -> StartedKernel | None:
    """Return the kernel start_spare started in this process, once; None in any other process."""
    global _spare
    if _spare is None or _spare[0] != os.getpid():
        return None
    kernel, _spare = _spare[1], None
    return kernel


def close_spare() -> None:
    """Shut down a spare kernel nobody took (a run of several boards, or one that failed early)."""
    kernel = take_spare()
    if kernel is not None:
        kernel.close()


def execute_notebook(
    source: Path,
    target: Path,
    parameters: dict,
    timeout: float,
    kernel: StartedKernel | None = None,
) -> float:
    """Execute one notebook with papermill in this process and return the seconds it took.

    With `kernel`, the notebook runs in that kernel, already started; it is shut down afterwards.
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    quiet_logs()
    name = Path(source).name
    names = parameter_names(source)
    tracker = CellTracker()
    seconds = max(1, math.ceil(timeout))  # nbclient takes whole seconds only
    started = time.perf_counter()
    if kernel is not None:
        kernel.wait_until_warm()
    try:
        papermill.execute_notebook(
            str(source),
            str(target),
            parameters={k: v for k, v in parameters.items() if k in names},
            kernel_name=KERNEL_NAME,
            language="python",
            progress_bar=False,
            execution_timeout=seconds,
            # Interrupting a cell that runs too long lets the kernel answer and nbclient finish
            # cleanly; raising at once would leave its output task pending.
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
            # An immediate shutdown takes 0,1 s; the polite one 0,5 s and now and then 3 s.
            shutdown_kernel="immediate",
            # The kernel starts in notebooks/, as in JupyterLab, without changing our cwd.
            resources={"metadata": {"path": str(paths.NOTEBOOKS)}},
            config=_kernel_config(),
            km=kernel.manager if kernel is not None else None,
            **tracker.hooks(),
        )
    except PapermillExecutionError as exc:
        if tracker.timed_out:
            raise _timed_out(name, tracker, seconds) from None
        own = getattr(errors, exc.ename, None)
        if isinstance(own, type) and issubclass(own, KlkError):
            raise own(f"{name}: {exc.evalue}") from None
        raise RunFailedError(
            f"{name} stannade i {tracker.where()} med {exc.ename}: {exc.evalue}"
        ) from None
    except TimeoutError:  # the kernel did not answer even when interrupted
        raise _timed_out(name, tracker, seconds) from None
    except DeadKernelError:
        raise RunFailedError(
            f"{name}: kärnan avslutades oväntat i {tracker.where()}, kanske av minnesbrist"
        ) from None
    finally:
        if kernel is not None:
            kernel.close()
    return time.perf_counter() - started


def _timed_out(name: str, tracker: CellTracker, seconds: int) -> RunFailedError:
    return RunFailedError(
        f"{name} avbröts i {tracker.where()}: cellen tog längre än tidsgränsen "
        f"{seconds}\u00a0s (ändra den med --timeout)"
    )


def describe_failure(name: str, exc: BaseException) -> tuple[int, str]:
    """Turn a notebook's exception into an exit code and a sentence, without a traceback."""
    if isinstance(exc, KlkError):
        return exc.exit_code, str(exc)
    return RunFailedError.exit_code, f"{name} kunde inte köras: {type(exc).__name__}: {exc}"


def lab_command() -> list[str]:
    """Return the command that opens JupyterLab on notebooks/ with this environment's Python."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={paths.NOTEBOOKS}"]


def open_lab(command: list[str], replace: bool = os.name == "posix") -> int:
    """Start JupyterLab and return its exit code; on POSIX it takes over this process instead."""
    if replace:
        os.execv(command[0], command)  # JupyterLab takes over this process and its terminal
    # Windows' exec starts a new process and ends this one, so PowerShell would print its
    # prompt while JupyterLab still writes to the window: wait for it as a child instead.
    return subprocess.call(command)
