"""Reads of mutual help: the questions (filtered, searched with the directory's search), a
question's page, and what the /entraide/ index shows."""

from django.db.models import Count, Prefetch, Q

from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Topic

from ..models import PeerProfile
from ..models.questions import Answer, Question
from ..search import search_entries

# The "answered" filter: (key, label).
STATES = [
    ("sans-reponse", "Sans réponse"),
    ("avec-reponse", "Avec des réponses"),
    ("utile", "Avec une réponse utile"),
]


def search_questions(questions, text):
    """`questions` matching every word of `text` (the directory's search: full text and
    trigram on PostgreSQL, word starts on folded text elsewhere; a word of the title counts
    more), best first; an empty search leaves them as they are (most recent first)."""
    return search_entries(questions, text, ties=("-created_at", "-pk"))


def questions_found(*, person, filters):
    """The questions, filtered by `filters` (cleaned values of `QuestionFilterForm`: `q`,
    `competency`, `topic`, `state`, `mine`), searched, most recent (or best) first."""
    questions = Question.objects.all()
    if competency := filters.get("competency"):
        questions = questions.filter(
            pk__in=Question.competencies.through.objects.filter(competency=competency).values(
                "question_id"
            )
        )
    if topic := filters.get("topic"):
        questions = questions.filter(
            pk__in=Question.topics.through.objects.filter(topic=topic).values("question_id")
        )
    if state := filters.get("state"):
        questions = questions.filter(
            {
                "sans-reponse": Q(answer_count=0),
                "avec-reponse": Q(answer_count__gt=0),
                "utile": Q(useful_answer__isnull=False),
            }[state]
        )
    if filters.get("mine"):
        questions = questions.filter(author=person)
    return search_questions(questions, filters.get("q", ""))


def question_cards(questions):
    """What a list of questions shows: asker, tags, answers, in a fixed number of queries."""
    return (
        questions.select_related("author")
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("name")),
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
        )
        .defer("document", "body")
    )


def question_page(pk):
    """A question with its asker, tags and answers (their authors), or None: four queries,
    whatever the number of answers."""
    return (
        question_cards(Question.objects.filter(pk=pk))
        .defer(None)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .first()
    )


def questions_on_my_topics(person, limit=5):
    """For /entraide/: the latest questions of others matching what `person` offers
    (competencies or topics), open and with no useful answer yet. Three queries."""
    peer = PeerProfile.objects.filter(person=person)
    matching = Question.objects.exclude(author=person).filter(
        Q(
            pk__in=Question.competencies.through.objects.filter(
                competency__in=peer.values("offered_competencies")
            ).values("question_id")
        )
        | Q(
            pk__in=Question.topics.through.objects.filter(
                topic__in=peer.values("offered_topics")
            ).values("question_id")
        ),
        useful_answer__isnull=True,
        closed_at__isnull=True,
    )
    return list(question_cards(matching)[:limit])


def my_questions(person, limit=5):
    """For /entraide/: the person's latest questions (their answers counted). Three queries."""
    return list(question_cards(Question.objects.filter(author=person))[:limit])


def matching_peers(*, competency_ids, topic_ids, author_id):
    """The peers who offer one of these competencies or topics: active, approved coordinators,
    the asker left out (one query, whatever their number)."""
    offered_competencies = PeerProfile.offered_competencies.through.objects.filter(
        competency_id__in=competency_ids
    ).values("peerprofile_id")
    offered_topics = PeerProfile.offered_topics.through.objects.filter(
        topic_id__in=topic_ids
    ).values("peerprofile_id")
    return (
        PeerProfile.objects.filter(Q(pk__in=offered_competencies) | Q(pk__in=offered_topics))
        .exclude(person_id=author_id)
        .filter(
            person__is_active=True,
            person__coordinator_profile__status=CoordinatorProfile.Status.APPROVED,
        )
    )


def peers_told(question):
    """How many peers hear of `question`, by how: {"instant": n, "digest": n} (one query)."""
    counts = dict(
        matching_peers(
            competency_ids=[c.pk for c in question.competencies.all()],
            topic_ids=[t.pk for t in question.topics.all()],
            author_id=question.author_id,
        )
        .exclude(question_alerts=PeerProfile.QuestionAlerts.OFF)
        .values("question_alerts")
        .annotate(n=Count("pk"))
        .values_list("question_alerts", "n")
        .order_by()
    )
    return {"instant": counts.get("instant", 0), "digest": counts.get("digest", 0)}
