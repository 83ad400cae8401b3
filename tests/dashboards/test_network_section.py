"""The "reseau" section as the page, the exports and the report show it: the network
indicators' hand-computed world (tests/dashboards/test_network_indicators.py) read by staff and
by the ARS DD 93 ("< 3", only 93, no link to the team's follow-ups)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import Access, Role
from dashboards.filters import scope_for
from dashboards.sections import Context
from dashboards.sections import network as section
from tests.dashboards import test_network_indicators as indicators
from tests.dashboards.test_network_indicators import YEAR, at, note, question
from tests.dashboards.test_network_indicators import _grow as grow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

world = indicators.world  # the indicator tests' hand-computed world, as a fixture here

STAFF = Access(Role.STAFF, department_codes=None)
DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))
CRPV = Access(Role.PARTNER, department_codes=frozenset({"93", "95"}))

P93, P95, P75 = "Seine-Saint-Denis (93)", "Val-d'Oise (95)", "Paris (75)"


def built(access, **asked):
    return section.build(Context(YEAR, scope_for(access, **asked), access))


def labels(table):
    """{row label: [cell labels]}"""
    return {row.label: [cell.label for cell in row.cells] for row in table.rows}


def links(table):
    """{(row label, column key): link} of the cells that link."""
    return {
        (row.label, column.key): cell.link
        for row in table.rows
        for column, cell in zip(table.columns, row.cells, strict=True)
        if cell.link
    }


def requests_url(**query):
    return reverse("resource_requests") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_staff_read_every_figure_by_departement(world):
    result = built(STAFF)
    assert (result.slug, result.title) == ("reseau", "Entraide et ressources")
    tutoring = labels(result.table("reseau-tutorat"))
    # active on 31/12, started, requested in 2025.
    assert tutoring[P93] == ["1", "1", "2"]
    assert tutoring[P95] == ["1", "0", "0"]
    assert tutoring["Total"] == ["2", "1", "2"]
    newcomers = labels(result.table("reseau-nouveaux-sans-tuteur"))
    assert (newcomers[P93], newcomers[P95], newcomers["Total"]) == (["1"], ["1"], ["2"])
    questions = labels(result.table("reseau-questions"))
    assert questions[P93] == ["2", "1", "1"]
    assert questions["Total"] == ["3", "1", "1"]
    notes = labels(result.table("reseau-fiches"))
    assert notes[P93] == ["2", "1"]
    assert notes["Total"] == ["3", "2"]
    # total, waiting, accepted, sent, refused, withdrawn.
    requests = labels(result.table("reseau-demandes"))
    assert requests[P93] == ["2", "1", "0", "1", "0", "0"]
    assert requests[P75] == ["1", "0", "0", "0", "0", "1"]
    assert requests["Total"] == ["4", "1", "0", "1", "1", "1"]
    assert labels(result.table("reseau-demandes-etats")) == {
        "En attente": ["1"],
        "Acceptée": ["0"],
        "Envoyée": ["1"],
        "Refusée": ["1"],
        "Retirée": ["1"],
        "Total": ["4"],
    }
    cards = {card.label: card.cell.label for card in result.cards}
    assert cards == {
        "Binômes de tutorat en cours": "2",
        "Nouveaux arrivants sans tuteur ou tutrice": "2",
        "Questions posées aux pairs": "3",
        "Questions ayant reçu une réponse": "1",
        "Fiches d’expérience publiées": "3",
        "Demandes Boussole en attente": "1",
    }
    assert all(table.description for table in result.tables)


def test_staff_follow_each_figure_to_its_list(world):
    result = built(STAFF)
    cards = {card.label: card.link for card in result.cards}
    assert cards["Binômes de tutorat en cours"] == reverse("tutoring_overview")
    assert cards["Nouveaux arrivants sans tuteur ou tutrice"] == reverse("tutoring_overview")
    assert cards["Questions posées aux pairs"] == reverse("questions")
    assert cards["Questions ayant reçu une réponse"] == reverse("questions") + "?state=avec-reponse"
    assert cards["Fiches d’expérience publiées"] == reverse("notes")
    assert cards["Demandes Boussole en attente"] == requests_url(state="asked")
    requests = links(result.table("reseau-demandes"))
    assert requests[P93, "sent"] == requests_url(department="93", state="sent")
    assert requests[P93, "total"] == requests_url(department="93")
    assert (P75, "withdrawn") in requests
    assert requests["Total", "refused"] == requests_url(state="refused")
    states = links(result.table("reseau-demandes-etats"))
    assert states["Envoyée", "requests"] == requests_url(state="sent")
    assert dict(result.links) == {
        "Le suivi du tutorat": reverse("tutoring_overview"),
        "Les questions posées aux pairs": reverse("questions"),
        "Les fiches d’expérience": reverse("notes"),
        "Les demandes de ressources": reverse("resource_requests"),
    }


def test_staff_choosing_a_departement_follow_the_requests_of_that_departement(world):
    result = built(STAFF, department_codes=["93"])
    assert list(labels(result.table("reseau-demandes"))) == [P93]
    requests = links(result.table("reseau-demandes"))
    assert requests[P93, "asked"] == requests_url(department="93", state="asked")
    # The tutoring follow-up and the questions list the whole region: no link from 93's figure.
    assert next(c for c in result.cards if c.label == "Binômes de tutorat en cours").link is None
    assert not links(result.table("reseau-questions"))


def test_the_dd93_reads_93_only_with_small_numbers_hidden(world):
    result = built(DD93)
    assert labels(result.table("reseau-tutorat")) == {P93: ["< 3", "< 3", "< 3"]}
    assert labels(result.table("reseau-nouveaux-sans-tuteur")) == {P93: ["< 3"]}
    assert labels(result.table("reseau-questions")) == {P93: ["< 3", "< 3", "< 3"]}
    assert labels(result.table("reseau-fiches")) == {P93: ["< 3", "< 3"]}
    # Awa's two requests: one waiting, one sent; the zeros are about nobody.
    assert labels(result.table("reseau-demandes")) == {P93: ["< 3", "< 3", "0", "< 3", "0", "0"]}
    assert labels(result.table("reseau-demandes-etats"))["Total"] == ["< 3"]
    for table in result.tables:
        assert not links(table), table.slug  # hidden figures, or lists partners may not see
    # Partners read the notes of their territory; the team's follow-ups are the team's.
    assert result.links == [("Les fiches d’expérience", reverse("notes"))]


def test_the_dd93_asking_for_75_still_reads_93(world):
    result = built(DD93, department_codes=["75"])
    for table in result.tables[:-1]:
        assert list(labels(table)) == [P93], table.slug
    assert labels(result.table("reseau-demandes-etats"))["Retirée"] == ["0"]  # Léa's is 75's


def test_a_partner_follows_the_notes_it_may_read(world):
    note(world["awa"], at(2025, 7, 1))  # a third note in 93
    result = built(DD93)
    card = next(c for c in result.cards if c.label == "Fiches d’expérience publiées")
    assert (card.value.label, card.link) == ("3", reverse("notes"))


def test_a_partner_of_two_departements_cannot_difference_the_requests(world):
    table = built(CRPV).table("reseau-demandes")
    rows = labels(table)
    # 93: 2 requests (1 waiting, 1 sent), 95: 1 (refused). Every 1 and 2 is hidden, the
    # totals by state too (1 each), and the 3: shown beside three hidden states, it would say
    # each is 1 (they are at least 1, zeros being shown, and leave 3 between them).
    assert rows == {
        P93: ["< 3", "< 3", "0", "< 3", "0", "0"],
        P95: ["< 3", "0", "0", "0", "< 3", "0"],
        "Total": ["< 3", "< 3", "0", "< 3", "< 3", "0"],
    }
    # The table by state is that total row on its side, hidden the same way.
    assert labels(built(CRPV).table("reseau-demandes-etats")) == {
        "En attente": ["< 3"],
        "Acceptée": ["0"],
        "Envoyée": ["< 3"],
        "Refusée": ["< 3"],
        "Retirée": ["0"],
        "Total": ["< 3"],
    }


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["staff", "dd93"])
def test_queries_do_not_grow_with_the_data(world, access):
    grow(5)
    with CaptureQueriesContext(connection) as small:
        built(access)
    grow(200)
    with CaptureQueriesContext(connection) as large:
        result = built(access)
    assert len(small) == len(large)
    assert labels(result.table("reseau-tutorat"))  # something was counted


def test_people_of_no_known_departement_count_in_the_region_only(world):
    question(UserFactory(first_name="Sans profil"), at(2025, 4, 1))
    staff = labels(built(STAFF).table("reseau-questions"))
    assert staff["Département inconnu"] == ["1", "0", "0"]
    assert staff["Total"] == ["4", "1", "1"]
    assert "Département inconnu" not in labels(built(DD93).table("reseau-questions"))
