"""The corpus's figures: seven boards' tables, every amount typed by hand in mnkr.

Each board's figures are written once here and printed by several dialects (tests/corpus/
dialects.py); the arithmetic that makes them add up is written beside them. A figure is never
taken from a run of the package's code: `test_corpus_cases_add_up` re-adds them in plain Python.

Measure keys: utfall, budget (budget to date), budgetavvikelse, arsbudget, arsprognos,
avvikelse_arsprognos; a trailing `_ly` is the same measure for the same months last year.
"""

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Row:
    """One printed row: its label, kind, amounts (mnkr, by measure key), parts if a sum."""

    label: str
    kind: str  # 'line', 'sum', 'result' or 'heading' (a label with no amounts)
    values: dict = field(default_factory=dict)
    parts: tuple = ()  # labels of the rows a sum or result adds up
    group: str = ""  # innermost group ('' outside any group)
    code: str = ""


@dataclass(frozen=True)
class Table:
    """One table's measures (in printed order) and rows."""

    measures: tuple
    rows: tuple

    def row(self, label: str) -> Row:
        """Return the row with this label."""
        return next(r for r in self.rows if r.label == label)


@dataclass(frozen=True)
class Figures:
    """One board's two tables for one period."""

    board: str
    period: tuple  # (year, month)
    rr: Table
    dr: Table
    ram: str  # the RR row that holds the board's funding (driftram, kommunbidrag)
    rounding: float = 0.0  # how far a printed sum may stray from its parts (as published)


def table(measures: str, *rows) -> Table:
    """Build a table from a space-separated measure list and row tuples."""
    names = tuple(measures.split())
    built = []
    for label, kind, *rest in rows:
        if kind == "heading":
            built.append(Row(label, kind, group=rest[0] if rest else ""))
            continue
        values, extra = rest[: len(names)], rest[len(names) :]
        opts = extra[0] if extra else {}
        built.append(Row(label, kind, dict(zip(names, values, strict=True)), **opts))
    return Table(names, tuple(built))


def parts(*labels: str) -> dict:
    """Options of a sum row: the rows it adds up."""
    return {"parts": labels}


def grp(group: str, code: str = "") -> dict:
    """Options of a line inside a group."""
    return {"group": group, "code": code}


# Hand-made tables, one printed row a line: kept as typed, not reflowed by the formatter.
# fmt: off
# --------------------------------------------------------------------------------------------
# KS: Kommunstyrelsens delårsrapport 1, 2022 (the source document), exactly as printed; its
# sums are sums of unrounded amounts, so they stray by 0,1 (Summa INTÄKTER 132,0 though
# 115,4 + 16,7 = 132,1; the units' budget deviations add to 13,7, the total says 13,8).
KS = Figures(
    board="Kommunstyrelsen",
    period=(2022, 3),
    rr=table(
        "utfall_ly utfall budget budgetavvikelse arsprognos avvikelse_arsprognos",
        ("Kommunersättning", "line", 101.0, 115.4, 115.4, 0.0, 461.5, 0.0),
        ("Övriga intäkter", "line", 14.9, 16.7, 10.8, 5.9, 43.0, 0.0),
        ("Summa INTÄKTER", "sum", 115.9, 132.0, 126.1, 5.9, 504.5, 0.0,
         parts("Kommunersättning", "Övriga intäkter")),
        ("Personalkostnader", "line", -28.8, -29.1, -32.0, 2.9, -118.5, 2.9),
        ("- Lokalkostnader", "line", -1.4, -1.6, -1.5, -0.1, -5.9, 0.0),
        ("- Övriga kostnader", "line", -73.2, -89.2, -94.3, 5.1, -377.1, 0.1),
        ("Summa KOSTNADER", "sum", -103.4, -119.9, -127.8, 7.9, -501.5, 3.0,
         parts("Personalkostnader", "- Lokalkostnader", "- Övriga kostnader")),
        ("Summa ÅRETS RESULTAT", "result", 12.5, 12.1, -1.6, 13.8, 3.0, 3.0,
         parts("Summa INTÄKTER", "Summa KOSTNADER")),
    ),
    dr=table(
        "budgetavvikelse_ly budgetavvikelse arsbudget avvikelse_arsprognos",
        ("KS/semesterlöneskuld, ej konterade fakturor mm", "line", -0.5, 0.4, 0.0, 0.0),
        ("KLK Ledning", "line", 0.4, -0.1, -98.9, 0.0),
        ("KLK Ekonomi och kvalitet", "line", 1.1, 1.6, -64.8, 1.0),
        ("KLK HR", "line", 1.9, 1.6, -71.6, 0.3),
        ("KLK Social hållbarhet", "line", 1.3, 2.0, -16.3, 0.0),
        ("KLK Näringsliv", "line", 9.0, 3.5, -52.6, 1.7),
        ("KLK Kommunikation, IT och digitalisering", "line", -1.0, 2.7, -117.3, 0.0),
        ("KLK Miljö och samhällsbyggnad", "line", 1.4, 2.0, -40.0, 0.0),
        # Budget 2022: 98,9 + 64,8 + 71,6 + 16,3 + 52,6 + 117,3 + 40,0 = 461,5 = the driftram.
        ("Summa Kommunstyrelsen", "result", 13.5, 13.8, -461.5, 3.0,
         parts("KS/semesterlöneskuld, ej konterade fakturor mm", "KLK Ledning",
               "KLK Ekonomi och kvalitet", "KLK HR", "KLK Social hållbarhet", "KLK Näringsliv",
               "KLK Kommunikation, IT och digitalisering", "KLK Miljö och samhällsbyggnad")),
    ),
    ram="Kommunersättning",
    rounding=0.2,
)

