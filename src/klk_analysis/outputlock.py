"""A lock per output folder, so two runs writing the same folder never interleave.

The lock itself is the filelock library's, one call for every platform, kept by its maintainers;
who holds it is written to a sidecar file beside it, since a locked file cannot always be read
by another process on Windows.
"""

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePath

from filelock import FileLock, Timeout


def _quiet(_text: str) -> None:
    pass


def lock_path(out_dir: PurePath) -> PurePath:
    """Return the lock file that guards an output folder (beside it, not inside it)."""
    return out_dir.with_name(f".{out_dir.name}.lock")


def holder_path(out_dir: PurePath) -> PurePath:
    """Return the sidecar file that says which run holds the output folder's lock."""
    return out_dir.with_name(f".{out_dir.name}.lock.json")


def holder_text(text: str) -> str:
    """Describe the run that holds a lock from the sidecar file's content."""
    try:
        holder = json.loads(text)
        return f"process {holder['pid']}, startad {holder['started']}"
    except (ValueError, KeyError, TypeError):
        return "okänd process"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:  # not written yet, or just removed by a run that finished
        return ""


@contextmanager
def output_lock(out_dir: Path, say: Callable[[str], None] = _quiet) -> Iterator[None]:
    """Hold the output folder's lock; if another run holds it, say who and wait for it."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(out_dir))
    holder = Path(holder_path(out_dir))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say(
            f"{out_dir} används av en annan körning ({holder_text(_read(holder))}); "
            "väntar tills den är klar."
        )
        lock.acquire()
    try:
        started = datetime.now().astimezone().replace(microsecond=0).isoformat()
        holder.write_text(json.dumps({"pid": os.getpid(), "started": started}), encoding="utf-8")
        yield
    finally:
        # On Windows a waiting run may be reading it at this moment; the next holder rewrites it.
        with contextlib.suppress(OSError):
            holder.unlink()
        lock.release()
