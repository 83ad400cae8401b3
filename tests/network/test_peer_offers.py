"""What people offer and look for, structured: chosen on the profile (through the register's
hook), shown on the directory's cards, found by its search and its filter, only when shown."""

import pytest
from django.urls import reverse

from coordinators.models import Topic
from coordinators.services import RegisterError, profile_update
from network.models import PeerProfile
from network.services import directory_sync, peer_offers_set
from tests.helpers import login, profile_form_data
from tests.learning.pathway_factories import CompetencyFactory

from .directory_factories import person_in_post

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")
DIRECTORY = reverse("directory")
# Names no other text of a page contains: found in the HTML only if shown.
OFFERED = "Quincaillerie argumentative"
SOUGHT = "Zythologie territoriale"


def test_the_profile_form_shows_and_saves_offers_and_needs(client, coordinator):
    competency = CompetencyFactory(name="Plaidoyer quixotique")
    CompetencyFactory(name="Compétence retirée", is_active=False)
    topic = Topic.objects.get_or_create(name="Santé mentale")[0]
    login(client, coordinator)

    page = client.get(PROFILE).content.decode()
    for label in (
        "Je peux aider sur (compétences)",
        "Je peux aider sur (thèmes)",
        "Je recherche (compétences)",
        "Je recherche (thèmes)",
    ):
        assert label in page
    assert 'data-search="multiple"' in page
    assert "Compétence retirée" not in page  # only active competencies are offered

    response = client.post(
        PROFILE,
        profile_form_data(
            coordinator,
            offered_competencies=[competency.pk],
            offered_topics=[topic.pk],
            sought_topics=[topic.pk],
            can_help_with="Le plaidoyer auprès des élus",
        ),
    )

    assert response.status_code == 302
    peer = PeerProfile.objects.get(person=coordinator)
    assert list(peer.offered_competencies.all()) == [competency]
    assert list(peer.offered_topics.all()) == [topic]
    assert list(peer.sought_competencies.all()) == []
    assert list(peer.sought_topics.all()) == [topic]
    coordinator.coordinator_profile.refresh_from_db()
    assert coordinator.coordinator_profile.can_help_with == "Le plaidoyer auprès des élus"
    # Shown again, chosen.
    page = client.get(PROFILE).content.decode()
    assert f'<option value="{competency.pk}" selected>Plaidoyer quixotique</option>' in page


@pytest.mark.parametrize("bad", ["abc", "999999", "99999999999999999999", "-1"])
def test_bad_ids_are_a_form_error(client, coordinator, bad):
    competency = CompetencyFactory()
    peer_offers_set(person=coordinator, offered_competencies=[competency])
    login(client, coordinator)

    response = client.post(
        PROFILE,
        profile_form_data(coordinator, offered_competencies=[bad], can_help_with="Changé"),
    )

    assert response.status_code == 200
    assert "Choisissez dans la liste" in response.content.decode()
    # Nothing half-saved.
    assert list(PeerProfile.objects.get(person=coordinator).offered_competencies.all()) == [
        competency
    ]
    coordinator.coordinator_profile.refresh_from_db()
    assert coordinator.coordinator_profile.can_help_with != "Changé"


def test_a_deactivated_competency_is_refused_unless_already_chosen(client, coordinator):
    kept = CompetencyFactory(name="Ancienne compétence")
    peer_offers_set(person=coordinator, offered_competencies=[kept])
    kept.is_active = False
    kept.save()
    other = CompetencyFactory(name="Autre ancienne", is_active=False)
    login(client, coordinator)

    # The one already chosen stays a choice, and is kept on saving.
    assert "Ancienne compétence" in client.get(PROFILE).content.decode()
    response = client.post(PROFILE, profile_form_data(coordinator, offered_competencies=[kept.pk]))
    assert response.status_code == 302
    response = client.post(PROFILE, profile_form_data(coordinator, offered_competencies=[other.pk]))
    assert response.status_code == 200
    assert list(PeerProfile.objects.get(person=coordinator).offered_competencies.all()) == [kept]


def person_offering(shows, **names):
    competency = CompetencyFactory(name=OFFERED)
    sought = Topic.objects.create(name=SOUGHT)
    profile = person_in_post(last_name="Offrant", shows=shows)
    peer_offers_set(person=profile.user, offered_competencies=[competency], sought_topics=[sought])
    return profile, competency


def directory(client, user, **params):
    login(client, user)
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert b"!!UNKNOWN" not in response.content
    return response


def found(response):
    return [entry.person.last_name for entry in response.context["page"]]


def test_shown_offers_are_on_the_card_found_and_filterable(client, coordinator):
    _profile, competency = person_offering(["can_help_with", "looking_for"])
    person_in_post(last_name="Autre", shows=["can_help_with", "looking_for"])

    results = directory(client, coordinator).content.decode().split('id="resultats"')[1]
    assert OFFERED in results and SOUGHT in results
    assert found(directory(client, coordinator, q="quincaillerie")) == ["Offrant"]
    assert found(directory(client, coordinator, q="zythologie")) == ["Offrant"]
    response = directory(client, coordinator, competency=competency.pk)
    assert found(response) == ["Offrant"]
    assert "Peut aider sur" in response.content.decode()  # the filter's label


def test_hidden_offers_are_neither_shown_found_nor_filterable(client, coordinator):
    _profile, competency = person_offering(["email"])

    response = directory(client, coordinator)
    assert found(response) == ["Offrant"]  # in post: listed, but nothing of what they offer
    results = response.content.decode().split('id="resultats"')[1]  # not the filters' choices
    assert SOUGHT not in results and OFFERED not in results
    assert found(directory(client, coordinator, q="quincaillerie")) == []
    assert found(directory(client, coordinator, q="zythologie")) == []
    assert found(directory(client, coordinator, competency=competency.pk)) == []


def test_hiding_later_removes_them_from_search_and_filter(client, coordinator):
    profile, competency = person_offering(["can_help_with"])
    assert found(directory(client, coordinator, competency=competency.pk)) == ["Offrant"]
    assert found(directory(client, coordinator, q="zythologie")) == []  # looking_for hidden

    profile.directory_fields = []
    profile.save()

    assert found(directory(client, coordinator, competency=competency.pk)) == []
    assert found(directory(client, coordinator, q="quincaillerie")) == []


def test_a_bad_filter_value_is_left_out(client, coordinator):
    person_offering(["can_help_with"])
    response = directory(client, coordinator, competency="abc")
    assert found(response) == ["Offrant"]


def test_directory_sync_notices_a_changed_offer(coordinator):
    profile, competency = person_offering(["can_help_with"])
    directory_sync()
    assert directory_sync() == 0
    peer_offers_set(person=profile.user, offered_competencies=[])
    assert directory_sync() == 1


def test_a_refused_offer_leaves_the_whole_profile_unsaved(coordinator):
    """The network saves through the register's hook, inside the profile's transaction."""
    retired = CompetencyFactory(name="Compétence retirée", is_active=False)
    profile = coordinator.coordinator_profile
    profile.can_help_with = "Changé"
    with pytest.raises(RegisterError, match="plus proposée"):
        profile_update(user=coordinator, profile=profile, extra={"offered_competencies": [retired]})
    profile.refresh_from_db()
    assert profile.can_help_with != "Changé"
    assert not PeerProfile.objects.filter(person=coordinator).exists()
