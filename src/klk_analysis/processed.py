"""Writing the tidy tables to data/processed/<period>/, never half-written."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

import pandas as pd

from klk_analysis import paths
from klk_analysis.deviations import with_annual_budget
from klk_analysis.errors import FileInUseError
from klk_analysis.loading import Workbook, tidy

# POSIX gives a temporary file or folder owner-only modes that must be widened; on Windows both
# inherit the parent folder's access rules, and there is no mode to fix.
POSIX_MODES = os.name == "posix"


def write_processed(workbook: Workbook, root: Path) -> Path:
    """Write the workbook's tidy tables as Parquet and CSV to root/<period>/<board>/; return it.

    A relative root is taken from the project root, as every notebook path parameter is.
    """
    from klk_analysis.boards import board_slug

    data = with_annual_budget(tidy(workbook)).assign(source_file=workbook.path.name)
    # A folder per board: the boards of one period run at the same time.
    target = paths.resolve(root) / str(workbook.period) / board_slug(workbook.board)
    with staged_dir(target) as staging:
        for name, part in data.groupby("table", sort=False):
            part.to_parquet(staging / f"{name}.parquet", index=False)
            part.to_csv(staging / f"{name}.csv", index=False, encoding="utf-8")
    return target


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside target to write in; it replaces target whole on success."""
    # Written beside the target and swapped in whole, so a failed run leaves the old files.
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield staging
        replace_dir(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def staged_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target to write; it replaces target on success."""
    # A reader sees the old file or the new, never half of one.
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        if POSIX_MODES:  # mkstemp makes files only the owner can read; widen to the usual
            os.chmod(temporary, 0o666 & ~_umask())
        try:
            os.replace(temporary, target)
        except PermissionError:  # Windows: the file is open in Excel
            raise in_use_error(target) from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def replace_dir(new: Path, target: Path) -> None:
    """Put a finished folder in place of target, keeping the old one until the new one is in."""
    old = recover_dir(target)
    if POSIX_MODES:  # mkdtemp makes folders only the owner can read; give the usual modes
        new.chmod(target.stat().st_mode & 0o7777 if target.exists() else 0o777 & ~_umask())
    shutil.rmtree(old, ignore_errors=True)
    try:
        if target.exists():
            target.rename(old)
    except PermissionError:  # Windows: a file in the folder is open in Excel
        raise in_use_error(target) from None
    try:
        new.rename(target)
    except OSError as exc:
        if old.is_dir() and not target.exists():
            old.rename(target)  # the last good folder goes back
        if isinstance(exc, PermissionError):  # something holds a file of the new folder open
            raise in_use_error(new) from None
        raise
    shutil.rmtree(old, ignore_errors=True)


def aside_dir(target: PurePath) -> PurePath:
    """Return the name a folder is moved aside to while its replacement moves in."""
    return target.with_name(f".{target.name}.old")


def recover_dir(target: Path) -> Path:
    """Put back the last good folder if a swap was killed half-way; return the aside name."""
    old = aside_dir(target)
    if old.is_dir() and not target.exists():
        # Killed between replace_dir's two renames: the folder moved aside is the last good one.
        old.rename(target)
    return old


def files_in_use(path: Path) -> list[Path]:
    """Return the files at or under path that another program holds open against writing."""
    # Windows refuses to replace a file that Excel has open, or to rename a folder holding one,
    # with the same PermissionError as a read-only folder; it also refuses to open that file
    # for writing, which tells which file it is. Opening without truncating changes nothing.
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    found = []
    for file in files:
        try:
            os.close(os.open(file, os.O_RDWR))
        except PermissionError:
            found.append(file)
        except OSError:
            continue  # gone meanwhile: not what holds the swap
    return found


def in_use_error(target: Path) -> FileInUseError:
    """Say which file keeps target from being replaced, and what to do about it."""
    locked = files_in_use(target)
    if not locked:
        held = "den" if Path(target).is_file() else "en fil i mappen eller mappen själv"
        return FileInUseError(
            f"{target} kan inte ersättas: {held} är öppen i ett annat program (Excel, "
            "Utforskaren eller ett kommandofönster), eller så saknar du skrivrätt. "
            "Stäng den och kör igen."
        )
    names = [p.name for p in locked]
    said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"
    where = ", ".join(str(p) for p in locked)
    held = f"{where} är {'öppen' if len(locked) == 1 else 'öppna'} i ett annat program"
    replaced = "" if locked == [target] else f", så {target} kan inte ersättas"
    return FileInUseError(f"{held}{replaced}. Stäng {said} i Excel och kör igen.")


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def read_processed(root: Path, period: str, board: str) -> pd.DataFrame:
    """Read a board's tidy tables of a period back from root/<period>/<board>/."""
    from klk_analysis.boards import board_slug

    folder = Path(root) / period / board_slug(board)
    return pd.concat(
        [pd.read_parquet(f) for f in sorted(folder.glob("*.parquet"))], ignore_index=True
    )
