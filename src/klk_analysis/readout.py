"""How a workbook was read, for a person to check at a glance (`klk check --visa`)."""

from klk_analysis import wording
from klk_analysis.loading import UNIT_NAMES_SV, Table, Workbook
from klk_analysis.vocabulary import PACKAGED
from klk_analysis.vocabulary import load as load_vocabulary


def _word_source(phrase: str, measure: str) -> str:
    """Name the user's file a header word came from; empty for the packaged words."""
    source = load_vocabulary().source("measures", measure, phrase)
    return "" if source in (None, PACKAGED) else str(source)


def describe_table(table: Table) -> dict:
    """Return how one table was read: sheet, header rows, unit, columns and rows."""
    columns = [
        {
            "kolumn": c.letter or "–",
            "rubrik": c.header,
            "läst_som": wording.MEASURE_NAMES[c.measure],
            "år": c.year,
            "månad": c.month,
            "beräknad": c.derived,
            "ord_från": _word_source(c.phrase, c.measure),
        }
        for c in table.all_columns
    ]
    ignored = [
        {"kolumn": letter, "rubrik": header, "läst_som": f"ignorerad: {why}"}
        for letter, header, why in table.ignored
    ]
    rows = [
        {
            "rad": int(r.excel_row),
            "text": r.label,
            "kod": r.code,
            "typ": wording.ROW_KINDS.get(r.kind, r.kind),
            "grupp": r.group,
        }
        for r in table.rows.itertuples()
    ] + [
        {"rad": row, "text": label, "kod": "", "typ": wording.ROW_KINDS["heading"], "grupp": ""}
        for row, label in table.headings
    ]
    return {
        "tabell": wording.TABLE_NAMES[table.name],
        "blad": table.sheet,
        "rubrikrader": list(table.header_rows),
        "enhet": UNIT_NAMES_SV[table.unit],
        "enhet_från": table.unit_source or "inte angiven",
        "radtextkolumn": table.label_header,
        "kodkolumn": table.code_header,
        "kolumner": columns + ignored,
        "rader": sorted(rows, key=lambda r: r["rad"]),
    }


def describe(workbook: Workbook) -> dict:
    """Return how the whole workbook was read, as plain data (the --json form of --visa)."""
    return {
        "fil": str(workbook.path),
        "period": str(workbook.period),
        "period_från": workbook.period_source,
        "nämnd": workbook.board,
        "nämnd_från": workbook.board_source,
        "ordlistor": [str(f) for f in workbook.vocabulary_files],
        "tabeller": [
            describe_table(workbook.resultatrakning),
            describe_table(workbook.driftredovisning),
        ],
    }


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return [x.rstrip() for x in out]


def describe_text(workbook: Workbook) -> str:
    """Return how the workbook was read, as text tables."""
    d = describe(workbook)
    lines = [
        f"Fil: {d['fil']}",
        f"Nämnd: {d['nämnd']} (från {d['nämnd_från']})",
        f"Period: {d['period']} (från {d['period_från']})",
        "Ordlistor: " + ", ".join(d["ordlistor"]),
    ]
    for table in d["tabeller"]:
        lines += [
            "",
            f"{table['tabell']}: blad {table['blad']!r}, rubrikrad "
            + ", ".join(str(r) for r in table["rubrikrader"])
            + f", enhet {table['enhet']} (från {table['enhet_från']})"
            + (f", kodkolumn {table['kodkolumn']!r}" if table["kodkolumn"] else ""),
        ]
        rows = []
        for c in table["kolumner"]:
            if "år" in c:
                how = f"{c['läst_som']} {c['år']}" + (
                    f", t.o.m. månad {c['månad']}" if c["läst_som"] in TO_DATE else ""
                )
                how += " (beräknad ur andra kolumner)" if c["beräknad"] else ""
                how += f" (ordet från {c['ord_från']})" if c.get("ord_från") else ""
            else:
                how = c["läst_som"]
            rows.append([c["kolumn"], c["rubrik"], how])
        lines += _grid(["Kolumn", "Rubrik", "Läst som"], rows)
        lines.append("")
        lines += _grid(
            ["Rad", "Text", "Kod", "Typ", "Grupp"],
            [[str(r["rad"]), r["text"], r["kod"], r["typ"], r["grupp"]] for r in table["rader"]],
        )
    return "\n".join(lines)


TO_DATE = {wording.MEASURE_NAMES[m] for m in ("utfall", "budget", "budgetavvikelse")}
