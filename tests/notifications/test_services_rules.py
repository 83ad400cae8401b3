"""Reminder rules written by staff (`services.reminder_rule_*`): the pending reminders of the
people already registered follow at once; refused input says why, in French, and saves nothing.
Also `delivery_resend`, which staff call from the outbox."""

import pytest

from agenda import services as agenda_services
from notifications import services
from notifications.models import Delivery, ReminderRule
from tests.factories import EventFactory, UserFactory, in_days

pytestmark = pytest.mark.django_db


def rules():
    return sorted(ReminderRule.objects.values_list("kind", "days_before", "hours_before"))


def reminders_of(registration, rule):
    return Delivery.objects.filter(reminder=rule, recipient=registration.person)


@pytest.fixture
def registration(coordinator):
    event = EventFactory(kind="elected_meeting", starts_at=in_days(20))
    return agenda_services.event_register(event=event, person=coordinator)


def test_a_new_rule_reaches_the_people_already_registered(registration):
    rule = services.reminder_rule_add(
        kind="elected_meeting", days_before=3, hours_before=2, with_video_link=True
    )
    assert (rule.label, rule.with_video_link, rule.with_access, rule.is_active) == (
        "J-3 H-2",
        True,
        False,
        True,
    )
    [reminder] = reminders_of(registration, rule)
    assert reminder.status == Delivery.Status.DUE


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "inconnu"}, "Choisissez un type d'événement qui a des rappels."),
        ({"days_before": 0, "hours_before": 0}, "Indiquez au moins un jour ou une heure"),
        ({"days_before": -1}, "rien de négatif"),
        ({"hours_before": -2}, "rien de négatif"),
        ({"days_before": 366}, "au plus 365 jours"),
        ({"hours_before": 24}, "Au-delà de 23 heures, indiquez des jours."),
        ({"kind": "webinar", "days_before": 7}, "Il existe déjà un rappel J-7 pour « Webinaire »."),
    ],
)
def test_refused_rules_say_why_and_save_nothing(registration, values, message):
    ReminderRule.objects.get_or_create(kind="webinar", days_before=7, hours_before=0)
    before, planned = rules(), Delivery.objects.count()
    arguments = {"kind": "elected_meeting", "days_before": 2, "hours_before": 0, **values}
    with pytest.raises(services.NotificationError, match=message):
        services.reminder_rule_add(**arguments)
    assert rules() == before
    assert Delivery.objects.count() == planned


def test_turning_a_rule_off_cancels_its_pending_reminders_and_on_applies_it_again(registration):
    rule = services.reminder_rule_add(kind="elected_meeting", days_before=5, hours_before=0)
    services.reminder_rule_set_active(rule=rule, active=False)
    rule.refresh_from_db()
    assert not rule.is_active
    [reminder] = reminders_of(registration, rule)
    assert reminder.status == Delivery.Status.CANCELLED
    latecomer = agenda_services.event_register(event=registration.event, person=UserFactory())
    assert not reminders_of(latecomer, rule).exists()

    services.reminder_rule_set_active(rule=rule, active=True)
    rule.refresh_from_db()
    assert rule.is_active
    [planned] = reminders_of(latecomer, rule)
    assert planned.status == Delivery.Status.DUE


def test_deleting_a_rule_cancels_what_it_planned_and_keeps_the_rows(registration):
    rule = services.reminder_rule_add(kind="elected_meeting", days_before=4, hours_before=0)
    [reminder] = reminders_of(registration, rule)
    services.reminder_rule_delete(rule=rule)
    assert not ReminderRule.objects.filter(pk=rule.pk).exists()
    reminder.refresh_from_db()
    assert reminder.reminder is None
    assert reminder.status == Delivery.Status.CANCELLED


def test_other_kinds_are_left_alone(registration):
    webinar = EventFactory(kind="webinar", starts_at=in_days(20))
    other = agenda_services.event_register(event=webinar, person=UserFactory())
    before = list(
        Delivery.objects.filter(recipient=other.person).values_list("pk", "status", "due_at")
    )
    services.reminder_rule_add(kind="elected_meeting", days_before=6, hours_before=0)
    after = list(
        Delivery.objects.filter(recipient=other.person).values_list("pk", "status", "due_at")
    )
    assert after == before


# --- Resending from the outbox ------------------------------------------------------------------


def delivery(status):
    return Delivery.objects.create(
        key=f"test:{status}",
        category="reminder",
        kind="message",
        email="camille@exemple.fr",
        due_at=in_days(-1),
        status=status,
        attempts=3,
        subject="Rappel",
        text="Bonjour",
    )


@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_a_failed_or_cancelled_delivery_is_due_again(status, django_capture_on_commit_callbacks):
    row = delivery(status)
    services.delivery_resend(delivery=row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("due", 0)
    assert row.queued_at is not None


@pytest.mark.parametrize("status", ["due", "sending", "sent"])
def test_only_a_failed_or_cancelled_delivery_is_resent(status):
    row = delivery(status)
    with pytest.raises(services.NotificationError, match="Seul un envoi en échec ou annulé"):
        services.delivery_resend(delivery=row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (status, 3)