# --------------------------------------------------------------------------------------------
# KFN: Kultur- och fritidsnämnden, August 2023 (tests/workbooks.py), the source document's
# shape; every sum adds up exactly. Annual budgets (årsprognos − avvikelse): Kommunersättning
# 225,0 − 0,0 = 225,0; Summa ÅRETS RESULTAT −8,0 − (−6,0) = −2,0; units −2,0 − 225,0 = −227,0.
_KFN_UNITS = ("Kulturskolan", "Bibliotek", "Fritidsgårdar", "Idrottsanläggningar",
              "Nämnd och förvaltning")
KFN = Figures(
    board="Kultur- och fritidsnämnden",
    period=(2023, 8),
    rr=table(
        "utfall_ly utfall budget budgetavvikelse arsprognos avvikelse_arsprognos",
        ("Kommunersättning", "line", 140.2, 150.0, 150.0, 0.0, 225.0, 0.0),
        ("Övriga intäkter", "line", 30.1, 28.4, 32.0, -3.6, 45.5, -2.5),
        # 150,0 + 28,4 = 178,4; 150,0 + 32,0 = 182,0; 225,0 + 45,5 = 270,5
        ("Summa INTÄKTER", "sum", 170.3, 178.4, 182.0, -3.6, 270.5, -2.5,
         parts("Kommunersättning", "Övriga intäkter")),
        ("Personalkostnader", "line", -95.0, -101.3, -98.0, -3.3, -152.0, -4.0),
        ("- Lokalkostnader", "line", -40.2, -44.6, -44.0, -0.6, -66.5, -0.5),
        ("- Övriga kostnader", "line", -38.0, -40.1, -41.0, 0.9, -60.0, 1.0),
        # −101,3 − 44,6 − 40,1 = −186,0; −3,3 − 0,6 + 0,9 = −3,0
        ("Summa KOSTNADER", "sum", -173.2, -186.0, -183.0, -3.0, -278.5, -3.5,
         parts("Personalkostnader", "- Lokalkostnader", "- Övriga kostnader")),
        # 178,4 − 186,0 = −7,6; 182,0 − 183,0 = −1,0; −7,6 − (−1,0) = −6,6
        ("Summa ÅRETS RESULTAT", "result", -2.9, -7.6, -1.0, -6.6, -8.0, -6.0,
         parts("Summa INTÄKTER", "Summa KOSTNADER")),
    ),
    dr=table(
        "budgetavvikelse_ly budgetavvikelse arsbudget avvikelse_arsprognos",
        ("Kulturskolan", "line", 0.8, -1.2, -40.0, -1.5),
        ("Bibliotek", "line", 0.3, 0.4, -55.0, 0.5),
        ("Fritidsgårdar", "line", -0.6, -2.1, -38.0, -2.0),
        ("Idrottsanläggningar", "line", -1.5, -3.7, -92.0, -3.0),
        ("Nämnd och förvaltning", "line", 0.1, 0.0, -2.0, 0.0),
        ("Summa Kultur- och fritidsnämnden", "result", -0.9, -6.6, -227.0, -6.0,
         parts(*_KFN_UNITS)),
    ),
    ram="Kommunersättning",
)

