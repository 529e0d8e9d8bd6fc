"""Reading the resultaträkning and the driftredovisning from a workbook as it really arrives."""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from klk_analysis.errors import Described, UnusableInputError, cell_error
from klk_analysis.numbers import AmountError, parse_amount
from klk_analysis.periods import ColumnHeader, Period, parse_header
from klk_analysis.screening import Screening, screen_workbook_file

HEADER_SEARCH_ROWS = 30
# Measures that describe the whole year; the others run from January to the period's month.
FULL_YEAR_MEASURES = ("arsbudget", "arsprognos", "avvikelse_arsprognos")

TABLES = {
    "resultatrakning": {
        "sheet": "Resultaträkning",
        "required": ("utfall", "budget", "budgetavvikelse", "arsprognos", "avvikelse_arsprognos"),
    },
    "driftredovisning": {
        "sheet": "Driftredovisning",
        "required": ("budgetavvikelse", "arsbudget", "avvikelse_arsprognos"),
    },
}
_UNIT_SCALES = (
    (re.compile(r"\b(tkr|tusen(?:tals)? kronor)\b"), 0.001),
    (re.compile(r"\b(mnkr|mkr|msek|miljoner kronor)\b"), 1.0),
)
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeaaoe")


@dataclass(frozen=True)
class Column:
    """One measure column of a table: its header as printed and what it means."""

    id: str
    header: str
    measure: str
    year: int
    month: int
    letter: str


@dataclass(frozen=True)
class Table:
    """One table as printed: its rows in order, with one numeric column per measure column."""

    name: str
    sheet: str
    label_header: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    period: Period
    unit_scale: float = 1.0

    def column(self, measure: str, year: int | None = None) -> Column | None:
        """Return the column of a measure (the latest year unless one is given), or None."""
        found = [c for c in self.columns if c.measure == measure and year in (None, c.year)]
        return max(found, key=lambda c: c.year) if found else None


@dataclass(frozen=True)
class Workbook:
    """A loaded workbook: where it came from, its period and board, and its two tables."""

    path: Path
    period: Period
    board: str
    resultatrakning: Table
    driftredovisning: Table
    skipped_rows: tuple[str, ...] = field(default=())
    has_macros: bool = False


def normalise_label(text: str) -> str:
    """Return a label's key: without leading dashes or bullets, spaces collapsed, case folded."""
    return " ".join(text.lstrip("-\u2212\u2013\u2014•*· ").split()).casefold()


def row_kind(key: str) -> str:
    """Classify a row by its label: 'result', 'sum' or 'line'."""
    if key.startswith("summa") or key.startswith("totalt") or key.startswith("total "):
        return "result" if "resultat" in key else "sum"
    if key in ("årets resultat", "resultat", "periodens resultat"):
        return "result"
    return "line"


# An all-capitals word longer than this is a name typed in capitals, not an abbreviation.
_MAX_ABBREVIATION = 6


def board_genitive(board: str) -> str:
    """Decline a board's name in the genitive: Tekniska nämnden → Tekniska nämndens, FN → FN:s."""
    name = board.rstrip()
    if not name:
        return name
    last = name.split()[-1]
    # Swedish writes the genitive of an abbreviation, a number or a bracket with a colon.
    if not name[-1].isalpha():
        return name + ":s"
    if last.isupper() and sum(c.isalpha() for c in last) <= _MAX_ABBREVIATION:
        return name + ":s"
    if name[-1] in "sxzSXZ":
        return name
    return name + ("S" if last.isupper() else "s")


def _defused(exc: BaseException | None) -> DefusedXmlException | None:
    while exc is not None and not isinstance(exc, DefusedXmlException):
        exc = exc.__cause__ or exc.__context__
    return exc


# What defusedxml refused, in Swedish: its exception names are what a user would otherwise see.
_FORBIDDEN_XML = {
    "EntitiesForbidden": "entitetsdefinitioner (ENTITY)",
    "DTDForbidden": "en dokumenttypdefinition (DOCTYPE)",
    "ExternalReferenceForbidden": "en hänvisning till en extern fil eller adress",
}
# Why openpyxl could not read a file that passed the screening, by the type of its error.
_UNREADABLE = (
    (zipfile.BadZipFile, "zip-arkivet som en .xlsx-fil består av är trasigt"),
    # openpyxl raises OSError (not only KeyError) when the workbook part itself is missing
    (KeyError | OSError, "en del som varje Excel-arbetsbok har saknas eller kan inte läsas"),
)


