"""Participation in the network's events, for a `Period` and a `Scope` (dashboards.filters),
computed from the agenda's registrations (never typed).

What counts:
- the events of the period: published, starting (Paris time) between its first and last day;
  cancelled events and tutoring sessions (`agenda.services.PRIVATE_KINDS`: a pair's private
  meeting, counted by the network's section) are left out;
- the provider: "departmental" when a CRPV or an ARS délégation organises it, "regional"
  otherwise (PromoSanté, or the ARS head office and the Préfecture, which act for the region);
- territory: an event counts for the départements of its participants (a seat, confirmed or
  offered, whether they came or not), a coordinator's
  département being that of the schemes of the post(s) they held on the event's day (the
  register's tenures; their profile's commune is not used). So a partner's figures are made of
  their départements' coordinators only: registrations, presence and no-shows of people working
  elsewhere, and of guests (elected officials, managers: no post), stay out of them. The
  region's total counts every event of the period and every registration, guests included;
  a département's row counts its coordinators' registrations and the events they took part in.
- the scheme type filter keeps coordinators holding a post of a scheme of that type.

Each function returns a `Breakdown` (dashboards.indicators.register): rows per département of
the scope, and the scope's total as its own aggregate (a person working in two départements
counts in each row, once in the total)."""

from datetime import timedelta

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
from django.db.models.functions import TruncDate

from accounts.models import Organisation
from agenda.models import Event, Registration
from agenda.services import PRIVATE_KINDS
from coordinators.selectors import CURRENT_SCHEMES, newcomers, tenures_in_post

from .register import Breakdown, empty_breakdown, scheme_filter

DEPARTMENTAL_ORGANISERS = (Organisation.Kind.ARS_DD, Organisation.Kind.CRPV)
PROVIDERS = ("regional", "departmental")
WELCOME_WITHIN = timedelta(days=183)  # "within 6 months of their arrival"

# A registration's département: the schemes of the post its person held on the event's day.
DEPARTMENT = "person__tenures__post__schemes__department__code"


def _events_of(period):
    return (
        Event.objects.filter(status=Event.Status.PUBLISHED)
        .exclude(kind__in=PRIVATE_KINDS)
        .filter(starts_at__date__range=(period.start, period.end))
    )


def _provider(prefix=""):
    return Case(
        When(
            **{f"{prefix}organiser__kind__in": DEPARTMENTAL_ORGANISERS},
            then=Value("departmental"),
        ),
        default=Value("regional"),
    )


def _held_on_event_day(scope) -> Q:
    """A registration whose person held, on the event's day, a post in the scope: one Q, so the
    tenure, post and scheme joins are shared with the grouping on `DEPARTMENT`."""
    day = TruncDate("event__starts_at")
    return (
        Q(person__tenures__started_on__lte=day)
        & (Q(person__tenures__ended_on__isnull=True) | Q(person__tenures__ended_on__gt=day))
        & Q(person__tenures__post__schemes__status__in=CURRENT_SCHEMES)
        & scheme_filter(scope, "person__tenures__post__schemes__")
    )


def _registrations(period):
    return Registration.objects.filter(event__in=_events_of(period))


def _scoped_registrations(period, scope):
    """Registrations of the period, as counted in the scope's total: all of them for the whole
    region without a scheme type, else those of coordinators working in the scope."""
    registrations = _registrations(period)
    if scope.department_codes is None and not scope.scheme_kind:
        return registrations
    inside = _registrations(period).filter(_held_on_event_day(scope)).values("pk")
    return registrations.filter(pk__in=inside)


