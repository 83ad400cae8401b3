"""An event's registrations as staff and organisers manage them: the list with each person's
structure and commune, its filter (status, presence, name), and its export as CSV or XLSX.

Reads only: the writes (confirm an offered seat, give a seat, cancel, add a walk-in) are the
agenda's services. The list is one query whatever its length; so is the export.
"""

from dataclasses import dataclass
from datetime import date

import django_filters
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Membership
from core import exports

from .models import Registration

Status = Registration.Status
SEARCH_MAX_LENGTH = 100
PRESENT = "present"
STATUS_FILTERS = [
    (Status.CONFIRMED, "Inscrit·es"),
    (Status.WAITLISTED, "Sur liste d'attente"),
    (Status.OFFERED, "Place proposée, à confirmer"),
    (Status.CANCELLED, "Annulées"),
    (PRESENT, "Présent·es"),
]
EXPORT_COLUMNS = ["Prénom", "Nom", "Structure", "Commune", "Statut", "Présence"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def event_roster(event):
    """The event's registrations, cancelled ones included: seats by name, then the waitlist in
    queue order (with `waitlist_rank`), then cancellations; each with `structure_label`
    (typed when they were added, else the coordinator's employer, else the organisation they
    belong to) and `commune_label` (theirs, else the coordinator's commune): one query."""
    organisation = Subquery(
        Membership.objects.filter(user=OuterRef("person"))
        .order_by("organisation__name")
        .values("organisation__name")[:1]
    )
    blank = Value("")
    return (
        event.registrations.select_related("person")
        .annotate(
            structure_label=Coalesce(
                NullIf("structure", blank),
                NullIf("person__coordinator_profile__employer", blank),
                organisation,
                blank,
            ),
            commune_label=Coalesce(
                "commune__name", "person__coordinator_profile__commune__name", blank
            ),
        )
        .with_waitlist_rank()
        .in_roster_order()
    )


class RosterFilter(django_filters.FilterSet):
    """Status (or "present") and a search on names and e-mails; without a status, the
    registrations that are not cancelled."""

    statut = django_filters.ChoiceFilter(
        label="Statut",
        choices=STATUS_FILTERS,
        empty_label="Toutes, sauf les annulées",
        method="filter_status",
    )
    q = django_filters.CharFilter(
        label="Nom, prénom ou e-mail", method="filter_search", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = Registration
        fields = ["statut", "q"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["statut"].error_messages["invalid_choice"] = (
            "Ce statut n'existe pas : choisissez-en un dans la liste."
        )
        self.form.fields["q"].error_messages["max_length"] = (
            f"{SEARCH_MAX_LENGTH} caractères au plus."
        )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("statut"):
            queryset = queryset.exclude(status=Status.CANCELLED)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if value == PRESENT:
            return queryset.filter(attended=True)
        return queryset.filter(status=value)

    def filter_search(self, queryset, name, value):
        return queryset.matching(value)

    @property
    def query(self):
        """The valid filters as URL parameters (for the export links and the way back)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {key: value for key, value in self.form.cleaned_data.items() if value}


@dataclass(frozen=True)
class Seats:
    capacity: int | None
    taken: int

    @property
    def full(self):
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def over(self):
        """Seats given beyond the capacity."""
        return max(0, self.taken - self.capacity) if self.capacity is not None else 0


def actions_open(event, now=None) -> dict[str, bool]:
    """Which actions the list offers: none on a cancelled event; a registration can be
    cancelled until the event starts, a seat given or confirmed until it ends."""
    now = now or timezone.now()
    live = not event.is_cancelled
    return {"cancel": live and now < event.starts_at, "seat": live and now < event.ends_at}


def seats(event, counts) -> Seats:
    """From `attendance.event_attendance_counts` (seated = confirmed or offered)."""
    return Seats(capacity=event.capacity, taken=counts["registered"])


# --- Export -------------------------------------------------------------------------------


def presence_label(registration) -> str:
    if registration.attended:
        return "présent·e"
    if registration.excused:
        return "excusé·e"
    if registration.attended is False:
        return "absent·e"
    return ""


def export_rows(registrations):
    for registration in registrations:
        person = registration.person if registration.person_id else None
        yield [
            (person.first_name if person else registration.first_name).strip(),
            (person.last_name if person else registration.last_name).strip()
            or ("" if person else registration.email),
            registration.structure_label.strip(),
            registration.commune_label,
            registration.get_status_display(),
            presence_label(registration),
        ]


def roster_csv(registrations) -> bytes:
    """UTF-8 with a BOM and ";" between columns, as a French spreadsheet opens it."""
    return exports.table_csv(EXPORT_COLUMNS, export_rows(registrations))


def roster_xlsx(registrations) -> bytes:
    """One sheet, a bold header, every value as text (never a formula)."""
    return exports.table_xlsx(
        EXPORT_COLUMNS,
        export_rows(registrations),
        sheet_title="Inscriptions",
        widths=(18, 22, 32, 22, 26, 12),
    )


def export_filename(event, file_format, on: date | None = None) -> str:
    """ "inscriptions-webinaire-sante-mentale-2026-11-22.xlsx": the event's title and day."""
    day = on or timezone.localtime(event.starts_at).date()
    title = slugify(event.title)[:60].strip("-") or f"evenement-{event.pk}"
    return f"inscriptions-{title}-{day:%Y-%m-%d}.{file_format}"
