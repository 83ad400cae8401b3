"""Reads on events: the agenda, an event page, a person's calendar."""

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from coordinators.selectors import person_is_newcomer, schemes_due_for_renewal

from .models import Event, Registration


def _with_counts(events, user):
    seated = Count("registrations", filter=Q(registrations__status__in=Registration.SEATED))
    waiting = Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED))
    events = events.select_related("organiser").prefetch_related("departments")
    events = events.annotate(seats_taken=seated, waiting_count=waiting)
    if user is not None and user.is_authenticated:
        mine = Registration.objects.filter(
            event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
        )
        events = events.annotate(my_status=Subquery(mine.values("status")[:1]))
    return events


def audiences_for(user, today):
    """The audiences a coordinator belongs to, for "open to me"."""
    audiences = {Event.Audience.ALL}
    if person_is_newcomer(user, today):
        audiences.add(Event.Audience.NEWCOMERS)
    renewing = schemes_due_for_renewal(12, today).filter(
        kind="CLS", posts__tenures__person=user, posts__tenures__ended_on__isnull=True
    )
    if renewing.exists():
        audiences.add(Event.Audience.CLS_RENEWAL)
    return audiences


def agenda(*, user, filters, now=None):
    """Upcoming events matching the agenda's filters (a list: "open to me" is read in Python,
    since audiences are a JSON list that SQLite cannot search)."""
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__gte=now)
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    if filters.get("department"):
        # A département's agenda: its own offers and the regional ones.
        events = events.filter(
            Q(departments=filters["department"]) | Q(departments__isnull=True)
        ).distinct()
    if filters.get("organiser"):
        events = events.filter(organiser=filters["organiser"])
    if filters.get("registered"):
        events = events.filter(
            Exists(
                Registration.objects.filter(
                    event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
                )
            )
        )
    events = list(_with_counts(events, user).order_by("starts_at", "pk"))
    if filters.get("audience"):
        events = [e for e in events if filters["audience"] in e.audiences]
    if filters.get("open_to_me"):
        mine = audiences_for(user, now.date())
        events = [e for e in events if mine & set(e.audiences) and not e.is_cancelled]
    return events


def month(*, year, month_number, user):
    """Weeks of the month, each a list of (day, events of that day)."""
    first = date(year, month_number, 1)
    last = date(year, month_number, calendar.monthrange(year, month_number)[1])
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    events = list(
        _with_counts(Event.objects.filter(starts_at__lt=end, ends_at__gte=start), user).order_by(
            "starts_at"
        )
    )
    by_day = {}
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        by_day.setdefault(day, []).append(event)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    return [
        [(day, by_day.get(day, []), day.month == month_number) for day in week] for week in weeks
    ]


def event_page(pk, user):
    registrations = Registration.objects.select_related("person", "commune").order_by(
        "created_at", "pk"
    )
    return (
        _with_counts(Event.objects.filter(pk=pk), user)
        .select_related("working_group", "host")
        .prefetch_related("topics", Prefetch("registrations", queryset=registrations))
        .get()
    )


def my_registration(event, user):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, person=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def overlapping_events(event):
    """Other events at the same time for at least one common audience (a warning for staff)."""
    if not event.pk and not (event.starts_at and event.ends_at):
        return []
    others = (
        Event.objects.filter(starts_at__lt=event.ends_at, ends_at__gt=event.starts_at)
        .exclude(pk=event.pk)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("organiser")
    )
    audiences = set(event.audiences)
    return [other for other in others if audiences & set(other.audiences)]


def person_events(user):
    """Events a person holds a seat or a waitlist place at, with `my_status`, for their feed."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
    )
    return list(
        Event.objects.filter(Exists(mine))
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .select_related("organiser")
        .order_by("starts_at")
    )


def next_events(user, limit=5):
    """A person's next events, with their registration status (one query)."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, status__in=Registration.ACTIVE
    )
    return list(
        Event.objects.filter(ends_at__gte=timezone.now())
        .filter(Exists(mine))
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .order_by("starts_at")[:limit]
    )


def next_welcome_day(now=None):
    return (
        Event.objects.filter(
            is_welcome_day=True, starts_at__gt=now or timezone.now(), status=Event.Status.PUBLISHED
        )
        .order_by("starts_at")
        .first()
    )
