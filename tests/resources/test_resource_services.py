"""Writes and reads of the library (`resources.services`, `resources.selectors`)."""

import pytest

from accounts.access import Access, Role
from resources import services
from resources.models import Resource
from resources.selectors import library as selectors
from tests.factories import UserFactory
from tests.learning.pathway_factories import (
    CompetencyFactory,
    OfferFactory,
    ResourceFactory,
    ResourceReadFactory,
)

pytestmark = pytest.mark.django_db


def library():
    return sorted(Resource.objects.values_list("pk", "title", "kind")), sorted(
        Resource.competencies.through.objects.values_list("resource_id", "competency_id")
    )


def test_a_resource_is_saved_with_its_competencies():
    active = CompetencyFactory()
    resource = services.resource_save(
        resource=Resource(
            title="  Guide du diagnostic ", kind=Resource.Kind.GUIDE, url="https://ex.org/g"
        ),
        competencies=[active],
    )
    resource.refresh_from_db()
    assert resource.title == "Guide du diagnostic"
    assert list(resource.competencies.all()) == [active]


def test_a_competency_no_longer_offered_stays_on_a_resource_but_is_not_added():
    kept = CompetencyFactory()
    resource = ResourceFactory()
    resource.competencies.set([kept])
    kept.is_active = False
    kept.save()
    services.resource_save(resource=resource, competencies=[kept])  # unchanged: fine
    assert list(resource.competencies.all()) == [kept]

    retired = CompetencyFactory(name="Ancienne compétence", is_active=False)
    before = library()
    with pytest.raises(services.ResourceError, match="plus proposées : Ancienne compétence."):
        services.resource_save(resource=resource, competencies=[kept, retired])
    assert library() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "Donnez un titre à la ressource."),
        ({"title": "x" * 201}, "Un titre fait au plus 200 caractères."),
        ({"kind": "podcast"}, "Choisissez le type de la ressource."),
        ({}, "Ajoutez un fichier ou un lien avant de publier la ressource"),
    ],
)
def test_a_refused_resource_says_why_and_saves_nothing(fields, message):
    ResourceFactory()
    before = library()
    values = {"title": "Fiche", "kind": Resource.Kind.FACTSHEET, **fields}
    with pytest.raises(services.ResourceError, match=message):
        services.resource_save(resource=Resource(**values), competencies=[CompetencyFactory()])
    assert library() == before


def test_drafts_are_seen_by_editors_only_and_each_carries_the_person_s_reading():
    person = UserFactory()
    published = ResourceFactory()
    draft = ResourceFactory(is_published=False)
    read = ResourceReadFactory(resource=published, person=person)
    ResourceReadFactory(resource=draft)  # someone else's reading
    editor, reader = Access(role=Role.STAFF), Access(role=Role.COORDINATOR)

    readers = {r.pk: r.read_at for r in selectors.visible(editor, person)}
    assert readers == {published.pk: read.read_at, draft.pk: None}
    assert [r.pk for r in selectors.visible(reader, person)] == [published.pk]

    assert selectors.resource_page(draft.pk, access=reader, person=person) is None
    assert selectors.resource_page(draft.pk, access=editor, person=person) == draft
    assert selectors.resource_page(draft.pk + 100, access=editor, person=person) is None


def test_facts_come_from_the_floors_above_for_many_resources_at_once(django_assert_num_queries):
    first, second = ResourceFactory(), ResourceFactory()
    OfferFactory(title="Webinaire diagnostic").resources.add(first)
    with django_assert_num_queries(1):
        facts = selectors.resource_facts([first, second])
    assert [fact.text for fact in facts[first.pk]] == ["Webinaire diagnostic"]
    assert second.pk not in facts