# --------------------------------------------------------------------------------------------
# BUN: Barn- och utbildningsnämnden, August 2022, the "Kommunbidrag" shape
# (result = verksamhetens nettokostnad + kommunbidrag), units in groups with subtotals and
# two units outside any group. Worked by hand:
#   nettokostnad utfall 210,4 − 1 950,2 = −1 739,8; budget 200,0 − 1 940,0 = −1 740,0;
#   avvikelse −1 739,8 − (−1 740,0) = 0,2 (= 10,4 − 10,2); årsbudget 300,0 − 2 900,0 = −2 600,0;
#   årsprognos 312,0 − 2 915,5 = −2 603,5; avvikelse −2 603,5 − (−2 600,0) = −3,5 (= 12,0 − 15,5).
#   Årets resultat: −1 739,8 + 1 733,3 = −6,5; −1 740,0 + 1 733,3 = −6,7; −6,5 − (−6,7) = 0,2;
#   −2 600,0 + 2 600,0 = 0,0; −2 603,5 + 2 600,0 = −3,5. Last year: 198,6 − 1 880,3 = −1 681,7,
#   −1 681,7 + 1 670,0 = −11,7.
#   Units' total = result − kommunbidrag: −6,5 − 1 733,3 = −1 739,8; årsbudget 0,0 − 2 600,0.
_M6 = "utfall budget budgetavvikelse arsbudget arsprognos avvikelse_arsprognos"
BUN_BOARD = "Barn- och utbildningsnämnden"
BUN = Figures(
    board=BUN_BOARD,
    period=(2022, 8),
    rr=table(
        "utfall_ly " + _M6,
        ("Verksamhetens intäkter", "line", 198.6, 210.4, 200.0, 10.4, 300.0, 312.0, 12.0),
        ("Verksamhetens kostnader", "line", -1880.3, -1950.2, -1940.0, -10.2, -2900.0, -2915.5,
         -15.5),
        ("Verksamhetens nettokostnad", "sum", -1681.7, -1739.8, -1740.0, 0.2, -2600.0, -2603.5,
         -3.5, parts("Verksamhetens intäkter", "Verksamhetens kostnader")),
        ("Kommunbidrag", "line", 1670.0, 1733.3, 1733.3, 0.0, 2600.0, 2600.0, 0.0),
        ("Årets resultat", "result", -11.7, -6.5, -6.7, 0.2, 0.0, -3.5, -3.5,
         parts("Verksamhetens nettokostnad", "Kommunbidrag")),
    ),
    dr=table(
        _M6,
        ("Nämnd och förvaltning", "line", -60.2, -61.0, 0.8, -92.0, -91.0, 1.0),
        ("Förskola", "heading"),
        ("Förskoleområde Norr", "line", -180.5, -182.0, 1.5, -270.0, -268.0, 2.0,
         grp("Förskola")),
        ("Förskoleområde Söder", "line", -175.3, -174.0, -1.3, -262.0, -263.5, -1.5,
         grp("Förskola")),
        # −180,5 − 175,3 = −355,8; 1,5 − 1,3 = 0,2; −268,0 − 263,5 = −531,5; 2,0 − 1,5 = 0,5
        ("Summa Förskola", "sum", -355.8, -356.0, 0.2, -532.0, -531.5, 0.5,
         parts("Förskoleområde Norr", "Förskoleområde Söder")),
        ("Grundskola", "heading"),
        ("Skogsängsskolan", "line", -520.4, -518.0, -2.4, -780.0, -784.0, -4.0,
         grp("Grundskola")),
        ("Valhallaskolan 7–9", "line", -301.7, -303.0, 1.3, -455.0, -453.0, 2.0,
         grp("Grundskola")),
        ("Summa Grundskola", "sum", -822.1, -821.0, -1.1, -1235.0, -1237.0, -2.0,
         parts("Skogsängsskolan", "Valhallaskolan 7–9")),
        ("Gymnasium", "heading"),
        ("Rinmangymnasiet", "line", -350.9, -352.0, 1.1, -528.0, -527.5, 0.5,
         grp("Gymnasium")),
        ("Vuxenutbildningen", "line", -81.0, -80.0, -1.0, -120.0, -122.0, -2.0,
         grp("Gymnasium")),
        ("Summa Gymnasium", "sum", -431.9, -432.0, 0.1, -648.0, -649.5, -1.5,
         parts("Rinmangymnasiet", "Vuxenutbildningen")),
        # Elevhälsan is what is left of the total: −1 739,8 − (−60,2 − 355,8 − 822,1 − 431,9)
        # = −69,8; budget −1 740,0 + 1 670,0 = −70,0; årsbudget −2 600,0 + 2 507,0 = −93,0;
        # årsprognos −2 603,5 + 2 509,0 = −94,5.
        ("Elevhälsan", "line", -69.8, -70.0, 0.2, -93.0, -94.5, -1.5),
        ("Summa Barn- och utbildningsnämnden", "result", -1739.8, -1740.0, 0.2, -2600.0,
         -2603.5, -3.5,
         parts("Nämnd och förvaltning", "Summa Förskola", "Summa Grundskola",
               "Summa Gymnasium", "Elevhälsan")),
    ),
    ram="Kommunbidrag",
)

