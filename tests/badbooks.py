"""A corpus of bad workbooks, each built on demand in a folder, with what `klk check` must answer.

Every case is a function writing one file into a folder and returning its path; CASES lists them
with the exit code and a fragment of the message expected. tests/test_hardening.py checks them;
scripts/corpus_table.py prints the table of what each case got.
"""

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.workbooks import DR_HEADER, DR_ROWS, RR_HEADER, RR_ROWS, make_workbook, sheet
from tests.workbooks import source_workbook as _source

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# openpyxl writes the sheets in order: Resultaträkning is sheet1, Driftredovisning sheet2.
RR_PART, DR_PART = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"


def rezip(src: Path, dst: Path, replace: dict | None = None, add: dict | None = None) -> Path:
    """Copy a zip member by member, replacing or adding members (name → bytes)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info.filename))
            new.writestr(info.filename, data)
        for name, data in add.items():
            new.writestr(name, data)
    return dst


def source(folder: Path, name: str = "rapport.xlsx", **changes) -> Path:
    """The source document's two tables, as a good workbook, with optional changes."""
    return _source(folder / name, **changes)


def _ole2(path: Path, streams: list[str]) -> Path:
    # The header, then directory entries as Excel writes them: UTF-16 names in 128-byte slots.
    entries = b"".join(s.encode("utf-16-le").ljust(128, b"\0") for s in ["Root Entry", *streams])
    path.write_bytes(OLE2 + b"\0" * 504 + entries + b"\0" * 1024)
    return path


def csv_renamed(folder: Path) -> Path:
    path = folder / "export.xlsx"
    path.write_text("Konto;Utfall Mar 2022\nKommunersättning;115,4\n", encoding="utf-8")
    return path


def html_renamed(folder: Path) -> Path:
    path = folder / "fran_webben.xlsx"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "tom.xlsx"
    path.write_bytes(b"")
    return path


