"""Deliveries survive what production does to them: a killed worker, a flushed broker, a mail
server that refuses, two dispatchers at once, a rolled-back transaction, an event that moves and
the clock changes of March and October.

The tests marked `redis` run a real worker process on Redis, sending over SMTP to a real local
server (the sink), on the test database (PostgreSQL in CI, an SQLite file locally). What is
"delivered once" is judged at the sink by Message-ID, the header that stays the same when a message
is sent again.
"""

import math
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import reminders
from agenda.models import Registration
from agenda.services import event_register, event_save
from notifications import services
from notifications.models import Delivery
from notifications.services import delivery_plan
from notifications.tasks import send_deliveries
from tests.factories import EventFactory, MembershipFactory, UserFactory, promosante_organisation

from .conftest import NOTIFICATIONS, dispatch, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

PARIS = ZoneInfo("Europe/Paris")


def message_id(pk):
    return Delivery(pk=pk).message_id


def due_messages(count, prefix="bulk"):
    """`count` reminder-like e-mails, due now and not queued yet (as when a minute comes when
    many reminders are due): planned ahead, then made due."""
    later = timezone.now() + timedelta(hours=1)
    with transaction.atomic():
        ids = [
            delivery_plan(
                key=f"{prefix}:{n}",
                category="reminder",
                kind="message",
                email=f"{prefix}{n}@exemple.fr",
                due_at=later,
                content={
                    "subject": f"Rappel n° {n}",
                    "text": "Bonjour, le webinaire commence demain à 10 h.\n" * 20,
                    "html": "<p>Bonjour, le webinaire commence demain à 10 h.</p>" * 20,
                    "attachments": [["evenement.ics", "BEGIN:VCALENDAR\r\n" * 40, "text/calendar"]],
                },
            ).pk
            for n in range(count)
        ]
    Delivery.objects.filter(pk__in=ids).update(due_at=timezone.now())
    return ids


def all_sent(ids):
    return lambda: Delivery.objects.filter(pk__in=ids, status="sent").count() == len(ids)


def assert_each_delivered_once(sink, ids, *, raw_at_most=None):
    """Every delivery reached the sink, none twice once duplicates are told by Message-ID; at most
    `raw_at_most` receptions in all (by default: exactly one each)."""
    expected = {message_id(pk) for pk in ids}
    counts = sink.message_ids()
    received = {mid: n for mid, n in counts.items() if mid in expected}
    assert set(received) == expected, f"{len(expected - set(received))} never arrived"
    raw = sum(received.values())
    assert raw <= (raw_at_most if raw_at_most is not None else len(ids)), (
        f"{raw} receptions for {len(ids)} deliveries"
    )
    statuses = set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == {"sent"}
    return raw


def at_paris(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)), PARIS)


# --- 1. A due reminder ---------------------------------------------------------------------------


@pytest.mark.redis
def test_a_due_reminder_is_delivered_once(start_worker, smtp_sink, reminder_rules):
    start_worker(concurrency=1)
    person = UserFactory()
    # The event starts tomorrow at the Paris clock time of a minute ago: its J-1 is just due.
    j1_due = timezone.localtime(timezone.now() - timedelta(minutes=1))
    starts_at = at_paris(j1_due.date() + timedelta(days=1), j1_due.hour, j1_due.minute)
    event = EventFactory(starts_at=starts_at)
    with time_machine.travel(timezone.now() - timedelta(minutes=3), tick=True):
        registration = event_register(event=event, person=person)  # J-1 still ahead then
    reminder = Delivery.objects.get(about=reminders.about(registration), reminder__days_before=1)
    assert reminder.kind == "event_reminder" and reminder.due_at <= timezone.now()
    confirmation = Delivery.objects.get(about=reminders.about(registration), kind="message")

    assert wait_until(all_sent([reminder.pk, confirmation.pk]), each=dispatch)

    assert_each_delivered_once(smtp_sink, [reminder.pk, confirmation.pk])
    [received] = smtp_sink.with_id(reminder.message_id)
    assert received.to == (person.email,)
    assert received.subject.endswith(f"Rappel demain : {event.title}")
    assert f"evenement-{event.pk}.ics".encode() in received.raw
    assert b"!!UNKNOWN" not in received.raw
    reminder.refresh_from_db()
    assert (reminder.attempts, reminder.last_error) == (1, "")
    # The H-1 reminder is tomorrow: not sent.
    assert reminders.deliveries_of(registration).get(reminder__hours_before=1).status == "due"


