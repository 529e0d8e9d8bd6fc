"""The organisation part of the report: process areas, commitments, staff, events and summary.

Read from optional sheets of the same workbook as the tables, with the loader's rules: the header
row is searched for, title and blank rows are skipped, any case is accepted, and an unusable cell
is an error naming file, sheet and cell. An empty cell stays None; nothing is invented.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from klk_analysis.errors import UnusableInputError, cell_error
from klk_analysis.formatting import number, rounded
from klk_analysis.loading import (
    cell_amount,
    normalise_label,
    open_workbook,
)
from klk_analysis.narrative import render
from klk_analysis.periods import Period
from klk_analysis.sheets import HEADER_SEARCH_ROWS, find_sheet

SHEETS = {
    "process_areas": "Processområden",
    "commitments": "Åtaganden",
    "staff": "Medarbetare",
    "events": "Väsentliga händelser",
    "summary": "Sammanfattning",
}

# Controlled vocabularies: id → (label shown to readers, words accepted in a cell).
GROUPS = {
    "hallbar_utveckling": ("Hållbar utveckling", ("hållbar utveckling",)),
    "effektiv_organisation": ("Effektiv organisation", ("effektiv organisation",)),
}
ASSESSMENTS = {
    "uppnar": ("Uppnår resultatmålen", ("uppnår", "uppnås", "uppnått")),
    "delvis": ("Delvis uppnår resultatmålen", ("delvis uppnår", "delvis", "uppnår delvis")),
    "ej": ("Uppnår ej resultatmålen", ("uppnår ej", "ej uppnår", "uppnår inte", "ej")),
}
TRENDS = {
    "battre": ("Bättre än föregående år", ("bättre", "bättre än föregående år", "↗", "↑")),
    "oforandrad": (
        "Oförändrad mot föregående år",
        ("oförändrad", "oförändrad mot föregående år", "oförändrat", "→"),
    ),
    "samre": ("Sämre än föregående år", ("sämre", "sämre än föregående år", "↘", "↓")),
}
STATUSES = {
    "klart": ("Klart, avslutat", ("klart", "klart, avslutat", "klar", "avslutat", "✔", "✓")),
    "forsenat": ("Försenat", ("försenat", "försenad")),
}
COMPLETIONS = (0, 20, 80, 100)

_PROCESS_AREA_COLUMNS = {
    "area": ("processområde", "namn", "område"),
    "group": ("grupp", "perspektiv", "målområde"),
    "assessment": ("bedömning",),
    "trend": ("trend", "trendpil"),
    "text": ("text", "beskrivning", "kommentar"),
}
_COMMITMENT_COLUMNS = {
    "area": ("processområde", "område"),
    "text": ("åtagande", "1-årigt åtagande", "1-åriga åtaganden", "text"),
    "boards": ("nämnder och bolag", "nämnder", "berörda", "nämnder/bolag", "ansvariga"),
    "status": ("status",),
    "completion": ("färdiggrad",),
    "comment": ("kommentar", "kommentarer", "avrapportering", "uppföljning"),
}
_EVENT_COLUMNS = {
    "group": ("grupp", "perspektiv", "målområde"),
    "text": ("händelse", "väsentlig händelse", "text"),
}
_SUMMARY_COLUMNS = {
    "section": ("avsnitt", "rubrik"),
    "text": ("text", "stycke"),
}
# Key/value rows of the staff sheet: field → accepted keys.
_STAFF_KEYS = {
    "unit": ("enhet", "förvaltning", "enhet kortnamn", "förvaltning kortnamn"),
    "women": ("tillsvidareanställda kvinnor", "kvinnor", "antal kvinnor"),
    "men": ("tillsvidareanställda män", "män", "antal män"),
    "total": (
        "tillsvidareanställda",
        "tillsvidareanställda totalt",
        "tillsvidareanställda medarbetare",
        "antal tillsvidareanställda",
        "totalt",
    ),
    "sick_leave": ("sjukfrånvaro",),
    "sick_leave_target": ("målnivå sjukfrånvaro", "målnivå", "mål sjukfrånvaro"),
}
_STAFF_REQUIRED = ("unit", "women", "men", "sick_leave", "sick_leave_target")
_UNIT_SUFFIX = re.compile(r"[\s,]*\(?%\)?$")
_BRACKET = re.compile(r"\s*\(([^()]*)\)\s*\.?\s*$")


@dataclass(frozen=True)
class Staff:
    """Permanent employees by gender and the sick-leave rate with its target, as given."""

    unit: str
    women: int | None
    men: int | None
    stated_total: int | None
    sick_leave: float | None
    sick_leave_target: float | None
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int | None:
        """The stated total, or women plus men when no total is given."""
        if self.stated_total is not None:
            return self.stated_total
        if self.women is None or self.men is None:
            return None
        return self.women + self.men


@dataclass(frozen=True)
class Organisation:
    """The organisation sheets of one workbook; a sheet the workbook lacks is None."""

    path: Path
    process_areas: pd.DataFrame | None = None
    commitments: pd.DataFrame | None = None
    staff: Staff | None = None
    events: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None


def _vocabulary_key(text: str) -> str:
    return normalise_label(text).rstrip(".:").replace(" resultatmålen", "").strip()


def _lookup(vocabulary: dict, path, ws, cell) -> str | None:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        key = _vocabulary_key(value)
        for ident, (_label, words) in vocabulary.items():
            if key in words:
                return ident
    raise cell_error(
        path, ws.title, cell.coordinate, value, f"ett av: {_allowed(vocabulary)} (eller tom)"
    )


def _allowed(vocabulary: dict) -> str:
    return ", ".join(words[0] for _label, words in vocabulary.values())


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _header_key(value) -> str | None:
    if not isinstance(value, str):
        return None
    # "Sjukfrånvaro (%)", "Sjukfrånvaro, %" and "Sjukfrånvaro:" all name the same key
    return _UNIT_SUFFIX.sub("", normalise_label(value).rstrip(":"))


def _find_columns(ws, path, spec: dict, required: tuple) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        found: dict[str, int] = {}
        for cell in row:
            key = _header_key(cell.value)
            for name, words in spec.items():
                if key in words and name not in found:
                    found[name] = cell.column
                    break
        if all(name in found for name in required):
            return row[0].row, found
    wanted = ", ".join(repr(spec[name][0].capitalize()) for name in required)
    raise UnusableInputError(
        f"{path}, blad {ws.title!r}: hittade ingen rubrikrad bland de första "
        f"{HEADER_SEARCH_ROWS} raderna. Förväntade en rad med kolumnrubrikerna {wanted}."
    )


def _data_rows(ws, path, spec: dict, required: tuple):
    """Yield (excel row, {column name: cell}) for every non-blank row under the header."""
    header_row, columns = _find_columns(ws, path, spec, required)
    for row in range(header_row + 1, ws.max_row + 1):
        cells = {name: ws.cell(row, col) for name, col in columns.items()}
        if all(_text(c.value) is None for c in cells.values()):
            continue
        yield row, cells


def _required_text(path, ws, cell, expected: str) -> str:
    text = _text(cell.value)
    if text is None:
        raise cell_error(path, ws.title, cell.coordinate, cell.value, expected)
    return text


def _percent(path, ws, cell, expected: str) -> float | None:
    """Read a percentage: 1,9 or '1,9 %', or 0,019 in a cell formatted as percent."""
    value = cell.value
    if isinstance(value, str):
        value = value.strip().removesuffix("%").strip()
    amount = cell_amount(path, ws, cell, expected, value)
    if amount is None:
        return None
    if not isinstance(cell.value, str) and "%" in (cell.number_format or ""):
        amount *= 100  # Excel stores 1,9 % as 0,019
    if not 0 <= amount <= 100:
        raise cell_error(path, ws.title, cell.coordinate, cell.value, expected)
    return amount


def _count(path, ws, cell) -> int | None:
    expected = "ett antal personer, ett heltal 0 eller större"
    amount = cell_amount(path, ws, cell, expected)
    if amount is None:
        return None
    if amount < 0 or not float(amount).is_integer():
        raise cell_error(path, ws.title, cell.coordinate, cell.value, expected)
    return int(amount)


def read_process_areas(ws, path: Path) -> pd.DataFrame:
    """Read the process areas: name, group, assessment, trend and text, in the sheet's order."""
    records, seen = [], {}
    for row, cells in _data_rows(
        ws, path, _PROCESS_AREA_COLUMNS, ("area", "group", "assessment", "trend")
    ):
        name = _required_text(path, ws, cells["area"], "namnet på ett processområde")
        key = normalise_label(name)
        if key in seen:
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}: processområdet {name!r} finns två gånger, rad "
                f"{seen[key]} och rad {row}. Förväntade varje processområde en gång."
            )
        seen[key] = row
        group = _lookup(GROUPS, path, ws, cells["group"])
        if group is None:
            expected = f"ett av: {_allowed(GROUPS)}"
            raise cell_error(path, ws.title, cells["group"].coordinate, None, expected)
        records.append(
            {
                "area": name,
                "key": key,
                "group": group,
                "assessment": _lookup(ASSESSMENTS, path, ws, cells["assessment"]),
                "trend": _lookup(TRENDS, path, ws, cells["trend"]),
                "text": _text(cells["text"].value) if "text" in cells else None,
                "excel_row": row,
            }
        )
    return _frame(records, ["area", "key", "group", "assessment", "trend", "text", "excel_row"])


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    # object dtype keeps empty cells as None instead of NaN
    return pd.DataFrame(
        {name: pd.Series([r[name] for r in records], dtype=object) for name in columns},
        columns=columns,
    ).assign(order=range(1, len(records) + 1))


