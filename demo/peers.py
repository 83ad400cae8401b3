"""The demo's peer network: what coordinators offer and look for."""

from competencies.models import Competency
from coordinators.models import Topic
from network.services import peer_offers_set

from . import loaders


def seed_peer_offers(users):
    """What the demo accounts offer and look for, structured (after the framework and the
    topics exist): each name is a competency's or a topic's."""
    competencies = {c.name: c for c in Competency.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    for account in loaders.accounts().accounts:
        if not (account.offers or account.needs):
            continue
        unknown = [
            n for n in (*account.offers, *account.needs) if n not in {**competencies, **topics}
        ]
        if unknown:
            raise ValueError(f"accounts.yaml: {account.key}: unknown {', '.join(unknown)}")
        peer_offers_set(
            person=users[account.email],
            offered_competencies=[competencies[n] for n in account.offers if n in competencies],
            offered_topics=[topics[n] for n in account.offers if n in topics],
            sought_competencies=[competencies[n] for n in account.needs if n in competencies],
            sought_topics=[topics[n] for n in account.needs if n in topics],
        )
