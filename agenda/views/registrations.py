"""An event's registrations, for staff and the organiser (a CRPV or an ARS DD): the list with
structure, commune, status and presence, filtered; acting on one registration (confirm an
offered seat, give a seat to a person waiting, cancel: the last two after a confirmation step);
adding a walk-in (a member or a guest); the export (CSV, XLSX); the guest invitations."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from accounts.models import User
from agenda import attendance, roster, selectors, services
from agenda.models import Registration
from agenda.views.attendance import _managed_event
from core.forms import PersonChoiceField
from core.permissions import requires
from core.text import de
from territories.forms import CommuneChoiceField

Status = Registration.Status


# --- Forms --------------------------------------------------------------------------------


class WalkInForm(forms.Form):
    """Someone added by hand: a member chosen in the list, or a guest by name."""

    person = PersonChoiceField(
        queryset=User.objects.none(),
        label="Membre du réseau",
        required=False,
        empty_label="— Une personne sans compte : remplir ci-dessous —",
        error_messages={"invalid_choice": "Cette personne n'est pas dans la liste."},
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        help_text="Facultative ; si vous la donnez, la personne reçoit la confirmation.",
        error_messages={"invalid": "Saisissez une adresse e-mail valide."},
    )
    structure = forms.CharField(label="Structure", max_length=200, required=False)
    commune = CommuneChoiceField(label="Commune", required=False)
    status = forms.ChoiceField(
        label="Inscription",
        choices=[(Status.CONFIRMED, "Inscrit·e"), (Status.WAITLISTED, "Sur liste d'attente")],
        initial=Status.CONFIRMED,
        widget=forms.RadioSelect,
    )
    present = forms.BooleanField(
        label="Présent·e : la personne est là",
        required=False,
        help_text="À cocher pour une personne venue sans inscription, le jour de l'événement.",
    )

    def __init__(self, *args, people, full=False, presence_open=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.full = full
        if not presence_open:  # before the day of the event, presence cannot be noted
            del self.fields["present"]
        if full:
            self.fields["over_capacity"] = forms.BooleanField(
                label="L'événement est complet : inscrire quand même, en surnombre",
                required=False,
            )
        for name in ("first_name", "last_name", "structure"):
            self.fields[name].error_messages["max_length"] = (
                "%(limit_value)d caractères au plus (il y en a %(show_value)d)."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("Un membre du réseau", "person"),
            Fieldset(
                "Ou une personne sans compte (invitée)",
                "first_name",
                "last_name",
                "email",
                "structure",
                "commune",
            ),
            "status",
            *(["over_capacity"] if full else []),
            *(["present"] if presence_open else []),
        )

    def clean(self):
        cleaned = super().clean()
        seated = cleaned.get("status") == Status.CONFIRMED
        if self.full and seated and not cleaned.get("over_capacity"):
            self.add_error(
                "over_capacity",
                "L'événement est complet : cochez cette case pour inscrire la personne en "
                "surnombre, ou choisissez « Sur liste d'attente ».",
            )
        guest_fields = ("first_name", "last_name", "email", "structure")
        typed = [name for name in guest_fields if cleaned.get(name)]
        if cleaned.get("person"):
            if typed or cleaned.get("commune"):
                raise forms.ValidationError(
                    "Choisissez un membre ou remplissez les champs d'une personne sans compte, "
                    "pas les deux."
                )
            return cleaned
        if "person" in self.errors:
            return cleaned
        if not typed and not cleaned.get("commune"):
            raise forms.ValidationError(
                "Choisissez un membre du réseau, ou donnez le prénom et le nom d'une personne "
                "sans compte."
            )
        for name in ("first_name", "last_name"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, "Indiquez le prénom et le nom de la personne.")
        return cleaned


# --- Helpers ------------------------------------------------------------------------------


def _managed_registration(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event__organiser", "person"), pk=pk
    )
    if not request.access.can_manage_attendance(registration.event):
        raise PermissionDenied
    return registration


def _roster_url(event, query=None, registration=None):
    url = reverse("event_registrations", args=[event.pk])
    if query:
        url += "?" + urlencode(query)
    if registration is not None:
        url += f"#inscription-{registration.pk}"
    return url


def _back_query(data):
    """The list's filters the action came from (re-validated: only known, valid values)."""
    return roster.RosterFilter(
        {"statut": data.get("statut", ""), "q": data.get("q", "")},
        queryset=Registration.objects.none(),
    ).query


# --- The list -----------------------------------------------------------------------------


