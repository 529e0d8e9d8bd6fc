"""One builder per corpus workbook, each in a named dialect of a real finance system or habit.

A builder writes its workbook with openpyxl into the path it is given and returns the path. The
`@corpus(...)` line above it says what the workbook should be read as: which board's figures
(tests/corpus/figures.py), which measure each printed column header means, the unit the workbook
states, and, for the inconsistent ones, the words `klk check` must name. tests/corpus/expected.py
turns these into the expected values.
"""

from dataclasses import replace
from datetime import datetime

import openpyxl

from tests.corpus import figures as f

REGISTRY: list[dict] = []
FACTORS = {"mnkr": 1, "tkr": 1_000, "kr": 1_000_000}


def corpus(figs, rr, dr, unit, *, board=None, codes=False, errors=(), absent=(), written=None):
    """Register a builder with its figures, its headers' meanings and its stated unit.

    `written` is the unit the amounts are really in when the workbook states another one.
    """

    def register(build):
        REGISTRY.append(
            {
                "name": build.__name__,
                "build": build,
                "figs": figs,
                "rr": rr,
                "dr": dr,
                "unit": unit,
                "written": written or unit,
                "board": board or figs.board,
                "codes": codes,
                "errors": errors,
                "absent": absent,
            }
        )
        return build

    return register


def _amount(row, key, factor):
    if key.startswith("%"):
        # percentage columns: utfall in % of budget, or the deviation in % of the budget
        base = row.values.get("budget") or row.values.get("arsbudget")
        if not base:
            return None
        top = row.values["utfall"] if key == "%utfall" else row.values["budgetavvikelse"]
        return round(100 * top / abs(base) if key == "%avvikelse" else 100 * top / base, 1)
    value = row.values[key]
    return round(value * factor) if factor != 1 else value


def put_table(
    ws,
    row,
    tab,
    headers,
    *,
    label_header="",
    above=(),
    factor=1,
    code_header=None,
    zero=0.0,
    merge=False,
    comments=None,
    number_format=None,
):
    """Write title rows, a header row (or two), and the table's rows from `row`; return next row.

    headers: measure key → header text, or (upper, lower) for a two-row header; `merge` merges
    equal neighbouring upper cells, and the label header over both rows. `zero` is what a zero
    amount is printed as: 0.0, None (a blank cell) or a text such as "-0,0".
    """
    for line in above:
        for col, value in enumerate(line, start=1):
            ws.cell(row, col, value)
        row += 1
    first = 2 if code_header is not None else 1
    keys = list(headers)
    two_rows = any(isinstance(h, tuple) for h in headers.values())
    if code_header is not None:
        ws.cell(row + two_rows, 1, code_header)
    ws.cell(row + two_rows, first, label_header or None)
    if two_rows and merge:
        ws.cell(row, first, label_header or None)
        ws.cell(row + 1, first, None)
        ws.merge_cells(start_row=row, start_column=first, end_row=row + 1, end_column=first)
    for i, key in enumerate(keys):
        col = first + 1 + i
        head = headers[key]
        if two_rows:
            upper, lower = head if isinstance(head, tuple) else (head, None)
            ws.cell(row, col, upper)
            cell = ws.cell(row + 1, col, lower)
            if isinstance(lower, datetime):
                cell.number_format = "yyyy-mm-dd"
        else:
            ws.cell(row, col, head)
    if comments is not None:
        ws.cell(row + two_rows, first + 1 + len(keys), "Kommentar")
    if two_rows and merge:
        start = 0
        while start < len(keys):
            end = start
            upper = headers[keys[start]]
            upper = upper[0] if isinstance(upper, tuple) else upper
            while end + 1 < len(keys) and isinstance(headers[keys[end + 1]], tuple):
                if headers[keys[end + 1]][0] != upper:
                    break
                end += 1
            if end > start:
                for k in range(start + 1, end + 1):
                    ws.cell(row, first + 1 + k, None)
                ws.merge_cells(
                    start_row=row,
                    start_column=first + 1 + start,
                    end_row=row,
                    end_column=first + 1 + end,
                )
            start = end + 1
    row += 1 + two_rows
    for r in tab.rows:
        if code_header is not None and r.code:
            ws.cell(row, 1, int(r.code) if r.code.isdigit() else r.code)
        ws.cell(row, first, r.label)
        if r.kind != "heading":
            for i, key in enumerate(keys):
                value = _amount(r, key, factor)
                if value == 0 and not key.startswith("%"):
                    value = zero
                cell = ws.cell(row, first + 1 + i, value)
                if number_format and isinstance(value, float):
                    cell.number_format = number_format
            if comments and r.label in comments:
                ws.cell(row, first + 1 + len(keys), comments[r.label])
        row += 1
    return row


def new_book():
    """Return an empty workbook (no default sheet)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    return book


def two_sheets(
    path,
    figs,
    rr,
    dr,
    *,
    names=("Resultaträkning", "Driftredovisning"),
    rr_above=(),
    dr_above=(),
    **options,
):
    """Write both tables, each on its own sheet, in the same dialect; return the path."""
    book = new_book()
    dr_options = dict(options)
    rr_options = {k: v for k, v in options.items() if k not in ("code_header", "comments")}
    put_table(book.create_sheet(names[0]), 1, figs.rr, rr, above=rr_above, **rr_options)
    put_table(book.create_sheet(names[1]), 1, figs.dr, dr, above=dr_above, **dr_options)
    book.save(path)
    return path


def title(text, unit=None):
    """Title rows above a header: the title, and the unit row if given."""
    return ([text], [unit]) if unit else ([text],)


def headers(words: str, *texts) -> dict:
    """Pair measure keys (space-separated) with header texts."""
    return dict(zip(words.split(), texts, strict=True))


# ============================================================================================
# Issue 10: every way systems and economists write headers, units and periods.

BUN_FLAT = f.flat(f.BUN)
M6 = "utfall budget budgetavvikelse arsbudget arsprognos avvikelse_arsprognos"
M7 = "utfall_ly " + M6
KS_RR = "utfall_ly utfall budget budgetavvikelse arsprognos avvikelse_arsprognos"
KS_DR = "budgetavvikelse_ly budgetavvikelse arsbudget avvikelse_arsprognos"

SOURCE_RR = headers(
    KS_RR,
    "Utfall Mar 2021",
    "Utfall Mar 2022",
    "Budget Mar 2022",
    "Budgetavvikelse Mar 2022",
    "Årsprognos mars",
    "Avvikelse Årsprognos mars",
)
SOURCE_DR = headers(
    KS_DR,
    "Budgetavvikelse Mar 2021",
    "Budgetavvikelse Mar 2022",
    "Budget 2022",
    "Avvikelse Årsprognos mars",
)


@corpus(f.KS, SOURCE_RR, SOURCE_DR, "mnkr")
def source_document_layout(path):
    """Hand-made Excel as in the source document: 'Utfall Mar 2022', unit row 'Belopp i mnkr'."""
    return two_sheets(
        path,
        f.KS,
        SOURCE_RR,
        SOURCE_DR,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        label_header="Konto",
    )


KFN_RR = headers(
    KS_RR,
    "Utfall Aug 2022",
    "Utfall Aug 2023",
    "Budget Aug 2023",
    "Budgetavvikelse Aug 2023",
    "Årsprognos augusti",
    "Avvikelse Årsprognos augusti",
)
KFN_DR = headers(
    KS_DR,
    "Budgetavvikelse Aug 2022",
    "Budgetavvikelse Aug 2023",
    "Budget 2023",
    "Avvikelse Årsprognos augusti",
)


@corpus(f.KFN, KFN_RR, KFN_DR, "mnkr")
def source_layout_august(path):
    """Hand-made Excel, the source document's layout for delårsrapport 2: 'Utfall Aug 2023'."""
    return two_sheets(
        path,
        f.KFN,
        KFN_RR,
        KFN_DR,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        label_header="Enhet",
    )