# --------------------------------------------------------------------------------------------
# TN: Tekniska nämnden, June 2023, with avskrivningar and finansiella poster. By hand:
#   nettokostnad = intäkter + kostnader + avskrivningar: 85,0 − 190,5 − 22,0 = −127,5;
#   80,0 − 188,0 − 22,5 = −130,5; 160,0 − 376,0 − 45,0 = −261,0; 165,0 − 381,0 − 44,0 = −260,0.
#   Årets resultat = nettokostnad + kommunbidrag + finansiella intäkter + finansiella kostnader:
#   −127,5 + 128,0 + 0,4 − 2,1 = −1,2; −130,5 + 128,0 + 0,5 − 2,0 = −4,0 (avvikelse 2,8);
#   −261,0 + 256,0 + 1,0 − 4,0 = −8,0; −260,0 + 256,0 + 0,8 − 4,4 = −7,6 (avvikelse 0,4).
#   Units' total = result − kommunbidrag: −129,2; −132,0; 2,8; −264,0; −263,6; 0,4.
TN_UNITS = ("Gata och park", "Fastighet", "Vatten och avlopp", "Kollektivtrafik",
            "Förvaltningsledning")
TN = Figures(
    board="Tekniska nämnden",
    period=(2023, 6),
    rr=table(
        _M6,
        ("Verksamhetens intäkter", "line", 85.0, 80.0, 5.0, 160.0, 165.0, 5.0),
        ("Verksamhetens kostnader", "line", -190.5, -188.0, -2.5, -376.0, -381.0, -5.0),
        ("Avskrivningar", "line", -22.0, -22.5, 0.5, -45.0, -44.0, 1.0),
        ("Verksamhetens nettokostnad", "sum", -127.5, -130.5, 3.0, -261.0, -260.0, 1.0,
         parts("Verksamhetens intäkter", "Verksamhetens kostnader", "Avskrivningar")),
        ("Kommunbidrag", "line", 128.0, 128.0, 0.0, 256.0, 256.0, 0.0),
        ("Finansiella intäkter", "line", 0.4, 0.5, -0.1, 1.0, 0.8, -0.2),
        ("Finansiella kostnader", "line", -2.1, -2.0, -0.1, -4.0, -4.4, -0.4),
        ("Årets resultat", "result", -1.2, -4.0, 2.8, -8.0, -7.6, 0.4,
         parts("Verksamhetens nettokostnad", "Kommunbidrag", "Finansiella intäkter",
               "Finansiella kostnader")),
    ),
    dr=table(
        _M6,
        ("Gata och park", "line", -60.0, -61.5, 1.5, -123.0, -122.0, 1.0, grp("", "1100")),
        ("Fastighet", "line", -30.2, -31.0, 0.8, -62.0, -62.5, -0.5, grp("", "1200")),
        ("Vatten och avlopp", "line", 1.5, 0.0, 1.5, 0.0, 1.0, 1.0, grp("", "1300")),
        ("Kollektivtrafik", "line", -35.3, -34.5, -0.8, -69.0, -70.1, -1.1, grp("", "1400")),
        # the rest of the total: −129,2 − (−60,0 − 30,2 + 1,5 − 35,3) = −5,2; −132,0 + 127,0
        # = −5,0; −264,0 + 254,0 = −10,0; −263,6 + 253,6 = −10,0
        ("Förvaltningsledning", "line", -5.2, -5.0, -0.2, -10.0, -10.0, 0.0, grp("", "1900")),
        ("Summa Tekniska nämnden", "result", -129.2, -132.0, 2.8, -264.0, -263.6, 0.4,
         parts(*TN_UNITS)),
    ),
    ram="Kommunbidrag",
)

# --------------------------------------------------------------------------------------------
# SN: Socialnämnden, year-end 2022 (bokslut): outcome, annual budget, deviation, last year.
#   120,6 − 980,4 = −859,8; 110,0 − 965,0 = −855,0; 10,6 − 15,4 = −4,8; 115,2 − 940,8 = −825,6;
#   result −859,8 + 855,0 = −4,8; budget −855,0 + 855,0 = 0,0; last year −825,6 + 820,0 = −5,6.
#   Units: −310,5 − 402,3 − 95,0 − 52,0 = −859,8; −300,0 − 405,0 − 98,0 − 52,0 = −855,0;
#   −10,5 + 2,7 + 3,0 + 0,0 = −4,8.
SN_UNITS = ("Individ- och familjeomsorg", "Funktionsstöd", "Arbetsmarknad",
            "Socialnämnd och ledning")
