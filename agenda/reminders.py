"""Event reminders and follow-ups, planned as deliveries of the notifications engine.

Each confirmed registration gets one delivery per active `ReminderRule` of its event's kind, and
one follow-up the morning after the event (a thank-you to those present, a "you missed it" to the
others). Planning is idempotent (keys are stable) and runs again when the event moves, so pending
reminders move with it; cancelling a registration or an event cancels them. The engine knows these
rows by their `about` ("registration:7") and `topic` ("event:42") keys; the kinds below, registered
with the engine, load the registrations again when the rows are due.
"""

from datetime import time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import ANONYMOUS, access_for
from notifications import messages
from notifications.models import Category, Delivery, ReminderRule
from notifications.preferences import unsubscribe_url
from notifications.services import deliveries_cancel
from notifications.timing import at_local, reminder_due

from . import hooks
from .calendar import event_ics
from .models import Event, GuestInvitation, Registration

# The programme's defaults (also created by a migration; staff edit them on /gestion/rappels/).
DEFAULT_RULES = [
    {"kind": Event.Kind.WEBINAR, "days_before": 7},
    {"kind": Event.Kind.WEBINAR, "days_before": 1},
    {"kind": Event.Kind.WEBINAR, "hours_before": 1, "with_video_link": True},
    {"kind": Event.Kind.REGIONAL_DAY, "days_before": 14},
    {"kind": Event.Kind.REGIONAL_DAY, "days_before": 2, "with_access": True},
    {"kind": Event.Kind.SITE_VISIT, "days_before": 7, "with_access": True},
    {"kind": Event.Kind.WORKING_GROUP, "days_before": 2, "with_video_link": True},
]

KINDS = ["event_reminder", "event_followup"]
FOLLOWUP_TIME = time(10, 0)
# Attendance is often recorded a few days late: the follow-up waits for it this long.
FOLLOWUP_WAIT = timedelta(days=7)


def followup_due(ends_at):
    return at_local(timezone.localdate(ends_at) + timedelta(days=1), FOLLOWUP_TIME)


def about(registration):
    return f"registration:{registration.pk}"


def topic(event):
    return f"event:{event.pk}"


def topic_label(event):
    return f"{timezone.localtime(event.starts_at):%d/%m/%Y} — {event.title}"[:300]


def _reminder_key(registration, rule):
    return f"reminder:event:{registration.event_id}:registration:{registration.pk}:{rule.label}"


def _followup_key(registration):
    return f"followup:event:{registration.event_id}:registration:{registration.pk}"


def _wanted(registration, rules, now):
    """The deliveries a registration should have, as unsaved rows."""
    event = registration.event
    if event.is_cancelled or registration.status != Registration.Status.CONFIRMED:
        return []
    to = registration.person.email if registration.person_id else registration.email
    common = {
        "email": to,
        "recipient_id": registration.person_id,
        "about": about(registration),
        "topic": topic(event),
        "topic_label": topic_label(event),
    }
    rows = []
    if not registration.excused:
        for rule in rules.get(event.kind, ()):
            due = reminder_due(event.starts_at, rule)
            if due > now:
                rows.append(
                    Delivery(
                        key=_reminder_key(registration, rule),
                        category=Category.REMINDER,
                        kind="event_reminder",
                        reminder=rule,
                        due_at=due,
                        **common,
                    )
                )
    rows.append(
        Delivery(
            key=_followup_key(registration),
            category=Category.FOLLOWUP,
            kind="event_followup",
            due_at=followup_due(event.ends_at),
            **common,
        )
    )
    return rows


def rules_seed_defaults():
    """Create the default rules missing (a flushed database, a fresh demo)."""
    for rule in DEFAULT_RULES:
        offsets = {"days_before": 0, "hours_before": 0} | {
            k: v for k, v in rule.items() if k.endswith("_before")
        }
        options = {k: v for k, v in rule.items() if k.startswith("with_")}
        ReminderRule.objects.get_or_create(kind=rule["kind"], **offsets, defaults=options)


