"""The demo's experienced coordinator offers "Plaidoyer" (structured): the directory's filter
"Peut aider sur" finds him for the newcomer."""

import pytest
from django.urls import reverse

from accounts.models import User
from competencies.models import Competency
from demo.loaders import accounts
from network.models import PeerProfile

pytestmark = pytest.mark.django_db


def test_the_experienced_coordinator_can_help_on_advocacy(demo_seeded, client):
    experienced = accounts().account("experienced").email
    peer = PeerProfile.objects.get(person__email=experienced)
    plaidoyer = Competency.objects.get(name="Plaidoyer")
    assert plaidoyer in peer.offered_competencies.all()
    assert peer.offered_topics.filter(name="Santé mentale").exists()

    client.force_login(User.objects.get(email=accounts().account("newcomer").email))
    response = client.get(reverse("directory"), {"competency": plaidoyer.pk})
    found = [entry.person.email for entry in response.context["page"]]
    assert found == [experienced]
    assert "Plaidoyer" in response.content.decode().split('id="resultats"')[1]
