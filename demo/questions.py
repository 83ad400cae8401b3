"""The demo's questions between peers (`data/questions.yaml`), with answers, some marked
useful: asked by varied coordinators in post (and the demo accounts), written through the
questions' services. A question already there (by its title) is left as it is; the questions
are history, so they are dated in the past and the daily digest does not list them again."""

from dataclasses import field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from competencies.models import Competency
from coordinators.models import Topic
from coordinators.selectors import tenures_in_post
from network.models.questions import Answer, Question
from network.services.questions import (
    answer_add,
    answer_mark_useful,
    question_ask,
    question_close,
)

from . import loaders


@loaders.record
class AnswerData:
    by: str  # an account key, or a département code (a coordinator in post there)
    text: str
    useful: bool = False
    hours_after: int = 20


@loaders.record
class QuestionData:
    title: str
    by: str  # an account key, or a département code
    text: str
    competencies: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    days_ago: int = 10
    answers: list[AnswerData] = field(default_factory=list)
    closed: bool = False  # closed by its asker once answered


@loaders.record
class QuestionsData:
    questions: list[QuestionData]


class _People:
    """The demo accounts by key; coordinators in post by département, each asked in turn."""

    def __init__(self, today):
        self.accounts = {a.key: a.email for a in loaders.accounts().accounts}
        # Read first: mid-seed, PostgreSQL's statistics describe empty tables (demo/notes.py).
        in_post = list(tenures_in_post(today).values_list("person_id", flat=True).distinct())
        rows = (
            User.objects.filter(pk__in=in_post)
            .exclude(email__in=self.accounts.values())
            .values_list("pk", "tenures__post__schemes__department__code")
            .order_by("last_name", "first_name", "pk")
        )
        self.by_department, self.turn = {}, {}
        for pk, code in rows:
            if code and pk not in self.by_department.setdefault(code, []):
                self.by_department[code].append(pk)
        self.users = User.objects.in_bulk([pk for pks in self.by_department.values() for pk in pks])

    def named(self, who, where):
        if who in self.accounts:
            return User.objects.get(email=self.accounts[who])
        people = self.by_department.get(who)
        if not people:
            raise loaders.DataError(f"{where} : « {who} » n'est ni un compte ni un département.")
        turn = self.turn.get(who, 0)
        self.turn[who] = turn + 1
        return self.users[people[turn % len(people)]]


def seed_questions(*, today=None, data_file="questions.yaml"):
    """Idempotent. Returns the figures `seed_demo` prints. `data_file`: under demo/data/ (the
    dashboards' past years have their own, `dashboards/questions.yaml`)."""
    today = today or date.today()
    data = loaders.read_yaml(data_file, QuestionsData)
    existing = set(Question.objects.values_list("title", flat=True))
    people = _People(today)
    now = timezone.now()
    for index, item in enumerate(data.questions):
        where = f"demo/data/{data_file}: questions[{index}]"
        # Everyone is named, even for a question already there: the turns stay the same.
        author = people.named(item.by, where)
        answerers = [people.named(a.by, f"{where}.answers") for a in item.answers]
        if item.title in existing:
            continue
        question = question_ask(
            author=author,
            title=item.title,
            body=item.text.strip(),
            competencies=loaders.named(Competency, item.competencies, where),
            topics=loaders.named(Topic, item.topics, where),
            notify=False,  # the past: nobody is told now
        )
        asked_at = now - timedelta(days=item.days_ago)
        Question.objects.filter(pk=question.pk).update(created_at=asked_at, digested_at=asked_at)
        for answer_data, answerer in zip(item.answers, answerers, strict=True):
            answer = answer_add(
                question=question, author=answerer, body=answer_data.text.strip(), notify=False
            )
            Answer.objects.filter(pk=answer.pk).update(
                created_at=min(asked_at + timedelta(hours=answer_data.hours_after), now)
            )
            if answer_data.useful:
                answer_mark_useful(question=question, answer=answer, person=author)
        if item.closed:
            question_close(question=question, person=author)
    return {
        "questions aux pairs": Question.objects.count(),
        "réponses": Answer.objects.count(),
        "réponses marquées utiles": Question.objects.filter(useful_answer__isnull=False).count(),
        "questions closes": Question.objects.filter(closed_at__isnull=False).count(),
    }
