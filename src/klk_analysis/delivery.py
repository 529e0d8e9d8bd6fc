"""What the mail and the Word document are made from: a record the run writes beside the report.

The report notebook writes `innehall.json` (the summary and comment sentences, the two key
figures, both tables as printed, the charts' titles and text alternatives) through
`report.write_outputs`. `klk mail` and `klk word` read it back with the charts in `figurer/`, so a
finished output folder is enough to rebuild either without the workbook or a rerun, and every
figure comes from the same functions as the report's.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from klk_analysis import formatting, narrative, tables
from klk_analysis.charts import FIGURE_FOLDER, Chart
from klk_analysis.errors import UnusableInputError
from klk_analysis.loading import Table, Workbook
from klk_analysis.periods import Period
from klk_analysis.processed import staged_file

CONTENT_FILE = "innehall.json"
REPORT_FILE = "rapport.html"
WORD_FILE = "rapport.docx"
MAIL_FILE = "rapport.eml"
# The chart the mail's short body shows: the budget deviation per unit.
MAIL_CHART = "budgetavvikelse_per_enhet"


@dataclass(frozen=True)
class Content:
    """A finished report's content as the run recorded it, and the folder it lies in."""

    folder: Path
    record: dict

    @property
    def period(self) -> Period:
        """The report's period."""
        return Period.parse(self.record["period"])

    @property
    def board(self) -> str:
        """The board (nämnd) the report is for."""
        return self.record["board"]

    @property
    def title(self) -> str:
        """The report's title: "Kommunstyrelsens delårsrapport 1, 2022"."""
        return self.record["title"]

    def chart_file(self, name: str) -> Path:
        """Return the PNG the run wrote for a chart."""
        return self.folder / FIGURE_FOLDER / f"{name}.png"


def table_record(table: Table) -> dict:
    """Return a table's display frame as data: caption, headers, per row label, kind, amounts.

    The same frame the report's HTML is rendered from, so Word shows the same cells; a group
    heading has the kind "heading" and no amounts (null).
    """
    frame = tables.printed_frame(table)
    return {
        "name": table.name,
        "title": tables.TITLES.get(table.name, table.sheet),
        "caption": tables.caption(table),
        "header": [str(c) for c in frame.columns.drop(tables.KIND)],
        "rows": [
            {
                "label": label,
                "kind": kind,
                "values": [None if pd.isna(v) else float(v) for v in values],
            }
            for label, *values, kind in frame.itertuples(index=False)
        ],
    }


def content_record(workbook: Workbook, context: dict, charts: list[Chart]) -> dict:
    """Return the record of a report's content that the mail and the Word document are made of."""
    span, year = context["period_span"], context["year"]
    return {
        "period": str(workbook.period),
        "board": workbook.board,
        "title": narrative.report_title(workbook.board, workbook.period),
        "report_name": context["report_name"],
        "period_text": formatting.period_text(workbook.period),
        "source_file": workbook.path.name,
        "summary": narrative.summary(context),
        "comments": narrative.comments(context),
        "key_figures": [
            {"label": f"Resultat {span} {year}", "value": context["result"]},
            {"label": f"Prognos helår {year}", "value": context["forecast"]},
        ],
        "tables": [table_record(t) for t in (workbook.resultatrakning, workbook.driftredovisning)],
        "charts": [
            {"name": c.name, "title": c.title, "alt": c.alt, "note": c.note} for c in charts
        ],
    }


def write_content(record: dict, folder: Path) -> Path:
    """Write the content record to folder/innehall.json, never half-written."""
    target = Path(folder) / CONTENT_FILE
    with staged_file(target) as temporary:
        temporary.write_text(
            json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return target


def read_content(folder: Path) -> Content:
    """Read a finished output folder's content record, or say why the folder will not do."""
    folder = Path(folder)
    path = folder / CONTENT_FILE
    if not folder.is_dir():
        raise UnusableInputError(
            f"{folder}: mappen finns inte. Kör först rapporten med klk run för perioden."
        )
    if not path.is_file():
        raise UnusableInputError(
            f"{path} saknas: mappen är ingen färdig rapport från den här versionen. "
            "Kör rapporten igen med klk run."
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        Period.parse(record["period"])
        missing = [k for k in ("board", "title", "summary", "tables", "charts") if k not in record]
    except (ValueError, KeyError, TypeError) as exc:
        raise UnusableInputError(
            f"{path}: filen går inte att läsa ({exc}). Kör rapporten igen med klk run."
        ) from None
    if missing:
        raise UnusableInputError(
            f"{path}: saknar {formatting.series(missing)}. Kör rapporten igen med klk run."
        )
    return Content(folder, record)
