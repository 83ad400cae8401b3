"""Reads of tutoring: the tutors the platform suggests to a newcomer, a person's pairs, a pair's
page (sessions and notes), and the staff's overview. Each runs a fixed number of queries,
whatever the number of coordinators."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from coordinators.models import CoordinatorProfile, Tenure
from coordinators.selectors import add_months, tenures_in_post

from ..models import PeerProfile
from ..models.tutoring import TutoringNote, TutoringPair, TutoringSession
from .suggestions import NEIGHBOURS

TUTOR_MIN_YEARS = 3
NEWCOMER_MONTHS = 12
SUGGESTIONS = 6


def near(codes):
    """The départements `codes` and their neighbours."""
    found = set(codes)
    for code in codes:
        found |= NEIGHBOURS.get(code, set())
    return found


def _posts_today(person_ids, today):
    """person id → {(scheme kind, département code, département name)} of their posts today."""
    rows = (
        tenures_in_post(today)
        .filter(person_id__in=person_ids, post__schemes__status__in=("active", "renewing"))
        .values_list(
            "person_id",
            "post__schemes__kind",
            "post__schemes__department__code",
            "post__schemes__department__name",
        )
        .distinct()
    )
    found = {}
    for person_id, kind, code, name in rows:
        found.setdefault(person_id, set()).add((kind, code, name))
    return found


def active_pairs_count(tutor_ids):
    """tutor id → how many active pairs they have (one query)."""
    return dict(
        TutoringPair.objects.filter(tutor_id__in=tutor_ids, status=TutoringPair.Status.ACTIVE)
        .values_list("tutor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def room_left(tutor):
    """How many more newcomers `tutor` accepts now (capacity minus active pairs)."""
    capacity = (
        PeerProfile.objects.filter(person=tutor).values_list("tutoring_capacity", flat=True).first()
    )
    return (capacity or 0) - active_pairs_count([tutor.pk]).get(tutor.pk, 0)


@dataclass
class Suggestion:
    tutor: User
    reasons: list = field(default_factory=list)
    room: int = 0


def tutor_suggestions(person, today=None, *, limit=SUGGESTIONS, exclude=()):
    """Possible tutors for `person`: in post for at least three years (their first post), on a
    scheme of the same type, in the same or a neighbouring département, with room left (their
    tutoring capacity minus their active pairs), best first: same département, then longest in
    post. Each says why, without revealing a field the tutor hides. Six queries."""
    today = today or date.today()
    mine = _posts_today([person.pk], today).get(person.pk, set())
    kinds = {kind for kind, _code, _name in mine}
    codes = {code for _kind, code, _name in mine}
    if not mine:
        return []
    cutoff = add_months(today, -12 * TUTOR_MIN_YEARS)
    volunteers = PeerProfile.objects.filter(tutoring_capacity__gt=0).values("person_id")
    # Evaluated first (a few hundred ids at most): a nested IN (SELECT DISTINCT …) made
    # PostgreSQL plan nested loops over the whole register right after a bulk load.
    candidates = list(
        tenures_in_post(today)
        .filter(
            person__in=volunteers,
            person__is_active=True,
            post__schemes__kind__in=kinds,
            post__schemes__department__code__in=near(codes),
        )
        .exclude(person=person)
        .exclude(person_id__in=list(exclude))
        .values_list("person_id", flat=True)
        .distinct()
    )
    first_starts = dict(
        Tenure.objects.filter(person_id__in=candidates, started_on__lte=today)
        .values("person_id")
        .annotate(first=Min("started_on"))
        .filter(first__lte=cutoff)
        .values_list("person_id", "first")
        .order_by()
    )
    capacities = dict(
        PeerProfile.objects.filter(person_id__in=list(first_starts)).values_list(
            "person_id", "tutoring_capacity"
        )
    )
    active = active_pairs_count(list(first_starts))
    rooms = {pk: capacities.get(pk, 0) - active.get(pk, 0) for pk in first_starts}
    ids = [pk for pk, room in rooms.items() if room > 0]
    posts = _posts_today(ids, today)

    def rank(pk):
        same_department = any(code in codes for _kind, code, _name in posts.get(pk, ()))
        return (not same_department, first_starts[pk], pk)

    ids = sorted(ids, key=rank)[:limit]
    people = User.objects.filter(pk__in=ids, coordinator_profile__status="approved").in_bulk()
    profiles = {
        p.user_id: p
        for p in CoordinatorProfile.objects.filter(user_id__in=ids).only(
            "user_id", "directory_fields"
        )
    }
    suggestions = []
    for pk in ids:
        if pk not in people:
            continue
        theirs = posts.get(pk, set())
        shared = sorted({kind for kind, _code, _name in theirs} & kinds)
        reasons = [
            "même type de dispositif (" + ", ".join(shared) + ")",
            ", ".join(sorted({name for _kind, _code, name in theirs})),
        ]
        profile = profiles.get(pk)
        if profile is not None and profile.shows("seniority"):
            years = (today - first_starts[pk]).days // 365
            reasons.append(f"{years} ans d’ancienneté")
        else:
            reasons.append(f"plus de {TUTOR_MIN_YEARS} ans d’ancienneté")
        suggestions.append(Suggestion(tutor=people[pk], reasons=reasons, room=rooms[pk]))
    return suggestions


def tutors_with_room(person):
    """Everyone a newcomer may name as tutor: approved, active coordinators who accept newcomers
    and have room left, but the person themselves (one query when evaluated)."""
    active = (
        TutoringPair.objects.filter(tutor=OuterRef("person"), status=TutoringPair.Status.ACTIVE)
        .values("tutor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    with_room = (
        PeerProfile.objects.filter(tutoring_capacity__gt=0)
        .annotate(active=Coalesce(Subquery(active[:1]), 0))
        .filter(active__lt=F("tutoring_capacity"))
        .values("person")
    )
    return (
        User.objects.filter(
            pk__in=with_room, is_active=True, coordinator_profile__status="approved"
        )
        .exclude(pk=person.pk)
        .select_related("coordinator_profile__commune__department")
        .order_by("last_name", "first_name", "pk")
    )


def _pairs():
    return TutoringPair.objects.select_related("newcomer", "tutor", "proposed_by")


def has_tutor(person) -> bool:
    return TutoringPair.objects.filter(newcomer=person, status=TutoringPair.Status.ACTIVE).exists()


@dataclass
class MyTutoring:
    """What /entraide/tutorat/ shows a coordinator."""

    as_newcomer: TutoringPair | None  # the open request or the active pair
    past_as_newcomer: list  # declined, withdrawn and ended pairs
    to_answer: list  # requests waiting for their answer as tutor
    tutoring: list  # their active pairs as tutor
    past_as_tutor: list
    suggestions: list
    room: int  # how many more newcomers they accept as tutor
    experienced: bool  # in post for TUTOR_MIN_YEARS or more: a tutor, not a newcomer


def is_experienced(person, today=None) -> bool:
    """Whether `person` took their first post TUTOR_MIN_YEARS years ago or more (one query)."""
    today = today or date.today()
    first = Tenure.objects.filter(person=person, started_on__lte=today).aggregate(
        first=Min("started_on")
    )["first"]
    return first is not None and first <= add_months(today, -12 * TUTOR_MIN_YEARS)


def my_tutoring(person, today=None) -> MyTutoring:
    """A coordinator's tutoring, both sides; suggestions while they have neither a request
    waiting nor a tutor. A fixed number of queries."""
    today = today or date.today()
    pairs = list(
        _pairs().filter(Q(newcomer=person) | Q(tutor=person)).order_by("-requested_at", "-pk")
    )
    mine = [p for p in pairs if p.newcomer_id == person.pk]
    theirs = [p for p in pairs if p.tutor_id == person.pk]
    as_newcomer = next((p for p in mine if p.status in TutoringPair.OPEN), None)
    declined_by = [p.tutor_id for p in mine if p.status == TutoringPair.Status.DECLINED]
    suggestions = [] if as_newcomer else tutor_suggestions(person, today, exclude=declined_by)
    capacity = (
        PeerProfile.objects.filter(person=person)
        .values_list("tutoring_capacity", flat=True)
        .first()
        or 0
    )
    active = [p for p in theirs if p.status == TutoringPair.Status.ACTIVE]
    return MyTutoring(
        as_newcomer=as_newcomer,
        past_as_newcomer=[p for p in mine if p is not as_newcomer],
        to_answer=[p for p in theirs if p.status == TutoringPair.Status.REQUESTED],
        tutoring=active,
        past_as_tutor=[p for p in theirs if p.status not in TutoringPair.OPEN],
        suggestions=suggestions,
        room=capacity - len(active),
        experienced=is_experienced(person, today),
    )


def pair_for(pk, *, user, access):
    """A pair its members and staff may open (raises TutoringPair.DoesNotExist otherwise),
    with its sessions' events and its notes' authors."""
    pairs = _pairs().prefetch_related(
        Prefetch(
            "sessions",
            queryset=TutoringSession.objects.select_related("event").order_by("event__starts_at"),
        ),
        Prefetch("notes", queryset=TutoringNote.objects.select_related("author")),
    )
    if not access.can("tutoring.manage"):
        pairs = pairs.filter(Q(newcomer=user) | Q(tutor=user))
    return pairs.get(pk=pk)


def pair_to_answer(pk, *, user):
    """A request waiting for `user`'s answer as tutor (raises TutoringPair.DoesNotExist)."""
    return _pairs().get(pk=pk, tutor=user)


