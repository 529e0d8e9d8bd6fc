"""The boards of a period: one workbook per board in raw/PERIOD/, each board named by its workbook.

A board's report goes to outputs/PERIOD/<folder>/, where the folder is the board's name in
lower-case ASCII with hyphens (Barn- och utbildningsnämnden → barn-och-utbildningsnamnden):
safe in every file system, in a URL and in a mail client's link, and still readable.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from klk_analysis.errors import KlkError, UnusableInputError

# å, ä and ö lose their dots rather than vanish, so the folder name stays readable.
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o"})


def board_slug(name: str) -> str:
    """Return a board's folder name: lower-case ASCII words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII))
    ascii_text = plain.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "namnd"


@dataclass(frozen=True)
class BoardInput:
    """One board of a period: its workbook(s), its name, its folder, and why it cannot run."""

    period: str
    workbooks: tuple[Path, ...]
    board: str | None  # None when no workbook could be read to name it
    slug: str
    exit_code: int = 0
    problem: str = ""

    @property
    def name(self) -> str:
        """The board's name, or the workbook's file name when the workbook could not be read."""
        return self.board or self.workbooks[0].name

    @property
    def runnable(self) -> bool:
        """True when the board has exactly one readable workbook."""
        return not self.problem

    def matches(self, wanted: str) -> bool:
        """True when wanted names this board: its name in any case, its folder or its file."""
        wanted = wanted.strip().casefold()
        names = {self.slug, *(p.name.casefold() for p in self.workbooks)}
        names |= {p.stem.casefold() for p in self.workbooks}
        if self.board:
            names.add(self.board.casefold())
        return wanted in names or board_slug(wanted) == self.slug


def identify(workbook: Path) -> str:
    """Return the board a workbook belongs to, as the loader reads it."""
    from klk_analysis.loading import load_workbook

    return load_workbook(workbook).board


def boards_of(period: str, workbooks: list[Path], identify=identify) -> list[BoardInput]:
    """Name each workbook's board; two workbooks of one board make that board unrunnable."""
    named: dict[str, list[tuple[str, Path]]] = {}
    unreadable = []
    for path in workbooks:
        try:
            board = identify(path)
        except KlkError as exc:
            unreadable.append(
                BoardInput(period, (path,), None, board_slug(path.stem), exc.exit_code, str(exc))
            )
            continue
        named.setdefault(board_slug(board), []).append((board, path))
    found = []
    for slug, entries in named.items():
        board, files = entries[0][0], tuple(p for _, p in entries)
        if len(files) == 1:
            found.append(BoardInput(period, files, board, slug))
            continue
        listed = " och ".join(str(p) for p in files)
        found.append(
            BoardInput(
                period,
                files,
                board,
                slug,
                UnusableInputError.exit_code,
                f"{len(files)} arbetsböcker för {board} i samma period: {listed}. Förväntade en "
                "arbetsbok per nämnd; flytta bort den som inte gäller.",
            )
        )
    taken = {b.slug for b in found}
    for entry in unreadable:
        # A file named like a board's folder must not share that folder.
        slug = entry.slug if entry.slug not in taken else f"{entry.slug}-fil"
        found.append(BoardInput(**{**entry.__dict__, "slug": slug}))
    return sorted(found, key=lambda b: b.name.casefold())


def select(boards: list[BoardInput], wanted: str | None, folder: Path) -> list[BoardInput]:
    """Return the board that wanted names (all boards when None), or say which ones there are."""
    if not wanted:
        return boards
    chosen = [b for b in boards if b.matches(wanted)]
    if not chosen:
        names = ", ".join(b.name for b in boards) or "inga"
        raise UnusableInputError(
            f"{folder}: ingen nämnd heter \u201d{wanted}\u201d. Nämnderna i mappen: {names}. "
            "Ange nämndens namn (valfria versaler), dess mapp eller arbetsbokens filnamn."
        )
    return chosen


def report_folder(period_dir: Path, wanted: str | None = None) -> Path:
    """Return the finished report folder of one board in outputs/PERIOD/ for `klk mail`/`word`.

    wanted names the board as `--board` does for a run (any case, or its folder's name); it may
    be left out when the period has one board's report. A folder that is itself a finished
    report (made with `klk run --out DIR`) is returned as it is.
    """
    import json

    from klk_analysis.delivery import CONTENT_FILE

    period_dir = Path(period_dir)
    if (period_dir / CONTENT_FILE).is_file() or not period_dir.is_dir():
        return period_dir  # delivery says what is missing
    reports = {}
    for folder in sorted(p for p in period_dir.iterdir() if (p / CONTENT_FILE).is_file()):
        try:
            board = json.loads((folder / CONTENT_FILE).read_text(encoding="utf-8"))["board"]
        except (ValueError, KeyError, TypeError, OSError):
            board = folder.name
        reports[folder] = str(board)
    if wanted:
        key = wanted.strip().casefold()
        chosen = [
            f
            for f, board in reports.items()
            if key in (f.name, board.casefold()) or board_slug(wanted) == f.name
        ]
        if chosen:
            return chosen[0]
    elif len(reports) == 1:
        return next(iter(reports))
    if not reports:
        raise UnusableInputError(
            f"{period_dir}: ingen färdig nämndsrapport i mappen. Kör först klk run för perioden."
        )
    names = ", ".join(f"{board} ({f.name})" for f, board in reports.items())
    asked = f"ingen nämnd heter \u201d{wanted}\u201d" if wanted else "flera nämnders rapporter"
    raise UnusableInputError(
        f"{period_dir}: {asked}. Rapporterna i mappen: {names}. "
        "Välj en med --board NÄMND (namnet i valfria versaler eller mappens namn)."
    )
