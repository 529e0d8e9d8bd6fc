"""Screening a received workbook file before any Excel reader opens it.

A file that comes by email may be anything: a CSV renamed .xlsx, an old .xls, an encrypted
workbook, a damaged download, a zip bomb, XML with entity definitions or a sheet of a million
rows. Each is recognised here from the file's bytes and the zip's directory, cheaply and without
unpacking more than a bounded amount, and refused with a message that says what to do.
"""

import errno
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

from klk_analysis.errors import UnusableInputError, describe_value
from klk_analysis.formatting import number

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Excel writes an encrypted .xlsx as an OLE2 container holding these two streams (UTF-16 names).
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# A report workbook unpacks to a few MB; a 100 000-row ledger to about 40 MB.
MAX_UNPACKED_BYTES = 200 * 2**20
# Office XML compresses 5 to 20 times; a zip bomb thousands of times.
MAX_RATIO = 100
_RATIO_FLOOR = 2**20  # small members may compress very well without harm
# openpyxl keeps every cell of every sheet in memory: past this a load takes minutes and GBs.
MAX_SHEET_ROWS = 50_000
MAX_CELLS = 1_000_000  # about ten seconds of openpyxl on this kind of machine
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CHUNK = 2**20
_PROLOGUE = 4096  # a DOCTYPE must come before the root element, so near the start
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Screening:
    """What screening learnt about a usable file."""

    has_macros: bool = False


# Why the operating system could not read a file, in Swedish: strerror is English.
_OS_ERRORS = {
    errno.EACCES: "behörighet att läsa den saknas",
    errno.EPERM: "behörighet att läsa den saknas",
    errno.ENOENT: "den finns inte",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.EIO: "ett läsfel på disken eller i nätverket",
}
# Windows' Cloud Files errors (OneDrive's Files On-Demand): a file kept only online whose content
# could not be fetched. Python gives most of them errno EINVAL, which opening an existing file
# for reading gives for no other reason.
_CLOUD_WINERRORS = {358, 362, 363, 364, 365, 366, 374, 376, 377, 382, 393, 394, 395}
ONLINE_ONLY = (
    "den finns kanske bara online i OneDrive och kunde inte hämtas",
    "Högerklicka på filen (eller mappen) i Utforskaren och välj Alltid behåll på den här "
    "enheten, vänta tills OneDrive har hämtat den och kör igen.",
)


def _unreadable(path: Path, exc: OSError) -> UnusableInputError:
    """Say why the operating system could not read a file; OneDrive's online-only files too."""
    cloud = (
        exc.errno == errno.EINVAL
        or getattr(exc, "winerror", None) in _CLOUD_WINERRORS
        or "cloud file" in (exc.strerror or "").lower()
    )
    if cloud or (exc.errno == errno.EACCES and "onedrive" in str(path).lower()):
        why, todo = ONLINE_ONLY
        if not cloud:
            why = f"behörighet att läsa den saknas, eller {why}"
    else:
        why = _OS_ERRORS.get(exc.errno, "operativsystemet kunde inte läsa den")
        todo = "Kontrollera sökvägen och att filen går att öppna."
    return _refuse(path, f"filen kan inte läsas: {why}", todo)


def _broken_zip(exc: BaseException) -> str:
    """Say in Swedish what is wrong with a damaged zip, instead of the zipfile module's English."""
    if isinstance(exc, zipfile.LargeZipFile | NotImplementedError):
        return "den är packad på ett sätt som inte stöds"
    if isinstance(exc, EOFError):
        return "den tar slut mitt i en packad del"
    if isinstance(exc, zlib.error):
        return "en packad del är skadad"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "en packad del har fel kontrollsumma"
    if isinstance(exc, zipfile.BadZipFile) and "not a zip file" in str(exc):
        return "zip-filens innehållsförteckning i slutet av filen saknas"
    return "zip-filens innehållsförteckning stämmer inte med innehållet"


def _refuse(path: Path, what: str, todo: str) -> UnusableInputError:
    return UnusableInputError(f"{path}: {what}. {todo}")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return head.decode("cp1252", errors="replace").count("\ufffd") == 0
    return True


def _screen_ole2(path: Path) -> UnusableInputError:
    with path.open("rb") as file:
        content = file.read(64 * 2**20)
    if any(name in content for name in _ENCRYPTED_STREAMS):
        return _refuse(
            path,
            "arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas",
            "Öppna den i Excel, ta bort lösenordet (Arkiv > Info > Skydda arbetsbok > "
            "Kryptera med lösenord, töm fältet) och spara som .xlsx.",
        )
    return _refuse(
        path,
        "filen är i det gamla Excel-formatet .xls (eller ett annat äldre Office-format), "
        "som inte läses",
        "Spara som .xlsx i Excel (Arkiv > Spara som > Excel-arbetsbok (*.xlsx)).",
    )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet parts (xl/worksheets/sheet1.xml) to sheet names, as far as they can be read."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # names only improve the message; the part name is enough without them
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    names = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[str(PurePosixPath(part))] = sheet.get("name", "")
    return names


