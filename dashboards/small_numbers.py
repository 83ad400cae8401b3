"""Small numbers: a figure about fewer than 3 people is not shown to readers who may not see
individual rows (partners, `Scope.individual` False), and cannot be recomputed from the figures
that are shown.

A table (rows × columns, with row totals, column totals and a grand total) goes through the
standard two steps:

- primary suppression: every cell, total included, worth 1 or 2;
- secondary (complementary) suppression: while a suppressed cell can be computed exactly from
  the shown cells and totals, the smallest shown cell of one of its lines is suppressed too
  (inner cells before totals): first while a row or a column has exactly one suppressed cell;
  then while a line's suppressed cells follow from their bounds (shown zeros make each at
  least 1, « < 3 » at most 2: three of them left 3 by the total are 1 each); then while a less
  obvious combination of rows and columns gives one away (checked by exact linear algebra).
  This stops, since each round hides one more cell.

0 is shown: it is about nobody, and "no vacant post" is worth saying. A zero is suppressed only
as a last resort, when every other cell of the line is already hidden or zero.

Every suppressed cell reads the same (`SUPPRESSED_LABEL`), primary or not: telling them apart
would say which hidden cells are 1 or 2, and so bound the others. `SUPPRESSED_NOTE` says what
the mark means under a table."""

from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 3
SUPPRESSED_LABEL = "< 3"
SUPPRESSED_NOTE = (
    "« < 3 » : moins de 3 personnes, ou chiffre masqué pour qu’on ne puisse pas retrouver "
    "un petit nombre par soustraction."
)


@dataclass(frozen=True)
class Shown:
    value: int

    @property
    def label(self) -> str:
        # French figures: 2,7 and 2 269 (a figure is an int, or an average with one decimal).
        if isinstance(self.value, int):
            return f"{self.value:,}".replace(",", "\u202f")
        return str(self.value).replace(".", ",")


@dataclass(frozen=True)
class Suppressed:
    label = SUPPRESSED_LABEL


@dataclass(frozen=True)
class Table:
    """`cells[i][j]`; `row_totals[i]`, `column_totals[j]` and `total` are None when the table
    has no such margin."""

    cells: list
    row_totals: list | None
    column_totals: list | None
    total: object | None


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def suppress_table(cells, *, individual, row_totals=True, column_totals=True, total=None) -> Table:
    """`cells` (a list of rows of ints) with its margins, each figure `Shown` or `Suppressed`.
    A reader who sees individual rows (`individual`: staff) gets every figure shown.

    A margin is True (the sums of the cells), False (none) or the list of its values, when the
    figures counted once differ from the sums (a person in two départements counts in each row,
    once in the total); `total` likewise overrides the grand total. The equations stay those of
    the sums: hiding what they would give away also hides what the near-sums give away.

    A single figure beside its total ("registered = present + absent") is a one-row table
    without column totals: `suppress_table([[present, absent]], column_totals=False, …)`."""
    n_rows = len(cells)
    n_columns = len(cells[0]) if cells else 0
    values = {("c", i, j): cells[i][j] for i in range(n_rows) for j in range(n_columns)}
    equations = []  # (total key, member keys): sum(members) == total
    if row_totals is not False:
        for i in range(n_rows):
            values["r", i] = row_totals[i] if isinstance(row_totals, list) else sum(cells[i])
            equations.append((("r", i), [("c", i, j) for j in range(n_columns)]))
    if column_totals is not False:
        for j in range(n_columns):
            values["k", j] = (
                column_totals[j]
                if isinstance(column_totals, list)
                else sum(cells[i][j] for i in range(n_rows))
            )
            equations.append((("k", j), [("c", i, j) for i in range(n_rows)]))
    if row_totals is not False and column_totals is not False:
        values["t",] = total if total is not None else sum(values["r", i] for i in range(n_rows))
        equations.append((("t",), [("r", i) for i in range(n_rows)]))
        equations.append((("t",), [("k", j) for j in range(n_columns)]))
    hidden = set() if individual else suppressed_keys(values, equations)

    def cell(key):
        return Suppressed() if key in hidden else Shown(values[key])

    return Table(
        cells=[[cell(("c", i, j)) for j in range(n_columns)] for i in range(n_rows)],
        row_totals=[cell(("r", i)) for i in range(n_rows)] if row_totals is not False else None,
        column_totals=(
            [cell(("k", j)) for j in range(n_columns)] if column_totals is not False else None
        ),
        total=cell(("t",)) if row_totals is not False and column_totals is not False else None,
    )


