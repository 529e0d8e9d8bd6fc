"""The structure of a printed table: which rows are sums, of which rows, and in which group.

Tables as boards print them: lines, sums of lines ("Summa intäkter", "Verksamhetens
nettokostnad"), groups of units under a heading or closed by a subtotal ("Summa Grundskola"),
nested groups, units outside any group, a grand total last or first ("Totalt"). The structure
is read from the words of the rows and from the figures themselves: a sum takes the rows above
it that its figures add up to; when no choice of rows adds up (a real error in the workbook) it
takes the rows the layout gives it, so that reconciliation reports the gap on the right rows.
"""

from dataclasses import dataclass

# A sum of a few rows differs from its printed figure by rounding; this picks the parts, the
# reconciliation's own tolerance decides whether the difference is an error.
MATCH_TOLERANCE = 0.2
_NOISE = 0.005


@dataclass(frozen=True)
class Row:
    """What the structure finder needs of a row: its label words, figures and what it says it is."""

    label: str
    values: tuple[float, ...]  # one per measure column; empty for a heading
    says_sum: bool = False  # "Summa …", "Totalt", "Verksamhetens nettokostnad"
    says_result: bool = False  # "Årets resultat": the table's result
    heading: bool = False  # a label without figures
    varav: bool = False  # "varav …": part of the row above, not of any sum
    name: str = ""  # the group a sum closes: "Summa Grundskola" → "Grundskola"


@dataclass(frozen=True)
class Structure:
    """Per row (same order as given): its kind, the rows it sums, its group's name and depth."""

    kinds: tuple[str, ...]
    parts: dict[int, tuple[int, ...]]
    groups: tuple[str, ...]
    total: int | None
    reversed: bool = False


def _matches(row: Row, rows: list[Row], members: list[int]) -> int:
    """Count the columns in which the members add up to the row's figure."""
    if not members:
        return 0  # no rows add up to nothing: a result printed as 0,0 is not "the sum of none"
    count = 0
    for j, printed in enumerate(row.values):
        computed = sum(rows[m].values[j] for m in members)
        if abs(printed - computed) <= MATCH_TOLERANCE + 1e-9:
            count += 1
    return count


def _nonzero(row: Row) -> int:
    return sum(abs(v) >= _NOISE for v in row.values)


def _default_parts(open_items: list[int], is_sum: dict[int, bool], last: bool) -> int:
    """How many trailing open items a sum takes by layout alone."""
    if last:
        return len(open_items)
    k = 0
    while k < len(open_items) and not is_sum[open_items[-1 - k]]:
        k += 1
    if k:
        return k
    while k < len(open_items) and is_sum[open_items[-1 - k]]:
        k += 1
    return k


def _totals_ahead(rows: list[Row], figures: list[int]) -> dict[int, list[int]]:
    """Group totals printed above their parts ("Intäkter" over its lines), found by figures."""
    found: dict[int, list[int]] = {}
    taken: set[int] = set()
    for n, i in enumerate(figures):
        row = rows[i]
        if row.says_sum or row.says_result or i in taken or _nonzero(row) < 2:
            continue
        members: list[int] = []
        for j in figures[n + 1 :]:
            if rows[j].says_sum or rows[j].says_result or j in taken:
                break
            members.append(j)
            if len(members) >= 2 and _matches(row, rows, members) == len(row.values):
                found[i] = list(members)
                taken |= {i, *members}
                break
    return found


def _close(frames: list, open_items: list[int], names: dict, keep: int) -> None:
    """Close the headings whose items start at or after `keep`: their items are named."""
    while frames and frames[-1][1] >= keep and frames[-1][1] < len(open_items):
        name, start = frames.pop()
        for m in open_items[start:]:
            names.setdefault(("member", m), name)
    while frames and frames[-1][1] >= len(open_items):
        frames.pop()  # a heading with no items under it