def _active_rules():
    rules = {}
    for rule in ReminderRule.objects.filter(is_active=True):
        rules.setdefault(rule.kind, []).append(rule)
    return rules


def registrations_plan(registrations, now=None):
    """Bring the pending reminders of `registrations` (with event and person loaded) in line with
    their current state: create the missing ones, move the moved ones, cancel the others."""
    now = now or timezone.now()
    registrations = list(registrations)
    if not registrations:
        return
    rules = _active_rules()
    wanted = {
        row.key: row for registration in registrations for row in _wanted(registration, rules, now)
    }
    pending = Delivery.objects.filter(
        about__in=[about(registration) for registration in registrations],
        kind__in=KINDS,
        status=Delivery.Status.DUE,
    )
    existing = {row.key: row for row in Delivery.objects.filter(key__in=wanted)}
    Delivery.objects.bulk_create(
        [row for key, row in wanted.items() if key not in existing], ignore_conflicts=True
    )
    moved = []
    for key, row in existing.items():
        if row.status == Delivery.Status.DUE and row.due_at != wanted[key].due_at:
            row.due_at, row.queued_at = wanted[key].due_at, None
            moved.append(row)
    Delivery.objects.bulk_update(moved, ["due_at", "queued_at"])
    deliveries_cancel(pending.exclude(key__in=wanted), _cancel_reason(registrations))


def _cancel_reason(registrations):
    if len(registrations) == 1:
        registration = registrations[0]
        if registration.event.is_cancelled:
            return "Événement annulé."
        if registration.status == Registration.Status.CANCELLED:
            return "Inscription annulée."
        if registration.excused:
            return "La personne s'est excusée."
        if registration.status != Registration.Status.CONFIRMED:
            return "Inscription pas (ou plus) confirmée."
        return "Échéance dépassée : l'événement a été avancé."
    return "Rappel retiré ou inscription qui ne le demande plus."


def registration_plan(registration):
    registrations_plan([registration])


def event_plan(event):
    if event.is_cancelled:
        deliveries_cancel(
            Delivery.objects.filter(topic=topic(event), kind__in=KINDS), "Événement annulé."
        )
        return
    registrations_plan(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "person")
    )


def registration_unplan(registration, reason):
    deliveries_cancel(Delivery.objects.filter(about=about(registration), kind__in=KINDS), reason)


@transaction.atomic
def rules_replan(kind, now=None):
    """After staff changed the rules of a kind: re-plan every upcoming event of that kind."""
    now = now or timezone.now()
    registrations_plan(
        Registration.objects.filter(
            event__kind=kind,
            event__starts_at__gt=now,
            event__status=Event.Status.PUBLISHED,
            status=Registration.Status.CONFIRMED,
        ).select_related("event", "person"),
        now=now,
    )
    events = Event.objects.filter(kind=kind).values_list("pk", flat=True)
    deliveries_cancel(
        Delivery.objects.filter(
            topic__in=[f"event:{pk}" for pk in events], kind="event_reminder"
        ).exclude(reminder__is_active=True),
        "Rappel retiré par l'équipe.",
    )


def _event_url(event):
    return settings.SITE_URL + reverse("event", args=[event.pk])


def _registration_id(delivery):
    name, _, pk = delivery.about.partition(":")
    return int(pk) if name == "registration" and pk.isdigit() else None


def _load_registrations(deliveries):
    """Put each row's registration (with event and person) on it, and a guest's personal link
    (`guest_url`, where they manage it): two queries for the batch."""
    found = Registration.objects.select_related("event", "person").in_bulk(
        {_registration_id(delivery) for delivery in deliveries} - {None}
    )
    guests = [pk for pk, registration in found.items() if registration.is_guest]
    tokens = dict(
        GuestInvitation.objects.filter(registration__in=guests).values_list(
            "registration_id", "token"
        )
    )
    for delivery in deliveries:
        delivery.registration = found.get(_registration_id(delivery))
        token = tokens.get(_registration_id(delivery))
        delivery.guest_url = (
            settings.SITE_URL + reverse("guest_register", args=[token]) if token else ""
        )


