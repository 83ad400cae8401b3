"""The library's demo: about 40 resources with real files (valid PDFs) or links, from several
providers and for every audience, some with versions, replays and slides attached to past
webinars; seeding twice changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo.library import seed_library
from demo.loaders import accounts
from resources import files
from resources.models import Resource
from resources.models.library import ResourceVersion

pytestmark = pytest.mark.django_db


def test_about_forty_resources_with_content_from_varied_providers(demo_seeded):
    assert demo_seeded["ressources de la bibliothèque (démo)"] >= 35
    assert Resource.objects.count() >= 40  # with the catalogue's and the packs'
    assert demo_seeded["replays et supports de webinaires"] >= 6
    assert all(r.has_content for r in Resource.objects.filter(is_published=True))
    assert set(Resource.objects.values_list("audience", flat=True)) == set(Resource.Audience.values)
    organisations = set(
        Resource.objects.exclude(provider_organisation=None).values_list(
            "provider_organisation__short_name", flat=True
        )
    )
    assert {"PromoSanté IdF", "CRPV 93", "CRPV 95", "ARS DD 93"} <= organisations
    julien = accounts().account("experienced").email
    assert Resource.objects.filter(provider_person__email=julien).count() >= 2
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert {"guide", "factsheet", "replay", "slides", "template", "bibliography"} <= kinds


def test_the_files_are_valid_pdfs_and_some_resources_have_versions(demo_seeded):
    for resource in Resource.objects.filter(file__endswith=".pdf")[:10]:
        with resource.file.open("rb") as handle:
            assert files.content_type_of(handle) is files.PDF
    several = [r for r in Resource.objects.all() if r.versions.count() >= 2]
    assert len(several) >= 5
    assert any(r.versions.count() == 3 for r in several)
    for resource in several:
        dates = [v.created_at for v in resource.versions.all()]
        assert dates == sorted(dates, reverse=True) and dates[-1] < timezone.now()


def test_past_webinars_have_their_replay_and_slides(demo_seeded):
    materials = Resource.objects.filter(event__isnull=False).select_related("event")
    assert materials.filter(kind="replay").count() >= 3
    assert materials.filter(kind="slides").count() >= 3
    assert all(r.event.kind == "webinar" and r.event.ends_at < timezone.now() for r in materials)


def test_a_coordinator_finds_a_resource_by_a_word_without_accents(demo_seeded):
    client = Client()
    client.force_login(User.objects.get(email=accounts().account("experienced").email))
    page = client.get(reverse("resources"), {"q": "evaluation"})
    titles = [r.title for r in page.context["page"]]
    assert "Évaluation d’un contrat local de santé : le guide pas à pas" in titles


def test_seeding_twice_changes_nothing(demo_seeded):
    before = (Resource.objects.count(), ResourceVersion.objects.count())
    assert seed_library() == seed_library()
    assert (Resource.objects.count(), ResourceVersion.objects.count()) == before
