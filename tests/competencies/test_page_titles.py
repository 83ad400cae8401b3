"""Every page title of the catalogue, the pathways, the framework and the library says which
object it shows (issue 11, #10): a pathway, an offer, a resource, a competency domain and a
competency all called « Promotion de la santé » have five different titles on each kind of page."""

import re

import pytest
from django.urls import reverse

from tests.learning.pathway_factories import (
    CompetencyDomainFactory,
    CompetencyFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Promotion de la santé"


def title(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_each_page_title_names_the_kind_of_object(client, staff):
    pathway = PathwayFactory(title=NAME)
    domain = CompetencyDomainFactory(name=NAME)
    competency = CompetencyFactory(name=NAME, domain=domain)
    offer = OfferFactory(title=NAME)
    resource = ResourceFactory(title=NAME)
    step = PathwayStepFactory(pathway=pathway, title=NAME)
    other_step = PathwayStepFactory(pathway=PathwayFactory(title="Autre parcours"), title=NAME)
    client.force_login(staff)
    edits = {
        reverse("pathway_edit", args=[pathway.pk]): "Modifier le parcours « Promotion",
        reverse("domain_edit", args=[domain.pk]): "Modifier le domaine de compétences « Promo",
        reverse("competency_edit", args=[competency.pk]): "Modifier la compétence « Promotion",
        reverse("offer_edit", args=[offer.pk]): "Modifier l'offre « Promotion",
        reverse("resource_edit", args=[resource.pk]): "Modifier la ressource « Promotion",
        reverse("step_edit", args=[step.pk]): "Modifier l'étape « Promotion de la santé » du "
        "parcours « Promotion",
        reverse("step_edit", args=[other_step.pk]): "Modifier l'étape « Promotion de la santé » "
        "du parcours « Autre parcours",
    }
    details = {
        reverse("pathway", args=[pathway.pk]): "Parcours « Promotion",
        reverse("offer", args=[offer.pk]): "Offre « Promotion",
        reverse("resource", args=[resource.pk]): "Ressource « Promotion",
    }
    titles = {url: title(client, url).replace("&#x27;", "'") for url in {**edits, **details}}
    for url, start in {**edits, **details}.items():
        assert titles[url].startswith(start), (url, titles[url])
    assert len(set(titles.values())) == len(titles)
