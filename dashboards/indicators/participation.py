"""Participation in the network's events, for a `Period` and a `Scope` (dashboards.filters),
computed from the agenda's registrations (never typed).

What counts:
- the events of the period: published, starting (Paris time) between its first and last day;
  cancelled events and tutoring sessions (`agenda.services.PRIVATE_KINDS`: a pair's private
  meeting, counted by the network's section) are left out;
- the provider: "departmental" when a CRPV or an ARS délégation organises it, "regional"
  otherwise (PromoSanté, or the ARS head office and the Préfecture, which act for the region);
- territory: an event counts for the départements of its participants (a seat, confirmed or
  offered, whether they came or not), a coordinator's département being that of the schemes
  (in progress or being renewed) of the post(s) they held on the event's day (the register's
  tenures; their profile's commune is not used). So a partner's figures are made of their
  départements' coordinators only: registrations, presence and no-shows of people working
  elsewhere, and of guests (elected officials, managers: no post), stay out of them. The
  region's total (staff, or a territory of every département: the ARS head office) counts
  every event of the period and every registration, guests included;
  a département's row counts its coordinators' registrations and the events they took part in.
- the scheme type filter keeps coordinators holding a post of a scheme of that type.

Each function returns a `Breakdown` (dashboards.indicators.register): rows per département of
the scope, and the scope's total as its own aggregate (a person working in two départements
counts in each row, once in the total).

Every query is flat: registrations are joined once to their event and, for a département, once
to their person's tenures, posts and schemes (the tenure covering the event's day), then grouped
by (département, event) in SQL; the few grouped rows are added up per département here. No
subquery is nested in another (an earlier version nested registrations three deep, and
PostgreSQL's plan for it ran for minutes at a few hundred events)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from accounts.models import Organisation
from agenda.models import Event, Registration
from agenda.services import PRIVATE_KINDS
from coordinators.models import Tenure
from coordinators.selectors import CURRENT_SCHEMES, in_post, newcomers, tenures_in_post
from territories.models import Department

from .register import Breakdown, empty_breakdown, scheme_filter, tally, turnover_years

DEPARTMENTAL_ORGANISERS = (Organisation.Kind.ARS_DD, Organisation.Kind.CRPV)
PROVIDERS = ("regional", "departmental")
KINDS = tuple(kind for kind in Event.Kind.values if kind not in PRIVATE_KINDS)
WELCOME_WITHIN = timedelta(days=183)  # "within 6 months of their arrival"

# A registration's département: the schemes of the post its person held on the event's day.
DEPARTMENT = "person__tenures__post__schemes__department__code"

SEATED = Q(status__in=Registration.SEATED)
# Counts of one group of registrations (all of an event, or those of one département's people
# at it); `rows` counts every registration of the group, waitlist and cancellations included.
ATTENDANCE_COUNTS = {
    "rows": Q(),
    "seated": SEATED,
    "present": SEATED & Q(attended=True),
    "no_shows": SEATED & Q(attended=False, excused=False),
}


def _starting_between(field, start, end) -> dict:
    """`field` (a datetime) on a day from `start` to `end`, Paris time, as a range of instants
    (an index can serve it and the planner estimates it, unlike a cast to a date)."""
    midnight = datetime.min.time()
    return {
        f"{field}__gte": timezone.make_aware(datetime.combine(start, midnight)),
        f"{field}__lt": timezone.make_aware(datetime.combine(end + timedelta(days=1), midnight)),
    }


def _events_of(period):
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .exclude(kind__in=PRIVATE_KINDS)
        .filter(**_starting_between("starts_at", period.start, period.end))
    )


def _registrations(start, end):
    """Registrations of the events held from `start` to `end` (joined to the event, never
    `event__in` a subquery)."""
    return (
        Registration.objects.filter(event__status=Event.Status.PUBLISHED)
        .exclude(event__kind__in=PRIVATE_KINDS)
        .filter(**_starting_between("event__starts_at", start, end))
    )


def _provider():
    return Case(
        When(organiser__kind__in=DEPARTMENTAL_ORGANISERS, then=Value("departmental")),
        default=Value("regional"),
    )


def _held_on_event_day(scope) -> Q:
    """A registration whose person held, on the event's day, a post of a scheme in the scope:
    one Q, so the tenure, post and scheme joins are made once and shared with the grouping on
    `DEPARTMENT`."""
    day = TruncDate("event__starts_at")
    return (
        Q(person__tenures__started_on__lte=day)
        & (Q(person__tenures__ended_on__isnull=True) | Q(person__tenures__ended_on__gt=day))
        & Q(person__tenures__post__schemes__status__in=CURRENT_SCHEMES)
        & scheme_filter(scope, "person__tenures__post__schemes__")
    )


def _whole_region(scope) -> bool:
    """The scope is the region: no département chosen (staff), or all of them (the ARS head
    office's organisation covers every département); without a scheme type. Its total then
    counts every event and every registration, guests included, as the staff's does (one query
    when départements are listed)."""
    if scope.scheme_kind:
        return False
    if scope.department_codes is None:
        return True
    return not Department.objects.exclude(code__in=scope.department_codes).exists()


def _counts(distinct):
    return {
        name: Count("pk", filter=condition or None, distinct=distinct)
        for name, condition in ATTENDANCE_COUNTS.items()
    }


def _by_department_and_event(period, scope):
    """{(code, event id): counts} of the registrations of the scope's coordinators (one query;
    a registration joined to two tenures or schemes of one département counts once)."""
    rows = (
        _registrations(period.start, period.end)
        .filter(_held_on_event_day(scope))
        .values_list(DEPARTMENT, "event")
        .annotate(**_counts(distinct=True))
        .order_by()
    )
    return {(code, event): dict(zip(ATTENDANCE_COUNTS, n, strict=True)) for code, event, *n in rows}


def _by_event(period, scope, whole_region):
    """{event id: counts} of the registrations the scope's total counts: all of them for the
    whole region without a scheme type (guests included), else its coordinators' (one query)."""
    registrations = _registrations(period.start, period.end)
    distinct = not whole_region
    if distinct:
        registrations = registrations.filter(_held_on_event_day(scope))
    rows = registrations.values_list("event").annotate(**_counts(distinct)).order_by()
    return {event: dict(zip(ATTENDANCE_COUNTS, n, strict=True)) for event, *n in rows}


