"""Reads of the staff pages of the notifications (`notifications.selectors`)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import selectors
from notifications.models import Delivery, ReminderRule, Sequence, SequenceRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def delivery(due_in, status="sent", **fields):
    return Delivery.objects.create(
        key=f"test:{next(_keys)}",
        category="reminder",
        kind="message",
        email=fields.pop("email", "camille@exemple.fr"),
        due_at=timezone.now() + due_in,
        status=status,
        subject="Rappel",
        text="Bonjour",
        **fields,
    )


def test_the_outbox_shows_what_is_due_or_done_newest_first_then_what_is_planned_soonest_first():
    now = timezone.now()
    old = delivery(timedelta(days=-3))
    recent = delivery(timedelta(hours=-1))
    later = delivery(timedelta(days=5), status="due")
    soon = delivery(timedelta(days=1), status="due")
    assert list(selectors.outbox_deliveries(now=now)) == [recent, old, soon, later]


def test_status_counts_cover_every_status_in_one_query(django_assert_num_queries):
    delivery(timedelta(days=-1))
    delivery(timedelta(days=-1))
    delivery(timedelta(days=-1), status="failed")
    with django_assert_num_queries(1):
        counts = selectors.delivery_status_counts(Delivery.objects.all())
    assert counts == [
        (value, label, {"sent": 2, "failed": 1}.get(value, 0))
        for value, label in Delivery.Status.choices
    ]
    # Counts follow the queryset given (the outbox's other filters).
    only_failed = selectors.delivery_status_counts(Delivery.objects.filter(status="failed"))
    assert sum(count for _v, _l, count in only_failed) == 1


@pytest.mark.parametrize(
    ("status", "resendable"),
    [("failed", True), ("cancelled", True), ("due", False), ("sending", False), ("sent", False)],
)
def test_only_failed_or_cancelled_deliveries_can_be_resent(status, resendable):
    assert selectors.delivery_is_resendable(Delivery(status=status)) is resendable


def test_a_person_s_deliveries_and_runs_in_order():
    person = UserFactory()
    second = delivery(timedelta(days=2), status="due", recipient=person, email=person.email)
    first = delivery(timedelta(days=-2), recipient=person, email=person.email)
    delivery(timedelta(days=-1))  # someone else's
    assert list(selectors.person_deliveries(person)) == [first, second]
    later = Sequence.objects.create(name="B", trigger="arrival")
    earlier = Sequence.objects.create(name="A", trigger="activation")
    now = timezone.now()
    SequenceRun.objects.create(sequence=later, person=person, started_at=now)
    SequenceRun.objects.create(sequence=earlier, person=person, started_at=now - timedelta(days=1))
    assert [run.sequence.name for run in selectors.person_sequence_runs(person)] == ["A", "B"]


def test_reminder_rules_are_grouped_by_registered_kind():
    ReminderRule.objects.get_or_create(kind="tutoring", days_before=0, hours_before=3)
    ReminderRule.objects.create(kind="plus_enregistre", days_before=2)  # a kind no one registers
    groups = dict(selectors.reminder_rules_by_kind())
    assert "H-3" in [rule.label for rule in groups["Séance de tutorat"]]
    assert all(rule.kind != "plus_enregistre" for rules in groups.values() for rule in rules)


def test_sequences_count_their_active_steps_and_running_runs_without_doubling():
    sequence = Sequence.objects.create(name="Bienvenue", trigger="arrival")
    sequence.steps.create(delay_days=0, subject="a", body="b")
    sequence.steps.create(delay_days=7, subject="c", body="d")
    sequence.steps.create(delay_days=9, subject="e", body="f", is_active=False)
    now = timezone.now()
    for person in (UserFactory(), UserFactory(), UserFactory()):
        SequenceRun.objects.create(sequence=sequence, person=person, started_at=now)
    SequenceRun.objects.create(
        sequence=sequence, person=UserFactory(), started_at=now, stopped_at=now
    )
    [listed] = selectors.sequences_with_counts()
    assert (listed.step_count, listed.running_count) == (2, 3)
    assert selectors.sequence_detail(sequence.pk).running_count == 3
    with pytest.raises(Sequence.DoesNotExist):
        selectors.sequence_detail(sequence.pk + 1)
