"""Compare what klk_analysis.loading reads with what make.py built (books/expected.json)."""

from pathlib import Path

from klk_analysis import loading

KEYS = ("utfall", "budget", "budgetavvikelse", "arsbudget", "arsprognos", "avvikelse_arsprognos")


def compare(books: Path, name: str, exp: dict) -> str:
    """Return 'OK' or every way the loaded workbook differs from what was built."""
    try:
        wb = loading.load_workbook(books / name)
    except Exception as e:
        return f"LOAD FAILS: {type(e).__name__}: {str(e)[:200]}"
    out = []
    if wb.board != exp["board"]:
        out.append(f"board {wb.board!r} != {exp['board']!r}")
    per = f"{wb.period.year}-{wb.period.month:02d}"
    if per != exp["period"]:
        out.append(f"period {per} != {exp['period']}")
    for tname, t in (("rr", wb.resultatrakning), ("dr", wb.driftredovisning)):
        if t.unit != exp["unit"]:
            out.append(f"{tname} unit {t.unit} != {exp['unit']}")
        # at the year's end the budget to date is computed from the annual budget: it counts
        cols = {c.measure: c for c in t.all_columns if c.year == 2023}
        want = {
            k
            for _, vals in exp[tname]
            if vals
            for k, v in zip(KEYS, vals, strict=False)
            if v is not None
        }
        miss = [k for k in KEYS if k in want and k not in cols]
        if miss:
            out.append(f"{tname}: columns not read: {miss}")
        df = t.rows
        labels = [str(x).strip() for x in df["label"]]
        for label, vals in exp[tname]:
            lab = label.strip()
            if vals is None:
                continue
            if lab not in labels:
                out.append(f"{tname}: row {lab!r} missing (read: {labels})")
                continue
            i = labels.index(lab)
            for k, v in zip(KEYS, vals, strict=False):
                if v is not None and k in cols:
                    got = df.iloc[i][cols[k].id]
                    if abs(float(got) - v) > 1e-6:
                        out.append(f"{tname}: {lab!r} {k} read {got} expected {v}")
        extra = [lab_ for lab_ in labels if lab_ not in [x[0].strip() for x in exp[tname]]]
        if extra:
            out.append(f"{tname}: extra rows read {extra}")
    return "; ".join(out) or "OK"
