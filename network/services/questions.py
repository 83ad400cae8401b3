"""Writes of mutual help: a question asked to the network, answers, the useful one, and the
e-mails that tell people.

Peers whose offer (`PeerProfile.offered_competencies` / `offered_topics`) matches a question's
tags hear of it as they chose (`PeerProfile.question_alerts`): "instant", one e-mail when it is
asked; "digest" (the default), one e-mail a day listing the new questions, planned by
`questions_digest_plan` (the scheduler runs `network.tasks.questions_digest` every hour; it
does something once a day, after DIGEST_HOUR, Paris time); "off", nothing. Every e-mail is a
delivery of the notifications engine with a key (asking, answering or planning twice never
sends twice) and an optional category ("Entraide : questions, réponses, commentaires" for a
question or an answer, "Récapitulatifs" for the digest), which people may turn off.
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from notifications.emails import send_email_on_commit
from notifications.models import Category, Delivery, Preference
from notifications.preferences import unsubscribe_url

from ..models import PeerProfile
from ..models.questions import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Answer, Question
from ..search import document_of
from ..selectors.questions import matching_peers

# The daily digest is prepared from this hour on (Paris time), with the questions asked before.
DIGEST_HOUR = 7
# Categories of the e-mails (see the module's docstring).
ALERT_CATEGORY = Category.MUTUAL_HELP
ANSWER_CATEGORY = Category.MUTUAL_HELP
DIGEST_CATEGORY = Category.DIGEST


class QuestionError(Exception):
    """What mutual help refuses; the French message is shown as it is."""


def _text(value, *, what, limit, missing):
    value = (value or "").strip()
    if not value:
        raise QuestionError(missing)
    if len(value) > limit:
        raise QuestionError(
            f"{what} fait {len(value)} caractères : {limit} au plus, raccourcissez-la."
        )
    return value


def _inactive(competencies):
    inactive = [c for c in competencies if not c.is_active]
    if inactive:
        raise QuestionError(
            "Cette compétence n’est plus proposée : " + ", ".join(map(str, inactive)) + "."
        )


def _question_url(question):
    return settings.SITE_URL + reverse("question", args=[question.pk])


def question_reindex(question) -> None:
    """Rebuild the folded text a question is found by: its title, text, tags and answers."""
    names = [c.name for c in question.competencies.all()] + [t.name for t in question.topics.all()]
    answers = question.answers.values_list("body", flat=True)
    Question.objects.filter(pk=question.pk).update(
        name=document_of(question.title)[:TITLE_MAX_LENGTH],
        document=document_of(question.title, question.body, " ".join(names), *answers),
    )


@transaction.atomic
def question_ask(*, author, title, body, competencies=(), topics=(), notify=True) -> Question:
    """Ask the network; the peers who chose "instant" hear of it once the transaction commits
    (`notify=False`: nobody, for a question of the past such as the demo's)."""
    title = _text(
        title,
        what="La question",
        limit=TITLE_MAX_LENGTH,
        missing="Écrivez votre question en une phrase.",
    )
    body = _text(
        body,
        what="La précision",
        limit=BODY_MAX_LENGTH,
        missing="Précisez votre question : le contexte, ce que vous avez déjà essayé.",
    )
    competencies, topics = list(competencies), list(topics)
    _inactive(competencies)
    question = Question.objects.create(author=author, title=title, body=body)
    question.competencies.set(competencies)
    question.topics.set(topics)
    question_reindex(question)
    if notify:
        _alert_instant_peers(question, competencies, topics)
    return question


def _alert_instant_peers(question, competencies, topics):
    peers = matching_peers(
        competency_ids=[c.pk for c in competencies],
        topic_ids=[t.pk for t in topics],
        author_id=question.author_id,
    ).filter(question_alerts=PeerProfile.QuestionAlerts.INSTANT)
    tags = [c.name for c in competencies] + [t.name for t in topics]
    for peer in peers.select_related("person").order_by("person_id"):
        person = peer.person
        send_email_on_commit(
            to=person.email,
            template="question_alert",
            category=ALERT_CATEGORY,
            key=f"questions:question:{question.pk}:alert:{person.pk}",
            recipient=person,
            about=f"question:{question.pk}",
            topic=f"question:{question.pk}",
            topic_label=question.title,
            context={
                "person": person,
                "question": question,
                "asker": question.author,
                "tags": tags,
                "url": _question_url(question),
                "unsubscribe_url": unsubscribe_url(person, ALERT_CATEGORY),
            },
        )


@transaction.atomic
def answer_add(*, question, author, body, notify=True) -> Answer:
    """Answer a question; its asker is told by e-mail (unless they answer themselves, or
    `notify=False`: an answer of the past such as the demo's)."""
    body = _text(
        body,
        what="La réponse",
        limit=BODY_MAX_LENGTH,
        missing="Écrivez votre réponse avant de l’envoyer.",
    )
    if Question.objects.filter(pk=question.pk, closed_at__isnull=False).exists():
        raise QuestionError(
            "Cette question est close : elle ne reçoit plus de réponses. Vous pouvez écrire à "
            "la personne qui l’a posée depuis l’annuaire."
        )
    answer = Answer.objects.create(question=question, author=author, body=body)
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    question_reindex(question)
    asker = question.author
    if notify and asker.pk != author.pk and asker.is_active:
        send_email_on_commit(
            to=asker.email,
            template="question_answered",
            category=ANSWER_CATEGORY,
            key=f"questions:answer:{answer.pk}",
            recipient=asker,
            about=f"answer:{answer.pk}",
            topic=f"question:{question.pk}",
            topic_label=question.title,
            context={
                "person": asker,
                "question": question,
                "answer": answer,
                "author": author,
                "url": f"{_question_url(question)}#reponse-{answer.pk}",
                "unsubscribe_url": unsubscribe_url(asker, ANSWER_CATEGORY),
            },
        )
    return answer


class NotTheAsker(QuestionError):
    """Only the person who asked marks the useful answer."""


@transaction.atomic
def answer_mark_useful(*, question, answer, person) -> Question:
    """The asker marks `answer` as the useful one (another one before is no longer), or, with
    `answer=None`, none."""
    if person.pk != question.author_id:
        raise NotTheAsker("Seule la personne qui a posé la question choisit la réponse utile.")
    if answer is not None and answer.question_id != question.pk:
        raise QuestionError("Cette réponse n’est pas une réponse à cette question.")
    question.useful_answer = answer
    question.save(update_fields=["useful_answer"])
    return question


@transaction.atomic
def question_close(*, question, person, closed=True) -> Question:
    """The asker closes the question (it stays readable and searchable, takes no more
    answers), or opens it again."""
    if person.pk != question.author_id:
        raise NotTheAsker("Seule la personne qui a posé la question peut la clore.")
    question.closed_at = timezone.now() if closed else None
    question.save(update_fields=["closed_at"])
    return question


# --- The daily digest ----------------------------------------------------------------------------


def digest_cutoff(now):
    """The day's digest takes the questions asked until DIGEST_HOUR (Paris) today; None before."""
    local = timezone.localtime(now)
    cutoff = timezone.make_aware(datetime.combine(local.date(), time(DIGEST_HOUR)))
    return cutoff if local >= cutoff else None


def _digest_readers(question_tags):
    """person id → ids of the questions (among `question_tags`: id → (author id, competency
    ids, topic ids)) matching what they offer, for the peers who chose the digest."""
    competency_ids = {c for _a, competencies, _t in question_tags.values() for c in competencies}
    topic_ids = {t for _a, _c, topics in question_tags.values() for t in topics}
    readers = matching_peers(competency_ids=competency_ids, topic_ids=topic_ids, author_id=None)
    readers = readers.filter(question_alerts=PeerProfile.QuestionAlerts.DIGEST)
    offers = {}
    through = (
        (PeerProfile.offered_competencies.through, "competency_id", competency_ids, 0),
        (PeerProfile.offered_topics.through, "topic_id", topic_ids, 1),
    )
    for model, column, wanted, side in through:
        links = model.objects.filter(
            peerprofile_id__in=readers.values("pk"), **{f"{column}__in": wanted}
        ).values_list("peerprofile_id", column)
        for person_id, item in links:
            offers.setdefault(person_id, (set(), set()))[side].add(item)
    matched = {}
    for person_id, (competencies, topics) in offers.items():
        for question_id, (author_id, q_competencies, q_topics) in question_tags.items():
            if author_id != person_id and (competencies & q_competencies or topics & q_topics):
                matched.setdefault(person_id, []).append(question_id)
    return matched


def questions_digest_plan(*, now=None) -> int:
    """Plan the day's digest e-mail of each peer who chose it, listing the questions asked
    since the last digest that match what they offer (not theirs, not closed, not those they
    already answered or heard of at once); returns how many e-mails were planned. Runs in one
    transaction; the questions taken are marked, so running it again plans nothing more, and
    the e-mail's key holds the day (one digest a day at most). Muted: nothing planned."""
    now = now or timezone.now()
    cutoff = digest_cutoff(now)
    if cutoff is None:
        return 0
    with transaction.atomic():
        questions = {
            question.pk: question
            for question in Question.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(digested_at__isnull=True, created_at__lte=cutoff)
            .select_related("author")
            .order_by("created_at", "pk")
        }
        if not questions:
            return 0
        tags = {pk: (q.author_id, set(), set()) for pk, q in questions.items()}
        for question_id, competency_id in Question.competencies.through.objects.filter(
            question_id__in=questions
        ).values_list("question_id", "competency_id"):
            tags[question_id][1].add(competency_id)
        for question_id, topic_id in Question.topics.through.objects.filter(
            question_id__in=questions
        ).values_list("question_id", "topic_id"):
            tags[question_id][2].add(topic_id)
        matched = _digest_readers(tags)
        seen = set(
            Answer.objects.filter(question_id__in=questions).values_list("author_id", "question_id")
        )
        seen |= {
            (person_id, int(about.partition(":")[2]))
            for about, person_id in Delivery.objects.filter(
                about__in=[f"question:{pk}" for pk in questions], recipient_id__in=matched
            ).values_list("about", "recipient_id")
        }
        muted = {
            user_id
            for user_id, categories in Preference.objects.filter(user_id__in=matched).values_list(
                "user_id", "muted"
            )
            if DIGEST_CATEGORY in categories
        }
        people = {
            user.pk: user for user in get_user_model().objects.filter(pk__in=set(matched) - muted)
        }
        planned = 0
        for person_id, person in sorted(people.items()):
            listed = [
                questions[pk]
                for pk in matched[person_id]
                if (person_id, pk) not in seen and questions[pk].closed_at is None
            ]
            if not listed:
                continue
            send_email_on_commit(
                to=person.email,
                template="questions_digest",
                category=DIGEST_CATEGORY,
                key=f"questions:digest:{person_id}:{cutoff.date().isoformat()}",
                recipient=person,
                about=f"questions_digest:{person_id}",
                context={
                    "person": person,
                    "questions": [(q, _question_url(q)) for q in listed],
                    "list_url": settings.SITE_URL + reverse("questions"),
                    "unsubscribe_url": unsubscribe_url(person, DIGEST_CATEGORY),
                },
            )
            planned += 1
        Question.objects.filter(pk__in=questions).update(digested_at=now)
    return planned
