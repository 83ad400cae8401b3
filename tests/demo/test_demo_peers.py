"""The demo's peer network: most coordinators in post say what they offer and look for, with
varied choices of what they show; the newcomer's suggested peers start with the experienced
coordinator, for the right reasons; seeding again changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.access import access_for
from accounts.models import User
from competencies.models import Competency
from coordinators.selectors import tenures_in_post
from demo.loaders import accounts
from demo.peers import seed_peer_offers
from network.models import PeerProfile
from network.selectors.suggestions import seeker_of, suggested_peers
from network.services import directory_sync

pytestmark = pytest.mark.django_db


def in_post():
    return set(tenures_in_post(date.today()).values_list("person_id", flat=True))


def people_with(field):
    through = getattr(PeerProfile, field).through
    return set(through.objects.values_list("peerprofile_id", flat=True))


def test_most_coordinators_offer_and_look_for_something(demo_seeded):
    people = in_post()
    seeking = people_with("sought_competencies") | people_with("sought_topics")
    offering = people_with("offered_competencies") | people_with("offered_topics")
    assert len(people) > 150
    assert len(seeking & people) > 0.9 * len(people)
    assert 0.5 * len(people) < len(offering & people) < len(people)  # newcomers offer nothing yet


def test_what_people_show_is_varied(demo_seeded):
    people = User.objects.filter(pk__in=in_post()).select_related("coordinator_profile")
    shown = {user.pk: tuple(user.coordinator_profile.directory_fields) for user in people}
    assert len(set(shown.values())) > 20
    assert sum(not fields for fields in shown.values()) > 0.2 * len(shown)  # some show nothing
    assert sum("looking_for" in fields for fields in shown.values()) > 0.15 * len(shown)
    # Some offer help but do not show it: the directory and suggestions must keep it hidden.
    offering = people_with("offered_competencies") | people_with("offered_topics")
    assert any(pk in offering and "can_help_with" not in f for pk, f in shown.items())


def test_advocacy_is_the_experienced_coordinators_alone(demo_seeded):
    plaidoyer = Competency.objects.get(name="Plaidoyer")
    offering = PeerProfile.objects.filter(offered_competencies=plaidoyer)
    assert [p.person.email for p in offering] == [accounts().account("experienced").email]


def test_the_newcomer_is_suggested_the_experienced_coordinator_first(demo_seeded, client):
    newcomer = User.objects.get(email=accounts().account("newcomer").email)
    directory_sync()
    found = suggested_peers(access_for(newcomer), seeker_of(newcomer))

    assert len(found) == 5
    assert found[0].entry.person.email == accounts().account("experienced").email
    reason = found[0].reason
    assert "département voisin (Val-d'Oise)" in reason
    assert "ans d’ancienneté" in reason
    assert "peut aider sur : plaidoyer, travail avec les élu·es et la hiérarchie" in reason
    client.force_login(newcomer)
    page = client.get(reverse("home")).content.decode()
    assert "Julien Moreau" in page.split('id="pairs-suggeres"')[1]


def test_seeding_again_changes_nothing(demo_seeded):
    def state():
        return {
            name: sorted(getattr(PeerProfile, name).through.objects.values_list())
            for name in (
                "offered_competencies",
                "offered_topics",
                "sought_competencies",
                "sought_topics",
            )
        }

    before = state()
    emails = [account.email for account in accounts().accounts]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    figures = seed_peer_offers(users)
    assert state() == before
    assert figures["pairs qui proposent leur aide"] == len(
        people_with("offered_competencies") | people_with("offered_topics")
    )
    assert figures["pairs qui disent ce qu’ils recherchent"] > 150
