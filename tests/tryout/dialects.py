"""Build trial workbooks for klk_analysis in dialects not in tests/corpus/README.md.

Run: /work/main/.venv/bin/python /work/tryout/make.py   -> /work/tryout/books/*.xlsx
and /work/tryout/books/expected.json (what each book should be read as).

One board, Socialnämnden, delårsrapport 2 (2023-08); all figures in mnkr below, typed by hand.
Checks (by hand, and asserted in _selfcheck):
  deviations = utfall - budget; avvikelse prognos = prognos - årsbudget;
  DR total = RR nettokostnad; DR årsbudget total -380 = -kommunbidrag 380 + budgeted result 0.
"""

import json
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

OUT = Path(__file__).parent / "books"
M = (
    "u",
    "b",
    "a",
    "ab",
    "p",
    "ap",
)  # utfall, budget t.o.m., budgetavv, årsbudget, prognos, avv prognos

# ---- figures (mnkr) ------------------------------------------------------------------------
U = {
    "Nämnd och förvaltning": (-10.0, -10.5, 0.5, -16.0, -15.5, 0.5),
    "Öppenvård barn och unga": (-20.0, -18.0, -2.0, -27.0, -30.0, -3.0),
    "Placeringar barn och unga": (-35.0, -30.0, -5.0, -45.0, -52.0, -7.0),
    "Missbruksvård vuxna": (-15.0, -14.0, -1.0, -21.0, -22.5, -1.5),
    "Ekonomiskt bistånd": (-30.0, -31.0, 1.0, -46.0, -45.0, 1.0),
    "LSS-boenden": (-90.0, -88.0, -2.0, -133.0, -136.0, -3.0),
    "Personlig assistans": (-60.0, -60.5, 0.5, -92.0, -91.0, 1.0),
}
G_BARN = (-55.0, -48.0, -7.0, -72.0, -82.0, -10.0)
G_VUXNA = (-45.0, -45.0, 0.0, -67.0, -67.5, -0.5)
G_IFO = (-100.0, -93.0, -7.0, -139.0, -149.5, -10.5)
G_FS = (-150.0, -148.5, -1.5, -225.0, -227.0, -2.0)
TOTAL = (-260.0, -252.0, -8.0, -380.0, -392.0, -12.0)

RR = {
    "Avgifter": (8.0, 7.5, 0.5, 11.0, 11.5, 0.5),
    "Bidrag": (22.0, 20.5, 1.5, 31.0, 33.0, 2.0),
    "varav statsbidrag": (15.0, 14.0, 1.0, 21.0, 22.0, 1.0),
    "Övriga intäkter": (10.0, 10.0, 0.0, 15.0, 15.5, 0.5),
    "Intäkter": (40.0, 38.0, 2.0, 57.0, 60.0, 3.0),
    "Personalkostnader": (-180.0, -175.0, -5.0, -262.0, -270.0, -8.0),
    "varav övertid": (-6.0, -4.0, -2.0, -6.0, -9.0, -3.0),
    "Köpt verksamhet": (-80.0, -75.0, -5.0, -115.0, -122.0, -7.0),
    "Lokalkostnader": (-25.0, -25.0, 0.0, -37.0, -37.0, 0.0),
    "Övriga kostnader": (-15.0, -15.0, 0.0, -23.0, -23.0, 0.0),
    "Kostnader": (-300.0, -290.0, -10.0, -437.0, -452.0, -15.0),
    "Nettokostnad": TOTAL,
    "Kommunbidrag": (252.0, 252.0, 0.0, 380.0, 380.0, 0.0),
    "Resultat": (-8.0, 0.0, -8.0, 0.0, -12.0, -12.0),
    "Summa intäkter inkl kommunbidrag": (292.0, 290.0, 2.0, 437.0, 440.0, 3.0),
}


def _selfcheck():
    add = lambda *vs: tuple(round(sum(x), 3) for x in zip(*vs, strict=False))  # noqa: E731
    for v in list(U.values()) + list(RR.values()):
        assert round(v[0] - v[1], 3) == v[2] and round(v[4] - v[3], 3) == v[5], v
    assert add(U["Öppenvård barn och unga"], U["Placeringar barn och unga"]) == G_BARN
    assert add(U["Missbruksvård vuxna"], U["Ekonomiskt bistånd"]) == G_VUXNA
    assert add(G_BARN, G_VUXNA) == G_IFO
    assert add(U["LSS-boenden"], U["Personlig assistans"]) == G_FS
    assert add(U["Nämnd och förvaltning"], G_IFO, G_FS) == TOTAL
    assert add(RR["Avgifter"], RR["Bidrag"], RR["Övriga intäkter"]) == RR["Intäkter"]
    k = [
        RR[x]
        for x in ("Personalkostnader", "Köpt verksamhet", "Lokalkostnader", "Övriga kostnader")
    ]
    assert add(*k) == RR["Kostnader"]
    assert add(RR["Intäkter"], RR["Kostnader"]) == TOTAL
    assert add(TOTAL, RR["Kommunbidrag"]) == RR["Resultat"]
    assert add(RR["Kommunbidrag"], RR["Intäkter"]) == RR["Summa intäkter inkl kommunbidrag"]


