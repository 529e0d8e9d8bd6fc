"""Reading the resultaträkning and the driftredovisning from a workbook as it really arrives.

Workbooks come from many finance systems and many economists' hands: other header words,
headers over two rows, the unit in a title, a unit row or the header cell, groups of units with
subtotals, a code column beside the names, blank cells for zero, both tables on one sheet. The
words come from the vocabulary (vocabulary.toml plus the user's klk.toml); the structure of a
table comes from structure.py. Amounts are converted to mnkr once, here.
"""

import dataclasses
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from klk_analysis import wording
from klk_analysis.errors import Described, UnusableInputError, cell_error
from klk_analysis.findings import Finding
from klk_analysis.numbers import AmountError, parse_amount
from klk_analysis.periods import (
    BARE_BUDGET,
    FULL_YEAR_MEASURES,
    Period,
    cell_text,
    period_words,
)
from klk_analysis.screening import Screening, screen_workbook_file
from klk_analysis.sheets import (
    TABLE_NAMES,
    Block,
    find_blocks,
    label_and_code,
    title_texts,
)
from klk_analysis.structure import Row, find_structure
from klk_analysis.vocabulary import (
    Vocabulary,
    normalise,
    row_role,
    without_sum_word,
)
from klk_analysis.vocabulary import load as load_vocabulary

# Amounts are divided, not multiplied by the factor: −450 000 kr / 1 000 000 is exactly the
# −0,45 a workbook in mnkr holds, where × 0,000001 gives −0,4499… and rounds otherwise.
UNIT_DIVISORS = {"mnkr": 1, "tkr": 1000, "kr": 1_000_000}
UNIT_NAMES_SV = {"mnkr": "mnkr", "tkr": "tkr", "kr": "kronor"}
TO_DATE_MEASURES = ("utfall", "budget", "budgetavvikelse")
# The resultaträkning's result row is kind 'result'; the driftredovisning's grand total 'total'.
TOTAL_KINDS = ("result", "total")
# What each table needs; a column that can be computed from others is computed (derived).
REQUIRED = {
    "resultatrakning": (
        "utfall",
        "budget",
        "budgetavvikelse",
        "arsprognos",
        "avvikelse_arsprognos",
    ),
    "driftredovisning": ("budgetavvikelse", "avvikelse_arsprognos"),
}
# Forecast columns are not part of a year-end (December) workbook.
FORECAST_MEASURES = ("arsprognos", "avvikelse_arsprognos")


@dataclass(frozen=True)
class Column:
    """One measure column of a table: its header as printed and what it means.

    A derived column is computed from printed ones (budgetavvikelse = utfall − budget when the
    workbook does not print it); it has no letter and is never reconciled.
    """

    id: str
    header: str
    measure: str
    year: int
    month: int
    letter: str
    derived: bool = False
    phrase: str = ""  # the vocabulary phrase the header matched, for `klk check --visa`


@dataclass(frozen=True)
class Table:
    """One table as printed: its rows in order, with one numeric column per measure column.

    `rows` has label, key, kind ('line', 'sum', 'result', 'varav'), group, code, excel_row and
    one column of mnkr per measure column. `parts` maps a sum's position to its parts'
    positions. `headings` holds group headings (Excel row, label), which have no figures.
    """

    name: str
    sheet: str
    label_header: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    period: Period
    unit: str = "mnkr"
    unit_source: str = ""
    parts: dict = field(default_factory=dict)
    headings: tuple[tuple[int, str], ...] = ()
    header_rows: tuple[int, ...] = ()
    code_header: str = ""
    ignored: tuple[tuple[str, str, str], ...] = ()  # letter, header, why
    derived: tuple[Column, ...] = ()

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """The printed columns and those computed from them."""
        return self.columns + self.derived

    def column(self, measure: str, year: int | None = None) -> Column | None:
        """Return the column of a measure (the latest year unless one is given), or None."""
        found = [c for c in self.all_columns if c.measure == measure and year in (None, c.year)]
        return max(found, key=lambda c: c.year) if found else None

    def total(self) -> int | None:
        """Return the position of the table's result or grand total row, or None."""
        found = total_row(self.rows)
        return None if found is None else int(found)