def _event_stops(delivery):
    registration = delivery.registration
    if registration is None:
        return "Inscription supprimée."
    if registration.event.is_cancelled:
        return "Événement annulé."
    if registration.status != Registration.Status.CONFIRMED:
        return "Inscription annulée."
    return None


@messages.register("event_reminder")
class EventReminder(messages.Kind):
    def load(self, deliveries):
        _load_registrations(deliveries)

    def skip_reason(self, delivery):
        reason = _event_stops(delivery)
        if reason:
            return reason
        if delivery.reminder is None or not delivery.reminder.is_active:
            return "Rappel retiré par l'équipe."
        if delivery.registration.excused:
            return "La personne s'est excusée."
        if delivery.registration.event.starts_at <= timezone.now():
            return "L'événement a déjà commencé."
        return None

    def due_at(self, delivery):
        if delivery.registration and delivery.reminder:
            return reminder_due(delivery.registration.event.starts_at, delivery.reminder)
        return None

    def render(self, delivery):
        registration, rule = delivery.registration, delivery.reminder
        event = registration.event
        return messages.content(
            template="event_reminder",
            context={
                "registration": registration,
                "event": event,
                "rule": rule,
                "when": _when(event, rule),
                "show_video": rule.with_video_link and bool(event.video_url),
                "show_access": rule.with_access,
                "url": delivery.guest_url or _event_url(event),
                "unsubscribe_url": _unsubscribe(delivery),
            },
            attachments=[
                (f"evenement-{event.pk}.ics", event_ics(event, show_video=True), "text/calendar")
            ],
        )


def _when(event, rule):
    if rule.days_before == 0:
        return "dans une heure" if rule.hours_before == 1 else f"dans {rule.hours_before} heures"
    if rule.days_before == 1:
        return "demain"
    return f"dans {rule.days_before} jours"


def _unsubscribe(delivery):
    return unsubscribe_url(delivery.recipient, delivery.category) if delivery.recipient_id else ""


@messages.register("event_followup")
class EventFollowup(messages.Kind):
    """The morning after: thanks (present) or "you missed it" (absent); waits for attendance."""

    def load(self, deliveries):
        _load_registrations(deliveries)

    def skip_reason(self, delivery):
        reason = _event_stops(delivery)
        if reason:
            return reason
        if delivery.registration.attended is None and self._waited_enough(delivery):
            return "Présence jamais enregistrée."
        return None

    def _waited_enough(self, delivery):
        return timezone.now() >= followup_due(delivery.registration.event.ends_at) + FOLLOWUP_WAIT

    def due_at(self, delivery):
        registration = delivery.registration
        if registration is None:
            return None
        planned = followup_due(registration.event.ends_at)
        if registration.attended is None and not self._waited_enough(delivery):
            # Not recorded yet: look again tomorrow morning.
            return max(planned, at_local(timezone.localdate() + timedelta(days=1), FOLLOWUP_TIME))
        return planned

    def render(self, delivery):
        registration = delivery.registration
        event = registration.event
        return messages.content(
            template="event_thanks" if registration.attended else "event_missed",
            context={
                "registration": registration,
                "event": event,
                "materials": _materials(event, registration.person),
                "url": _event_url(event),
                "feedback_url": settings.SITE_URL
                + reverse("attendance_feedback", args=[registration.pk]),
                "unsubscribe_url": _unsubscribe(delivery),
            },
        )


def _materials(event, person):
    """The event's replay, slides and documents this person may read (a guest without account:
    the public ones), as (label, title, absolute link)."""
    access = access_for(person) if person is not None else ANONYMOUS
    return [
        (line.label, line.text, settings.SITE_URL + line.url)
        for lines in hooks.event_materials.send(event=event, access=access)
        for line in lines
    ]


def deliveries_of(registration):
    """Every e-mail planned or sent about a registration (confirmations, reminders, follow-up)."""
    return Delivery.objects.filter(about=about(registration))
