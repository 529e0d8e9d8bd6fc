"""A workbook read once: screened and opened one time, every sheet the suite uses read from it.

The runner's check, the notebooks and `klk check` share one `Source`. A run reads the workbook
in its own process and hands the notebooks the result (`save_source`), so the kernels do not
open the file again.
"""

import dataclasses
import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from klk_analysis.errors import UnusableInputError
from klk_analysis.history import read_history_sheet
from klk_analysis.loading import Workbook, load_workbook, open_screened
from klk_analysis.organisation import Organisation, load_organisation


@dataclass(frozen=True)
class Source:
    """Everything read from one workbook: the two tables, the organisation sheets, the history."""

    workbook: Workbook
    organisation: Organisation
    history: pd.DataFrame

    @property
    def path(self) -> Path:
        """The workbook file the source was read from."""
        return self.workbook.path


def read_source(path: Path | str, board: str | None = None) -> Source:
    """Screen and open a workbook once and read its tables, organisation sheets and history."""
    path = Path(path)
    book, screening = open_screened(path)
    workbook = load_workbook(path, board, book=book)
    if screening.has_macros:  # load_workbook learns of macros only when it screens the file
        workbook = dataclasses.replace(workbook, has_macros=True)
    return Source(
        workbook=workbook,
        organisation=load_organisation(path, book),
        history=read_history_sheet(book, path),
    )


def save_source(source: Source, target: Path) -> Path:
    """Write a source for a notebook of the same run to read back with `saved_source`."""
    target = Path(target)
    target.write_bytes(pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL))
    return target


def saved_source(saved: Path, workbook: Path) -> Source:
    """Read back a source that this run saved for workbook; refuse one saved for another file."""
    # Only a file this run wrote into its own private staging folder is ever read here.
    source = pickle.loads(Path(saved).read_bytes())
    if not isinstance(source, Source) or source.path != Path(workbook):
        raise UnusableInputError(
            f"{saved}: den sparade läsningen gäller inte arbetsboken {workbook}. "
            "Kör utan source_file så läses arbetsboken på nytt."
        )
    return source