def total_row(rows: pd.DataFrame):
    """Return the index of the last result or grand total row among rows with a kind, or None.

    The one answer to "which row is the total?", for a table as printed and for the tidy and
    projected frames alike.
    """
    found = rows.index[rows["kind"].isin(TOTAL_KINDS)]
    return found[-1] if len(found) else None


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
    notes: tuple[Finding, ...] = ()
    board_source: str = ""
    period_source: str = ""
    vocabulary_files: tuple[Path, ...] = ()


def normalise_label(text: str) -> str:
    """Return a label's key: without leading dashes or bullets, spaces collapsed, case folded."""
    return " ".join(text.lstrip("-\u2212\u2013\u2014•*· ").split()).casefold()


def row_kind(key: str) -> str:
    """Classify a row by its label: 'result', 'sum' or 'line' (structure refines this)."""
    role = row_role(key)
    return role if role in ("result", "sum") else "line"


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


def _header_text(block: Block, col: int) -> str:
    texts = [
        " ".join(cell_text(block.ws.cell(r, col).value).split())
        for r in block.header_rows
        if cell_text(block.ws.cell(r, col).value).strip()
    ]
    return " ".join(texts)


def _unit(block: Block, label_col: int, vocabulary: Vocabulary) -> tuple[str | None, str]:
    """Find the unit: in the measure headers, the header rows' other cells, or above the table."""
    from klk_analysis.periods import unit_of_text

    stated = {h.unit for h in block.headers.values() if h.unit}
    if len(stated) == 1:
        col = next(c for c, h in block.headers.items() if h.unit)
        return stated.pop(), f"kolumnrubriken i cell {get_column_letter(col)}{block.measure_row}"
    for r in block.header_rows:
        for c in range(1, block.ws.max_column + 1):
            if c in block.headers:
                continue
            unit = unit_of_text(block.ws.cell(r, c).value, vocabulary)
            if unit:
                return unit, f"cell {get_column_letter(c)}{r} ({block.ws.cell(r, c).value!r})"
    for ref, text in reversed(title_texts(block)):
        unit = unit_of_text(text, vocabulary)
        if unit:
            return unit, f"cell {ref} ({text!r})"
    # The second table on a sheet: the unit stated at the top of the sheet holds for it too.
    for row in block.ws.iter_rows(min_row=1, max_row=max(block.top - 1, 1)):
        if block.top == 1 or any(isinstance(c.value, int | float) for c in row):
            break
        for c in row:
            unit = unit_of_text(c.value, vocabulary) if isinstance(c.value, str) else None
            if unit:
                return unit, f"cell {c.coordinate} ({c.value!r}) överst på bladet"
    return None, ""


def _sheet_period_words(block: Block, vocabulary: Vocabulary):
    from klk_analysis.periods import period_words

    texts = [text for _, text in title_texts(block)] + [block.ws.title]
    return [period_words(t, vocabulary) for t in texts]


