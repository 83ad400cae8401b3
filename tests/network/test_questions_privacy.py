"""What a question shows of people: their name, nothing they hid (e-mail, phone, job) — on the
pages, in their HTML source and in the e-mails peers receive; and the /entraide/ index's
selectors."""

import pytest
from django.core import mail
from django.urls import reverse

from network.selectors.questions import my_questions, questions_on_my_topics
from network.services import questions as services
from tests.factories import CoordinatorProfileFactory
from tests.helpers import login

from .question_factories import competency, peer, topic

pytestmark = pytest.mark.django_db

MARKERS = ["marqueur-cache@exemple.fr", "06 99 99 99 99", "Poste-Marqueur", "Employeur-Marqueur"]


@pytest.fixture
def hidden_asker():
    """A coordinator who shows nothing in the directory, with marker values."""
    return CoordinatorProfileFactory(
        user__email=MARKERS[0],
        user__first_name="Zoé",
        user__last_name="Discrète",
        phone=MARKERS[1],
        job_title=MARKERS[2],
        employer=MARKERS[3],
        directory_fields=[],
    ).user


def test_a_question_shows_the_name_and_nothing_hidden(
    client, hidden_asker, django_capture_on_commit_callbacks
):
    plaidoyer = competency("Plaidoyer")
    julien = peer(alerts="instant", competencies=[plaidoyer])
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            author=hidden_asker, title="Une question", body="Texte", competencies=[plaidoyer]
        )
        services.answer_add(question=question, author=hidden_asker, body="Précision")
    login(client, julien)

    pages = [
        client.get(reverse("questions")).content.decode(),
        client.get(reverse("question", args=[question.pk])).content.decode(),
    ]
    (alert,) = [m for m in mail.outbox if m.to == [julien.email]]
    html = alert.alternatives[0][0]
    for text in [*pages, alert.body, html, alert.subject]:
        for marker in MARKERS:
            assert marker not in text
    assert all("Zoé Discrète" in text for text in [*pages, alert.body])


def test_the_index_shows_questions_on_my_topics_and_mine(django_assert_max_num_queries):
    plaidoyer, mental = competency("Plaidoyer"), topic("Santé mentale")
    julien = peer(competencies=[plaidoyer], topics=[mental])
    awa = peer()
    on_plaidoyer = services.question_ask(
        author=awa, title="Plaidoyer ?", body="x", competencies=[plaidoyer]
    )
    on_mental = services.question_ask(
        author=awa, title="Santé mentale ?", body="x", topics=[mental]
    )
    answered = services.question_ask(
        author=awa, title="Résolue", body="x", competencies=[plaidoyer]
    )
    services.answer_mark_useful(
        question=answered,
        answer=services.answer_add(question=answered, author=julien, body="Oui"),
        person=awa,
    )
    services.question_ask(
        author=awa, title="Ailleurs", body="x", competencies=[competency("Évaluation")]
    )
    services.question_ask(author=julien, title="La sienne", body="x", competencies=[plaidoyer])

    with django_assert_max_num_queries(3):
        found = questions_on_my_topics(julien)
        assert [q.title for q in found] == [on_mental.title, on_plaidoyer.title]
        assert [t.name for t in found[0].topics.all()] == ["Santé mentale"]
    assert [q.title for q in my_questions(awa)][-1] == on_plaidoyer.title
    assert len(my_questions(awa)) == 4
