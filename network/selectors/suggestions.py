"""Suggested peers: who in the directory could help a coordinator, and why, in French.

Built on `DirectoryEntry`, which holds only what each person shows, so that neither the ranking
nor the reasons can reveal a hidden field: a person's competencies count only if they show
"can_help_with" (the entry holds none otherwise; their topics offered are read under the same
condition), their seniority only if they show it. Scheme types, département and commune are
always public in the network.

A suggestion's score: what the reader looks for that the person offers (each match counts most),
the same scheme type, the same or a neighbouring département, and experience (worth more to a
newcomer). One query ranks the whole directory, whatever its size; a fixed handful load the
reader and the reasons.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from coordinators.models import Scheme
from coordinators.selectors import add_months, person_is_newcomer

from ..models import DirectoryEntry, PeerProfile

# Île-de-France: which départements border which (symmetric; tested).
NEIGHBOURS = {
    "75": {"92", "93", "94"},
    "77": {"91", "93", "94", "95"},
    "78": {"91", "92", "95"},
    "91": {"77", "78", "92", "94"},
    "92": {"75", "78", "91", "93", "94", "95"},
    "93": {"75", "77", "92", "94", "95"},
    "94": {"75", "77", "91", "92", "93"},
    "95": {"77", "78", "92", "93"},
}

# What weighs in a suggestion.
MATCH = 3  # each competency or topic the reader looks for that the person offers
SAME_KIND = 2
SAME_DEPARTMENT = 2
NEIGHBOURING_DEPARTMENT = 1
EXPERIENCED_YEARS = 3  # shown seniority from which a peer counts as experienced
EXPERIENCED_FOR_NEWCOMER = 2
EXPERIENCED_FOR_OTHERS = 1

SUGGESTIONS_SHOWN = 5


@dataclass(frozen=True)
class Seeker:
    """The reader as suggestions see them: what they look for, where they work."""

    person_id: int
    competency_ids: frozenset = frozenset()
    topic_ids: frozenset = frozenset()
    kinds: frozenset = frozenset()
    department_code: str | None = None
    is_newcomer: bool = False
    today: date = field(default_factory=date.today)

    @property
    def seeks_something(self):
        return bool(self.competency_ids or self.topic_ids)

    @property
    def neighbours(self):
        return NEIGHBOURS.get(self.department_code, set())


@dataclass
class Suggestion:
    entry: DirectoryEntry
    reasons: list

    @property
    def reason(self):
        """The reasons as one French phrase: "même type de dispositif (CLS), 6 ans…"."""
        return ", ".join(self.reasons)


def seeker_of(person, today=None) -> Seeker:
    """What `person` looks for (their own choices: no privacy applies) and where they work, as
    the directory places them (their entry's département and schemes, else their commune)."""
    today = today or date.today()
    sought = PeerProfile.sought_competencies.through.objects.filter(peerprofile_id=person.pk)
    topics = PeerProfile.sought_topics.through.objects.filter(peerprofile_id=person.pk)
    placed = list(
        DirectoryEntry.objects.filter(person=person).values_list(
            "department__code", "schemes__kind"
        )
    )
    if placed:
        department_code = placed[0][0]
    else:
        profile = getattr(person, "coordinator_profile", None)
        commune = profile.commune if profile and profile.commune_id else None
        department_code = commune.department.code if commune else None
    return Seeker(
        person_id=person.pk,
        competency_ids=frozenset(sought.values_list("competency_id", flat=True)),
        topic_ids=frozenset(topics.values_list("topic_id", flat=True)),
        kinds=frozenset(kind for _code, kind in placed if kind),
        department_code=department_code,
        is_newcomer=person_is_newcomer(person, today),
        today=today,
    )


def _shows(field_name, prefix=""):
    """People who show `field_name`. JSON containment is not available on SQLite (the demo's
    database): the stored list's text is searched for the quoted key, which no other key
    contains."""
    return Q(**{f"{prefix}directory_fields__icontains": f'"{field_name}"'})


def _count(links, key):
    """The number of `links` rows per `key` (an OuterRef'd column), 0 when none."""
    counted = links.order_by().values(key).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _offered_competencies(seeker):
    """Links entry → competency the entry's person offers (and shows) that the seeker seeks."""
    return DirectoryEntry.competencies.through.objects.filter(
        competency_id__in=seeker.competency_ids
    )


def _offered_topics(seeker):
    """Links person → topic they offer, shown ("can_help_with"), that the seeker seeks."""
    return PeerProfile.offered_topics.through.objects.filter(
        _shows("can_help_with", "peerprofile__person__coordinator_profile__"),
        topic_id__in=seeker.topic_ids,
    )


def _scored(entries, seeker):
    """`entries` annotated with `score` (and its parts), the seeker left out."""
    if seeker.competency_ids:
        competencies = _count(
            _offered_competencies(seeker).filter(directoryentry_id=OuterRef("pk")),
            "directoryentry_id",
        )
    else:
        competencies = Value(0)
    if seeker.topic_ids:
        topics = _count(
            _offered_topics(seeker).filter(peerprofile_id=OuterRef("person_id")),
            "peerprofile_id",
        )
    else:
        topics = Value(0)
    same_kind = Exists(
        DirectoryEntry.schemes.through.objects.filter(
            directoryentry_id=OuterRef("pk"), scheme__kind__in=seeker.kinds
        )
    )
    places = []
    if seeker.department_code:
        places.append(When(department__code=seeker.department_code, then=Value(SAME_DEPARTMENT)))
    if seeker.neighbours:
        places.append(
            When(department__code__in=seeker.neighbours, then=Value(NEIGHBOURING_DEPARTMENT))
        )
    experienced_since = add_months(seeker.today, -12 * EXPERIENCED_YEARS)
    experience = EXPERIENCED_FOR_NEWCOMER if seeker.is_newcomer else EXPERIENCED_FOR_OTHERS
    return (
        entries.exclude(person_id=seeker.person_id)
        .annotate(
            matches=competencies + topics,
            kind_points=Case(When(same_kind, then=Value(SAME_KIND)), default=Value(0))
            if seeker.kinds
            else Value(0),
            place_points=Case(*places, default=Value(0)) if places else Value(0),
            experience_points=Case(
                When(seniority_since__lte=experienced_since, then=Value(experience)),
                default=Value(0),
            ),
        )
        .annotate(
            score=MATCH * Coalesce("matches", Value(0))
            + Coalesce("kind_points", Value(0))
            + Coalesce("place_points", Value(0))
            + Coalesce("experience_points", Value(0))
        )
    )


def _with_cards(entries):
    return entries.select_related(
        "person", "profile", "commune__department", "department"
    ).prefetch_related(Prefetch("schemes", queryset=Scheme.objects.order_by("kind", "name")))


def _years(since, today):
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _first_lower(name):
    """ "Plaidoyer" → "plaidoyer", but "ASV" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _reasons(suggestions, seeker):
    """Each suggestion's reasons, from what its entry shows: two queries for the whole list."""
    ids = [s.entry.person_id for s in suggestions]
    helps = {}
    if seeker.competency_ids:
        links = _offered_competencies(seeker).filter(directoryentry_id__in=ids)
        for person_id, name in links.values_list("directoryentry_id", "competency__name"):
            helps.setdefault(person_id, []).append(name)
    if seeker.topic_ids:
        links = _offered_topics(seeker).filter(peerprofile_id__in=ids)
        for person_id, name in links.values_list("peerprofile_id", "topic__name"):
            helps.setdefault(person_id, []).append(name)
    for suggestion in suggestions:
        entry, reasons = suggestion.entry, suggestion.reasons
        if entry.kind_points:
            kinds = sorted({s.kind for s in entry.schemes.all()} & seeker.kinds)
            reasons.append(f"même type de dispositif ({', '.join(kinds)})")
        if entry.place_points == SAME_DEPARTMENT:
            reasons.append("même département")
        elif entry.place_points:
            reasons.append(f"département voisin ({entry.department.name})")
        if entry.experience_points:
            years = _years(entry.seniority_since, seeker.today)
            reasons.append(f"{years} ans d’ancienneté")
        if names := sorted(helps.get(entry.person_id, []), key=str.casefold):
            reasons.append("peut aider sur : " + ", ".join(_first_lower(n) for n in names))
    return suggestions


def suggested_peers(access, seeker, limit=SUGGESTIONS_SHOWN):
    """The `limit` peers of the reader's directory best suited to `seeker`, best first, each
    with its reasons. Nobody who has nothing in common with them."""
    entries = _scored(access.scope(DirectoryEntry.objects.all(), "department"), seeker)
    ranked = _with_cards(entries.filter(score__gt=0)).order_by(
        "-score", "-matches", "sort_name", "person_id"
    )[:limit]
    return _reasons([Suggestion(entry, []) for entry in ranked], seeker)


def suggestion_for(access, seeker, entry):
    """Why `entry` (a peer of the reader's directory) is suggested to `seeker`, or None when they
    have nothing in common (or it is the seeker themselves)."""
    scored = _scored(access.scope(DirectoryEntry.objects.all(), "department"), seeker)
    found = _with_cards(scored.filter(pk=entry.pk, score__gt=0)).first()
    if found is None:
        return None
    return _reasons([Suggestion(found, [])], seeker)[0]