SN = Figures(
    board="Socialnämnden",
    period=(2022, 12),
    rr=table(
        "utfall_ly utfall arsbudget budgetavvikelse",
        ("Verksamhetens intäkter", "line", 115.2, 120.6, 110.0, 10.6),
        ("Verksamhetens kostnader", "line", -940.8, -980.4, -965.0, -15.4),
        ("Verksamhetens nettokostnad", "sum", -825.6, -859.8, -855.0, -4.8,
         parts("Verksamhetens intäkter", "Verksamhetens kostnader")),
        ("Kommunersättning", "line", 820.0, 855.0, 855.0, 0.0),
        ("Årets resultat", "result", -5.6, -4.8, 0.0, -4.8,
         parts("Verksamhetens nettokostnad", "Kommunersättning")),
    ),
    dr=table(
        "utfall arsbudget budgetavvikelse",
        ("Individ- och familjeomsorg", "line", -310.5, -300.0, -10.5),
        ("Funktionsstöd", "line", -402.3, -405.0, 2.7),
        ("Arbetsmarknad", "line", -95.0, -98.0, 3.0),
        ("Socialnämnd och ledning", "line", -52.0, -52.0, 0.0),
        ("Summa Socialnämnden", "result", -859.8, -855.0, -4.8, parts(*SN_UNITS)),
    ),
    ram="Kommunersättning",
)

# --------------------------------------------------------------------------------------------
# MSN: Miljö- och samhällsbyggnadsnämnden, March 2023, to the krona's thousand (the figures a
# tkr export holds: 12 345 tkr = 12,345 mnkr). The same figures are printed in mnkr, tkr and kr.
#   nettokostnad 12 345 − 31 872 = −19 527 tkr; 11 800 − 32 500 = −20 700; 545 + 628 = 1 173;
#   47 200 − 130 000 = −82 800; 48 000 − 130 450 = −82 450; 800 − 450 = 350.
#   result −19 527 + 20 700 = 1 173; −20 700 + 20 700 = 0; −82 450 + 82 800 = 350.
#   Units: −2 134 − 4 871 − 7 009 − 3 513 − 2 000 = −19 527; −2 500 − 5 000 − 7 700 − 3 500
#   − 2 000 = −20 700; 366 + 129 + 691 − 13 + 0 = 1 173; −10 000 − 20 000 − 30 800 − 14 000
#   − 8 000 = −82 800; −9 800 − 20 150 − 30 500 − 14 000 − 8 000 = −82 450; 200 − 150 + 300 = 350.
MSN_UNITS = ("Bygglov", "Miljöskydd", "Planering", "Lantmäteri", "Nämnd och förvaltning")
MSN = Figures(
    board="Miljö- och samhällsbyggnadsnämnden",
    period=(2023, 3),
    rr=table(
        _M6,
        ("Verksamhetens intäkter", "line", 12.345, 11.8, 0.545, 47.2, 48.0, 0.8),
        ("Verksamhetens kostnader", "line", -31.872, -32.5, 0.628, -130.0, -130.45, -0.45),
        ("Verksamhetens nettokostnad", "sum", -19.527, -20.7, 1.173, -82.8, -82.45, 0.35,
         parts("Verksamhetens intäkter", "Verksamhetens kostnader")),
        ("Kommunbidrag", "line", 20.7, 20.7, 0.0, 82.8, 82.8, 0.0),
        ("Årets resultat", "result", 1.173, 0.0, 1.173, 0.0, 0.35, 0.35,
         parts("Verksamhetens nettokostnad", "Kommunbidrag")),
    ),
    dr=table(
        _M6,
        ("Bygglov", "line", -2.134, -2.5, 0.366, -10.0, -9.8, 0.2),
        ("Miljöskydd", "line", -4.871, -5.0, 0.129, -20.0, -20.15, -0.15),
        ("Planering", "line", -7.009, -7.7, 0.691, -30.8, -30.5, 0.3),
        ("Lantmäteri", "line", -3.513, -3.5, -0.013, -14.0, -14.0, 0.0),
        ("Nämnd och förvaltning", "line", -2.0, -2.0, 0.0, -8.0, -8.0, 0.0),
        ("Summa Miljö- och samhällsbyggnadsnämnden", "result", -19.527, -20.7, 1.173, -82.8,
         -82.45, 0.35, parts(*MSN_UNITS)),
    ),
    ram="Kommunbidrag",
)

