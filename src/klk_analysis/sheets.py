"""Finding the two tables in a workbook: on sheets named for them, or on any sheet by content.

A table starts at a header row with two or more measures (the period may stand in the row
above or below, merged cells included) and runs to the next table's title rows or the sheet's
end. Which table is which: the sheet's name, a title above the table, or the rows' words.
"""

from dataclasses import dataclass
from pathlib import Path

from klk_analysis import wording
from klk_analysis.errors import UnusableInputError
from klk_analysis.numbers import AmountError, parse_amount
from klk_analysis.periods import ColumnHeader, cell_text, parse_header, period_words
from klk_analysis.vocabulary import Vocabulary, normalise, phrase_at_start, row_role

HEADER_SEARCH_ROWS = 30
# Rows scanned for further tables below the first (both tables on one sheet).
TABLE_SEARCH_ROWS = 2000
TABLE_NAMES = ("resultatrakning", "driftredovisning")
_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeaaoe")


def fold(text: str) -> str:
    """Return a name for matching: spaces collapsed, case folded, å/ä/ö as a/a/o."""
    return " ".join(text.split()).casefold().translate(_FOLD)


def _named_sheets(book, name: str, vocabulary: Vocabulary) -> list:
    """Visible sheets whose name is one of the table's sheet words (or starts with one)."""
    words = vocabulary.words("sheets", name)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    exact = [ws for ws in visible if normalise(ws.title) in words]
    if exact:
        return exact
    return [ws for ws in visible if phrase_at_start(normalise(ws.title), words)]


def find_sheet(book, path: Path, wanted: str, required: bool = True):
    """Return the visible sheet whose name matches `wanted` (None if absent and not required)."""
    target = fold(wanted)
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    names = {ws: fold(ws.title) for ws in visible}
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


@dataclass
class Block:
    """A table found on a sheet: its header rows, measure columns and the rows below."""

    ws: object
    header_rows: tuple[int, ...]
    measure_row: int
    headers: dict[int, ColumnHeader]  # column number → what its header says
    texts: dict[int, str]  # column number → the header as printed (rows joined)
    ignored: dict[int, ColumnHeader]
    first_row: int
    last_row: int
    top: int  # first row after the previous table: titles and unit rows start here
    kind: str = ""


class _Grid:
    """A sheet's cell values by (row, column), with merged ranges filled from their first cell."""

    def __init__(self, ws, max_row: int):
        self.ws = ws
        self.max_row = min(ws.max_row, max_row)
        self.max_col = ws.max_column
        self.values: dict[tuple[int, int], object] = {}
        for row in ws.iter_rows(min_row=1, max_row=self.max_row):
            for c in row:
                if c.value is not None:
                    self.values[(c.row, c.column)] = c.value
        self.merged: dict[tuple[int, int], str] = {}
        for merged in ws.merged_cells.ranges:
            value = ws.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row, min(merged.max_row, self.max_row) + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (r, col) != (merged.min_row, merged.min_col):
                        self.merged[(r, col)] = str(merged)
                        if value is not None:
                            self.values[(r, col)] = value

    def get(self, r: int, c: int):
        return self.values.get((r, c))

    def row(self, r: int) -> dict[int, object]:
        return {c: v for (rr, c), v in self.values.items() if rr == r}


def _is_period_cell(value: object, vocabulary: Vocabulary) -> bool:
    """A cell of a header's second row: a date, a year, a month, a range; no measure words."""
    text = cell_text(value)
    if not text.strip():
        return False
    words = period_words(text, vocabulary)
    rest = [t for t in words.rest if not vocabulary.lookup("units", t)]
    rest = [t for t in rest if t not in vocabulary.words("periods", "to_date")]
    rest = [t for t in rest if t not in vocabulary.words("periods", "full_year")]
    return (words.year is not None or words.month is not None) and not rest


def _measure_cells(grid: _Grid, r: int, vocabulary: Vocabulary) -> dict[int, ColumnHeader]:
    found = {}
    for c, value in grid.row(r).items():
        if isinstance(value, str) and (head := _parse_cached(value, vocabulary)) is not None:
            found[c] = head
    return found


_CACHE: dict = {}


def _parse_cached(value, vocabulary: Vocabulary) -> ColumnHeader | None:
    key = (value if not isinstance(value, list) else tuple(value), id(vocabulary))
    if key not in _CACHE:
        if len(_CACHE) > 20_000:
            _CACHE.clear()
        _CACHE[key] = parse_header(value, vocabulary)
    return _CACHE[key]


def _is_measure_row(grid: _Grid, r: int, vocabulary: Vocabulary) -> bool:
    cells = _measure_cells(grid, r, vocabulary)
    return sum(h.measure is not None for h in cells.values()) >= 2


def _has_numbers(grid: _Grid, r: int) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) for v in grid.row(r).values())


def _second_row(grid: _Grid, r: int | None, columns, vocabulary: Vocabulary) -> bool:
    """Whether row r holds only periods (dates, years, ranges) above or below the measures."""
    if r is None or r < 1:
        return False
    cells = [grid.get(r, c) for c in columns]
    return any(_is_period_cell(v, vocabulary) for v in cells) and all(
        v is None or _is_period_cell(v, vocabulary) for v in cells
    )