def _open(path: Path, data_only: bool = True) -> openpyxl.Workbook:
    try:
        # keep_vba=False: macros in an .xlsm are neither kept nor run, only the values are read.
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=False)
    except Exception as exc:  # openpyxl raises many types for broken files, and wraps them
        if (defused := _defused(exc)) is not None:
            what = _FORBIDDEN_XML.get(type(defused).__name__, "otillåtna XML-konstruktioner")
            raise UnusableInputError(
                f"{path}: arbetsbokens XML innehåller {what}, som Excel aldrig skriver och "
                "som kan användas för att angripa den som läser. Filen öppnas inte; öppna den "
                "i Excel och spara som ny .xlsx om den är betrodd."
            ) from None
        why = next(
            (text for kind, text in _UNREADABLE if isinstance(exc, kind)),
            "innehållet följer inte Excels filformat",
        )
        raise UnusableInputError(
            f"{path}: kan inte läsas som en Excel-arbetsbok ({why}). "
            "Förväntade en arbetsbok sparad i Excel som .xlsx; be om filen igen, eller öppna "
            "den i Excel och spara som .xlsx."
        ) from None


def require_file(path: Path) -> None:
    """Raise a Swedish error unless `path` is an existing file (not a folder)."""
    if path.is_dir():
        raise UnusableInputError(
            f"{path}: är en mapp, inte en fil. Förväntade sökvägen till en arbetsbok (.xlsx)."
        )
    if not path.is_file():
        raise UnusableInputError(f"{path}: filen finns inte. Kontrollera sökvägen och filnamnet.")


def open_screened(path: Path) -> tuple[openpyxl.Workbook, Screening]:
    """Screen a file and open it for its cached values; return the book and what screening saw."""
    path = Path(path)
    require_file(path)
    screening = screen_workbook_file(path)
    return _open(path), screening


def open_workbook(path: Path) -> openpyxl.Workbook:
    """Open a workbook for its cached values, or raise an error that says why it cannot be used."""
    return open_screened(path)[0]


def find_sheet(book, path: Path, wanted: str, required: bool = True):
    """Return the visible sheet whose name matches `wanted` (None if absent and not required)."""
    target = wanted.casefold().translate(_FOLD)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    names = {ws: " ".join(ws.title.split()).casefold().translate(_FOLD) for ws in visible}
    exact = [ws for ws in visible if names[ws] == target]
    candidates = exact or [ws for ws in visible if names[ws].startswith(target)]
    if len(candidates) == 1:
        return candidates[0]
    shown = ", ".join(repr(ws.title) for ws in book.worksheets) or "inga"
    if candidates:
        raise UnusableInputError(
            f"{path}: flera blad kan vara {wanted!r}: "
            + ", ".join(repr(ws.title) for ws in candidates)
            + ". Förväntade exakt ett synligt blad med det namnet."
        )
    if not required:
        return None
    raise UnusableInputError(
        f"{path}: bladet {wanted!r} saknas (bladen heter {shown}). "
        f"Förväntade ett synligt blad som heter {wanted!r}."
    )


def _find_header_row(ws, path: Path) -> tuple[int, dict[int, ColumnHeader]]:
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        headers = {c.column: h for c in row if (h := parse_header(c.value)) is not None}
        if len(headers) >= 2:
            return row[0].row, headers
    merged = [str(r) for r in ws.merged_cells.ranges if r.min_row <= HEADER_SEARCH_ROWS]
    hint = (
        f" Bladet har sammanslagna celler ({', '.join(merged[:3])}): rubriker delade på två rader "
        "läses inte, skriv hela rubriken i varje kolumns cell på en rad."
        if merged
        else ""
    )
    raise UnusableInputError(
        f"{path}, blad {ws.title!r}: hittade ingen rubrikrad bland de första "
        f"{HEADER_SEARCH_ROWS} raderna. Förväntade en rad med kolumnrubriker som "
        "'Utfall Mar 2022', 'Budget Mar 2022', 'Budgetavvikelse Mar 2022', 'Årsprognos mars'."
        + hint
    )


def _refuse_merged_headers(ws, path: Path, header_row: int, headers: dict) -> None:
    """A header merged over several columns leaves the others without one: say so, don't guess."""
    for merged in ws.merged_cells.ranges:
        spans_row = merged.min_row <= header_row <= merged.max_row
        if spans_row and merged.min_col < merged.max_col and merged.min_col in headers:
            ref = f"{get_column_letter(merged.min_col)}{header_row}"
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}, cell {ref}: rubriken "
                f"{ws.cell(header_row, merged.min_col).value!r} är sammanslagen över {merged}. "
                "Förväntade en rubrik i varje kolumn; dela upp de sammanslagna cellerna "
                "(Start > Sammanfoga och centrera > Dela upp celler)."
            )