# --------------------------------------------------------------------------------------------
# VON: Vård- och omsorgsnämnden, August 2023: 35 units, names up to 60 characters, groups
# nested two deep (Äldreomsorg > Hemtjänst, Särskilt boende; Funktionsstöd > Bostad med
# särskild service, Daglig verksamhet, and Personlig assistans directly in Funktionsstöd),
# three units outside any group. Every årsbudget is 1,5 × the budget to date (12/8 months).
#   Hemtjänst: budget 24 + 22 + 18 + 20 + 26 + 10 + 8 + 6 = 134; utfall 25,1 + 21,4 + 18,9
#   + 19,5 + 26,8 + 9,6 + 8,3 + 5,8 = 135,4; årsbudget 201,0.
#   Särskilt boende: 30 + 28 + 32 + 24 + 16 + 18 + 12 + 22 + 20 = 202; utfall 31,2 + 27,5
#   + 33,0 + 23,7 + 16,4 + 18,0 + 11,2 + 22,9 + 19,6 = 203,5; årsbudget 303,0.
#   Äldreomsorg: −135,4 − 203,5 = −338,9; −134 − 202 = −336,0; årsbudget −504,0.
#   Bostad med särskild service: 9 + 9 + 10 + 7 + 6 + 8 + 4 = 53; 8,7 + 9,4 + 10,0 + 6,5 + 6,2
#   + 8,6 + 3,9 = 53,3. Daglig verksamhet: 5 + 3 + 4 + 2 = 14; 4,6 + 3,3 + 4,1 + 1,8 = 13,8.
#   Funktionsstöd: −53,3 − 13,8 − 42,5 = −109,6; −53 − 14 − 40 = −107,0; årsbudget −160,5.
#   Hälso- och sjukvård: 29,2 + 12,5 + 3,6 = 45,3; 30 + 12 + 4 = 46.
#   Total: −19,1 − 14,2 − 338,9 − 109,6 − 45,3 − 1,9 = −529,0; −20 − 14 − 336 − 107 − 46 − 2
#   = −525,0; avvikelse −4,0; årsbudget −787,5 = 1,5 × −525,0.
#   RR: 130,0 − 659,0 = −529,0; 125,0 − 650,0 = −525,0; 187,5 − 975,0 = −787,5;
#   result −529,0 + 525,0 = −4,0; −525,0 + 525,0 = 0,0; −787,5 + 787,5 = 0,0.
_M4 = "utfall budget budgetavvikelse arsbudget"
VON_LONG = "Korttidsboende och växelvård för personer med demenssjukdom"  # 59 characters
VON = Figures(
    board="Vård- och omsorgsnämnden",
    period=(2023, 8),
    rr=table(
        _M4,
        ("Verksamhetens intäkter", "line", 130.0, 125.0, 5.0, 187.5),
        ("Verksamhetens kostnader", "line", -659.0, -650.0, -9.0, -975.0),
        ("Verksamhetens nettokostnad", "sum", -529.0, -525.0, -4.0, -787.5,
         parts("Verksamhetens intäkter", "Verksamhetens kostnader")),
        ("Kommunbidrag", "line", 525.0, 525.0, 0.0, 787.5),
        ("Årets resultat", "result", -4.0, 0.0, -4.0, 0.0,
         parts("Verksamhetens nettokostnad", "Kommunbidrag")),
    ),
    dr=table(
        _M4,
        ("Nämnd och förvaltning", "line", -19.1, -20.0, 0.9, -30.0, grp("", "7000")),
        ("Myndighetsutövning och biståndshandläggning", "line", -14.2, -14.0, -0.2, -21.0,
         grp("", "7010")),
        ("Äldreomsorg", "heading"),
        ("Hemtjänst", "heading", "Äldreomsorg"),
        ("Hemtjänst Norr", "line", -25.1, -24.0, -1.1, -36.0, grp("Hemtjänst", "7111")),
        ("Hemtjänst Söder", "line", -21.4, -22.0, 0.6, -33.0, grp("Hemtjänst", "7112")),
        ("Hemtjänst Öst", "line", -18.9, -18.0, -0.9, -27.0, grp("Hemtjänst", "7113")),
        ("Hemtjänst Väst", "line", -19.5, -20.0, 0.5, -30.0, grp("Hemtjänst", "7114")),
        ("Hemtjänst Centrum", "line", -26.8, -26.0, -0.8, -39.0, grp("Hemtjänst", "7115")),
        ("Hemtjänst Torshälla", "line", -9.6, -10.0, 0.4, -15.0, grp("Hemtjänst", "7116")),
        ("Nattpatrull och trygghetslarm", "line", -8.3, -8.0, -0.3, -12.0,
         grp("Hemtjänst", "7117")),
        ("Hemtjänstens kvällsteam och helgbemanning i hela kommunen", "line", -5.8, -6.0, 0.2,
         -9.0, grp("Hemtjänst", "7118")),
        ("Summa Hemtjänst", "sum", -135.4, -134.0, -1.4, -201.0,
         {"group": "Äldreomsorg", "parts": (
             "Hemtjänst Norr", "Hemtjänst Söder", "Hemtjänst Öst", "Hemtjänst Väst",
             "Hemtjänst Centrum", "Hemtjänst Torshälla", "Nattpatrull och trygghetslarm",
             "Hemtjänstens kvällsteam och helgbemanning i hela kommunen")}),
        ("Särskilt boende", "heading", "Äldreomsorg"),
        ("Vård- och omsorgsboendet Ekbacken", "line", -31.2, -30.0, -1.2, -45.0,
         grp("Särskilt boende", "7121")),
        ("Vård- och omsorgsboendet Lindgården", "line", -27.5, -28.0, 0.5, -42.0,
         grp("Särskilt boende", "7122")),
        ("Vård- och omsorgsboendet Björkhagen", "line", -33.0, -32.0, -1.0, -48.0,
         grp("Särskilt boende", "7123")),
        ("Vård- och omsorgsboendet Solgläntan", "line", -23.7, -24.0, 0.3, -36.0,
         grp("Särskilt boende", "7124")),
        (VON_LONG, "line", -16.4, -16.0, -0.4, -24.0, grp("Särskilt boende", "7125")),
        ("Demensboendet Rosen", "line", -18.0, -18.0, 0.0, -27.0,
         grp("Särskilt boende", "7126")),
        ("Servicehuset Tallen", "line", -11.2, -12.0, 0.8, -18.0,
         grp("Särskilt boende", "7127")),
        ("Vård- och omsorgsboendet Ängsgården", "line", -22.9, -22.0, -0.9, -33.0,
         grp("Särskilt boende", "7128")),
        ("Vård- och omsorgsboendet Kastanjen", "line", -19.6, -20.0, 0.4, -30.0,
         grp("Särskilt boende", "7129")),
        ("Summa Särskilt boende", "sum", -203.5, -202.0, -1.5, -303.0,
         {"group": "Äldreomsorg", "parts": (
             "Vård- och omsorgsboendet Ekbacken", "Vård- och omsorgsboendet Lindgården",
             "Vård- och omsorgsboendet Björkhagen", "Vård- och omsorgsboendet Solgläntan",
             VON_LONG, "Demensboendet Rosen", "Servicehuset Tallen",
             "Vård- och omsorgsboendet Ängsgården", "Vård- och omsorgsboendet Kastanjen")}),
        ("Summa Äldreomsorg", "sum", -338.9, -336.0, -2.9, -504.0,
         parts("Summa Hemtjänst", "Summa Särskilt boende")),
        ("Funktionsstöd", "heading"),
        ("Bostad med särskild service", "heading", "Funktionsstöd"),
        ("Gruppbostad Almen", "line", -8.7, -9.0, 0.3, -13.5,
         grp("Bostad med särskild service", "7211")),
        ("Gruppbostad Eken", "line", -9.4, -9.0, -0.4, -13.5,
         grp("Bostad med särskild service", "7212")),
        ("Gruppbostad Linden", "line", -10.0, -10.0, 0.0, -15.0,
         grp("Bostad med särskild service", "7213")),
        ("Servicebostad Granen", "line", -6.5, -7.0, 0.5, -10.5,
         grp("Bostad med särskild service", "7214")),
        ("Servicebostad Tallbacken", "line", -6.2, -6.0, -0.2, -9.0,
         grp("Bostad med särskild service", "7215")),
        ("Bostad med särskild service för barn och unga enligt LSS", "line", -8.6, -8.0, -0.6,
         -12.0, grp("Bostad med särskild service", "7216")),
        ("Korttidsvistelse enligt LSS", "line", -3.9, -4.0, 0.1, -6.0,
         grp("Bostad med särskild service", "7217")),
        ("Summa Bostad med särskild service", "sum", -53.3, -53.0, -0.3, -79.5,
         {"group": "Funktionsstöd", "parts": (
             "Gruppbostad Almen", "Gruppbostad Eken", "Gruppbostad Linden",
             "Servicebostad Granen", "Servicebostad Tallbacken",
             "Bostad med särskild service för barn och unga enligt LSS",
             "Korttidsvistelse enligt LSS")}),
        ("Daglig verksamhet", "heading", "Funktionsstöd"),
        ("Daglig verksamhet Verkstan", "line", -4.6, -5.0, 0.4, -7.5,
         grp("Daglig verksamhet", "7221")),
        ("Daglig verksamhet Café Oasen", "line", -3.3, -3.0, -0.3, -4.5,
         grp("Daglig verksamhet", "7222")),
        ("Daglig verksamhet Trädgården", "line", -4.1, -4.0, -0.1, -6.0,
         grp("Daglig verksamhet", "7223")),
        ("Sysselsättning för personer med psykisk funktionsnedsättning", "line", -1.8, -2.0,
         0.2, -3.0, grp("Daglig verksamhet", "7224")),
        ("Summa Daglig verksamhet", "sum", -13.8, -14.0, 0.2, -21.0,
         {"group": "Funktionsstöd", "parts": (
             "Daglig verksamhet Verkstan", "Daglig verksamhet Café Oasen",
             "Daglig verksamhet Trädgården",
             "Sysselsättning för personer med psykisk funktionsnedsättning")}),
        ("Personlig assistans", "line", -42.5, -40.0, -2.5, -60.0, grp("Funktionsstöd", "7230")),
        ("Summa Funktionsstöd", "sum", -109.6, -107.0, -2.6, -160.5,
         parts("Summa Bostad med särskild service", "Summa Daglig verksamhet",
               "Personlig assistans")),
        ("Hälso- och sjukvård", "heading"),
        ("Kommunal hälso- och sjukvård, sjuksköterskor", "line", -29.2, -30.0, 0.8, -45.0,
         grp("Hälso- och sjukvård", "7310")),
        ("Rehabilitering", "line", -12.5, -12.0, -0.5, -18.0, grp("Hälso- och sjukvård", "7320")),
        ("Hjälpmedelscentralen", "line", -3.6, -4.0, 0.4, -6.0,
         grp("Hälso- och sjukvård", "7330")),
        ("Summa Hälso- och sjukvård", "sum", -45.3, -46.0, 0.7, -69.0,
         parts("Kommunal hälso- och sjukvård, sjuksköterskor", "Rehabilitering",
               "Hjälpmedelscentralen")),
        ("Anhörigstöd och frivilligsamordning", "line", -1.9, -2.0, 0.1, -3.0,
         grp("", "7900")),
        ("Summa Vård- och omsorgsnämnden", "result", -529.0, -525.0, -4.0, -787.5,
         parts("Nämnd och förvaltning", "Myndighetsutövning och biståndshandläggning",
               "Summa Äldreomsorg", "Summa Funktionsstöd", "Summa Hälso- och sjukvård",
               "Anhörigstöd och frivilligsamordning")),
    ),
    ram="Kommunbidrag",
)