def _resolve_period(path: Path, blocks: dict[str, Block], vocabulary: Vocabulary):
    """The workbook's period: the latest year, and the month to date its headers name."""
    heads = [(name, h) for name, b in blocks.items() for h in b.headers.values()]
    years = [h.year for _, h in heads if h.year is not None and not h.previous_year]
    source = "kolumnrubrikerna"
    context = [w for b in blocks.values() for w in _sheet_period_words(b, vocabulary)]
    context.append(period_words(Path(path).stem.replace("_", " "), vocabulary))
    if not years:
        years = [w.year for w in context if w.year is not None]
        source = "rubrikerna ovanför tabellerna eller filnamnet"
    if not years:
        raise UnusableInputError(
            f"{path}: ingen kolumnrubrik, tabellrubrik eller filnamn anger ett år. Förväntade "
            "till exempel 'Utfall jan–mar 2022', 'Budget 2022' eller en rubrik som "
            "'Delårsrapport 1 2022'. Kör klk check --visa för att se hur arbetsboken lästes."
        )
    year = max(years)
    months_by_table = {}
    for name, block in blocks.items():
        months = {
            h.month
            for h in block.headers.values()
            if h.measure in TO_DATE_MEASURES
            and h.month is not None
            and h.year in (None, year)
            and not h.previous_year
        }
        if len(months) > 1:
            shown = ", ".join(MONTH_NAMES_SHORT[m - 1] for m in sorted(months))
            raise UnusableInputError(
                f"{path}, blad {block.ws.title!r}, rad {block.measure_row}: kolumnrubrikerna "
                f"anger olika månader för {year} ({shown}). Förväntade samma månad i utfall, "
                f"budget och budgetavvikelse, till exempel 'Utfall jan–mar {year}' och "
                f"'Budget jan–mar {year}'."
            )
        if months:
            months_by_table[name] = months.pop()
    if len(set(months_by_table.values())) > 1:
        rr, dr = (months_by_table[n] for n in TABLE_NAMES)
        raise UnusableInputError(
            f"{path}: resultaträkningen gäller {Period(year, rr)} men driftredovisningen "
            f"{Period(year, dr)}. Förväntade samma period i båda tabellerna."
        )
    if months_by_table:
        return Period(year, next(iter(months_by_table.values()))), source
    forecast_months = [h.month for _, h in heads if h.month is not None and h.year in (None, year)]
    if forecast_months:
        return Period(year, max(forecast_months)), "prognoskolumnens rubrik"
    context_months = [w.month for w in context if w.month is not None and w.year in (None, year)]
    if context_months:
        return Period(year, max(context_months)), "rubrikerna ovanför tabellerna eller filnamnet"
    return Period(year, 12), "inga månader i rubrikerna: beloppen gäller helåret (december)"


MONTH_NAMES_SHORT = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)


def _columns(path: Path, block: Block, period: Period) -> tuple[Column, ...]:
    columns: list[Column] = []
    heads = dict(sorted(block.headers.items()))

    def year_of(h):
        if h.year is not None:
            return h.year
        return period.year - 1 if h.previous_year else period.year

    to_date = {year_of(h) for h in heads.values() if h.measure == "budget"}
    forecasts = {year_of(h) for h in heads.values() if h.measure == "arsprognos"}
    deviations = {year_of(h) for h in heads.values() if h.measure == "budgetavvikelse"}
    for col, head in heads.items():
        year = year_of(head)
        measure = head.measure
        if (
            measure == "avvikelse_arsprognos"
            and period.month == 12
            and year not in forecasts
            and year not in deviations
        ):
            # a year-end "Avvikelse mot årsbudget" without forecasts is the budget deviation
            measure = "budgetavvikelse"
        if measure == BARE_BUDGET:
            measure = "arsbudget" if year in to_date else "budget"
        month = 12 if measure in FULL_YEAR_MEASURES else (head.month or period.month)
        column_id = f"{measure}_{year}"
        letter = get_column_letter(col)
        if any(c.id == column_id for c in columns):
            other = next(c for c in columns if c.id == column_id)
            merged = [
                str(m)
                for m in block.ws.merged_cells.ranges
                if m.min_row <= block.measure_row <= m.max_row
                and m.min_col < m.max_col
                and m.min_col <= col <= m.max_col
            ]
            how = f" (rubriken är sammanslagen över {merged[0]})" if merged else ""
            raise UnusableInputError(
                f"{path}, blad {block.ws.title!r}, cell {letter}{block.measure_row}: kolumnen "
                f"{block.texts[col]!r} finns redan{how}: den läses som "
                f"{wording.MEASURE_NAMES[measure]} {year}, precis som kolumn {other.letter} "
                f"({other.header!r}). Förväntade varje mått en gång per år; "
                "skriv året i rubriken om kolumnerna gäller olika år, till exempel "
                f"'Utfall {year - 1}' och 'Utfall {year}'."
            )
        columns.append(
            Column(column_id, block.texts[col], measure, year, month, letter, False, head.phrase)
        )
    return tuple(columns)


