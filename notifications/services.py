"""Plan, dispatch and send deliveries.

- `delivery_plan` records an e-mail as a `Delivery` row (idempotent by key) in the caller's
  transaction; an e-mail due now is put on the queue once that transaction commits.
- `deliveries_dispatch` (the scheduler runs it every minute) queues the due rows the queue may have
  lost and frees rows stuck in "sending" after a crash: the database, not the broker, is the truth.
- `deliveries_send` sends a batch over one SMTP connection. The batch's rows are claimed at once
  (due → sending, under SKIP LOCKED), so two workers never send the same row; each row is marked
  sent as soon as the server accepted it. The Message-ID is stable per row, so the rare message
  resent after a crash between the server's "OK" and our commit is recognised by mail clients as
  the same message.
- `delivery_resend` gives a failed or cancelled row another go (staff, from the outbox);
  `reminder_rule_add`, `reminder_rule_set_active` and `reminder_rule_delete` are staff's edits of
  the reminder rules, after which the domain re-plans what is pending.
"""

import logging
from datetime import timedelta

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import messages
from .mime import PreparedEmail
from .models import Delivery, ReminderRule
from .preferences import is_muted, unsubscribe_url
from .registry import REMINDER_KINDS
from .selectors import delivery_is_resendable

logger = logging.getLogger(__name__)

BATCH_SIZE = 50


class NotificationError(Exception):
    """Something the notifications engine refuses; the French message is shown as it is."""


def _setting(name, default):
    return getattr(settings, f"NOTIFICATIONS_{name}", default)


def delivery_plan(
    *,
    key,
    category,
    kind,
    email,
    due_at=None,
    recipient=None,
    content=None,
    **about,
) -> Delivery:
    """Record an e-mail to send at `due_at` (now by default); planning the same key again moves a
    pending row and leaves a sent or cancelled one alone."""
    due_at = due_at or timezone.now()
    fields = {"category": category, "kind": kind, "email": email, "recipient": recipient, **about}
    if content:
        fields.update(content)
    delivery, created = Delivery.objects.get_or_create(
        key=key, defaults={**fields, "due_at": due_at}
    )
    if not created and delivery.status == Delivery.Status.DUE and delivery.due_at != due_at:
        delivery.due_at = due_at
        delivery.queued_at = None
        delivery.save(update_fields=["due_at", "queued_at"])
    if delivery.status == Delivery.Status.DUE and delivery.due_at <= timezone.now():
        _queue_now(delivery)
    return delivery


def _queue_now(delivery):
    """Queue on commit, and say so, so that the next dispatch does not queue it again."""
    delivery.queued_at = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(queued_at=delivery.queued_at)
    _queue_on_commit([delivery.pk])


def deliveries_cancel(deliveries, reason):
    """Cancel the pending ones among `deliveries` (a queryset); returns how many."""
    return deliveries.filter(status=Delivery.Status.DUE).update(
        status=Delivery.Status.CANCELLED, last_error=reason, queued_at=None
    )


def delivery_resend(*, delivery) -> Delivery:
    """Staff give a failed (or cancelled) delivery another go, now."""
    if not delivery_is_resendable(delivery):
        raise NotificationError("Seul un envoi en échec ou annulé peut être renvoyé.")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DUE, attempts=0, due_at=timezone.now(), queued_at=None
    )
    _queue_now(delivery)
    delivery.refresh_from_db()
    return delivery


# The task that sends a batch, found by name in Celery's registry (`tasks` calls this module).
SEND_TASK = "notifications.tasks.send_deliveries"


def _queue_on_commit(ids):
    def queue():
        try:
            current_app.tasks[SEND_TASK].delay(ids)
        except Exception:  # The broker is down: the dispatcher will queue them from the database.
            logger.exception("Could not queue deliveries %s", ids)

    transaction.on_commit(queue)


