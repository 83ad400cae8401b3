"""The demo's peer network: what coordinators offer and look for, and what they show of it.

The demo accounts' offers and needs are in `data/accounts.yaml`; the register's coordinators in
post get theirs drawn from `data/peers.yaml` (by the types of their schemes, and whether they are
new), each from a draw of their own (seeded by their address), through the profile's service as
if they had filled it in: their profile's hook saves them. A person who already has a
`PeerProfile` is left as they are, so running it again changes nothing.
"""

import random
from datetime import timedelta

from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import User
from competencies.models import Competency
from coordinators.models import Tenure, Topic
from coordinators.selectors import tenures_in_post
from coordinators.services import profile_update
from network.models import PeerProfile
from network.services import peer_offers_set

from . import loaders
from .draws import SEED


@loaders.record
class Span:
    least: int
    most: int


@loaders.record
class Needs:
    newcomer: tuple[str, ...]
    experienced: tuple[str, ...]


@loaders.record
class PeersData:
    share_offering: float
    offers_per_person: Span
    needs_per_person: Span
    share_showing_needs: float
    offers: dict[str, tuple[str, ...]]
    needs: Needs


def peers_data(known) -> PeersData:
    """`data/peers.yaml`, every name checked against `known` (competencies and topics)."""
    data = loaders.read_yaml("peers.yaml", PeersData)
    for where, names in [
        *((f"offers.{kind}", names) for kind, names in data.offers.items()),
        ("needs.newcomer", data.needs.newcomer),
        ("needs.experienced", data.needs.experienced),
    ]:
        unknown = [name for name in names if name not in known]
        if unknown:
            raise loaders.DataError(
                f"demo/data/peers.yaml : {where} : « {', '.join(unknown)} » n’est ni une "
                "compétence ni une thématique."
            )
    return data


def _split(names, competencies, topics):
    return {
        "competencies": [competencies[n] for n in names if n in competencies],
        "topics": [topics[n] for n in names if n in topics],
    }


def _seed_accounts(users, competencies, topics):
    """What the demo accounts offer and look for (accounts.yaml)."""
    for account in loaders.accounts().accounts:
        if not (account.offers or account.needs):
            continue
        unknown = [
            n for n in (*account.offers, *account.needs) if n not in {**competencies, **topics}
        ]
        if unknown:
            raise ValueError(f"accounts.yaml: {account.key}: unknown {', '.join(unknown)}")
        offers = _split(account.offers, competencies, topics)
        needs = _split(account.needs, competencies, topics)
        peer_offers_set(
            person=users[account.email],
            offered_competencies=offers["competencies"],
            offered_topics=offers["topics"],
            sought_competencies=needs["competencies"],
            sought_topics=needs["topics"],
        )


def _register_people(today):
    """The register's coordinators in post who have no `PeerProfile` yet (the demo accounts
    excepted): [(user, the types of their schemes, their first day on a post)]."""
    demo = {account.email for account in loaders.accounts().accounts}
    kinds = {}
    for person_id, kind in tenures_in_post(today).values_list("person_id", "post__schemes__kind"):
        kinds.setdefault(person_id, set()).add(kind)
    first = dict(
        Tenure.objects.filter(person_id__in=list(kinds))
        .values("person_id")
        .annotate(first=Min("started_on"))
        .values_list("person_id", "first")
        .order_by()
    )
    people = (
        User.objects.filter(pk__in=list(kinds), peer_profile__isnull=True)
        .exclude(email__in=demo)
        .select_related("coordinator_profile")
        .order_by("email")
    )
    return [(user, sorted(kinds[user.pk]), first[user.pk]) for user in people]


def _draw(rng, names, span):
    names = list(dict.fromkeys(names))
    return rng.sample(names, min(len(names), rng.randint(span.least, span.most)))


def _seed_register_people(data, competencies, topics, today):
    """Offers and needs of the register's coordinators, and whether they show what they look
    for; returns how many were written."""
    written = 0
    for user, kinds, first_day in _register_people(today):
        rng = random.Random(f"{SEED}:peers:{user.email}")
        newcomer = first_day > today - timedelta(days=365)
        offers = []
        if not newcomer and rng.random() < data.share_offering:
            pool = [name for kind in kinds for name in data.offers.get(kind, ())]
            offers = _draw(rng, pool, data.offers_per_person)
        needs = _draw(
            rng,
            data.needs.newcomer if newcomer else data.needs.experienced,
            data.needs_per_person,
        )
        profile = user.coordinator_profile
        shown = list(profile.directory_fields or [])
        if shown and "looking_for" not in shown and rng.random() < data.share_showing_needs:
            profile.directory_fields = sorted([*shown, "looking_for"])
        offered, sought = _split(offers, competencies, topics), _split(needs, competencies, topics)
        profile_update(
            user=user,
            profile=profile,
            extra={
                "offered_competencies": offered["competencies"],
                "offered_topics": offered["topics"],
                "sought_competencies": sought["competencies"],
                "sought_topics": sought["topics"],
            },
        )
        written += 1
    return written


def seed_peer_offers(users, *, today=None):
    """Idempotent. What coordinators offer and look for, structured (after the framework and
    the topics exist). Returns the figures `seed_demo` prints."""
    today = today or timezone.localdate()
    competencies = {c.name: c for c in Competency.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    data = peers_data({**competencies, **topics})
    _seed_accounts(users, competencies, topics)
    _seed_register_people(data, competencies, topics, today)
    offering = Q(offered_competencies__isnull=False) | Q(offered_topics__isnull=False)
    seeking = Q(sought_competencies__isnull=False) | Q(sought_topics__isnull=False)
    return {
        "pairs qui proposent leur aide": PeerProfile.objects.filter(offering).distinct().count(),
        "pairs qui disent ce qu’ils recherchent": (
            PeerProfile.objects.filter(seeking).distinct().count()
        ),
    }
