"""Where the project keeps data and outputs, anchored on this file, not the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_RAW = ROOT / "data" / "raw"
DATA_PROCESSED = ROOT / "data" / "processed"
NOTEBOOKS = ROOT / "notebooks"
OUTPUTS = ROOT / "outputs"


def resolve(path: str | Path) -> Path:
    """Return a path as given if absolute, else relative to the project root (not the cwd)."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def workbooks_in(folder: Path) -> list[Path]:
    """Return the workbooks in a folder, leaving out Excel's lock files and hidden files."""
    return sorted(
        p
        for p in Path(folder).iterdir()
        if p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
    )