UNIT4_RR = headers(
    M7,
    "Ack utfall 2021-08",
    "Ack utfall 2022-08",
    "Ack budget 2022-08",
    "Avvikelse mot budget",
    "Årsbudget 2022",
    "Helårsprognos 2022",
    "Prognosavvikelse",
)
UNIT4_DR = headers(
    M6,
    "Ack utfall 2022-08",
    "Ack budget 2022-08",
    "Avvikelse mot budget",
    "Årsbudget 2022",
    "Helårsprognos 2022",
    "Prognosavvikelse",
)


@corpus(BUN_FLAT, UNIT4_RR, UNIT4_DR, "tkr")
def unit4_ack_utfall_tkr(path):
    """Unit4/Agresso export: 'Ack utfall 2022-08', 'Prognosavvikelse', tkr in the title row."""
    return two_sheets(
        path,
        BUN_FLAT,
        UNIT4_RR,
        UNIT4_DR,
        rr_above=(["*Rapport RR01 körd 2022-09-06"], ["Resultaträkning, belopp i tkr"]),
        dr_above=(["*Rapport DR02 körd 2022-09-06"], ["Driftredovisning per ansvar, belopp i tkr"]),
        factor=1000,
        label_header="Ansvar",
    )


RAINDANCE_RR = headers(
    M6,
    "Utfall ack 202208",
    "Budget ack 202208",
    "Avv. budget",
    "Budget helår",
    "Prognos helår",
    "Avv. prognos helår",
)


@corpus(BUN_FLAT, RAINDANCE_RR, RAINDANCE_RR, "tkr")
def raindance_utfall_ack_yyyymm(path):
    """Raindance export: 'Utfall ack 202208', 'Avv. prognos helår', 'Tkr' as the label header."""
    return two_sheets(
        path,
        BUN_FLAT,
        RAINDANCE_RR,
        RAINDANCE_RR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="Tkr",
    )


VISMA_RR = headers(
    M6,
    "Bokfört jan–aug 2022",
    "Periodbudget jan–aug 2022",
    "Avvikelse mot budget",
    "Budget år 2022",
    "Prognos aug 2022",
    "Avvikelse prognos",
)


@corpus(BUN_FLAT, VISMA_RR, VISMA_RR, "tkr")
def visma_bokfort_periodbudget(path):
    """Visma export: 'Bokfört jan–aug 2022', 'Periodbudget', 'Budget år', '(tkr)' label header."""
    return two_sheets(
        path,
        BUN_FLAT,
        VISMA_RR,
        VISMA_RR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="(tkr)",
    )


HYPERGENE_RR = headers(
    M6,
    "Redovisat jan-aug 2022",
    "Budget jan-aug 2022",
    "Avvikelse jmf budget",
    "Helårsbudget 2022",
    "Helårsprognos",
    "Avvikelse helårsprognos jmf helårsbudget",
)


@corpus(BUN_FLAT, HYPERGENE_RR, HYPERGENE_RR, "tkr")
def hypergene_redovisat_jmf(path):
    """Hypergene-rapport: 'Redovisat jan-aug 2022', 'Avvikelse jmf budget', 'Belopp, tkr'."""
    return two_sheets(
        path,
        BUN_FLAT,
        HYPERGENE_RR,
        HYPERGENE_RR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="Belopp, tkr",
    )


KFN_TOTAL = f.renamed(
    f.KFN, {"Summa Kultur- och fritidsnämnden": "Total Kultur- och fritidsnämnden"}
)
ENGLISH_RR = headers(
    KS_RR,
    "Actual YTD Aug 2022",
    "Actual YTD Aug 2023",
    "Budget YTD Aug 2023",
    "Variance",
    "Forecast 2023",
    "Forecast variance",
)
ENGLISH_DR = headers(
    KS_DR,
    "Variance YTD Aug 2022",
    "Variance YTD Aug 2023",
    "Annual budget 2023",
    "Forecast variance",
)


@corpus(KFN_TOTAL, ENGLISH_RR, ENGLISH_DR, "tkr")
def english_erp_tsek(path):
    """International ERP export in English: Actual / Budget YTD / Variance / Forecast, TSEK."""
    return two_sheets(
        path,
        KFN_TOTAL,
        ENGLISH_RR,
        ENGLISH_DR,
        names=("RR", "Drift"),
        rr_above=title("Income statement", "Amounts in TSEK"),
        dr_above=title("Cost centres", "Amounts in TSEK"),
        factor=1000,
        label_header="Account",
    )


VISMA_EN_RR = headers(
    M7,
    "Actual Jan-Aug 2021",
    "Actual Jan-Aug 2022",
    "Budget Jan-Aug 2022",
    "Variance",
    "Annual budget",
    "Forecast",
    "Forecast variance",
)
VISMA_EN_DR = {k: v for k, v in VISMA_EN_RR.items() if k != "utfall_ly"}


@corpus(BUN_FLAT, VISMA_EN_RR, VISMA_EN_DR, "mnkr")
def visma_net_english_headers(path):
    """Visma.net in English: 'Actual Jan-Aug 2022', 'Annual budget', 'Forecast'; mnkr."""
    return two_sheets(
        path,
        BUN_FLAT,
        VISMA_EN_RR,
        VISMA_EN_DR,
        rr_above=title("Resultaträkning (mnkr)"),
        dr_above=title("Driftredovisning (mnkr)"),
    )


POWERBI_RR = headers(
    M6,
    "Utfall 2022-08",
    "Budget 2022-08",
    "Variance",
    "Budget helår 2022",
    "Forecast",
    "Forecast variance",
)


@corpus(BUN_FLAT, POWERBI_RR, POWERBI_RR, "mnkr")
def powerbi_mixed_language(path):
    """Power BI export: Swedish and English measures mixed ('Variance'), 'mnkr' in the title."""
    return two_sheets(
        path,
        BUN_FLAT,
        POWERBI_RR,
        POWERBI_RR,
        rr_above=title("Resultaträkning, mnkr"),
        dr_above=title("Driftredovisning, mnkr"),
    )


