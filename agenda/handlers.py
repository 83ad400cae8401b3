"""What the agenda plugs into the notifications engine at start-up: its event kinds as reminder
kinds (reminders and follow-ups are planned by `agenda.reminders`), and the onboarding conditions
and variables that speak of events."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.registry import (
    CONDITIONS,
    REMINDER_KINDS,
    TOPICS,
    VARIABLES,
    Condition,
    ReminderKind,
    Topic,
    Variable,
)

from . import reminders
from .models import Event, Registration
from .selectors import next_welcome_day


def _active_registrations(person):
    return Registration.objects.filter(person=person).exclude(status=Registration.Status.CANCELLED)


def _registered_to_a_welcome_day(person):
    if _active_registrations(person).filter(event__is_welcome_day=True).exists():
        return "Déjà inscrit·e à une journée d'accueil."
    return None


def _registered_to_an_upcoming_event(person):
    if _active_registrations(person).filter(event__starts_at__gt=timezone.now()).exists():
        return "Déjà inscrit·e à un événement à venir."
    return None


def _welcome_day_text(person):
    welcome = next_welcome_day()
    if welcome is None:
        return "la prochaine date sera annoncée dans l'agenda"
    return f"{welcome.title}, le {timezone.localtime(welcome.starts_at):%d/%m/%Y}"


def _welcome_day_link(person):
    welcome = next_welcome_day()
    path = reverse("event", args=[welcome.pk]) if welcome else reverse("agenda")
    return settings.SITE_URL + path


for value, label in Event.Kind.choices:
    REMINDER_KINDS.register(
        value, ReminderKind(label, replan=lambda kind=value: reminders.rules_replan(kind))
    )
CONDITIONS.register(
    "no_welcome_day",
    Condition(
        "Sauter si déjà inscrit·e à une journée d'accueil",
        skip_reason=_registered_to_a_welcome_day,
    ),
)
CONDITIONS.register(
    "no_upcoming_event",
    Condition("Seulement sans inscription à venir", skip_reason=_registered_to_an_upcoming_event),
)
VARIABLES.register(
    "lien_agenda",
    Variable("le lien vers l'agenda", lambda person: settings.SITE_URL + reverse("agenda")),
)
VARIABLES.register(
    "prochaine_journee_accueil",
    Variable("la prochaine journée d'accueil (titre et date)", _welcome_day_text),
)
VARIABLES.register(
    "lien_journee_accueil",
    Variable("le lien vers la prochaine journée d'accueil (ou l'agenda)", _welcome_day_link),
)
TOPICS.register("event", Topic("Événement", url=lambda pk: reverse("event", args=[pk])))
