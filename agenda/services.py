"""Writes on events and registrations. Capacity is decided under a lock on the event row, so
it is never exceeded, even when many people register at the same second."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.emails import send_email_on_commit

from . import hooks, reminders
from .calendar import event_ics
from .models import CalendarFeed, Event, Feedback, GuestInvitation, Registration

OFFER_DELAY = timedelta(hours=48)
GUEST_INVITATION_DAYS = 30


class EventError(Exception):
    """Something the agenda refuses; the French message is shown as it is."""


def _notify(registration, template, **context):
    """Registration e-mails, with the event's calendar file attached."""
    event = registration.event
    to = registration.person.email if registration.person_id else registration.email
    if not to:
        return
    show_video = registration.status == Registration.Status.CONFIRMED
    send_email_on_commit(
        to=to,
        template=template,
        category="event",
        recipient=registration.person,
        about=reminders.about(registration),
        topic=reminders.topic(event),
        topic_label=reminders.topic_label(event),
        context={
            "registration": registration,
            "event": event,
            "url": settings.SITE_URL + reverse("event", args=[event.pk]),
            **context,
        },
        attachments=[
            (f"evenement-{event.pk}.ics", event_ics(event, show_video=show_video), "text/calendar")
        ],
    )


def _locked(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _seats_taken(event):
    return event.registrations.filter(status__in=Registration.SEATED).count()


def _has_free_seat(event):
    return event.capacity is None or _seats_taken(event) < event.capacity


def _check_open(event, now):
    if event.is_cancelled:
        raise EventError("Cet événement est annulé.")
    if event.starts_at <= now:
        raise EventError("Cet événement a déjà commencé : les inscriptions sont closes.")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        raise EventError(f"Les inscriptions ouvrent le {opens:%d/%m/%Y à %H:%M}.")
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise EventError("Les inscriptions sont closes.")


def registration_closed_reason(event, now=None):
    """Why registration is closed right now (a French sentence), or None when it is open."""
    try:
        _check_open(event, now or timezone.now())
    except EventError as error:
        return str(error)
    return None


def _seat_or_waitlist(event):
    return (
        Registration.Status.CONFIRMED if _has_free_seat(event) else Registration.Status.WAITLISTED
    )


@transaction.atomic
def event_register(*, event, person) -> Registration:
    """One click: a seat if one is free, else the waitlist."""
    event = _locked(event)
    _check_open(event, timezone.now())
    if event.registrations.filter(person=person, status__in=Registration.ACTIVE).exists():
        raise EventError("Vous êtes déjà inscrit·e à cet événement.")
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, person=person, status=_seat_or_waitlist(event)
            )
    except IntegrityError as error:  # the same person, twice at the same second
        raise EventError("Vous êtes déjà inscrit·e à cet événement.") from error
    _notify(
        registration,
        "registration_confirmed"
        if registration.status == Registration.Status.CONFIRMED
        else "registration_waitlisted",
    )
    reminders.registration_plan(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration) -> Registration:
    """Cancel in one click; a freed seat is offered to the first person waiting."""
    event = _locked(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est déjà annulée.")
    if event.starts_at <= timezone.now():
        raise EventError("L'événement a commencé : signalez plutôt votre absence à l'équipe.")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offered_until = None
    registration.save(update_fields=["status", "cancelled_at", "offered_until"])
    reminders.registration_unplan(registration, "Inscription annulée.")
    waitlist_refresh(event=event)
    return registration


def _offer_deadline(event, now):
    return min(now + OFFER_DELAY, event.starts_at - timedelta(hours=2))


@transaction.atomic
def waitlist_refresh(*, event) -> list[Registration]:
    """Expire unanswered offers, then offer free seats to the waitlist in order."""
    event = _locked(event)
    now = timezone.now()
    expired = event.registrations.filter(status=Registration.Status.OFFERED, offered_until__lte=now)
    for registration in expired:
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
    offered = []
    if event.is_cancelled or event.starts_at <= now:
        return offered
    deadline = _offer_deadline(event, now)
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    for registration in waiting:
        if not _has_free_seat(event):
            break
        if deadline <= now:  # too close to the event to wait for an answer: seat them
            registration.status = Registration.Status.CONFIRMED
            registration.offered_until = None
        else:
            registration.status = Registration.Status.OFFERED
            registration.offered_until = deadline
        registration.save(update_fields=["status", "offered_until"])
        _notify(registration, "waitlist_promoted")
        reminders.registration_plan(registration)
        offered.append(registration)
    return offered


@transaction.atomic
def offer_accept(*, registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    expired_offer = registration.offered_until and registration.offered_until <= timezone.now()
    if registration.status == Registration.Status.CANCELLED and expired_offer:
        raise EventError("Le délai pour confirmer cette place est passé.")
    if registration.status != Registration.Status.OFFERED:
        raise EventError("Aucune place ne vous est proposée pour cet événement.")
    if registration.offered_until <= timezone.now():
        raise EventError("Le délai pour confirmer cette place est passé.")
    registration.status = Registration.Status.CONFIRMED
    registration.offered_until = None
    registration.save(update_fields=["status", "offered_until"])
    _notify(registration, "registration_confirmed")
    reminders.registration_plan(registration)
    return registration


# --- Guests -------------------------------------------------------------------------------


@transaction.atomic
def guest_invite(
    *, event, invited_by, email, first_name, last_name, function=""
) -> GuestInvitation:
    if Event.Audience.GUESTS not in event.audiences:
        raise EventError("Cet événement n'est pas ouvert aux invité·es (hiérarchie, élu·es).")
    _check_open(event, timezone.now())
    invitation = GuestInvitation.objects.create(
        event=event,
        invited_by=invited_by,
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        function=function,
        expires_at=min(timezone.now() + timedelta(days=GUEST_INVITATION_DAYS), event.starts_at),
    )
    send_email_on_commit(
        to=invitation.email,
        template="guest_invitation",
        category="event",
        topic=reminders.topic(event),
        topic_label=reminders.topic_label(event),
        context={
            "invitation": invitation,
            "event": event,
            "url": settings.SITE_URL + reverse("guest_register", args=[invitation.token]),
        },
    )
    return invitation


def guest_invitation_check(invitation):
    if invitation.used_at:
        raise EventError(
            "Ce lien d'invitation a déjà servi : l'inscription est enregistrée. Pour la modifier, "
            "contactez la personne qui vous a invité·e."
        )
    if invitation.expires_at <= timezone.now():
        raise EventError("Ce lien d'invitation a expiré.")


@transaction.atomic
def guest_register(*, invitation, first_name, last_name, email, function, commune) -> Registration:
    invitation = GuestInvitation.objects.select_for_update().get(pk=invitation.pk)
    guest_invitation_check(invitation)
    event = _locked(invitation.event)
    _check_open(event, timezone.now())
    email = email.lower()
    if event.registrations.filter(
        person__isnull=True, email__iexact=email, status__in=Registration.ACTIVE
    ).exists():
        raise EventError("Cette adresse e-mail est déjà inscrite à cet événement.")
    registration = Registration.objects.create(
        event=event,
        first_name=first_name,
        last_name=last_name,
        email=email,
        function=function,
        commune=commune,
        invited_by=invitation.invited_by,
        status=_seat_or_waitlist(event),
    )
    invitation.used_at = timezone.now()
    invitation.registration = registration
    invitation.save(update_fields=["used_at", "registration"])
    _notify(
        registration,
        "registration_confirmed"
        if registration.status == Registration.Status.CONFIRMED
        else "registration_waitlisted",
    )
    reminders.registration_plan(registration)
    return registration


# --- Events -------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event, departments, topics, extra=None, access=None) -> Event:
    """Create or change an event; registered people are told when its time or place moves.

    `extra` holds the fields higher floors added to the event form (`hooks.event_form`); they
    save them in this transaction (`hooks.event_saved`)."""
    if event.ends_at <= event.starts_at:
        raise EventError("La fin de l'événement doit être postérieure à son début.")
    moved = False
    if event.pk:
        before = _locked(event)
        seated = _seats_taken(before)
        if event.capacity is not None and event.capacity < seated:
            raise EventError(
                f"{seated} personnes ont déjà une place : la capacité ne peut pas descendre "
                "en dessous."
            )
        moved = (before.starts_at, before.ends_at, before.location, before.video_url) != (
            event.starts_at,
            event.ends_at,
            event.location,
            event.video_url,
        )
        event.sequence = before.sequence + (1 if moved else 0)
    event.save()
    event.departments.set(departments)
    event.topics.set(topics)
    hooks.event_saved.send(event=event, data=extra or {}, access=access)
    if moved:
        for registration in event.registrations.filter(status__in=Registration.ACTIVE):
            _notify(registration, "event_changed")
    reminders.event_plan(event)  # pending reminders follow the event's new time or kind
    waitlist_refresh(event=event)  # more seats may have opened
    return event


@transaction.atomic
def event_cancel(*, event, reason) -> Event:
    event = _locked(event)
    if event.is_cancelled:
        raise EventError("Cet événement est déjà annulé.")
    event.status = Event.Status.CANCELLED
    event.cancellation_reason = reason
    event.sequence += 1
    event.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    reminders.event_plan(event)
    for registration in event.registrations.filter(status__in=Registration.ACTIVE):
        _notify(registration, "event_cancelled")
    return event


# --- Attendance and feedback --------------------------------------------------------------


@transaction.atomic
def registration_check_in(*, registration, present=True) -> Registration:
    """A tap on the check-in page; tapping again undoes it (back to "not recorded")."""
    registration.attended = True if present else None
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["attended", "checked_in_at"])
    if present:
        hooks.attendance_recorded.send(registrations=[registration])
    else:
        hooks.attendance_undone.send(registration=registration)
    return registration


@transaction.atomic
def registration_excuse(*, registration) -> Registration:
    if registration.event.starts_at <= timezone.now():
        raise EventError("L'événement a commencé : il est trop tard pour vous excuser.")
    if registration.status == Registration.Status.CANCELLED:
        raise EventError("Cette inscription est annulée.")
    registration.excused = True
    registration.save(update_fields=["excused"])
    reminders.registration_plan(registration)
    return registration


FEEDBACK_SCORES = range(1, 6)
FEEDBACK_COMMENT_MAX_LENGTH = 2000


@transaction.atomic
def feedback_submit(*, registration, satisfaction, usefulness, comment="") -> Feedback:
    """A person recorded present gives their opinion on the event, once."""
    if not registration.attended:
        raise EventError("Seules les personnes présentes peuvent donner leur avis.")
    if satisfaction not in FEEDBACK_SCORES or usefulness not in FEEDBACK_SCORES:
        raise EventError("Donnez une note de 1 à 5.")
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        raise EventError(f"Un commentaire fait au plus {FEEDBACK_COMMENT_MAX_LENGTH} caractères.")
    given = EventError("Vous avez déjà donné votre avis sur cet événement. Merci !")
    if Feedback.objects.filter(registration=registration).exists():
        raise given
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                registration=registration,
                satisfaction=satisfaction,
                usefulness=usefulness,
                comment=comment,
            )
    except IntegrityError as error:  # the same form sent twice at once
        raise given from error