def suppressed_keys(values: dict, equations: list) -> set:
    """The keys of `values` to hide: primary, then secondary until no hidden value is
    determined by the shown ones through `equations` (sum of members == total)."""
    hidden = {key for key, value in values.items() if is_small(value)}
    order = {key: position for position, key in enumerate(values)}
    lines = [[total, *members] for total, members in equations]

    def best(candidates):
        # Inner cells before totals, the smallest non-zero figure first, zero last.
        return min(candidates, key=lambda k: (k[0] != "c", values[k] == 0, values[k], order[k]))

    while True:
        # The plain rule first: a line with one hidden figure gets a second one.
        lone = next((line for line in lines if sum(key in hidden for key in line) == 1), None)
        if lone is not None:
            hidden.add(best([key for key in lone if key not in hidden]))
            continue
        # A line whose hidden figures a reader pins down from their bounds: zeros are shown,
        # so each hidden figure is at least 1, and « < 3 » reads as at most 2; hidden figures
        # whose sum (the shown total less the shown figures) is their number, or twice it, are
        # then all 1, or all 2.
        pinned = next((line for line in lines if _pinned(line, hidden, values)), None)
        if pinned is not None:
            hidden.add(best([key for key in pinned if key not in hidden]))
            continue
        # Then what only a combination of lines gives away.
        determined = _determined(hidden, lines, order)
        if not determined:
            return hidden
        key = min(determined, key=order.get)
        candidates = [
            other for line in lines if key in line for other in line if other not in hidden
        ]
        if not candidates:  # its lines are all hidden: a figure further away
            candidates = [other for other in values if other not in hidden]
        hidden.add(best(candidates))


def _pinned(line: list, hidden: set, values: dict) -> bool:
    """The hidden figures of `line` ([total, *members]) follow from their bounds (1 to 2 each,
    as « < 3 » among shown zeros reads) and the sum the shown figures leave to them, and what
    follows is true."""
    total, *members = line
    if total in hidden:
        return False
    secret = [key for key in members if key in hidden]
    left = values[total] - sum(values[key] for key in members if key not in hidden)
    if len(secret) < 2 or left not in (len(secret), 2 * len(secret)):
        return False
    # What the reader finds is true only if each is that value (a larger figure hidden with
    # them, or a hidden zero, makes the reading wrong, and so protects them).
    return all(values[key] == left // len(secret) for key in secret)


def _determined(hidden: set, lines: list, order: dict) -> list:
    """Hidden keys whose value follows from the shown ones: e_k is in the row space of the
    equations restricted to the hidden keys (exact, with fractions). A row of the reduced
    echelon form that is e_k says so."""
    columns = sorted(hidden, key=order.get)
    index = {key: position for position, key in enumerate(columns)}
    rows = []
    for total, *members in lines:
        row = [Fraction(0)] * len(columns)
        if total in index:
            row[index[total]] -= 1
        for member in members:
            if member in index:
                row[index[member]] += 1
        if any(row):
            rows.append(row)
    pivot_row = 0
    for column in range(len(columns)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        pivot = rows[pivot_row][column]
        rows[pivot_row] = [value / pivot for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return [
        columns[row.index(1)] for row in rows[:pivot_row] if sum(1 for value in row if value) == 1
    ]


def suppress_statistic(value, people: int, *, individual):
    """A figure computed over `people` persons (a median tenure, a rate, a share): over 1 or 2
    people it tells about them (the median of one tenure is that tenure), so partners get it
    suppressed; None (nothing to compute) stays None. Nobody can recompute it from a total, so
    no complementary cell is needed, but the count it is computed over goes through
    `suppress_table` with the rest of its table."""
    if value is None:
        return None
    if not individual and is_small(people):
        return Suppressed()
    return Shown(value)