def _unit_scale(ws, header_row: int) -> float:
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1, values_only=True):
        for value in row:
            if isinstance(value, str):
                text = value.casefold()
                for pattern, scale in _UNIT_SCALES:
                    if pattern.search(text):
                        return scale
    return 1.0


def _table_period(path: Path, ws, headers: dict[int, ColumnHeader], header_row: int) -> Period:
    years = [h.year for h in headers.values() if h.year is not None]
    if not years:
        raise UnusableInputError(
            f"{path}, blad {ws.title!r}, rad {header_row}: ingen kolumnrubrik anger ett år. "
            "Förväntade till exempel 'Utfall Mar 2022' eller 'Budget 2022'."
        )
    year = max(years)
    months = {h.month for h in headers.values() if h.month is not None and (h.year in (None, year))}
    if len(months) != 1:
        found = ", ".join(str(m) for m in sorted(months)) or "ingen"
        raise UnusableInputError(
            f"{path}, blad {ws.title!r}, rad {header_row}: kolumnrubrikerna anger månad {found} "
            f"för {year}. Förväntade en och samma månad i rubriker som 'Utfall Mar {year}' "
            "och 'Årsprognos mars'."
        )
    return Period(year, months.pop())


def _columns(path, ws, headers, header_row, period) -> tuple[Column, ...]:
    columns = []
    for col, head in sorted(headers.items()):
        year = head.year if head.year is not None else period.year
        month = 12 if head.measure in FULL_YEAR_MEASURES else (head.month or period.month)
        column_id = f"{head.measure}_{year}"
        letter = get_column_letter(col)
        if any(c.id == column_id for c in columns):
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}, cell {letter}{header_row}: kolumnen "
                f"{ws.cell(header_row, col).value!r} finns redan. Förväntade varje mått en gång."
            )
        columns.append(
            Column(
                column_id,
                str(ws.cell(header_row, col).value).strip(),
                head.measure,
                year,
                month,
                letter,
            )
        )
    return tuple(columns)


def _label_column(ws, header_row: int, first_measure_col: int) -> tuple[int, str]:
    for col in range(1, first_measure_col):
        value = ws.cell(header_row, col).value
        if isinstance(value, str) and value.strip():
            return col, value.strip()
    return max(first_measure_col - 1, 1), ""


class _Formulas:
    """Opens the workbook a second time, only when needed, to tell formulas from empty cells."""

    def __init__(self, path: Path):
        self.path, self._book = path, None

    def is_formula(self, sheet: str, ref: str) -> bool:
        if self._book is None:
            self._book = _open(self.path, data_only=False)
        value = self._book[sheet][ref].value
        return isinstance(value, str) and value.startswith("=")


def cell_amount(path: Path, ws, cell, expected: str, value: object = None) -> float | None:
    """Parse a cell's amount (or value, a cleaned form of it); an error naming the cell if none."""
    try:
        return parse_amount(cell.value if value is None else value)
    except AmountError as exc:
        raise cell_error(
            path, ws.title, cell.coordinate, cell.value, expected, exc.reason
        ) from None


