"""Self-assessment pages: role matrix, the form and its bad input, the progression chart and
table, aggregates (groups under five hidden, partners in their territory), query counts."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from competencies.models import Competency, CompetencyDomain
from coordinators.models import CoordinatorProfile, Post, Scheme, Tenure
from learning.models import SelfAssessment, SelfAssessmentRating
from learning.pathways import PathwayError
from learning.views import assessment as views_assessment
from territories.models import Department
from tests.factories import CoordinatorProfileFactory
from tests.helpers import count_queries, login
from tests.test_permissions import PARTNERS, ROLES, TEAM

pytestmark = pytest.mark.django_db

PAGES = {
    "self_assessment": {"coordinator"},
    "self_assessment_new": {"coordinator"},
    "self_assessment_aggregates": TEAM | PARTNERS,
}


@pytest.fixture
def framework(db):
    """Three competencies in two domains, with distinct level texts."""
    promotion = CompetencyDomain.objects.create(name="Promotion de la santé", position=1)
    coordination = CompetencyDomain.objects.create(name="Coordination", position=2)
    competencies = []
    for position, (domain, name) in enumerate(
        [
            (promotion, "Promotion de la santé et ses concepts"),
            (coordination, "Méthodologie de projet"),
            (coordination, "Animation et facilitation"),
        ],
        start=1,
    ):
        competencies.append(
            Competency.objects.create(
                domain=domain,
                name=name,
                position=position,
                **{f"level_{n}": f"Phrase du niveau {n} pour {name.lower()}." for n in range(1, 5)},
            )
        )
    return competencies


def assess(person, competencies, levels, days_ago=0):
    assessment = SelfAssessment.objects.create(
        person=person, created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=assessment, competency=c, level=level)
        for c, level in zip(competencies, levels, strict=True)
    )
    return assessment


def people_in(code, count):
    """`count` approved coordinators holding a post of a scheme of département `code` (bulk)."""
    department = Department.objects.get(code=code)
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"personne-{code}-{start + i}@exemple.fr",
            first_name="Prénom",
            last_name=f"Nom{start + i}",
        )
        for i in range(count)
    )
    CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(user=u, status=CoordinatorProfile.Status.APPROVED) for u in users
    )
    scheme = Scheme.objects.create(
        kind=Scheme.Kind.CLS,
        name=f"CLS de test {code} {start}",
        department=department,
        carrier_name="Ville",
        carrier_kind=Scheme.CarrierKind.COMMUNE,
    )
    posts = Post.objects.bulk_create(Post(opened_on=datetime.date(2015, 1, 1)) for _ in users)
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=p.pk, scheme_id=scheme.pk) for p in posts
    )
    Tenure.objects.bulk_create(
        Tenure(person=u, post=p, started_on=datetime.date(2020, 1, 1))
        for u, p in zip(users, posts, strict=True)
    )
    return users


def bulk_assess(people, competencies, rounds=1):
    """`rounds` assessments per person, a month apart, levels 1 to 4 in turn."""
    now = timezone.now()
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(person=p, created_at=now - datetime.timedelta(days=30 * r))
        for p in people
        for r in range(rounds)
    )
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=a, competency=c, level=1 + (a.pk + i) % 4)
        for a in assessments
        for i, c in enumerate(competencies)
    )


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_assessment_pages_by_role(client, user_for_role, role, framework):
    login(client, user_for_role(role))
    for name, allowed in PAGES.items():
        response = client.get(reverse(name))
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert response.status_code == expected, (name, role)
        if expected == 200:
            page = response.content.decode()
            assert "!!UNKNOWN" not in page, name
            assert " style=" not in page, name  # the CSP forbids inline styles
        if expected == 302:
            assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_submit(client, user_for_role, role, framework):
    login(client, user_for_role(role))
    data = {f"competence_{c.pk}": "2" for c in framework}
    response = client.post(reverse("self_assessment_new"), data)
    if role == "coordinator":
        assert response["Location"] == reverse("self_assessment")
        assert SelfAssessment.objects.count() == 1
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not SelfAssessment.objects.exists()


# --- The form ---------------------------------------------------------------------------------


def test_the_form_asks_each_competency_with_its_four_levels_in_words(
    client, coordinator, framework
):
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment_new")).content.decode()
    assert page.count("<fieldset") == 3 and page.count("<legend") == 3
    for competency in framework:
        for level, label, description in competency.levels:
            assert f'value="{level}"' in page and label in page and description in page
    assert "Promotion de la santé</h2>" in page and "Coordination</h2>" in page
    assert " checked" not in page  # nothing pre-selected the first time
    # Each radio has a label.
    for radio_id in re.findall(r'type="radio" name="[^"]+" id="([^"]+)"', page):
        assert f'for="{radio_id}"' in page


def test_a_submission_is_saved_and_the_next_one_starts_from_it(client, coordinator, framework):
    client.force_login(coordinator)
    data = {f"competence_{c.pk}": str(level) for c, level in zip(framework, [1, 3, 4], strict=True)}
    response = client.post(reverse("self_assessment_new"), data, follow=True)
    assert "Votre auto-évaluation est enregistrée" in response.content.decode()
    assessment = SelfAssessment.objects.get(person=coordinator)
    assert sorted(assessment.ratings.values_list("level", flat=True)) == [1, 3, 4]
    page = client.get(reverse("self_assessment_new")).content.decode()
    for competency, level in zip(framework, [1, 3, 4], strict=True):
        assert f'id="q-{competency.pk}-{level}" value="{level}" checked' in page
    assert page.count(" checked") == 3


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({0: "2", 1: "3"}, "Choisissez votre niveau pour « Animation et facilitation »."),
        ({0: "2", 1: "3", 2: ""}, "Choisissez votre niveau pour « Animation et facilitation »."),
        ({0: "5", 1: "3", 2: "1"}, "doit être l'un des quatre niveaux proposés (1 à 4)"),
        ({0: "0", 1: "3", 2: "1"}, "doit être l'un des quatre niveaux proposés (1 à 4)"),
        ({0: "deux", 1: "3", 2: "1"}, "doit être l'un des quatre niveaux proposés (1 à 4)"),
        ({}, "Choisissez votre niveau pour « Promotion de la santé et ses concepts »."),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(
    client, coordinator, framework, values, message
):
    client.force_login(coordinator)
    data = {f"competence_{framework[i].pk}": v for i, v in values.items()}
    response = client.post(reverse("self_assessment_new"), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Votre auto-évaluation n'est pas enregistrée" in page
    assert 'class="form-check-input is-invalid"' in page
    assert "!!UNKNOWN" not in page
    assert not SelfAssessment.objects.exists()
    # What was answered stays checked.
    for i, value in values.items():
        if value in {"1", "2", "3", "4"}:
            assert f'id="q-{framework[i].pk}-{value}" value="{value}" checked' in page


def test_a_refusal_of_the_service_shows_on_the_form(client, coordinator, framework, monkeypatch):
    def refuse(**kwargs):
        raise PathwayError("Indiquez un niveau pour : Plaidoyer.")

    monkeypatch.setattr(views_assessment, "self_assessment_submit", refuse)
    client.force_login(coordinator)
    data = {f"competence_{c.pk}": "2" for c in framework}
    response = client.post(reverse("self_assessment_new"), data)
    assert response.status_code == 200
    assert "Indiquez un niveau pour : Plaidoyer." in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_without_a_framework_the_form_says_so(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment_new")).content.decode()
    assert "pas encore publié" in page and "novalidate" not in page


# --- My progression ---------------------------------------------------------------------------


def test_empty_state_calls_to_action(client, coordinator, framework):
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment")).content.decode()
    assert "Vous n'avez pas encore fait le point" in page
    assert reverse("self_assessment_new") in page
    assert "<svg" not in page and "<table" not in page


def test_chart_and_table_compare_first_previous_and_latest(client, coordinator, framework):
    assess(coordinator, framework, [1, 2, 2], days_ago=400)
    assess(coordinator, framework, [2, 2, 3], days_ago=200)
    assess(coordinator, framework, [3, 2, 2], days_ago=20)
    later = Competency.objects.create(
        domain=framework[0].domain,
        name="Participation des habitant·es",
        position=9,
        **{f"level_{n}": f"Niveau {n}" for n in range(1, 5)},
    )
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment")).content.decode()
    assert "!!UNKNOWN" not in page and " style=" not in page and "<script>" not in page
    # The chart: an image with a title and a summary, one bar per assessment and competency.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="graphique-titre"' in svg
    assert '<title id="graphique-titre">' in svg
    assert svg.count("<rect") == 9  # 3 × 3 rated; the new competency has no bar yet
    assert 'width="300"' in svg and 'width="100"' in svg
    assert "Première : 1 — Découverte" in svg and "Dernière : 3 — Maîtrise" in svg
    summary = re.search(r'<figcaption id="graphique-resume"[^>]*>(.*?)</figcaption>', page, re.S)
    assert "En progrès sur 1, stable sur 2, en baisse sur 0." in summary.group(1)
    # The same data in a table, below the chart.
    assert page.index("</svg>") < page.index("<table")
    table = page[page.index("<table") : page.index("</table>")]
    assert "<caption" in table and table.count('scope="col"') == 5
    assert table.count('scope="row"') == 4 and table.count('scope="rowgroup"') == 2
    assert "+2, en progrès" in table and "stable" in table
    row = table[table.index(later.name) :]
    assert "non évaluée" in row[: row.index("</tr>")]
    assert "3 auto-évaluations depuis le" in page
    assert "Il est temps de refaire le point" not in page


def test_prompt_when_the_last_assessment_is_six_months_old(client, coordinator, framework):
    assess(coordinator, framework, [2, 2, 2], days_ago=190)
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment")).content.decode()
    assert "Il est temps de refaire le point" in page
    assert page.count("<rect") == 3
    assert "Dernière : 2 — Mise en pratique" in page


def test_one_sees_only_ones_own_assessments(client, coordinator, framework):
    other = CoordinatorProfileFactory().user
    assess(other, framework, [4, 4, 4])
    client.force_login(coordinator)
    page = client.get(reverse("self_assessment")).content.decode()
    assert "Vous n'avez pas encore fait le point" in page


# --- Aggregates -------------------------------------------------------------------------------


def aggregates(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("self_assessment_aggregates") + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "!!UNKNOWN" not in page
    return page


def averages(page):
    """The numbers shown in the table's cells."""
    table = page[page.index("<table") : page.index("</table>")]
    return re.findall(r"<td>(\d+(?:,\d)?)</td>", table)


