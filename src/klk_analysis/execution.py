"""Executing notebooks: the project's named kernel, papermill in this process, failures in words."""

import ast
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import KlkError, RunFailedError, UnusableInputError

KERNEL_NAME = "klk-analysis"
KERNEL_DISPLAY_NAME = "Python (klk-analysis)"


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


def import_jupyter() -> None:
    """Import papermill and nbconvert once, before any run or worker process needs them."""
    # jsonschema builds an IRI grammar at import when rfc3987-syntax is installed (jupyterlab
    # pulls it in): about 1,2 s per process. Notebook validation never checks that format, so
    # the import is skipped here and allowed again afterwards.
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None
    try:
        import nbconvert  # noqa: F401
        import papermill  # noqa: F401
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]


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

    if os.name != "posix":
        return Config()
    # Local sockets instead of TCP ports on a shared machine (ipykernel warns about plain TCP).
    # An absolute, unique prefix: the kernel runs in notebooks/, this process elsewhere.
    prefix = Path(tempfile.gettempdir()) / f"klk-{uuid.uuid4().hex[:12]}"
    return Config({"KernelManager": {"transport": "ipc", "ip": str(prefix)}})


def execute_notebook(source: Path, target: Path, parameters: dict, timeout: float) -> float:
    """Execute one notebook with papermill in this process and return the seconds it took."""
    import papermill

    names = parameter_names(source)
    started = time.perf_counter()
    papermill.execute_notebook(
        str(source),
        str(target),
        parameters={k: v for k, v in parameters.items() if k in names},
        kernel_name=KERNEL_NAME,
        language="python",
        progress_bar=False,
        execution_timeout=timeout,
        # An immediate shutdown takes 0,1 s; the polite one 0,5 s and now and then 3 s.
        shutdown_kernel="immediate",
        # The kernel starts in notebooks/, as in JupyterLab, without changing this process's cwd.
        resources={"metadata": {"path": str(paths.NOTEBOOKS)}},
        config=_kernel_config(),
    )
    return time.perf_counter() - started


def describe_failure(name: str, exc: BaseException) -> tuple[int, str]:
    """Turn a notebook's exception into an exit code and a sentence, without a traceback."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        from klk_analysis import errors

        own = getattr(errors, exc.ename, None)
        if isinstance(own, type) and issubclass(own, KlkError):
            return own.exit_code, f"{name}: {exc.evalue}"
        return RunFailedError.exit_code, (
            f"{name} stannade i cell {exc.exec_count} med {exc.ename}: {exc.evalue}"
        )
    if isinstance(exc, TimeoutError):
        return RunFailedError.exit_code, f"{name} tog för lång tid ({exc})"
    return RunFailedError.exit_code, f"{name} kunde inte köras: {type(exc).__name__}: {exc}"


def lab_command() -> list[str]:
    """Return the command that opens JupyterLab on notebooks/ with this environment's Python."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={paths.NOTEBOOKS}"]
