"""How a person takes part in exchanges (messages from peers, tutoring capacity, question
alerts): set on the profile page, through the register's hook, with the rest of the profile."""

import re

import pytest
from django.urls import reverse

from network.models import PeerProfile
from tests.helpers import login, profile_form_data

pytestmark = pytest.mark.django_db

PROFILE = reverse("profile")


def tag(page, attributes):
    """The `<input>` tag of `page` holding `attributes`."""
    match = re.search(r"<input[^>]*" + re.escape(attributes) + r"[^>]*>", page)
    assert match, attributes
    return match.group()


def test_the_profile_shows_the_exchange_settings_with_their_defaults(client, coordinator):
    login(client, coordinator)

    page = client.get(PROFILE).content.decode()

    assert "Mes échanges avec les pairs" in page
    assert "Les pairs peuvent m’écrire par la plateforme" in page
    assert "checked" in tag(page, 'name="profile-accepts_messages"')  # on by default
    assert 'value="0"' in tag(page, 'name="profile-tutoring_capacity"')
    assert "checked" in tag(page, 'name="profile-question_alerts" value="digest"')


def test_the_settings_are_saved_with_the_profile(client, coordinator):
    login(client, coordinator)

    response = client.post(
        PROFILE,
        profile_form_data(
            coordinator, tutoring_capacity=2, question_alerts="instant", accepts_messages=""
        ),
    )

    assert response.status_code == 302
    peer = PeerProfile.objects.get(person=coordinator)
    assert (peer.accepts_messages, peer.tutoring_capacity, peer.question_alerts) == (
        False,
        2,
        "instant",
    )


def test_a_form_posted_without_them_keeps_the_number_and_the_choice(client, coordinator):
    PeerProfile.objects.create(person=coordinator, tutoring_capacity=3, question_alerts="off")
    login(client, coordinator)
    data = profile_form_data(coordinator)
    del data["profile-tutoring_capacity"], data["profile-question_alerts"]

    assert client.post(PROFILE, data).status_code == 302

    peer = PeerProfile.objects.get(person=coordinator)
    assert (peer.tutoring_capacity, peer.question_alerts) == (3, "off")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tutoring_capacity", "-1", "Indiquez 0 ou un nombre positif."),
        ("tutoring_capacity", "40", "Indiquez au plus 5 personnes."),
        ("tutoring_capacity", "deux", "Indiquez un nombre entier, par exemple 1."),
        ("question_alerts", "sms", "Sélectionnez un choix valide"),
    ],
)
def test_bad_settings_are_refused_in_french_and_nothing_is_saved(
    client, coordinator, field, value, message
):
    login(client, coordinator)
    data = profile_form_data(coordinator, employer="Nouvel employeur")
    data[f"profile-{field}"] = value

    response = client.post(PROFILE, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    coordinator.coordinator_profile.refresh_from_db()
    assert coordinator.coordinator_profile.employer != "Nouvel employeur"
    assert not PeerProfile.objects.filter(person=coordinator).exists()
