"""The agenda (/agenda/): events, registrations, guests and calendars."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation
from agenda import selectors, services
from agenda.calendar import event_ics, feed_ics
from agenda.forms import EventCancelForm, EventForm, GuestInviteForm, GuestRegistrationForm
from agenda.models import Event, Registration
from core.pages import form_page
from core.permissions import requires
from territories.models import Department

PAGE_SIZE = 30


def _filters(request):
    """The agenda's filters, read leniently: a wrong value is ignored, never a 500."""
    get = request.GET
    filters = {}
    if get.get("kind") in Event.Kind.values:
        filters["kind"] = get["kind"]
    if get.get("audience") in Event.Audience.values:
        filters["audience"] = get["audience"]
    if get.get("department", "").isdigit():
        filters["department"] = Department.objects.filter(pk=get["department"]).first()
    if get.get("organiser", "").isdigit():
        filters["organiser"] = Organisation.objects.filter(pk=get["organiser"]).first()
    if get.get("quand") == "passes":
        filters["past"] = True
    filters["open_to_me"] = get.get("pour_moi") == "1"
    filters["registered"] = get.get("inscrit") == "1"
    return {key: value for key, value in filters.items() if value}


@requires("events.view")
def agenda(request):
    filters = _filters(request)
    events = selectors.agenda(user=request.user, filters=filters, access=request.access)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agenda/agenda.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "kinds": Event.Kind.choices,
            "audiences": Event.Audience.choices,
            "departments": Department.objects.all(),
            "organisers": Organisation.objects.filter(events__isnull=False).distinct(),
            "can_publish": request.access.can_publish_events,
        },
    )


MONTH_YEARS = range(2000, 2100)  # the years the month view shows


@requires("events.view")
def agenda_month(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("annee", today.year))
        month_number = int(request.GET.get("mois", today.month))
        first = date(year, month_number, 1)
    except (ValueError, OverflowError):
        messages.warning(request, "Ce mois n'existe pas : voici le mois en cours.")
        return redirect("agenda_month")
    if first.year not in MONTH_YEARS:
        messages.warning(
            request,
            f"L'agenda couvre les années {MONTH_YEARS[0]} à {MONTH_YEARS[-1]} : voici le mois "
            "en cours.",
        )
        return redirect("agenda_month")
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "agenda/agenda_month.html",
        {
            "weeks": selectors.month(year=first.year, month_number=first.month, user=request.user),
            "first": first,
            "previous": previous if previous.year in MONTH_YEARS else None,
            "following": following if following.year in MONTH_YEARS else None,
            "today": today,
        },
    )


def _event_or_404(pk, user):
    try:
        return selectors.event_page(pk, user)
    except Event.DoesNotExist as error:
        raise Http404("Événement introuvable") from error


@requires("events.view")
def event_detail(request, pk):
    event = _event_or_404(pk, request.user)
    page = selectors.event_page_for(event, user=request.user, access=request.access)
    return render(
        request,
        "agenda/event_detail.html",
        {
            "event": event,
            "page": page,
            "facts": page.facts,
            "invite_form": GuestInviteForm() if page.invites_guests else None,
        },
    )


@requires("events.view")
def event_ics_download(request, pk):
    event = get_object_or_404(selectors.visible_to(Event.objects.all(), request.user), pk=pk)
    show_video = selectors.person_is_confirmed(event, request.user)
    response = HttpResponse(
        event_ics(event, show_video=show_video), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


@require_POST
@requires("events.register")
def register(request, pk):
    event = get_object_or_404(Event, pk=pk)
    try:
        registration = services.event_register(event=event, person=request.user)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, "Vous êtes inscrit·e. Un e-mail de confirmation arrive.")
        else:
            messages.info(
                request,
                "L'événement est complet : vous êtes sur liste d'attente. Nous vous écrirons si "
                "une place se libère.",
            )
    return redirect(_next_url(request) or reverse("event", args=[pk]))