def test_groups_under_five_are_never_shown(client, staff, framework):
    four = people_in("93", 4)
    bulk_assess(four, framework)
    page = aggregates(client, staff, "?departement=93")
    assert page.count("moins de 5 personnes : non affiché") == 3
    assert averages(page) == []
    for person in four:
        assert person.last_name not in page and person.email not in page

    fifth = people_in("93", 1)
    assess(fifth[0], framework, [4, 4, 4])
    page = aggregates(client, staff, "?departement=93")
    assert "non affiché" not in page
    cells = averages(page)
    assert len(cells) == 6 and cells[1::2] == ["5", "5", "5"]
    assert "Seine-Saint-Denis" in page
    for person in four + fifth:
        assert person.last_name not in page


def test_only_the_latest_assessment_of_each_person_counts(client, staff, framework):
    people = people_in("95", 5)
    for person in people:
        assess(person, framework, [1, 1, 1], days_ago=300)
        assess(person, framework, [3, 4, 2], days_ago=10)
    page = aggregates(client, staff, "?departement=95")
    assert averages(page) == ["3,0", "5", "4,0", "5", "2,0", "5"]


def test_partners_see_their_territory_only(client, staff, dd93, crpv95, ars_hq, framework):
    bulk_assess(people_in("93", 4), framework)
    bulk_assess(people_in("95", 6), framework)
    # Staff: the region has ten people; the 93 alone has four.
    assert "non affiché" not in aggregates(client, staff)
    assert aggregates(client, staff, "?departement=93").count("non affiché") == 3
    assert "non affiché" not in aggregates(client, staff, "?departement=95")
    # The DD 93 sees four people: hidden, whatever the département asked in the URL.
    for query in ["", "?departement=95", "?departement=75", "?departement=xx"]:
        page = aggregates(client, dd93, query)
        assert page.count("moins de 5 personnes : non affiché") == 3, query
        assert averages(page) == [] and "Val-d" not in page
    assert 'name="departement"' not in aggregates(client, dd93)  # nothing to choose
    # The CRPV 95 sees its six people.
    page = aggregates(client, crpv95)
    assert "non affiché" not in page and averages(page)[1::2] == ["6", "6", "6"]
    # The ARS head office covers the region and may narrow it down.
    assert averages(aggregates(client, ars_hq))[1::2] == ["10", "10", "10"]
    assert aggregates(client, ars_hq, "?departement=93").count("non affiché") == 3


