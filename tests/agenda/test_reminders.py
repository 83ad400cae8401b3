"""Event reminders and follow-ups: planned on registration, moved with the event, cancelled
with the registration, sent at the right Paris time on both sides of the clock changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from agenda import reminders
from agenda import services as training_services
from agenda.models import Event, Registration
from notifications import services
from notifications.models import Delivery, ReminderRule
from tests.factories import CoordinatorProfileFactory, EventFactory, in_days

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def person():
    return CoordinatorProfileFactory().user


def planned(registration):
    return {
        d.key.rsplit(":", 1)[-1] if d.kind == "event_reminder" else "suite": d
        for d in Delivery.objects.filter(about=reminders.about(registration))
        .exclude(kind="message")
        .select_related("reminder")
    }


def test_a_webinar_registration_plans_the_default_reminders_and_a_followup():
    event = EventFactory(starts_at=in_days(10, hour=14))
    registration = training_services.event_register(event=event, person=person())
    rows = planned(registration)
    assert set(rows) == {"J-7", "J-1", "H-1", "suite"}
    local = {label: timezone.localtime(row.due_at) for label, row in rows.items()}
    assert local["J-7"] == timezone.localtime(in_days(3, hour=14))
    assert local["J-1"] == timezone.localtime(in_days(9, hour=14))
    assert local["H-1"] == timezone.localtime(in_days(10, hour=13))
    assert local["suite"] == timezone.localtime(in_days(11, hour=10))


def test_reminders_already_past_are_not_planned():
    event = EventFactory(starts_at=in_days(2, hour=14))
    registration = training_services.event_register(event=event, person=person())
    assert set(planned(registration)) == {"J-1", "H-1", "suite"}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Summer time starts on Sunday 28 March 2027 at 2:00: J-1 is Saturday 10:00 winter time.
        (datetime.datetime(2027, 3, 28, 10, 0), {"J-7": (3, 21, 10), "J-1": (3, 27, 10)}),
        # Winter time starts on Sunday 31 October 2027 at 3:00.
        (datetime.datetime(2027, 10, 31, 10, 0), {"J-7": (10, 24, 10), "J-1": (10, 30, 10)}),
    ],
)
def test_j_minus_n_keeps_the_paris_clock_time_across_clock_changes(start, expected):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 12, tzinfo=PARIS), tick=False):
        event = EventFactory(
            starts_at=start.replace(tzinfo=PARIS),
            ends_at=start.replace(tzinfo=PARIS) + datetime.timedelta(hours=2),
        )
        registration = training_services.event_register(event=event, person=person())
    rows = planned(registration)
    for label, (month, day, hour) in expected.items():
        local = rows[label].due_at.astimezone(PARIS)
        assert (local.month, local.day, local.hour, local.minute) == (month, day, hour, 0)
    # H-1 is one real hour before.
    assert event.starts_at - rows["H-1"].due_at == datetime.timedelta(hours=1)


def test_moving_the_event_moves_pending_reminders_only(django_capture_on_commit_callbacks):
    event = EventFactory(starts_at=in_days(10, hour=14))
    registration = training_services.event_register(event=event, person=person())
    rows = planned(registration)
    Delivery.objects.filter(pk=rows["J-7"].pk).update(status=Delivery.Status.SENT)
    event.starts_at, event.ends_at = in_days(12, hour=9), in_days(12, hour=11)
    with django_capture_on_commit_callbacks(execute=True):
        training_services.event_save(event=event, departments=[], topics=[])
    moved = planned(registration)
    assert moved["J-7"].due_at == rows["J-7"].due_at  # already sent: history stays
    assert timezone.localtime(moved["J-1"].due_at) == timezone.localtime(in_days(11, hour=9))
    assert timezone.localtime(moved["H-1"].due_at) == timezone.localtime(in_days(12, hour=8))


def test_cancelling_cancels_reminders_and_the_followup():
    event = EventFactory(starts_at=in_days(10))
    registration = training_services.event_register(event=event, person=person())
    training_services.registration_cancel(registration=registration)
    rows = planned(registration).values()
    assert {row.status for row in rows} == {Delivery.Status.CANCELLED}
    assert {row.last_error for row in rows} == {"Inscription annulée."}


def test_cancelling_the_event_cancels_everyone_s_reminders():
    event = EventFactory(starts_at=in_days(10))
    for _ in range(3):
        training_services.event_register(event=event, person=person())
    training_services.event_cancel(event=event, reason="Intervenante malade")
    pending = Delivery.objects.filter(topic=reminders.topic(event)).exclude(kind="message")
    assert pending.count() == 12
    assert set(pending.values_list("status", "last_error")) == {("cancelled", "Événement annulé.")}


def test_an_excused_person_keeps_only_the_followup():
    event = EventFactory(starts_at=in_days(10))
    registration = training_services.event_register(event=event, person=person())
    training_services.registration_excuse(registration=registration)
    statuses = {label: row.status for label, row in planned(registration).items()}
    assert statuses == {"J-7": "cancelled", "J-1": "cancelled", "H-1": "cancelled", "suite": "due"}


def test_the_waitlist_gets_reminders_only_once_seated():
    event = EventFactory(starts_at=in_days(10), capacity=1)
    first = training_services.event_register(event=event, person=person())
    waiting = training_services.event_register(event=event, person=person())
    assert waiting.status == Registration.Status.WAITLISTED and planned(waiting) == {}
    training_services.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED and planned(waiting) == {}
    training_services.offer_accept(registration=waiting)
    assert set(planned(waiting)) == {"J-7", "J-1", "H-1", "suite"}


def test_a_due_reminder_is_sent_with_the_video_link_and_the_calendar_file(mailoutbox):
    event = EventFactory(starts_at=in_days(10), title="Les CLS et l'ARS")
    registration = training_services.event_register(event=event, person=person())
    h1 = planned(registration)["H-1"]
    with time_machine.travel(h1.due_at + datetime.timedelta(seconds=30), tick=False):
        assert services.deliveries_send([h1.pk]) == 1
    [message] = mailoutbox
    assert message.subject.endswith("Rappel dans une heure : Les CLS et l'ARS")
    assert event.video_url in message.body
    assert message.attachments[0][0] == f"evenement-{event.pk}.ics"
    assert "List-Unsubscribe" in message.extra_headers
    h1.refresh_from_db()
    assert h1.status == Delivery.Status.SENT and "!!UNKNOWN" not in h1.html + h1.text


def test_a_reminder_of_a_moved_event_waits_for_its_new_time(mailoutbox):
    event = EventFactory(starts_at=in_days(10))
    registration = training_services.event_register(event=event, person=person())
    j1 = planned(registration)["J-1"]
    # The event moved by a path that did not re-plan (say, the admin): the send re-checks.
    Event.objects.filter(pk=event.pk).update(
        starts_at=in_days(20), ends_at=in_days(20) + datetime.timedelta(hours=1)
    )
    with time_machine.travel(j1.due_at + datetime.timedelta(minutes=1), tick=False):
        assert services.deliveries_send([j1.pk]) == 0
    j1.refresh_from_db()
    assert j1.status == Delivery.Status.DUE
    assert timezone.localtime(j1.due_at) == timezone.localtime(in_days(19))
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("attended", "subject"), [(True, "Merci de votre participation"), (False, "pas pu venir")]
)
def test_the_followup_thanks_those_present_and_sends_the_replay_to_the_others(
    attended, subject, mailoutbox
):
    event = EventFactory(starts_at=in_days(10), replay_url="https://replay.example.org/42")
    registration = training_services.event_register(event=event, person=person())
    followup = planned(registration)["suite"]
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    with time_machine.travel(followup.due_at + datetime.timedelta(minutes=1), tick=False):
        assert services.deliveries_send([followup.pk]) == 1
    [message] = mailoutbox
    assert subject in message.subject and "https://replay.example.org/42" in message.body
    assert ("/avis/" in message.body) is attended


def test_the_followup_waits_for_attendance_then_gives_up(mailoutbox):
    event = EventFactory(starts_at=in_days(10))
    registration = training_services.event_register(event=event, person=person())
    followup = planned(registration)["suite"]
    with time_machine.travel(followup.due_at + datetime.timedelta(minutes=1), tick=False):
        services.deliveries_send([followup.pk])
    followup.refresh_from_db()
    assert followup.status == Delivery.Status.DUE
    assert timezone.localtime(followup.due_at) == timezone.localtime(in_days(12))
    with time_machine.travel(followup.due_at + datetime.timedelta(days=8), tick=False):
        services.deliveries_send([followup.pk])
    followup.refresh_from_db()
    assert followup.status == Delivery.Status.CANCELLED
    assert followup.last_error == "Présence jamais enregistrée."
    assert mailoutbox == []


def test_staff_rule_changes_replan_upcoming_events():
    event = EventFactory(starts_at=in_days(20))
    registration = training_services.event_register(event=event, person=person())
    ReminderRule.objects.filter(kind="webinar", days_before=7).update(is_active=False)
    ReminderRule.objects.create(kind="webinar", days_before=3)
    reminders.rules_replan("webinar")
    statuses = {label: row.status for label, row in planned(registration).items()}
    assert statuses == {
        "J-7": "cancelled",
        "J-3": "due",
        "J-1": "due",
        "H-1": "due",
        "suite": "due",
    }


def test_planning_a_big_event_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    event = EventFactory(starts_at=in_days(20), capacity=None)
    people = [person() for _ in range(30)]
    Registration.objects.bulk_create(
        Registration(event=event, person=p, status=Registration.Status.CONFIRMED) for p in people
    )
    with django_assert_max_num_queries(8):
        reminders.event_plan(event)
    assert Delivery.objects.filter(topic=reminders.topic(event)).count() == 30 * 4
