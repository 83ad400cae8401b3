from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ..charts import PALETTE, chart_for
from ..tables import UNITS

register = template.Library()


def _attrs(attrs):
    return mark_safe(" ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()))


@register.simple_tag
def figure_chart(table):
    """The SVG chart of a `FigureTable` (empty when it has none), hidden from screen readers:
    the table beside it says the same."""
    chart = chart_for(table)
    if chart is None:
        return ""
    shapes = []
    for shape in chart.shapes:
        if shape.kind == "text":
            attrs = _attrs({"fill": "#212529", **shape.attrs})
            shapes.append(format_html("<text {}>{}</text>", attrs, shape.text))
        else:
            shapes.append(format_html("<{} {}/>", shape.kind, _attrs(shape.attrs)))
    legend = format_html_join(
        "",
        '<li class="list-inline-item"><span class="chart-key chart-key-{}"></span>{}</li>',
        ((index % len(PALETTE), label) for index, (_colour, label) in enumerate(chart.legend)),
    )
    return format_html(
        '<figure class="chart" aria-hidden="true">'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'font-size="12" font-family="DejaVu Sans, Verdana, sans-serif" '
        'preserveAspectRatio="xMinYMin meet" focusable="false">{}</svg>'
        '<ul class="chart-legend list-inline small mb-0">{}</ul></figure>',
        chart.width,
        chart.height,
        mark_safe("".join(shapes)),
        legend,
    )


def _linked(link, text):
    return format_html('<a href="{}">{}</a>', link, text) if link else text


@register.simple_tag
def figure_rows(table):
    """The body rows of a `FigureTable` on the page: each row's label and figures, with their
    links and their column's unit (written here rather than in a template loop: a regional
    dashboard has thousands of cells)."""
    units = [UNITS[column.kind] for column in table.columns]
    rows = []
    for row in table.rows:
        cells = format_html_join(
            "",
            '<td class="text-end">{}</td>',
            (
                (_linked(cell.link, f"{cell.label}{unit if cell.number is not None else ''}"),)
                for cell, unit in zip(row.cells, units, strict=True)
            ),
        )
        rows.append(
            format_html(
                '<tr{}><th scope="row">{}</th>{}</tr>',
                mark_safe(' class="table-total"') if row.total else "",
                _linked(row.link, row.label),
                cells,
            )
        )
    return mark_safe("\n".join(rows))


@register.filter
def can(access, permission):
    """`{% if access|can:"dashboard.export" %}`: what `Access.can` says, for a template."""
    return access.can(permission)
