"""The demo's questions between peers: about fifteen, by varied coordinators, with answers
(some marked useful) and tags; some match what the experienced demo coordinator offers;
seeding again adds nothing."""

import pytest
from django.urls import reverse

from accounts.models import User
from competencies.models import Competency
from demo.loaders import accounts
from demo.questions import seed_questions
from network.models.questions import Answer, Question
from network.services.questions import questions_digest_plan
from notifications.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_demo_has_questions_with_answers(demo_seeded):
    # 14 to 16 this year, and those of the two years before (demo/data/dashboards/).
    assert 18 <= demo_seeded["questions aux pairs"] <= 22
    assert demo_seeded["réponses"] == Answer.objects.count() >= 18
    assert demo_seeded["réponses marquées utiles"] >= 5
    assert Question.objects.values("author").distinct().count() >= 8
    assert Answer.objects.values("author").distinct().count() >= 8
    assert not Question.objects.filter(competencies=None, topics=None).exists()
    for question in Question.objects.filter(useful_answer__isnull=False):
        assert question.useful_answer.question_id == question.pk
    assert Question.objects.filter(answer_count=0).count() >= 2  # some wait for an answer
    assert demo_seeded["questions closes"] == 1


def test_seeding_again_adds_nothing(demo_seeded):
    assert seed_questions() == {
        key: demo_seeded[key]
        for key in (
            "questions aux pairs",
            "réponses",
            "réponses marquées utiles",
            "questions closes",
        )
    }


def test_questions_match_what_the_experienced_coordinator_offers(demo_seeded, client):
    julien = User.objects.get(email=accounts().account("experienced").email)
    plaidoyer = Competency.objects.get(name="Plaidoyer")
    client.force_login(julien)

    page = client.get(reverse("questions"), {"competency": plaidoyer.pk}).context["page"]

    assert page.paginator.count >= 3
    assert any(question.answer_count == 0 for question in page)  # one he may answer
    assert Answer.objects.filter(author=julien).count() >= 4


def test_the_next_digest_does_not_list_the_demo_history(demo_seeded):
    assert questions_digest_plan() == 0


def test_seeding_the_questions_e_mails_nobody(demo_seeded):
    assert not Delivery.objects.filter(key__startswith="questions:").exists()
