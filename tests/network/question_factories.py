"""Mutual help's test data: peers who offer something, questions asked through the service, or
thousands of questions and coordinators in a handful of queries."""

from accounts.models import User
from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Topic
from demo.seed import refresh_planner_statistics
from network.models import PeerProfile
from network.models.questions import Answer, Question
from network.search import document_of
from tests.factories import CoordinatorProfileFactory, commune
from tests.learning.pathway_factories import CompetencyFactory


def topic(name="Santé mentale"):
    return Topic.objects.get_or_create(name=name)[0]


def competency(name="Plaidoyer"):
    return Competency.objects.filter(name=name).first() or CompetencyFactory(name=name)


def peer(*, alerts="digest", competencies=(), topics=(), **user):
    """A coordinator who offers `competencies` and `topics`, alerted as `alerts` says."""
    person = CoordinatorProfileFactory(**({"user__" + k: v for k, v in user.items()})).user
    profile = PeerProfile.objects.create(person=person, question_alerts=alerts)
    profile.offered_competencies.set(competencies)
    profile.offered_topics.set(topics)
    return person


def bulk_questions(count, *, competency, topic):
    """`count` coordinators, each asking one question (tagged) with one answer by the next:
    bulk inserts."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"q{start + i}@exemple.fr", first_name=f"Prénom{i}", last_name=f"Nom{i}")
        for i in range(count)
    )
    place = commune("93066")
    CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(user=u, commune=place, status=CoordinatorProfile.Status.APPROVED)
        for u in users
    )
    titles = [
        "Comment présenter le CLSM aux élus ?",
        "Quels indicateurs pour évaluer un contrat local de santé ?",
        "Mobiliser les habitants d'un quartier prioritaire",
    ]
    questions = Question.objects.bulk_create(
        Question(
            author=u,
            title=titles[i % 3],
            body="Des précisions sur la santé mentale.",
            name=document_of(titles[i % 3]),
            document=document_of(titles[i % 3], "Des précisions sur la santé mentale."),
            answer_count=1,
        )
        for i, u in enumerate(users)
    )
    Question.competencies.through.objects.bulk_create(
        Question.competencies.through(question_id=q.pk, competency_id=competency.pk)
        for q in questions
    )
    Question.topics.through.objects.bulk_create(
        Question.topics.through(question_id=q.pk, topic_id=topic.pk) for q in questions
    )
    Answer.objects.bulk_create(
        Answer(question=q, author=users[(i + 1) % count], body="Une réponse.")
        for i, q in enumerate(questions)
    )
    refresh_planner_statistics()
    return questions
