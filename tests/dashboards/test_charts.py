"""The SVG charts: drawn from a table's shown figures only, on whole-number axes."""

from dashboards.charts import _axis, chart_for
from dashboards.small_numbers import Shown, Suppressed
from dashboards.tables import BARS, LINES, PERCENT, STACKED, Cell, Column, FigureTable, Row
from dashboards.templatetags.dashboards import figure_chart, figure_rows


def figure_table(chart, rows):
    return FigureTable(
        slug="t",
        title="T",
        columns=[Column("a", "A"), Column("b", "B")],
        rows=[Row(key, str(key), [Cell(value) for value in values]) for key, values in rows],
        chart=chart,
    )


def test_axes_have_whole_steps():
    assert _axis(0) == (4, 1)
    assert _axis(7) == (8, 2)
    assert _axis(45) == (50, 10)
    assert _axis(51) == (60, 20)
    assert _axis(2269) == (2500, 500)


def test_a_hidden_figure_is_not_drawn():
    table = figure_table(BARS, [("93", [Shown(10), Suppressed()]), ("95", [Shown(4), Shown(6)])])
    rects = [s for s in chart_for(table).shapes if s.kind == "rect"]
    assert len(rects) == 3  # 10; 4 and 6; the hidden one has no bar
    # An axis of 0–10 over 390 px: 39 px per unit.
    assert sorted(r.attrs["width"] for r in rects) == [156, 234, 390]


def test_stacked_bars_add_up_and_lines_break_at_a_hidden_year():
    stacked = chart_for(figure_table(STACKED, [("93", [Shown(3), Shown(1)])]))
    first, second = (s for s in stacked.shapes if s.kind == "rect")
    assert second.attrs["x"] == round(first.attrs["x"] + first.attrs["width"], 1)
    lines = chart_for(
        figure_table(
            LINES,
            [
                (2024, [Shown(5), Shown(1)]),
                (2025, [Suppressed(), Shown(2)]),
                (2026, [Shown(7), None]),
            ],
        )
    )
    polylines = [s for s in lines.shapes if s.kind == "polyline"]
    assert len(polylines) == 1  # B over 2024–2025; A is broken by its hidden year
    assert len([s for s in lines.shapes if s.kind == "circle"]) == 4


def test_nothing_to_draw_draws_nothing():
    assert chart_for(figure_table(BARS, [("93", [Suppressed(), Shown(0)])])) is None
    assert figure_chart(figure_table(None, [("93", [Shown(3), Shown(4)])])) == ""


def test_the_svg_is_hidden_from_screen_readers_and_escapes_labels():
    svg = figure_chart(figure_table(BARS, [("<b>93</b>", [Shown(3), Shown(4)])]))
    assert 'aria-hidden="true"' in svg
    assert "<b>" not in svg and "&lt;b&gt;93&lt;/b&gt;" in svg


def test_the_rows_of_a_table_carry_links_units_and_escaped_labels():
    table = FigureTable(
        slug="t",
        title="T",
        columns=[Column("n", "Nombre"), Column("rate", "Taux", kind=PERCENT)],
        rows=[
            Row("93", "<i>93</i>", [Cell(Shown(2269), link="/liste/?a=1&b=2"), Cell(Shown(50))]),
            Row("95", "Val-d'Oise", [Cell(Suppressed()), Cell(None)], link="/95/"),
            Row(None, "Total", [Cell(Shown(2300)), Cell(Shown(48))], total=True),
        ],
    )
    html = figure_rows(table)
    assert "<i>" not in html and "&lt;i&gt;93&lt;/i&gt;" in html
    assert '<a href="/liste/?a=1&amp;b=2">2\u202f269</a>' in html
    assert "50\u00a0%</td>" in html  # a unit after a figure
    assert '<a href="/95/">Val-d&#x27;Oise</a>' in html
    assert '<td class="text-end">&lt; 3</td><td class="text-end">–</td>' in html  # no unit
    assert html.count("<tr") == 3 and '<tr class="table-total">' in html