# Columns computed from printed ones when the workbook leaves them out.
_DERIVATIONS = (
    ("budgetavvikelse", ("utfall", "budget"), lambda a, b: a - b, "utfall − budget"),
    (
        "arsbudget",
        ("arsprognos", "avvikelse_arsprognos"),
        lambda a, b: a - b,
        "prognos − avvikelse",
    ),
    (
        "avvikelse_arsprognos",
        ("arsprognos", "arsbudget"),
        lambda a, b: a - b,
        "prognos − årsbudget",
    ),
    (
        "arsprognos",
        ("arsbudget", "avvikelse_arsprognos"),
        lambda a, b: a + b,
        "årsbudget + avvikelse",
    ),
)
DERIVED_SUFFIX = " (beräknad)"


# A board's largest figure (its total costs) in mnkr lies in this range for every Swedish board
# from a small municipality's nämnd to Stockholm's largest; figures far outside it are in
# another unit than stated.
PLAUSIBLE_BOARD_MNKR = (10.0, 25_000.0)
MAX_PLAUSIBLE_MNKR = 50_000.0


def likely_factor(largest: float) -> float:
    """Return how many times too large figures are (1, 1 000 or 1 000 000) judged by size."""
    if largest < MAX_PLAUSIBLE_MNKR:
        return 1.0
    low, high = PLAUSIBLE_BOARD_MNKR
    for factor in (1000.0, 1_000_000.0):
        if low <= largest / factor <= high:
            return factor
    return 1000.0 if largest / 1000.0 > high else 1_000_000.0


def _derive(columns: tuple, rows: pd.DataFrame, period: Period) -> tuple[tuple, pd.DataFrame]:
    columns = list(columns)
    years = sorted({c.year for c in columns})

    def find(measure, year):
        return next((c for c in columns if c.measure == measure and c.year == year), None)

    for year in years:
        if period.month == 12:
            # at the year's end the budget to date is the annual budget, and the reverse
            for have, want in (("arsbudget", "budget"), ("budget", "arsbudget")):
                src = find(have, year)
                if src is not None and find(want, year) is None:
                    name = wording.MEASURE_NAMES[want].capitalize()
                    col = Column(
                        f"{want}_{year}", f"{name} {year}{DERIVED_SUFFIX}", want, year, 12, "", True
                    )
                    columns.append(col)
                    rows = rows.assign(**{col.id: rows[src.id]})
        for want, (a, b), how, _ in _DERIVATIONS:
            ca, cb = find(a, year), find(b, year)
            if find(want, year) is None and ca is not None and cb is not None:
                name = wording.MEASURE_NAMES[want].capitalize()
                month = 12 if want in FULL_YEAR_MEASURES else period.month
                col = Column(
                    f"{want}_{year}", f"{name} {year}{DERIVED_SUFFIX}", want, year, month, "", True
                )
                columns.append(col)
                rows = rows.assign(**{col.id: how(rows[ca.id], rows[cb.id])})
    return tuple(columns), rows


