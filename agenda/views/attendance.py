"""Attendance pages: staff check-in (phone-sized), the webinar participants import, and for
the people who came, their attendance certificate and the feedback form."""

import base64
import hashlib
import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from agenda import attendance, selectors, services
from agenda.models import Event, Registration
from core.permissions import requires

logger = logging.getLogger(__name__)

# The uploaded file waits in the session (server side) between the dry run and the apply.
SESSION_KEY = "attendance_import"
SEARCH_MAX_LENGTH = 100


# --- Forms --------------------------------------------------------------------------------


class ParticipantsUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier des participants (CSV)",
        help_text=f"L'export CSV de l'outil de visioconférence (Zoom, Teams, Webex…), "
        f"{attendance.MAX_BYTES // (1024 * 1024)} Mo au plus. Rien n'est enregistré avant votre "
        "confirmation.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > attendance.MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {attendance.MAX_BYTES // (1024 * 1024)} Mo : exportez la "
                "seule liste des participants."
            )
        return upload.read()


class ColumnMappingForm(forms.Form):
    """Which column of the file holds what, and the rule for "present"."""

    email = forms.ChoiceField(label="Colonne de l'adresse e-mail", required=False)
    first_name = forms.ChoiceField(
        label="Colonne du prénom",
        required=False,
        help_text="Si le fichier a une colonne pour le prénom et une pour le nom.",
    )
    name = forms.ChoiceField(label="Colonne du nom (ou du nom complet)", required=False)
    joined = forms.ChoiceField(label="Colonne de l'heure d'arrivée", required=False)
    left = forms.ChoiceField(label="Colonne de l'heure de départ", required=False)
    duration = forms.ChoiceField(
        label="Colonne de la durée",
        required=False,
        help_text="Utilisée seulement si les heures d'arrivée et de départ ne sont pas choisies.",
    )
    min_minutes = forms.IntegerField(
        label="Durée minimale pour être compté·e présent·e (en minutes)",
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "required": "Indiquez une durée minimale, en minutes.",
            "invalid": "Indiquez un nombre entier de minutes.",
            "min_value": "La durée minimale doit être d'au moins 1 minute.",
            "max_value": "La durée minimale ne peut dépasser 24 heures (1440 minutes).",
        },
    )
    absent_missing = forms.BooleanField(
        label="Marquer absentes les personnes inscrites qui n'apparaissent pas dans le fichier",
        help_text="Les personnes déjà pointées présentes sur place ne sont pas modifiées.",
        required=False,
        initial=True,
    )
    add_unregistered = forms.BooleanField(
        label="Inscrire et marquer présentes les personnes de la plateforme venues sans "
        "inscription (si elles atteignent la durée minimale)",
        required=False,
    )

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", "— aucune —")] + [(header, header) for header in headers]
        for name in attendance.FIELDS:
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = (
                "La colonne « %(value)s » n'existe pas dans le fichier."
            )

    @property
    def mapping(self):
        return {name: self.cleaned_data.get(name) or "" for name in attendance.FIELDS}

    @property
    def options(self):
        return {
            "min_minutes": self.cleaned_data["min_minutes"],
            "absent_missing": self.cleaned_data["absent_missing"],
            "add_unregistered": self.cleaned_data["add_unregistered"],
        }

    def clean(self):
        cleaned = super().clean()
        if not any(name in self.errors for name in attendance.FIELDS):
            for error in attendance.mapping_errors(self.mapping, self.headers):
                self.add_error(None, str(error))
        return cleaned


