"""What the dashboard, its exports and the yearly report show: sections of cards and tables,
built once from the indicators (`dashboards.sections`) and read by each output (HTML with its
SVG chart, CSV, XLSX, the report's PDF). Small numbers are applied here, where a table is
assembled, so that no output can show a figure another one hides.

A `FigureTable` has rows (départements side by side, years, kinds…) and columns (figures);
each cell is a `Cell`: a value (`Shown`, `Suppressed`, or None when there is nothing to compute,
such as the median of no tenure) and the link to the list it counts, when the reader may see
that list. `count_table` assembles a table of counts about people, suppressing for partners
(`Scope.individual` False) with the table's margins, so that no hidden figure follows from the
shown ones."""

from dataclasses import dataclass, field

from .small_numbers import SUPPRESSED_NOTE, Shown, Suppressed, suppress_statistic, suppress_table

# How a column's figures read (the unit after the figure, in a cell and in an export's header).
COUNT, DAYS, PERCENT, LEVEL = "count", "days", "percent", "level"
UNITS = {COUNT: "", DAYS: "\u00a0j", PERCENT: "\u00a0%", LEVEL: ""}

# Charts the page draws (`dashboards.charts`): bars per row (one bar per column), stacked bars
# per row (the columns add up to the row), lines over the rows (years).
BARS, STACKED, LINES = "bars", "stacked", "lines"


@dataclass(frozen=True)
class Cell:
    value: object = None  # Shown | Suppressed | None
    link: str | None = None

    @property
    def label(self) -> str:
        return "–" if self.value is None else self.value.label

    @property
    def number(self):
        """The figure, or None when it is hidden or absent (charts and spreadsheets)."""
        return self.value.value if isinstance(self.value, Shown) else None

    @property
    def suppressed(self) -> bool:
        return isinstance(self.value, Suppressed)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    key: object  # a département code, a year, a kind…
    label: str
    cells: list  # [Cell], one per column
    link: str | None = None  # the list of the row as a whole (a département's schemes…)
    total: bool = False  # the table's total row, shown last and set apart


@dataclass
class FigureTable:
    """`slug` is unique in the dashboard (its exports are named after it); `description` says
    in one or two French sentences what is counted, and how."""

    slug: str
    title: str
    columns: list
    rows: list
    row_header: str = "Département"
    description: str = ""
    chart: str | None = None
    # For a chart in STACKED: the columns that add up (a total column is left out of the bars).
    chart_columns: list | None = None
    # `count_table`'s equations: each row's counts add up to its total column (`row_sums`),
    # each column's rows to the total row. A table of other figures has neither.
    row_sums: bool = False
    column_sums: bool = False

    @property
    def suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row.cells)

    @property
    def note(self) -> str:
        return SUPPRESSED_NOTE if self.suppressed else ""

    def add_column(self, column, cell_for):
        """A column computed beside the others (a rate, a median): `cell_for(row)` gives each
        row's `Cell`, the total row's included."""
        self.columns.append(column)
        for row in self.rows:
            row.cells.append(cell_for(row))

    def spreadsheet(self):
        """(header, rows) for `core.exports`: figures as shown on the page (numbers stay
        numbers, "< 3" and "–" are text), a unit in the header rather than in every cell."""
        header = [self.row_header] + [
            f"{column.label}{' (jours)' if column.kind == DAYS else ''}"
            f"{' (%)' if column.kind == PERCENT else ''}"
            for column in self.columns
        ]
        rows = [
            [row.label]
            + [cell.number if cell.number is not None else cell.label for cell in row.cells]
            for row in self.rows
        ]
        return header, rows


@dataclass(frozen=True)
class Card:
    """A key figure at the top of a section."""

    label: str
    value: object = None  # Shown | Suppressed | None
    kind: str = COUNT
    link: str | None = None
    detail: str = ""

    @property
    def cell(self) -> Cell:
        return Cell(self.value, self.link)


