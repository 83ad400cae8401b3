"""The register's indicators: schemes, posts, vacancies, turnover and seniority, for a `Period`
and a `Scope` (dashboards.filters), computed from the register's rows (never typed).

Each function returns a `Breakdown`: the figures of each département of the scope (side by
side for regional readers; zeros included) and of the scope as a whole. A post, a tenure or a
person belongs to the départements of its post's schemes: a post shared by schemes of two
départements counts in each of them, once in the total (the total is its own aggregate, never
a sum of rows that could count it twice). The scheme type filter keeps posts that have a scheme
of that type, counted in the départements of those schemes.

The status of a scheme is what the register says today (it keeps no history of statuses);
schemes signed after the period's end are left out. Posts are read on the period's end with
`coordinators.selectors.posts_at` ("unknown" only applies from today on: on a past date a post
is filled or vacant from its tenures alone)."""

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractYear

from coordinators.models import Scheme, Tenure
from coordinators.selectors import (
    CURRENT_SCHEMES,
    POST_FILLED,
    POST_UNKNOWN,
    POST_VACANT,
    add_months,
    posts_at,
    schemes_due_for_renewal,
    tenures_in_post,
)

from .people import departments

RENEWAL_MONTHS = 12
TREND_YEARS = 3

# Seniority in the job (since the person's first coordination post, as the directory and the
# newcomer audience count it), in years: [lower, upper).
SENIORITY_BANDS = (
    ("under_1", "Moins d’un an", 0, 1),
    ("1_to_3", "1 à 3 ans", 1, 3),
    ("3_to_5", "3 à 5 ans", 3, 5),
    ("5_and_more", "5 ans et plus", 5, None),
)
SENIORITY_KEYS = [key for key, _label, _low, _high in SENIORITY_BANDS]
POST_FIGURES = ("posts", POST_FILLED, POST_VACANT, POST_UNKNOWN)


@dataclass
class Breakdown:
    """`departments`: [(code, name)] of the scope, in code order; `rows`: code → figures;
    `total`: the figures of the whole scope."""

    departments: list
    rows: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)


def scope_departments(scope) -> list:
    """[(code, name)] of the départements the scope counts (`people.departments`)."""
    codes = scope.department_codes
    return [(code, name) for code, name in departments() if codes is None or code in codes]


def empty_breakdown(scope, empty):
    departments = scope_departments(scope)
    return Breakdown(
        departments=departments,
        rows={code: empty() for code, _name in departments},
        total=empty(),
    )


def tally(breakdown, rows, add):
    """Adds `rows` up into `breakdown` and returns it. Each row is (département code, key,
    *values), one per key and département (a `distinct()` query): `add(figures, *values)` runs
    for the row's département, and once per key for the total, so that a person or a post in
    two départements counts in each and once in the scope."""
    everyone = {}
    for code, key, *values in rows:
        everyone[key] = values
        if code in breakdown.rows:
            add(breakdown.rows[code], *values)
    for values in everyone.values():
        add(breakdown.total, *values)
    return breakdown


def scheme_filter(scope, prefix="") -> Q:
    """The scope and scheme type on a path to Scheme (`prefix` ends with "__" or is empty),
    in one Q so that a multi-valued path is joined once, and grouping on it reuses the join."""
    condition = Q()
    if scope.department_codes is not None:
        condition &= Q(**{f"{prefix}department__code__in": scope.department_codes})
    if scope.scheme_kind:
        condition &= Q(**{f"{prefix}kind": scope.scheme_kind})
    return condition


def _in_scheme_scope(queryset, scope, prefix):
    """`queryset` restricted to rows with a scheme in the scope (any of its schemes)."""
    condition = scheme_filter(scope, prefix)
    if not condition:
        return queryset
    return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def _median(values):
    return round(statistics.median(values)) if values else None


# --- Schemes ------------------------------------------------------------------------------


def schemes_by_kind_and_status(period, scope) -> Breakdown:
    """Schemes signed by the period's end (or undated), by type and status: figures are
    {kind: {status: n}} with every type and status present (one query for the counts)."""

    def empty():
        return {kind: dict.fromkeys(Scheme.Status.values, 0) for kind in Scheme.Kind.values}

    result = empty_breakdown(scope, empty)
    schemes = Scheme.objects.filter(scheme_filter(scope)).filter(
        Q(signed_on__isnull=True) | Q(signed_on__lte=period.end)
    )
    rows = schemes.values_list("department__code", "kind", "status").annotate(n=Count("pk"))
    for code, kind, status, n in rows.order_by():
        if code in result.rows:
            result.rows[code][kind][status] = n
        result.total[kind][status] += n  # a scheme has one département: no double count
    return result


def schemes_due(period, scope) -> Breakdown:
    """Schemes still running whose end or renewal date falls within 12 months of the period's
    end, overdue ones included (`coordinators.selectors.schemes_due_for_renewal`): {"due": n}."""
    result = empty_breakdown(scope, lambda: {"due": 0})
    schemes = schemes_due_for_renewal(RENEWAL_MONTHS, period.end).filter(scheme_filter(scope))
    for code, n in schemes.values_list("department__code").annotate(n=Count("pk")).order_by():
        if code in result.rows:
            result.rows[code]["due"] = n
        result.total["due"] += n
    return result


# --- Posts --------------------------------------------------------------------------------


def _posts_on(day, scope):
    return posts_at(day).filter(scheme_filter(scope, "schemes__"))


def _add_post(figures, status):
    figures["posts"] += 1
    figures[status] += 1


