"""Tables of people's figures by département, from an indicator's `Split`
(`dashboards.indicators.people`), shared by the learning and network sections.

Rows are the scope's départements in code order (zeros included), then, for the region, the
people whose département is unknown when there are some; small numbers are applied by
`dashboards.tables.count_table`, and the cards repeat a table's total as it is shown there, so
that a card never shows a figure its table hides."""

from ..small_numbers import Shown
from ..tables import Cell


def department_label(context, code) -> str:
    if code is None:
        return context.department_name(None)
    return f"{context.department_name(code)} ({code})"


def department_rows(context, split, names) -> list:
    """[(code, label, [figure per name])] for `count_table`."""
    codes = [code for code, _name in context.departments]
    if None in split.departments:
        codes.append(None)
    zero = dict.fromkeys(names, 0)
    return [
        (
            code,
            department_label(context, code),
            [split.departments.get(code, zero)[name] for name in names],
        )
        for code in codes
    ]


def total_cell(table, key) -> Cell:
    """The cell of column `key` in `table`'s total row (its only row when it has one), as
    suppressed there; an empty table counts nothing: 0."""
    index = next(i for i, column in enumerate(table.columns) if column.key == key)
    rows = [row for row in table.rows if row.total] or table.rows
    if not rows:
        return Cell(Shown(0))
    return rows[-1].cells[index]


def whole_scope_links(rows, urls) -> tuple:
    """(links, total_links) for `count_table` when the lists `urls` ({column key: url}) show
    the scope as a whole: on the total row, or on the only row when the scope is one
    département (the table then has no total row)."""
    if len(rows) == 1:
        return {(rows[0][0], key): url for key, url in urls.items()}, None
    return None, urls
