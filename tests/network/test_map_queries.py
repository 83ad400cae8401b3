"""The map and a commune's panel run the same number of queries with 10 or 2,000 coordinators."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordinators.models import Post, Scheme
from network.services import directory_sync
from territories.models import Commune
from tests.helpers import count_queries

from .directory_factories import bulk_people

pytestmark = pytest.mark.django_db

URL = reverse("directory_map")
AUBERVILLIERS = "93001"  # among the communes of `bulk_people`
PANEL = {"insee": AUBERVILLIERS}
HTMX_PANEL = {"HX-Request": "true", "HX-Target": "commune"}
REQUESTS = [
    ({}, {}),
    ({"q": "plaidoyer", "kind": "CLS"}, {}),
    (PANEL, {}),
    ({**PANEL, "q": "sante mentale", "seniority": "plus-3-ans"}, {}),
    (PANEL, HTMX_PANEL),
    ({"kind": "CLSM"}, {"HX-Request": "true", "HX-Target": "carte"}),
]


def people_with_places(count):
    """`bulk_people`, whose schemes also cover the communes their people work in, each with a
    vacant post besides the held one."""
    users = bulk_people(count)
    schemes = list(Scheme.objects.filter(posts__tenures__person__in=users).distinct())
    communes = list(Commune.objects.filter(department__code="93", kind="commune-actuelle")[:30])
    Scheme.communes.through.objects.bulk_create(
        Scheme.communes.through(scheme_id=scheme.pk, commune_id=communes[i % len(communes)].pk)
        for i, scheme in enumerate(schemes)
    )
    posts = Post.objects.bulk_create(Post(opened_on=date(2015, 1, 1)) for _ in schemes)
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=post.pk, scheme_id=scheme.pk)
        for post, scheme in zip(posts, schemes, strict=True)
    )


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
@pytest.mark.parametrize(
    "params,headers",
    REQUESTS,
    ids=["map", "filtered", "panel", "panel-filtered", "htmx-panel", "htmx-map"],
)
def test_map_queries_are_constant(client, user_for_role, role, params, headers):
    client.force_login(user_for_role(role))
    people_with_places(10)
    directory_sync()
    small = count_queries_with(client, params, headers)
    people_with_places(1_990)
    directory_sync()
    large = count_queries_with(client, params, headers)
    assert small == large
    response = client.get(URL, params, headers=headers)
    if "map" in response.context:
        assert sum(c.people for c in response.context["map"]["listed"]) > 40
        assert sum(c.vacant for c in response.context["map"]["listed"]) > 40
    if "insee" in params:
        assert response.context["panel"]["people"], "Aubervilliers has people"


def count_queries_with(client, params, headers):
    if not headers:
        return count_queries(client, URL, params)
    # count_queries sends no headers: the same measure, by hand, for htmx's requests.
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params, headers=headers)
    assert response.status_code == 200
    assert b"!!UNKNOWN" not in response.content
    return len(context)