def deliveries_dispatch(now=None, limit=10_000) -> int:
    """Queue due rows not queued recently, and free rows stuck in "sending"; returns how many
    rows were queued. Safe to run twice at the same moment (rows are claimed with SKIP LOCKED)."""
    now = now or timezone.now()
    # A row is "stuck" only once the task that claimed it cannot be running any more.
    stuck_after = timedelta(
        seconds=max(_setting("STUCK_AFTER", 600), _setting("SEND_TIME_LIMIT", 300))
    )
    requeue_after = timedelta(seconds=_setting("REQUEUE_AFTER", 300))
    freed = Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - stuck_after
    ).update(status=Delivery.Status.DUE, queued_at=None)
    if freed:
        logger.warning("%s deliveries were stuck in sending: due again", freed)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.DUE, due_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after))
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    batch_size = _setting("BATCH_SIZE", BATCH_SIZE)
    for start in range(0, len(ids), batch_size):
        _queue_on_commit(ids[start : start + batch_size])
    return len(ids)


def build_email(delivery) -> PreparedEmail:
    headers = {"Message-ID": delivery.message_id, "Auto-Submitted": "auto-generated"}
    if not delivery.is_essential and delivery.recipient_id:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(delivery.recipient, delivery.category)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if delivery.reply_to:
        headers["Reply-To"] = delivery.reply_to
    message = PreparedEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{delivery.subject}",
        body=delivery.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        reply_to=[delivery.reply_to] if delivery.reply_to else None,
        headers=headers,
    )
    if delivery.html:
        message.attach_alternative(delivery.html, "text/html")
    for filename, content, mimetype in delivery.attachments:
        message.attach(filename, content, mimetype)
    return message


def _skip_reason(delivery, now):
    if not delivery.is_essential and delivery.recipient_id and is_muted(delivery):
        return "La personne a désactivé cette catégorie d'e-mails."
    return messages.skip_reason(delivery)


def _retry_or_fail(delivery, error, now):
    max_attempts = _setting("MAX_ATTEMPTS", 6)
    fields = {"last_error": str(error)[:2000] or error.__class__.__name__, "queued_at": None}
    if delivery.attempts >= max_attempts:
        fields["status"] = Delivery.Status.FAILED
        logger.error("Delivery %s failed after %s attempts: %s", delivery.pk, max_attempts, error)
    else:
        base = _setting("RETRY_BASE", 60)
        fields["status"] = Delivery.Status.DUE
        fields["due_at"] = now + timedelta(seconds=base * 2 ** (delivery.attempts - 1))
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(**fields)


def _claim(ids, now):
    """Turn the rows still due among `ids` into "sending", at once; returns the ids claimed.

    Row locks taken with SKIP LOCKED on PostgreSQL, the IMMEDIATE transaction on SQLite: two
    workers never claim the same row. A worker that dies leaves its claimed rows in "sending"; the
    dispatcher frees them after STUCK_AFTER (those not sent yet were never sent: no duplicate)."""
    with transaction.atomic():
        claimable = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Delivery.Status.DUE, due_at__lte=now)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=claimable).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return set(claimable)


def _ready(rows, now):
    """(rows to send now, [(row, error)] that could not be checked); those that moved or no
    longer apply are set aside with a reason."""
    ready, broken = [], []
    for delivery in rows:
        try:
            if _set_aside(delivery, now):
                continue
        except Exception as error:  # noqa: BLE001 - one broken row must not block its batch
            broken.append((delivery, error))
            continue
        ready.append(delivery)
    return ready, broken


def _set_aside(delivery, now):
    """Move or cancel a row that is not to be sent now; True when it was set aside."""
    moved_to = messages.due_at(delivery)
    if moved_to and moved_to > now:  # It moved since it was queued: not yet.
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.DUE).update(
            due_at=moved_to, queued_at=None
        )
        return True
    reason = _skip_reason(delivery, now)
    if reason:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.DUE).update(
            status=Delivery.Status.CANCELLED, last_error=reason
        )
        return True
    return False


