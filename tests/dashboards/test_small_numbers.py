"""Figures about fewer than 3 people are hidden from partners, and cannot be recomputed from
the figures shown beside them (rows, columns, totals)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.small_numbers import (
    SUPPRESSED_LABEL,
    Shown,
    Suppressed,
    suppress_statistic,
    suppress_table,
)


def grid(table):
    """The table with its margins as one (rows + 1) × (columns + 1) grid of cells."""
    rows = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.total]]


def values_of(cells):
    return [[c.value if isinstance(c, Shown) else None for c in row] for row in cells]


def test_a_small_cell_and_its_complement_are_hidden_in_its_row_and_column():
    # 2 is hidden (primary); alone in its row it would be 10 - 8, so 8 is hidden too (inner
    # cells before totals); then its column would give it as 7 - 5: 5 is hidden; then 8's
    # column (12 - 4) and 5's row (9 - 4) need a second one: 4. The margins stay shown, and
    # the 2 × 2 inner cells with their margins leave one unknown free: nothing follows.
    table = suppress_table([[2, 8], [5, 4]], individual=False)
    assert values_of(grid(table)) == [
        [None, None, 10],
        [None, None, 9],
        [7, 12, 19],
    ]
    assert table.cells[0][0] == Suppressed() and table.cells[0][0].label == SUPPRESSED_LABEL


def test_zero_is_shown_and_large_tables_stay_readable():
    table = suppress_table([[0, 10], [4, 6]], individual=False)
    assert values_of(grid(table)) == [[0, 10, 10], [4, 6, 10], [4, 16, 20]]


def test_staff_see_every_figure():
    table = suppress_table([[2, 8], [5, 1]], individual=True)
    assert values_of(grid(table)) == [[2, 8, 10], [5, 1, 6], [7, 9, 16]]


def test_absent_hidden_means_present_hidden_too():
    # registered 12 = present 10 + absent 2: showing 12 and 10 would give 2 away.
    table = suppress_table([[10, 2]], individual=False, column_totals=False)
    assert table.cells == [[Suppressed(), Suppressed()]]
    assert table.row_totals == [Shown(12)]
    assert table.column_totals is None and table.total is None
    # Nobody absent: nothing to hide.
    table = suppress_table([[12, 0]], individual=False, column_totals=False)
    assert table.cells == [[Shown(12), Shown(0)]]


def test_a_small_total_is_hidden_with_its_parts():
    table = suppress_table([[1, 1]], individual=False, column_totals=False)
    assert table.cells == [[Suppressed(), Suppressed()]] and table.row_totals == [Suppressed()]


def rank(rows):
    """Rank of a matrix of Fractions (plain elimination, written apart from the module's)."""
    rows = [list(row) for row in rows]
    rank_ = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank_, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for r in range(rank_ + 1, len(rows)):
            factor = rows[r][column] / rows[rank_][column]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank_], strict=True)]
        rank_ += 1
    return rank_


def determined_cells(cells):
    """Positions of hidden cells of the full grid whose value follows exactly from the shown
    ones: a unit vector in the span of the grid's equations (each row and each column of the
    grid sums to its last cell) restricted to the hidden cells."""
    hidden = [(i, j) for i, row in enumerate(cells) for j, c in enumerate(row) if c == Suppressed()]
    if not hidden:
        return []
    n, m = len(cells), len(cells[0])
    lines = [[(i, j) for j in range(m)] for i in range(n)]
    lines += [[(i, j) for i in range(n)] for j in range(m)]
    equations = []
    for line in lines:
        *members, total = line
        coefficient = dict.fromkeys(members, 1) | {total: -1}
        equations.append([Fraction(coefficient.get(key, 0)) for key in hidden])
    base = rank(equations)
    found = []
    for position, key in enumerate(hidden):
        unit = [Fraction(int(p == position)) for p in range(len(hidden))]
        if rank([*equations, unit]) == base:
            found.append(key)
    return found