# --- 2. A worker killed in the middle of a batch ----------------------------------------------


@pytest.mark.redis
def test_a_worker_killed_mid_batch_loses_nothing_and_resends_at_most_one_per_process(
    start_worker, smtp_sink
):
    ids = due_messages(500)
    concurrency = 2
    worker = start_worker(concurrency=concurrency)
    assert dispatch() == 500  # 10 batches of 50
    assert wait_until(lambda: smtp_sink.count() >= 130, timeout=20, interval=0.01)
    worker.kill()  # SIGKILL to the main process and its pool at once
    received_before = smtp_sink.count()
    assert received_before < 500, "the worker finished before it could be killed"
    # A batch is claimed at once: up to a batch per process is left in "sending", of which only
    # the message in flight may have reached the server.
    stranded = Delivery.objects.filter(pk__in=ids, status="sending").count()
    assert stranded <= concurrency * NOTIFICATIONS["BATCH_SIZE"]

    start_worker(concurrency=concurrency)
    assert wait_until(all_sent(ids), timeout=60, interval=0.5, each=dispatch)

    raw = assert_each_delivered_once(smtp_sink, ids, raw_at_most=500 + concurrency)
    assert not Delivery.objects.filter(pk__in=ids, status__in=Delivery.PENDING).exists()
    print(f"killed after {received_before} receptions, {stranded} left in sending; {raw} in all")


# --- 3. The broker loses everything -----------------------------------------------------------


@pytest.mark.redis
def test_a_flushed_broker_loses_nothing(start_worker, smtp_sink, broker):
    # Queued while no worker runs: 30 on commit one by one, then 70 by the dispatcher (which
    # queues the 30 again, as planning does not mark what it queued on commit: 2 batches anyway).
    with transaction.atomic():
        on_commit = [
            delivery_plan(
                key=f"now:{n}",
                category="account",
                kind="message",
                email=f"now{n}@exemple.fr",
                content={"subject": "Bienvenue", "text": "Bonjour"},
            ).pk
            for n in range(30)
        ]
    dispatched = due_messages(70)
    assert dispatch() >= 70
    assert broker.queued() == 30 + 2

    broker.flush()  # Redis restarted without persistence
    assert broker.queued() == 0

    start_worker()
    assert wait_until(all_sent(on_commit + dispatched), timeout=20, interval=0.5, each=dispatch)
    assert_each_delivered_once(smtp_sink, on_commit + dispatched)

    # Flushed again under a running worker: the queue's bindings are gone too.
    broker.flush()
    later = due_messages(40, prefix="after-flush")
    assert dispatch() == 40
    assert wait_until(all_sent(later), timeout=20, interval=0.5, each=dispatch)
    assert_each_delivered_once(smtp_sink, on_commit + dispatched + later)


# --- 4. The mail server refuses ---------------------------------------------------------------


@pytest.mark.redis
def test_a_refusing_mail_server_is_retried_with_backoff_then_delivered_once(
    start_worker, smtp_sink
):
    start_worker(concurrency=1)
    smtp_sink.go_away()  # not even listening
    delivery = delivery_plan(
        key="refused:1",
        category="account",
        kind="message",
        email="camille@exemple.fr",
        content={"subject": "Bienvenue", "text": "Bonjour"},
    )

    def row():
        delivery.refresh_from_db()
        return delivery

    assert wait_until(lambda: row().attempts == 1 and row().status == "due", each=dispatch)
    assert "refused" in delivery.last_error.lower()  # [Errno 111] Connection refused
    first_retry_at = delivery.due_at

    smtp_sink.refuse(times=1)  # listening again, but "451 try again later" once
    smtp_sink.come_back()
    assert wait_until(lambda: row().attempts == 2 and row().status == "due", each=dispatch)
    assert "451" in delivery.last_error
    # Backoff: RETRY_BASE after the first failure, twice that after the second.
    assert smtp_sink.refused[0] >= first_retry_at.timestamp()
    backoff = timedelta(seconds=2 * NOTIFICATIONS["RETRY_BASE"])
    assert delivery.due_at - delivery.claimed_at >= backoff

    assert wait_until(all_sent([delivery.pk]), each=dispatch)
    assert_each_delivered_once(smtp_sink, [delivery.pk])
    assert smtp_sink.messages[0].at >= delivery.due_at.timestamp()
    assert row().attempts == 3


