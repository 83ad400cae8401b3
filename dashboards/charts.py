"""Charts drawn on the server as SVG (no JavaScript, strict CSP, printable, and WeasyPrint draws
them in the yearly report's PDF). Each chart is computed from a `FigureTable` and always shown
beside that table, which is the chart's text for screen readers: the SVG is `aria-hidden`.

A hidden ("< 3") or absent figure is not drawn (a bar would give its size away); the table says
why."""

from dataclasses import dataclass, field

from .tables import BARS, COUNT, LINES, STACKED

# Colour-blind-safe palette (Okabe–Ito), in the order of the columns.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#6C757D")
WIDTH = 640
LABEL_WIDTH = 230
BAR_HEIGHT = 16
GAP = 10
LINE_HEIGHT = 220
MARGIN = 30
GRID = {"stroke": "#dee2e6", "stroke-width": 1}  # attributes: WeasyPrint ignores CSS on SVG


@dataclass
class Shape:
    kind: str  # "rect" | "text" | "line" | "polyline" | "circle"
    attrs: dict
    text: str = ""


@dataclass
class Chart:
    width: int
    height: int
    shapes: list = field(default_factory=list)
    legend: list = field(default_factory=list)  # [(colour, label)]


def _columns(table):
    keys = table.chart_columns or [c.key for c in table.columns if c.kind == COUNT]
    return [(index, column) for index, column in enumerate(table.columns) if column.key in keys]


def _axis(value):
    """(top, step): a round axis at or above `value`, in at most 5 whole steps of 1, 2 or 5 ×
    10^n (never "12.5" on a count of people)."""
    if value <= 0:
        return 4, 1
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = magnitude * factor
            if step * 5 >= value:
                return int(-(-value // step) * step), step
        magnitude *= 10


def _rows(table):
    return [row for row in table.rows if not row.total]


def _bars(table, stacked):
    columns = _columns(table)
    rows = _rows(table)
    values = [[row.cells[index].number or 0 for index, _c in columns] for row in rows]
    largest = max((sum(v) if stacked else max(v, default=0)) for v in values) if values else 0
    top, tick = _axis(largest)
    per_row = BAR_HEIGHT if stacked else BAR_HEIGHT * len(columns)
    height = MARGIN + len(rows) * (per_row + GAP)
    scale = (WIDTH - LABEL_WIDTH - 20) / top
    chart = Chart(WIDTH, height)
    chart.legend = [(PALETTE[i % len(PALETTE)], c.label) for i, (_x, c) in enumerate(columns)]
    for value in range(0, top + 1, tick):
        x = LABEL_WIDTH + value * scale
        chart.shapes.append(
            Shape("line", {"x1": x, "y1": MARGIN - 6, "x2": x, "y2": height - MARGIN, **GRID})
        )
        chart.shapes.append(
            Shape("text", {"x": x, "y": MARGIN - 10, "text-anchor": "middle"}, str(value))
        )
    y = MARGIN
    for row, row_values in zip(rows, values, strict=True):
        chart.shapes.append(
            Shape(
                "text",
                {"x": LABEL_WIDTH - 8, "y": y + per_row / 2 + 4, "text-anchor": "end"},
                _short(row.label),
            )
        )
        x = LABEL_WIDTH
        for i, value in enumerate(row_values):
            width = value * scale
            colour = PALETTE[i % len(PALETTE)]
            if width:
                chart.shapes.append(
                    Shape(
                        "rect",
                        {
                            "x": round(x, 1),
                            "y": round(y if stacked else y + i * BAR_HEIGHT, 1),
                            "width": round(width, 1),
                            "height": BAR_HEIGHT - 2,
                            "fill": colour,
                        },
                    )
                )
            if stacked:
                x += width
        y += per_row + GAP
    return chart


def _short(label, length=32):
    return label if len(label) <= length else label[: length - 1] + "…"


def _lines(table):
    columns = _columns(table)
    rows = _rows(table)
    height = LINE_HEIGHT
    values = [[row.cells[index].number for index, _c in columns] for row in rows]
    top, tick = _axis(max((v or 0) for line in values for v in line) if values else 0)
    left, right, bottom = 50, WIDTH - 20, height - MARGIN
    chart = Chart(WIDTH, height)
    chart.legend = [(PALETTE[i % len(PALETTE)], c.label) for i, (_x, c) in enumerate(columns)]
    for value in range(0, top + 1, tick):
        y = bottom - value * (bottom - MARGIN) / top
        chart.shapes.append(Shape("line", {"x1": left, "y1": y, "x2": right, "y2": y, **GRID}))
        chart.shapes.append(
            Shape("text", {"x": left - 6, "y": y + 4, "text-anchor": "end"}, str(value))
        )
    span = max(len(rows) - 1, 1)

    def x_of(i):
        return left + 20 + i * (right - left - 40) / span

    for i, row in enumerate(rows):
        chart.shapes.append(
            Shape("text", {"x": x_of(i), "y": height - 8, "text-anchor": "middle"}, row.label)
        )
    for j, (_index, _column) in enumerate(columns):
        colour = PALETTE[j % len(PALETTE)]
        points = []
        for i in range(len(rows)):
            value = values[i][j]
            if value is None:  # hidden or absent: the line breaks there
                if len(points) > 1:
                    chart.shapes.append(_polyline(points, colour))
                points = []
                continue
            point = (round(x_of(i), 1), round(bottom - value * (bottom - MARGIN) / top, 1))
            points.append(point)
            chart.shapes.append(
                Shape("circle", {"cx": point[0], "cy": point[1], "r": 4, "fill": colour})
            )
        if len(points) > 1:
            chart.shapes.append(_polyline(points, colour))
    return chart


def _polyline(points, colour):
    return Shape(
        "polyline",
        {
            "points": " ".join(f"{x},{y}" for x, y in points),
            "fill": "none",
            "stroke": colour,
            "stroke-width": 3,
        },
    )


def chart_for(table) -> Chart | None:
    """The chart of `table`, or None when it has none or nothing to draw."""
    if table.chart is None or not _rows(table) or not _columns(table):
        return None
    if not any(row.cells[index].number for row in _rows(table) for index, _c in _columns(table)):
        return None  # nothing to draw: every figure is 0, hidden or absent
    if table.chart == LINES:
        return _lines(table)
    return _bars(table, stacked=table.chart == STACKED) if table.chart in (BARS, STACKED) else None
