"""The delivery log: recorded in the caller's transaction, sent once after commit, retried with
backoff, failed after the bound, cancelled when muted; the dispatcher works from the database."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.emails import send_email_on_commit
from notifications.models import Category, Delivery, Preference
from notifications.preferences import read_unsubscribe_token
from notifications.subscriptions import preferences_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RefusingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("Connexion refusée par le serveur SMTP")

    def close(self):
        pass

    def send_messages(self, messages):
        raise AssertionError("never reached")


def plan(category=Category.REMINDER, due_at=None, recipient=None, key="test:1", **kwargs):
    recipient = recipient or UserFactory()
    return services.delivery_plan(
        key=key,
        category=category,
        kind="message",
        email=recipient.email,
        recipient=recipient,
        due_at=due_at,
        content={
            "subject": "Objet d'essai",
            "text": "Bonjour & bienvenue",
            "html": "<p>Bonjour</p>",
        },
        **kwargs,
    )


def test_an_email_is_a_row_sent_once_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_email_on_commit(
            to=user.email,
            template="signup_approved",
            context={"user": user, "url": "https://exemple.fr/connexion"},
            recipient=user,
        )
        assert delivery.status == Delivery.Status.DUE
        assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    assert delivery.sent_at is not None
    [message] = mailoutbox
    assert message.to == [user.email]
    assert message.extra_headers["Message-ID"] == delivery.message_id
    assert "List-Unsubscribe" not in message.extra_headers  # account e-mails are essential
    assert message.alternatives and "&#x27;" not in message.subject + message.body
    # Sending the same row again does nothing.
    assert services.deliveries_send([delivery.pk]) == 0
    assert len(mailoutbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        plan(recipient=user)
        raise RuntimeError("rollback")
    assert not Delivery.objects.exists()
    assert mailoutbox == []


def test_optional_emails_carry_a_one_click_unsubscribe(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = plan()
    [message] = mailoutbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert read_unsubscribe_token(token) == (delivery.recipient_id, "reminder")


def test_a_muted_category_is_cancelled_with_its_reason(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory()
    preferences_update(user=user, muted={"reminder", "account"})
    assert Preference.objects.get(user=user).muted == ["reminder"]  # essential stays on
    with django_capture_on_commit_callbacks(execute=True):
        muted = plan(recipient=user)
        essential = plan(recipient=user, category=Category.ACCOUNT, key="test:2")
    muted.refresh_from_db()
    essential.refresh_from_db()
    assert muted.status == Delivery.Status.CANCELLED
    assert "désactivé" in muted.last_error
    assert essential.status == Delivery.Status.SENT
    assert len(mailoutbox) == 1


def test_a_refused_send_is_retried_with_backoff_then_fails(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RefusingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE = 60
    delivery = plan(due_at=timezone.now() - timedelta(seconds=1))
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        services.deliveries_send([delivery.pk])
        delivery.refresh_from_db()
        delays.append(round((delivery.due_at - before).total_seconds() / 60))
        assert "refusée" in delivery.last_error
        Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert delays[:2] == [1, 2]  # 1 min, then 2 min
    # Staff give it another go once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.delivery_resend(delivery=delivery)
    services.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(mailoutbox) == 1


def test_the_dispatcher_queues_due_rows_and_frees_stuck_ones(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_STUCK_AFTER = 600
    now = timezone.now()
    due = plan(key="due", due_at=now - timedelta(minutes=1))
    assert due.queued_at is not None  # queued on commit: the dispatcher leaves it to the queue
    Delivery.objects.filter(pk=due.pk).update(queued_at=None)  # ...unless it was never queued
    later = plan(key="later", due_at=now + timedelta(hours=1))
    stuck = plan(key="stuck", due_at=now - timedelta(hours=1))
    Delivery.objects.filter(pk=stuck.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - timedelta(minutes=11)
    )
    busy = plan(key="busy", due_at=now - timedelta(hours=1))
    Delivery.objects.filter(pk=busy.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_dispatch(now=now) == 2
    statuses = dict(Delivery.objects.values_list("key", "status"))
    assert statuses == {"due": "sent", "stuck": "sent", "later": "due", "busy": "sending"}
    assert len(mailoutbox) == 2
    # Queued a moment ago and still due (the broker lost it): queued again only after a while.
    Delivery.objects.filter(pk=later.pk).update(due_at=now, queued_at=now)
    assert services.deliveries_dispatch(now=now) == 0
    assert services.deliveries_dispatch(now=now + timedelta(minutes=6)) == 1


def test_planning_the_same_key_twice_keeps_one_row_and_moves_it():
    user = UserFactory()
    first = plan(recipient=user, due_at=timezone.now() + timedelta(days=2))
    moved = timezone.now() + timedelta(days=3)
    again = plan(recipient=user, due_at=moved)
    assert first.pk == again.pk and Delivery.objects.count() == 1
    assert Delivery.objects.get().due_at == moved


def test_a_message_that_cannot_be_rendered_fails_visibly_instead_of_blocking_the_queue(
    settings, monkeypatch
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    delivery = plan(due_at=timezone.now() - timedelta(seconds=1))

    def broken(delivery):
        raise ValueError("gabarit introuvable")

    monkeypatch.setattr("notifications.messages.render", broken)
    assert services.deliveries_send([delivery.pk]) == 0
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "gabarit introuvable"


def test_the_written_message_is_standard_mime():
    from email import message_from_bytes, policy

    user = UserFactory(first_name="Awa")
    delivery = Delivery.objects.create(
        key="mime",
        category=Category.REMINDER,
        kind="message",
        email=user.email,
        recipient=user,
        due_at=timezone.now(),
        subject="Rappel demain : « Les CLS et l'ARS »\nBcc: injection@exemple.fr",
        text="Bonjour Awa,\nà demain.",
        html="<p>Bonjour Awa, à demain.</p>",
        attachments=[["evenement-1.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"]],
    )
    raw = services.build_email(delivery).message().as_bytes(linesep="\r\n")
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"].endswith(
        "Rappel demain : « Les CLS et l'ARS » Bcc: injection@exemple.fr"
    )
    assert parsed["Bcc"] is None and parsed["To"] == user.email
    assert parsed["Message-ID"] == delivery.message_id
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed.get_body(("plain",)).get_content() == "Bonjour Awa,\nà demain."
    assert "à demain" in parsed.get_body(("html",)).get_content()
    [attachment] = parsed.iter_attachments()
    assert attachment.get_filename() == "evenement-1.ics"
    assert attachment.get_content().startswith("BEGIN:VCALENDAR")


def test_the_send_task_is_registered_in_a_fresh_process():
    """Deliveries are queued by the task's name: any process (web, shell, seed) must know it."""
    code = (
        "import django; django.setup(); from celery import current_app; "
        "from notifications.services import SEND_TASK; print(SEND_TASK in current_app.tasks)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "promosante.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "True"
