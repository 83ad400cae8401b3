"""The questions' list and a question's page run the same number of queries with 10 or 2,000
questions and coordinators; on PostgreSQL the search uses its indexes."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from network.models.questions import Question
from network.selectors.questions import search_questions
from tests.helpers import count_queries

from .question_factories import bulk_questions, competency, topic

pytestmark = pytest.mark.django_db

URL = reverse("questions")
SEARCHES = [
    {},
    {"q": "elus indicateurs"},
    {"q": "sante mentale", "state": "avec-reponse", "mine": "on"},
    {"q": "presenter", "competency": "plaidoyer", "topic": "sante"},
    {"q": "a", "page": "3"},
]


@pytest.fixture
def tags():
    return competency("Plaidoyer"), topic("Santé mentale")


@pytest.mark.parametrize("role", ["coordinator", "staff"])
@pytest.mark.parametrize("params", SEARCHES, ids=["all", "search", "filtered", "tags", "short"])
def test_the_list_queries_are_constant(client, user_for_role, role, params, tags):
    client.force_login(user_for_role(role))
    plaidoyer, mental = tags
    params = {
        **params,
        **({"competency": plaidoyer.pk} if "competency" in params else {}),
        **({"topic": mental.pk} if "topic" in params else {}),
    }
    bulk_questions(10, competency=plaidoyer, topic=mental)
    small = count_queries(client, URL, params)
    bulk_questions(1_990, competency=plaidoyer, topic=mental)
    large = count_queries(client, URL, params)
    assert small == large


def test_the_page_queries_are_constant(client, coordinator, tags):
    client.force_login(coordinator)
    question = bulk_questions(10, competency=tags[0], topic=tags[1])[0]
    url = reverse("question", args=[question.pk])
    small = count_queries(client, url)
    bulk_questions(1_990, competency=tags[0], topic=tags[1])
    # A question with many answers: still the same queries.
    question.answers.model.objects.bulk_create(
        question.answers.model(question=question, author=coordinator, body=f"Réponse {i}")
        for i in range(200)
    )
    assert count_queries(client, url) == small


def plan(text):
    """The plan PostgreSQL chooses for a search when it may not read the whole table."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE network_question")
        return search_questions(Question.objects.all(), text).explain()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_the_search_uses_its_indexes(tags):
    bulk_questions(2_000, competency=tags[0], topic=tags[1])
    found = plan("indicateur")  # long enough for trigrams: both indexes
    assert "network_question_document_trgm" in found, found
    assert "network_question_document_fts" in found, found
    assert "Seq Scan on network_question" not in found, found
