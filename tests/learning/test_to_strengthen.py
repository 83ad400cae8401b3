"""A self-assessment recommends what to take (issue 11, #7): after rating « Plaidoyer » 1/4, the
offers working on it (regional or of one's département), their next sessions with dates and the
pathways that cover it, right after the self-assessment and in Mon espace."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from learning.selectors import competencies_to_strengthen
from territories.models import Department
from tests.factories import EventFactory, PostFactory, SchemeFactory, TenureFactory, in_days
from tests.helpers import count_queries, login

from .pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    SelfAssessmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    """« Plaidoyer » and « Méthodologie » ; a regional advocacy offer with two sessions, one of
    the 93 and one of the 95, a pathway taking the regional offer."""
    advocacy = CompetencyFactory(name="Plaidoyer")
    method = CompetencyFactory(name="Méthodologie de projet")
    regional = OfferFactory(title="Plaidoyer et positionnement", competencies=[advocacy])
    in93 = OfferFactory(
        title="Matinales des élu·es du 93",
        competencies=[advocacy],
        departments=[Department.objects.get(code="93")],
    )
    in95 = OfferFactory(
        title="Ateliers du 95",
        competencies=[advocacy],
        departments=[Department.objects.get(code="95")],
    )
    OfferFactory(title="Méthode de projet", competencies=[method])
    sessions = [
        EventFactory(offer=regional, title="Plaidoyer n° 2", starts_at=in_days(30)),
        EventFactory(offer=regional, title="Plaidoyer n° 1", starts_at=in_days(9)),
        EventFactory(offer=regional, title="Passé", starts_at=in_days(-9), ends_at=in_days(-9, 12)),
    ]
    pathway = PathwayFactory(title="Renouvellement de CLS")
    PathwayStepFactory(pathway=pathway, kind="event", offer=regional)
    return advocacy, method, regional, in93, in95, sessions, pathway


def coordinator_in_93(coordinator):
    TenureFactory(person=coordinator, post=PostFactory(schemes=[SchemeFactory()]))
    return coordinator


def test_rating_advocacy_1_of_4_proposes_its_offers_sessions_and_pathways(
    client, coordinator, catalogue
):
    advocacy, method, regional, in93, in95, sessions, pathway = catalogue
    person = coordinator_in_93(coordinator)
    SelfAssessmentFactory(person=person, levels={advocacy: 1, method: 3})
    [found] = competencies_to_strengthen(person)  # « Méthodologie » at 3: nothing to add
    assert (found.competency, found.level) == (advocacy, 1)
    assert [o.offer for o in found.offers] == [in93, regional]  # not the 95's
    assert [[e.title for e in o.sessions] for o in found.offers] == [
        [],
        ["Plaidoyer n° 1", "Plaidoyer n° 2"],
    ]
    assert found.pathways == [pathway]

    login(client, person)
    for url in (reverse("self_assessment"), reverse("home")):
        html = client.get(url).content.decode()
        assert "Pour renforcer ce que vous avez noté le plus bas" in html, url
        assert "Plaidoyer <span" in html and "(vous : 1/4)" in html
        assert f'<a href="{reverse("offer", args=[regional.pk])}">' in html
        assert "Ateliers du 95" not in html
        day = date_format(timezone.localtime(sessions[1].starts_at), "j F Y")
        assert f'<a href="{reverse("event", args=[sessions[1].pk])}">{day}</a>' in html
        assert f'<a href="{reverse("pathway", args=[pathway.pk])}">Renouvellement de CLS</a>' in (
            html
        )


def test_the_self_assessment_form_leads_to_the_recommendations(client, coordinator, catalogue):
    advocacy, method, *_ = catalogue
    login(client, coordinator)
    response = client.post(
        reverse("self_assessment_new"),
        {f"competence_{advocacy.pk}": "1", f"competence_{method.pk}": "2"},
        follow=True,
    )
    html = response.content.decode()
    assert "Pour renforcer ce que vous avez noté le plus bas" in html
    assert html.index("Plaidoyer <span") < html.index("Méthodologie de projet <span")


def test_nothing_to_strengthen_says_nothing(client, coordinator, catalogue):
    advocacy, method, *_ = catalogue
    SelfAssessmentFactory(person=coordinator, levels={advocacy: 3, method: 4})
    assert competencies_to_strengthen(coordinator) == []
    login(client, coordinator)
    assert "Pour renforcer" not in client.get(reverse("home")).content.decode()


def test_recommendations_run_a_constant_number_of_queries(client, coordinator, catalogue):
    advocacy, method, regional, *_ = catalogue
    person = coordinator_in_93(coordinator)
    SelfAssessmentFactory(person=person, levels={advocacy: 1, method: 2})
    login(client, person)
    urls = [reverse("self_assessment"), reverse("home")]
    client.get(reverse("home"))  # the home's first visit writes the person's directory entry
    small = [count_queries(client, url) for url in urls]
    for n in range(6):
        offer = OfferFactory(competencies=[advocacy, method])
        for days in (5, 12, 20, 40):
            EventFactory(offer=offer, starts_at=in_days(days + n))
        PathwayStepFactory(kind="event", offer=offer)
    large = [count_queries(client, url) for url in urls]
    assert small == large