@requires("attendance.manage")
def registrations(request, pk):
    """Every registration of the event, filtered; an action per row; the guest invitations."""
    event = _managed_event(request, pk)
    filters = roster.RosterFilter(request.GET, queryset=roster.event_roster(event))
    counts = attendance.event_attendance_counts(event)
    return render(
        request,
        "agenda/attendance/registrations.html",
        {
            "event": event,
            "filters": filters,
            "registrations": list(filters.qs),
            "query": filters.query,
            "query_string": urlencode(filters.query),
            "counts": counts,
            "seats": roster.seats(event, counts),
            "actions": roster.actions_open(event),
            "invitations": selectors.pending_guest_invitations(event),
        },
    )


@requires("attendance.manage")
def export(request, pk, file_format):
    """The list as it is filtered, as a CSV or an Excel file."""
    if file_format not in roster.CONTENT_TYPES:
        raise Http404("Format d'export inconnu")
    event = _managed_event(request, pk)
    rows = roster.RosterFilter(request.GET, queryset=roster.event_roster(event)).qs
    content = roster.roster_csv(rows) if file_format == "csv" else roster.roster_xlsx(rows)
    response = HttpResponse(content, content_type=roster.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=roster.export_filename(event, file_format)
    )
    return response


# --- Acting on one registration -----------------------------------------------------------


@require_POST
@requires("attendance.manage")
def staff_confirm(request, pk):
    """Confirm, for the person, the seat offered to them (they said yes by phone)."""
    registration = _managed_registration(request, pk)
    try:
        registration = services.registration_staff_confirm(registration=registration)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Place confirmée pour {registration.display_name}.")
    query = _back_query(request.POST)
    return redirect(_roster_url(registration.event, query, registration))


def _action_page(request, registration, *, action, query, error="", status=200):
    event = registration.event
    counts = attendance.event_attendance_counts(event)
    return render(
        request,
        "agenda/attendance/registration_action.html",
        {
            "event": event,
            "registration": registration,
            "action": action,
            "error": error,
            "seats": roster.seats(event, counts),
            "seat_passes_on": selectors.freed_seat_goes_to_waitlist(event),
            "query": query,
            "back": _roster_url(event, query, registration),
        },
        status=status,
    )


@requires("attendance.manage")
def give_seat(request, pk):
    """Give a seat to a person waiting. When the event is full, a confirmation page says so
    first, and the seat is given over capacity only from its button."""
    registration = _managed_registration(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    query = _back_query(source)
    if request.method != "POST":
        return _action_page(request, registration, action="seat", query=query)
    try:
        registration = services.registration_give_seat(
            registration=registration, over_capacity=request.POST.get("surnombre") == "1"
        )
    except services.EventError as error:
        return _action_page(request, registration, action="seat", query=query, error=str(error))
    messages.success(request, f"Place donnée à {registration.display_name}.")
    return redirect(_roster_url(registration.event, query, registration))


@requires("attendance.manage")
def staff_cancel(request, pk):
    """Cancel a registration, after a confirmation page; the person is told by e-mail."""
    registration = _managed_registration(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    query = _back_query(source)
    if request.method != "POST":
        return _action_page(request, registration, action="cancel", query=query)
    try:
        registration = services.registration_cancel(registration=registration, by=request.user)
    except services.EventError as error:
        return _action_page(request, registration, action="cancel", query=query, error=str(error))
    told = registration.person_id or registration.email
    messages.success(
        request,
        f"Inscription {de(registration.display_name)} annulée"
        + (" ; la personne en est prévenue par e-mail." if told else "."),
    )
    return redirect(_roster_url(registration.event, query, registration))


# --- Adding someone -----------------------------------------------------------------------


@requires("attendance.manage")
def walk_in(request, pk):
    """Add a member or a guest by hand: a walk-in, a phone call. Never twice the same person."""
    event = _managed_event(request, pk)
    seats = roster.seats(event, attendance.event_attendance_counts(event))
    presence_open = attendance.check_in_open(event)
    form = WalkInForm(
        request.POST or None,
        people=selectors.walk_in_people(request.access),
        full=seats.full,
        presence_open=presence_open,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_record(
                event=event,
                person=data["person"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                structure=data["structure"],
                commune=data["commune"],
                status=data["status"],
                attended=True if data.get("present") else None,
                recorded_by=request.user,
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{registration.display_name} : {registration.get_status_display().lower()}"
                + (", présent·e" if registration.attended else "")
                + ".",
            )
            return redirect(_roster_url(event, registration=registration))
    return render(
        request,
        "agenda/attendance/walk_in.html",
        {
            "event": event,
            "form": form,
            "seats": seats,
            "check_in_open": presence_open,
        },
    )