def posts_status(period, scope) -> Breakdown:
    """Posts open on the period's end: {"filled", "vacant", "unknown", "posts"} per
    département, and in the total where a post is counted once (two queries)."""
    result = empty_breakdown(scope, lambda: dict.fromkeys(POST_FIGURES, 0))
    rows = (
        _posts_on(period.end, scope)
        .values_list("schemes__department__code", "pk", "status_at")
        .distinct()
        .order_by()
    )
    return tally(result, rows, _add_post)


def vacancy_lengths(period, scope) -> Breakdown:
    """Posts vacant on the period's end and how long they have been (days since the last
    departure, or since the post opened): {"vacant", "median_days", "longest_days"}, medians
    from one query's list of values."""
    result = empty_breakdown(scope, lambda: [])
    rows = (
        _posts_on(period.end, scope)
        .filter(status_at=POST_VACANT)
        .values_list("pk", "schemes__department__code", "vacant_since")
        .distinct()
        .order_by()
    )
    total = {}
    for pk, code, since in rows:
        days = (period.end - since).days
        if code in result.rows:
            result.rows[code].append(days)
        total[pk] = days
    result.total = list(total.values())

    def figures(days):
        return {
            "vacant": len(days),
            "median_days": _median(days),
            "longest_days": max(days) if days else None,
        }

    result.rows = {code: figures(days) for code, days in result.rows.items()}
    result.total = figures(result.total)
    return result


# --- Turnover -----------------------------------------------------------------------------


def turnover_years(period) -> list:
    """The calendar years counted: each year of the period, and at least the 3 years up to its
    end for the trend."""
    first = min(period.start.year, period.end.year - TREND_YEARS + 1)
    return list(range(first, period.end.year + 1))


def arrivals_and_departures(period, scope) -> Breakdown:
    """Per calendar year (`turnover_years`; the last one up to the period's end):
    {year: {"arrivals", "departures"}}. An arrival is a tenure that starts (a move to another
    post included), a departure one that ends, as `coordinators.selectors.arrivals` and
    `departures` count them. Four queries."""
    years = turnover_years(period)

    def empty():
        return {year: {"arrivals": 0, "departures": 0} for year in years}

    result = empty_breakdown(scope, empty)
    since = date(years[0], 1, 1)
    for name, day in (("arrivals", "started_on"), ("departures", "ended_on")):
        tenures = Tenure.objects.filter(**{f"{day}__range": (since, period.end)})
        year = ExtractYear(day)
        grouped = (
            tenures.filter(scheme_filter(scope, "post__schemes__"))
            .annotate(year=year)
            .values_list("post__schemes__department__code", "year")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for code, y, n in grouped:
            if code in result.rows:
                result.rows[code][y][name] = n
        totals = (
            _in_scheme_scope(tenures, scope, "post__schemes__")
            .annotate(year=year)
            .values_list("year")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for y, n in totals:
            result.total[y][name] = n
    return result


def median_tenure(period, scope) -> Breakdown:
    """Tenures that ended in the period (open ones are not finished: they would shorten the
    median): {"ended", "median_days"}, the median from one query's list of values."""
    result = empty_breakdown(scope, lambda: [])
    rows = (
        Tenure.objects.filter(ended_on__range=(period.start, period.end))
        .filter(scheme_filter(scope, "post__schemes__"))
        .values_list("pk", "post__schemes__department__code", "started_on", "ended_on")
        .distinct()
        .order_by()
    )
    total = {}
    for pk, code, started, ended in rows:
        days = (ended - started).days
        if code in result.rows:
            result.rows[code].append(days)
        total[pk] = days

    def figures(days):
        return {"ended": len(days), "median_days": _median(days)}

    result.rows = {code: figures(days) for code, days in result.rows.items()}
    result.total = figures(list(total.values()))
    return result


# --- Seniority ----------------------------------------------------------------------------


def _seniority_band(on):
    """A function giving the key of the band of someone whose first post began on a day,
    on `on`."""
    thresholds = [(add_months(on, -12 * low), key) for key, _l, low, _h in SENIORITY_BANDS]
    thresholds.reverse()

    def band(first_start):
        return next((key for day, key in thresholds if first_start <= day), SENIORITY_KEYS[0])

    return band


def seniority_bands(period, scope) -> Breakdown:
    """Coordinators in post on the period's end (`tenures_in_post`), by seniority in the job:
    years since their first coordination post, on any post (the register keeps every tenure;
    a move to another post does not make someone a beginner). {band: n}, a person once per
    département and once in the total. Two queries: one row per person and département is
    read, with their first start (a join to their tenures, grouped), the bands counted here."""
    end = period.end
    rows = (
        tenures_in_post(end)
        .filter(
            scheme_filter(scope, "post__schemes__") & Q(post__schemes__status__in=CURRENT_SCHEMES)
        )
        .values_list("post__schemes__department__code", "person")
        .annotate(first_start=Min("person__tenures__started_on"))
        .order_by()
    )
    result = empty_breakdown(scope, lambda: dict.fromkeys(SENIORITY_KEYS, 0))
    band_of = _seniority_band(end)

    def add(figures, first_start):
        figures[band_of(first_start)] += 1

    return tally(result, rows, add)


def register_indicators(period, scope) -> dict:
    """Every indicator of the section, by name."""
    return {
        "schemes": schemes_by_kind_and_status(period, scope),
        "schemes_due": schemes_due(period, scope),
        "posts": posts_status(period, scope),
        "vacancies": vacancy_lengths(period, scope),
        "turnover": arrivals_and_departures(period, scope),
        "tenure": median_tenure(period, scope),
        "seniority": seniority_bands(period, scope),
    }
