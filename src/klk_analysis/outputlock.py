"""A lock per output folder, so two runs writing the same folder never interleave."""

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path


def _quiet(_text: str) -> None:
    pass


def _try_lock(handle) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _wait_lock(handle) -> None:
    if os.name == "nt":
        while not _try_lock(handle):
            time.sleep(1)
        return
    import fcntl

    fcntl.flock(handle, fcntl.LOCK_EX)


def _unlock(handle) -> None:
    if os.name == "nt":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle, fcntl.LOCK_UN)


def lock_path(out_dir: Path) -> Path:
    """Return the lock file that guards an output folder (beside it, not inside it)."""
    return out_dir.with_name(f".{out_dir.name}.lock")


def holder_text(text: str) -> str:
    """Describe the run that holds a lock from the lock file's content."""
    try:
        holder = json.loads(text)
        return f"process {holder['pid']}, startad {holder['started']}"
    except (ValueError, KeyError, TypeError):
        return "okänd process"


@contextmanager
def output_lock(out_dir: Path, say: Callable[[str], None] = _quiet) -> Iterator[None]:
    """Hold the output folder's lock; if another run holds it, say who and wait for it."""
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            try:
                handle.seek(0)
                text = handle.read()
            except OSError:
                text = ""
            say(
                f"{out_dir} används av en annan körning ({holder_text(text)}); "
                "väntar tills den är klar."
            )
            _wait_lock(handle)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "started": datetime.now().astimezone().replace(microsecond=0).isoformat(),
                }
            )
        )
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
