"""Writes of the peer network: what people offer and look for, and the directory's entries,
rebuilt from the register.

The register and the profiles live on a lower floor, which cannot call this one; until it
announces its changes on a hook, `directory_sync` compares the whole register with the entries
(a fixed handful of queries) and writes only what changed. The directory runs it before each
search, so an entry is never staler than the page: a field hidden a second ago is not found.
`manage.py directory_sync` runs it by hand.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import transaction
from django.db.models import Min

from coordinators.models import CoordinatorProfile, Scheme, Tenure
from coordinators.selectors import CURRENT_SCHEMES, tenures_in_post
from coordinators.services import RegisterError
from core.text import fold

from ..models import DirectoryEntry, PeerProfile
from ..models.notes import ExperienceNote
from ..search import document_of


@transaction.atomic
def peer_offers_set(
    *,
    person,
    offered_competencies=None,
    offered_topics=None,
    sought_competencies=None,
    sought_topics=None,
) -> PeerProfile:
    """Set what `person` offers to peers and looks for (None: left as it is). A competency
    must be active, unless the person had already chosen it (a deactivated one is kept)."""
    peer, _created = PeerProfile.objects.get_or_create(person=person)
    chosen = {
        "offered_competencies": offered_competencies,
        "offered_topics": offered_topics,
        "sought_competencies": sought_competencies,
        "sought_topics": sought_topics,
    }
    for name, items in chosen.items():
        if items is None:
            continue
        items = list(items)
        if name.endswith("competencies"):
            kept = set(getattr(peer, name).values_list("pk", flat=True))
            inactive = [c for c in items if not c.is_active and c.pk not in kept]
            if inactive:
                raise RegisterError(
                    "Cette compétence n'est plus proposée : "
                    + ", ".join(str(c) for c in inactive)
                    + "."
                )
        getattr(peer, name).set(items)
    return peer


def peer_exchanges_set(*, person, **settings) -> PeerProfile:
    """How `person` takes part in exchanges: `accepts_messages`, `tutoring_capacity`,
    `question_alerts` (those given change; the others stay)."""
    peer, _created = PeerProfile.objects.get_or_create(person=person)
    for name, value in settings.items():
        setattr(peer, name, value)
    peer.full_clean()
    peer.save(update_fields=list(settings))
    return peer


@dataclass(frozen=True)
class EntryData:
    """What one entry should hold; equal to the stored entry when nothing changed."""

    profile_id: int
    in_post: bool
    department_id: int | None
    commune_id: int | None
    seniority_since: date | None
    background_id: int | None
    sort_name: str
    name: str
    document: str
    scheme_ids: frozenset
    topic_ids: frozenset
    competency_ids: frozenset

    FIELDS = (
        "profile_id",
        "in_post",
        "department_id",
        "commune_id",
        "seniority_since",
        "background_id",
        "sort_name",
        "name",
        "document",
    )


def _profiles():
    return (
        CoordinatorProfile.objects.filter(
            status=CoordinatorProfile.Status.APPROVED, user__is_active=True
        )
        .values(
            "pk",
            "user_id",
            "user__first_name",
            "user__last_name",
            "commune_id",
            "commune__name",
            "commune__department_id",
            "background_id",
            "background__name",
            "directory_fields",
            "job_title",
            "employer",
            "can_help_with",
            "looking_for",
        )
        .order_by()
    )


def _schemes_in_post(today):
    """person id → [(scheme id, kind, name, département id)] of the posts they hold today."""
    tenures = tenures_in_post(today)
    posts_of = {}
    for person_id, post_id in tenures.values_list("person_id", "post_id"):
        posts_of.setdefault(post_id, set()).add(person_id)
    links = Scheme.posts.through.objects.filter(
        post_id__in=tenures.values("post_id"), scheme__status__in=CURRENT_SCHEMES
    ).values_list("post_id", "scheme_id", "scheme__kind", "scheme__name", "scheme__department_id")
    schemes = {}
    for post_id, *scheme in links:
        for person_id in posts_of[post_id]:
            schemes.setdefault(person_id, set()).add(tuple(scheme))
    return {person_id: sorted(found, key=lambda s: s[2]) for person_id, found in schemes.items()}


def _first_starts(today):
    """person id → the day they first took a coordination post (their seniority)."""
    return dict(
        Tenure.objects.filter(person__isnull=False, started_on__lte=today)
        .values("person_id")
        .annotate(first=Min("started_on"))
        .values_list("person_id", "first")
        .order_by()
    )


def _topics():
    """profile id → [(topic id, name)]."""
    topics = {}
    links = CoordinatorProfile.topics.through.objects.values_list(
        "coordinatorprofile_id", "topic_id", "topic__name"
    )
    for profile_id, topic_id, name in links:
        topics.setdefault(profile_id, []).append((topic_id, name))
    return topics


def _peer_offers():
    """(offers, needs): person id → [(competency id or None, name)] of what they offer (help
    with) and look for, competencies and topics alike."""
    through = PeerProfile.offered_competencies.through, PeerProfile.sought_competencies.through
    topics = PeerProfile.offered_topics.through, PeerProfile.sought_topics.through
    found = ({}, {})
    for side in (0, 1):
        links = through[side].objects.values_list(
            "peerprofile_id", "competency_id", "competency__name"
        )
        for person_id, competency_id, name in links.order_by("competency__name"):
            found[side].setdefault(person_id, []).append((competency_id, name))
        links = topics[side].objects.values_list("peerprofile_id", "topic__name")
        for person_id, name in links.order_by("topic__name"):
            found[side].setdefault(person_id, []).append((None, name))
    return found


def _published_notes():
    """person id → the titles and topics of the experience notes they published (searched:
    the directory's search covers them). Two queries."""
    published = ExperienceNote.objects.filter(status=ExperienceNote.Status.PUBLISHED)
    texts = {}
    for person_id, title in published.values_list("author_id", "title").order_by("pk"):
        texts.setdefault(person_id, []).append(title)
    links = ExperienceNote.topics.through.objects.filter(experiencenote__in=published)
    for person_id, name in links.values_list("experiencenote__author_id", "topic__name").order_by(
        "experiencenote_id", "topic__name"
    ):
        texts.setdefault(person_id, []).append(name)
    return texts


def _wanted(today):
    """person id → EntryData: coordinators in post, and those who chose to show something."""
    schemes = _schemes_in_post(today)
    first_starts = _first_starts(today)
    topics = _topics()
    offers, needs = _peer_offers()
    notes = _published_notes()
    wanted = {}
    for row in _profiles():
        person_id, shown = row["user_id"], set(row["directory_fields"] or ())
        in_post = person_id in schemes
        if not in_post and not shown:
            continue
        person_schemes = schemes.get(person_id, [])
        person_topics = topics.get(row["pk"], []) if "topics" in shown else []
        first, last = row["user__first_name"], row["user__last_name"]
        department_id = row["commune__department_id"] or next(
            (scheme[3] for scheme in person_schemes), None
        )
        searched = [
            first,
            last,
            row["commune__name"],
            *(f"{kind} {name}" for _pk, kind, name, _dept in person_schemes),
            *(name for _pk, name in person_topics),
        ]
        if "job" in shown:
            searched += [row["job_title"], row["employer"]]
        if "background" in shown:
            searched.append(row["background__name"])
        person_offers = offers.get(person_id, []) if "can_help_with" in shown else []
        if "can_help_with" in shown:
            searched.append(row["can_help_with"])
            searched += [name for _pk, name in person_offers]
        if "looking_for" in shown:
            searched.append(row["looking_for"])
            searched += [name for _pk, name in needs.get(person_id, [])]
        searched += notes.get(person_id, [])
        wanted[person_id] = EntryData(
            profile_id=row["pk"],
            in_post=in_post,
            department_id=department_id,
            commune_id=row["commune_id"],
            seniority_since=first_starts.get(person_id) if "seniority" in shown else None,
            background_id=row["background_id"] if "background" in shown else None,
            **_texts(first, last, tuple(searched)),
            scheme_ids=frozenset(scheme[0] for scheme in person_schemes),
            topic_ids=frozenset(topic_id for topic_id, _name in person_topics),
            competency_ids=frozenset(pk for pk, _name in person_offers if pk is not None),
        )
    return wanted


@lru_cache(maxsize=20_000)
def _texts(first, last, searched):
    """The folded texts of an entry (remembered: folding every profile on every page would
    cost more than reading them)."""
    return {
        "sort_name": fold(f"{last} {first}")[:320],
        "name": document_of(first, last)[:320],
        "document": document_of(*searched),
    }


def _stored():
    """person id → EntryData as the entries hold it."""
    schemes, topics, competencies = {}, {}, {}
    for entry_id, scheme_id in DirectoryEntry.schemes.through.objects.values_list(
        "directoryentry_id", "scheme_id"
    ):
        schemes.setdefault(entry_id, set()).add(scheme_id)
    for entry_id, topic_id in DirectoryEntry.topics.through.objects.values_list(
        "directoryentry_id", "topic_id"
    ):
        topics.setdefault(entry_id, set()).add(topic_id)
    for entry_id, competency_id in DirectoryEntry.competencies.through.objects.values_list(
        "directoryentry_id", "competency_id"
    ):
        competencies.setdefault(entry_id, set()).add(competency_id)
    return {
        row["person_id"]: EntryData(
            **{name: row[name] for name in EntryData.FIELDS},
            scheme_ids=frozenset(schemes.get(row["person_id"], ())),
            topic_ids=frozenset(topics.get(row["person_id"], ())),
            competency_ids=frozenset(competencies.get(row["person_id"], ())),
        )
        for row in DirectoryEntry.objects.values("person_id", *EntryData.FIELDS).order_by()
    }


def directory_sync(*, today=None) -> int:
    """Bring the directory's entries in line with the register and the profiles; returns how
    many entries were written or removed (0 when nothing changed: then it only read)."""
    today = today or date.today()
    wanted, stored = _wanted(today), _stored()
    gone = [person_id for person_id in stored if person_id not in wanted]
    changed = {
        person_id: data for person_id, data in wanted.items() if stored.get(person_id) != data
    }
    if not gone and not changed:
        return 0
    # Two pages syncing at once write the same rows: the second one finds them there.
    with transaction.atomic():
        DirectoryEntry.objects.filter(person_id__in=gone + list(changed)).delete()
        DirectoryEntry.objects.bulk_create(
            [
                DirectoryEntry(
                    person_id=person_id, **{name: getattr(data, name) for name in EntryData.FIELDS}
                )
                for person_id, data in changed.items()
            ],
            ignore_conflicts=True,
        )
        DirectoryEntry.schemes.through.objects.bulk_create(
            [
                DirectoryEntry.schemes.through(directoryentry_id=person_id, scheme_id=scheme_id)
                for person_id, data in changed.items()
                for scheme_id in data.scheme_ids
            ],
            ignore_conflicts=True,
        )
        DirectoryEntry.topics.through.objects.bulk_create(
            [
                DirectoryEntry.topics.through(directoryentry_id=person_id, topic_id=topic_id)
                for person_id, data in changed.items()
                for topic_id in data.topic_ids
            ],
            ignore_conflicts=True,
        )
        DirectoryEntry.competencies.through.objects.bulk_create(
            [
                DirectoryEntry.competencies.through(
                    directoryentry_id=person_id, competency_id=competency_id
                )
                for person_id, data in changed.items()
                for competency_id in data.competency_ids
            ],
            ignore_conflicts=True,
        )
    return len(gone) + len(changed)
