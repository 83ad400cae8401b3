"""/annuaire/carte/: schemes per commune by type, vacant posts, a commune's panel, the
directory's filters, the list alternative, the partners' territory and bad input."""

import re

import pytest
from django.urls import reverse

from coordinators.models import Scheme
from territories.models import Department
from tests.factories import PostFactory, SchemeFactory
from tests.helpers import login

from .directory_factories import person_in_post
from .test_directory import MARKERS, _all_markers

pytestmark = pytest.mark.django_db

URL = reverse("directory_map")


def get(client, user, **params):
    login(client, user)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert b"!!UNKNOWN" not in response.content
    return response


def communes(response):
    return {c.code: c for c in response.context["map"]["communes"]}


def listed(response):
    return [c.code for c in response.context["map"]["listed"]]


def link_of(html, code):
    """The map's link of a commune (the <a> around its outline), or None."""
    found = re.search(
        rf'<a href="[^"]*insee={code}"[^>]*aria-label="([^"]*)"><path id="c{code}"', html
    )
    return found and found.group(1)


# --- What the map draws ------------------------------------------------------------------------


def test_every_commune_is_drawn_and_those_with_schemes_or_people_are_links(client, coordinator):
    person_in_post(
        first_name="Julien",
        last_name="Moreau",
        commune_code="95585",
        department_code="95",
        kind=Scheme.Kind.CLSM,
        scheme_name="CLSM de Sarcelles",
    )
    SchemeFactory(kind=Scheme.Kind.ASV, name="ASV de Bobigny", commune_codes=["93008"])
    response = get(client, coordinator)
    html = response.content.decode()

    drawn = communes(response)
    assert len(drawn) == 1266  # the current communes, Paris as one
    assert html.count("<path") >= 1266 + 8  # and the 8 départements
    assert drawn["95585"].schemes == {"CLSM": 1}
    assert drawn["95585"].people == 1
    assert drawn["93008"].schemes == {"ASV": 1}
    assert drawn["93008"].people == 0
    assert link_of(html, "95585") == "Sarcelles (95) : 1 CLSM, 1 personne"
    assert link_of(html, "93008") == "Bobigny (93) : 1 ASV, aucune personne"
    assert link_of(html, "77288") is None  # Meaux: nothing there, not a link
    # The types are told apart by a pattern (and its legend), not by colour alone.
    assert 'href="#c95585" fill="url(#motif-CLSM)"' in html
    assert 'href="#c93008" fill="url(#motif-ASV)"' in html
    assert "hachures vertes descendantes" in html
    # The list alternative: the same communes, each a link to the same panel.
    assert listed(response) == ["93008", "95585"]
    assert f'href="{URL}?insee=95585"' in html


def test_vacant_posts_are_marked(client, coordinator):
    scheme = SchemeFactory(kind=Scheme.Kind.CLS, name="CLS de Bondy", commune_codes=["93010"])
    PostFactory(schemes=[scheme])  # nobody holds it
    person_in_post(last_name="Tenu", commune_code="93066")  # a filled post
    response = get(client, coordinator)
    drawn = communes(response)
    assert drawn["93010"].vacant == 1
    assert drawn["93066"].vacant == 0
    html = response.content.decode()
    assert link_of(html, "93010") == "Bondy (93) : 1 CLS, 1 poste vacant, aucune personne"
    assert 'href="#c93010" class="vacant"' in html
    assert 'href="#c93066" class="vacant' not in html


def test_paris_arrondissements_are_drawn_as_paris(client, coordinator):
    person_in_post(
        last_name="Parisienne", commune_code="75118", department_code="75", kind=Scheme.Kind.CLSM
    )
    SchemeFactory(
        name="CLS de Paris",
        department=Department.objects.get(code="75"),
        commune_codes=["75056", "75119", "75120"],
    )
    response = get(client, coordinator)
    assert communes(response)["75056"].people == 1
    assert communes(response)["75056"].schemes == {"CLS": 1, "CLSM": 1}  # each scheme once
    panel = get(client, coordinator, insee="75056").context["panel"]
    assert [e.person.last_name for e in panel["people"]] == ["Parisienne"]
    assert sorted(s.name for s in panel["schemes"])[0] == "CLS de Paris"