# fmt: on


# --------------------------------------------------------------------------------------------
# Variants of a board's figures, for dialects that print the same figures another way.


def renamed(figs: Figures, names: dict, board: str | None = None) -> Figures:
    """Return the figures with rows relabelled (and sums' parts and groups following)."""

    def new(label):
        return names.get(label, label)

    def fix(tab: Table) -> Table:
        rows = tuple(
            replace(r, label=new(r.label), parts=tuple(new(p) for p in r.parts), group=r.group)
            for r in tab.rows
        )
        return Table(tab.measures, rows)

    return replace(
        figs, rr=fix(figs.rr), dr=fix(figs.dr), ram=new(figs.ram), board=board or figs.board
    )


def flat(figs: Figures) -> Figures:
    """Return the figures with the driftredovisning's groups, headings and subtotals removed."""
    lines = tuple(replace(r, group="") for r in figs.dr.rows if r.kind == "line")
    total = next(r for r in figs.dr.rows if r.kind == "result")
    total = replace(total, parts=tuple(r.label for r in lines))
    return replace(figs, dr=Table(figs.dr.measures, (*lines, total)))


def total_first(figs: Figures) -> Figures:
    """Return the figures with the driftredovisning's grand total printed first."""
    total = [r for r in figs.dr.rows if r.kind == "result"]
    rest = [r for r in figs.dr.rows if r.kind != "result"]
    return replace(figs, dr=Table(figs.dr.measures, (*total, *rest)))