# ---- row lists: (label, values or None for a heading, code) --------------------------------
def rr_simple(res="Årets resultat", kb="Kommunbidrag", net="Verksamhetens nettokostnad"):
    return [
        ("Verksamhetens intäkter", RR["Intäkter"], ""),
        ("Verksamhetens kostnader", RR["Kostnader"], ""),
        (net, TOTAL, ""),
        (kb, RR["Kommunbidrag"], ""),
        (res, RR["Resultat"], ""),
    ]


def rr_detail_sum_first(varav="varav statsbidrag", varav2="varav övertid"):
    """'Intäkter' and 'Kostnader' carry their sums ABOVE their sub-lines; varav-rows inside."""
    return [
        ("Intäkter", RR["Intäkter"], ""),
        ("Avgifter", RR["Avgifter"], ""),
        ("Bidrag", RR["Bidrag"], ""),
        (varav, RR["varav statsbidrag"], ""),
        ("Övriga intäkter", RR["Övriga intäkter"], ""),
        ("Kostnader", RR["Kostnader"], ""),
        ("Personalkostnader", RR["Personalkostnader"], ""),
        (varav2, RR["varav övertid"], ""),
        ("Köpt verksamhet", RR["Köpt verksamhet"], ""),
        ("Lokalkostnader", RR["Lokalkostnader"], ""),
        ("Övriga kostnader", RR["Övriga kostnader"], ""),
        ("Nettokostnad", TOTAL, ""),
        ("Kommunbidrag", RR["Kommunbidrag"], ""),
        ("Resultat", RR["Resultat"], ""),
    ]


def rr_detail_sum_after():
    return [
        ("Intäkter", None, ""),
        ("Avgifter", RR["Avgifter"], ""),
        ("Bidrag", RR["Bidrag"], ""),
        ("  därav statsbidrag", RR["varav statsbidrag"], ""),
        ("Övriga intäkter", RR["Övriga intäkter"], ""),
        ("Summa intäkter", RR["Intäkter"], ""),
        ("Kostnader", None, ""),
        ("Personalkostnader", RR["Personalkostnader"], ""),
        ("  därav övertid", RR["varav övertid"], ""),
        ("Köpt verksamhet", RR["Köpt verksamhet"], ""),
        ("Lokalkostnader", RR["Lokalkostnader"], ""),
        ("Övriga kostnader", RR["Övriga kostnader"], ""),
        ("Summa kostnader", RR["Kostnader"], ""),
        ("Nettokostnad", TOTAL, ""),
        ("Kommunbidrag", RR["Kommunbidrag"], ""),
        ("Resultat", RR["Resultat"], ""),
    ]


def rr_source_shape():
    return [
        ("Kommunbidrag", RR["Kommunbidrag"], ""),
        ("Övriga intäkter", RR["Intäkter"], ""),
        ("Summa intäkter", RR["Summa intäkter inkl kommunbidrag"], ""),
        ("Personalkostnader", RR["Personalkostnader"], ""),
        ("Köpt verksamhet", RR["Köpt verksamhet"], ""),
        ("Lokalkostnader", RR["Lokalkostnader"], ""),
        ("Övriga kostnader", RR["Övriga kostnader"], ""),
        ("Summa kostnader", RR["Kostnader"], ""),
        ("Årets resultat", RR["Resultat"], ""),
    ]


UNITS = list(U)
CODES_DOT = ["1", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "3.1", "3.2"]
CODES_HYPHEN = ["10-100", "10-211", "10-212", "10-221", "10-222", "10-310", "10-320"]
CODES_ALNUM = ["A10", "A12", "A13", "A15", "A16", "B20", "B21"]


def dr_flat(total="Summa Socialnämnden", codes=None):
    rows = [(u, U[u], codes[i] if codes else "") for i, u in enumerate(UNITS)]
    return [*rows, (total, TOTAL, "")]