@dataclass(frozen=True)
class _Event:
    kind: str
    provider: str
    recorded: bool  # someone was marked present or absent


def _events(period):
    """{event id: _Event} of the period (one query, one row per event)."""
    recorded = Exists(Registration.objects.filter(event=OuterRef("pk"), attended__isnull=False))
    rows = (
        _events_of(period)
        .annotate(provider=_provider(), recorded=recorded)
        .values_list("pk", "kind", "provider", "recorded")
    )
    return {pk: _Event(kind, provider, recorded) for pk, kind, provider, recorded in rows}


@dataclass
class _Groups:
    """The period's events and its registrations grouped per (département, event) and per
    event: what the events and attendance figures are added up from (four queries at most)."""

    events: dict
    by_department: dict
    by_event: dict
    whole_region: bool


def _groups(period, scope) -> _Groups:
    whole_region = _whole_region(scope)
    return _Groups(
        events=_events(period),
        by_department=_by_department_and_event(period, scope),
        by_event=_by_event(period, scope, whole_region),
        whole_region=whole_region,
    )


def _empty_events():
    return {
        "events": 0,
        "by_kind": dict.fromkeys(KINDS, 0),
        "by_provider": dict.fromkeys(PROVIDERS, 0),
        "by_kind_and_provider": {kind: dict.fromkeys(PROVIDERS, 0) for kind in KINDS},
    }


def _add_event(figures, event):
    figures["events"] += 1
    figures["by_kind"][event.kind] += 1
    figures["by_provider"][event.provider] += 1
    figures["by_kind_and_provider"][event.kind][event.provider] += 1