def binary_junk(folder: Path) -> Path:
    path = folder / "bild.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def truncated_zip(folder: Path) -> Path:
    good = source(folder, "hel.xlsx").read_bytes()
    path = folder / "avbruten.xlsx"
    path.write_bytes(good[: len(good) // 2])
    return path


def unrelated_zip(folder: Path) -> Path:
    path = folder / "bilagor.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("protokoll.txt", "Protokoll från nämndens sammanträde")
    return path


def encrypted(folder: Path) -> Path:
    return _ole2(folder / "losenord.xlsx", ["EncryptionInfo", "EncryptedPackage"])


def old_xls(folder: Path) -> Path:
    return _ole2(folder / "gammal.xls", ["Workbook", "\x05SummaryInformation"])


def missing_sheet(folder: Path) -> Path:
    return make_workbook(
        folder / "ett_blad.xlsx", {"Resultaträkning": sheet("RR", RR_HEADER, RR_ROWS)}
    )


def no_header_row(folder: Path) -> Path:
    rows = [[r[0], *r[1:]] for r in RR_ROWS]
    return source(folder, rr_header=["Konto", "Kolumn1", "Kolumn2", "Kolumn3"], rr_rows=rows)


def missing_column(folder: Path) -> Path:
    keep = [i for i, h in enumerate(RR_HEADER) if h != "Budget Mar 2022"]
    return source(
        folder,
        rr_header=[RR_HEADER[i] for i in keep],
        rr_rows=[[r[i] for i in keep] for r in RR_ROWS],
    )


def extra_measure_column(folder: Path) -> Path:
    return source(
        folder,
        dr_header=[*DR_HEADER, "Budgetavvikelse Mar 2022"],
        dr_rows=[[*r, r[2]] for r in DR_ROWS],
    )


def extra_comment_column(folder: Path) -> Path:
    return source(
        folder,
        dr_header=[*DR_HEADER, "Kommentar"],
        dr_rows=[[*r, "se not"] for r in DR_ROWS],
    )


def merged_header(folder: Path) -> Path:
    import openpyxl

    path = source(folder, "sammanslagen.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Driftredovisning"]
    # "Budget 2022" centred over two columns, the second one's header lost.
    ws.insert_cols(5)
    ws.merge_cells("D3:E3")
    for row in range(4, 4 + len(DR_ROWS)):
        ws.cell(row, 5).value = 0.0
    book.save(path)
    return path


def two_row_merged_header(folder: Path) -> Path:
    import openpyxl

    path = folder / "tva_rader.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Resultaträkning"
    ws.append(["Konto", "Utfall", None, "Budget Mar 2022"])
    ws.append([None, "Mar 2021", "Mar 2022", None])
    ws.merge_cells("B1:C1")
    for r in RR_ROWS:
        ws.append(r[:4])
    book.create_sheet("Driftredovisning")
    book.save(path)
    return path


def text_in_number_cell(folder: Path) -> Path:
    rows = [list(r) for r in RR_ROWS]
    rows[3][2] = "ca 29"
    return source(folder, rr_rows=rows)


def formula_without_cache(folder: Path) -> Path:
    rows = [list(r) for r in RR_ROWS]
    rows[2][2] = "=C4+C5"
    return source(folder, rr_rows=rows)


def duplicate_label(folder: Path) -> Path:
    return source(folder, dr_rows=[*DR_ROWS[:2], ["KLK Ledning", 0.0, 0.0, 0.0, 0.0], *DR_ROWS[2:]])


def formula_as_label(folder: Path) -> Path:
    rows = [list(r) for r in DR_ROWS]
    rows[1][0] = "=KLK Ledning"  # stored as a formula, as Excel does with text typed after =
    return source(folder, dr_rows=rows)


def total_off(folder: Path) -> Path:
    rows = [list(r) for r in DR_ROWS]
    rows[3][2] = 3.6  # KLK HR: two mnkr more than printed, the total no longer adds up
    return source(folder, dr_rows=rows)


def lost_minus(folder: Path) -> Path:
    rows = [list(r) for r in DR_ROWS]
    rows[2][3] = 64.8  # KLK Ekonomi och kvalitet: budget -64,8 printed as 64,8
    return source(folder, dr_rows=rows)


def _thousand(rows: list[list]) -> list[list]:
    return [[r[0], *(round(v * 1000) for v in r[1:])] for r in rows]


def tkr_labelled_mnkr(folder: Path) -> Path:
    return source(folder, rr_rows=_thousand(RR_ROWS), dr_rows=_thousand(DR_ROWS))


def units_in_tkr_only(folder: Path) -> Path:
    return source(folder, dr_rows=_thousand(DR_ROWS))


def million_rows(folder: Path) -> Path:
    base = source(folder, "bas.xlsx")
    path = folder / "miljon_rader.xlsx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != DR_PART:
                new.writestr(info.filename, old.read(info.filename))
                continue
            with new.open(DR_PART, "w", force_zip64=True) as part:
                part.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B1000000"/>'
                    b"<sheetData>"
                )
                for start in range(1, 1_000_001, 10_000):
                    part.write(
                        b"".join(
                            b'<row r="%d"><c r="B%d"><v>1</v></c></row>' % (n, n)
                            for n in range(start, start + 10_000)
                        )
                    )
                part.write(b"</sheetData></worksheet>")
    return path


def zip_bomb(folder: Path) -> Path:
    base = source(folder, "bas.xlsx")
    path = folder / "bomb.xlsx"
    shutil.copy(base, path)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/image1.png", "w") as member,
    ):
        zeros = b"\0" * 2**20
        for _ in range(100):
            member.write(zeros)
    return path


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def _sheet_with_prologue(folder: Path, name: str, prologue: bytes, entity: bytes) -> Path:
    base = source(folder, "bas.xlsx")
    with zipfile.ZipFile(base) as archive:
        xml = archive.read(RR_PART)
    body = xml[xml.index(b"<worksheet") :].replace(b"<v>115.4</v>", b"<v>" + entity + b"</v>", 1)
    return rezip(base, folder / name, replace={RR_PART: prologue + body})


def billion_laughs(folder: Path) -> Path:
    return _sheet_with_prologue(folder, "skratt.xlsx", _LAUGHS, b"&lol3;")


def external_entity(folder: Path) -> Path:
    prologue = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _sheet_with_prologue(folder, "xxe.xlsx", prologue, b"&xxe;")


def entities_past_prologue(folder: Path) -> Path:
    # A long comment first hides the DOCTYPE from the screening: defusedxml must stop it.
    padding = b"<!-- " + b"x" * 8000 + b" -->"
    prologue = _LAUGHS.replace(b"?><!DOCTYPE", b"?>" + padding + b"<!DOCTYPE")
    return _sheet_with_prologue(folder, "dold_dtd.xlsx", prologue, b"&lol3;")