def _read_rows(path: Path, block: Block, columns, label_col, code_col, formulas, vocabulary):
    """Read the rows under a header: figures, headings, blank cells that mean zero."""
    ws = block.ws
    printed = [c for c in columns if not c.derived]
    records, blanks = [], []
    for row in ws.iter_rows(min_row=block.first_row, max_row=block.last_row):
        by_col = {c.column: c for c in row}
        r = row[0].row
        label_cell = by_col.get(label_col)
        raw_label = label_cell.value if label_cell is not None else None
        label = " ".join(str(raw_label).split()) if raw_label is not None else ""
        code_value = by_col[code_col].value if code_col in by_col else None
        code = "" if code_value is None else cell_text(code_value) or str(code_value).strip()
        if isinstance(code_value, float) and code_value.is_integer():
            code = str(int(code_value))
        if label.startswith("*") or code.startswith("*"):
            continue  # a finance system's control row
        values, empty = {}, []
        for column in printed:
            cell = ws[f"{column.letter}{r}"]
            amount = cell_amount(path, ws, cell, "ett belopp, till exempel -1,6 eller 1 301,9")
            if amount is None:
                empty.append(cell.coordinate)
            values[column.id] = amount
        if len(empty) == len(printed):
            if label and label.replace("-", "").strip() != "":
                records.append({"label": label, "code": code, "excel_row": r, "heading": True})
            continue
        if not label and code:
            label = code
        numbering = not label or (label.isdigit() and not code)
        if numbering and not records and _column_numbers(values, printed):
            continue  # a row numbering the columns (1, 2, 3 …) under the header
        if not label:
            ref = f"{get_column_letter(label_col)}{r}"
            if raw_label is None and formulas.is_formula(ws.title, ref):
                # A text starting with "=" was typed and stored as a formula Excel never ran.
                raw_label = Described("en formel utan sparat värde")
            raise cell_error(path, ws.title, ref, raw_label, "en radtext till beloppen på raden")
        for ref in empty:
            if formulas.is_formula(ws.title, ref):
                raise cell_error(
                    path,
                    ws.title,
                    ref,
                    Described("en formel utan sparat värde"),
                    "ett belopp; öppna filen i Excel och spara den så att värdet sparas",
                )
        blanks += empty
        values = {k: (0.0 if v is None else v) for k, v in values.items()}
        records.append({"label": label, "code": code, "excel_row": r, "heading": False, **values})
    while records and records[-1]["heading"]:
        records.pop()  # notes and the next table's title below the figures
    return records, blanks


def _column_numbers(values: dict, printed) -> bool:
    """Whether a row only numbers the columns: consecutive whole numbers, left to right."""
    numbers = [values[c.id] for c in printed]
    if any(v is None or v != int(v) for v in numbers) or len(numbers) < 2:
        return False
    return all(b - a == 1 for a, b in itertools.pairwise(numbers))