def events_by_kind_and_provider(period, scope, groups=None) -> Breakdown:
    """{"events": n, "by_kind": {kind: n}, "by_provider": {"regional": n, "departmental": n},
    "by_kind_and_provider": {kind: {provider: n}}}:
    for a département, the events its coordinators had a seat at; for the whole region, every
    event of the period (even without registrations); for a partner or a scheme type, the
    events the scope's coordinators had a seat at."""
    groups = groups or _groups(period, scope)
    result = empty_breakdown(scope, _empty_events)
    for (code, event_id), counts in groups.by_department.items():
        if code in result.rows and counts["seated"]:
            _add_event(result.rows[code], groups.events[event_id])
    if groups.whole_region:
        counted = groups.events
    else:
        counted = [pk for pk, counts in groups.by_event.items() if counts["seated"]]
    for event_id in counted:
        _add_event(result.total, groups.events[event_id])
    return result


def _empty_attendance():
    return _with_rate(
        dict.fromkeys(
            ("registrations", "recorded_events", "registered_recorded", "present", "no_shows"),
            0,
        )
    )


def _add_attendance(figures, counts, event):
    figures["registrations"] += counts["seated"]
    if event.recorded:
        figures["recorded_events"] += 1
        figures["registered_recorded"] += counts["seated"]
        figures["present"] += counts["present"]
        figures["no_shows"] += counts["no_shows"]


def _with_rate(figures):
    registered = figures["registered_recorded"]
    rate = round(100 * figures["present"] / registered) if registered else None
    return {**figures, "attendance_rate": rate}


def registrations_and_attendance(period, scope, groups=None) -> Breakdown:
    """Seated registrations (confirmed, or a seat offered; waitlist and cancellations left out)
    and, among events whose attendance was recorded (someone marked present or absent):
    registered, present, no-shows (absent without excuse) and the attendance rate, present /
    registered in %. {"registrations", "recorded_events", "registered_recorded", "present",
    "no_shows", "attendance_rate"}; `recorded_events` counts the recorded events the group
    has a registration at (a waitlisted one included)."""
    groups = groups or _groups(period, scope)
    result = empty_breakdown(scope, _empty_attendance)
    for (code, event_id), counts in groups.by_department.items():
        if code in result.rows:
            _add_attendance(result.rows[code], counts, groups.events[event_id])
    for event_id, counts in groups.by_event.items():
        _add_attendance(result.total, counts, groups.events[event_id])
    result.rows = {code: _with_rate(figures) for code, figures in result.rows.items()}
    result.total = _with_rate(result.total)
    return result


def _attended_between(start, end):
    """A person (the outer row's `person`) marked present at an event from `start` to `end`:
    one correlated subquery, the registration joined to its event."""
    return Exists(_registrations(start, end).filter(person=OuterRef("person"), attended=True))


def _with_share(figures):
    share = round(100 * figures["reached"] / figures["in_post"]) if figures["in_post"] else None
    return {**figures, "share": share}


def _in_post_in_scope(on, scope):
    """The tenures in post on `on` (`tenures_in_post`) of the scope's current schemes; every
    tenure of them when `on` is None (the caller adds `coordinators.selectors.in_post`: with
    the current scheme required here, that is `tenures_in_post`)."""
    tenures = tenures_in_post(on) if on else Tenure.objects.all()
    return tenures.filter(
        scheme_filter(scope, "post__schemes__") & Q(post__schemes__status__in=CURRENT_SCHEMES)
    )


def _add_reached(figures, reached):
    figures["in_post"] += 1
    figures["reached"] += reached


def reach(period, scope) -> Breakdown:
    """Coordinators in post on the period's end (`tenures_in_post`) and those of them marked
    present at one event of the period at least (wherever it was): {"in_post", "reached",
    "share"} (share in %). Two queries: one row per person and département is read, each
    person counted once per département and once in the total."""
    result = empty_breakdown(scope, lambda: {"in_post": 0, "reached": 0})
    rows = (
        _in_post_in_scope(period.end, scope)
        .annotate(reached=_attended_between(period.start, period.end))
        .values_list("post__schemes__department__code", "person", "reached")
        .distinct()
        .order_by()
    )
    tally(result, rows, _add_reached)
    result.rows = {code: _with_share(figures) for code, figures in result.rows.items()}
    result.total = _with_share(result.total)
    return result