def dr_nested(total="Summa Socialnämnden", codes=None, sumword="Summa"):
    """Three levels: IFO > Barn och unga / Vuxna > units; heading rows and 'Summa' rows."""
    c = codes or [""] * 7
    return [
        (UNITS[0], U[UNITS[0]], c[0]),
        ("Individ- och familjeomsorg", None, ""),
        ("Barn och unga", None, ""),
        (UNITS[1], U[UNITS[1]], c[1]),
        (UNITS[2], U[UNITS[2]], c[2]),
        (f"{sumword} Barn och unga", G_BARN, ""),
        ("Vuxna", None, ""),
        (UNITS[3], U[UNITS[3]], c[3]),
        (UNITS[4], U[UNITS[4]], c[4]),
        (f"{sumword} Vuxna", G_VUXNA, ""),
        (f"{sumword} Individ- och familjeomsorg", G_IFO, ""),
        ("Funktionsstöd", None, ""),
        (UNITS[5], U[UNITS[5]], c[5]),
        (UNITS[6], U[UNITS[6]], c[6]),
        (f"{sumword} Funktionsstöd", G_FS, ""),
        (total, TOTAL, ""),
    ]


def dr_totals_first(total="Socialnämnden"):
    """Power BI / Hypergene tree: every group row carries its own totals, first; no 'Summa'."""
    return [
        (total, TOTAL, ""),
        (UNITS[0], U[UNITS[0]], ""),
        ("Individ- och familjeomsorg", G_IFO, ""),
        ("Barn och unga", G_BARN, ""),
        (UNITS[1], U[UNITS[1]], ""),
        (UNITS[2], U[UNITS[2]], ""),
        ("Vuxna", G_VUXNA, ""),
        (UNITS[3], U[UNITS[3]], ""),
        (UNITS[4], U[UNITS[4]], ""),
        ("Funktionsstöd", G_FS, ""),
        (UNITS[5], U[UNITS[5]], ""),
        (UNITS[6], U[UNITS[6]], ""),
    ]


# ---- number writers ------------------------------------------------------------------------
FACT = {"mnkr": 1, "tkr": 1000, "kr": 1_000_000}


def num(unit):
    f = FACT[unit]
    return lambda v: v if f == 1 else round(v * f)


def sv_text(v, neg="paren", sep=" "):
    """Swedish text amount: thousands separated, negatives '(1 234)' or with U+2212."""
    s = (
        f"{abs(v):,.0f}".replace(",", sep)
        if float(v).is_integer()
        else f"{abs(v):,.1f}".replace(",", sep).replace(".", ",")
    )
    if v < 0:
        return f"({s})" if neg == "paren" else "\u2212" + s
    return s


# ---- the table writer ----------------------------------------------------------------------
def put(
    ws,
    r0,
    rows,
    headers,
    *,
    conv,
    label_header=None,
    code_header=None,
    above=(),
    colnumbers=False,
    blanks_after=(),
    notes=(),
    percent=None,
    upper=None,
    merge_upper=(),
    start_col=1,
    bold_sums=False,
):
    """Write a table at r0; headers: list of (measure key, text). Return the next free row.

    upper: a list of texts for a row ABOVE the header row (period row above measures);
    merge_upper: (first, last) measure-index ranges to merge in that upper row.
    percent: (header text, function(values)->fraction) for an extra '%' column at the end.
    """
    r = r0
    for line in above:
        for i, v in enumerate(line):
            ws.cell(r, start_col + i, v)
        r += 1
    has_code = code_header is not None or any(c for _, _, c in rows)
    lc = start_col + (1 if has_code else 0)  # label column
    fc = lc + 1  # first amount column
    if upper:
        for i, t in enumerate(upper):
            ws.cell(r, fc + i, t)
        for a, b in merge_upper:
            ws.merge_cells(start_row=r, start_column=fc + a, end_row=r, end_column=fc + b)
        r += 1
    if code_header:
        ws.cell(r, start_col, code_header)
    if label_header:
        ws.cell(r, lc, label_header)
    for i, (_, text) in enumerate(headers):
        ws.cell(r, fc + i, text)
    if percent:
        ws.cell(r, fc + len(headers), percent[0])
    r += 1
    if colnumbers:
        n = len(headers) + 1 + (1 if percent else 0) + (1 if has_code else 0)
        for i in range(n):
            ws.cell(r, start_col + i, i + 1)
        r += 1
    for label, vals, code in rows:
        if code:
            ws.cell(r, start_col, int(code) if code.isdigit() else code)
        ws.cell(r, lc, label)
        if vals is not None:
            d = dict(zip(M, vals, strict=False))
            for i, (key, _) in enumerate(headers):
                if key is None:
                    continue
                ws.cell(r, fc + i, conv(d[key]))
            if percent:
                p = percent[1](d)
                if p is not None:
                    c = ws.cell(r, fc + len(headers), p)
                    c.number_format = "0%"
            if bold_sums and (
                label.lower().startswith(("summa", "total")) or label in ("Resultat",)
            ):
                ws.cell(r, lc).font = Font(bold=True)
        r += 1
        if label in blanks_after:
            r += 1
    for n in notes:
        ws.cell(r, lc, n)
        r += 1
    return r


def book():
    b = openpyxl.Workbook()
    b.remove(b.active)
    return b