ISO_RR = headers(
    KS_RR,
    "Utfall 2021-03-31",
    "Utfall 2022-03-31",
    "Budget 2022-03-31",
    "Budgetavvikelse 2022-03-31",
    "Årsprognos 2022-03-31",
    "Avvikelse årsprognos 2022-03-31",
)
ISO_DR = headers(
    KS_DR,
    "Budgetavvikelse 2021-03-31",
    "Budgetavvikelse 2022-03-31",
    "Budget 2022",
    "Avvikelse årsprognos 2022-03-31",
)


@corpus(f.KS, ISO_RR, ISO_DR, "mnkr")
def iso_dates_in_headers(path):
    """Economist's Excel with ISO dates in the headers: 'Utfall 2022-03-31', 'Budget 2022'."""
    return two_sheets(
        path,
        f.KS,
        ISO_RR,
        ISO_DR,
        rr_above=title("Resultaträkning", "Mnkr"),
        dr_above=title("Driftredovisning", "Mnkr"),
    )


TOM_RR = headers(
    KS_RR,
    "Utfall t.o.m. mars 2021",
    "Utfall t.o.m. mars 2022",
    "Budget t.o.m. mars 2022",
    "Avvikelse t.o.m. mars 2022",
    "Prognos helår 2022",
    "Avvikelse prognos helår",
)
TOM_DR = headers(
    KS_DR,
    "Avvikelse t.o.m. mars 2021",
    "Avvikelse t.o.m. mars 2022",
    "Budget 2022",
    "Avvikelse prognos helår",
)


@corpus(f.KS, TOM_RR, TOM_DR, "mnkr")
def tom_mars(path):
    """Hand-made Excel: 'Utfall t.o.m. mars 2022', 'Prognos helår 2022', 'Avvikelse prognos'."""
    return two_sheets(
        path,
        f.KS,
        TOM_RR,
        TOM_DR,
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
    )


TOM_NOYEAR_RR = headers(
    KS_RR.replace("utfall_ly ", ""),
    "Utfall t.o.m. mars 2022",
    "Budget t.o.m. mars",
    "Budgetavvikelse t.o.m. mars",
    "Årsprognos",
    "Avvikelse årsprognos",
)
TOM_NOYEAR_DR = headers(
    KS_DR.replace("budgetavvikelse_ly ", ""),
    "Budgetavvikelse t.o.m. mars",
    "Budget 2022",
    "Avv. årsprognos",
)


