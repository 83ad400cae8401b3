"""Reads on territories, organisations and coordinators, always through the user's scope."""

import calendar
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.access import Role

from .models import CoordinatorProfile, HandoverFile, Post, PostClaim, Scheme, Tenure

# Schemes whose coordinators count as "in post": in progress or being renewed, not ended.
CURRENT_SCHEMES = (Scheme.Status.ACTIVE, Scheme.Status.RENEWING)


def in_post(on, *, tenure="", post="post__") -> Q:
    """The conditions of `tenures_in_post` on the tenure at path `tenure` and its post at path
    `post`, but that the post belongs to a current scheme: for a query that reaches the tenure
    from a scheme already restricted to current ones (`dashboards.indicators.people`), in one
    join rather than a subquery per row."""
    return (
        Q(**{f"{tenure}person__isnull": False, f"{tenure}started_on__lte": on})
        & (Q(**{f"{tenure}ended_on__isnull": True}) | Q(**{f"{tenure}ended_on__gt": on}))
        & Q(**{f"{post}opened_on__lte": on})
        & (Q(**{f"{post}closed_on__isnull": True}) | Q(**{f"{post}closed_on__gt": on}))
    )


def tenures_in_post(on=None):
    """The one definition of "a coordinator in post" on a day (today by default): a tenure that
    covers the day, of a named person, on a post open that day that belongs to a scheme in
    progress or being renewed. Count people with `Count("person", distinct=True)`: a person
    holding two posts is one coordinator."""
    on = on or date.today()
    current_posts = Post.objects.filter(schemes__status__in=CURRENT_SCHEMES).values("pk")
    return Tenure.objects.filter(in_post(on)).filter(post__in=current_posts)


def coordinators_in_post_count(on=None) -> int:
    """How many coordinators are in post (see `tenures_in_post`), one query."""
    return tenures_in_post(on).aggregate(n=Count("person", distinct=True))["n"]


def network_figures():
    """Regional aggregates shown to everyone: coordinators in post today and the départements
    of their schemes, no individual data (one query)."""
    return tenures_in_post().aggregate(
        coordinators=Count("person", distinct=True),
        departments=Count(
            "post__schemes__department",
            filter=Q(post__schemes__status__in=CURRENT_SCHEMES),
            distinct=True,
        ),
    )


# --- The register: posts, tenures and turnover, always computed from tenures ----------------


def _in_scope(queryset, access, lookup):
    """Scope a queryset reached through a many-to-many (posts → schemes → département)."""
    if access is None or access.department_codes is None:
        return queryset
    inner = queryset.model.objects.filter(**{f"{lookup}__code__in": access.department_codes})
    return queryset.filter(pk__in=inner.values("pk"))


