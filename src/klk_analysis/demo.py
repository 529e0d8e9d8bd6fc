"""An invented municipality to show and test the multi-board run: every figure is made up.

`klk demo [DIR]` writes one workbook per board into DIR/PERIOD/ (default data/exempel/2022-08/)
in the loader's dialect ("Utfall Aug 2022", "Årsprognos augusti", "Budget 2022"), with every sum
and deviation adding up exactly: the figures are built in whole tenths of a million.
"""

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from klk_analysis import paths

DEFAULT_PERIOD = "2022-08"
README = """# Påhittade exempel – inte riktiga siffror

Arbetsböckerna här är **påhittade**: en kommun med {count} nämnder som inte finns, skapad av
`klk demo` (`klk_analysis.demo`) för att visa körningen av alla nämnder och kommunens
sammanställning. Inga siffror kommer från någon verklig kommun.

    klk run {period} --raw {raw}

ger en rapport per nämnd i `outputs/{period}/<nämnd>/` och `outputs/{period}/sammanstallning.html`.
"""


@dataclass(frozen=True)
class Board:
    """An invented board: name, driftram and its units (grouped when groups is given)."""

    name: str
    driftram: int  # mnkr, whole
    units: tuple[str, ...]
    budget_deviation: float  # the period's total, mnkr with one decimal
    forecast_deviation: float
    groups: tuple[tuple[str, int], ...] = ()  # (group name, number of units), in order
    file: str = ""


def _units(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix} {i}" for i in range(1, count + 1))


SCHOOL_GROUPS = (("Förskola", 10), ("Grundskola", 14), ("Gymnasium", 6), ("Stöd och ledning", 5))
SCHOOL_UNITS = (
    _units("Förskoleområde", 10)
    + _units("Grundskoleområde", 14)
    + _units("Gymnasieskola", 6)
    + ("Elevhälsa", "Skolskjuts", "Modersmål", "Förvaltningsledning", "Nämnd och kansli")
)
BOARDS = (
    Board("Kommunstyrelsen", 460, ("Ledning", "Ekonomi", "HR", "IT", "Kommunikation"), 4.2, 1.5),
    Board("Barn- och utbildningsnämnden", 2100, SCHOOL_UNITS, -6.3, -12.0, SCHOOL_GROUPS),
    Board(
        "Vård- och omsorgsnämnden",
        1500,
        ("Hemtjänst", "Särskilt boende", "Hemsjukvård", "Biståndsenhet", "Ledning"),
        -9.8,
        -18.5,
    ),
    Board(
        "Socialnämnden", 650, ("Barn och unga", "Vuxna", "Försörjningsstöd", "Ledning"), -2.1, -4.0
    ),
    Board("Kultur- och fritidsnämnden", 230, ("Bibliotek", "Kulturskola", "Fritid"), 1.1, 0.5),
    Board("Tekniska nämnden", 180, ("Gata", "Park", "Fastighet", "Måltid"), 3.4, 2.0),
    Board("Miljö- och byggnämnden", 40, ("Miljö", "Bygglov"), 0.6, 0.0),
    Board("Överförmyndarnämnden", 12, ("Handläggning",), -0.3, -0.4),
)