@corpus(f.KS, TOM_NOYEAR_RR, TOM_NOYEAR_DR, "mnkr")
def tom_mars_year_once(path):
    """Hand-made Excel, the year named once: 'Utfall t.o.m. mars 2022', then 'Budget t.o.m. mars'"""
    return two_sheets(
        path,
        f.KS,
        TOM_NOYEAR_RR,
        TOM_NOYEAR_DR,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


JANMAR_RR = headers(
    KS_RR,
    "Utfall jan-mar 2021",
    "Utfall jan-mar 2022",
    "Budget jan-mar 2022",
    "Avvikelse jan-mar 2022",
    "Årsprognos 2022",
    "Avvikelse årsprognos 2022",
)
JANMAR_DR = headers(
    KS_DR,
    "Avvikelse jan-mar 2021",
    "Avvikelse jan-mar 2022",
    "Årsbudget 2022",
    "Avvikelse årsprognos 2022",
)


@corpus(f.KS, JANMAR_RR, JANMAR_DR, "mnkr")
def jan_mar_hyphen(path):
    """Economist's Excel with month ranges: 'Utfall jan-mar 2022', 'Avvikelse jan-mar 2021'."""
    return two_sheets(
        path,
        f.KS,
        JANMAR_RR,
        JANMAR_DR,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


YYYYMM_RR = headers(
    KS_RR,
    "Utfall 202103",
    "Utfall 202203",
    "Budget 202203",
    "Budgetavvikelse 202203",
    "Årsprognos 202203",
    "Avvikelse årsprognos 202203",
)
YYYYMM_DR = headers(
    KS_DR,
    "Budgetavvikelse 202103",
    "Budgetavvikelse 202203",
    "Budget 2022",
    "Avvikelse årsprognos 202203",
)


@corpus(f.KS, YYYYMM_RR, YYYYMM_DR, "kr")
def raindance_yyyymm_kronor(path):
    """Raindance-export in whole kronor: 'Utfall 202203', unit row 'Belopp i kronor'."""
    return two_sheets(
        path,
        f.KS,
        YYYYMM_RR,
        YYYYMM_DR,
        rr_above=title("Resultaträkning", "Belopp i kronor"),
        dr_above=title("Driftredovisning", "Belopp i kronor"),
        factor=1_000_000,
    )


JANAUG_FULL_RR = headers(
    KS_RR,
    "Utfall januari–augusti 2022",
    "Utfall januari–augusti 2023",
    "Budget januari–augusti 2023",
    "Budgetavvikelse januari–augusti 2023",
    "Årsprognos 2023",
    "Avvikelse årsprognos 2023",
)
JANAUG_FULL_DR = headers(
    KS_DR,
    "Budgetavvikelse januari–augusti 2022",
    "Budgetavvikelse januari–augusti 2023",
    "Årsbudget 2023",
    "Avvikelse årsprognos 2023",
)


@corpus(f.KFN, JANAUG_FULL_RR, JANAUG_FULL_DR, "mnkr")
def januari_augusti_full_names(path):
    """Delårsrapport 2 in Word-ready Excel: 'Utfall januari–augusti 2023' with an en dash."""
    return two_sheets(
        path,
        f.KFN,
        JANAUG_FULL_RR,
        JANAUG_FULL_DR,
        rr_above=title("Resultaträkning", "Belopp i miljoner kronor"),
        dr_above=title("Driftredovisning", "Belopp i miljoner kronor"),
    )


JANAUG_RR = headers(
    KS_RR,
    "Utfall jan–aug 2022",
    "Utfall jan–aug 2023",
    "Budget jan–aug 2023",
    "Avv. budget jan–aug 2023",
    "Prognos aug 2023",
    "Avv. prognos aug 2023",
)
JANAUG_DR = headers(
    KS_DR,
    "Avv. budget jan–aug 2022",
    "Avv. budget jan–aug 2023",
    "Budget helår 2023",
    "Avv. prognos aug 2023",
)


@corpus(f.KFN, JANAUG_RR, JANAUG_DR, "mnkr")
def jan_aug_prognos_aug(path):
    """Stratsys-export: 'Utfall jan–aug 2023', 'Prognos aug 2023' (made in August, for the year)."""
    return two_sheets(
        path,
        f.KFN,
        JANAUG_RR,
        JANAUG_DR,
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
    )


PER_RR = headers(
    KS_RR,
    "Utfall per 31 augusti 2022",
    "Utfall per 31 augusti 2023",
    "Budget per 31 augusti 2023",
    "Avvikelse per 31 augusti 2023",
    "Prognos helår 2023",
    "Prognosavvikelse helår 2023",
)
PER_DR = headers(
    KS_DR,
    "Avvikelse per 31 augusti 2022",
    "Avvikelse per 31 augusti 2023",
    "Budget år 2023",
    "Prognosavvikelse",
)


@corpus(f.KFN, PER_RR, PER_DR, "tkr")
def per_31_augusti_tkr(path):
    """Economist's Excel: 'Utfall per 31 augusti 2023', 'Budget år 2023', belopp i tkr."""
    return two_sheets(
        path,
        f.KFN,
        PER_RR,
        PER_DR,
        rr_above=title("Resultaträkning", "Belopp i tkr"),
        dr_above=title("Driftredovisning", "Belopp i tkr"),
        factor=1000,
    )


DATES_RR = {
    "utfall_ly": ("Utfall", datetime(2021, 8, 31)),
    "utfall": ("Utfall", datetime(2022, 8, 31)),
    "budget": ("Budget", datetime(2022, 8, 31)),
    "budgetavvikelse": ("Avvikelse", datetime(2022, 8, 31)),
    "arsbudget": ("Budget", 2022),
    "arsprognos": ("Prognos", 2022),
    "avvikelse_arsprognos": ("Avvikelse prognos", 2022),
}
DATES_DR = {k: v for k, v in DATES_RR.items() if k != "utfall_ly"}


@corpus(BUN_FLAT, DATES_RR, DATES_DR, "mnkr")
def two_row_excel_dates(path):
    """Hand-made Excel, two header rows: measure above, a real Excel date (or the year) below."""
    return two_sheets(
        path,
        BUN_FLAT,
        DATES_RR,
        DATES_DR,
        rr_above=title("Resultaträkning", "Mnkr"),
        dr_above=title("Driftredovisning", "Mnkr"),
    )


MERGED = {
    "utfall_ly": ("Utfall", "jan–aug 2021"),
    "utfall": ("Utfall", "jan–aug 2022"),
    "budget": ("Budget", "jan–aug 2022"),
    "arsbudget": ("Budget", "helår 2022"),
    "arsprognos": ("Prognos", "helår 2022"),
    "budgetavvikelse": ("Avvikelse", "jan–aug 2022"),
    "avvikelse_arsprognos": ("Avvikelse", "helår 2022"),
}
MERGED_DR = {k: v for k, v in MERGED.items() if k != "utfall_ly"}


@corpus(BUN_FLAT, MERGED, MERGED_DR, "tkr")
def stratsys_merged_measure_cells(path):
    """Stratsys-rapport: 'Utfall' merged over two period columns, 'Tkr' merged over both rows."""
    return two_sheets(
        path,
        BUN_FLAT,
        MERGED,
        MERGED_DR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="Tkr",
        merge=True,
    )


JUNE_TWO = {
    "utfall": ("Utfall", "jan–jun 2023"),
    "budget": ("Budget", "jan–jun 2023"),
    "budgetavvikelse": ("Avvikelse", "jan–jun 2023"),
    "arsbudget": ("Årsbudget", 2023),
    "arsprognos": ("Årsprognos", 2023),
    "avvikelse_arsprognos": ("Prognosavvikelse", 2023),
}


@corpus(f.TN, JUNE_TWO, JUNE_TWO, "mnkr")
def hypergene_two_row_june(path):
    """Hypergene, two header rows with 'jan–jun 2023' or the year 2023 below the measure; June."""
    return two_sheets(
        path,
        f.TN,
        JUNE_TWO,
        JUNE_TWO,
        rr_above=title("Tekniska nämnden – resultaträkning", "Belopp i mnkr"),
        dr_above=title("Tekniska nämnden – driftredovisning", "Belopp i mnkr"),
    )


YEAR_END_RR = headers(
    "utfall_ly utfall arsbudget budgetavvikelse",
    "Utfall 2021",
    "Utfall 2022",
    "Budget 2022",
    "Avvikelse",
)
YEAR_END_DR = headers("utfall arsbudget budgetavvikelse", "Utfall 2022", "Budget 2022", "Avvikelse")


@corpus(f.SN, YEAR_END_RR, YEAR_END_DR, "mnkr")
def year_end_bokslut(path):
    """Årsredovisning (bokslut) December: 'Utfall 2022', 'Budget 2022', 'Avvikelse', no forecast."""
    return two_sheets(
        path,
        f.SN,
        YEAR_END_RR,
        YEAR_END_DR,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


YEAR_END_TKR_RR = headers(
    "utfall_ly utfall arsbudget budgetavvikelse",
    "Redovisat 2021",
    "Redovisat 2022",
    "Budget 2022",
    "Avvikelse mot budget 2022",
)
YEAR_END_TKR_DR = headers(
    "utfall arsbudget budgetavvikelse", "Redovisat 2022", "Budget 2022", "Avvikelse mot budget 2022"
)


@corpus(f.SN, YEAR_END_TKR_RR, YEAR_END_TKR_DR, "tkr")
def year_end_redovisat_tkr(path):
    """Verksamhetsberättelse from Hypergene: 'Redovisat 2022', 'Budget 2022', 'Tkr' label header."""
    return two_sheets(
        path,
        f.SN,
        YEAR_END_TKR_RR,
        YEAR_END_TKR_DR,
        rr_above=title("Socialnämnden, årsredovisning 2022"),
        dr_above=title("Socialnämnden, driftredovisning 2022"),
        factor=1000,
        label_header="Tkr",
    )


TRIPLE = headers(
    M6,
    "Utfall jan–mar 2023",
    "Budget jan–mar 2023",
    "Budgetavvikelse",
    "Årsbudget 2023",
    "Årsprognos",
    "Avvikelse årsprognos",
)


@corpus(f.MSN, TRIPLE, TRIPLE, "mnkr")
def same_figures_mnkr(path):
    """Hand-made Excel in mnkr, cells unrounded (12,345) and shown with one decimal."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        number_format="0.0",
    )


@corpus(f.MSN, TRIPLE, TRIPLE, "tkr")
def same_figures_tkr(path):
    """Unit4/Agresso-export of the same figures in tkr: 'Belopp i tkr'."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i tkr"),
        dr_above=title("Driftredovisning", "Belopp i tkr"),
        factor=1000,
    )


@corpus(f.MSN, TRIPLE, TRIPLE, "kr")
def same_figures_kr(path):
    """Visma-export of the same figures in whole kronor: 'Belopp i kr'."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i kr"),
        dr_above=title("Driftredovisning", "Belopp i kr"),
        factor=1_000_000,
    )


TKR_TEXT_RR = headers(
    KS_RR,
    "Utfall tkr 2021-03",
    "Utfall tkr 2022-03",
    "Budget tkr 2022-03",
    "Avvikelse tkr 2022-03",
    "Årsprognos tkr",
    "Avvikelse årsprognos tkr",
)
TKR_TEXT_DR = headers(
    KS_DR,
    "Avvikelse tkr 2021-03",
    "Avvikelse tkr 2022-03",
    "Budget tkr 2022",
    "Avv. årsprognos tkr",
)


@corpus(f.KS, TKR_TEXT_RR, TKR_TEXT_DR, "tkr")
def unit_in_header_text(path):
    """Economist's Excel with the unit in every header: 'Utfall tkr 2022-03'; no unit row."""
    return two_sheets(
        path,
        f.KS,
        TKR_TEXT_RR,
        TKR_TEXT_DR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
    )


KR_TITLE = headers(
    M6,
    "Utfall jan-aug 2022",
    "Budget jan-aug 2022",
    "Budgetavvikelse",
    "Årsbudget",
    "Årsprognos",
    "Avvikelse årsprognos",
)


@corpus(BUN_FLAT, KR_TITLE, KR_TITLE, "kr")
def kronor_in_title_row(path):
    """Finance-system export in kronor, the unit in the title: '..., belopp i kr'."""
    return two_sheets(
        path,
        BUN_FLAT,
        KR_TITLE,
        KR_TITLE,
        rr_above=title("Barn- och utbildningsnämnden, resultaträkning, belopp i kr"),
        dr_above=title("Barn- och utbildningsnämnden, driftredovisning, belopp i kr"),
        factor=1_000_000,
    )


PERCENT = {
    "utfall": "Utfall jan-aug 2022",
    "budget": "Budget jan-aug 2022",
    "%utfall": "Utfall i % av budget",
    "budgetavvikelse": "Budgetavvikelse",
    "%avvikelse": "Avvikelse %",
    "arsbudget": "Årsbudget 2022",
    "arsprognos": "Årsprognos",
    "avvikelse_arsprognos": "Avvikelse årsprognos",
}


@corpus(BUN_FLAT, PERCENT, PERCENT, "mnkr")
def percentage_columns(path):
    """Controller's Excel with 'Utfall i % av budget' and 'Avvikelse %' beside the amounts."""
    return two_sheets(
        path,
        BUN_FLAT,
        PERCENT,
        PERCENT,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


NOISY_RR = headers(
    M6,
    "ACK. UTFALL  JAN-AUG 2022",
    "budget  ack.  jan-aug 2022",
    "AVV.  MOT BUDGET",
    " årsbudget  2022 ",
    "PROGNOS   HELÅR",
    "avv.prognos helår",
)


@corpus(BUN_FLAT, NOISY_RR, NOISY_RR, "mnkr")
def case_dots_and_spaces(path):
    """Typed by hand in a hurry: capitals, double spaces, 'Avv.prognos' without a space, MNKR."""
    return two_sheets(
        path,
        BUN_FLAT,
        NOISY_RR,
        NOISY_RR,
        rr_above=title("RESULTATRÄKNING", "MNKR"),
        dr_above=title("DRIFTREDOVISNING", "MNKR"),
    )


MOT_RR = headers(
    KS_RR,
    "Utfall Mar 2021",
    "Utfall Mar 2022",
    "Budget Mar 2022",
    "Avvikelse mot budget Mar 2022",
    "Helårsprognos mars",
    "Avvikelse prognos mot årsbudget",
)
MOT_DR = headers(
    KS_DR,
    "Avvikelse mot budget Mar 2021",
    "Avvikelse mot budget Mar 2022",
    "Helårsbudget 2022",
    "Avvikelse prognos mot årsbudget",
)


@corpus(f.KS, MOT_RR, MOT_DR, "mnkr")
def mot_budget_wording(path):
    """Economist's Excel with 'Avvikelse mot budget', 'Avvikelse prognos mot årsbudget'."""
    return two_sheets(
        path,
        f.KS,
        MOT_RR,
        MOT_DR,
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
    )


BUDGET_AR = headers(
    M6,
    "Utfall 2022-08",
    "Budget 2022-08",
    "Budgetavvikelse 2022-08",
    "Budget år",
    "Prognos aug 2022",
    "Prognosavvikelse aug 2022",
)


@corpus(BUN_FLAT, BUDGET_AR, BUDGET_AR, "mnkr")
def separate_unit_cell(path):
    """Hand-made Excel: a unit row holding only 'Mnkr' in column F, 'Budget år' for the year."""
    return two_sheets(
        path,
        BUN_FLAT,
        BUDGET_AR,
        BUDGET_AR,
        rr_above=(["Resultaträkning"], [None, None, None, None, None, "Mnkr"]),
        dr_above=(["Driftredovisning"], [None, None, None, None, None, "Mnkr"]),
    )


TN_JUNE = headers(
    M6,
    "Utfall jan–jun 2023",
    "Budget jan–jun 2023",
    "Budgetavvikelse jan–jun 2023",
    "Årsbudget 2023",
    "Årsprognos juni 2023",
    "Avvikelse årsprognos juni 2023",
)


@corpus(f.TN, TN_JUNE, TN_JUNE, "mnkr")
def june_finansiella_poster(path):
    """Hand-made Excel for June with avskrivningar and finansiella poster in the RR."""
    return two_sheets(
        path,
        f.TN,
        TN_JUNE,
        TN_JUNE,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


# ============================================================================================
# Issue 11: table shapes. Groups, subtotals, sum words, RR shapes, codes, blanks, sheets.

GROUPED = headers(
    M6,
    "Utfall jan–aug 2022",
    "Budget jan–aug 2022",
    "Budgetavvikelse",
    "Årsbudget 2022",
    "Årsprognos",
    "Avvikelse årsprognos",
)


@corpus(f.BUN, GROUPED, GROUPED, "mnkr")
def groups_with_headings(path):
    """Hypergene: group heading rows above their units, 'Summa Grundskola', units outside groups."""
    return two_sheets(
        path,
        f.BUN,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        label_header="Verksamhet",
    )


BUN_NO_HEADINGS = f.without_headings(f.BUN)


@corpus(BUN_NO_HEADINGS, RAINDANCE_RR, RAINDANCE_RR, "tkr")
def groups_by_subtotals_only(path):
    """Raindance: groups known only by their subtotals 'Summa Förskola', no heading rows; tkr."""
    return two_sheets(
        path,
        BUN_NO_HEADINGS,
        RAINDANCE_RR,
        RAINDANCE_RR,
        rr_above=title("Resultaträkning", "Tkr"),
        dr_above=title("Driftredovisning", "Tkr"),
        factor=1000,
    )


BUN_NESTED = f.nested_bun()


@corpus(BUN_NESTED, GROUPED, GROUPED, "mnkr")
def nested_groups(path):
    """Stratsys: Grundskola and Gymnasium nested inside Utbildning, each with its subtotal."""
    return two_sheets(
        path,
        BUN_NESTED,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


TITLE_BUN = "Barn- och utbildningsnämnden, delårsrapport 2 2022"
BUN_TOTALT_FIRST = f.total_first(f.renamed(f.BUN, {"Summa Barn- och utbildningsnämnden": "Totalt"}))


@corpus(BUN_TOTALT_FIRST, GROUPED, GROUPED, "mnkr")
def totalt_first_board_in_title(path):
    """Power BI matrix: 'Totalt' at the top, the board named only in the title row."""
    return two_sheets(
        path,
        BUN_TOTALT_FIRST,
        GROUPED,
        GROUPED,
        rr_above=title(TITLE_BUN, "Belopp i mnkr"),
        dr_above=title(TITLE_BUN, "Belopp i mnkr"),
    )


BUN_TOTALT_LAST = f.renamed(BUN_FLAT, {"Summa Barn- och utbildningsnämnden": "Totalt"})


@corpus(BUN_TOTALT_LAST, GROUPED, GROUPED, "mnkr")
def totalt_last_board_in_title(path):
    """Qlik export: 'Totalt' as the last row, the board named in the title row only."""
    return two_sheets(
        path,
        BUN_TOTALT_LAST,
        GROUPED,
        GROUPED,
        names=("RR", "Drift"),
        rr_above=title(TITLE_BUN, "mnkr"),
        dr_above=title(TITLE_BUN, "mnkr"),
    )


BUN_SA = f.renamed(
    f.BUN,
    {
        "Summa Förskola": "S:a Förskola",
        "Summa Grundskola": "S:a Grundskola",
        "Summa Gymnasium": "S:a Gymnasium",
        "Summa Barn- och utbildningsnämnden": "S:a Barn- och utbildningsnämnden",
    },
)


@corpus(BUN_SA, VISMA_RR, VISMA_RR, "tkr")
def sa_sum_words(path):
    """Visma-rapport with abbreviated sums: 'S:a Förskola', 'S:a Barn- och utbildningsnämnden'."""
    return two_sheets(
        path,
        BUN_SA,
        VISMA_RR,
        VISMA_RR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="(tkr)",
    )


BUN_TOTAL = f.renamed(
    BUN_NO_HEADINGS,
    {
        "Summa Förskola": "Total Förskola",
        "Summa Grundskola": "Total Grundskola",
        "Summa Gymnasium": "Total Gymnasium",
        "Summa Barn- och utbildningsnämnden": "Total Barn- och utbildningsnämnden",
    },
)


@corpus(BUN_TOTAL, UNIT4_RR, UNIT4_DR, "tkr")
def total_sum_words(path):
    """Unit4/Agresso with 'Total Förskola' subtotals and 'Total Barn- och utbildningsnämnden'."""
    return two_sheets(
        path,
        BUN_TOTAL,
        UNIT4_RR,
        UNIT4_DR,
        rr_above=title("Resultaträkning, belopp i tkr"),
        dr_above=title("Driftredovisning, belopp i tkr"),
        factor=1000,
    )


BUN_PIVOT = f.renamed(
    BUN_NO_HEADINGS,
    {
        "Summa Förskola": "Förskola Summa",
        "Summa Grundskola": "Grundskola Summa",
        "Summa Gymnasium": "Gymnasium Summa",
        "Summa Barn- och utbildningsnämnden": "Totalsumma",
    },
)


@corpus(BUN_PIVOT, GROUPED, GROUPED, "mnkr")
def excel_pivot_table(path):
    """Swedish Excel pivot table pasted as values: 'Förskola Summa' subtotals, 'Totalsumma'."""
    return two_sheets(
        path,
        BUN_PIVOT,
        GROUPED,
        GROUPED,
        rr_above=title(TITLE_BUN, "Belopp i mnkr"),
        dr_above=title(TITLE_BUN, "Belopp i mnkr"),
        label_header="Radetiketter",
    )


@corpus(f.KS, SOURCE_RR, SOURCE_DR, "mnkr")
def sheets_rr_and_drift(path):
    """Source document's shape on sheets named 'RR' and 'Drift'."""
    return two_sheets(
        path,
        f.KS,
        SOURCE_RR,
        SOURCE_DR,
        names=("RR", "Drift"),
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


@corpus(f.KS, ISO_RR, ISO_DR, "mnkr")
def sheets_long_names(path):
    """Sheets named 'Resultaträkning KS' and 'Driftredovisning per verksamhet'."""
    return two_sheets(
        path,
        f.KS,
        ISO_RR,
        ISO_DR,
        names=("Resultaträkning KS", "Driftredovisning per verksamhet"),
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
    )


@corpus(f.KFN, KFN_RR, KFN_DR, "mnkr")
def sheets_lower_case_namndens(path):
    """Sheets named 'resultaträkning' (lower case) and 'Nämndens driftredovisning'."""
    return two_sheets(
        path,
        f.KFN,
        KFN_RR,
        KFN_DR,
        names=("resultaträkning", "Nämndens driftredovisning"),
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


@corpus(f.TN, TN_JUNE, TN_JUNE, "mnkr")
def sheets_upper_case(path):
    """Sheets named 'RESULTATRÄKNING' and 'DRIFT' in capitals, as an old macro names them."""
    return two_sheets(
        path,
        f.TN,
        TN_JUNE,
        TN_JUNE,
        names=("RESULTATRÄKNING", "DRIFT"),
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
    )


BUN_KOMMUNERSATTNING = f.renamed(
    BUN_FLAT, {"Kommunbidrag": "Kommunersättning", "Årets resultat": "Resultat"}
)
BUN_DRIFTRAM = f.renamed(
    BUN_FLAT, {"Kommunbidrag": "Driftram", "Årets resultat": "Nämndens resultat"}
)
BUN_ANSLAG = f.renamed(
    BUN_FLAT, {"Kommunbidrag": "Anslag", "Årets resultat": "Summa ÅRETS RESULTAT"}
)
BUN_RAM = f.renamed(BUN_FLAT, {"Kommunbidrag": "Ram"})


@corpus(BUN_KOMMUNERSATTNING, GROUPED, GROUPED, "mnkr")
def rr_kommunersattning_resultat(path):
    """RR with 'Verksamhetens nettokostnad', 'Kommunersättning' and a result row 'Resultat'."""
    return two_sheets(
        path,
        BUN_KOMMUNERSATTNING,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


@corpus(BUN_DRIFTRAM, HYPERGENE_RR, HYPERGENE_RR, "tkr")
def rr_driftram_namndens_resultat(path):
    """Hypergene RR with 'Driftram' and 'Nämndens resultat'; tkr in the label header."""
    return two_sheets(
        path,
        BUN_DRIFTRAM,
        HYPERGENE_RR,
        HYPERGENE_RR,
        rr_above=title("Resultaträkning"),
        dr_above=title("Driftredovisning"),
        factor=1000,
        label_header="Belopp, tkr",
    )


@corpus(BUN_ANSLAG, UNIT4_RR, UNIT4_DR, "tkr")
def rr_anslag_summa_arets_resultat(path):
    """Unit4 RR with 'Anslag' as the funding and 'Summa ÅRETS RESULTAT' as the result."""
    return two_sheets(
        path,
        BUN_ANSLAG,
        UNIT4_RR,
        UNIT4_DR,
        rr_above=title("Resultaträkning", "Belopp i tkr"),
        dr_above=title("Driftredovisning", "Belopp i tkr"),
        factor=1000,
    )


@corpus(BUN_RAM, POWERBI_RR, POWERBI_RR, "mnkr")
def rr_ram(path):
    """Power BI RR where the funding line is called only 'Ram'."""
    return two_sheets(
        path,
        BUN_RAM,
        POWERBI_RR,
        POWERBI_RR,
        rr_above=title("Resultaträkning, mnkr"),
        dr_above=title("Driftredovisning, mnkr"),
    )


@corpus(f.TN, TN_JUNE, TN_JUNE, "mnkr", codes=True)
def unit4_ansvar_code_column(path):
    """Unit4/Agresso: an 'Ansvar' column of numbers (1100) before the unit names."""
    return two_sheets(
        path,
        f.TN,
        TN_JUNE,
        TN_JUNE,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning per ansvar", "Belopp i mnkr"),
        code_header="Ansvar",
        label_header="Benämning",
    )


KFN_CODES = f.Figures(
    board=f.KFN.board,
    period=f.KFN.period,
    rr=f.KFN.rr,
    ram=f.KFN.ram,
    dr=f.Table(
        f.KFN.dr.measures,
        tuple(
            replace(r, code=c)
            for r, c in zip(f.KFN.dr.rows, ("KUL", "BIB", "FRI", "IDR", "NÄM", ""), strict=True)
        ),
    ),
)


@corpus(KFN_CODES, JANAUG_RR, JANAUG_DR, "mnkr", codes=True)
def short_verksamhet_codes(path):
    """Hand-made Excel with a 'Kod' column of short letter codes (KUL, BIB) before the names."""
    return two_sheets(
        path,
        KFN_CODES,
        JANAUG_RR,
        JANAUG_DR,
        rr_above=title("Resultaträkning", "mnkr"),
        dr_above=title("Driftredovisning", "mnkr"),
        code_header="Kod",
        label_header="Verksamhet",
    )


TN_QLIK = f.Figures(
    board=f.TN.board,
    period=f.TN.period,
    rr=f.TN.rr,
    ram=f.TN.ram,
    dr=f.Table(
        f.TN.dr.measures,
        tuple(replace(r, code=f"V{r.code}") if r.code else r for r in f.TN.dr.rows),
    ),
)
QLIK = headers(
    M6,
    "Utfall ack. 2023-06",
    "Budget ack. 2023-06",
    "Avvikelse budget",
    "Budget helår",
    "Prognos helår",
    "Avvikelse prognos",
)


@corpus(TN_QLIK, QLIK, QLIK, "tkr", codes=True)
def qlik_blanks_and_codes(path):
    """Qlik Sense export: zeros left blank, a 'Verksamhet' code column (V1100), sheets RR/Drift."""
    return two_sheets(
        path,
        TN_QLIK,
        QLIK,
        QLIK,
        names=("RR", "Drift"),
        rr_above=title("Resultaträkning", "Tkr"),
        dr_above=title("Driftredovisning", "Tkr"),
        factor=1000,
        zero=None,
        code_header="Verksamhet",
        label_header="Verksamhetsnamn",
    )


@corpus(f.TN, TN_JUNE, TN_JUNE, "mnkr")
def powerbi_zero_as_text(path):
    """Power BI copy-paste: zeros written as the text '-0,0' (and '0,0' in the RR)."""
    book = new_book()
    put_table(
        book.create_sheet("Resultaträkning"),
        1,
        f.TN.rr,
        TN_JUNE,
        above=title("Resultaträkning", "mnkr"),
        zero="0,0",
    )
    put_table(
        book.create_sheet("Driftredovisning"),
        1,
        f.TN.dr,
        TN_JUNE,
        above=title("Driftredovisning", "mnkr"),
        zero="-0,0",
    )
    book.save(path)
    return path


@corpus(BUN_FLAT, GROUPED, GROUPED, "mnkr")
def one_sheet_both_tables(path):
    """Economist's one-sheet workbook 'Ekonomi': the RR, three blank rows, then the DR."""
    book = new_book()
    ws = book.create_sheet("Ekonomi")
    row = put_table(ws, 1, BUN_FLAT.rr, GROUPED, above=title("Resultaträkning", "Belopp i mnkr"))
    put_table(
        ws, row + 3, BUN_FLAT.dr, GROUPED, above=title("Driftredovisning"), label_header="Enhet"
    )
    book.save(path)
    return path


KFN_TOTALT = f.renamed(f.KFN, {"Summa Kultur- och fritidsnämnden": "Totalt"})


@corpus(KFN_TOTALT, KFN_RR, KFN_DR, "mnkr")
def one_sheet_title_board(path):
    """One sheet 'Delårsrapport' with both tables, 'Totalt' as total, the board in the title."""
    book = new_book()
    ws = book.create_sheet("Delårsrapport")
    row = put_table(
        ws,
        1,
        KFN_TOTALT.rr,
        KFN_RR,
        above=(
            ["Kultur- och fritidsnämnden, delårsrapport 2 2023"],
            ["Belopp i mnkr"],
            [],
            ["Resultaträkning"],
        ),
    )
    put_table(
        ws, row + 1, KFN_TOTALT.dr, KFN_DR, above=(["Driftredovisning"],), label_header="Enhet"
    )
    book.save(path)
    return path


VON_HEADERS = headers(
    "utfall budget budgetavvikelse arsbudget",
    "Utfall jan–aug 2023",
    "Budget jan–aug 2023",
    "Budgetavvikelse jan–aug 2023",
    "Årsbudget 2023",
)


@corpus(f.VON, VON_HEADERS, VON_HEADERS, "mnkr")
def large_board_nested(path):
    """Stratsys, a large board: 35 units, names up to 59 characters, groups nested two deep."""
    return two_sheets(
        path,
        f.VON,
        VON_HEADERS,
        VON_HEADERS,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning per verksamhet", "Belopp i mnkr"),
        label_header="Verksamhet",
    )


VON_QLIK = headers(
    "utfall budget budgetavvikelse arsbudget",
    "Utfall ack. 2023-08",
    "Budget ack. 2023-08",
    "Avvikelse",
    "Budget helår",
)


@corpus(f.VON, VON_QLIK, VON_QLIK, "tkr", codes=True)
def large_board_qlik_codes_blanks(path):
    """Qlik export of the 35-unit board: 'Ansvar' codes, blank zeros, tkr, sheets RR/Drift."""
    return two_sheets(
        path,
        f.VON,
        VON_QLIK,
        VON_QLIK,
        names=("RR", "Drift"),
        rr_above=title("Vård- och omsorgsnämnden", "Tkr"),
        dr_above=title("Vård- och omsorgsnämnden", "Tkr"),
        factor=1000,
        zero=None,
        code_header="Ansvar",
        label_header="Ansvar namn",
    )


VON_TOTALT_FIRST = f.total_first(
    f.without_headings(f.renamed(f.VON, {"Summa Vård- och omsorgsnämnden": "Totalt"}))
)


@corpus(VON_TOTALT_FIRST, VON_HEADERS, VON_HEADERS, "mnkr")
def large_board_total_first_no_headings(path):
    """Power BI matrix of the 35-unit board: 'Totalt' first, nesting shown only by subtotals."""
    return two_sheets(
        path,
        VON_TOTALT_FIRST,
        VON_HEADERS,
        VON_HEADERS,
        rr_above=title("Vård- och omsorgsnämnden, delårsrapport 2 2023", "mnkr"),
        dr_above=title("Vård- och omsorgsnämnden, delårsrapport 2 2023", "mnkr"),
    )


BUN_CODES = f.Figures(
    board=f.BUN.board,
    period=f.BUN.period,
    rr=f.BUN.rr,
    ram=f.BUN.ram,
    dr=f.Table(
        f.BUN.dr.measures,
        tuple(
            replace(r, code=str(4000 + 10 * i)) if r.kind == "line" else r
            for i, r in enumerate(f.BUN.dr.rows)
        ),
    ),
)


@corpus(BUN_CODES, UNIT4_RR, UNIT4_DR, "tkr", codes=True)
def groups_with_ansvar_codes(path):
    """Unit4/Agresso: groups with headings and subtotals, an 'Ansvar' code on every unit."""
    return two_sheets(
        path,
        BUN_CODES,
        UNIT4_RR,
        UNIT4_DR,
        rr_above=title("Resultaträkning", "Belopp i tkr"),
        dr_above=title("Driftredovisning", "Belopp i tkr"),
        factor=1000,
        code_header="Ansvar",
        label_header="Ansvar (T)",
    )


GROUPED_PCT = {**GROUPED, "%avvikelse": "Avvikelse %"}


@corpus(f.BUN, GROUPED_PCT, GROUPED_PCT, "mnkr")
def groups_percent_and_comments(path):
    """Controller's Excel: groups, an 'Avvikelse %' column and a 'Kommentar' column at the end."""
    comments = {
        "Skogsängsskolan": "Fler elever än budgeterat",
        "Vuxenutbildningen": "Statsbidrag lägre än väntat",
    }
    return two_sheets(
        path,
        f.BUN,
        GROUPED_PCT,
        GROUPED_PCT,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        comments=comments,
    )


# ============================================================================================
# Inconsistent versions: `klk check` must exit 1 and name the row (and its group).

BAD_SIGN = f.with_value(f.BUN, "dr", "Förskoleområde Söder", budgetavvikelse=1.3)


@corpus(BAD_SIGN, GROUPED, GROUPED, "mnkr", errors=("Förskoleområde Söder", "Förskola"))
def bad_lost_sign_in_group(path):
    """Hypergene, grouped: 'Förskoleområde Söder' budgetavvikelse 1,3 where −1,3 belongs."""
    return two_sheets(
        path,
        BAD_SIGN,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


BAD_SUBTOTAL = f.with_value(f.BUN, "dr", "Summa Grundskola", utfall=-832.1)


@corpus(BAD_SUBTOTAL, GROUPED, GROUPED, "mnkr", errors=("Summa Grundskola",))
def bad_subtotal_typed_wrong(path):
    """Grouped DR where 'Summa Grundskola' utfall is typed −832,1 instead of −822,1."""
    return two_sheets(
        path,
        BAD_SUBTOTAL,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


BAD_TOTAL = f.with_value(f.BUN, "dr", "Summa Barn- och utbildningsnämnden", budget=-1745.0)


@corpus(BAD_TOTAL, GROUPED, GROUPED, "mnkr", errors=("Summa Barn- och utbildningsnämnden",))
def bad_grand_total(path):
    """Grouped DR whose group totals are right but whose grand total budget is −1 745,0."""
    return two_sheets(
        path,
        BAD_TOTAL,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


BAD_RESULT = f.with_value(BUN_FLAT, "rr", "Årets resultat", utfall=-16.5, budgetavvikelse=-9.8)


@corpus(BAD_RESULT, GROUPED, GROUPED, "mnkr", errors=("Årets resultat",))
def bad_kommunbidrag_result(path):
    """Kommunbidrag-shape RR whose 'Årets resultat' (−16,5) is not nettokostnad + kommunbidrag."""
    return two_sheets(
        path,
        BAD_RESULT,
        GROUPED,
        GROUPED,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )


@corpus(f.MSN, TRIPLE, TRIPLE, "mnkr", written="tkr", errors=("1 000",), absent=("1 000 000",))
def bad_tkr_labelled_mnkr(path):
    """Unit4 export in tkr under a unit row that still says 'Belopp i mnkr'."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        factor=1000,
    )


@corpus(f.MSN, TRIPLE, TRIPLE, "tkr", written="kr", errors=("1 000",))
def bad_kronor_labelled_tkr(path):
    """Visma export in whole kronor under 'Belopp i tkr'."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i tkr"),
        dr_above=title("Driftredovisning", "Belopp i tkr"),
        factor=1_000_000,
    )


@corpus(f.MSN, TRIPLE, TRIPLE, "mnkr", written="kr", errors=("1 000 000",))
def bad_kronor_labelled_mnkr(path):
    """Visma export in whole kronor under 'Belopp i mnkr': must be told 1 000 000, not 1 000."""
    return two_sheets(
        path,
        f.MSN,
        TRIPLE,
        TRIPLE,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
        factor=1_000_000,
    )


BAD_NESTED = f.with_value(f.VON, "dr", "Vård- och omsorgsboendet Björkhagen", budgetavvikelse=1.0)


@corpus(
    BAD_NESTED,
    VON_HEADERS,
    VON_HEADERS,
    "mnkr",
    errors=("Vård- och omsorgsboendet Björkhagen", "Särskilt boende"),
)
def bad_lost_sign_nested_large_board(path):
    """The 35-unit board, a lost minus sign in a nested group (Äldreomsorg > Särskilt boende)."""
    return two_sheets(
        path,
        BAD_NESTED,
        VON_HEADERS,
        VON_HEADERS,
        rr_above=title("Resultaträkning", "Belopp i mnkr"),
        dr_above=title("Driftredovisning", "Belopp i mnkr"),
    )