def read_table(book, path: Path, name: str, formulas: _Formulas | None = None) -> Table:
    """Read one of the two tables from an open workbook."""
    spec = TABLES[name]
    formulas = formulas or _Formulas(path)
    ws = find_sheet(book, path, spec["sheet"])
    header_row, headers = _find_header_row(ws, path)
    _refuse_merged_headers(ws, path, header_row, headers)
    period = _table_period(path, ws, headers, header_row)
    columns = _columns(path, ws, headers, header_row, period)
    present = {c.measure for c in columns}
    missing = [m for m in spec["required"] if m not in present]
    if missing:
        raise UnusableInputError(
            f"{path}, blad {ws.title!r}, rad {header_row}: kolumn saknas för "
            + ", ".join(missing)
            + ". Hittade rubrikerna "
            + ", ".join(repr(c.header) for c in columns)
            + "."
        )
    label_col, label_header = _label_column(ws, header_row, min(headers))
    scale = _unit_scale(ws, header_row)
    records, seen = [], {}
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        by_col = {c.column: c for c in row}
        label_cell = by_col.get(label_col)
        raw_label = label_cell.value if label_cell is not None else None
        label = " ".join(str(raw_label).split()) if raw_label is not None else ""
        if label.startswith("*"):
            continue  # a finance system's control row
        values, empty = {}, []
        for column in columns:
            cell = ws[f"{column.letter}{row[0].row}"]
            amount = cell_amount(
                path, ws, cell, "ett belopp i mnkr, till exempel -1,6 eller 1 301,9"
            )
            if amount is None:
                empty.append(cell.coordinate)
            values[column.id] = None if amount is None else amount * scale
        if len(empty) == len(columns):
            continue  # blank row, heading or footnote
        if not label:
            ref = f"{get_column_letter(label_col)}{row[0].row}"
            if raw_label is None and formulas.is_formula(ws.title, ref):
                # A text starting with "=" was typed and stored as a formula Excel never ran.
                raw_label = Described("en formel utan sparat värde")
            raise cell_error(path, ws.title, ref, raw_label, "en radtext till beloppen på raden")
        if empty:
            ref = empty[0]
            if formulas.is_formula(ws.title, ref):
                raise cell_error(
                    path,
                    ws.title,
                    ref,
                    Described("en formel utan sparat värde"),
                    "ett belopp; öppna filen i Excel och spara den så att värdet sparas",
                )
            raise cell_error(
                path,
                ws.title,
                ref,
                None,
                "ett belopp, också 0 eller – för noll, på en rad med belopp",
            )
        key = normalise_label(label)
        if key in seen:
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}: raden {label!r} finns två gånger, rad {seen[key]} "
                f"och rad {row[0].row}. Förväntade varje rad en gång."
            )
        seen[key] = row[0].row
        records.append(
            {"label": label, "key": key, "kind": row_kind(key), "excel_row": row[0].row, **values}
        )
    if not records:
        raise UnusableInputError(
            f"{path}, blad {ws.title!r}: inga rader med belopp under rubrikraden {header_row}."
        )
    rows = pd.DataFrame.from_records(records)
    return Table(name, ws.title, label_header, columns, rows, period, scale)


def load_workbook(
    path: Path | str,
    board: str | None = None,
    opened: tuple[openpyxl.Workbook, Screening] | None = None,
) -> Workbook:
    """Load and check the layout of a workbook with a resultaträkning and a driftredovisning.

    opened: what open_screened(path) returned, so that a caller reading more sheets opens once.
    """
    path = Path(path)
    book, screening = opened if opened is not None else open_screened(path)
    formulas = _Formulas(path)
    rr = read_table(book, path, "resultatrakning", formulas)
    dr = read_table(book, path, "driftredovisning", formulas)
    if rr.period != dr.period:
        raise UnusableInputError(
            f"{path}: resultaträkningen gäller {rr.period} men driftredovisningen {dr.period}. "
            "Förväntade samma period i båda bladen."
        )
    if board is None:
        sums = dr.rows[dr.rows["kind"] != "line"]
        if sums.empty:
            raise UnusableInputError(
                f"{path}, blad {dr.sheet!r}: ingen summarad 'Summa <nämnd>'. Förväntade en "
                "summarad som namnger nämnden, eller nämnden som parameter."
            )
        label = sums["label"].iloc[-1]
        board = re.sub(r"^\s*(summa|totalt)\s+", "", label, flags=re.IGNORECASE).strip()
    return Workbook(path, rr.period, board, rr, dr, has_macros=screening.has_macros)


def tidy(workbook: Workbook) -> pd.DataFrame:
    """Return both tables in long form: one row per line, measure and year, amounts in mnkr."""
    frames = []
    for table in (workbook.resultatrakning, workbook.driftredovisning):
        for column in table.columns:
            frames.append(
                table.rows.assign(
                    table=table.name,
                    order=range(1, len(table.rows) + 1),
                    measure=column.measure,
                    year=column.year,
                    month=column.month,
                    header=column.header,
                    amount_mnkr=table.rows[column.id],
                    cell=column.letter + table.rows["excel_row"].astype(str),
                )[
                    [
                        "table",
                        "order",
                        "label",
                        "key",
                        "kind",
                        "measure",
                        "year",
                        "month",
                        "header",
                        "amount_mnkr",
                        "cell",
                    ]
                ]
            )
    return pd.concat(frames, ignore_index=True).assign(
        period=str(workbook.period), board=workbook.board
    )
