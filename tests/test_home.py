"""Mon espace: what a coordinator finds on the home page once logged in (posts, next events,
pathways with their next step and session, a recommendation, the latest self-assessment)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import pathways
from learning.progress import NEWCOMERS_PATHWAY

from .factories import EventFactory, TenureFactory
from .learning.pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    SelfAssessmentFactory,
)

pytestmark = pytest.mark.django_db


def page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "!!UNKNOWN" not in html
    return html


def test_my_space_shows_pathways_recommendation_and_assessment(client, coordinator):
    offer = OfferFactory()
    pathway = PathwayFactory(title="Premiers pas")
    PathwayStepFactory(pathway=pathway, kind="event", offer=offer, title="Un webinaire")
    PathwayStepFactory(pathway=pathway, title="Présenter le CLS à son élu")
    session = EventFactory(title="Webinaire de rentrée", offer=offer)
    TenureFactory(person=coordinator, started_on=timezone.localdate() - datetime.timedelta(30))
    newcomers = PathwayFactory(title=NEWCOMERS_PATHWAY)
    pathways.pathway_join(pathway=pathway, person=coordinator)
    client.force_login(coordinator)
    html = page(client)
    assert "Mes postes" in html and "Mes prochains événements" in html  # kept
    assert "Mes parcours" in html and "Premiers pas" in html
    assert "0 étape obligatoire faite sur 2" in html
    assert "Prochaine étape" in html and "Un webinaire" in html
    assert "Webinaire de rentrée" in html
    assert reverse("event_register", args=[session.pk]) in html
    assert "Recommandé pour vous" in html and "première année" in html
    assert reverse("pathway_join", args=[newcomers.pk]) in html
    assert "Ma dernière auto-évaluation" in html
    assert "Faites le point sur vos compétences" in html  # never assessed: due
    assert reverse("self_assessment_new") in html
    competency = CompetencyFactory(name="Plaidoyer")
    SelfAssessmentFactory(person=coordinator, levels={competency: 2})
    html = page(client)
    assert "Plaidoyer : 2/4 (mise en pratique)" in html
    assert reverse("self_assessment") in html
    assert "Faites le point sur vos compétences" not in html


def test_my_space_without_pathway(client, coordinator):
    client.force_login(coordinator)
    html = page(client)
    assert "Vous ne suivez aucun parcours pour l'instant." in html
    assert "Recommandé pour vous" not in html


def test_my_space_asks_again_after_six_months(client, coordinator):
    competency = CompetencyFactory(name="Animation")
    SelfAssessmentFactory(
        person=coordinator,
        levels={competency: 3},
        created_at=timezone.now() - datetime.timedelta(days=200),
    )
    client.force_login(coordinator)
    html = page(client)
    assert "Six mois ont passé" in html
    assert "Animation : 3/4 (maîtrise)" in html


@pytest.mark.parametrize("role", ["staff", "partner_dd93", "superuser"])
def test_my_space_of_others_has_no_pathways(client, user_for_role, role):
    client.force_login(user_for_role(role))
    html = page(client)
    assert "Mes parcours" not in html and "Mes prochains événements" in html