EXP = {}


def reg(
    name,
    dialect,
    *,
    board="Socialnämnden",
    period="2023-08",
    unit,
    exit_code=0,
    note="",
    rr_rows=None,
    dr_rows=None,
):
    EXP[name] = dict(
        dialect=dialect,
        board=board,
        period=period,
        unit=unit,
        exit=exit_code,
        note=note,
        rr=[[r[0], r[1]] for r in rr_rows or []],
        dr=[[r[0], r[1]] for r in dr_rows or []],
    )


STD = [
    ("u", "Utfall jan–aug 2023"),
    ("b", "Budget jan–aug 2023"),
    ("a", "Budgetavvikelse"),
    ("ab", "Årsbudget 2023"),
    ("p", "Årsprognos 2023"),
    ("ap", "Avvikelse årsprognos"),
]


def two_sheets(
    name,
    rr_rows,
    dr_rows,
    headers,
    *,
    unit,
    names=("Resultaträkning", "Driftredovisning"),
    dr_headers=None,
    rr_kw=None,
    dr_kw=None,
    conv=None,
    **kw,
):
    b = book()
    conv = conv or num(unit)
    put(b.create_sheet(names[0]), 1, rr_rows, headers, conv=conv, **{**kw, **(rr_kw or {})})
    put(
        b.create_sheet(names[1]),
        1,
        dr_rows,
        dr_headers or headers,
        conv=conv,
        **{**kw, **(dr_kw or {})},
    )
    b.save(OUT / name)
    return b