def _table(path, block, name, period, formulas, vocabulary) -> tuple[Table, list[Finding]]:
    label_col, code_col = label_and_code(block)
    columns = _columns(path, block, period)
    records, blanks = _read_rows(path, block, columns, label_col, code_col, formulas, vocabulary)
    figures = [rec for rec in records if not rec["heading"]]
    if not figures:
        raise UnusableInputError(
            f"{path}, blad {block.ws.title!r}: inga rader med belopp under rubrikraden "
            f"{block.measure_row}."
        )
    unit, unit_source = _unit(block, label_col, vocabulary)
    notes = []
    printed = [c for c in columns if not c.derived]
    if unit is None:
        largest = max(abs(rec[c.id]) for rec in figures for c in printed)
        unit = {1.0: "mnkr", 1000.0: "tkr", 1_000_000.0: "kr"}[likely_factor(largest)]
        unit_source = "inte angiven i arbetsboken"
        if unit != "mnkr":
            unit_source += f"; läst som {UNIT_NAMES_SV[unit]} eftersom beloppen är så stora"
            notes.append(
                Finding(
                    "info",
                    "enhet",
                    name,
                    "",
                    "",
                    None,
                    None,
                    f"{path}, blad {block.ws.title!r}: arbetsboken anger ingen enhet; beloppen "
                    f"(upp till {largest:,.0f}".replace(",", " ")
                    + f") läses som {UNIT_NAMES_SV[unit]}. Skriv 'Belopp i "
                    f"{UNIT_NAMES_SV[unit]}' ovanför rubrikraden så att det står i arbetsboken.",
                )
            )
    divisor = UNIT_DIVISORS[unit]
    structure_rows = []
    for rec in records:
        if rec["heading"]:
            structure_rows.append(Row(rec["label"], (), heading=True))
            continue
        role = row_role(rec["label"], vocabulary)
        structure_rows.append(
            Row(
                rec["label"],
                tuple(rec[c.id] / divisor for c in printed),
                says_sum=role == "sum",
                says_result=role == "result",
                varav=role == "varav",
                name=without_sum_word(rec["label"], vocabulary),
            )
        )
    structure = find_structure(structure_rows)
    kept = [i for i, rec in enumerate(records) if not rec["heading"]]
    position = {i: n for n, i in enumerate(kept)}
    frame = pd.DataFrame.from_records(
        [
            {
                "label": records[i]["label"],
                "key": normalise_label(records[i]["label"]),
                "kind": _total_kind(structure.kinds[i], name),
                "group": structure.groups[i],
                "code": records[i]["code"],
                "excel_row": records[i]["excel_row"],
                **{c.id: records[i][c.id] / divisor for c in printed},
            }
            for i in kept
        ]
    )
    seen: dict = {}
    for _, row in frame.iterrows():
        key = (row["code"], row["group"], row["key"], row["kind"])
        if key in seen:
            group = f" i gruppen {row['group']!r}" if row["group"] else ""
            raise UnusableInputError(
                f"{path}, blad {block.ws.title!r}: raden {row['label']!r}{group} finns två "
                f"gånger, rad {seen[key]} och rad {row['excel_row']}. Förväntade varje rad en "
                "gång (eller en kodkolumn som skiljer dem åt)."
            )
        seen[key] = row["excel_row"]
    parts = {
        position[s]: tuple(position[m] for m in members)
        for s, members in structure.parts.items()
        if s in position
    }
    all_columns, frame = _derive(columns, frame, period)
    if blanks:
        shown = ", ".join(blanks[:10]) + (
            f" och {len(blanks) - 10} till" if len(blanks) > 10 else ""
        )
        notes.append(
            Finding(
                "info",
                "tomma_celler",
                name,
                "",
                "",
                None,
                None,
                f"{path}, blad {block.ws.title!r}: "
                + (
                    "en tom beloppscell på en rad med andra belopp lästes"
                    if len(blanks) == 1
                    else f"{len(blanks)} tomma beloppsceller på rader med andra belopp lästes"
                )
                + f" som 0 ({shown}).",
                blanks[0],
            )
        )
    label_header = " ".join(
        " ".join(cell_text(block.ws.cell(r, label_col).value).split()) for r in block.header_rows
    ).strip()
    if label_header and unit_of_label(label_header, vocabulary):
        label_header = ""
    code_header = (
        " ".join(cell_text(block.ws.cell(r, code_col).value) for r in block.header_rows).strip()
        if code_col
        else ""
    )
    table = Table(
        name,
        block.ws.title,
        label_header,
        tuple(c for c in all_columns if not c.derived),
        frame,
        period,
        unit,
        unit_source,
        parts,
        tuple(
            (records[i]["excel_row"], records[i]["label"])
            for i, rec in enumerate(records)
            if rec["heading"]
        ),
        block.header_rows,
        code_header,
        tuple(
            (get_column_letter(c), block.texts.get(c, ""), h.why)
            for c, h in sorted(block.ignored.items())
        ),
        tuple(c for c in all_columns if c.derived),
    )
    return table, notes


def _total_kind(kind: str, table: str) -> str:
    return "total" if kind == "result" and table == "driftredovisning" else kind