def posts_at(on, access=None, department_code=None):
    """Posts existing on `on`, annotated with `is_held`, `vacant_since` and `status_at`.

    "Unknown" is what staff know today: it applies from today on; past dates are read from
    tenures alone.
    """
    held = Tenure.objects.filter(post=OuterRef("pk"), started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on)
    )
    last_end = (
        Tenure.objects.filter(post=OuterRef("pk"), ended_on__lte=on)
        .order_by("-ended_on")
        .values("ended_on")[:1]
    )
    posts = Post.objects.filter(opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    posts = _in_scope(posts, access, "schemes__department")
    if department_code:
        posts = posts.filter(
            pk__in=Post.objects.filter(schemes__department__code=department_code).values("pk")
        )
    whens = [When(is_held=True, then=Value(POST_FILLED))]
    if on >= date.today():
        whens.insert(0, When(status_unknown=True, then=Value(POST_UNKNOWN)))
    return posts.annotate(
        is_held=Exists(held),
        vacant_since=Coalesce(Subquery(last_end), F("opened_on")),
        status_at=Case(*whens, default=Value(POST_VACANT)),
    )


POST_FILLED, POST_VACANT, POST_UNKNOWN = "filled", "vacant", "unknown"


def post_labels(post_ids, on=None):
    """What people call posts, never an internal number: "poste de coordination (CLSM de
    Sarcelles)" for the one open post of its scheme, "poste 2 sur 3 (CLS de Saint-Denis)" among
    several (the open posts of its first scheme by name, in the order they opened), "ancien poste
    ouvert le 01/02/2020 (…)" once closed. A post shared by schemes names them all. One query
    for the posts' schemes, one for their siblings."""
    on = on or date.today()
    links = Post.schemes.through.objects.filter(post_id__in=post_ids).order_by(
        "scheme__name", "scheme_id"
    )
    schemes_of, opened = {}, {}
    for post_id, opened_on, scheme_id, name in links.values_list(
        "post_id", "post__opened_on", "scheme_id", "scheme__name"
    ):
        schemes_of.setdefault(post_id, []).append((scheme_id, name))
        opened[post_id] = opened_on
    open_siblings = (
        Post.schemes.through.objects.filter(
            scheme_id__in={schemes[0][0] for schemes in schemes_of.values()},
            post__opened_on__lte=on,
        )
        .filter(Q(post__closed_on__isnull=True) | Q(post__closed_on__gt=on))
        .order_by("post__opened_on", "post_id")
        .values_list("scheme_id", "post_id")
    )
    siblings = {}
    for scheme_id, post_id in open_siblings:
        siblings.setdefault(scheme_id, []).append(post_id)
    labels = {}
    for post_id in post_ids:
        schemes = schemes_of.get(post_id)
        if not schemes:
            labels[post_id] = "poste de coordination sans dispositif"
            continue
        names = " · ".join(name for _pk, name in schemes)
        ranked = siblings.get(schemes[0][0], [])
        if post_id not in ranked:
            labels[post_id] = f"ancien poste ouvert le {opened[post_id]:%d/%m/%Y} ({names})"
        elif len(ranked) == 1:
            labels[post_id] = f"poste de coordination ({names})"
        else:
            labels[post_id] = f"poste {ranked.index(post_id) + 1} sur {len(ranked)} ({names})"
    return labels


def post_label(post, on=None):
    return post_labels([post.pk], on)[post.pk]


def posts_vacant_at(on, access=None, department_code=None):
    return posts_at(on, access, department_code).filter(status_at=POST_VACANT)


def posts_unknown_at(on, access=None, department_code=None):
    return posts_at(on, access, department_code).filter(status_at=POST_UNKNOWN)


def vacancy_days(post, on):
    """Days a post annotated by `posts_at` has been vacant on `on` (None when not vacant)."""
    if post.status_at != POST_VACANT:
        return None
    return (on - post.vacant_since).days


def tenure_days(tenure, on=None):
    """Length of a tenure in days, up to `on` (today) while it is open."""
    end = tenure.ended_on or on or date.today()
    return (end - tenure.started_on).days


def person_seniority_days(person, on):
    """Days since the person first took a coordination post, as of `on` (None if never)."""
    first = Tenure.objects.filter(person=person, started_on__lte=on).aggregate(
        first=Min("started_on")
    )["first"]
    return None if first is None else (on - first).days


NEWCOMER_DAYS = 365


def person_is_newcomer(person, on):
    seniority = person_seniority_days(person, on)
    return seniority is not None and seniority < NEWCOMER_DAYS


def tenures_in_scope(access=None, department_code=None):
    tenures = _in_scope(Tenure.objects.all(), access, "post__schemes__department")
    if department_code:
        tenures = tenures.filter(
            pk__in=Tenure.objects.filter(post__schemes__department__code=department_code).values(
                "pk"
            )
        )
    return tenures


def arrivals(start, end, access=None, department_code=None):
    """Tenures that started between `start` and `end` (both included), moves included."""
    return tenures_in_scope(access, department_code).filter(started_on__range=(start, end))


def newcomers(start, end, access=None, department_code=None):
    """People whose first coordination post started between `start` and `end`."""
    first_start = Subquery(
        Tenure.objects.filter(person=OuterRef("person"))
        .order_by("started_on")
        .values("started_on")[:1]
    )
    return (
        arrivals(start, end, access, department_code)
        .filter(person__isnull=False)
        .annotate(first_start=first_start)
        .filter(started_on=F("first_start"))
    )


def departures(start, end, access=None, department_code=None):
    return tenures_in_scope(access, department_code).filter(ended_on__range=(start, end))


def turnover_figures(start, end, access=None, department_code=None):
    """Turnover over [start, end] and post situation on `end`, in a handful of queries."""
    left = departures(start, end, access, department_code)
    lengths = [(t.ended_on - t.started_on).days for t in left.only("started_on", "ended_on")]
    posts = list(posts_at(end, access, department_code).only("pk", "opened_on", "status_unknown"))
    vacant = [p for p in posts if p.status_at == POST_VACANT]
    vacancy = [vacancy_days(p, end) for p in vacant]
    return {
        "arrivals": arrivals(start, end, access, department_code).count(),
        "newcomers": newcomers(start, end, access, department_code).count(),
        "departures": len(lengths),
        "average_tenure_days": round(sum(lengths) / len(lengths)) if lengths else None,
        "posts": len(posts),
        "filled": sum(p.status_at == POST_FILLED for p in posts),
        "vacant": len(vacant),
        "unknown": sum(p.status_at == POST_UNKNOWN for p in posts),
        "average_vacancy_days": round(sum(vacancy) / len(vacancy)) if vacancy else None,
        "longest_vacancy_days": max(vacancy) if vacancy else None,
    }


def schemes_due_for_renewal(months, today, access=None):
    """Schemes still running whose end or renewal date falls within `months` months,
    including those whose date has passed without renewal (overdue)."""
    limit = add_months(today, months)
    schemes = Scheme.objects.exclude(status=Scheme.Status.ENDED).filter(
        ends_on__isnull=False, ends_on__lte=limit
    )
    return access.scope(schemes, "department") if access else schemes


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


# --- Pages of the register ------------------------------------------------------------------


def scheme_list(access, today):
    """Schemes for the list page, with their posts' status today (prefetched: no N+1)."""
    posts = posts_at(today).prefetch_related(
        Prefetch(
            "tenures",
            queryset=Tenure.objects.filter(ended_on__isnull=True).select_related("person"),
            to_attr="open_tenures",
        )
    )
    schemes = access.scope_listing(Scheme.objects.all(), "department")
    return schemes.select_related("department").prefetch_related(
        "communes", Prefetch("posts", queryset=posts, to_attr="current_posts")
    )


def scheme_summary(schemes):
    """Counts per département and type of an already filtered scheme queryset (one query)."""
    rows = (
        schemes.order_by()
        .values("department__code", "department__name", "kind")
        .annotate(count=Count("pk"))
    )
    table = {}
    for row in rows:
        line = table.setdefault(
            row["department__code"],
            {"name": row["department__name"], "ASV": 0, "CLS": 0, "CLSM": 0, "total": 0},
        )
        line[row["kind"]] = row["count"]
        line["total"] += row["count"]
    return [{"code": code, **line} for code, line in sorted(table.items())]


def scheme_detail(pk, today):
    """A scheme with its posts (in the order they opened, as `post_labels` ranks them), their
    holders and history (raises Scheme.DoesNotExist)."""
    posts = (
        posts_at(today)
        .order_by("opened_on", "pk")
        .prefetch_related(
            "schemes",
            Prefetch(
                "tenures",
                queryset=Tenure.objects.select_related(
                    "person__coordinator_profile__background"
                ).order_by("-started_on"),
                to_attr="history",
            ),
            "tenures__person__coordinator_profile__topics",
            Prefetch(
                "claims", queryset=PostClaim.objects.filter(status="pending"), to_attr="pending"
            ),
        )
    )
    return (
        Scheme.objects.select_related("department")
        .prefetch_related("communes", Prefetch("posts", queryset=posts, to_attr="current_posts"))
        .get(pk=pk)
    )


def sees_holders_of(access, department_code):
    """Who holds a post (their name and card) is shown to the whole network, except to
    partners: they see individual data of their own départements only (as in the lists,
    `Access.scope_listing`)."""
    return access.role != Role.PARTNER or access.sees_department(department_code)


HANDOVER_AUTHOR_DAYS = 90


def handover_author_ids(post, today):
    """Who may write a post's handover file: its holder and whoever left it in the last 90 days."""
    since = today - timedelta(days=HANDOVER_AUTHOR_DAYS)
    return set(
        Tenure.objects.filter(post=post, person__isnull=False)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
        .values_list("person_id", flat=True)
    )


def post_department_code(post):
    return Scheme.objects.filter(posts=post).values_list("department__code", flat=True).first()


def handover_file_of(post):
    """The post's handover file, or an empty one when nobody wrote it yet (not saved: reading
    the page writes nothing)."""
    return HandoverFile.objects.filter(post=post).first() or HandoverFile(post=post)


def coordinator_profile_of(user):
    """A person's coordinator profile with its commune and département, or None."""
    return (
        CoordinatorProfile.objects.filter(user=user).select_related("commune__department").first()
    )


def person_posts(person, today):
    """A person's current posts, with schemes and handover files."""
    held = Tenure.objects.filter(person=person, ended_on__isnull=True).values("post")
    return (
        posts_at(today)
        .filter(pk__in=held)
        .prefetch_related("schemes__communes")
        .select_related("handover")
    )


def claims_pending():
    """Pending claims, each with `post_label` (bounded queries, whatever their number)."""
    claims = list(
        PostClaim.objects.filter(status=PostClaim.Status.PENDING)
        .select_related("person", "post")
        .prefetch_related("post__schemes")
    )
    labels = post_labels([claim.post_id for claim in claims])
    for claim in claims:
        claim.post_label = labels[claim.post_id]
    return claims


def signups_pending():
    return (
        CoordinatorProfile.objects.filter(status=CoordinatorProfile.Status.PENDING)
        .select_related("user", "commune")
        .order_by("created_at")
    )


def coordinator_account_counts():
    """Coordinators' accounts: approved and waiting for approval (one aggregate query)."""
    return CoordinatorProfile.objects.filter(user__is_active=True).aggregate(
        coordinators=Count("pk", filter=Q(status=CoordinatorProfile.Status.APPROVED)),
        pending=Count("pk", filter=Q(status=CoordinatorProfile.Status.PENDING)),
    )


def person_pending_claims(person):
    return (
        PostClaim.objects.filter(person=person, status=PostClaim.Status.PENDING)
        .select_related("post")
        .prefetch_related("post__schemes")
    )
