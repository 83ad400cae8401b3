"""The notes' list and a note's page run the same number of queries with 10 or 2,000 notes and
coordinators, and on PostgreSQL the notes' search uses its indexes."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from coordinators.models import Topic
from network.models.notes import ExperienceNote
from network.selectors.notes import search_notes
from tests.helpers import count_queries

from .notes_factories import bulk_notes, write_note

pytestmark = pytest.mark.django_db

SEARCHES = [
    {},
    {"q": "sante mentale"},
    {"q": "cafe", "topic": "first", "department": "first"},
    {"q": "a", "page": "3"},
    {"mine": "on"},
]


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
@pytest.mark.parametrize("params", SEARCHES, ids=["all", "search", "filtered", "short", "mine"])
def test_the_list_s_queries_are_constant(client, user_for_role, role, params):
    client.force_login(user_for_role(role))
    bulk_notes(10)
    if params.get("topic") == "first":
        note = ExperienceNote.objects.first()
        params = {
            **params,
            "topic": Topic.objects.get(name="Santé mentale").pk,
            "department": note.department_id,
        }
    url = reverse("notes")
    small = count_queries(client, url, params)
    bulk_notes(1_990)
    large = count_queries(client, url, params)
    assert small == large
    if "mine" not in params and params.get("q") != "sante mentale":
        assert client.get(url, params).context["page"].paginator.count > 40


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
def test_a_note_s_page_queries_are_constant(client, user_for_role, coordinator, role):
    client.force_login(user_for_role(role))
    bulk_notes(10)
    note = write_note(coordinator, title="La fiche lue")
    url = reverse("note", args=[note.pk])
    small = count_queries(client, url)
    bulk_notes(1_990)
    ExperienceNote.comments.rel.related_model.objects.bulk_create(
        ExperienceNote.comments.rel.related_model(note=note, author=coordinator, text=f"n° {i}")
        for i in range(50)
    )
    large = count_queries(client, url)
    assert small == large


def plan(text):
    """The plan PostgreSQL chooses for a search when it may not read the whole table."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE network_experiencenote")
        return search_notes(ExperienceNote.objects.all(), text).explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_the_search_uses_its_indexes():
    bulk_notes(2_000)
    found = plan("isolment")  # a typo: the trigram index
    assert "network_note_document_trgm" in found, found
    assert "network_note_document_fts" in found, found
    assert "Seq Scan on network_experiencenote" not in found, found
    short = plan("p")  # too short for trigrams: full text only
    assert "network_note_document_fts" in short, short