def _parse(rows: list[Row], order: list[int], headings: bool) -> tuple[dict, dict, dict, int]:
    """One pass over the rows in `order`: return parts, sum flags, group names, and a score."""
    parts: dict[int, tuple[int, ...]] = {}
    is_sum: dict[int, bool] = {}
    names: dict = {}
    open_items: list[int] = []
    frames: list[tuple[str, int]] = []  # open headings: name and where their items start
    score = 0
    figures = [i for i in order if not rows[i].heading and not rows[i].varav]
    last_sum = max(
        (n for n, i in enumerate(figures) if rows[i].says_sum or rows[i].says_result), default=-1
    )
    position = {i: n for n, i in enumerate(order)}
    previous = -1
    pending: list[int] = []  # a total above everything ("Totalt" first): it takes what follows
    ahead = _totals_ahead(rows, figures) if headings else {}
    inside = {m for members in ahead.values() for m in members}
    for n, i in enumerate(figures):
        row = rows[i]
        if i in inside:
            is_sum[i] = False  # a part of the group total printed above it
            previous = position[i]
            continue
        if i in ahead:
            parts[i], is_sum[i] = tuple(ahead[i]), True
            score += len(row.values)
            open_items.append(i)
            previous = position[i]
            continue
        if (row.says_sum or row.says_result) and not open_items and not frames and headings:
            pending.append(i)
            previous = position[i]
            continue
        for h in order[previous + 1 : position[i]]:
            if headings and rows[h].heading:
                if frames and open_items and not is_sum[open_items[-1]]:
                    # a heading after lines closes the group before it, which has no subtotal
                    _close(frames, open_items, names, frames[-1][1])
                frames.append((rows[h].label, len(open_items)))
        previous = position[i]
        candidates = range(1, len(open_items) + 1)
        if not (row.says_sum or row.says_result):
            # a row whose figures are the sum of the rows above it, without a sum word
            found = [
                k
                for k in candidates
                if k >= 2
                and _nonzero(row) >= 2
                and _matches(row, rows, open_items[len(open_items) - k :]) == len(row.values)
            ]
            if not found:
                open_items.append(i)
                is_sum[i] = False
                continue
            k = found[0]
            score += len(row.values)
        else:
            heading_k = None
            if frames and frames[-1][1] < len(open_items):
                heading_k = len(open_items) - frames[-1][1]
            layout = _default_parts(open_items, is_sum, n == last_sum)
            default = heading_k if heading_k and n != last_sum else layout
            # the layout's choice first: another wins only by adding up in more columns, so
            # when nothing adds up the layout decides
            k, best_score = default, -1
            for option in [default, *[c for c in candidates if c != default]]:
                got = _matches(row, rows, open_items[len(open_items) - option :])
                if got > best_score:
                    k, best_score = option, got
            score += best_score
            if heading_k and k == heading_k:
                name, _ = frames.pop()
                names[i] = name
        _close(frames, open_items, names, len(open_items) - k)
        parts[i] = tuple(open_items[len(open_items) - k :])
        is_sum[i] = True
        open_items = [*open_items[: len(open_items) - k], i]
    _close(frames, open_items, names, 0)
    for i in pending[:1]:
        parts[i] = tuple(open_items)
        is_sum[i] = True
        score += _matches(rows[i], rows, open_items)
    for i in pending[1:]:
        is_sum[i] = False
    return parts, is_sum, names, score


def find_structure(rows: list[Row]) -> Structure:
    """Find each row's kind ('line', 'sum', 'result', 'varav'), its parts and its group."""
    forward = list(range(len(rows)))
    result = _parse(rows, forward, headings=True)
    backward = _parse(rows, forward[::-1], headings=False)
    first_figure = next((r for r in rows if not r.heading and not r.varav), None)
    total_first = first_figure is not None and (first_figure.says_sum or first_figure.says_result)
    use_reverse = backward[3] > result[3] or (backward[3] == result[3] and total_first)
    parts, is_sum, names, _ = backward if use_reverse else result
    # The total: the result row by its words, else the one sum that holds everything else.
    results = [i for i, r in enumerate(rows) if r.says_result and is_sum.get(i)]
    parents = {m: s for s, members in parts.items() for m in members}
    roots = [i for i in is_sum if i not in parents]
    total = results[-1] if results else None
    if total is None:
        root_sums = [i for i in roots if is_sum[i]]
        if len(root_sums) == 1 and len(roots) == 1:
            total = root_sums[0]
    kinds, groups = [], []
    for i, row in enumerate(rows):
        if row.heading:
            kinds.append("heading")
        elif row.varav:
            kinds.append("varav")
        elif i == total:
            kinds.append("result")
        elif is_sum.get(i):
            kinds.append("sum")
        else:
            kinds.append("line")
        groups.append(_group_of(i, parents, names, rows, total))
    return Structure(tuple(kinds), parts, tuple(groups), total, use_reverse)


def group_name(row: Row, names: dict, index: int) -> str:
    """A group's name: its heading, else its subtotal's label without the sum word."""
    if index in names:
        return names[index]
    return row.name or row.label


def _group_of(i: int, parents: dict, names: dict, rows: list[Row], total) -> str:
    parent = parents.get(i)
    if parent is not None and parent != total:
        return group_name(rows[parent], names, parent)
    return names.get(("member", i), "")