def unit_of_label(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a label column's header is only a unit ("Tkr", "(tkr)", "Belopp, tkr")."""
    from klk_analysis.periods import unit_of_text

    words = [w for w in normalise(text).split() if w not in ("belopp", "i")]
    return bool(words) and unit_of_text(" ".join(words), vocabulary) is not None and len(words) <= 2


def _board(path: Path, rr: Table, dr: Table, blocks, vocabulary) -> tuple[str, str]:
    """The board's name: from the total row, a title, or the file name, in that order."""
    not_board = vocabulary.words("rows", "not_board")
    board_words = vocabulary.words("board", "words")
    total = dr.total()
    if total is not None:
        label = dr.rows["label"].iloc[total]
        rest = without_sum_word(label, vocabulary)
        names_board = any(w in t for t in normalise(label).split() for w in board_words)
        if (rest != label or names_board) and normalise(rest) not in not_board:
            row = int(dr.rows["excel_row"].iloc[total])
            return rest, f"summaraden {label!r} (blad {dr.sheet!r}, rad {row})"
    report_words = vocabulary.words("board", "report_words")
    for name in TABLE_NAMES:
        for ref, text in title_texts(blocks[name]):
            for segment in re.split(r",|;|\s[-–—]\s|\(|\)", text):
                tokens = normalise(segment).split()
                if not any(any(w in t for w in board_words) for t in tokens):
                    continue
                cut = []
                for word in segment.split():
                    if normalise(word) in report_words or re.fullmatch(r"\d{4}", word):
                        break
                    cut.append(word)
                name_text = " ".join(cut).strip(" :-–")
                if name_text and normalise(name_text) not in not_board:
                    return name_text, f"rubriken i cell {ref} på bladet {blocks[name].ws.title!r}"
    stem = re.sub(r"[_]+", " ", Path(path).stem)
    words = [
        w
        for w in stem.split()
        if not any(normalise(w).startswith(r) for r in report_words)
        and not re.fullmatch(r"\d+([-]\d+)*", w)
        and period_words(w, vocabulary).month is None
    ]
    if words:
        return " ".join(words), f"filnamnet {Path(path).name!r}"
    raise UnusableInputError(
        f"{path}: hittade inte nämndens namn: ingen summarad 'Summa <nämnd>', ingen rubrik med "
        "nämndens namn och inget namn i filnamnet. Ange nämnden med --board."
    )


def read_workbook(book, path: Path, board: str | None = None, vocabulary=None, formulas=None):
    """Read both tables from an open workbook; return the loaded Workbook."""
    path = Path(path)
    if not isinstance(vocabulary, Vocabulary):
        vocabulary = load_vocabulary(vocabulary)
    formulas = formulas or _Formulas(path)
    blocks = find_blocks(book, path, vocabulary)
    period, period_source = _resolve_period(path, blocks, vocabulary)
    tables, notes = {}, []
    for name in TABLE_NAMES:
        table, table_notes = _table(path, blocks[name], name, period, formulas, vocabulary)
        tables[name] = table
        notes += table_notes
    for name, table in tables.items():
        _require(path, table, blocks[name], period)
        _require_rows(path, table, vocabulary)
        if period.month != 12 and table.column("arsprognos", period.year) is None:
            notes.append(
                Finding(
                    "info",
                    "prognos",
                    name,
                    "",
                    "",
                    None,
                    None,
                    f"{path}, blad {table.sheet!r}: {wording.in_sentence(name)} har ingen "
                    "kolumn för årsprognos; rapporten får inget prognosavsnitt för den.",
                )
            )
    rr, dr = tables["resultatrakning"], tables["driftredovisning"]
    if board is not None:
        board_source = "angiven med --board"
    else:
        board, board_source = _board(path, rr, dr, blocks, vocabulary)
    return Workbook(
        path,
        period,
        board,
        rr,
        dr,
        notes=tuple(notes),
        board_source=board_source,
        period_source=period_source,
        vocabulary_files=vocabulary.files,
    )


def _require(path: Path, table: Table, block: Block, period: Period) -> None:
    # Forecasts are optional: a year-end workbook has none, and a report without them is
    # still a report (the check notes their absence).
    needed = [m for m in REQUIRED[table.name] if m not in FORECAST_MEASURES]
    present = {c.measure for c in table.all_columns if c.year == period.year}
    missing = [m for m in needed if m not in present]
    if missing:
        found = ", ".join(repr(c.header) for c in table.columns if not c.derived) or "inga"
        raise UnusableInputError(
            f"{path}, blad {table.sheet!r}, rad {block.measure_row}: "
            f"{wording.in_sentence(table.name)}: kolumn saknas för "
            + " och ".join(wording.MEASURE_NAMES[m] for m in missing)
            + f" {period.year}. Hittade {found}. Förväntade till exempel "
            + ", ".join(repr(EXAMPLE_HEADERS[m]) for m in missing)
            + ". Kör klk check --visa FIL för att se hur varje kolumn lästes."
        )


def _require_rows(path: Path, table: Table, vocabulary: Vocabulary) -> None:
    """The rows the report needs: a total (or result) row, and the driftram in the RR."""
    missing = []
    if table.total() is None:
        missing.append(
            "en resultatrad (till exempel 'Årets resultat')"
            if table.name == "resultatrakning"
            else "en totalrad för nämnden (till exempel 'Summa Kommunstyrelsen' eller 'Totalt')"
        )
    if table.name == "resultatrakning" and ram_row(table, vocabulary) is None:
        words = ", ".join(repr(w) for w in vocabulary.words("rows", "ram")[:4])
        missing.append(f"en rad för driftramen (till exempel {words})")
    if missing:
        labels = ", ".join(repr(x) for x in table.rows["label"][:12])
        raise UnusableInputError(
            f"{path}, blad {table.sheet!r}: {wording.in_sentence(table.name)} saknar "
            + " och ".join(missing)
            + f". Hittade raderna {labels}. Lägg till radens ord i ordlistan (klk.toml, "
            "[rows]) om den heter något annat."
        )


EXAMPLE_HEADERS = {
    "utfall": "Utfall jan–mar 2022",
    "budget": "Budget jan–mar 2022",
    "budgetavvikelse": "Budgetavvikelse",
    "arsbudget": "Årsbudget 2022",
    "arsprognos": "Årsprognos",
    "avvikelse_arsprognos": "Avvikelse årsprognos",
}


def load_workbook(
    path: Path | str, board: str | None = None, vocabulary=None, book=None
) -> Workbook:
    """Load and check the layout of a workbook with a resultaträkning and a driftredovisning."""
    path = Path(path)
    screening = None
    if book is None:
        book, screening = open_screened(path)
    workbook = read_workbook(book, path, board, vocabulary)
    if screening is not None and screening.has_macros:
        workbook = dataclasses.replace(workbook, has_macros=True)
    return workbook


def unit_divisor(ws, header_row: int) -> int:
    """Return what divides amounts into mnkr, by the unit stated above a header row (1: none)."""
    from klk_analysis.periods import unit_of_text

    if header_row <= 1:
        return 1  # openpyxl reads max_row=0 as "to the end"
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1, values_only=True):
        for value in row:
            unit = unit_of_text(value) if isinstance(value, str) else None
            if unit:
                return UNIT_DIVISORS[unit]
    return 1


