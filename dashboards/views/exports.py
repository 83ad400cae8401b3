"""The dashboard's tables as files: each table as CSV or XLSX (by its slug), and the whole
dashboard of a territory and period as one XLSX workbook, one sheet per section. Files show the
figures exactly as the page does ("< 3" included): they are built from the same sections."""

from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone

from core.exports import table_csv, table_xlsx, workbook_xlsx
from core.permissions import requires

from ..forms import read_filters
from ..sections import SECTIONS, build_sections

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _territory(context) -> str:
    if context.scope.department_codes is None:
        return "ile-de-france"
    return "-".join(sorted(context.scope.department_codes))


def _period_slug(period) -> str:
    """ "2026" for a year (under way or not), else "20260101-20260630"."""
    start, end = period.start, period.end
    whole_year = (end.month, end.day) == (12, 31) or end == timezone.localdate()
    if (start.month, start.day) == (1, 1) and start.year == end.year and whole_year:
        return str(start.year)
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def _filename(context, name, extension):
    return f"{name}-{_territory(context)}-{_period_slug(context.period)}.{extension}"


def _bad_filters(filters):
    errors = " ".join(str(e) for errors in filters.form.errors.values() for e in errors)
    return HttpResponse(
        f"Filtres incorrects : {errors}", status=400, content_type="text/plain; charset=utf-8"
    )


def _header_lines(context, title):
    """The lines above a table in a file: what it is, for which territory and period."""
    territory = (
        "Île-de-France"
        if context.scope.department_codes is None
        else ", ".join(f"{name} ({code})" for code, name in context.departments)
    )
    lines = [[title], [f"Territoire : {territory}"], [f"Période : {context.period.label}"]]
    if context.scope.scheme_kind:
        lines.append([f"Dispositifs : {context.scope.scheme_kind}"])
    return lines


@requires("dashboard.export")
def table_export(request, slug, file_format):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    section_slug = next((s for s, _title in SECTIONS if slug.startswith(f"{s}-")), None)
    if section_slug is None:
        raise Http404
    filters = read_filters(request)
    if filters.context is None:
        return _bad_filters(filters)
    (section,) = build_sections(filters.context, only={section_slug})
    table = section.table(slug)
    if table is None:
        raise Http404
    header, rows = table.spreadsheet()
    if table.note:
        rows = [*rows, [], [table.note]]
    if file_format == "csv":
        content = table_csv(header, rows)
        return _attachment(
            content, "text/csv; charset=utf-8", _filename(filters.context, slug, "csv")
        )
    content = table_xlsx(header, rows, sheet_title=table.title[:31], widths=(32,))
    return _attachment(content, XLSX, _filename(filters.context, slug, "xlsx"))


@requires("dashboard.export")
def workbook(request):
    filters = read_filters(request)
    if filters.context is None:
        return _bad_filters(filters)
    sheets = []
    for section in build_sections(filters.context):
        lines = _header_lines(filters.context, section.title)
        for table in section.tables:
            header, rows = table.spreadsheet()
            lines += [[], [table.title], header, *rows]
            if table.note:
                lines.append([table.note])
        sheets.append((section.title[:31], lines))
    content = workbook_xlsx(sheets)
    return _attachment(content, XLSX, _filename(filters.context, "tableau-de-bord", "xlsx"))


urlpatterns = [
    path("export/<slug:slug>.<slug:file_format>", table_export, name="dashboard_export"),
    path("tableau-de-bord.xlsx", workbook, name="dashboard_workbook"),
]
