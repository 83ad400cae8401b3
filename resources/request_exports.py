"""The team's export of requests for resources on request, as CSV (";", UTF-8 with a BOM, as a
French spreadsheet opens it) or XLSX: the list as filtered, one query, formulas neutralised.

Written by `core.exports`, as the agenda's roster."""

from datetime import date

from django.utils import timezone

from coordinators.models import Scheme
from core import exports

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


def requests_csv(requests) -> bytes:
    return exports.table_csv(COLUMNS, rows(requests))


def requests_xlsx(requests) -> bytes:
    return exports.table_xlsx(COLUMNS, rows(requests), sheet_title="Demandes")


def export_filename(file_format, on: date | None = None) -> str:
    return f"demandes-de-ressources-{(on or timezone.localdate()):%Y-%m-%d}.{file_format}"
