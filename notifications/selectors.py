"""Reads of the staff pages of the notifications: the outbox, a person's timeline, reminder
rules and onboarding sequences."""

import nh3
from django.db.models import Case, Count, F, Q, When
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.templatetags.rich_text import ALLOWED_TAGS

from .models import Delivery, ReminderRule, Sequence
from .registry import REMINDER_KINDS

# What staff may send again: what failed, and what was cancelled.
RESENDABLE = {Delivery.Status.FAILED, Delivery.Status.CANCELLED}


def delivery_is_resendable(delivery) -> bool:
    return delivery.status in RESENDABLE


def outbox_deliveries(*, now=None):
    """Every delivery: what is due or done first (newest first), then what is planned for later
    (soonest first)."""
    now = now or timezone.now()
    return Delivery.objects.select_related("recipient").order_by(
        Case(When(due_at__lte=now, then=0), default=1),
        Case(When(due_at__lte=now, then=F("due_at"))).desc(),
        "due_at",
        "-pk",
    )


def delivery_status_counts(deliveries) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in one aggregate query over `deliveries`."""
    counts = dict(
        deliveries.order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Delivery.Status.choices]


def delivery_detail(pk):
    """A delivery with what it was about (raises Delivery.DoesNotExist)."""
    return Delivery.objects.select_related("recipient", "run__sequence", "step", "reminder").get(
        pk=pk
    )


def person_deliveries(person):
    """Everything planned or sent to a person, in the order it was (or will be) sent."""
    return (
        Delivery.objects.filter(recipient=person)
        .select_related("run__sequence", "step", "reminder")
        .order_by("due_at", "pk")
    )


# What a person sees of their own e-mails: what is planned, and what went (or could not go).
PLANNED = {Delivery.Status.DUE, Delivery.Status.SENDING}
GONE = {Delivery.Status.SENT, Delivery.Status.FAILED}


def _own(person):
    return Delivery.objects.filter(recipient=person).select_related(
        "run__sequence", "step", "reminder"
    )


def own_planned_deliveries(person):
    """The e-mails the platform plans to send the person, soonest first."""
    return _own(person).filter(status__in=PLANNED).order_by("due_at", "pk")


def own_sent_deliveries(person):
    """The e-mails the platform sent the person (or failed to), newest first."""
    return (
        _own(person)
        .filter(status__in=GONE)
        .order_by(F("sent_at").desc(nulls_last=True), "-due_at", "-pk")
    )


def own_delivery(person, pk):
    """One of the person's own planned or sent e-mails (raises Delivery.DoesNotExist: another
    person's e-mail, or a cancelled one, does not exist for them)."""
    return _own(person).filter(status__in=PLANNED | GONE).get(pk=pk)


# An e-mail lays itself out with tables (mail clients need them); a page does not.
LAYOUT_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


def email_html_for_page(delivery):
    """The HTML part of an e-mail, to read within a page: sanitised like staff's Markdown (no
    script, no style, no site header of the e-mail, no layout tables: their content stays), ""
    when it has none."""
    if not delivery.html:
        return ""
    clean = nh3.clean(
        delivery.html,
        tags=ALLOWED_TAGS - LAYOUT_TAGS,
        clean_content_tags={"script", "style", "title", "h1"},
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def person_sequence_runs(person):
    return person.sequence_runs.select_related("sequence").order_by("started_at")


def reminder_rules_by_kind() -> list[tuple[str, list[ReminderRule]]]:
    """(label of the kind, its rules) for every registered kind of reminder (one query)."""
    rules = list(ReminderRule.objects.all())
    return [
        (kind.label, [rule for rule in rules if rule.kind == value])
        for value, kind in REMINDER_KINDS.items()
    ]


def _running():
    return Count("runs", filter=Q(runs__stopped_at__isnull=True), distinct=True)


def sequences_with_counts():
    """Sequences with `step_count` (active steps) and `running_count` (runs not stopped)."""
    return Sequence.objects.annotate(
        step_count=Count("steps", filter=Q(steps__is_active=True), distinct=True),
        running_count=_running(),
    )


def sequence_detail(pk):
    """A sequence with `running_count` (raises Sequence.DoesNotExist)."""
    return Sequence.objects.annotate(running_count=_running()).get(pk=pk)