def _completion(path, ws, cell) -> int | None:
    expected = "färdiggrad 0, 20, 80 eller 100 % (eller tom)"
    amount = _percent(path, ws, cell, expected)
    if amount is None:
        return None
    for allowed in COMPLETIONS:
        if abs(amount - allowed) < 1e-9:
            return allowed
    raise cell_error(path, ws.title, cell.coordinate, cell.value, expected)


def split_boards(text: str) -> tuple[str, str | None]:
    """Split a commitment's text from the boards and companies named in its closing brackets."""
    match = _BRACKET.search(text)
    if match is None:
        return text.strip(), None
    return text[: match.start()].strip(), match[1].strip() or None


def read_commitments(ws, path: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """Read the one-year commitments with their area, boards, status, completion and comment."""
    names = dict(zip(areas["key"], areas["area"], strict=True))
    records = []
    for row, cells in _data_rows(
        ws, path, _COMMITMENT_COLUMNS, ("area", "text", "status", "completion")
    ):
        area_cell = cells["area"]
        area = names.get(normalise_label(_text(area_cell.value) or ""))
        if area is None:
            allowed = ", ".join(areas["area"])
            raise cell_error(
                path,
                ws.title,
                area_cell.coordinate,
                area_cell.value,
                f"ett processområde från bladet {SHEETS['process_areas']!r}: {allowed}",
            )
        text = _required_text(path, ws, cells["text"], "åtagandets text")
        boards = _text(cells["boards"].value) if "boards" in cells else None
        if boards is None:
            text, boards = split_boards(text)
        else:
            boards = boards.strip("() ")
        records.append(
            {
                "area": area,
                "text": text,
                "boards": boards,
                "status": _lookup(STATUSES, path, ws, cells["status"]),
                "completion": _completion(path, ws, cells["completion"]),
                "comment": _text(cells["comment"].value) if "comment" in cells else None,
                "excel_row": row,
            }
        )
    return _frame(
        records, ["area", "text", "boards", "status", "completion", "comment", "excel_row"]
    )


def read_events(ws, path: Path) -> pd.DataFrame:
    """Read the significant events: one bullet per row, with its group."""
    records = []
    for row, cells in _data_rows(ws, path, _EVENT_COLUMNS, ("group", "text")):
        group = _lookup(GROUPS, path, ws, cells["group"])
        if group is None:
            expected = f"ett av: {_allowed(GROUPS)}"
            raise cell_error(path, ws.title, cells["group"].coordinate, None, expected)
        text = _required_text(path, ws, cells["text"], "händelsens text")
        records.append({"group": group, "text": text, "excel_row": row})
    return _frame(records, ["group", "text", "excel_row"])


def read_summary(ws, path: Path) -> pd.DataFrame:
    """Read the summary: one paragraph per row, optionally under a section heading."""
    records = []
    for row, cells in _data_rows(ws, path, _SUMMARY_COLUMNS, ("text",)):
        text = _required_text(path, ws, cells["text"], "ett textstycke")
        section = _text(cells["section"].value) if "section" in cells else None
        records.append({"section": section or SHEETS["summary"], "text": text, "excel_row": row})
    return _frame(records, ["section", "text", "excel_row"])


def read_staff(ws, path: Path) -> Staff:
    """Read the staff figures from key/value rows: the key's cell, then the next filled cell."""
    found: dict[str, object] = {}
    for row in ws.iter_rows():
        filled = [c for c in row if _text(c.value) is not None]
        if not filled:
            continue
        key = _header_key(filled[0].value)
        name = next((n for n, keys in _STAFF_KEYS.items() if key in keys), None)
        if name is None:
            continue  # a title row, a header like "Uppgift | Värde", a note
        if name in found:
            raise UnusableInputError(
                f"{path}, blad {ws.title!r}: uppgiften {filled[0].value!r} finns två gånger, "
                f"cell {found[name][0].coordinate} och cell {filled[0].coordinate}. "
                "Förväntade varje uppgift en gång."
            )
        value_cell = filled[1] if len(filled) > 1 else ws.cell(row[0].row, filled[0].column + 1)
        found[name] = (filled[0], value_cell)
    missing = [n for n in _STAFF_REQUIRED if n not in found]
    if missing:
        wanted = ", ".join(repr(_STAFF_KEYS[n][0].capitalize()) for n in missing)
        raise UnusableInputError(
            f"{path}, blad {ws.title!r}: uppgift saknas: {wanted}. Förväntade en rad per uppgift "
            "med uppgiftens namn i en cell och värdet i cellen till höger."
        )
    cells = {name: value for name, (_key, value) in found.items()}
    percent = "en andel i procent mellan 0 och 100, till exempel 4,5 eller '4,5 %'"
    staff = Staff(
        unit=_required_text(path, ws, cells["unit"], "enhetens kortnamn, som det skrivs i texten"),
        women=_count(path, ws, cells["women"]),
        men=_count(path, ws, cells["men"]),
        stated_total=_count(path, ws, cells["total"]) if "total" in cells else None,
        sick_leave=_percent(path, ws, cells["sick_leave"], percent),
        sick_leave_target=_percent(path, ws, cells["sick_leave_target"], percent),
        cells={name: cell.coordinate for name, cell in cells.items()},
    )
    if None not in (staff.stated_total, staff.women, staff.men) and (
        staff.stated_total != staff.women + staff.men
    ):
        raise cell_error(
            path,
            ws.title,
            cells["total"].coordinate,
            staff.stated_total,
            f"kvinnor plus män, {staff.women} + {staff.men} = {staff.women + staff.men}",
        )
    return staff


def load_organisation(path: Path | str, book=None) -> Organisation:
    """Read the organisation sheets a workbook has; a workbook without them gives all None."""
    path = Path(path)
    book = book if book is not None else open_workbook(path)
    sheets = {name: find_sheet(book, path, title, required=False) for name, title in SHEETS.items()}
    areas = read_process_areas(sheets["process_areas"], path) if sheets["process_areas"] else None
    commitments = None
    if sheets["commitments"] is not None:
        if areas is None:
            raise UnusableInputError(
                f"{path}: bladet {sheets['commitments'].title!r} hänvisar till processområden "
                f"men bladet {SHEETS['process_areas']!r} saknas. Förväntade båda bladen."
            )
        commitments = read_commitments(sheets["commitments"], path, areas)
    return Organisation(
        path=path,
        process_areas=areas,
        commitments=commitments,
        staff=read_staff(sheets["staff"], path) if sheets["staff"] else None,
        events=read_events(sheets["events"], path) if sheets["events"] else None,
        summary=read_summary(sheets["summary"], path) if sheets["summary"] else None,
    )


def commitment_count(commitments: pd.DataFrame) -> int:
    """Count the commitments listed in the data (one per row)."""
    return len(commitments)


def status_counts(commitments: pd.DataFrame) -> pd.DataFrame:
    """Count commitments per status, with those whose status is not given as status None."""
    order = [*STATUSES, None]
    counts = commitments["status"].value_counts(dropna=False)
    return pd.DataFrame(
        {
            "status": pd.Series(order, dtype=object),
            "count": [int(counts.get(s, 0)) for s in order],
        }
    )


def sick_leave_comparison(rate: float, target: float) -> str:
    """Compare the sick-leave rate with its target as printed (one decimal): under, på or över."""
    shown_rate, shown_target = rounded(rate, 1), rounded(target, 1)
    if shown_rate < shown_target:
        return "under"
    return "på" if shown_rate == shown_target else "över"


def staff_sentence(staff: Staff, period: Period) -> str:
    """The sentence on permanent employees and sick leave, for the period's month."""
    comparison = None
    if staff.sick_leave is not None and staff.sick_leave_target is not None:
        comparison = sick_leave_comparison(staff.sick_leave, staff.sick_leave_target)

    def count(value):
        return None if value is None else number(value, 0)

    return render(
        "staff.txt.j2",
        unit=staff.unit,
        month=period.month_name,
        total=count(staff.total),
        women=count(staff.women),
        men=count(staff.men),
        one_woman=staff.women == 1,
        one_man=staff.men == 1,
        rate=staff.sick_leave,
        target=staff.sick_leave_target,
        comparison=comparison,
    )


def commitments_sentence(board: str, year: int, commitments: pd.DataFrame) -> str:
    """The sentence counting the board's commitments for the year, counted from the rows."""
    return render("commitments.txt.j2", board=board, year=year, count=commitment_count(commitments))


def assessment_sentence(assessment: str | None) -> str:
    """The sentence that states a process area's assessment, or says it is not given."""
    return render("assessment.txt.j2", assessment=assessment)