def macros(folder: Path) -> Path:
    base = source(folder, "bas.xlsx")
    with zipfile.ZipFile(base) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    # Not a real VBA project: the file only has to carry one, the loader must never run it.
    vba = OLE2 + b"\0" * 504 + "VBA".encode("utf-16-le") + b"Shell(calc.exe)"
    return rezip(
        base,
        folder / "makron.xlsm",
        replace={"[Content_Types].xml": types},
        add={"xl/vbaProject.bin": vba},
    )


@dataclass(frozen=True)
class Case:
    """One bad workbook: how to build it and what `klk check` must answer."""

    name: str
    build: Callable[[Path], Path]
    exit_code: int
    expected: str


CASES = [
    Case("CSV renamed .xlsx", csv_renamed, 2, "textfil"),
    Case("HTML renamed .xlsx", html_renamed, 2, "textfil"),
    Case("empty file", empty_file, 2, "filen är tom"),
    Case("binary junk (PNG)", binary_junk, 2, "ingen Excel-arbetsbok"),
    Case("truncated zip", truncated_zip, 2, "trasig zip-fil"),
    Case("unrelated zip", unrelated_zip, 2, "zip-fil men ingen Excel-arbetsbok"),
    Case("encrypted workbook (OLE2)", encrypted, 2, "lösenordsskyddad"),
    Case("old .xls", old_xls, 2, "Spara som .xlsx i Excel"),
    Case("missing sheet", missing_sheet, 2, "hittade ingen driftredovisning"),
    Case("no header row", no_header_row, 2, "ingen rubrikrad"),
    Case("missing column", missing_column, 2, "kolumn saknas för budget"),
    Case("extra measure column (twice)", extra_measure_column, 2, "finns redan"),
    Case("extra comment column", extra_comment_column, 0, "0 fel"),
    Case("merged header cells", merged_header, 2, "sammanslagen över D3:E3"),
    Case("header over two rows, no units' sheet", two_row_merged_header, 2, "ingen rubrikrad"),
    Case("text in a number cell", text_in_number_cell, 2, "cell C7: hittade 'ca 29'"),
    Case("formula without cached value", formula_without_cache, 2, "formel utan sparat värde"),
    Case("duplicate row label", duplicate_label, 2, "finns två gånger"),
    Case("row label a formula, no value", formula_as_label, 2, "cell A5: hittade en formel utan"),
    Case("total does not add up", total_off, 1, "rad 'Summa Kommunstyrelsen'"),
    Case("lost minus sign", lost_minus, 1, "tappat minustecken"),
    Case("tkr figures labelled mnkr", tkr_labelled_mnkr, 1, "ser ut att vara i tkr"),
    Case("units' table in tkr, rest mnkr", units_in_tkr_only, 1, "ser ut att vara i tkr"),
    Case("sheet of a million rows", million_rows, 2, "fler än 50"),
    Case("zip bomb (100 MB of zeros)", zip_bomb, 2, "zip-bomb"),
    Case("billion laughs (XML entities)", billion_laughs, 2, "DOCTYPE"),
    Case("external entity (XXE)", external_entity, 2, "DOCTYPE"),
    Case("entities hidden past the prologue", entities_past_prologue, 2, "entitetsdefinitioner"),
    Case("macros in .xlsm", macros, 0, "makron"),
]


# Unit names as a hostile or careless sender might write them; the figures stay the source's.
HOSTILE = {
    "KLK HR": "<script>alert(1)</script>",
    "KLK Näringsliv": "<img src=x onerror=alert(1)>",
    "KLK Ledning": "=1+1",
    "KLK Social hållbarhet": "@SUM(1+1)",
    "KLK Ekonomi och kvalitet": "+46 16 10 00 00",
    "KLK Miljö och samhällsbyggnad": "=cmd|' /C calc'!A0",
}


def hostile_workbook(folder: Path) -> Path:
    """The source tables with HTML and formula-like unit names (a workbook that passes checks)."""
    import openpyxl

    rows = [[HOSTILE.get(r[0], r[0]), *r[1:]] for r in DR_ROWS]
    path = source(folder, "fientlig.xlsx", dr_rows=rows)
    book = openpyxl.load_workbook(path)
    for cell in book["Driftredovisning"]["A"]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula, as a careless sender types it
    book.save(path)
    return path
