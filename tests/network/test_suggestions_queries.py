"""Mon espace (with its suggested peers) and a peer's page run the same number of queries with
10 or 2,000 coordinators in the directory."""

import pytest
from django.urls import reverse

from competencies.models import Competency
from coordinators.models import Topic
from network.services import peer_offers_set
from tests.helpers import count_queries, login

from .directory_factories import bulk_people

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_the_home_and_a_peer_page_run_constant_queries(client, coordinator):
    first = bulk_people(10)[0]
    peer_offers_set(
        person=coordinator,
        sought_competencies=[Competency.objects.get(name="Plaidoyer des masses")],
        sought_topics=[Topic.objects.get(name="Santé mentale")],
    )
    login(client, coordinator)
    peer = reverse("peer", args=[first.pk])
    count_queries(client, HOME)  # the first page after a change writes the new entries
    small = count_queries(client, HOME), count_queries(client, peer)
    suggested = client.get(HOME).context["suggestions"]
    assert len(suggested) == 5 and "peut aider sur" in suggested[0].reason

    bulk_people(1_990)
    count_queries(client, HOME)  # the first page after a change writes the new entries
    large = count_queries(client, HOME), count_queries(client, peer)

    assert small == large
    assert "Pourquoi cette personne" in client.get(peer).content.decode()
