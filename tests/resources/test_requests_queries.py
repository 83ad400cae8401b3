"""The team's list of requests (with its counts by state, département and scheme type) and the
resource page's block run the same number of queries with 10 or 2,000 requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import access_for
from resources.selectors.requests import resource_page_block
from tests.helpers import count_queries

from .requests_factories import ask, bulk_requests, coordinator_in_post, on_request_resource

pytestmark = pytest.mark.django_db

LISTS = [{}, {"state": "sent", "department": "93"}, {"format": "printed", "page": "3"}]


@pytest.mark.parametrize("params", LISTS, ids=["all", "filtered", "page"])
def test_the_team_s_list_queries_are_constant(client, staff, params):
    resource = on_request_resource()
    client.force_login(staff)
    bulk_requests(10, resource)
    url = reverse("resource_requests")
    small = count_queries(client, url, {**params, "resource": resource.pk})
    bulk_requests(1_990, resource)
    large = count_queries(client, url, {**params, "resource": resource.pk})
    assert small == large
    counts = client.get(url, params).context["counts"]
    assert sum(n for _, n in counts.departments) == counts.states["total"] > 100
    export = reverse("resource_requests_export", args=["csv"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(export, params).status_code == 200
    assert len(queries) < 10


def _block_queries(resource, person):
    with CaptureQueriesContext(connection) as context:
        block = resource_page_block(resource, access=access_for(person), person=person)
    return len(context), block


@pytest.mark.parametrize("who", ["coordinator", "team"])
def test_the_block_s_queries_are_constant(staff, who):
    resource = on_request_resource()
    person = staff if who == "team" else coordinator_in_post()
    if who == "coordinator":
        ask(resource, person)
    bulk_requests(10, resource)
    small, block = _block_queries(resource, person)
    bulk_requests(1_990, resource)
    large, block = _block_queries(resource, person)
    assert small == large
    if who == "team":
        assert block.counts["total"] == 2_000
    else:
        assert block.mine.requester == person


def test_my_requests_page_queries_are_constant(client):
    person = coordinator_in_post()
    client.force_login(person)
    resources = [on_request_resource(title=f"Guide n° {i}") for i in range(12)]
    ask(resources[0], person)
    small = count_queries(client, reverse("my_resource_requests"))
    for resource in resources[1:]:
        ask(resource, person, format="digital")
    assert count_queries(client, reverse("my_resource_requests")) == small