def events_by_kind_and_provider(period, scope) -> Breakdown:
    """{"events": n, "by_kind": {kind: n}, "by_provider": {"regional": n, "departmental": n}}
    (two queries)."""

    def empty():
        return {
            "events": 0,
            "by_kind": {kind: 0 for kind in Event.Kind.values if kind not in PRIVATE_KINDS},
            "by_provider": dict.fromkeys(PROVIDERS, 0),
        }

    result = empty_breakdown(scope, empty)
    rows = (
        _registrations(period)
        .filter(status__in=Registration.SEATED)
        .filter(_held_on_event_day(scope))
        .annotate(provider=_provider("event__"))
        .values_list(DEPARTMENT, "event__kind", "provider")
        .annotate(n=Count("event", distinct=True))
        .order_by()
    )
    for code, kind, provider, n in rows:
        if code in result.rows:
            _add_events(result.rows[code], kind, provider, n)
    events = _events_of(period)
    if scope.department_codes is not None or scope.scheme_kind:
        seated = _scoped_registrations(period, scope).filter(status__in=Registration.SEATED)
        events = events.filter(pk__in=seated.values("event"))
    totals = (
        events.annotate(provider=_provider())
        .values_list("kind", "provider")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, provider, n in totals:
        _add_events(result.total, kind, provider, n)
    return result


def _add_events(figures, kind, provider, n):
    # An event has one kind and one provider: the (kind, provider) groups are disjoint.
    figures["events"] += n
    figures["by_kind"][kind] += n
    figures["by_provider"][provider] += n


def _attendance_counts():
    seated = Q(status__in=Registration.SEATED)
    recorded = seated & Q(event_recorded=True)
    return {
        "registrations": Count("pk", filter=seated, distinct=True),
        "recorded_events": Count("event", filter=Q(event_recorded=True), distinct=True),
        "registered_recorded": Count("pk", filter=recorded, distinct=True),
        "present": Count("pk", filter=recorded & Q(attended=True), distinct=True),
        "no_shows": Count("pk", filter=recorded & Q(attended=False, excused=False), distinct=True),
    }


def _with_rate(figures):
    registered = figures["registered_recorded"]
    rate = round(100 * figures["present"] / registered) if registered else None
    return {**figures, "attendance_rate": rate}


def registrations_and_attendance(period, scope) -> Breakdown:
    """Seated registrations (confirmed, or a seat offered; waitlist and cancellations left out)
    and, among events whose attendance was recorded (someone marked present or absent):
    registered, present, no-shows (absent without excuse) and the attendance rate, present /
    registered in %. {"registrations", "recorded_events", "registered_recorded", "present",
    "no_shows", "attendance_rate"} (two queries)."""
    counts = _attendance_counts()
    result = empty_breakdown(scope, lambda: _with_rate(dict.fromkeys(counts, 0)))
    recorded = Exists(Registration.objects.filter(event=OuterRef("event"), attended__isnull=False))
    rows = (
        _registrations(period)
        .annotate(event_recorded=recorded)
        .filter(_held_on_event_day(scope))
        .values(DEPARTMENT)
        .annotate(**counts)
        .order_by()
    )
    for row in rows:
        code = row.pop(DEPARTMENT)
        if code in result.rows:
            result.rows[code] = _with_rate(row)
    total = _scoped_registrations(period, scope).annotate(event_recorded=recorded)
    result.total = _with_rate(_total(total, counts))
    return result


def _reach_counts():
    return {
        "in_post": Count("person", distinct=True),
        "reached": Count("person", filter=Q(attended_one=True), distinct=True),
    }


def _with_share(figures):
    share = round(100 * figures["reached"] / figures["in_post"]) if figures["in_post"] else None
    return {**figures, "share": share}


def reach(period, scope) -> Breakdown:
    """Coordinators in post on the period's end (`tenures_in_post`) and those of them marked
    present at one event of the period at least (wherever it was): {"in_post", "reached",
    "share"} (share in %; two queries)."""
    result = empty_breakdown(scope, lambda: _with_share(dict.fromkeys(_reach_counts(), 0)))
    attended = Exists(_registrations(period).filter(person=OuterRef("person"), attended=True))
    in_post = tenures_in_post(period.end).annotate(attended_one=attended)
    rows = (
        in_post.filter(
            scheme_filter(scope, "post__schemes__") & Q(post__schemes__status__in=CURRENT_SCHEMES)
        )
        .values("post__schemes__department__code")
        .annotate(**_reach_counts())
        .order_by()
    )
    for row in rows:
        code = row.pop("post__schemes__department__code")
        if code in result.rows:
            result.rows[code] = _with_share(row)
    condition = scheme_filter(scope, "post__schemes__")
    if condition:
        in_post = in_post.filter(pk__in=tenures_in_post(period.end).filter(condition).values("pk"))
    result.total = _with_share(_total(in_post, _reach_counts()))
    return result


def _welcome_counts():
    return {
        "newcomers": Count("person", distinct=True),
        "welcomed": Count("person", filter=Q(welcomed=True), distinct=True),
    }


def welcome_days(period, scope) -> Breakdown:
    """Newcomers (first coordination post started in the period: `coordinators.selectors.
    newcomers`) and those of them marked present at a welcome day (`Event.is_welcome_day`)
    held from their arrival to 6 months after it (183 days): {"newcomers", "welcomed"}, in the
    départements of that first post (two queries)."""
    result = empty_breakdown(scope, lambda: dict.fromkeys(_welcome_counts(), 0))
    within = ExpressionWrapper(OuterRef("started_on") + WELCOME_WITHIN, output_field=DateField())
    welcomed = Exists(
        Registration.objects.filter(
            person=OuterRef("person"),
            attended=True,
            event__status=Event.Status.PUBLISHED,
            event__is_welcome_day=True,
            event__starts_at__date__gte=OuterRef("started_on"),
            event__starts_at__date__lte=within,
        )
    )
    arrived = newcomers(period.start, period.end).annotate(welcomed=welcomed)
    rows = (
        arrived.filter(scheme_filter(scope, "post__schemes__"))
        .values("post__schemes__department__code")
        .annotate(**_welcome_counts())
        .order_by()
    )
    for row in rows:
        code = row.pop("post__schemes__department__code")
        if code in result.rows:
            result.rows[code] = row
    condition = scheme_filter(scope, "post__schemes__")
    if condition:
        arrived = arrived.filter(
            pk__in=newcomers(period.start, period.end).filter(condition).values("pk")
        )
    result.total = _total(arrived, _welcome_counts())
    return result


def _total(queryset, counts) -> dict:
    """`queryset.aggregate(**counts)` in one SELECT, its annotations read in place (an
    aggregate over annotated rows would be wrapped in a subquery that drops them)."""
    grouped = queryset.annotate(whole_scope=Value(1)).values("whole_scope").annotate(**counts)
    rows = list(grouped.order_by())
    if not rows:
        return dict.fromkeys(counts, 0)
    row = rows[0]
    row.pop("whole_scope")
    return row


def participation_indicators(period, scope) -> dict:
    """Every indicator of the section, by name."""
    return {
        "events": events_by_kind_and_provider(period, scope),
        "attendance": registrations_and_attendance(period, scope),
        "reach": reach(period, scope),
        "welcome_days": welcome_days(period, scope),
    }
