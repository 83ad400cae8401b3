"""The directory runs the same number of queries with 10 or 2,000 coordinators, and on
PostgreSQL its search uses its indexes."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.models import Competency
from network.models import DirectoryEntry
from network.search import search_entries
from network.services import directory_sync
from tests.helpers import count_queries

from .directory_factories import bulk_people

pytestmark = pytest.mark.django_db

URL = reverse("directory")
SEARCHES = [
    {},
    {"q": "plaidoyer élus"},
    {"q": "sante mentale", "kind": "CLS", "seniority": "plus-3-ans"},
    {"q": "plaidoyer des masses", "competency": "first"},
    {"q": "a", "page": "3"},
]


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
@pytest.mark.parametrize("params", SEARCHES, ids=["all", "search", "filtered", "offers", "short"])
def test_directory_queries_are_constant(client, user_for_role, role, params):
    client.force_login(user_for_role(role))
    bulk_people(10)
    if params.get("competency") == "first":  # the competency `bulk_people` makes
        params = {**params, "competency": Competency.objects.get(name="Plaidoyer des masses").pk}
    directory_sync()
    small = count_queries(client, URL, params)
    bulk_people(1_990)
    directory_sync()
    large = count_queries(client, URL, params)
    assert small == large
    assert client.get(URL, params).context["page"].paginator.count > 40  # found, on 3 pages


def sync_queries():
    with CaptureQueriesContext(connection) as context:
        written = directory_sync()
    return written, len(context)


def test_sync_queries_are_constant():
    bulk_people(10)
    small = sync_queries()
    small_unchanged = sync_queries()
    bulk_people(1_990)
    large = sync_queries()
    large_unchanged = sync_queries()
    assert (small[0], large[0], small_unchanged[0], large_unchanged[0]) == (10, 1_990, 0, 0)
    # Nothing to write (every page but the first after a change): the same reads.
    assert small_unchanged[1] == large_unchanged[1] < large[1]
    if connection.vendor == "postgresql":  # SQLite cuts large inserts into batches
        assert small[1] == large[1]


def plan(text):
    """The plan PostgreSQL chooses for a search when it may not read the whole table."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE network_directoryentry")
        return search_entries(DirectoryEntry.objects.all(), text).explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_the_search_uses_its_indexes():
    bulk_people(2_000)
    directory_sync()
    found = plan("plaidoier")  # a typo: the trigram index
    assert "network_entry_document_trgm" in found, found
    assert "network_entry_document_fts" in found, found  # the start of a word: full text
    assert "Seq Scan on network_directoryentry" not in found, found
    short = plan("p")  # too short for trigrams: full text only
    assert "network_entry_document_fts" in short, short