def main():
    _selfcheck()
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.xlsx"):
        p.unlink()
    T = "Socialnämnden, delårsrapport 2 2023"

    # 01 ---------------------------------------------------------------------------------
    h = [
        ("u", "Utfall ackumulerat t o m augusti 2023"),
        ("b", "Budget ackumulerad t o m augusti 2023"),
        ("a", "Avvikelse budget-utfall"),
        ("ab", "Årsbudget (tkr)"),
        ("p", "Prognos helår 2023, tkr"),
        ("ap", "Avvikelse prognos-årsbudget"),
    ]
    rr, dr = rr_simple(), dr_flat()
    two_sheets("w01_ack_tom_augusti_tkr.xlsx", rr, dr, h, unit="tkr", above=[[T]])
    reg(
        "w01_ack_tom_augusti_tkr.xlsx",
        "'Utfall ackumulerat t o m augusti 2023', 'Årsbudget (tkr)', "
        "'Prognos helår 2023, tkr', 'Avvikelse budget-utfall'",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 02 ---------------------------------------------------------------------------------
    h = [
        ("u", "Bokfört utfall 2023-01--2023-08"),
        ("b", "Budget 2023-01--2023-08"),
        ("a", "Avvikelse"),
        ("ab", "Årsbudget 2023"),
        ("p", "Helårsprognos T2"),
        ("ap", "Avvikelse helårsprognos"),
    ]
    two_sheets(
        "w02_bokfort_iso_range_tusentals.xlsx",
        rr,
        dr,
        h,
        unit="tkr",
        above=[[T], ["Belopp i tusentals kronor"]],
    )
    reg(
        "w02_bokfort_iso_range_tusentals.xlsx",
        "'Bokfört utfall 2023-01--2023-08', 'Helårsprognos T2', 'Belopp i tusentals kronor'",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 03 ---------------------------------------------------------------------------------
    h = [
        ("u", "Actual YTD Aug-23"),
        ("b", "Budget YTD Aug-23"),
        ("a", "Variance YTD"),
        ("ab", "Budget FY23"),
        ("p", "Forecast FY23"),
        ("ap", "Forecast variance"),
    ]
    two_sheets(
        "w03_english_aug23_fy23.xlsx",
        rr,
        dr,
        h,
        unit="tkr",
        label_header="TSEK",
        names=("Income statement", "Operating budget"),
    )
    reg(
        "w03_english_aug23_fy23.xlsx",
        "English ERP: 'Actual YTD Aug-23', 'Budget FY23', 'Forecast FY23', "
        "TSEK label header, English sheet names",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 04 ---------------------------------------------------------------------------------
    rr = rr_detail_sum_first()
    two_sheets(
        "w04_rr_sums_first_varav.xlsx", rr, dr_flat(), STD, unit="mnkr", above=[[T], ["Mnkr"]]
    )
    reg(
        "w04_rr_sums_first_varav.xlsx",
        "RR: 'Intäkter'/'Kostnader' carry their sums ABOVE sub-lines, "
        "'varav' rows, then 'Nettokostnad','Kommunbidrag','Resultat'",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr_flat(),
    )

    # 05 ---------------------------------------------------------------------------------
    rr, dr = rr_detail_sum_after(), dr_nested()
    two_sheets(
        "w05_dr_three_levels_headings.xlsx",
        rr,
        dr,
        STD,
        unit="mnkr",
        above=[[T], ["Belopp i mnkr"]],
    )
    reg(
        "w05_dr_three_levels_headings.xlsx",
        "RR with heading 'Intäkter', sub-lines, '  därav' rows, 'Summa intäkter'; "
        "DR nested 3 levels with headings and Summa rows",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 06 ---------------------------------------------------------------------------------
    dr = dr_nested(codes=CODES_DOT)
    two_sheets(
        "w06_codes_dotted.xlsx",
        rr_simple(),
        dr,
        STD,
        unit="mnkr",
        above=[[T]],
        dr_kw=dict(code_header="Nr", label_header="Verksamhet"),
    )
    reg(
        "w06_codes_dotted.xlsx",
        "DR with 'Nr' column of dotted codes '1', '2.1.1' (text), nested",
        unit="mnkr",
        rr_rows=rr_simple(),
        dr_rows=dr,
        note="codes 2.1.1 etc",
    )

    # 07 ---------------------------------------------------------------------------------
    dr = dr_nested(codes=CODES_HYPHEN)
    two_sheets(
        "w07_codes_hyphen_ansvar.xlsx",
        rr_simple(),
        dr,
        STD,
        unit="tkr",
        above=[[T], ["Tkr"]],
        dr_kw=dict(code_header="Ansvar", label_header="Benämning"),
    )
    reg(
        "w07_codes_hyphen_ansvar.xlsx",
        "DR 'Ansvar' codes '10-211', label header 'Benämning', tkr",
        unit="tkr",
        rr_rows=rr_simple(),
        dr_rows=dr,
    )

    # 08 ---------------------------------------------------------------------------------
    dr = dr_flat(codes=CODES_ALNUM)
    two_sheets("w08_codes_alnum_no_header.xlsx", rr_simple(), dr, STD, unit="mnkr", above=[[T]])
    reg(
        "w08_codes_alnum_no_header.xlsx",
        "DR codes 'A12' with no code header",
        unit="mnkr",
        rr_rows=rr_simple(),
        dr_rows=dr,
    )

    # 09 ---------------------------------------------------------------------------------
    rr, dr = rr_detail_sum_after(), dr_nested()
    two_sheets(
        "w09_blank_rows_and_notes.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        above=[[T], ["Belopp i tkr"]],
        blanks_after=(
            "Summa intäkter",
            "Summa kostnader",
            "Nämnd och förvaltning",
            "Summa Individ- och familjeomsorg",
            "Summa Funktionsstöd",
            "Resultat",
        ),
        notes=["", "* Exkl. interna poster", "Källa: Raindance, uttag 2023-09-04"],
    )
    reg(
        "w09_blank_rows_and_notes.xlsx",
        "blank rows inside both tables, notes '* Exkl. interna poster', 'Källa: ...' under tables",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 10 hidden stale sheet ------------------------------------------------------------------
    b = book()
    rr, dr = rr_simple(), dr_flat()
    put(b.create_sheet("Resultaträkning"), 1, rr, STD, conv=num("mnkr"), above=[[T]])
    put(b.create_sheet("Driftredovisning"), 1, dr, STD, conv=num("mnkr"), above=[[T]])
    old = b.create_sheet("RR 2022 (gammal)")
    old_h = [
        ("u", "Utfall jan–aug 2022"),
        ("b", "Budget jan–aug 2022"),
        ("a", "Budgetavvikelse"),
        ("ab", "Årsbudget 2022"),
        ("p", "Årsprognos 2022"),
        ("ap", "Avvikelse årsprognos"),
    ]
    put(
        old,
        1,
        rr,
        old_h,
        conv=lambda v: round(v * 0.95, 2),
        above=[["Socialnämnden, delårsrapport 2 2022"]],
    )
    old.sheet_state = "hidden"
    b.save(OUT / "w10_hidden_old_sheet.xlsx")
    reg(
        "w10_hidden_old_sheet.xlsx",
        "visible RR/DR sheets plus a HIDDEN sheet 'RR 2022 (gammal)' "
        "(last year's RR, figures not adding)",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 11 Blad1 with both tables ------------------------------------------------------------
    b = book()
    ws = b.create_sheet("Blad1")
    rr, dr = rr_simple(), dr_nested()
    r = put(ws, 1, rr, STD, conv=num("tkr"), above=[[T], ["Resultaträkning"], ["Tkr"]])
    put(ws, r + 2, dr, STD, conv=num("tkr"), above=[["Driftredovisning"]])
    b.create_sheet("Blad2")
    b.create_sheet("Blad3")
    b.save(OUT / "w11_blad1_both_tables.xlsx")
    reg(
        "w11_blad1_both_tables.xlsx",
        "'Blad1' holds both tables, plus empty Blad2/Blad3",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 12 board only in file name, 'Nämnden totalt' -------------------------------------------
    rr, dr = rr_simple(), dr_flat(total="Nämnden totalt")
    two_sheets("Socialnamnden_delar2_2023.xlsx", rr, dr, STD, unit="mnkr")
    # a file name carries no å/ä: the board is named as the file writes it
    reg(
        "Socialnamnden_delar2_2023.xlsx",
        "board only in file name 'Socialnamnden_delar2_2023' (no å/ä); DR total 'Nämnden totalt'",
        board="Socialnamnden",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 13 'Summa nämnd' ----------------------------------------------------------------------
    rr, dr = rr_simple(), dr_nested(total="Summa nämnd")
    two_sheets(
        "w13_summa_namnd.xlsx",
        rr,
        dr,
        STD,
        unit="mnkr",
        above=[["Socialnämnden – Delårsrapport 2 2023"]],
    )
    reg(
        "w13_summa_namnd.xlsx",
        "DR total 'Summa nämnd', board in the title with an en dash",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 14 'Total förvaltning' ----------------------------------------------------------------
    rr, dr = rr_simple(), dr_nested(total="Total förvaltning", sumword="Total")
    two_sheets(
        "w14_total_forvaltning.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        above=[["Socialnämnden"], ["Delårsrapport augusti 2023"], ["TSEK"]],
    )
    reg(
        "w14_total_forvaltning.xlsx",
        "DR total 'Total förvaltning', group sums 'Total ...', board alone in row 1, "
        "'TSEK' unit row",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 15 paren negatives as text ------------------------------------------------------------
    rr, dr = rr_simple(), dr_flat()
    two_sheets(
        "w15_paren_negatives_text.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        conv=lambda v: sv_text(v * 1000, "paren"),
        above=[[T], ["Belopp i tkr"]],
    )
    reg(
        "w15_paren_negatives_text.xlsx",
        "amounts as text, negatives '(1 234)', space thousands",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 16 U+2212 negatives ---------------------------------------------------------------------
    two_sheets(
        "w16_unicode_minus_text.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        conv=lambda v: sv_text(v * 1000, "minus"),
        above=[[T], ["Belopp i tkr"]],
    )
    reg(
        "w16_unicode_minus_text.xlsx",
        "amounts as text, negatives '−1 234' (U+2212)",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 17 NBSP thousands and U+2212 (what Excel sv-SE copy-paste gives) -------------------------
    two_sheets(
        "w17_nbsp_minus_text.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        conv=lambda v: sv_text(v * 1000, "minus", sep="\u00a0"),
        above=[[T], ["Belopp i tkr"]],
    )
    reg(
        "w17_nbsp_minus_text.xlsx",
        "amounts as text '−1\u00a0234' (U+2212, NBSP thousands)",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 18 percent as fraction --------------------------------------------------------------
    pct = ("%", lambda d: round(d["u"] / d["b"], 4) if d["b"] else None)
    rr, dr = rr_simple(), dr_flat()
    two_sheets("w18_percent_fraction.xlsx", rr, dr, STD, unit="mnkr", percent=pct, above=[[T]])
    reg(
        "w18_percent_fraction.xlsx",
        "extra '%' column with fractions 0.95 (number format 0%)",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 19 column-number row -------------------------------------------------------------------
    two_sheets(
        "w19_column_numbers_row.xlsx", rr, dr, STD, unit="mnkr", colnumbers=True, above=[[T]]
    )
    reg(
        "w19_column_numbers_row.xlsx",
        "a row 1,2,3,... under the header row",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 20 two-row header, period ABOVE measures ---------------------------------------------
    h = [
        ("u", "Utfall"),
        ("b", "Budget"),
        ("a", "Avvikelse"),
        ("ab", "Budget"),
        ("p", "Prognos"),
        ("ap", "Avvikelse"),
    ]
    up = ["Jan–aug 2023", None, None, "Helår 2023", None, None]
    rr, dr = rr_simple(), dr_nested()
    two_sheets(
        "w20_period_row_above_merged.xlsx",
        rr,
        dr,
        h,
        unit="mnkr",
        upper=up,
        merge_upper=[(0, 2), (3, 5)],
        above=[[T], ["Mnkr"]],
    )
    reg(
        "w20_period_row_above_merged.xlsx",
        "two-row header: 'Jan–aug 2023' merged over Utfall/Budget/Avvikelse, "
        "'Helår 2023' merged over Budget/Prognos/Avvikelse",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 21 same, not merged, period repeated above each ----------------------------------------
    up = [
        "Period 2023-08",
        "Period 2023-08",
        "Period 2023-08",
        "Helår 2023",
        "Helår 2023",
        "Helår 2023",
    ]
    two_sheets("w21_period_row_above_repeated.xlsx", rr, dr, h, unit="mnkr", upper=up, above=[[T]])
    reg(
        "w21_period_row_above_repeated.xlsx",
        "two-row header: 'Period 2023-08' / 'Helår 2023' repeated over "
        "Utfall/Budget/Avvikelse and Budget/Prognos/Avvikelse",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 22 totals first, no Summa ---------------------------------------------------------
    rr, dr = rr_simple(), dr_totals_first()
    two_sheets("w22_dr_totals_first_tree.xlsx", rr, dr, STD, unit="mnkr", above=[[T]])
    reg(
        "w22_dr_totals_first_tree.xlsx",
        "DR tree: 'Socialnämnden' total first, group rows with their own "
        "totals above their units, no 'Summa' anywhere",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 23 Kkr ------------------------------------------------------------------------------------
    rr, dr = rr_detail_sum_after(), dr_flat()
    two_sheets(
        "w23_kkr_label_header.xlsx", rr, dr, STD, unit="tkr", label_header="Kkr", above=[[T]]
    )
    reg(
        "w23_kkr_label_header.xlsx",
        "'Kkr' as label-column header",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 24 Sheet1 both tables, English-ish, no titles between, one blank row --------------------
    b = book()
    ws = b.create_sheet("Sheet1")
    rr, dr = rr_simple(), dr_flat()
    h = [
        ("u", "Utfall ack aug 2023"),
        ("b", "Budget ack aug 2023"),
        ("a", "Avvikelse"),
        ("ab", "Årsbudget"),
        ("p", "Prognos"),
        ("ap", "Avvikelse prognos"),
    ]
    r = put(ws, 1, rr, h, conv=num("mnkr"), above=[[T]])
    put(ws, r + 1, dr, h, conv=num("mnkr"))
    b.save(OUT / "w24_sheet1_both_no_titles.xlsx")
    reg(
        "w24_sheet1_both_no_titles.xlsx",
        "'Sheet1': RR, one blank row, header repeated, DR; no table titles",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 25 source-shape RR, Prognos T2 wording, unit 'Belopp i tkr' in a merged title
    h = [
        ("u", "Utfall T2 2023"),
        ("b", "Budget T2 2023"),
        ("a", "Avvikelse T2"),
        ("ab", "Årsbudget 2023"),
        ("p", "Prognos T2"),
        ("ap", "Avvikelse prognos T2 mot budget"),
    ]
    rr, dr = rr_source_shape(), dr_flat()
    two_sheets("w25_tertial_T2_words.xlsx", rr, dr, h, unit="tkr", above=[[T + ", belopp i tkr"]])
    reg(
        "w25_tertial_T2_words.xlsx",
        "tertial words: 'Utfall T2 2023', 'Prognos T2' (T2 = jan–aug)",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
        note="T2 means tertial 2 = through August",
    )

    # 26 deliberate error: a unit's budget deviation has lost its sign ---------------------------
    bad = dict(U)
    U["Placeringar barn och unga"] = (-35.0, -30.0, 5.0, -45.0, -52.0, -7.0)
    rr, dr = rr_simple(), dr_flat()
    two_sheets(
        "w26_bad_lost_sign_tkr_paren.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        conv=lambda v: sv_text(v * 1000, "paren"),
        above=[[T], ["Belopp i tkr"]],
    )
    U.update(bad)
    reg(
        "w26_bad_lost_sign_tkr_paren.xlsx",
        "DELIBERATE ERROR: 'Placeringar barn och unga' avvikelse 5 000 "
        "instead of (5 000), text amounts",
        unit="tkr",
        exit_code=1,
        rr_rows=rr,
        dr_rows=dr,
    )

    # 27 prior year column + 'Utfall fg år' + 'Avvikelse %' in mixed order ------------------------
    h = [
        ("u", "Utfall 2023-08"),
        ("b", "Budget 2023-08"),
        ("a", "Avvikelse budget"),
        ("ab", "Årsbudget"),
        ("p", "Prognos helår"),
        ("ap", "Avvikelse prognos mot årsbudget"),
    ]
    rr, dr = rr_detail_sum_first(varav="- varav statsbidrag", varav2="- varav övertid"), dr_nested()
    two_sheets(
        "w27_kstr_dash_varav_nested.xlsx",
        rr,
        dr,
        h,
        unit="mnkr",
        above=[[T], ["Belopp i miljoner kronor"]],
    )
    reg(
        "w27_kstr_dash_varav_nested.xlsx",
        "RR sums first with '- varav' rows; 'Belopp i miljoner kronor'",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 28 headers with Alt+Enter line breaks -------------------------------------------------
    h = [
        ("u", "Utfall\njan–aug\n2023"),
        ("b", "Budget\njan–aug\n2023"),
        ("a", "Avvikelse\nmot budget"),
        ("ab", "Budget\nhelår\n2023"),
        ("p", "Prognos\nhelår\n2023"),
        ("ap", "Avvikelse\nprognos"),
    ]
    rr, dr = rr_simple(), dr_nested()
    two_sheets(
        "w28_line_breaks_in_headers.xlsx",
        rr,
        dr,
        h,
        unit="tkr",
        above=[[T], ["Belopp i tusentals kronor"]],
    )
    reg(
        "w28_line_breaks_in_headers.xlsx",
        "headers with Alt+Enter line breaks 'Utfall\\njan–aug\\n2023'; 'Belopp i tusentals kronor'",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 29 year-end: 'Utfall helår 2023', no forecast, 'Bokslut 2023' title ----------------------
    h = [("u", "Utfall helår 2023"), ("b", "Budget helår 2023"), ("a", "Avvikelse mot budget")]
    rr, dr = rr_simple(), dr_flat(total="Summa Socialnämnden")
    YE_RR = [
        (lab_, (v[4], v[3], v[5], v[3], v[4], v[5]), c) for lab_, v, c in rr
    ]  # prognos as year-end utfall
    YE_DR = [(lab_, (v[4], v[3], v[5], v[3], v[4], v[5]), c) for lab_, v, c in dr]
    two_sheets(
        "w29_year_end_utfall_helar.xlsx",
        YE_RR,
        YE_DR,
        h,
        unit="mnkr",
        above=[["Socialnämnden, bokslut 2023"]],
    )
    reg(
        "w29_year_end_utfall_helar.xlsx",
        "year-end: 'Utfall helår 2023', 'Budget helår 2023', 'Avvikelse mot budget'; no forecast",
        period="2023-12",
        unit="mnkr",
        rr_rows=[(lab_, (v[0], v[1], v[2], None, None, None), c) for lab_, v, c in YE_RR],
        dr_rows=[(lab_, (v[0], v[1], v[2], None, None, None), c) for lab_, v, c in YE_DR],
    )

    # 30 footnote asterisks in headers ---------------------------------------------------------
    h = [
        ("u", "Utfall jan–aug 2023*"),
        ("b", "Budget jan–aug 2023"),
        ("a", "Budgetavvikelse"),
        ("ab", "Årsbudget 2023**"),
        ("p", "Prognos helår*"),
        ("ap", "Avvikelse prognos"),
    ]
    rr, dr = rr_simple(), dr_flat()
    two_sheets(
        "w30_footnote_stars_in_headers.xlsx",
        rr,
        dr,
        h,
        unit="mnkr",
        above=[[T]],
        notes=["", "* Exkl. interna poster", "** Inkl. tilläggsbudget beslutad i KF 2023-06-12"],
    )
    reg(
        "w30_footnote_stars_in_headers.xlsx",
        "footnote markers 'Utfall jan–aug 2023*', 'Årsbudget 2023**' and footnotes under tables",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 31 mnkr text with decimal comma and U+2212 ---------------------------------------------------
    def mtext(v):
        s = f"{abs(v):.1f}".replace(".", ",")
        return ("\u2212" + s) if v < 0 else s

    two_sheets(
        "w31_mnkr_text_decimal_comma.xlsx",
        rr,
        dr,
        STD,
        unit="mnkr",
        conv=mtext,
        above=[[T], ["Mnkr"]],
    )
    reg(
        "w31_mnkr_text_decimal_comma.xlsx",
        "mnkr amounts as text '−12,5' (U+2212, decimal comma)",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 32 DR sheet named by the finance system, RR sheet 'Resultat- och balans' ---------------------
    two_sheets(
        "w32_sheet_names_system.xlsx",
        rr,
        dr,
        STD,
        unit="tkr",
        names=("Nämndens RR", "Drift per ansvar"),
        above=[[T], ["Tkr"]],
    )
    reg(
        "w32_sheet_names_system.xlsx",
        "sheets 'Nämndens RR' and 'Drift per ansvar'",
        unit="tkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    # 33 result row with a sign explanation ----------------------------------------------------
    rr = [
        (lab_ if lab_ != "Årets resultat" else "Årets resultat (+ överskott / − underskott)", v, c)
        for lab_, v, c in rr_simple()
    ]
    rr = [(lab_ if lab_ != "Kommunbidrag" else "Kommunbidrag (ram)", v, c) for lab_, v, c in rr]
    two_sheets("w33_result_label_explained.xlsx", rr, dr, STD, unit="mnkr", above=[[T]])
    reg(
        "w33_result_label_explained.xlsx",
        "RR 'Kommunbidrag (ram)' and 'Årets resultat (+ överskott / − underskott)'",
        unit="mnkr",
        rr_rows=rr,
        dr_rows=dr,
    )

    (OUT / "expected.json").write_text(json.dumps(EXP, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
