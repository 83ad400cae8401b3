"""The team's export of requests for resources on request, as CSV (";", UTF-8 with a BOM, as a
French spreadsheet opens it) or XLSX: the list as filtered, one query, formulas neutralised.

Written as the agenda's roster export (`agenda/roster.py`), whose writers take fixed columns."""

import codecs
import csv
import io
from datetime import date

import openpyxl
from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from coordinators.models import Scheme

COLUMNS = [
    "Demandée le",
    "Ressource",
    "Prénom",
    "Nom",
    "E-mail",
    "Département",
    "Type de dispositif",
    "Format",
    "Exemplaires",
    "Adresse de livraison",
    "Message",
    "État",
    "Traitée le",
    "Traitée par",
    "Envoyée le",
    "Motif du refus",
]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_KINDS = dict(Scheme.Kind.choices)


def _day(value):
    if value is None:
        return ""
    if not isinstance(value, date) or hasattr(value, "hour"):
        value = timezone.localdate(value)
    return value.strftime("%d/%m/%Y")


def rows(requests):
    """One list of texts per request (annotated by `selectors.requests.requests_for_team`)."""
    for request in requests:
        person = request.requester
        decider = request.decided_by
        yield [
            _day(request.asked_at),
            request.resource.title,
            person.first_name,
            person.last_name,
            person.email,
            request.department_code or "",
            _KINDS.get(request.scheme_kind, ""),
            request.get_format_display(),
            str(request.quantity or ""),
            ", ".join(request.address_lines),
            request.message,
            request.get_state_display(),
            _day(request.decided_at),
            (decider.get_full_name() or decider.email) if decider else "",
            _day(request.sent_on),
            request.refusal_reason,
        ]


def _csv_text(value):
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def requests_csv(requests) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(requests):
        writer.writerow([_csv_text(value) for value in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def requests_xlsx(requests) -> bytes:
    """One sheet, a bold header, every value as text (never a formula)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Demandes")
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(requests):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(file_format, on: date | None = None) -> str:
    return f"demandes-de-ressources-{(on or timezone.localdate()):%Y-%m-%d}.{file_format}"
