"""The library (first version): role × page × action, filters, opening a resource (a reading
that completes pathway steps), staff edits, query counts."""

import pytest
from django.urls import reverse

from learning import pathways
from learning.models import StepCompletion
from resources import services
from resources.models import Resource, ResourceRead
from tests.factories import UserFactory
from tests.helpers import count_queries, login
from tests.learning.pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    PathwayStepFactory,
    ResourceFactory,
)
from tests.test_permissions import MEMBERS, ROLES, TEAM

pytestmark = pytest.mark.django_db


def expected_status(role, allowed):
    return 200 if role in allowed else (302 if role == "anonymous" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_resource_pages_by_role(client, user_for_role, role):
    resource = ResourceFactory()
    draft = ResourceFactory(is_published=False)
    login(client, user_for_role(role))
    pages = {
        reverse("resources"): MEMBERS,
        reverse("resource", args=[resource.pk]): MEMBERS,
        reverse("resource_create"): TEAM,
        reverse("resource_edit", args=[resource.pk]): TEAM,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        assert response.status_code == expected_status(role, allowed), (url, role)
        if response.status_code == 200:
            assert b"!!UNKNOWN" not in response.content, url
    # A draft is seen by staff only; for the others it does not exist.
    response = client.get(reverse("resource", args=[draft.pk]))
    if role in TEAM:
        assert response.status_code == 200
    elif role in MEMBERS:
        assert response.status_code == 404
    else:
        assert response.status_code == expected_status(role, set())


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_resource_by_role(client, user_for_role, role):
    resource = ResourceFactory(url="https://ressources.example.org/boussole.pdf")
    user = user_for_role(role)
    login(client, user)
    response = client.get(reverse("resource_open", args=[resource.pk]))
    if role in MEMBERS:
        assert response.status_code == 302
        assert response["Location"] == "https://ressources.example.org/boussole.pdf"
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert "ressources.example.org" not in response.get("Location", "")
    # Only coordinators' readings are recorded (they count for their pathways).
    assert ResourceRead.objects.filter(resource=resource).count() == (role == "coordinator")


def test_open_is_a_link_and_drafts_are_not_opened(client, coordinator):
    resource = ResourceFactory()
    draft = ResourceFactory(is_published=False)
    client.force_login(coordinator)
    assert client.post(reverse("resource_open", args=[resource.pk])).status_code == 405
    assert client.get(reverse("resource_open", args=[draft.pk])).status_code == 404
    assert not ResourceRead.objects.exists()


def test_opening_a_resource_completes_the_pathway_step(client, coordinator):
    resource = ResourceFactory(title="La boussole", url="https://ressources.example.org/b")
    step = PathwayStepFactory(kind="resource", resource=resource)
    other = PathwayStepFactory(kind="resource", pathway=step.pathway)
    enrolment = pathways.pathway_join(pathway=step.pathway, person=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    assert "Ouvrir la ressource" in page and "valide les étapes de vos parcours" in page
    client.get(reverse("resource_open", args=[resource.pk]))
    completion = StepCompletion.objects.get(enrolment=enrolment)
    assert completion.step == step and completion.source == StepCompletion.Source.READING
    assert other.pk != completion.step_id
    # Opening it again changes nothing; the page says it was read.
    client.get(reverse("resource_open", args=[resource.pk]))
    assert ResourceRead.objects.count() == 1 and StepCompletion.objects.count() == 1
    assert "Consultée" in client.get(reverse("resource", args=[resource.pk])).content.decode()


def test_a_resource_without_content_opens_nothing_and_is_never_read(client, coordinator):
    """Issue 11, #6: before, the button of a resource with neither file nor link recorded a
    reading (and completed the pathway step) while opening nothing."""
    resource = ResourceFactory(url="")  # published before content was required
    step = PathwayStepFactory(kind="resource", resource=resource)
    pathways.pathway_join(pathway=step.pathway, person=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    assert "Ouvrir la ressource" not in page and "pas encore de contenu" in page
    response = client.get(reverse("resource_open", args=[resource.pk]), follow=True)
    assert response.redirect_chain == [(reverse("resource", args=[resource.pk]), 302)]
    assert "rien à ouvrir" in response.content.decode()
    assert not ResourceRead.objects.exists() and not StepCompletion.objects.exists()
    with pytest.raises(services.ResourceError):
        services.resource_read(resource=resource, person=coordinator)


def test_resource_filters(client, coordinator):
    plaidoyer = CompetencyFactory(name="Plaidoyer")
    guide = ResourceFactory(title="Guide du plaidoyer", kind="guide")
    guide.competencies.set([plaidoyer])
    ResourceFactory(title="Fiche méthode", kind="factsheet")
    ResourceFactory(title="Brouillon", kind="guide", is_published=False)
    client.force_login(coordinator)

    def titles(**params):
        return [r.title for r in client.get(reverse("resources"), params).context["page"]]

    assert titles() == ["Fiche méthode", "Guide du plaidoyer"]
    assert titles(kind="guide") == ["Guide du plaidoyer"]
    assert titles(competency=plaidoyer.pk) == ["Guide du plaidoyer"]
    assert titles(kind="factsheet", competency=plaidoyer.pk) == []
    assert client.get(reverse("resources"), {"kind": "x", "competency": "y"}).status_code == 200


def resource_form(**overrides):
    data = {
        "title": "Fiche : animer un comité de pilotage",
        "kind": "factsheet",
        "summary": "Les **étapes** d'un comité réussi.",
        "audience": "network",
        "url": "https://ressources.example.org/copil.pdf",
        "is_published": "on",
    }
    return {**data, **overrides}


def test_staff_create_and_edit_a_resource(client, staff):
    offer = OfferFactory(title="Animer")
    competency = CompetencyFactory()
    client.force_login(staff)
    response = client.post(reverse("resource_create"), resource_form(competencies=[competency.pk]))
    resource = Resource.objects.get()
    assert response["Location"] == reverse("resource", args=[resource.pk])
    assert list(resource.competencies.all()) == [competency]
    client.post(reverse("resource_edit", args=[resource.pk]), resource_form(title="Nouveau titre"))
    resource.refresh_from_db()
    assert resource.title == "Nouveau titre"
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    assert "<strong>étapes</strong>" in page
    # The offer it belongs to is chosen on the offer (learning owns the link); both pages say so.
    offer.resources.add(resource)
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    assert f'<a href="{reverse("offer", args=[offer.pk])}">Animer</a>' in page
    assert "Nouveau titre" in client.get(reverse("offer", args=[offer.pk])).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Ce champ est obligatoire"),
        ({"url": "pas une adresse"}, "url", "Saisissez une URL valide"),
        ({"kind": "inconnu"}, "kind", "Sélectionnez un choix valide"),
        ({"competencies": ["999999"]}, "competencies", "Sélectionnez un choix valide"),
    ],
)
def test_bad_resource_forms_save_nothing(client, staff, overrides, field, message):
    client.force_login(staff)
    response = client.post(reverse("resource_create"), resource_form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert not Resource.objects.exists()


def add_resources(count):
    competencies = [CompetencyFactory() for _ in range(2)]
    offer = OfferFactory()
    for _ in range(count):
        resource = ResourceFactory()
        resource.competencies.set(competencies)
        offer.resources.add(resource)
    return Resource.objects.first()


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_resource_pages_queries_are_constant(client, user_for_role, role):
    user = user_for_role(role)
    client.force_login(user)
    first = add_resources(3)
    services.resource_read(resource=first, person=user)
    urls = [reverse("resources"), reverse("resource", args=[first.pk])]
    small = [count_queries(client, url) for url in urls]
    add_resources(40)
    for _ in range(20):
        services.resource_read(resource=first, person=UserFactory())
    large = [count_queries(client, url) for url in urls]
    assert small == large