def _next_url(request):
    """Where to go back after a one-click action taken from another page (a pathway step)."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else None


@require_POST
@requires("events.register")
def working_group_series(request, pk):
    """Join (or leave) the whole series of meetings of the event's working group."""
    event = get_object_or_404(Event.objects.select_related("working_group"), pk=pk)
    group = event.working_group
    if group is None:
        raise Http404("Pas de groupe de travail")
    try:
        if request.POST.get("action") == "leave":
            count = services.working_group_leave(group=group, person=request.user)
            messages.success(
                request, f"Vous avez quitté le groupe ({count} inscription(s) annulée(s))."
            )
        else:
            registrations = services.working_group_join(group=group, person=request.user)
            messages.success(
                request,
                f"Vous êtes membre du groupe et inscrit·e à {len(registrations)} "
                "réunion(s) à venir.",
            )
    except services.EventError as error:
        messages.error(request, str(error))
    return redirect("event", pk=pk)


def _own_registration(request, pk):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if registration.person_id != request.user.pk:
        raise Http404("Inscription introuvable")
    return registration


@requires("events.view")
def registration_cancel(request, pk):
    """Cancelling asks first (a page of its own: it works without JavaScript)."""
    registration = _own_registration(request, pk)
    event = registration.event
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, "Votre inscription est annulée. Merci d'avoir libéré la place."
            )
        return redirect("event", pk=registration.event_id)
    return render(
        request,
        "agenda/registration_cancel.html",
        {
            "registration": registration,
            "event": event,
            "seat_passes_on": selectors.freed_seat_goes_to_waitlist(event),
        },
    )


@require_POST
@requires("events.view")
def offer_accept(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.offer_accept(registration=registration)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre place est confirmée.")
    return redirect("event", pk=registration.event_id)


@require_POST
@requires("events.view")
def registration_excuse(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.registration_excuse(registration=registration)
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "C'est noté : vous êtes excusé·e.")
    return redirect("event", pk=registration.event_id)


@require_POST
@requires("events.invite_guests")
def guest_invite(request, pk):
    """Staff, the organiser, or a registered coordinator invite a manager or an elected official."""
    event = get_object_or_404(Event, pk=pk)
    if not selectors.may_invite_guests(event, user=request.user, access=request.access):
        raise PermissionDenied
    form = GuestInviteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} : {' '.join(errors)}")
        return redirect("event", pk=pk)
    try:
        invitation = services.guest_invite(
            event=event, invited_by=request.user, **form.cleaned_data
        )
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
        warning = services.guest_invite_warning(event)
        if warning:
            messages.warning(request, warning)
    return redirect("event", pk=pk)


@login_not_required
def guest_register(request, token):
    """A guest's personal link: it registers the invited person, then manages that registration
    (confirm an offered seat, cancel) until the event ends."""
    invitation = selectors.guest_invitation_page(token)
    if invitation is None:
        raise Http404("Invitation inconnue")
    try:
        services.guest_invitation_check(invitation)
    except services.EventError as error:
        return render(
            request,
            "agenda/guest_invalid.html",
            {
                "message": str(error),
                "event": invitation.event,
                "contacts": selectors.guest_contacts(invitation),
            },
            status=410,
        )
    registration = invitation.registration
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return _guest_manage(request, invitation, registration)
    form = GuestRegistrationForm(
        request.POST or None,
        initial={
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
            "email": invitation.email,
            "function": invitation.function,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.guest_register(invitation=invitation, **form.cleaned_data)
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, "Vous êtes inscrit·e. Un e-mail de confirmation arrive.")
            else:
                messages.info(
                    request,
                    "L'événement est complet : vous êtes sur liste d'attente. Nous vous écrirons "
                    "si une place se libère.",
                )
            return redirect("guest_register", token=token)
    return render(
        request,
        "agenda/guest_register.html",
        {
            "form": form,
            "event": invitation.event,
            "invitation": invitation,
            "cancelled": registration is not None,
            "contacts": selectors.guest_contacts(invitation),
        },
    )


@login_not_required
@require_GET
def guest_event_ics(request, token):
    """A guest's calendar file, from their link, once they hold a confirmed seat."""
    invitation = selectors.guest_invitation_page(token)
    registration = invitation.registration if invitation else None
    seated = registration is not None and registration.status == Registration.Status.CONFIRMED
    if not seated or invitation.expires_at <= timezone.now():
        raise Http404("Pas de place confirmée pour ce lien")
    event = invitation.event
    response = HttpResponse(
        event_ics(event, show_video=True), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


GUEST_ACTIONS = {
    "accept": (
        services.offer_accept,
        "Votre place est confirmée. Un e-mail de confirmation arrive.",
    ),
    "cancel": (
        services.registration_cancel,
        "Votre inscription est annulée. Merci d'avoir libéré la place.",
    ),
}


def _guest_manage(request, invitation, registration):
    """The guest's registration: its state, and the actions they may take."""
    if request.method == "POST":
        action = GUEST_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, "Action inconnue.")
        else:
            service, done = action
            try:
                service(registration=registration)
            except services.EventError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, done)
        return redirect("guest_register", token=invitation.token)
    event = invitation.event
    upcoming = event.starts_at > timezone.now() and not event.is_cancelled
    return render(
        request,
        "agenda/guest_manage.html",
        {
            "event": event,
            "invitation": invitation,
            "registration": registration,
            "position": selectors.waitlist_position(registration),
            "contacts": selectors.guest_contacts(invitation),
            "may_cancel": upcoming,
            "confirm_cancel": upcoming and request.GET.get("annuler") == "1",
            "seat_passes_on": selectors.freed_seat_goes_to_waitlist(event),
        },
    )