def _welcomed():
    """The newcomer of the outer tenure (its person, its `started_on`) was marked present at a
    welcome day held from then to `WELCOME_WITHIN` after."""
    within = ExpressionWrapper(OuterRef("started_on") + WELCOME_WITHIN, output_field=DateField())
    return Exists(
        Registration.objects.filter(
            person=OuterRef("person"),
            attended=True,
            event__status=Event.Status.PUBLISHED,
            event__is_welcome_day=True,
            event__starts_at__date__gte=OuterRef("started_on"),
            event__starts_at__date__lte=within,
        )
    )


def _add_newcomer(figures, welcomed):
    figures["newcomers"] += 1
    figures["welcomed"] += welcomed


def welcome_days(period, scope) -> Breakdown:
    """Newcomers (first coordination post started in the period: `coordinators.selectors.
    newcomers`) and those of them marked present at a welcome day (`Event.is_welcome_day`)
    held from their arrival to 6 months after it (183 days): {"newcomers", "welcomed"}, in the
    départements of that first post (two queries)."""
    result = empty_breakdown(scope, lambda: {"newcomers": 0, "welcomed": 0})
    rows = (
        newcomers(period.start, period.end)
        .filter(scheme_filter(scope, "post__schemes__"))
        .annotate(welcomed=_welcomed())
        .values_list("post__schemes__department__code", "person", "welcomed")
        .distinct()
        .order_by()
    )
    return tally(result, rows, _add_newcomer)


def _trend_span(year, period):
    """The days of `year` the trend counts: the calendar year, the last one up to the period's
    end."""
    return date(year, 1, 1), min(date(year, 12, 31), period.end)


def participation_trend(period, scope) -> dict:
    """{year: {"registrations", "present", "in_post", "reached", "share"}} for each year of
    `register.turnover_years(period)` (at least the 3 years up to the period's end, the last
    one up to it), over the whole scope: seated registrations and those marked present, as
    `registrations_and_attendance` counts them; the coordinators in post on the year's last
    day (or the period's end) and those of them present at an event of that year. Two
    queries: the registrations by year, and the coordinators of every year counted at once."""
    years = turnover_years(period)
    registrations = _registrations(date(years[0], 1, 1), period.end)
    distinct = not _whole_region(scope)
    if distinct:
        registrations = registrations.filter(_held_on_event_day(scope))
    year = ExtractYear(TruncDate("event__starts_at"))
    rows = (
        registrations.annotate(year=year)
        .values_list("year")
        .annotate(
            registrations=Count("pk", filter=SEATED, distinct=distinct),
            present=Count("pk", filter=ATTENDANCE_COUNTS["present"], distinct=distinct),
        )
        .order_by()
    )
    counted = {y: (n, present) for y, n, present in rows}
    spans = {y: _trend_span(y, period) for y in years}
    in_post_on = {y: in_post(end) for y, (_start, end) in spans.items()}
    reach_counts = {}
    for y, (start, end) in spans.items():
        reach_counts[f"in_post_{y}"] = Count("person", filter=in_post_on[y], distinct=True)
        reach_counts[f"reached_{y}"] = Count(
            "person", filter=in_post_on[y] & Q(_attended_between(start, end)), distinct=True
        )
    any_year = Q()
    for condition in in_post_on.values():
        any_year |= condition
    reached = _in_post_in_scope(None, scope).filter(any_year).aggregate(**reach_counts)
    trend = {}
    for y in years:
        n, present = counted.get(y, (0, 0))
        figures = {"in_post": reached[f"in_post_{y}"], "reached": reached[f"reached_{y}"]}
        trend[y] = {"registrations": n, "present": present, **_with_share(figures)}
    return trend


def participation_indicators(period, scope) -> dict:
    """Every indicator of the section, by name (the events and attendance figures share their
    three queries)."""
    groups = _groups(period, scope)
    return {
        "events": events_by_kind_and_provider(period, scope, groups),
        "attendance": registrations_and_attendance(period, scope, groups),
        "reach": reach(period, scope),
        "welcome_days": welcome_days(period, scope),
    }
