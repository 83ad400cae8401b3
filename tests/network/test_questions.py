"""Mutual help: asking the network, the peers told as they chose (at once, in the daily
digest, never; muted categories respected), answers, the useful one, bad input and Markdown."""

from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.models.questions import Answer, Question
from network.services import questions as services
from notifications.models import Delivery, Preference
from tests.factories import CoordinatorProfileFactory
from tests.helpers import login

from .question_factories import competency, peer, topic

pytestmark = pytest.mark.django_db

ASK = reverse("question_ask")


def paris(day, hour, minute=0):
    return timezone.make_aware(datetime(2026, 3, day, hour, minute))


@pytest.fixture
def plaidoyer():
    return competency("Plaidoyer")


@pytest.fixture
def asker():
    return CoordinatorProfileFactory(user__first_name="Awa", user__last_name="Diallo").user


def ask(asker, plaidoyer, **fields):
    return services.question_ask(
        author=asker,
        title=fields.get("title", "Comment convaincre les élus ?"),
        body=fields.get("body", "Le conseil municipal hésite."),
        competencies=fields.get("competencies", [plaidoyer]),
        topics=fields.get("topics", []),
    )


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


# --- Who is told when a question is asked --------------------------------------------------------


def test_instant_peers_are_told_at_once_and_only_they(
    asker, plaidoyer, django_capture_on_commit_callbacks
):
    instant = peer(alerts="instant", competencies=[plaidoyer])
    by_topic = peer(alerts="instant", topics=[topic("Santé mentale")])
    digest = peer(alerts="digest", competencies=[plaidoyer])
    off = peer(alerts="off", competencies=[plaidoyer])
    elsewhere = peer(alerts="instant", competencies=[competency("Évaluation")])
    asker_peer = peer(alerts="instant", competencies=[plaidoyer])

    with django_capture_on_commit_callbacks(execute=True):
        question = ask(asker_peer, plaidoyer, topics=[topic("Santé mentale")])

    assert len(to(instant.email)) == len(to(by_topic.email)) == 1
    message = to(instant.email)[0]
    assert "Comment convaincre les élus ?" in message.subject
    assert f"/entraide/questions/{question.pk}/" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    delivery = Delivery.objects.get(recipient=instant)
    assert (delivery.category, delivery.topic_url) == (
        "mutual_help",
        f"/entraide/questions/{question.pk}/",
    )
    for person in (digest, off, elsewhere, asker_peer):
        assert to(person.email) == []


def test_asking_twice_the_same_alert_key_sends_once(asker, plaidoyer):
    instant = peer(alerts="instant", competencies=[plaidoyer])
    question = ask(asker, plaidoyer)
    services._alert_instant_peers(question, [plaidoyer], [])
    assert Delivery.objects.filter(recipient=instant).count() == 1


def test_a_muted_category_is_respected_for_instant_alerts(
    asker, plaidoyer, django_capture_on_commit_callbacks
):
    instant = peer(alerts="instant", competencies=[plaidoyer])
    Preference.objects.create(user=instant, muted=[services.ALERT_CATEGORY])

    with django_capture_on_commit_callbacks(execute=True):
        ask(asker, plaidoyer)

    assert to(instant.email) == []
    assert Delivery.objects.get(recipient=instant).status == Delivery.Status.CANCELLED


# --- The daily digest ----------------------------------------------------------------------------


def ask_at(moment, *args, **kwargs):
    question = ask(*args, **kwargs)
    Question.objects.filter(pk=question.pk).update(created_at=moment)
    return question


def test_the_digest_lists_the_new_matching_questions_once_a_day(
    asker, plaidoyer, django_capture_on_commit_callbacks
):
    reader = peer(alerts="digest", competencies=[plaidoyer], first_name="Julien")
    by_topic = peer(alerts="digest", topics=[topic("Santé mentale")])
    instant = peer(alerts="instant", competencies=[plaidoyer])
    first = ask_at(paris(2, 9), asker, plaidoyer, title="Présenter le CLSM aux élus ?")
    second = ask_at(
        paris(2, 18), asker, competency("Évaluation"), title="Évaluer ?", topics=[topic()]
    )
    ask_at(paris(3, 8), asker, plaidoyer, title="Trop tard pour aujourd'hui")
    own = ask_at(paris(2, 10), reader, plaidoyer, title="Ma propre question")

    assert services.questions_digest_plan(now=paris(3, 6, 59)) == 0  # before 7:00: nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert services.questions_digest_plan(now=paris(3, 7, 5)) == 2

    (digest,) = to(reader.email)
    assert digest.subject.endswith("1 question de pairs sur vos sujets")
    assert first.title in digest.body and f"/entraide/questions/{first.pk}/" in digest.body
    assert own.title not in digest.body and second.title not in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    (other,) = to(by_topic.email)
    assert second.title in other.body and first.title not in other.body
    assert to(instant.email) == []
    assert Delivery.objects.get(recipient=reader).category == "digest"
    assert services.questions_digest_plan(now=paris(3, 9)) == 0  # again: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert services.questions_digest_plan(now=paris(4, 7, 30)) == 1  # the next day's
    assert "Trop tard pour aujourd'hui" in to(reader.email)[1].body