@pytest.mark.redis
def test_a_mail_server_refusing_past_the_retry_bound_leaves_a_failed_row_in_the_outbox(
    start_worker, smtp_sink
):
    start_worker(concurrency=1)
    smtp_sink.refuse()  # until the end
    delivery = delivery_plan(
        key="refused:2",
        category="account",
        kind="message",
        email="camille@exemple.fr",
        content={"subject": "Bienvenue", "text": "Bonjour"},
    )
    assert wait_until(
        lambda: Delivery.objects.get(pk=delivery.pk).status == "failed", each=dispatch
    )
    delivery.refresh_from_db()
    assert delivery.attempts == NOTIFICATIONS["MAX_ATTEMPTS"] == len(smtp_sink.refused)
    assert "451" in delivery.last_error
    assert smtp_sink.count() == 0

    staff = MembershipFactory(organisation=promosante_organisation()).user
    client = Client()
    client.force_login(staff)
    outbox = client.get(reverse("notifications:outbox"), {"status": "failed"})
    assert outbox.status_code == 200
    assert reverse("notifications:delivery", args=[delivery.pk]) in outbox.content.decode()
    detail = client.get(reverse("notifications:delivery", args=[delivery.pk]))
    assert "Service temporarily unavailable" in detail.content.decode()


# --- 5. Two dispatchers at the same moment ----------------------------------------------------


@pytest.mark.redis
def test_two_dispatchers_at_the_same_moment_send_nothing_twice(start_worker, smtp_sink, broker):
    ids = due_messages(200)
    # Had both dispatchers queued everything, the two processes of the worker would take the
    # same batch at the same moment: queue each batch twice in a row, ahead of them.
    for start in range(0, 200, 50):
        send_deliveries.delay(ids[start : start + 50])
        send_deliveries.delay(ids[start : start + 50])
    barrier = threading.Barrier(2)
    queued = []

    def run():
        try:
            barrier.wait()
            queued.append(services.deliveries_dispatch())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(queued) == 200, queued  # each row queued by one of them only
    assert broker.queued() == 8 + sum(math.ceil(n / 50) for n in queued)

    start_worker(concurrency=2)
    assert wait_until(all_sent(ids), timeout=20)
    assert wait_until(lambda: broker.queued() == 0)
    time.sleep(1)  # the last tasks have had their chance
    assert assert_each_delivered_once(smtp_sink, ids) == 200
    assert smtp_sink.count() == 200


# --- 6. A transaction that rolls back ---------------------------------------------------------


class Rollback(Exception):
    pass


@pytest.mark.redis
def test_a_registration_rolled_back_sends_nothing(start_worker, smtp_sink, broker, reminder_rules):
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=2))
    person, other = UserFactory(), UserFactory()
    with pytest.raises(Rollback), transaction.atomic():
        registration = event_register(event=event, person=person)
        assert reminders.deliveries_of(registration).exists()  # planned inside the transaction
        raise Rollback
    assert not Registration.objects.filter(person=person).exists()
    assert not Delivery.objects.filter(email=person.email).exists()
    assert broker.queued() == 0  # nothing was put on the queue either

    start_worker(concurrency=1)
    # The same registration committed is sent: the worker was there to send the other one.
    registration = event_register(event=event, person=other)
    confirmation = reminders.deliveries_of(registration).get(kind="message")
    assert wait_until(all_sent([confirmation.pk]), each=dispatch)
    assert [message.to for message in smtp_sink.messages] == [(other.email,)]


# --- 7. Events that move, and clock changes ---------------------------------------------------