def _spread(total: int, count: int, weights=None) -> list[int]:
    """Split a total (in tenths) into count whole parts by weights, the rest on the first."""
    weights = weights or [1 + (i * 7) % 5 for i in range(count)]
    parts = [total * w // sum(weights) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def workbook_rows(board: Board, year: int, month: int) -> dict[str, list[list]]:
    """Return the two sheets' rows of an invented board; every sum adds up exactly."""
    from klk_analysis.formatting import MONTH_NAMES_SV

    short = MONTH_NAMES_SV[month - 1][:3].capitalize()
    name = MONTH_NAMES_SV[month - 1]
    ram = board.driftram * 10  # tenths of mnkr
    other = ram // 10
    annual = {"Kommunersättning": ram, "Övriga intäkter": other}
    costs = _spread(-(ram + other), 3, [6, 1, 3])  # personnel, premises, other costs
    annual |= dict(
        zip(("Personalkostnader", "- Lokalkostnader", "- Övriga kostnader"), costs, strict=True)
    )
    dev = round(board.budget_deviation * 10)
    fdev = round(board.forecast_deviation * 10)
    line_dev = {"Kommunersättning": 0, "Övriga intäkter": dev // 3, "Personalkostnader": dev // 3}
    line_dev["- Lokalkostnader"] = 0
    line_dev["- Övriga kostnader"] = dev - sum(line_dev.values())
    line_fdev = {"Kommunersättning": 0, "Övriga intäkter": 0, "Personalkostnader": fdev}
    line_fdev |= {"- Lokalkostnader": 0, "- Övriga kostnader": 0}
    rows = {}
    for label, a in annual.items():
        budget = a * month // 12
        utfall = budget + line_dev[label]
        rows[label] = [utfall * 9 // 10, utfall, budget, line_dev[label], a + line_fdev[label]]
        rows[label].append(line_fdev[label])

    def total(labels):
        return [sum(rows[x][i] for x in labels) for i in range(6)]

    revenue, cost = ("Kommunersättning", "Övriga intäkter"), tuple(list(annual)[2:])
    rows["Summa INTÄKTER"], rows["Summa KOSTNADER"] = total(revenue), total(cost)
    rows["Summa ÅRETS RESULTAT"] = total(("Summa INTÄKTER", "Summa KOSTNADER"))
    order = [*revenue, "Summa INTÄKTER", *cost, "Summa KOSTNADER", "Summa ÅRETS RESULTAT"]
    rr = [[label, *(v / 10 for v in rows[label])] for label in order]
    rr_header = [
        "Konto",
        f"Utfall {short} {year - 1}",
        f"Utfall {short} {year}",
        f"Budget {short} {year}",
        f"Budgetavvikelse {short} {year}",
        f"Årsprognos {name}",
        f"Avvikelse Årsprognos {name}",
    ]
    n = len(board.units)
    unit_budget = _spread(-ram, n)
    unit_dev, unit_fdev = _spread(dev, n, [1] * n), _spread(fdev, n, [1] * n)
    units = [[u, unit_dev[i], unit_budget[i], unit_fdev[i]] for i, u in enumerate(board.units)]
    dr = []
    if board.groups:
        start = 0
        for group, count in board.groups:
            members = units[start : start + count]
            subtotal = [f"Summa {group}", *(sum(m[i] for m in members) for i in (1, 2, 3))]
            dr += [*members, subtotal]
            start += count
    else:
        dr = units
    dr.append([f"Summa {board.name}", dev, -ram, fdev])
    dr_rows = [[r[0], *(v / 10 for v in r[1:])] for r in dr]
    dr_header = [
        "Enhet",
        f"Budgetavvikelse {short} {year}",
        f"Budget {year}",
        f"Avvikelse Årsprognos {name}",
    ]
    return {
        "Resultaträkning": [["Resultaträkning"], ["Belopp i mnkr"], rr_header, *rr],
        "Driftredovisning": [["Driftredovisning"], ["Belopp i mnkr"], dr_header, *dr_rows],
    }


def write_board(board: Board, path: Path, year: int, month: int) -> Path:
    """Write one invented board's workbook to path."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in workbook_rows(board, year, month).items():
        ws = book.create_sheet(sheet)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def file_name(board: Board) -> str:
    """Return the workbook's file name: the board's folder name and .xlsx."""
    from klk_analysis.boards import board_slug

    return board.file or f"{board_slug(board.name)}.xlsx"


def write_demo(root: Path | None = None, period: str = DEFAULT_PERIOD, boards=BOARDS) -> list[Path]:
    """Write an invented municipality's workbooks to root/PERIOD/ with a README; return them."""
    from klk_analysis.periods import Period

    parsed = Period.parse(period)
    root = Path(root) if root is not None else paths.ROOT / "data" / "exempel"
    folder = root / str(parsed)
    folder.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text(
        README.format(count=len(boards), period=parsed, raw=root), encoding="utf-8"
    )
    return [write_board(b, folder / file_name(b), parsed.year, parsed.month) for b in boards]