def _blocks(ws, vocabulary: Vocabulary) -> list[Block]:
    """Find every table on a sheet: each starts at a header row with two or more measures."""
    grid = _Grid(ws, TABLE_SEARCH_ROWS)
    measure_rows = []
    for r in range(1, grid.max_row + 1):
        if r > HEADER_SEARCH_ROWS and not measure_rows:
            break
        if (not measure_rows or r > measure_rows[-1] + 1) and _is_measure_row(grid, r, vocabulary):
            measure_rows.append(r)
    blocks: list[Block] = []
    for n, r in enumerate(measure_rows):
        cells = _measure_cells(grid, r, vocabulary)
        columns = sorted(cells)
        top = blocks[-1].last_row + 1 if blocks else 1
        above = r - 1 if r - 1 >= top and _second_row(grid, r - 1, columns, vocabulary) else None
        below = r + 1 if _second_row(grid, r + 1, columns, vocabulary) else None
        rows = tuple(x for x in (above, r, below) if x is not None)
        headers, texts, ignored = {}, {}, {}
        for c in columns:
            parts = [grid.get(x, c) for x in rows if grid.get(x, c) is not None]
            head = _parse_cached(parts, vocabulary)
            if head is None:
                continue
            texts[c] = " ".join(" ".join(cell_text(p).split()) for p in parts)
            (headers if head.measure is not None else ignored)[c] = head
        for c, value in grid.row(r).items():
            # a percentage column headed only "%" beside the measures
            if c not in texts and isinstance(value, str) and "%" in value:
                ignored[c] = ColumnHeader(None, None, None, why="en kolumn i procent")
                texts[c] = " ".join(value.split())
        last = ws.max_row
        if n + 1 < len(measure_rows):
            nxt = measure_rows[n + 1]
            start = nxt
            # the next table's title and unit rows (no figures) belong to it
            while (
                start - 1 > rows[-1]
                and nxt - (start - 1) <= 6
                and not _has_numbers(grid, start - 1)
            ):
                start -= 1
            last = start - 1
        blocks.append(Block(ws, rows, r, headers, texts, ignored, rows[-1] + 1, last, top))
    return blocks


def title_texts(block: Block) -> list[tuple[str, str]]:
    """The texts above a table's header (its title and unit rows), with their cell addresses."""
    found = []
    if block.header_rows[0] - 1 < block.top:
        return []  # the header is the table's first row (openpyxl reads max_row=0 as "all")
    for row in block.ws.iter_rows(min_row=block.top, max_row=block.header_rows[0] - 1):
        for c in row:
            if isinstance(c.value, str) and c.value.strip():
                found.append((c.coordinate, " ".join(c.value.split())))
    return found


def _label_texts(block: Block, label_col: int) -> list[str]:
    return [
        str(v)
        for (v,) in block.ws.iter_rows(
            min_row=block.first_row,
            max_row=block.last_row,
            min_col=label_col,
            max_col=label_col,
            values_only=True,
        )
        if v is not None
    ]


def _classify(block: Block, vocabulary: Vocabulary, label_col: int) -> str:
    """Tell a resultaträkning from a driftredovisning: by its title, else by its row words."""
    for _, text in title_texts(block):
        key = normalise(text)
        for name in TABLE_NAMES:
            if phrase_at_start(key, vocabulary.words("sheets", f"{name}_titles")):
                return name
    roles = [row_role(t, vocabulary) for t in _label_texts(block, label_col)]
    keys = [normalise(t) for t in _label_texts(block, label_col)]
    income = any("intäkt" in k or "kostnad" in k for k in keys)
    if "ram" in roles or ("result" in roles and income) or "revenue" in roles:
        return "resultatrakning"
    return "driftredovisning"


def _text_like(value: object) -> bool:
    if not isinstance(value, str) or not any(ch.isalpha() for ch in value):
        return False
    try:
        parse_amount(value)
    except AmountError:
        return True
    return False