@pytest.mark.redis
def test_moved_events_move_their_pending_reminders(start_worker, smtp_sink, reminder_rules):
    start_worker(concurrency=1)
    now = timezone.now()
    person = UserFactory()
    sooner = EventFactory(starts_at=now + timedelta(hours=1, minutes=30))
    later = EventFactory(starts_at=now + timedelta(hours=1, seconds=6))
    h1_sooner = Delivery.objects.get(
        about=reminders.about(event_register(event=sooner, person=person)),
        reminder__hours_before=1,
    )
    h1_later = Delivery.objects.get(
        about=reminders.about(event_register(event=later, person=person)),
        reminder__hours_before=1,
    )
    assert h1_sooner.due_at == sooner.starts_at - timedelta(hours=1)

    # One is brought forward (its H-1 is due in 6 s), the other put back by two hours.
    for event, starts_at in (
        (sooner, now + timedelta(hours=1, seconds=6)),
        (later, now + timedelta(hours=3)),
    ):
        event.starts_at, event.ends_at = starts_at, starts_at + timedelta(hours=1)
        event_save(event=event, departments=[], topics=[])
    h1_sooner.refresh_from_db()
    h1_later.refresh_from_db()
    assert h1_sooner.due_at == sooner.starts_at - timedelta(hours=1)
    assert h1_later.due_at == later.starts_at - timedelta(hours=1)

    assert wait_until(all_sent([h1_sooner.pk]), timeout=15, each=dispatch)
    time.sleep(1)
    dispatch()  # past the old time of the other one
    assert_each_delivered_once(smtp_sink, [h1_sooner.pk])
    h1_sooner.refresh_from_db()
    assert h1_sooner.sent_at >= h1_sooner.due_at
    h1_later.refresh_from_db()
    assert h1_later.status == "due" and not smtp_sink.with_id(h1_later.message_id)


# Events on the day of each clock change and the day after; J-1 falls on each side of the change.
CLOCK_CHANGES = [
    # (event day, J-1 to start in real hours)
    (datetime(2027, 3, 28).date(), 23),  # J-1 in winter time, the event in summer time
    (datetime(2027, 3, 29).date(), 24),  # J-1 on the day of the change, after it
    (datetime(2027, 10, 31).date(), 25),  # J-1 in summer time, the event in winter time
    (datetime(2027, 11, 1).date(), 24),
]


@pytest.mark.parametrize(("day", "hours"), CLOCK_CHANGES)
def test_reminders_keep_the_paris_clock_across_clock_changes(day, hours, reminder_rules):
    starts_at = at_paris(day, 10)
    with time_machine.travel(starts_at - timedelta(days=10)):
        registration = event_register(event=EventFactory(starts_at=starts_at), person=UserFactory())
    due = {
        (row.reminder.days_before, row.reminder.hours_before): timezone.localtime(row.due_at, PARIS)
        for row in reminders.deliveries_of(registration)
        .filter(kind="event_reminder")
        .select_related("reminder")
    }
    assert due == {
        (7, 0): at_paris(day - timedelta(days=7), 10),
        (1, 0): at_paris(day - timedelta(days=1), 10),
        (0, 1): at_paris(day, 9),
    }
    assert {(d.hour, d.minute) for key, d in due.items() if key != (0, 1)} == {(10, 0)}
    assert starts_at.astimezone(UTC) - due[(1, 0)].astimezone(UTC) == timedelta(hours=hours)


@pytest.mark.redis
@pytest.mark.parametrize("day", [datetime(2027, 3, 28).date(), datetime(2027, 10, 31).date()])
def test_the_worker_sends_a_j1_across_a_clock_change_when_its_clock_reaches_it(
    day, start_worker, smtp_sink, reminder_rules
):
    """Both clocks (this process and the worker) are moved to a few seconds before 10:00 Paris
    the day before the event, and tick from there."""
    j1 = at_paris(day - timedelta(days=1), 10)
    lead = 8  # seconds: time to plan and start the worker before the J-1 is due
    offset = (j1 - timezone.now()).total_seconds() - lead
    with time_machine.travel(timezone.now() + timedelta(seconds=offset), tick=True):
        registration = event_register(
            event=EventFactory(starts_at=at_paris(day, 10)), person=UserFactory()
        )
        reminder = reminders.deliveries_of(registration).get(reminder__days_before=1)
        assert reminder.due_at == j1
        start_worker(concurrency=1, clock_offset=offset)
        assert timezone.now() < j1
        dispatch()
        reminder.refresh_from_db()
        assert reminder.status == "due" and reminder.queued_at is None  # not yet

        assert wait_until(all_sent([reminder.pk]), timeout=15, each=dispatch)
        reminder.refresh_from_db()
    confirmation = reminders.deliveries_of(registration).get(kind="message")
    assert_each_delivered_once(smtp_sink, [reminder.pk, confirmation.pk])
    sent_at = timezone.localtime(reminder.sent_at, PARIS)
    assert j1 <= sent_at < j1 + timedelta(seconds=10)
    assert (sent_at.date(), sent_at.hour) == (day - timedelta(days=1), 10)
