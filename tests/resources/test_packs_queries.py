"""The packs' pages run the same number of queries with 10 or 2,000 packs, resources in a pack
or links: the packs list, a pack's page, the shared page and "Mes liens de partage"."""

import pytest
from django.urls import reverse

from resources.models.packs import Pack
from tests.helpers import count_queries

from .packs_factories import bulk_items, bulk_links, bulk_packs, published_pack, share

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_the_packs_list_s_queries_are_constant(client, user_for_role, role):
    client.force_login(user_for_role(role))
    bulk_packs(10)
    url = reverse("packs")
    small = count_queries(client, url)
    bulk_packs(1_990)
    assert count_queries(client, url) == small
    assert count_queries(client, url, {"page": "40"}) == small
    assert Pack.objects.count() == 2_000


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_a_pack_s_page_queries_are_constant(client, user_for_role, role):
    client.force_login(user_for_role(role))
    pack = published_pack()
    bulk_items(pack, 10)
    url = reverse("pack", args=[pack.pk])
    small = count_queries(client, url)
    bulk_items(pack, 1_990)
    assert count_queries(client, url) == small


def test_the_shared_page_s_queries_are_constant(client, coordinator):
    pack = published_pack()
    bulk_items(pack, 10)
    url = reverse("shared_pack", args=[share(pack, coordinator).token])
    small = count_queries(client, url)
    bulk_items(pack, 1_990)
    assert count_queries(client, url) == small
    assert client.get(url).content.decode().count("/ressources/partage/") >= 2_000


def test_my_links_page_s_queries_are_constant(client, coordinator):
    client.force_login(coordinator)
    pack = published_pack()
    bulk_links(pack, coordinator, 10)
    url = reverse("pack_links")
    small = count_queries(client, url)
    bulk_links(pack, coordinator, 1_990)
    assert count_queries(client, url) == small
    assert count_queries(client, url, {"page": "20"}) == small
