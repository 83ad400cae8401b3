"""The needs page and the needs-against-the-offer page: the counts for everyone who reads the
dashboard, the texts for the team only, the reader's territory whatever the URL asks, French
messages for a wrong period, and a fixed number of queries."""

import pytest
from django.urls import reverse

from tests.dashboards import test_needs_indicators as indicators_world
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

world = indicators_world.world  # the fixture: the world counted by hand for the indicators

NEEDS = reverse("dashboard_needs")
NEEDS_OFFER = reverse("dashboard_needs_offer")
TEXTS = ["Convaincre les élus", "La méthodologie", "Un binôme", "Des échanges entre CLSM"]


def page(client, user, url, **query):
    client.force_login(user)
    response = client.get(url, {"annee": 2025, **query})
    assert response.status_code == 200
    return response.content.decode()


def test_staff_read_the_counts_and_the_texts(client, staff, world):
    html = page(client, staff, NEEDS)
    assert 'id="besoins-niveaux"' in html and 'id="besoins-competences"' in html
    for text in TEXTS:
        assert text in html
    # Awa's name leads to her scheme's page in the register.
    awa_scheme = world["awa"].tenures.get().post.schemes.get()
    assert f'href="/dispositifs/{awa_scheme.pk}/">Awa Martin</a>' in html
    # The needs-against-the-offer page keeps the filters.
    assert f'href="{NEEDS_OFFER}?annee=2025"' in html


def test_a_pending_sign_up_is_not_read(client, staff, world):
    html = page(client, staff, NEEDS, q="tout")
    assert "Aucune personne dont le nom ou les textes contiennent « tout »" in html
    assert "Aucun nom ni aucun texte ne contient tous les mots cherchés." in html
    assert 'id="niveau-skills"' not in html


def test_staff_search_the_texts(client, staff, world):
    html = page(client, staff, NEEDS, q="binome")
    assert "Un binôme" in html and "Convaincre les élus" not in html
    assert "1 personne dont le nom ou les textes contiennent « binome »" in html


@pytest.mark.parametrize("role", ["dd93", "ars_hq", "crpv95"])
def test_partners_see_counts_never_a_text_nor_a_name(client, request, world, role):
    html = page(client, request.getfixturevalue(role), NEEDS, q="binome")
    assert 'id="besoins-niveaux"' in html
    for text in [*TEXTS, "Awa", "Bilal", "Chloé", "Un appui de ma hiérarchie"]:
        assert text not in html
    assert 'id="textes"' not in html


def test_dd93_asking_for_paris_gets_seine_saint_denis(client, dd93, world):
    html = page(client, dd93, NEEDS, departement="75")
    assert "Seine-Saint-Denis (93)" in html
    table = html.split('id="besoins-niveaux"')[1].split("</table>")[0]
    assert "Seine-Saint-Denis" in table and "Paris" not in table
    assert "&lt; 3" in table
    offer = page(client, dd93, NEEDS_OFFER, departement="75")
    assert 'id="departement-93"' in offer and 'id="departement-75"' not in offer
    assert "Aucune offre ne couvre ce besoin en Seine-Saint-Denis" in offer
    assert "à Paris" not in offer
    assert 'aria-label="Départements"' not in offer  # one département: nothing to go to


@pytest.mark.parametrize("url", [NEEDS, NEEDS_OFFER])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"du": "2025-12-31", "au": "2025-01-01"}, "inversez les deux dates"),
        (
            {"du": "0001-01-01", "au": "2025-01-01"},
            "Indiquez une date à partir du 1er janvier 1950",
        ),
        ({"du": "2014-01-01", "au": "2014-12-31"}, "Les données du réseau commencent en 2015"),
        ({"du": "2015-01-01", "au": "2025-12-31"}, "Une période couvre au plus 5 ans"),
        ({"du": "2025-01-01", "au": ""}, "Indiquez le début et la fin de la période"),
        ({"annee": "1999"}, "Choisissez une année entre 2015"),
    ],
)
def test_a_wrong_period_says_why_in_french_and_shows_no_figure(
    client, staff, world, url, query, message
):
    client.force_login(staff)
    response = client.get(url, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in html or message in html
    assert "figure-table" not in html and "needs-offer" not in html
    assert "Convaincre les élus" not in html


def test_needs_against_the_offer_said_plainly(client, staff, world):
    html = page(client, staff, NEEDS_OFFER)
    assert "Aucune offre ne couvre ce besoin en Seine-Saint-Denis : " in html  # the summary
    assert "Aucune offre ne couvre ce besoin en Seine-Saint-Denis.</strong>" in html  # the row
    assert "Aucune offre ne couvre ce besoin dans le Val-d’Oise" in html  # Évaluation
    assert (
        "<li>Paris : chaque besoin exprimé est couvert par au moins une offre active.</li>" in html
    )
    assert f'href="/parcours/offres/{world["regional"].pk}/">Webinaire plaidoyer</a>' in html
    assert f'href="/parcours/offres/{world["in95"].pk}/">Atelier diagnostic 95</a>' in html
    assert "Atelier diagnostic 93 (fermé)" not in html
    assert f'href="{reverse("offers_complementarity")}"' in html
    assert '<th scope="row">Diagnostic</th>' in html
    assert "<caption>Seine-Saint-Denis : pour chaque compétence" in html
    assert '<a href="#departement-93">Seine-Saint-Denis (93)</a>' in html  # one per département


def test_a_bad_page_number_shows_the_first_page(client, staff, world):
    html = page(client, staff, NEEDS, page="abc")
    assert "Convaincre les élus" in html
    html = page(client, staff, NEEDS, page="99999999999999999999")
    assert "Des échanges entre CLSM" in html


@pytest.mark.parametrize("url", [NEEDS, NEEDS_OFFER])
@pytest.mark.parametrize("role", ["staff", "dd93", "ars_hq"])
def test_queries_do_not_grow_with_the_data(client, request, world, url, role):
    client.force_login(request.getfixturevalue(role))
    indicators_world._grow(3)
    small = count_queries(client, url, {"annee": 2025})
    indicators_world._grow(60)
    large = count_queries(client, url, {"annee": 2025})
    assert small == large


def test_the_needs_tables_export_as_the_page_shows_them(client, staff, dd93, world):
    url = reverse("dashboard_export", args=["besoins-competences", "csv"])
    client.force_login(staff)
    lines = client.get(url, {"annee": 2025}).content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Compétence;75;77;78;91;92;93;94;95;Total"
    assert "Plaidoyer;0;0;0;0;0;2;0;0;2" in lines
    client.force_login(dd93)
    lines = client.get(url, {"annee": 2025, "departement": "75"}).content.decode("utf-8-sig")
    lines = lines.splitlines()
    assert lines[0] == "Compétence;93;Total"
    assert "Plaidoyer;< 3;< 3" in lines
