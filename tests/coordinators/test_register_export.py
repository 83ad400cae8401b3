"""The register's export answers in a number of queries that does not grow with the register,
for each kind and format (the registrations' export is held to the same rule)."""

import pytest
from django.urls import reverse

from tests.factories import TenureFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def add_register_rows(count):
    for _ in range(count):
        TenureFactory()  # a person, a post, a scheme and its commune


@pytest.mark.parametrize("kind", ["dispositifs", "postes", "personnes"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_register_export_runs_a_constant_number_of_queries(client, staff, kind, file_format):
    client.force_login(staff)
    address = reverse("imports:export", args=[kind, file_format])
    add_register_rows(2)
    few = count_queries(client, address)
    add_register_rows(10)
    assert count_queries(client, address) == few