small_tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(
                st.one_of(st.integers(0, 4), st.integers(0, 40)), min_size=columns, max_size=columns
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(small_tables)
def test_no_hidden_figure_can_be_recomputed(cells):
    table = suppress_table(cells, individual=False)
    full = grid(table)
    raw = [[*row, sum(row)] for row in cells]
    raw.append([sum(column) for column in zip(*raw, strict=True)])
    for i, row in enumerate(full):
        for j, cell in enumerate(row):
            if 0 < raw[i][j] < 3:
                assert cell == Suppressed(), (i, j)
            if cell != Suppressed():
                assert cell == Shown(raw[i][j])
    # The simple check: no row or column of the grid has exactly one hidden cell…
    for line in [*full, *zip(*full, strict=True)]:
        assert sum(cell == Suppressed() for cell in line) != 1
    # …nor one whose hidden cells follow from their bounds (1 to 2 each)…
    for shown_line, raw_line in [
        *zip(full, raw, strict=True),
        *zip(zip(*full, strict=True), zip(*raw, strict=True), strict=True),
    ]:
        assert not pinned_by_bounds(shown_line, raw_line), (shown_line, raw_line)
    # …and the complete one: no hidden cell follows from any combination of rows and columns.
    assert determined_cells(full) == []


def pinned_by_bounds(shown_line, raw_line):
    """A reader who takes each hidden member of the line (its last cell the total) as 1 or 2
    finds them all when their sum, the total less the shown members, is their number or twice
    it, and is right when each is that value."""
    *members, total = shown_line
    if total == Suppressed():
        return False
    secret = [i for i, cell in enumerate(members) if cell == Suppressed()]
    left = raw_line[-1] - sum(raw_line[i] for i, cell in enumerate(members) if cell != Suppressed())
    if len(secret) < 2 or left not in (len(secret), 2 * len(secret)):
        return False
    return all(raw_line[i] == left // len(secret) for i in secret)  # and the reading is true


def test_hidden_figures_are_not_given_away_by_their_bounds():
    """Zeros shown, three « < 3 » and a total of 3 (the user test's tutoring pairs): each is 1.
    More figures are hidden, until their sum no longer pins them."""
    table = suppress_table([[0, 1, 0, 1, 1, 0, 0, 5]], individual=False, column_totals=False)
    row = [*table.cells[0], table.row_totals[0]]
    assert not pinned_by_bounds(row, [0, 1, 0, 1, 1, 0, 0, 5, 8])
    hidden = [i for i, cell in enumerate(row) if cell == Suppressed()]
    # The 5 hides with them: four share 8, which reads "all 2", and is wrong.
    assert hidden == [1, 3, 4, 7]
    two_twos = suppress_table([[2, 2, 7]], individual=False, column_totals=False)
    assert two_twos.cells[0][2] == Suppressed()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=1, max_size=4))
def test_parts_beside_their_total_cannot_be_recomputed(parts):
    table = suppress_table([parts], individual=False, column_totals=False)
    row = [*table.cells[0], table.row_totals[0]]
    for cell, value in zip(row, [*parts, sum(parts)], strict=True):
        assert cell == Suppressed() if 0 < value < 3 else cell in (Shown(value), Suppressed())
    assert sum(cell == Suppressed() for cell in row) != 1


def test_a_figure_given_away_by_rows_and_columns_together_is_protected():
    # Every row and column holds 0 or 2+ small cells, yet (0, 2) is rows 0–1 and columns 0–1
    # put together: c00 + c01 = (column 0 + column 1) - (row 1's two), so c02 = row 0 minus
    # the rest. The plain per-line rule misses it; the linear check hides one more cell.
    cells = [
        [1, 1, 1, 9, 9],
        [1, 1, 9, 9, 9],
        [9, 9, 1, 1, 9],
        [9, 9, 1, 1, 9],
        [9, 9, 9, 9, 9],
    ]
    table = suppress_table(cells, individual=False)
    assert determined_cells(grid(table)) == []
    hidden = sum(cell == Suppressed() for row in grid(table) for cell in row)
    assert hidden > 9


def test_a_median_or_a_rate_over_one_or_two_people_is_hidden_from_partners():
    assert suppress_statistic(730, 1, individual=False) == Suppressed()  # that one tenure
    assert suppress_statistic(50, 2, individual=False) == Suppressed()  # 1 present of 2
    assert suppress_statistic(730, 1, individual=True) == Shown(730)
    assert suppress_statistic(1293, 3, individual=False) == Shown(1293)
    assert suppress_statistic(None, 0, individual=False) is None
