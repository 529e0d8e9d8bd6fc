"""Writing the tidy tables to data/processed/<period>/, never half-written."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from klk_analysis.deviations import with_annual_budget
from klk_analysis.loading import Workbook, tidy


def write_processed(workbook: Workbook, root: Path) -> Path:
    """Write the workbook's tidy tables as Parquet and CSV to root/<period>/<board>/; return it."""
    from klk_analysis.boards import board_slug

    data = with_annual_budget(tidy(workbook)).assign(source_file=workbook.path.name)
    # A folder per board: the boards of one period run at the same time.
    target = Path(root) / str(workbook.period) / board_slug(workbook.board)
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
        # mkstemp makes files only the owner can read; give the result the usual permissions.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def replace_dir(new: Path, target: Path) -> None:
    """Put a finished folder in place of target, keeping the old one until the new one is in."""
    old = recover_dir(target)
    # mkdtemp makes folders only the owner can read; give the result the usual permissions.
    new.chmod(target.stat().st_mode & 0o7777 if target.exists() else 0o777 & ~_umask())
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def recover_dir(target: Path) -> Path:
    """Put back the last good folder if a swap was killed half-way; return the aside name."""
    old = target.with_name(f".{target.name}.old")
    if old.is_dir() and not target.exists():
        # Killed between replace_dir's two renames: the folder moved aside is the last good one.
        old.rename(target)
    return old


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
