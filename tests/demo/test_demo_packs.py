"""The demo's packs: two published packs of public resources (with real files), Julien's three
links (one opened 4 times, one revoked, one expired); seeding twice changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from demo.loaders import accounts
from demo.packs import seed_packs
from resources.models import Resource
from resources.models.packs import Pack, PackItem, PackLink
from resources.selectors.packs import link_state

pytestmark = pytest.mark.django_db


def test_two_packs_of_public_resources_with_content(demo_seeded):
    packs = Pack.objects.filter(is_published=True)
    assert packs.count() >= 2
    assert demo_seeded["packs pour les élu·es"] == packs.count()
    titles = set(PackItem.objects.values_list("resource__title", flat=True))
    assert {
        "Comprendre le contrat local de santé (CLS)",
        "Le coordinateur·rice santé : un métier",
        "La santé mentale dans la commune : le CLSM",
    } <= titles
    for item in PackItem.objects.select_related("resource"):
        resource = item.resource
        assert resource.is_published and resource.audience == Resource.Audience.PUBLIC
        assert resource.has_content


def test_julien_shared_three_links_opened_revoked_expired(demo_seeded):
    julien = accounts().account("experienced").email
    links = {link.label: link for link in PackLink.objects.filter(created_by__email=julien)}
    assert len(links) == 3
    states = sorted(link_state(link) for link in links.values())
    assert states == ["active", "expired", "revoked"]
    active = next(link for link in links.values() if link_state(link) == "active")
    assert active.open_count == 4 and active.last_opened_at is not None
    for link in links.values():
        assert link.created_at < link.expires_at


def test_the_demo_s_shared_page_opens_its_pdf_without_an_account(demo_seeded):
    julien = accounts().account("experienced").email
    link = next(
        link
        for link in PackLink.objects.filter(created_by__email=julien)
        if link_state(link) == "active"
    )
    client = Client()
    page = client.get(reverse("shared_pack", args=[link.token]))
    assert page.status_code == 200
    assert "Julien Moreau" in page.content.decode()
    item = PackItem.objects.filter(pack=link.pack, resource__file__gt="").first()
    document = client.get(reverse("shared_resource", args=[link.token, item.resource_id]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF-")


def test_seeding_again_changes_nothing(demo_seeded):
    before = (
        Pack.objects.count(),
        PackItem.objects.count(),
        PackLink.objects.count(),
        Resource.objects.count(),
        sorted(PackLink.objects.values_list("open_count", flat=True)),
    )
    figures = seed_packs()
    after = (
        Pack.objects.count(),
        PackItem.objects.count(),
        PackLink.objects.count(),
        Resource.objects.count(),
        sorted(PackLink.objects.values_list("open_count", flat=True)),
    )
    assert after == before
    assert figures["liens de partage de packs"] == before[2]
