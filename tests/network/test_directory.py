"""/annuaire/: who appears, what each person shows, search, filters, territory and bad input."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from coordinators.models import CoordinatorProfile, Scheme, Topic
from core import search as core_search
from network import search
from network.models import DirectoryEntry
from network.search import DIRECTORY_TIES
from network.services import directory_sync
from tests.factories import CoordinatorProfileFactory, commune
from tests.helpers import login

from .directory_factories import background, person_in_post

pytestmark = pytest.mark.django_db

URL = reverse("directory")
# Values no other text of a page contains: found in the HTML only if shown.
MARKERS = {
    "job": {"job_title": "Zorglubiste en chef", "employer": "Structure Bzzlpqx"},
    "phone": {"phone": "01 23 45 67 89"},
    "can_help_with": {"can_help_with": "Le plaidoyer quixotesque"},
    "looking_for": {"looking_for": "Une méthode xylophonique"},
}


def names(response):
    return [entry.person.get_full_name() for entry in response.context["page"]]


def get(client, user, **params):
    login(client, user)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert b"!!UNKNOWN" not in response.content
    return response


# --- Who appears, and what they show -----------------------------------------------------------


def test_coordinators_in_post_and_those_who_chose_to_appear(client, coordinator):
    person_in_post(first_name="Inès", last_name="Enposte")
    CoordinatorProfileFactory(user__last_name="Visible", directory_fields=["topics"])
    CoordinatorProfileFactory(user__last_name="Discret")  # no post, shows nothing
    left = person_in_post(last_name="Partie").user
    left.tenures.update(ended_on=date.today() - timedelta(days=1))
    person_in_post(last_name="Enattente", status=CoordinatorProfile.Status.PENDING)
    closed = person_in_post(last_name="Fermé").user
    closed.is_active = False
    closed.save()
    ended = person_in_post(last_name="Terminé", shows=[])
    Scheme.objects.filter(posts__tenures__person=ended.user).update(status=Scheme.Status.ENDED)

    response = get(client, coordinator)

    assert sorted(names(response)) == sorted(["Inès Enposte", f"{_first('Visible')} Visible"])


def _first(last_name):
    return CoordinatorProfile.objects.get(user__last_name=last_name).user.first_name


def test_name_schemes_and_commune_always_show_the_rest_only_if_chosen(client, coordinator):
    hidden = person_in_post(last_name="Cachée", scheme_name="CLS de Saint-Denis", **_all_markers())
    response = get(client, coordinator)
    html = response.content.decode()
    assert "Cachée" in html
    assert "CLS de Saint-Denis" in html
    assert reverse("scheme", args=[hidden.user.tenures.get().post.schemes.get().pk]) in html
    assert "Saint-Denis (93)" in html
    for values in MARKERS.values():
        for value in values.values():
            assert value not in html
    assert hidden.user.email not in html
    assert "Coordinateur·rice depuis" not in html

    hidden.directory_fields = [key for key, _label in CoordinatorProfile.DIRECTORY_FIELDS]
    hidden.save()
    html = get(client, coordinator).content.decode()
    for values in MARKERS.values():
        for value in values.values():
            assert value in html
    assert hidden.user.email in html
    assert "Coordinateur·rice depuis" in html


def _all_markers():
    return {name: value for values in MARKERS.values() for name, value in values.items()}


def test_the_navigation_leads_to_the_directory(client, coordinator):
    html = get(client, coordinator).content.decode()
    assert f'href="{URL}"' in html


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sante mentale", "Thématique"),  # a topic, accents typed or not
        ("SANTÉ MENTALE", "Thématique"),
        ("saint denis", "Communal"),  # the commune
        ("Saint-Denis", "Communal"),
        ("plaid", "Aidante"),  # the start of a word
        ("plaidoyer elus", "Aidante"),  # every word, in any field shown
        ("recherche participative", "Chercheuse"),
        ("moreau", "Moreau"),  # the name
    ],
)
def test_search_is_accent_and_case_insensitive(client, coordinator, typed, expected):
    person_in_post(last_name="Thématique", topics=["Santé mentale"], shows=["topics"])
    person_in_post(last_name="Communal", commune_code="93066")
    person_in_post(
        last_name="Aidante",
        commune_code="93008",
        can_help_with="Le plaidoyer auprès des élus",
        shows=["can_help_with"],
    )
    person_in_post(
        last_name="Chercheuse",
        commune_code="93008",
        looking_for="Une recherche participative",
        shows=["looking_for"],
    )
    person_in_post(first_name="Julien", last_name="Moreau", commune_code="95585")
    assert expected in names(get(client, coordinator, q=typed))[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos: PostgreSQL's trigrams")
def test_search_tolerates_a_typo(client, coordinator):
    person_in_post(
        last_name="Aidante", can_help_with="Le plaidoyer auprès des élus", shows=["can_help_with"]
    )
    person_in_post(last_name="Autre", commune_code="95585")
    assert names(get(client, coordinator, q="plaidoier")) == ["Camille Aidante"]
    assert names(get(client, coordinator, q="sarcele")) == ["Camille Autre"]


def test_the_fallback_without_postgresql_tolerates_a_typo_too(coordinator):
    """The demo's SQLite behaves as PostgreSQL: a typo, within pg_trgm's threshold."""
    person_in_post(
        last_name="Aidante", can_help_with="Le plaidoyer auprès des élu·es", shows=["can_help_with"]
    )
    person_in_post(last_name="Autre", can_help_with="La santé environnementale")
    directory_sync()

    def found(*words):
        entries = core_search._search_folded(
            DirectoryEntry.objects.all(), list(words), DIRECTORY_TIES
        )
        return [entry.sort_name for entry in entries]

    assert found("plaidoyr") == found("plaidoier") == ["aidante camille"]
    assert found("zythologie") == []
    assert search.similar_words("plaidoyr", {"plaidoyer", "parcours"}) == ["plaidoyer"]


def test_a_word_is_found_at_the_start_of_a_word_not_inside_another(client, coordinator):
    """ "sante mentale" finds "Santé mentale", not "Santé environnementale" (found by a user)."""
    person_in_post(last_name="Mentale", can_help_with="La santé mentale", shows=["can_help_with"])
    person_in_post(
        last_name="Environnement",
        can_help_with="La santé environnementale",
        shows=["can_help_with"],
    )
    assert names(get(client, coordinator, q="sante mentale")) == ["Camille Mentale"]


def test_search_ranks_a_name_before_a_mention(client, coordinator):
    person_in_post(
        first_name="Anne",
        last_name="Autre",
        can_help_with="Travailler avec Madame Lefort",
        shows=["can_help_with"],
    )
    person_in_post(first_name="Zoé", last_name="Lefort")
    assert names(get(client, coordinator, q="lefort")) == ["Zoé Lefort", "Anne Autre"]


@pytest.mark.parametrize(
    ("field", "typed", "values"),
    [
        ("can_help_with", "quixotesque", {"can_help_with": "Le plaidoyer quixotesque"}),
        ("looking_for", "xylophonique", {"looking_for": "Une méthode xylophonique"}),
        ("job", "zorglubiste", {"job_title": "Zorglubiste en chef"}),
        ("topics", "ornithologie", {}),
        ("background", "astrophysique", {}),
    ],
)
def test_a_hidden_value_is_never_found(client, coordinator, field, typed, values):
    profile = person_in_post(last_name="Secrète", **values)
    profile.topics.add(Topic.objects.create(name="Ornithologie urbaine"))
    profile.background = background("Astrophysique")
    profile.save()
    assert names(get(client, coordinator, q=typed)) == []
    assert names(get(client, coordinator, q=f"{typed[:-1]}")) == []  # not even as a typo

    profile.directory_fields = [field]
    profile.save()
    assert names(get(client, coordinator, q=typed)) == ["Camille Secrète"]

    profile.directory_fields = []  # hidden again: the very next search no longer finds it
    profile.save()
    assert names(get(client, coordinator, q=typed)) == []


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "a",
        "é",
        "x" * 10_000,
        "plaidoyer " * 1_000,
        "🙂🙃 santé ✨",
        "健康 精神",
        "صحة نفسية",
        "e\u0301\u0301\u0301",
        "' OR 1=1 --",
        "plaid:* & !(x) | 'y'",
        "\\",
        "%_%",
        "\x00",
    ],
    ids=lambda value: repr(value[:20]),
)
def test_any_search_gives_a_page(client, coordinator, typed):
    person_in_post(
        first_name="Awa",
        last_name="Aidante",
        can_help_with="Le plaidoyer",
        shows=["can_help_with"],
    )
    response = get(client, coordinator, q=typed)
    found = names(response)
    if not typed.strip() or typed == "\x00":
        assert found == ["Awa Aidante"]  # no search: everyone
    if typed.startswith("plaidoyer ") or typed in ("a",):
        assert found == ["Awa Aidante"]  # "a" is the start of "Awa", "Aidante"…


def test_a_one_letter_search_finds_words_that_start_with_it(client, coordinator):
    person_in_post(first_name="Awa", last_name="Diallo")
    person_in_post(first_name="Julien", last_name="Moreau", commune_code="95585")
    assert names(get(client, coordinator, q="j")) == ["Julien Moreau"]


# --- Filters -----------------------------------------------------------------------------------


@pytest.fixture
def people():
    today = date.today()
    return {
        "newcomer": person_in_post(
            last_name="Nouvelle",
            kind=Scheme.Kind.ASV,
            started_on=today - timedelta(days=100),
            shows=["seniority", "background", "topics"],
            topics=["Nutrition"],
            background=background("Travail social"),
        ),
        "middle": person_in_post(
            last_name="Milieu",
            commune_code="93001",  # Aubervilliers: Plaine Commune, as Saint-Denis
            started_on=today - timedelta(days=700),
            shows=["seniority"],
        ),
        "experienced": person_in_post(
            last_name="Chevronné",
            kind=Scheme.Kind.CLSM,
            commune_code="95585",
            department_code="95",
            started_on=today - timedelta(days=2000),
            shows=["seniority", "background", "topics"],
            topics=["Santé mentale"],
            background=background("Santé publique"),
        ),
        # Shows none of it: no filter on seniority, background or topic may find them.
        "discreet": person_in_post(
            last_name="Discret",
            kind=Scheme.Kind.CLSM,
            commune_code="95585",
            department_code="95",
            started_on=today - timedelta(days=2000),
            topics=["Santé mentale"],
            background=background("Santé publique"),
        ),
    }


def last_names(response):
    return sorted(entry.person.last_name for entry in response.context["page"])


def test_filters(client, coordinator, people):
    from territories.models import Department

    dept95 = Department.objects.get(code="95")
    sarcelles = commune("95585")
    plaine_commune = commune("93066").ept
    santé_mentale = Topic.objects.get(name="Santé mentale")
    cases = [
        ({"kind": "CLSM"}, ["Chevronné", "Discret"]),
        ({"kind": "ASV"}, ["Nouvelle"]),
        ({"department": dept95.pk}, ["Chevronné", "Discret"]),
        ({"commune": sarcelles.pk}, ["Chevronné", "Discret"]),
        ({"intercommunality": plaine_commune.pk}, ["Milieu", "Nouvelle"]),
        ({"seniority": "moins-1-an"}, ["Nouvelle"]),
        ({"seniority": "1-3-ans"}, ["Milieu"]),
        ({"seniority": "plus-3-ans"}, ["Chevronné"]),
        ({"background": background("Santé publique").pk}, ["Chevronné"]),
        ({"topic": santé_mentale.pk}, ["Chevronné"]),
        ({"topic": santé_mentale.pk, "q": "chevronne"}, ["Chevronné"]),
        ({"kind": "CLSM", "q": "nouvelle"}, []),
    ]
    for params, expected in cases:
        assert last_names(get(client, coordinator, **params)) == expected, params


@pytest.mark.parametrize(
    "params",
    [
        {"department": "abc"},
        {"department": "99999999999999999999"},
        {"commune": "-1"},
        {"kind": "XYZ"},
        {"seniority": "10-ans"},
        {"topic": "1.5"},
        {"page": "abc"},
        {"page": "99999"},
        {"background": "²"},
    ],
)
def test_a_wrong_filter_is_left_out_with_a_message(client, coordinator, people, params):
    response = get(client, coordinator, **params)
    assert len(names(response)) >= 1
    if "page" not in params:
        assert response.context["form"].errors


# --- Territory -------------------------------------------------------------------------------


def test_a_partner_sees_the_people_of_its_territory_only(client, dd93, crpv95, people):
    assert last_names(get(client, dd93)) == ["Milieu", "Nouvelle"]
    html = get(client, dd93, q="chevronne").content.decode()
    assert "Chevronné" not in html and "Discret" not in html
    # Even when asking for the Val-d'Oise by its id: not a choice of theirs, left out.
    response = get(client, dd93, department=commune("95585").department_id)
    assert "Chevronné" not in response.content.decode()
    assert last_names(get(client, crpv95)) == ["Chevronné", "Discret"]


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_ars", "superuser"])
def test_coordinators_and_staff_see_the_region(client, user_for_role, role, people):
    assert last_names(get(client, user_for_role(role))) == [
        "Chevronné",
        "Discret",
        "Milieu",
        "Nouvelle",
    ]


# --- htmx, pagination ------------------------------------------------------------------------


def test_htmx_gets_the_results_alone(client, coordinator, people):
    login(client, coordinator)
    response = client.get(URL, {"kind": "CLSM"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="resultats"' in html
    assert "Chevronné" in html and "Nouvelle" not in html
    assert "HX-Request" in response["Vary"]
    # The count, for screen readers, in the status region the page keeps.
    assert '<div id="annonce-resultats" hx-swap-oob="innerHTML">2 personnes trouvées</div>' in html
    full = client.get(URL, {"kind": "CLSM"}).content.decode()
    assert '<div id="annonce-resultats" class="visually-hidden" role="status"></div>' in full
    # Going back in history: htmx asks for the whole page.
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL, {"kind": "CLSM"}, headers=restore).content.decode()


def test_the_form_works_without_javascript(client, coordinator, people):
    html = get(client, coordinator).content.decode()
    assert f'<form method="get" action="{URL}"' in html
    assert 'hx-push-url="true"' in html


def test_pagination_keeps_the_filters(client, coordinator):
    for i in range(25):
        person_in_post(last_name=f"Personne{i:02d}")
    first = get(client, coordinator, q="personne")
    assert len(first.context["page"]) == 20
    assert "q=personne&amp;page=2" in first.content.decode()
    second = get(client, coordinator, q="personne", page=2)
    assert len(second.context["page"]) == 5


def test_post_is_refused(client, coordinator):
    login(client, coordinator)
    assert client.post(URL).status_code == 405


# --- The entries follow the register ---------------------------------------------------------


def test_sync_writes_only_what_changed(coordinator):
    profile = person_in_post(last_name="Suivie")
    assert directory_sync() == 1
    assert directory_sync() == 0
    profile.can_help_with = "Autre chose"  # hidden: the entry does not change
    profile.save()
    assert directory_sync() == 0
    profile.directory_fields = ["can_help_with"]
    profile.save()
    assert directory_sync() == 1
    assert "autre chose" in DirectoryEntry.objects.get(person=profile.user).document
    profile.user.tenures.update(ended_on=date.today())  # left today: still shows something
    assert directory_sync() == 1
    assert DirectoryEntry.objects.get(person=profile.user).in_post is False
    profile.directory_fields = []
    profile.save()
    assert directory_sync() == 1
    assert not DirectoryEntry.objects.exists()


def test_the_command_syncs(coordinator, capsys):
    from django.core.management import call_command

    person_in_post(last_name="Commande")
    call_command("directory_sync")
    assert "1 fiche" in capsys.readouterr().out
    assert DirectoryEntry.objects.get().sort_name == "commande camille"