# --- A person's calendar ------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give the person a private calendar address, or a new one: the old one stops working."""
    token = CalendarFeed._meta.get_field("token").get_default()
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
    if not created:
        feed.token = token
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def working_group_join(*, group, person) -> list[Registration]:
    """One registration for the whole series: membership and a seat at every upcoming meeting."""
    group.members.add(person)
    now = timezone.now()
    registrations = []
    for meeting in group.meetings.filter(starts_at__gt=now, status=Event.Status.PUBLISHED):
        if meeting.registrations.filter(person=person, status__in=Registration.ACTIVE).exists():
            continue
        try:
            registrations.append(event_register(event=meeting, person=person))
        except EventError:
            continue  # a meeting whose registration is closed is simply skipped
    if not registrations and not group.meetings.filter(starts_at__gt=now).exists():
        raise EventError("Ce groupe de travail n'a pas de réunion à venir.")
    return registrations


@transaction.atomic
def working_group_leave(*, group, person) -> int:
    """Leave the group: cancel the registrations to its upcoming meetings."""
    group.members.remove(person)
    cancelled = 0
    for registration in Registration.objects.filter(
        event__working_group=group,
        event__starts_at__gt=timezone.now(),
        person=person,
        status__in=Registration.ACTIVE,
    ):
        registration_cancel(registration=registration)
        cancelled += 1
    return cancelled