@dataclass
class Overview:
    """The staff's view: requests waiting, active pairs, ended pairs, and the newcomers of the
    last twelve months without a tutor."""

    waiting: list
    active: list
    ended: list
    without_tutor: list  # [(user, arrived on, their pending request or None)]


ENDED_SHOWN = 50


def tutoring_overview(today=None) -> Overview:
    """Six queries, whatever the size of the network."""
    today = today or date.today()
    pairs = _pairs().order_by("-requested_at", "-pk")
    waiting = list(pairs.filter(status=TutoringPair.Status.REQUESTED))
    active = list(pairs.filter(status=TutoringPair.Status.ACTIVE).order_by("started_on", "pk"))
    ended = list(pairs.filter(status=TutoringPair.Status.ENDED).order_by("-ended_on")[:ENDED_SHOWN])
    since = add_months(today, -NEWCOMER_MONTHS)
    # Newcomers to the job (their first post, not a change of post), in post today.
    arrivals = dict(
        Tenure.objects.filter(person__in=tenures_in_post(today).values("person_id"))
        .exclude(
            person__in=TutoringPair.objects.filter(status=TutoringPair.Status.ACTIVE).values(
                "newcomer"
            )
        )
        .values("person_id")
        .annotate(arrived=Min("started_on"))
        .filter(arrived__gt=since)
        .values_list("person_id", "arrived")
        .order_by()
    )
    people = User.objects.filter(pk__in=list(arrivals)).order_by("last_name", "first_name", "pk")
    pending = {p.newcomer_id: p for p in waiting}
    return Overview(
        waiting=waiting,
        active=active,
        ended=ended,
        without_tutor=[(u, arrivals[u.pk], pending.get(u.pk)) for u in people],
    )