def _code_like(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return float(value).is_integer()
    text = str(value).strip()
    if not 0 < len(text) <= 12 or " " in text:
        return False
    # 1100, 11-200, KS01; or a short code in capitals such as KUL
    return any(ch.isdigit() for ch in text) or (text.isupper() and len(text) <= 6)


def label_and_code(block: Block) -> tuple[int, int | None]:
    """Find the label column by its content (most texts) and a code column beside it."""
    taken = set(block.headers) | set(block.ignored)
    texts: dict[int, int] = {}
    codes: dict[int, int] = {}
    filled: dict[int, int] = {}
    rows = 0
    for row in block.ws.iter_rows(min_row=block.first_row, max_row=block.last_row):
        rows += 1
        for c in row:
            if c.column in taken or c.value is None:
                continue
            filled[c.column] = filled.get(c.column, 0) + 1
            texts[c.column] = texts.get(c.column, 0) + (
                _text_like(c.value) and not _code_like(c.value)
            )
            codes[c.column] = codes.get(c.column, 0) + _code_like(c.value)
    first_measure = min(block.headers)
    if not texts or max(texts.values()) == 0:
        # no text at all: the column left of the measures, as before
        return max(first_measure - 1, 1), None
    label = max(sorted(texts), key=lambda c: (texts[c], -abs(c - first_measure)))
    candidates = [
        c for c in codes if c != label and codes[c] >= max(1, filled[c] * 0.8) and c < first_measure
    ]
    code = min(candidates, key=lambda c: abs(c - label)) if candidates else None
    return label, code


def find_blocks(book, path: Path, vocabulary: Vocabulary) -> dict[str, Block]:
    """Find the two tables: on sheets named for them, else on any sheet by their content."""
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    found: dict[str, Block] = {}
    cache: dict = {}

    def blocks_of(ws):
        if ws.title not in cache:
            cache[ws.title] = _blocks(ws, vocabulary)
        return cache[ws.title]

    def kind(block):
        if not block.kind:
            label_col, _ = label_and_code(block)
            block.kind = _classify(block, vocabulary, label_col)
        return block.kind

    for name in TABLE_NAMES:
        named = _named_sheets(book, name, vocabulary)
        if len(named) > 1:
            exact = [
                ws for ws in named if normalise(ws.title) == normalise(wording.TABLE_NAMES[name])
            ]
            named = exact or named
        if len(named) > 1:
            raise UnusableInputError(
                f"{path}: flera blad kan vara {wording.TABLE_NAMES[name].lower()}en: "
                + ", ".join(repr(ws.title) for ws in named)
                + ". Förväntade exakt ett synligt blad med det namnet."
            )
        candidates = [b for ws in named for b in blocks_of(ws)]
        if len(candidates) > 1:
            candidates = [b for b in candidates if kind(b) == name] or candidates[:1]
        if not candidates:
            candidates = [
                b
                for ws in visible
                for b in blocks_of(ws)
                if kind(b) == name and b not in found.values()
            ]
        if candidates:
            found[name] = candidates[0]
    missing = [n for n in TABLE_NAMES if n not in found]
    if len(missing) == 1:
        # Both tables read alike by their words (a driftredovisning with a Kommunbidrag row):
        # the one table left on the sheets is the missing one.
        rest = [b for ws in visible for b in blocks_of(ws) if b not in found.values()]
        if len(rest) == 1:
            found[missing.pop()] = rest[0]
    if missing:
        raise UnusableInputError(_missing_table_message(book, path, missing, vocabulary, blocks_of))
    return found


def _missing_table_message(book, path, missing, vocabulary, blocks_of) -> str:
    sheets = ", ".join(repr(ws.title) for ws in book.worksheets) or "inga"
    what = " och ".join(wording.TABLE_NAMES[n].lower() for n in missing)
    names = ", ".join(repr(w) for n in missing for w in vocabulary.words("sheets", n)[:4])
    candidates = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid = _Grid(ws, HEADER_SEARCH_ROWS)
        for r in range(1, grid.max_row + 1):
            texts = [v for v in grid.row(r).values() if isinstance(v, str) and v.strip()]
            if len(texts) >= 2:
                unknown = [t for t in texts if _parse_cached([t], vocabulary) is None]
                candidates.append(
                    f"blad {ws.title!r} rad {r}: "
                    + ", ".join(repr(" ".join(t.split())) for t in unknown[:6])
                )
                break
    hint = (
        " Rader som kan vara rubrikrader, med texter som inte lästes som mått: "
        + "; ".join(candidates[:4])
        + "."
        if candidates
        else ""
    )
    files = ", ".join(str(f) for f in vocabulary.files)
    named = [ws for n in missing for ws in _named_sheets(book, n, vocabulary)]
    if named:
        return (
            f"{path}, blad {named[0].title!r}: hittade ingen rubrikrad bland de första "
            f"{HEADER_SEARCH_ROWS} raderna. Förväntade en rad med minst två mått som "
            f"'Utfall jan–mar 2022', 'Budget jan–mar 2022', 'Årsprognos'.{hint} Lägg till "
            f"arbetsbokens ord i ordlistan (klk.toml i projektmappen, se {files}) eller kör "
            "klk check --visa FIL."
        )
    if not any(blocks_of(ws) for ws in book.worksheets if ws.sheet_state == "visible"):
        return (
            f"{path}: hittade ingen rubrikrad bland de första {HEADER_SEARCH_ROWS} raderna på "
            f"något blad (bladen heter {sheets}). Förväntade en rad med minst två mått som "
            f"'Utfall jan–mar 2022', 'Budget jan–mar 2022', 'Årsprognos'.{hint} Lägg till "
            f"arbetsbokens ord i ordlistan (klk.toml i projektmappen, se {files}) eller kör "
            "klk check --visa FIL."
        )
    return (
        f"{path}: hittade ingen {what} (bladen heter {sheets}). Förväntade ett blad som heter "
        f"till exempel {names}, med en rubrikrad med minst två mått som 'Utfall jan–mar 2022', "
        f"'Budget jan–mar 2022', 'Årsprognos'.{hint} Lägg till arbetsbokens ord i ordlistan "
        f"(klk.toml i projektmappen, se {files}) eller kör klk check --visa FIL."
    )