def _editable_event(request, pk):
    if pk is None:
        if not request.access.can_publish_events:
            raise PermissionDenied
        return Event(created_by=request.user)
    event = get_object_or_404(Event, pk=pk)
    if not request.access.can_manage_event(event):
        raise PermissionDenied
    return event


@requires("events.publish")
def event_edit(request, pk=None):
    event = _editable_event(request, pk)
    saved_title = event.title  # the form changes the instance as it validates
    initial = None if event.pk else {"audiences": [Event.Audience.ALL]}
    form = EventForm(request.POST or None, instance=event, access=request.access, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(
                event=form.save(commit=False),
                departments=list(form.cleaned_data["departments"]),
                topics=list(form.cleaned_data["topics"]),
                extra={name: form.cleaned_data.get(name) for name in form.extra_fields},
                access=request.access,
            )
        except services.EventError as error:
            form.add_error(None, str(error))
        else:
            overlaps = selectors.overlapping_events(event)
            if overlaps:
                messages.warning(
                    request,
                    "Attention : même public, même moment que "
                    + ", ".join(f"« {o.title} » ({o.organiser})" for o in overlaps)
                    + ".",
                )
            messages.success(request, f"« {event.title} » est enregistré.")
            return redirect("event", pk=event.pk)
    return render(
        request,
        "agenda/event_form.html",
        {
            "form": form,
            "event": event,
            "back_url": reverse("event", args=[event.pk]) if event.pk else reverse("agenda"),
            "title": f"Modifier l'événement « {saved_title} »" if event.pk else "Nouvel événement",
        },
    )


@requires("events.publish")
def event_cancel(request, pk):
    event = _editable_event(request, pk)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, reason=form.cleaned_data["reason"])
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "L'événement est annulé ; les inscrit·es sont prévenu·es.")
        return redirect("event", pk=pk)
    return form_page(
        request,
        form,
        title=f"Annuler l'événement « {event.title} »",
        submit="Annuler l'événement",
        back_url=reverse("event", args=[pk]),
        intro="Toutes les personnes inscrites ou en liste d'attente recevront un e-mail.",
    )


@requires("events.view")
def calendar_feed_settings(request):
    """The person's private calendar address; creating a new one kills the old one."""
    if request.method == "POST":
        existed = selectors.calendar_feed_of(request.user) is not None
        services.calendar_feed_renew(user=request.user)
        messages.success(
            request,
            "Nouvelle adresse créée : l'ancienne ne fonctionne plus."
            if existed
            else "Votre adresse est créée : ajoutez-la à votre calendrier.",
        )
        return redirect("calendar_feed_settings")
    feed = selectors.calendar_feed_of(request.user)
    url = settings.SITE_URL + reverse("calendar_feed", args=[feed.token]) if feed else ""
    return render(request, "agenda/calendar_feed.html", {"feed_url": url})


@login_not_required
def calendar_feed(request, token):
    """A private feed read by calendar apps: the secret token is the credential."""
    events = selectors.calendar_feed_events(token)
    if events is None:
        raise Http404("Agenda introuvable")
    body = feed_ics(events, name="Réseau des coordinateurs — mes événements")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