def test_coordinators_without_a_post_count_in_the_region_only(client, staff, framework):
    bulk_assess(people_in("93", 3), framework)
    unposted = [CoordinatorProfileFactory().user for _ in range(2)]
    bulk_assess(unposted, framework)
    assert "non affiché" not in aggregates(client, staff)
    assert aggregates(client, staff, "?departement=93").count("non affiché") == 3


# --- Query counts -----------------------------------------------------------------------------


def test_my_pages_run_constant_queries(client, coordinator, framework):
    client.force_login(coordinator)
    urls = [reverse("self_assessment"), reverse("self_assessment_new")]
    bulk_assess([coordinator], framework, rounds=10)
    small = [count_queries(client, url) for url in urls]
    bulk_assess([coordinator], framework, rounds=990)
    large = [count_queries(client, url) for url in urls]
    assert small == large


@pytest.mark.parametrize("role", ["staff", "partner_dd93", "partner_ars"])
def test_aggregates_run_constant_queries(client, user_for_role, role, framework):
    client.force_login(user_for_role(role))
    urls = [
        reverse("self_assessment_aggregates"),
        reverse("self_assessment_aggregates") + "?departement=93",
    ]
    bulk_assess(people_in("93", 10), framework)
    small = [count_queries(client, url) for url in urls]
    bulk_assess(people_in("93", 500) + people_in("95", 490), framework)
    large = [count_queries(client, url) for url in urls]
    assert small == large