# --- A commune's panel -------------------------------------------------------------------------


def test_a_commune_panel_lists_its_schemes_and_people_showing_only_what_they_show(
    client, coordinator
):
    hidden = person_in_post(
        last_name="Cachée",
        commune_code="95585",
        department_code="95",
        kind=Scheme.Kind.CLSM,
        scheme_name="CLSM de Sarcelles",
        **_all_markers(),
    )
    person_in_post(last_name="Ailleurs", commune_code="93066", scheme_name="CLS de Saint-Denis")
    response = get(client, coordinator, insee="95585")
    panel = response.context["panel"]
    assert [s.name for s in panel["schemes"]] == ["CLSM de Sarcelles"]
    assert [e.person.last_name for e in panel["people"]] == ["Cachée"]
    html = response.content.decode()
    section = html[html.index('id="commune"') : html.index('id="liste-communes"')]
    assert "Sarcelles (95)" in section
    assert "CLSM de Sarcelles" in section
    assert "Cachée" in section
    assert "Ailleurs" not in section
    for values in MARKERS.values():
        for value in values.values():
            assert value not in html
    assert hidden.user.email not in html


def test_the_panel_alone_for_htmx_keeps_the_commune_for_the_filters(client, coordinator):
    person_in_post(last_name="Moreau", commune_code="95585", department_code="95")
    login(client, coordinator)
    response = client.get(
        URL, {"insee": "95585"}, headers={"HX-Request": "true", "HX-Target": "commune"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="commune"' in html
    assert "<svg" not in html  # the map stays as it is
    assert "Moreau" in html
    # The filters' form now sends the open commune, so that filtering keeps it open.
    assert 'id="commune-ouverte" name="insee" value="95585" hx-swap-oob="true"' in html
    assert "autofocus" in html  # keyboard users land on the panel


def test_filtering_returns_the_map_alone_with_the_panel_still_open(client, coordinator):
    person_in_post(last_name="Moreau", commune_code="95585", department_code="95")
    login(client, coordinator)
    response = client.get(
        URL,
        {"insee": "95585", "kind": "CLS"},
        headers={"HX-Request": "true", "HX-Target": "carte"},
    )
    html = response.content.decode()
    assert '<section id="carte"' in html and "<h1" not in html
    assert "Moreau" in html  # a CLS coordinator of Sarcelles
    assert "autofocus" not in html  # the focus stays on the filter being changed
    assert 'hx-swap-oob="innerHTML"' in html  # the count, read out


@pytest.mark.parametrize("code", ["99999", "abc", "9" * 300, "75101", "<script>"])
def test_an_unknown_commune_code_says_so(client, coordinator, code):
    response = get(client, coordinator, insee=code)
    assert "Aucune commune d’Île-de-France n’a ce code INSEE" in response.content.decode()
    assert "<script>" not in response.content.decode().split('id="commune"')[1]


# --- Filters shared with the list ----------------------------------------------------------------


def test_filters_highlight_the_communes_with_matching_people(client, coordinator):
    person_in_post(
        last_name="Plaideur",
        commune_code="95585",
        department_code="95",
        shows=["can_help_with"],
        can_help_with="Le plaidoyer auprès des élus",
    )
    person_in_post(last_name="Autre", commune_code="93066", can_help_with="La nutrition")
    SchemeFactory(kind=Scheme.Kind.ASV, commune_codes=["93008"])

    response = get(client, coordinator, q="plaidoyer")
    drawn = communes(response)
    assert drawn["95585"].matches
    assert not drawn["93066"].matches
    assert not drawn["93008"].matches  # a scheme, but a search is about people
    assert listed(response) == ["95585"]
    assert 'class="carte-annuaire carte-filtree"' in response.content.decode()
    html = response.content.decode()
    assert link_of(html, "95585") == (
        "Sarcelles (95) : 1 CLS, 1 personne correspondant aux filtres"
    )
    assert (
        link_of(html, "93066")
        == "Saint-Denis (93) : 1 CLS, aucune personne correspondant aux filtres"
    )
    # The list of the directory, with the same filters, one click away.
    assert f'href="{reverse("directory")}?q=plaidoyer"' in html

    by_kind = get(client, coordinator, kind="ASV")
    assert listed(by_kind) == ["93008"]  # a scheme filter: schemes of that type count
    assert communes(by_kind)["93008"].schemes == {"ASV": 1}
    assert communes(by_kind)["93066"].schemes == {}


def test_a_search_on_a_hidden_field_highlights_nothing(client, coordinator):
    person_in_post(
        last_name="Discrète",
        commune_code="95585",
        department_code="95",
        can_help_with="Le plaidoyer quixotesque",
    )
    response = get(client, coordinator, q="quixotesque")
    assert listed(response) == []
    assert "Discrète" not in response.content.decode()


def test_a_department_filter_zooms_on_it(client, coordinator):
    whole = get(client, coordinator).context["map"]["viewbox"]
    val_d_oise = get(client, coordinator, department=Department.objects.get(code="95").pk)
    box = val_d_oise.context["map"]["viewbox"]
    assert box[2] * box[3] < whole[2] * whole[3] / 3
    assert box[1] + box[3] < whole[3] / 2  # the north of the region


@pytest.mark.parametrize(
    "params",
    [
        {"department": "x"},
        {"department": "99999999999999999999"},
        {"q": "a"},
        {"q": "é" * 5_000},
        {"q": "🙂 𝔰𝔞𝔫𝔱𝔢́"},
        {"seniority": "toujours"},
        {"insee": ""},
    ],
)
def test_bad_input_is_a_page_with_a_message_never_an_error(client, coordinator, params):
    get(client, coordinator, **params)


# --- Partners see their territory ----------------------------------------------------------------


def test_a_partner_never_sees_a_coordinator_of_another_territory(client, dd93):
    person_in_post(
        first_name="Xavière",
        last_name="Valdoisienne",
        commune_code="95585",
        department_code="95",
        scheme_name="CLSM Zzvaldoise",
    )
    person_in_post(first_name="Séraphine", last_name="Dionysienne", commune_code="93066")
    response = get(client, dd93)
    html = response.content.decode()
    assert "Valdoisienne" not in html
    assert "Zzvaldoise" not in html
    assert link_of(html, "95585") is None
    assert communes(response)["95585"].people == 0
    assert listed(response) == ["93066"]
    assert response.context["map"]["viewbox"][2] < 1000  # zoomed on the Seine-Saint-Denis

    panel = get(client, dd93, insee="95585").content.decode()
    assert "Valdoisienne" not in panel
    assert "Zzvaldoise" not in panel
    assert "hors de votre territoire" in panel
    searched = get(client, dd93, q="Valdoisienne")
    assert listed(searched) == []
    assert "Xavière" not in searched.content.decode()


def test_the_directory_links_to_the_map_with_its_filters(client, coordinator):
    login(client, coordinator)
    html = client.get(reverse("directory"), {"q": "plaidoyer", "kind": "CLS"}).content.decode()
    assert f'href="{URL}?q=plaidoyer&amp;kind=CLS"' in html


def test_ended_schemes_are_not_drawn_and_a_panel_says_what_is_vacant(client, coordinator):
    SchemeFactory(name="ASV terminé de Bondy", commune_codes=["93010"], status="ended")
    scheme = SchemeFactory(kind=Scheme.Kind.CLS, name="CLS de Bondy", commune_codes=["93010"])
    PostFactory(schemes=[scheme])
    response = get(client, coordinator, insee="93010")
    assert communes(response)["93010"].schemes == {"CLS": 1}
    panel = response.context["panel"]
    assert [(s.name, s.vacant) for s in panel["schemes"]] == [("CLS de Bondy", 1)]
    html = response.content.decode()
    assert "ASV terminé de Bondy" not in html
    assert "1 poste vacant</span>" in html
    assert "Aucune personne de l’annuaire dans cette commune." in html
    assert 'class="commune ouverte" aria-label="Bondy (93)' in html  # the open commune stands out