SCORE_ERRORS = {
    "required": "Donnez une note de 1 à 5.",
    "invalid_choice": "La note doit être un nombre entier de 1 à 5.",
}


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="Êtes-vous satisfait·e de cet événement ?",
        choices=[
            (1, "1 — pas du tout"),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, "5 — tout à fait"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
    )
    usefulness = forms.TypedChoiceField(
        label="Est-il utile pour votre pratique ?",
        choices=[
            (1, "1 — pas du tout"),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, "5 — très utile"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
    )
    comment = forms.CharField(
        label="Un commentaire, une suggestion ?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "2000 caractères au plus (il y en a %(show_value)d)."},
    )


# --- Check-in -----------------------------------------------------------------------------


def _managed_event(request, pk):
    """The event whose registrations and attendance the user manages: staff, or its organiser."""
    event = get_object_or_404(Event.objects.select_related("organiser"), pk=pk)
    if not request.access.can_manage_attendance(event):
        raise PermissionDenied
    return event


def _search(data):
    return data.get("q", "").strip()[:SEARCH_MAX_LENGTH]


@requires("attendance.manage")
def check_in(request, pk):
    """Phone-sized check-in: search by name, one tap per person; counts and feedback."""
    event = _managed_event(request, pk)
    search = _search(request.GET)
    context = {
        "event": event,
        "search": search,
        "registrations": attendance.check_in_list(event, search),
        "open": attendance.check_in_open(event),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "agenda/attendance/_registrations.html", context)
    else:
        context["counts"] = attendance.event_attendance_counts(event)
        context["feedback"] = attendance.feedback_summary(event)
        response = render(request, "agenda/attendance/check_in.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@requires("attendance.manage")
def mark(request, pk):
    """One tap: present, or undo. htmx gets the person's row and the new counts back."""
    registration = get_object_or_404(Registration.objects.select_related("event", "person"), pk=pk)
    event = registration.event
    if not request.access.can_manage_attendance(event):
        raise PermissionDenied
    error = None
    try:
        attendance.registration_mark_attendance(
            registration=registration, present=request.POST.get("present") == "1"
        )
    except services.EventError as refused:
        error = str(refused)
    if request.htmx:
        return render(
            request,
            "agenda/attendance/_mark.html",
            {
                "event": event,
                "registration": registration,
                "error": error,
                "search": _search(request.POST),
                "counts": attendance.event_attendance_counts(event),
                "open": attendance.check_in_open(event),
            },
        )
    if error:
        messages.error(request, error)
    else:
        name = registration.display_name
        messages.success(
            request,
            f"{name} : présent·e." if registration.attended else f"{name} : présence annulée.",
        )
    url = reverse("attendance_check_in", args=[event.pk])
    search = _search(request.POST)
    if search:
        url += "?" + urlencode({"q": search})
    return redirect(f"{url}#inscription-{registration.pk}")


# --- Import of the webinar tool's participants file ---------------------------------------


def _pending(request, event):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("event") != event.pk:
        return None
    return pending


def _import_page(
    request, event, *, upload_form=None, mapping_form=None, report=None, guests=(), status=200
):
    pending = _pending(request, event)
    return render(
        request,
        "agenda/attendance/import.html",
        {
            "event": event,
            "closed": attendance.import_closed_reason(event) or "",
            "upload_form": upload_form or ParticipantsUploadForm(),
            "mapping_form": mapping_form,
            "report": report,
            "guests": set(guests),
            "pending": pending,
            "token": pending["token"] if pending and pending.get("plan") else "",
            "fields": attendance.FIELDS,
        },
        status=status,
    )


def _dry_run(request, event, pending, form):
    """Run the check with the form's choices; remember them when the file may be applied."""
    report = attendance.attendance_check(
        event=event,
        content=base64.b64decode(pending["content"]),
        mapping=form.mapping,
        **form.options,
    )
    pending["plan"] = (
        {"mapping": form.mapping, **form.options, "digest": report.digest} if report.ok else None
    )
    request.session[SESSION_KEY] = pending
    return report


# The import's three steps read the file: each runs outside any transaction (a long upload
# holds no lock, core/transactions.py); `attendance_apply` saves in one transaction of its own.


@transaction.non_atomic_requests
@requires("attendance.manage")
def import_upload(request, pk):
    """Step 1: upload the file; its columns are guessed and the dry run shown at once."""
    event = _managed_event(request, pk)
    if request.method != "POST" or attendance.import_closed_reason(event):
        # Before the event, the page says so instead of offering an upload (and a preview).
        return _import_page(request, event)
    upload_form = ParticipantsUploadForm(request.POST, request.FILES)
    if not upload_form.is_valid():
        return _import_page(request, event, upload_form=upload_form)
    content = upload_form.cleaned_data["file"]
    request.session.pop(SESSION_KEY, None)
    try:
        participants = attendance.read_participants(content)
    except attendance.FileRejected as rejected:
        upload_form.add_error("file", str(rejected.error))
        return _import_page(request, event, upload_form=upload_form)
    except Exception:  # an untrusted file must never end in a server error
        logger.exception("Unreadable participants file (event %s)", event.pk)
        upload_form.add_error("file", attendance.UNREADABLE)
        return _import_page(request, event, upload_form=upload_form)
    pending = {
        "event": event.pk,
        "token": hashlib.sha256(content).hexdigest(),
        "name": request.FILES["file"].name[:200],
        "content": base64.b64encode(content).decode("ascii"),
        "headers": participants.headers,
        "plan": None,
    }
    request.session[SESSION_KEY] = pending
    guess = attendance.guess_mapping(participants.headers)
    form = ColumnMappingForm(
        {
            **guess,
            "min_minutes": attendance.default_min_minutes(event),
            "absent_missing": "on",
        },
        headers=participants.headers,
    )
    report = _dry_run(request, event, pending, form) if form.is_valid() else None
    return _import_page(request, event, mapping_form=form, report=report)


@transaction.non_atomic_requests
@require_POST
@requires("attendance.manage")
def import_check(request, pk):
    """Step 2: the dry run again, with the columns and options staff chose."""
    event = _managed_event(request, pk)
    pending = _pending(request, event)
    if pending is None:
        messages.error(request, "Aucun fichier n'est en attente (la session a pu expirer).")
        return redirect("attendance_import", pk=event.pk)
    form = ColumnMappingForm(request.POST, headers=pending["headers"])
    report = None
    if form.is_valid():
        report = _dry_run(request, event, pending, form)
    else:
        pending["plan"] = None
        request.session[SESSION_KEY] = pending
    return _import_page(request, event, mapping_form=form, report=report)


@transaction.non_atomic_requests
@require_POST
@requires("attendance.manage")
def import_confirm(request, pk):
    """Step 3: checked again under a lock, then saved all or nothing."""
    event = _managed_event(request, pk)
    pending = _pending(request, event)
    plan = pending and pending.get("plan")
    if not plan or pending["token"] != request.POST.get("token"):
        messages.error(
            request,
            "Aucun fichier vérifié n'attend de confirmation (la session a pu expirer, ou un autre "
            "fichier a été envoyé depuis) : envoyez le fichier à nouveau.",
        )
        return redirect("attendance_import", pk=event.pk)
    options = {key: plan[key] for key in ("min_minutes", "absent_missing", "add_unregistered")}
    form = ColumnMappingForm({**plan["mapping"], **options}, headers=pending["headers"])
    form.is_valid()
    guests = [key[:300] for key in request.POST.getlist("guest")[: attendance.MAX_ROWS]]
    try:
        report = attendance.attendance_apply(
            event=event,
            content=base64.b64decode(pending["content"]),
            mapping=plan["mapping"],
            expected_digest=plan["digest"],
            guests=guests,
            **options,
        )
    except services.EventError as error:
        messages.error(request, str(error))
        return _import_page(request, event, mapping_form=form)
    if report.applied:
        del request.session[SESSION_KEY]
        added, recorded = len(report.to_add), len(report.guests)
        messages.success(
            request,
            f"Présences enregistrées : {report.present_count} présent·e(s), "
            f"{report.absent_count} absent·e(s) dans le fichier"
            + (
                f", {len(report.missing)} inscrit·e(s) absent·e(s) du fichier"
                if report.missing
                else ""
            )
            + (f", {added} personne(s) inscrite(s) après coup" if added else "")
            + (f", {recorded} invité·e(s) enregistré·e(s) présent·e(s)" if recorded else "")
            + ".",
        )
        return redirect("attendance_check_in", pk=event.pk)
    if report.stale:
        plan["digest"] = report.digest
        request.session[SESSION_KEY] = pending
        messages.warning(
            request,
            "Les inscriptions ont changé depuis la vérification : rien n'a été enregistré. "
            "Vérifiez le rapport ci-dessous, mis à jour, puis confirmez à nouveau.",
        )
    else:
        pending["plan"] = None
        request.session[SESSION_KEY] = pending
    return _import_page(request, event, mapping_form=form, report=report, guests=guests)


# --- For the people who came --------------------------------------------------------------


@requires("events.view")
def certificate(request, pk):
    """The attendance certificate: for the person recorded present, and staff; 404 otherwise."""
    try:
        registration = selectors.certificate_registration(
            pk, user=request.user, access=request.access
        )
    except Registration.DoesNotExist as error:
        raise Http404("Attestation introuvable") from error
    return render(
        request,
        "agenda/attendance/certificate.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": selectors.attendee_position(registration),
            "connected": _duration_label(registration.attendance_minutes),
            "issued_on": timezone.localdate(),
        },
    )


def _duration_label(minutes):
    if not minutes:
        return ""
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"


@requires("events.view")
def feedback(request, pk):
    """Satisfaction, usefulness and a comment, once, from a person recorded present."""
    try:
        registration = selectors.own_registration(pk, request.user)
    except Registration.DoesNotExist as error:
        raise Http404("Inscription introuvable") from error
    event = registration.event
    closed = selectors.feedback_closed_reason(registration)
    context = {"registration": registration, "event": event, "form": None, "closed": closed or ""}
    if closed:
        status = 200 if registration.attended else 403
        return render(request, "agenda/attendance/feedback.html", context, status=status)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(registration=registration, **form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Merci pour votre avis !")
            return redirect("event", pk=event.pk)
    context["form"] = form
    return render(request, "agenda/attendance/feedback.html", context)