@dataclass
class Section:
    slug: str
    title: str
    cards: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    intro: str = ""
    links: list = field(default_factory=list)  # [(label, url)]: pages that go further

    def table(self, slug):
        return next((table for table in self.tables if table.slug == slug), None)


def shown(value):
    """A figure that is not about people (schemes, events, posts): never suppressed."""
    return None if value is None else Shown(value)


def count_table(
    *,
    slug,
    title,
    columns,
    rows,
    individual,
    total=None,
    row_totals=None,
    description="",
    row_header="Département",
    chart=None,
    chart_columns=None,
    links=None,
    total_links=None,
    row_links=None,
    total_label="Total",
    with_total=True,
):
    """A table of counts about people, suppressed for partners.

    `rows`: [(key, label, [int per column])]; `total`: [int per column] counted once over the
    scope (may be less than the sums: a person in two départements), or None for the sums;
    `row_totals`: when the last column is the row's total (people = present + absent), the
    index of that column, so that it takes part in the equations. `links`: {(row key, column
    key): url}, `total_links`: {column key: url}, `row_links`: {row key: url} — only where
    the reader may see the list (a suppressed cell never links)."""
    links = links or {}
    total_links = total_links or {}
    row_links = row_links or {}
    inner = [list(values) for _key, _label, values in rows]
    margin = None
    if row_totals is not None:
        margin = [values[row_totals] for values in inner]
        inner = [values[:row_totals] + values[row_totals + 1 :] for values in inner]
    if total is not None and row_totals is not None:
        grand = total[row_totals]
        total = list(total[:row_totals]) + list(total[row_totals + 1 :])
    else:
        grand = None
    if not inner or not inner[0]:
        suppressed_inner = [[] for _ in inner]
        suppressed_margin = [None for _ in inner]
        suppressed_total, suppressed_grand = [], None
    else:
        table = suppress_table(
            inner,
            individual=individual,
            row_totals=margin if margin is not None else False,
            column_totals=(list(total) if total is not None else True) if with_total else False,
            total=grand,
        )
        suppressed_inner = table.cells
        suppressed_margin = table.row_totals or [None for _ in inner]
        suppressed_total = table.column_totals or []
        suppressed_grand = table.total
    column_keys = [column.key for column in columns]

    def cells_of(values, margin_value, link_of):
        if row_totals is not None:
            values = values[:row_totals] + [margin_value] + values[row_totals:]
        result = []
        for column_key, value in zip(column_keys, values, strict=True):
            link = link_of(column_key) if isinstance(value, Shown) else None
            result.append(Cell(value, link))
        return result

    built = [
        Row(
            key,
            label,
            cells_of(suppressed_inner[i], suppressed_margin[i], lambda c, k=key: links.get((k, c))),
            link=row_links.get(key),
        )
        for i, (key, label, _values) in enumerate(rows)
    ]
    if rows and len(rows) > 1 and with_total:
        built.append(
            Row(
                None,
                total_label,
                cells_of(suppressed_total, suppressed_grand, total_links.get),
                total=True,
            )
        )
    return FigureTable(
        slug=slug,
        title=title,
        columns=columns,
        rows=built,
        row_header=row_header,
        description=description,
        chart=chart,
        chart_columns=chart_columns,
        row_sums=row_totals is not None,
        column_sums=len(rows) > 1 and with_total,
    )


def statistic_cell(value, people, *, individual, link=None, counts=()) -> Cell:
    """A median, a rate or an average computed over `people` persons (suppressed for partners
    over 1 or 2 people); None stays None (nothing to compute). A rate is hidden too when one of
    the `counts` cells it is computed from is: a rate and one count give the other back."""
    if not individual and any(cell.suppressed for cell in counts):
        return Cell(Suppressed())
    figure = suppress_statistic(value, people, individual=individual)
    return Cell(figure, link if isinstance(figure, Shown) else None)


def percent(part, whole):
    """`part` of `whole` in whole percents, or None when `whole` is 0."""
    return round(100 * part / whole) if whole else None
