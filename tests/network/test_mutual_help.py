"""/entraide/: each role sees the parts it may use, with where the person stands in them, in a
constant number of queries."""

import pytest
from django.urls import reverse

from network.models.tutoring import TutoringPair
from network.services import tutoring as tutoring_services
from tests.factories import CoordinatorProfileFactory, commune
from tests.helpers import count_queries, login

from .notes_factories import bulk_notes, write_note
from .tutoring_factories import newcomer, tutor

pytestmark = pytest.mark.django_db

INDEX = reverse("mutual_help")


def test_a_newcomer_sees_her_request_and_the_ways_to_help(client):
    awa, julien = newcomer(), tutor(1)
    tutoring_services.tutoring_request(newcomer=awa, tutor=julien, notify=False)
    draft = write_note(awa, publish=False, title="Mon brouillon de fiche")
    write_note(title="Une fiche publiée")
    login(client, awa)

    page = client.get(INDEX).content.decode()

    assert "Votre demande :" in page and "Julien Moreau" in page
    assert "Mon brouillon de fiche" in page and reverse("note", args=[draft.pk]) in page
    assert "Une fiche publiée" in page
    for url in ("question_ask", "note_create", "questions", "tutoring"):
        assert reverse(url) in page


def test_the_tutor_sees_the_request_to_answer(client):
    awa, julien = newcomer(), tutor(1)
    tutoring_services.tutoring_request(newcomer=awa, tutor=julien, notify=False)
    pair = TutoringPair.objects.get()
    login(client, julien)

    page = client.get(INDEX).content.decode()

    assert "À vous de répondre" in page
    assert reverse("tutoring_pair", args=[pair.pk]) in page


def test_staff_see_the_tutoring_figures(client, staff):
    newcomer()
    login(client, staff)

    page = client.get(INDEX).content.decode()

    assert "depuis un an sans tuteur·rice" in page
    assert reverse("tutoring_overview") in page


def test_a_partner_sees_notes_of_their_territory_and_nothing_of_peers_exchanges(client, dd93):
    write_note(CoordinatorProfileFactory(commune=commune("95585")).user, title="Fiche du 95")
    write_note(title="Fiche du 93")  # Saint-Denis
    login(client, dd93)

    page = client.get(INDEX).content.decode()

    assert "Fiche du 93" in page and "Fiche du 95" not in page
    assert reverse("tutoring") not in page and reverse("questions") not in page
    assert reverse("note_create") not in page


def test_the_index_runs_a_constant_number_of_queries(client, staff, dd93):
    awa = newcomer()
    bulk_notes(3)
    write_note(awa, publish=False)
    people = [awa, staff, dd93]
    for person in people:
        login(client, person)
        client.get(INDEX)
    small = []
    for person in people:
        login(client, person)
        small.append(count_queries(client, INDEX))
    bulk_notes(300)
    for _ in range(5):
        newcomer(first_name="Autre")
    large = []
    for person in people:
        login(client, person)
        large.append(count_queries(client, INDEX))
    assert small == large