def deliveries_send(ids) -> int:
    """Send the due deliveries among `ids` over one SMTP connection; returns how many were sent.

    Each row is marked sent right after the server accepted it: a crash can resend at most the
    one message in flight, with the same Message-ID."""
    now = timezone.now()
    rows = (
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.DUE, due_at__lte=now)
        .select_related(*messages.RELATED)
        .order_by("due_at", "pk")
    )
    rows = list(rows)
    messages.load(rows)
    ready, broken = _ready(rows, now)
    claimed = _claim([delivery.pk for delivery in ready + [row for row, _ in broken]], now)
    for delivery, error in broken:  # retried, then failed: visible in the outbox
        if delivery.pk in claimed:
            delivery.attempts += 1
            _retry_or_fail(delivery, error, timezone.now())
    sent = 0
    connection = None
    try:
        for delivery in ready:
            if delivery.pk not in claimed:
                continue
            delivery.attempts += 1
            try:
                content = messages.render(delivery)
                for field, value in content.items():
                    setattr(delivery, field, value)
                if connection is None:
                    connection = get_connection()
                    connection.open()
                connection.send_messages([build_email(delivery)])
            except SoftTimeLimitExceeded:
                raise  # the rest of the batch stays claimed; freed after STUCK_AFTER
            except Exception as error:  # noqa: BLE001 - any render, SMTP or network failure
                _retry_or_fail(delivery, error, timezone.now())
                if connection is not None:
                    connection.close()
                    connection = None
                continue
            Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="", **content
            )
            sent += 1
    finally:
        if connection is not None:
            connection.close()
    return sent


# --- Reminder rules (staff, /gestion/rappels/) ------------------------------------------------

MAX_DAYS_BEFORE = 365
MAX_HOURS_BEFORE = 23


def _reminder_kind_replan(kind):
    """Pending reminders of that kind follow the rules as they are now (the domain re-plans)."""
    if kind in REMINDER_KINDS:
        REMINDER_KINDS[kind].replan()


@transaction.atomic
def reminder_rule_add(
    *,
    kind: str,
    days_before: int,
    hours_before: int,
    with_video_link: bool = False,
    with_access: bool = False,
) -> ReminderRule:
    """Add a reminder J-n / H-n before events of `kind`; people already registered to upcoming
    events of that kind get it too."""
    if kind not in REMINDER_KINDS:
        raise NotificationError("Choisissez un type d'événement qui a des rappels.")
    if days_before < 0 or hours_before < 0:
        raise NotificationError("Un rappel se place avant l'événement : rien de négatif.")
    if days_before > MAX_DAYS_BEFORE:
        raise NotificationError(
            f"Un rappel se place au plus {MAX_DAYS_BEFORE} jours avant l'événement."
        )
    if hours_before > MAX_HOURS_BEFORE:
        raise NotificationError("Au-delà de 23 heures, indiquez des jours.")
    if not days_before and not hours_before:
        raise NotificationError(
            "Indiquez au moins un jour ou une heure avant le début de l'événement."
        )
    label = ReminderRule(days_before=days_before, hours_before=hours_before).label
    taken = NotificationError(
        f"Il existe déjà un rappel {label} pour « {REMINDER_KINDS.label(kind)} »."
    )
    if ReminderRule.objects.filter(
        kind=kind, days_before=days_before, hours_before=hours_before
    ).exists():
        raise taken
    try:
        with transaction.atomic():
            rule = ReminderRule.objects.create(
                kind=kind,
                days_before=days_before,
                hours_before=hours_before,
                with_video_link=with_video_link,
                with_access=with_access,
            )
    except IntegrityError as error:  # the same offset added at the same moment in another tab
        raise taken from error
    _reminder_kind_replan(kind)
    return rule


@transaction.atomic
def reminder_rule_set_active(*, rule: ReminderRule, active: bool) -> ReminderRule:
    """Turn a rule off (its pending reminders are cancelled) or back on (they are planned)."""
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    _reminder_kind_replan(rule.kind)
    return rule


@transaction.atomic
def reminder_rule_delete(*, rule: ReminderRule) -> None:
    """Remove a rule; e-mails already sent stay in the outbox, pending ones are cancelled."""
    kind = rule.kind
    rule.delete()
    _reminder_kind_replan(kind)