def proposable_tutors(newcomer, today=None):
    """For staff proposing a pair: the suggested tutors first, as (user, reasons, room)."""
    return tutor_suggestions(newcomer, today, limit=50)


def newcomer_arrival(person, today=None):
    """The day `person` took their current post (the latest tenure in post), or None."""
    today = today or date.today()
    return (
        tenures_in_post(today)
        .filter(person=person)
        .order_by("-started_on")
        .values_list("started_on", flat=True)
        .first()
    )


def upcoming_sessions(pair, now):
    return [s for s in pair.sessions.all() if s.event.ends_at >= now]


def tutoring_summary(person, today=None):
    """For the /entraide/ index: the person's tutor or pair, and the requests waiting for
    their answer (two queries)."""
    pairs = list(
        _pairs().filter(
            Q(newcomer=person, status__in=TutoringPair.OPEN)
            | Q(tutor=person, status__in=TutoringPair.OPEN)
        )
    )
    return {
        "experienced": is_experienced(person, today),
        "mine": next((p for p in pairs if p.newcomer_id == person.pk), None),
        "to_answer": [
            p
            for p in pairs
            if p.tutor_id == person.pk and p.status == TutoringPair.Status.REQUESTED
        ],
        "tutoring": [
            p for p in pairs if p.tutor_id == person.pk and p.status == TutoringPair.Status.ACTIVE
        ],
    }
