"""The library's list (issue #13): the directory's accent-insensitive search, the filters,
versions, `new_for`, and constant queries from 10 to 2,000 resources."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.access import Access, Role
from accounts.models import Organisation
from coordinators.models import Topic
from resources import services
from resources.models import Resource, ResourceRead
from resources.models.library import ResourceVersion
from resources.selectors import library as selectors
from tests.helpers import count_queries
from tests.learning.pathway_factories import CompetencyFactory

pytestmark = pytest.mark.django_db


def publish(title, **fields):
    topics = fields.pop("topics", [])
    competencies = fields.pop("competencies", [])
    values = {"kind": Resource.Kind.GUIDE, "url": "https://ressources.example.org/doc", **fields}
    return services.resource_save(
        resource=Resource(title=title, **values), competencies=competencies, topics=topics
    )


def titles(client, **params):
    return [r.title for r in client.get(reverse("resources"), params).context["page"]]


def test_the_search_ignores_accents_and_case_and_finds_words_of_the_summary(client, coordinator):
    publish("Évaluation d’un contrat local de santé", summary="Les indicateurs.")
    publish("Fiche repère : le diagnostic local de santé", kind=Resource.Kind.FACTSHEET)
    publish("Replay — webinaire santé mentale et logement", kind=Resource.Kind.REPLAY)
    client.force_login(coordinator)
    assert titles(client, q="evaluation") == ["Évaluation d’un contrat local de santé"]
    assert titles(client, q="DIAGNOSTIC") == ["Fiche repère : le diagnostic local de santé"]
    assert titles(client, q="indicateurs") == ["Évaluation d’un contrat local de santé"]
    assert titles(client, q="sante mentale") == ["Replay — webinaire santé mentale et logement"]
    assert titles(client, q="zythologie") == []
    # A search and a filter together.
    assert titles(client, q="sante", kind="factsheet") == [
        "Fiche repère : le diagnostic local de santé"
    ]


def test_filters_by_kind_competency_topic_scheme_provider_and_event(client, coordinator):
    from tests.factories import EventFactory

    crpv = Organisation.objects.create(name="CRPV Essonne", short_name="CRPV 91", kind="crpv")
    topic, _ = Topic.objects.get_or_create(name="Logement")
    competency = CompetencyFactory(name="Diagnostic")
    event = EventFactory(title="Webinaire logement")
    publish("Replay logement", kind=Resource.Kind.REPLAY, event=event, topics=[topic])
    publish("Bibliographie CLSM", kind="bibliography", scheme_types=["CLSM"])
    publish("Guide CLS", scheme_types=["CLS"], provider_organisation=crpv)
    publish("Trame du diagnostic", kind="template", competencies=[competency])
    publish("Par un pair", provider_person=coordinator)
    client.force_login(coordinator)
    assert titles(client, kind="bibliography") == ["Bibliographie CLSM"]
    assert titles(client, scheme_type="CLS") == ["Guide CLS"]  # not "CLSM"
    assert titles(client, topic=topic.pk) == ["Replay logement"]
    assert titles(client, competency=competency.pk) == ["Trame du diagnostic"]
    assert titles(client, provider=f"org:{crpv.pk}") == ["Guide CLS"]
    assert titles(client, provider=f"person:{coordinator.pk}") == ["Par un pair"]
    assert titles(client, event="replays") == ["Replay logement"]
    # Bad values typed in the URL: left out, never an error page.
    for bad in [{"topic": "x"}, {"provider": "org:abc"}, {"kind": "podcast"}, {"page": "-3"}]:
        response = client.get(reverse("resources"), bad)
        assert response.status_code == 200 and len(response.context["page"]) == 5, bad
    # The audience filter is the team's.
    assert "audience" not in client.get(reverse("resources")).context["form"].fields


def test_the_list_and_pages_follow_the_audience():
    for audience in Resource.Audience.values:
        publish(f"Pour {audience}", audience=audience)
    seen = {
        role: sorted(r.title for r in selectors.visible(Access(role=role)))
        for role in (Role.COORDINATOR, Role.PARTNER, Role.STAFF, Role.ANONYMOUS)
    }
    assert seen[Role.COORDINATOR] == ["Pour coordinators", "Pour network", "Pour public"]
    assert seen[Role.PARTNER] == ["Pour network", "Pour partners", "Pour public"]
    assert len(seen[Role.STAFF]) == 4
    assert seen[Role.ANONYMOUS] == ["Pour public"]


def test_versions_keep_the_earlier_content_and_opening_one_is_a_reading(client, staff, coordinator):
    resource = publish("Guide du diagnostic", url="https://ressources.example.org/v1")
    client.force_login(staff)
    refused = client.post(reverse("resource_version_add", args=[resource.pk]), {"note": "x"})
    assert "Ajoutez le fichier ou le lien" in str(refused.context["form"].errors)
    lying = SimpleUploadedFile("v2.pdf", b"MZ\x90\x00\x00")
    response = client.post(
        reverse("resource_version_add", args=[resource.pk]), {"file": lying, "note": "v2"}
    )
    assert response.status_code == 200 and ResourceVersion.objects.count() == 1
    response = client.post(
        reverse("resource_version_add", args=[resource.pk]),
        {"file": SimpleUploadedFile("guide v2.pdf", b"%PDF-1.7 v2"), "note": "Chiffres 2025"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.url == "" and resource.file.name.endswith("guide-v2.pdf")
    current, first = selectors.versions_of(resource)
    assert (current.note, first.url) == ("Chiffres 2025", "https://ressources.example.org/v1")
    client.force_login(coordinator)
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    assert "Version actuelle" in page and "Chiffres 2025" in page
    assert reverse("resource_version_open", args=[resource.pk, first.pk]) in page
    response = client.get(reverse("resource_version_open", args=[resource.pk, first.pk]))
    assert response["Location"] == "https://ressources.example.org/v1"
    assert ResourceRead.objects.filter(resource=resource, person=coordinator).count() == 1
    other = publish("Autre")
    url = reverse("resource_version_open", args=[other.pk, first.pk])
    assert client.get(url).status_code == 404  # not a version of that resource


def test_changing_the_link_in_the_form_is_a_new_version(client, staff):
    resource = publish("Guide", url="https://ressources.example.org/v1")
    client.force_login(staff)
    data = {
        "title": "Guide",
        "kind": "guide",
        "audience": "network",
        "url": "https://ressources.example.org/v2",
        "version_note": "Nouvelle adresse",
        "is_published": "on",
    }
    assert client.post(reverse("resource_edit", args=[resource.pk]), data).status_code == 302
    client.post(reverse("resource_edit", args=[resource.pk]), {**data, "title": "Guide (titre)"})
    assert [v.note for v in selectors.versions_of(resource)] == ["Nouvelle adresse", ""]


def test_new_for_gives_what_a_person_may_read_published_since_a_date():
    old = publish("Ancienne")
    Resource.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=10))
    publish("Nouvelle")
    publish("Pour les partenaires", audience="partners")
    publish("Brouillon", is_published=False, url="")
    since = timezone.now() - timedelta(days=7)
    assert [r.title for r in selectors.new_for(Access(role=Role.COORDINATOR), since)] == [
        "Nouvelle"
    ]


def bulk_resources(count, *, topic, competency, provider):
    resources = Resource.objects.bulk_create(
        Resource(
            title=f"Fiche n° {n} : santé mentale",
            name=f"fiche n {n} sante mentale",
            document=f"fiche n {n} sante mentale logement",
            kind=Resource.Kind.FACTSHEET,
            url="https://ressources.example.org/fiche",
            provider_organisation=provider,
            scheme_types=["CLSM"],
            published_at=timezone.now(),
        )
        for n in range(count)
    )
    Resource.topics.through.objects.bulk_create(
        Resource.topics.through(resource=r, topic=topic) for r in resources
    )
    Resource.competencies.through.objects.bulk_create(
        Resource.competencies.through(resource=r, competency=competency) for r in resources
    )
    ResourceVersion.objects.bulk_create(
        ResourceVersion(resource=r, url=r.url, note="v1") for r in resources
    )
    return resources[0]


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
def test_list_and_page_queries_are_constant_from_10_to_2000(client, user_for_role, role):
    client.force_login(user_for_role(role))
    topic, _ = Topic.objects.get_or_create(name="Santé mentale")
    competency = CompetencyFactory()
    provider = Organisation.objects.create(name="PromoSanté test", kind="promosante")
    first = bulk_resources(10, topic=topic, competency=competency, provider=provider)
    searches = [{}, {"q": "sante mentale"}, {"topic": topic.pk, "scheme_type": "CLSM"}]
    urls = [(reverse("resources"), params) for params in searches]
    urls.append((reverse("resource", args=[first.pk]), {}))
    small = [count_queries(client, url, params) for url, params in urls]
    bulk_resources(1_990, topic=topic, competency=competency, provider=provider)
    for _ in range(5):
        ResourceVersion.objects.create(resource=first, url=first.url, note="encore")
    large = [count_queries(client, url, params) for url, params in urls]
    assert small == large


def test_the_provider_filter_lists_each_provider_once(client, coordinator):
    crpv = Organisation.objects.create(name="CRPV Essonne", short_name="CRPV 91", kind="crpv")
    for n in range(3):
        publish(f"Fiche {n}", provider_organisation=crpv)
        publish(f"Outil {n}", provider_person=coordinator)
    access = Access(role=Role.COORDINATOR)
    assert sorted(selectors.providers(access)) == sorted(
        [
            (f"org:{crpv.pk}", "CRPV Essonne"),
            (f"person:{coordinator.pk}", coordinator.get_full_name()),
        ]
    )