def _count_rows_and_cells(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """Count a worksheet's rows and cells, streaming; stop as soon as a limit is passed."""
    rows = cells = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            # Tags that start in the last 16 bytes are counted with the next chunk.
            edge = len(buffer) - 16
            rows += sum(1 for m in _ROW_TAG.finditer(buffer) if m.start() < edge)
            cells += sum(1 for m in _CELL_TAG.finditer(buffer) if m.start() < edge)
            if rows > MAX_SHEET_ROWS or cells > MAX_CELLS:
                return rows, cells
            tail = buffer[edge:] if edge > 0 else buffer
    return rows + len(_ROW_TAG.findall(tail)), cells + len(_CELL_TAG.findall(tail))


def _screen_zip(path: Path, archive: zipfile.ZipFile) -> Screening:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        shown = ", ".join(sorted(names)[:5]) or "ingenting"
        raise _refuse(
            path,
            f"filen är en zip-fil men ingen Excel-arbetsbok (den innehåller {shown})",
            "Förväntade en arbetsbok sparad i Excel som .xlsx.",
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(
            path,
            "delar av filen är krypterade",
            "Ta bort lösenordet i Excel och spara som .xlsx.",
        )
    unpacked = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(
                path,
                f"delen {info.filename} packas upp till {info.file_size // 2**20} MB från "
                f"{max(info.compress_size // 1024, 1)} kB (kvot {ratio:.0f}:1), som en zip-bomb",
                f"Filen öppnas inte. Förväntade en arbetsbok som packas högst {MAX_RATIO} gånger.",
            )
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(
            path,
            f"arbetsboken packas upp till {unpacked // 2**20} MB",
            f"Filen öppnas inte. Förväntade högst {MAX_UNPACKED_BYTES // 2**20} MB; "
            "spara resultaträkningen och driftredovisningen i en egen arbetsbok.",
        )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as stream:
            prologue = stream.read(_PROLOGUE)
        if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
            raise _refuse(
                path,
                f"delen {info.filename} innehåller en XML-dokumenttypdefinition (DOCTYPE/ENTITY), "
                "vilket Excel aldrig skriver och som kan användas för att angripa den som läser",
                "Filen öppnas inte. Öppna den i Excel och spara som ny .xlsx om den är betrodd.",
            )
    total = 0
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        rows, cells = _count_rows_and_cells(archive, info.filename)
        total += cells
        if rows > MAX_SHEET_ROWS or total > MAX_CELLS:
            name = _sheet_names(archive).get(info.filename)
            where = f"bladet {name!r}" if name else f"bladet i {info.filename}"
            found = (
                f"{where} har fler än {number(MAX_SHEET_ROWS, 0)} rader"
                if rows > MAX_SHEET_ROWS
                else f"arbetsboken har fler än {number(MAX_CELLS, 0)} celler (till och med {where})"
            )
            raise _refuse(
                path,
                found,
                "Filen öppnas inte, det skulle ta minuter. Förväntade en arbetsbok med "
                "resultaträkningen och driftredovisningen; spara stora blad i en egen fil eller "
                "ta bort tomma rader nedanför tabellen (markera dem och välj Ta bort).",
            )
    return Screening(has_macros=any(n.lower().endswith("vbaproject.bin") for n in names))


def screen_workbook_file(path: Path) -> Screening:
    """Check a file's bytes and zip directory before it is opened; raise if it cannot be used."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(_PROLOGUE)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if size == 0:
        raise _refuse(path, "filen är tom (0 byte)", "Förväntade en arbetsbok sparad som .xlsx.")
    if head.startswith(OLE2_SIGNATURE):
        raise _screen_ole2(path)
    if not head.startswith(ZIP_SIGNATURES):
        if _looks_like_text(head):
            first = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[0]
            raise _refuse(
                path,
                f"filen är en textfil (till exempel CSV eller HTML) och ingen Excel-arbetsbok; "
                f"första raden är {describe_value(first)}",
                "Öppna den i Excel och spara som .xlsx (Arkiv > Spara som > Excel-arbetsbok).",
            )
        raise _refuse(
            path,
            f"filen är ingen Excel-arbetsbok (den börjar med byte {head[:8].hex(' ')})",
            "Förväntade en arbetsbok sparad i Excel som .xlsx.",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return _screen_zip(path, archive)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        NotImplementedError,
        OSError,
        ValueError,
        zlib.error,
    ) as exc:
        raise _refuse(
            path,
            f"filen är en trasig zip-fil ({_broken_zip(exc)}), kanske avbruten vid nedladdning "
            "eller i e-post",
            "Be om filen igen, eller öppna den i Excel och spara som .xlsx.",
        ) from None
