"""Suggested peers: ranked by what the reader looks for that others offer (and show), the same
scheme type, a near département and experience; each reason says only what the person shows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.access import access_for
from coordinators.models import Scheme, Topic
from network.selectors.suggestions import NEIGHBOURS, seeker_of, suggested_peers, suggestion_for
from network.services import directory_sync, peer_offers_set
from tests.helpers import login
from tests.learning.pathway_factories import CompetencyFactory

from .directory_factories import person_in_post

pytestmark = pytest.mark.django_db

HOME = reverse("home")
EVERYTHING = ["email", "job", "seniority", "topics", "can_help_with", "looking_for"]
# Names no other text of a page contains: in a reason only if their owner shows them.
OFFERED = "Plaidoyer quixotesque"
OFFERED_TOPIC = "Zythologie territoriale"


def years_ago(years):
    today = date.today()
    return date(today.year - years, 1, 1)


@pytest.fixture
def wanted():
    return CompetencyFactory(name=OFFERED)


@pytest.fixture
def wanted_topic():
    return Topic.objects.get_or_create(name=OFFERED_TOPIC)[0]


@pytest.fixture
def newcomer(wanted, wanted_topic):
    """A CLS coordinator of Saint-Denis (93) who arrived two months ago and looks for the
    competency and the topic."""
    person = person_in_post(
        first_name="Awa",
        last_name="Nouvelle",
        kind=Scheme.Kind.CLS,
        started_on=date.today() - timedelta(days=60),
    ).user
    peer_offers_set(person=person, sought_competencies=[wanted], sought_topics=[wanted_topic])
    return person


def offering(last_name, *, shows=EVERYTHING, competencies=(), topics=(), **where):
    person = person_in_post(last_name=last_name, shows=shows, **where).user
    peer_offers_set(
        person=person, offered_competencies=list(competencies), offered_topics=list(topics)
    )
    return person


def suggestions_for(person):
    directory_sync()
    return suggested_peers(access_for(person), seeker_of(person), limit=50)


def names(found):
    return [s.entry.person.last_name for s in found]


def reason_of(found, last_name):
    return next(s.reason for s in found if s.entry.person.last_name == last_name)


def test_neighbouring_departements_are_symmetric_and_cover_the_region():
    assert set(NEIGHBOURS) == {"75", "77", "78", "91", "92", "93", "94", "95"}
    for code, neighbours in NEIGHBOURS.items():
        assert code not in neighbours
        for other in neighbours:
            assert code in NEIGHBOURS[other], (code, other)
    assert NEIGHBOURS["75"] == {"92", "93", "94"}


def test_ranked_by_what_is_sought_then_kind_place_and_experience(newcomer, wanted, wanted_topic):
    both = offering(
        "Complète",
        competencies=[wanted],
        topics=[wanted_topic],
        kind=Scheme.Kind.CLSM,
        commune_code="95585",
        department_code="95",
        started_on=years_ago(6),
    )
    same_kind_here = offering("Voisine", kind=Scheme.Kind.CLS, started_on=years_ago(1))
    senior_far = offering(
        "Lointain",
        kind=Scheme.Kind.ASV,
        commune_code="78646",
        department_code="78",
        started_on=years_ago(10),
    )
    nothing_in_common = offering(
        "Étranger",
        kind=Scheme.Kind.ASV,
        commune_code="78646",
        department_code="78",
        started_on=years_ago(1),
    )

    found = suggestions_for(newcomer)

    assert names(found) == ["Complète", "Voisine", "Lointain"]
    assert newcomer.last_name not in names(found)  # never oneself
    assert nothing_in_common.last_name not in names(found)
    assert reason_of(found, both.last_name) == (
        "département voisin (Val-d'Oise), 6 ans d’ancienneté, "
        f"peut aider sur : {OFFERED[0].lower() + OFFERED[1:]}, "
        f"{OFFERED_TOPIC[0].lower() + OFFERED_TOPIC[1:]}"
    )
    assert reason_of(found, same_kind_here.last_name) == (
        "même type de dispositif (CLS), même département"
    )
    assert reason_of(found, senior_far.last_name) == "10 ans d’ancienneté"


def test_a_hidden_offer_neither_counts_nor_shows(newcomer, wanted, wanted_topic):
    """Anne hides what she can help with: ranked by name with Zoé, who offers nothing (were her
    offer counted, she would come first and reveal it by her rank)."""
    hidden = EVERYTHING[:]
    hidden.remove("can_help_with")
    offering("Zoé", shows=hidden, competencies=[wanted], topics=[wanted_topic])
    offering("Anne", shows=hidden)  # sorted first by name: equal scores
    offering("Bertille", shows=hidden, competencies=[wanted], topics=[wanted_topic])

    found = suggestions_for(newcomer)

    assert names(found) == ["Anne", "Bertille", "Zoé"]
    assert len({s.entry.score for s in found}) == 1
    for suggestion in found:
        assert OFFERED.lower() not in suggestion.reason.lower()
        assert OFFERED_TOPIC.lower() not in suggestion.reason.lower()
        assert "peut aider" not in suggestion.reason


def test_a_hidden_seniority_neither_counts_nor_shows(newcomer):
    hidden = EVERYTHING[:]
    hidden.remove("seniority")
    offering("Zoé", shows=hidden, started_on=years_ago(12))
    offering("Anne", shows=hidden, started_on=years_ago(1))

    found = suggestions_for(newcomer)

    assert names(found) == ["Anne", "Zoé"]
    assert all("ancienneté" not in s.reason and "12" not in s.reason for s in found)


def test_only_people_in_the_directory(newcomer, wanted):
    left = offering("Partie", competencies=[wanted])
    left.tenures.update(ended_on=date.today().replace(year=date.today().year - 1))
    left.coordinator_profile.directory_fields = []
    left.coordinator_profile.save()

    assert "Partie" not in names(suggestions_for(newcomer))


def test_a_hidden_field_a_second_ago_is_no_reason_on_the_home(client, newcomer, wanted):
    person = offering("Experte", competencies=[wanted], started_on=years_ago(7))
    login(client, newcomer)
    page = client.get(HOME).content.decode()
    assert "Des pairs pour vous" in page
    assert reverse("peer", args=[person.pk]) in page
    assert "7 ans d’ancienneté" in page
    assert OFFERED[1:] in page

    profile = person.coordinator_profile
    profile.directory_fields = ["email"]  # hides seniority and what she can help with
    profile.save()
    page = client.get(HOME).content.decode()

    assert "ancienneté" not in page
    assert OFFERED[1:] not in page
    assert "!!UNKNOWN" not in page


def test_the_peer_page_says_why_to_a_coordinator_only(client, newcomer, wanted, staff):
    person = offering("Experte", competencies=[wanted], started_on=years_ago(7))
    url = reverse("peer", args=[person.pk])
    login(client, newcomer)
    page = client.get(url).content.decode()
    assert "Pourquoi cette personne" in page
    assert "7 ans d’ancienneté" in page

    login(client, staff)
    assert "Pourquoi cette personne" not in client.get(url).content.decode()


def test_suggestion_for_oneself_or_nobody_in_common_is_none(newcomer):
    stranger = offering(
        "Étranger",
        kind=Scheme.Kind.ASV,
        commune_code="78646",
        department_code="78",
        started_on=years_ago(1),
    )
    directory_sync()
    access, seeker = access_for(newcomer), seeker_of(newcomer)
    assert suggestion_for(access, seeker, newcomer.directory_entry) is None
    assert suggestion_for(access, seeker, stranger.directory_entry) is None


def test_without_needs_a_coordinator_is_told_what_to_do(client, coordinator, newcomer):
    offering("Voisine")
    login(client, coordinator)
    page = client.get(HOME).content.decode()
    assert "Voisine" in page  # same département: suggested all the same
    assert "ce que vous recherchez : la plateforme vous proposera des pairs" in page

    login(client, newcomer)
    assert "ce que vous recherchez" not in client.get(HOME).content.decode()