def tidy(workbook: Workbook, derived: bool = False) -> pd.DataFrame:
    """Return both tables in long form: one row per line, measure and year, amounts in mnkr.

    With `derived`, the columns computed from printed ones are included (marked derived).
    """
    frames = []
    for table in (workbook.resultatrakning, workbook.driftredovisning):
        for column in table.all_columns if derived else table.columns:
            frames.append(
                table.rows.assign(
                    table=table.name,
                    order=range(1, len(table.rows) + 1),
                    measure=column.measure,
                    year=column.year,
                    month=column.month,
                    header=column.header,
                    derived=column.derived,
                    amount_mnkr=table.rows[column.id],
                    cell=(column.letter + table.rows["excel_row"].astype(str))
                    if column.letter
                    else "",
                )[
                    [
                        "table",
                        "order",
                        "label",
                        "key",
                        "kind",
                        "group",
                        "code",
                        "measure",
                        "year",
                        "month",
                        "header",
                        "derived",
                        "amount_mnkr",
                        "cell",
                    ]
                ]
            )
    return pd.concat(frames, ignore_index=True).assign(
        period=str(workbook.period), board=workbook.board
    )


def ram_row(table: Table, vocabulary: Vocabulary | None = None) -> int | None:
    """Return the position of the driftram row (Kommunbidrag, Kommunersättning, …), or None."""
    vocabulary = vocabulary or load_vocabulary()
    found = [
        pos
        for pos, (label, kind) in enumerate(
            zip(table.rows["label"], table.rows["kind"], strict=True)
        )
        if kind == "line" and row_role(label, vocabulary) == "ram"
    ]
    return found[-1] if found else None


def printed_columns(table: Table) -> tuple[Column, ...]:
    """Return the columns the workbook prints (not those computed from them)."""
    return table.columns