def test_the_digest_leaves_out_muted_people_and_answered_questions(asker, plaidoyer):
    muted = peer(alerts="digest", competencies=[plaidoyer])
    Preference.objects.create(user=muted, muted=["digest"])
    answered = peer(alerts="digest", competencies=[plaidoyer])
    question = ask_at(paris(2, 9), asker, plaidoyer)
    services.answer_add(question=question, author=answered, body="Voici.")

    assert services.questions_digest_plan(now=paris(3, 8)) == 0
    assert not Delivery.objects.filter(recipient__in=[muted, answered]).exists()
    assert Question.objects.get().digested_at is not None


def test_the_task_plans_the_digest(asker, plaidoyer, settings):
    from network.tasks import questions_digest

    assert "network.tasks.questions_digest" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    reader = peer(alerts="digest", competencies=[plaidoyer])
    ask_at(timezone.now() - timezone.timedelta(days=1), asker, plaidoyer)
    expected = 1 if services.digest_cutoff(timezone.now()) else 0
    assert questions_digest.delay().get() == expected
    assert Delivery.objects.filter(recipient=reader).count() == expected


# --- Answers and the useful one ------------------------------------------------------------------


def test_the_asker_is_told_of_an_answer_but_not_of_their_own(
    asker, plaidoyer, django_capture_on_commit_callbacks
):
    julien = peer(alerts="digest", competencies=[plaidoyer], first_name="Julien")
    question = ask(asker, plaidoyer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_add(question=question, author=julien, body="Un exemple.")
        services.answer_add(question=question, author=asker, body="Merci, précision.")

    (message,) = to(asker.email)
    assert "Nouvelle réponse à votre question" in message.subject
    assert f"#reponse-{answer.pk}" in message.body
    question.refresh_from_db()
    assert question.answer_count == 2
    assert "exemple" in question.document  # answers are searched too


def test_the_asker_marks_the_useful_answer_and_changes_it(client, asker, plaidoyer):
    question = ask(asker, plaidoyer)
    first = services.answer_add(question=question, author=peer(), body="Une")
    second = services.answer_add(question=question, author=peer(), body="Deux")
    login(client, asker)

    url = reverse("answer_useful", args=[question.pk, first.pk])
    assert client.post(url).status_code == 302
    assert Question.objects.get().useful_answer == first
    client.post(reverse("answer_useful", args=[question.pk, second.pk]))
    assert Question.objects.get().useful_answer == second
    page = client.get(reverse("question", args=[question.pk])).content.decode()
    assert page.count("Réponse utile") == 1
    assert "Retirer la mention « utile »" in page
    client.post(reverse("answer_useful", args=[question.pk, second.pk]), {"useful": "0"})
    assert Question.objects.get().useful_answer is None


def test_only_the_asker_marks_an_answer_useful(client, asker, plaidoyer):
    question = ask(asker, plaidoyer)
    answerer = peer()
    answer = services.answer_add(question=question, author=answerer, body="Une")
    other_question = ask(asker, plaidoyer, title="Une autre")
    login(client, answerer)

    assert client.post(reverse("answer_useful", args=[question.pk, answer.pk])).status_code == 403
    assert (
        "Marquer comme la réponse utile"
        not in client.get(reverse("question", args=[question.pk])).content.decode()
    )
    login(client, asker)
    wrong = reverse("answer_useful", args=[other_question.pk, answer.pk])
    assert client.post(wrong).status_code == 404
    assert client.post(reverse("answer_useful", args=[question.pk, 2**40])).status_code == 404
    assert Question.objects.filter(useful_answer__isnull=False).count() == 0
    with pytest.raises(services.NotTheAsker):
        services.answer_mark_useful(question=question, answer=answer, person=answerer)


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x"}, "Écrivez votre question en une phrase."),
        ({"title": "   ", "body": "x"}, "Écrivez votre question en une phrase."),
        ({"title": "x" * 201, "body": "x"}, "201 caractères : 200 au plus"),
        ({"title": "Titre", "body": ""}, "Précisez votre question"),
        ({"title": "Titre", "body": "é" * 10_001}, "10001 caractères : 10000 au plus"),
        ({"title": "Titre", "body": "x", "competencies": []}, "au moins une compétence"),
        ({"title": "Titre", "body": "x", "competencies": ["999999999999"]}, "n’y est pas"),
    ],
)
def test_a_wrong_question_is_refused_with_a_clear_message(client, asker, plaidoyer, data, message):
    login(client, asker)
    data = {"competencies": [plaidoyer.pk], **data}
    response = client.post(ASK, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_the_service_refuses_empty_or_long_text(asker, plaidoyer):
    with pytest.raises(services.QuestionError, match="Écrivez votre question"):
        ask(asker, plaidoyer, title=" ")
    with pytest.raises(services.QuestionError, match="201 caractères"):
        ask(asker, plaidoyer, title="x" * 201)
    question = ask(asker, plaidoyer)
    with pytest.raises(services.QuestionError, match="Écrivez votre réponse"):
        services.answer_add(question=question, author=asker, body="\n ")
    plaidoyer.is_active = False
    plaidoyer.save()
    with pytest.raises(services.QuestionError, match="n’est plus proposée"):
        ask(asker, plaidoyer)


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Écrivez votre réponse avant de l’envoyer."), ("x" * 10_001, "10000 au plus")],
)
def test_a_wrong_answer_is_refused_with_a_clear_message(client, asker, plaidoyer, body, message):
    question = ask(asker, plaidoyer)
    login(client, peer())
    response = client.post(reverse("question_answer", args=[question.pk]), {"body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_an_unknown_question_is_404(client, asker):
    login(client, asker)
    assert client.post(reverse("question_answer", args=[2**40]), {"body": "x"}).status_code == 404
    assert client.get(reverse("question", args=[2**62])).status_code == 404
    assert client.get(reverse("question", args=[10**30])).status_code == 404  # out of range
    assert client.post(reverse("answer_useful", args=[10**30, 10**30])).status_code == 404


HOSTILE = """Texte **gras**.

<script>alert('q')</script>
<iframe src="https://evil.example"></iframe>
<img src="x" onerror="alert('img')">
<a href="javascript:alert('lien')">lien piégé</a>
[autre lien](javascript:alert('md'))
<p onclick="alert('clic')">paragraphe</p>
"""


def test_markdown_is_rendered_and_neutralised(client, asker, plaidoyer):
    question = ask(asker, plaidoyer, body=HOSTILE)
    services.answer_add(question=question, author=peer(), body=HOSTILE)
    login(client, asker)

    page = client.get(reverse("question", args=[question.pk])).content.decode()

    assert page.count("<strong>gras</strong>") == 2
    for forbidden in ("<script>alert", "<iframe", "onerror", "onclick", "javascript:"):
        assert forbidden not in page, forbidden


# --- The pages -----------------------------------------------------------------------------------


def test_asking_through_the_page(client, asker, plaidoyer, django_capture_on_commit_callbacks):
    julien = peer(alerts="instant", competencies=[plaidoyer])
    login(client, asker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ASK,
            {
                "title": "Comment présenter le CLSM ?",
                "body": "Au conseil *municipal*.",
                "competencies": [plaidoyer.pk],
            },
        )
    question = Question.objects.get()
    assert response.url == reverse("question", args=[question.pk])
    assert (question.author, list(question.competencies.all())) == (asker, [plaidoyer])
    assert len(to(julien.email)) == 1
    page = client.get(response.url).content.decode()
    assert "<em>municipal</em>" in page and "Plaidoyer" in page


def list_titles(client, **params):
    page = client.get(reverse("questions"), params).context["page"]
    return sorted(question.title for question in page)


def test_the_list_filters_and_searches(client, asker, plaidoyer):
    evaluation = competency("Évaluation")
    mental = topic("Santé mentale")
    julien = peer(competencies=[plaidoyer])
    elus = ask(asker, plaidoyer, title="Présenter le CLSM aux élus")
    indicateurs = ask(
        julien, evaluation, title="Des indicateurs d'évaluation", topics=[mental], body="Ratios"
    )
    services.answer_add(question=elus, author=julien, body="Passez par la commission santé.")
    login(client, asker)

    assert list_titles(client) == sorted([elus.title, indicateurs.title])
    assert list_titles(client, competency=plaidoyer.pk) == [elus.title]
    assert list_titles(client, topic=mental.pk) == [indicateurs.title]
    assert list_titles(client, state="avec-reponse") == [elus.title]
    assert list_titles(client, state="sans-reponse") == [indicateurs.title]
    assert list_titles(client, state="utile") == []
    services.answer_mark_useful(question=elus, answer=elus.answers.get(), person=asker)
    assert list_titles(client, state="utile") == [elus.title]
    assert list_titles(client, mine="on") == [elus.title]
    assert list_titles(client, q="sante mentale") == [indicateurs.title]  # a tag, folded
    assert list_titles(client, q="ELUS") == [elus.title]
    assert list_titles(client, q="commission") == [elus.title]  # in an answer
    assert list_titles(client, q="ratio") == [indicateurs.title]  # the start of a word
    assert list_titles(client, q="atio") == []  # not inside a word
    assert list_titles(client, q="x" * 5_000) == []
    assert list_titles(client, q="🙂 ' OR 1=1 --") == []
    assert list_titles(client, competency=str(10**30), topic="-1", mine="oui") == [elus.title]
    assert list_titles(client, competency="abc", state="bof") == sorted(
        [elus.title, indicateurs.title]
    )


@pytest.mark.parametrize("role", ["partner_dd93", "partner_ars", "no_role"])
def test_partners_do_not_see_questions(client, user_for_role, role):
    login(client, user_for_role(role))
    assert client.get(reverse("questions")).status_code == 403


def test_a_word_of_the_title_ranks_first(client, asker, plaidoyer):
    in_answer = ask(asker, plaidoyer, title="Évaluer un CLS", body="Sans équipe.")
    services.answer_add(question=in_answer, author=peer(), body="Trois indicateurs suffisent.")
    in_title = ask(asker, plaidoyer, title="Quels indicateurs retenir ?", body="Pour l'ARS.")
    Question.objects.filter(pk=in_title.pk).update(created_at=paris(1, 9))  # the older one
    login(client, asker)

    page = client.get(reverse("questions"), {"q": "indicateurs"}).context["page"]

    assert [question.pk for question in page] == [in_title.pk, in_answer.pk]


def test_the_asker_closes_the_question_and_answers_are_refused(client, asker, plaidoyer):
    question = ask(asker, plaidoyer)
    answerer = peer()
    login(client, answerer)
    close = reverse("question_close", args=[question.pk])
    assert client.post(close).status_code == 403  # not the asker
    login(client, asker)
    assert client.post(close).status_code == 302
    assert Question.objects.get().closed_at is not None

    login(client, answerer)
    page = client.get(reverse("question", args=[question.pk])).content.decode()
    assert "elle ne reçoit plus de réponses" in page and "Publier ma réponse" not in page
    response = client.post(reverse("question_answer", args=[question.pk]), {"body": "Tard"})
    assert response.status_code == 200
    assert "Cette question est close" in response.content.decode()
    assert not Answer.objects.exists()
    with pytest.raises(services.QuestionError, match="close"):
        services.answer_add(question=question, author=answerer, body="Tard")

    login(client, asker)
    client.post(close, {"closed": "0"})
    assert Question.objects.get().closed_at is None
    services.answer_add(question=question, author=answerer, body="Enfin")


def test_a_closed_question_is_not_in_the_digest(asker, plaidoyer):
    peer(alerts="digest", competencies=[plaidoyer])
    question = ask_at(paris(2, 9), asker, plaidoyer)
    services.question_close(question=question, person=asker)
    assert services.questions_digest_plan(now=paris(3, 8)) == 0


def test_a_question_without_answers_says_so_in_french(client, asker, plaidoyer):
    question = ask(asker, plaidoyer)
    login(client, asker)

    page = client.get(reverse("question", args=[question.pk])).content.decode()

    assert ">Réponses</h2>" in page and "0 réponses" not in page


def test_the_asker_sees_how_many_peers_hear_of_the_question(client, asker, plaidoyer):
    peer(alerts="instant", competencies=[plaidoyer])
    peer(alerts="digest", competencies=[plaidoyer])
    peer(alerts="digest", competencies=[plaidoyer])
    peer(alerts="off", competencies=[plaidoyer])
    question = ask(asker, plaidoyer)
    lonely = ask(asker, plaidoyer, competencies=[competency("Évaluation")], title="Personne ?")
    login(client, asker)

    page = client.get(reverse("question", args=[question.pk])).content.decode()
    assert "1 aussitôt, 2 dans leur récapitulatif du matin." in page
    page = client.get(reverse("question", args=[lonely.pk])).content.decode()
    assert "Personne n’a encore indiqué pouvoir aider sur ces sujets" in page
    # Others see the question, not who was told.
    login(client, peer(alerts="off"))
    page = client.get(reverse("question", args=[question.pk])).content.decode()
    assert "pairs-prevenus" not in page