def without_headings(figs: Figures) -> Figures:
    """Return the figures with the group heading rows removed (groups known by subtotals)."""
    rows = tuple(r for r in figs.dr.rows if r.kind != "heading")
    return replace(figs, dr=Table(figs.dr.measures, rows))


def with_value(figs: Figures, table_name: str, label: str, **values) -> Figures:
    """Return the figures with some printed amounts of one row changed (a typo, a lost sign)."""
    tab = getattr(figs, table_name)
    rows = tuple(
        replace(r, values={**r.values, **values}) if r.label == label else r for r in tab.rows
    )
    return replace(figs, **{table_name: Table(tab.measures, rows)})


def nested_bun() -> Figures:
    """BUN with Grundskola and Gymnasium inside a group Utbildning (groups nested two deep).

    Summa Utbildning = Summa Grundskola + Summa Gymnasium: −822,1 − 431,9 = −1 254,0;
    −821,0 − 432,0 = −1 253,0; −1,1 + 0,1 = −1,0; −1 235,0 − 648,0 = −1 883,0;
    −1 237,0 − 649,5 = −1 886,5; −2,0 − 1,5 = −3,5.
    """
    rows = []
    for r in BUN.dr.rows:
        if r.label == "Grundskola":
            rows.append(Row("Utbildning", "heading"))
        if r.label in ("Grundskola", "Gymnasium", "Summa Grundskola", "Summa Gymnasium"):
            r = replace(r, group="Utbildning")
        if r.kind == "result":
            r = replace(
                r,
                parts=("Nämnd och förvaltning", "Summa Förskola", "Summa Utbildning", "Elevhälsan"),
            )
        rows.append(r)
        if r.label == "Summa Gymnasium":
            values = dict(
                zip(BUN.dr.measures, (-1254.0, -1253.0, -1.0, -1883.0, -1886.5, -3.5), strict=True)
            )
            rows.append(
                Row(
                    "Summa Utbildning", "sum", values, parts=("Summa Grundskola", "Summa Gymnasium")
                )
            )
    return replace(BUN, dr=Table(BUN.dr.measures, tuple(rows)))
