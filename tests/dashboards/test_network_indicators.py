"""Network indicators against a world small enough to count by hand (year 2025)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.filters import Period, Scope
from dashboards.indicators import network
from network.models.notes import ExperienceNote
from network.models.questions import Answer, Question
from network.models.tutoring import TutoringPair
from resources.models.requests import ResourceRequest
from tests.factories import CoordinatorProfileFactory, commune
from tests.learning.pathway_factories import ResourceFactory
from tests.network.directory_factories import bulk_people, person_in_post

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
YEAR = Period.year(2025)
REGION = Scope(department_codes=None, regional=True, individual=True)
DD93 = Scope(department_codes=frozenset({"93"}))
Status = TutoringPair.Status
State = ResourceRequest.State


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def in_post(name, started_on, department="93"):
    place = {"93": {}, "95": {"commune_code": "95585", "department_code": "95", "kind": "CLSM"}}
    return person_in_post(first_name=name, started_on=started_on, **place[department]).user


def pair(newcomer, tutor, status, requested_at, started_on=None, ended_on=None):
    created = TutoringPair.objects.create(
        newcomer=newcomer, tutor=tutor, status=status, started_on=started_on, ended_on=ended_on
    )
    TutoringPair.objects.filter(pk=created.pk).update(requested_at=requested_at)


def question(author, asked_at, answered_at=None, *, useful=False, by=None):
    q = Question.objects.create(
        author=author, title="Une question", body="?", name="q", document="q"
    )
    Question.objects.filter(pk=q.pk).update(created_at=asked_at)
    if answered_at:
        answer = Answer.objects.create(question=q, author=by, body="Une réponse.")
        Answer.objects.filter(pk=answer.pk).update(created_at=answered_at)
        Question.objects.filter(pk=q.pk).update(
            answer_count=1, useful_answer=answer if useful else None
        )


def note(author, published_at, status=ExperienceNote.Status.PUBLISHED):
    ExperienceNote.objects.create(
        author=author, title="Une fiche", status=status, published_at=published_at
    )


def request(person, asked_at, state):
    ResourceRequest.objects.create(
        resource=ResourceFactory(on_request=True),
        requester=person,
        format=ResourceRequest.Format.DIGITAL,
        state=state,
        asked_at=asked_at,
        sent_on=asked_at.date() if state == State.SENT else None,
        refusal_reason="Épuisé." if state == State.REFUSED else "",
    )


@pytest.fixture
def world():
    """In 93: Awa (arrived 1 March 2025, tutored), Bilal (arrived 1 June 2025, his request
    declined), Dan (arrived 2024, pair ended on 31 December 2025). In 95: Chloé (arrived
    1 September 2025, no pair), Eve (arrived 2024, pair ended in 2026), Tom (the tutor, 2015).
    Léa holds no post, her commune is Paris (75)."""
    tom = in_post("Tom", date(2015, 1, 1), "95")
    awa = in_post("Awa", date(2025, 3, 1))
    bilal = in_post("Bilal", date(2025, 6, 1))
    dan = in_post("Dan", date(2024, 4, 1))
    chloe = in_post("Chloé", date(2025, 9, 1), "95")
    eve = in_post("Eve", date(2024, 10, 1), "95")
    lea = CoordinatorProfileFactory(commune=commune("75056")).user
    pair(awa, tom, Status.ACTIVE, at(2025, 3, 5), date(2025, 3, 10))
    pair(bilal, tom, Status.DECLINED, at(2025, 6, 5))
    pair(dan, tom, Status.ENDED, at(2024, 4, 20), date(2024, 5, 1), date(2025, 12, 31))
    pair(eve, tom, Status.ENDED, at(2024, 10, 20), date(2024, 11, 1), date(2026, 1, 5))
    question(awa, at(2025, 2, 1), at(2025, 2, 2), useful=True, by=tom)
    question(bilal, at(2025, 11, 30), at(2026, 1, 3), by=tom)  # answered after the year
    question(chloe, at(2025, 5, 1))
    question(awa, at(2024, 12, 31, 23, 30), at(2025, 1, 2), by=tom)  # asked in 2024 in Paris
    note(awa, at(2025, 4, 1))
    note(awa, at(2025, 5, 1))
    note(chloe, None, ExperienceNote.Status.DRAFT)
    note(eve, at(2024, 12, 1))
    note(chloe, at(2025, 10, 1))
    request(awa, at(2025, 1, 10), State.SENT)
    request(awa, at(2025, 2, 10), State.ASKED)
    request(chloe, at(2025, 3, 1), State.REFUSED)
    request(bilal, at(2024, 12, 1), State.ACCEPTED)
    request(lea, at(2025, 6, 1), State.WITHDRAWN)
    return locals()


def test_tutoring_pairs(world):
    figures = network.tutoring(YEAR, REGION)
    # Active on 31/12/2025: Awa's (93) and Eve's (95, ended in 2026); Dan's ended that day.
    # Started in 2025: Awa's. Requested in 2025: Awa's and Bilal's (declined since).
    assert figures.total == {"active": 2, "started": 1, "requested": 2}
    assert figures.departments["93"] == {"active": 1, "started": 1, "requested": 2}
    assert figures.departments["95"] == {"active": 1, "started": 0, "requested": 0}
    assert network.tutoring(YEAR, DD93).total == {"active": 1, "started": 1, "requested": 2}
    # CLSM posts are those of 95 here: Eve's pair only.
    clsm = Scope(department_codes=None, scheme_kind="CLSM", regional=True)
    assert network.tutoring(YEAR, clsm).total == {"active": 1, "started": 0, "requested": 0}


def test_newcomers_without_a_tutor(world):
    figures = network.newcomers_without_tutor(YEAR, REGION)
    # Arrived after 31/12/2024 and in post: Awa (tutored), Bilal and Chloé (no tutor).
    assert figures.total == {"newcomers": 2}
    assert figures.departments["93"] == {"newcomers": 1}
    assert figures.departments["95"] == {"newcomers": 1}
    assert network.newcomers_without_tutor(YEAR, DD93).total == {"newcomers": 1}


def test_a_newcomer_tutored_on_the_period_s_end_is_not_without_tutor(world):
    """Fanny arrived in 93 on 1 May 2025, was tutored from 10 May 2025 to 10 January 2026: on
    31 December 2025 she had a tutor, though she has none today."""
    fanny = in_post("Fanny", date(2025, 5, 1))
    pair(fanny, world["tom"], Status.ENDED, at(2025, 5, 2), date(2025, 5, 10), date(2026, 1, 10))
    assert network.newcomers_without_tutor(YEAR, REGION).total == {"newcomers": 2}
    # On 31 January 2026 her pair has ended: she counts (arrived within the 12 months before),
    # with Bilal and Chloé; Awa is still tutored.
    january = Period.between(date(2026, 1, 1), date(2026, 1, 31))
    assert network.newcomers_without_tutor(january, REGION).total == {"newcomers": 3}


def test_questions_asked_and_answered(world):
    figures = network.questions(YEAR, REGION)
    # Asked in 2025: Awa's (answered, useful), Bilal's (answered in 2026), Chloé's (none).
    assert figures.total == {"asked": 3, "answered": 1, "useful": 1}
    assert figures.departments["93"] == {"asked": 2, "answered": 1, "useful": 1}
    assert figures.departments["95"] == {"asked": 1, "answered": 0, "useful": 0}
    assert network.questions(YEAR, DD93).total == {"asked": 2, "answered": 1, "useful": 1}


def test_experience_notes_published(world):
    figures = network.notes_published(YEAR, REGION)
    # Awa's two of 2025, Chloé's of October (her draft does not count, Eve's is of 2024).
    assert figures.total == {"published": 3, "authors": 2}
    assert figures.departments["93"] == {"published": 2, "authors": 1}
    assert network.notes_published(YEAR, DD93).total == {"published": 2, "authors": 1}


def test_resource_requests_by_state(world):
    figures = network.resource_requests(YEAR, REGION)
    # Made in 2025: Awa's two (sent, waiting), Chloé's (refused), Léa's (withdrawn, 75);
    # Bilal's is of 2024.
    assert figures.total == {
        "total": 4,
        "asked": 1,
        "accepted": 0,
        "sent": 1,
        "refused": 1,
        "withdrawn": 1,
    }
    assert figures.departments["75"]["withdrawn"] == 1
    assert network.resource_requests(YEAR, DD93).total == {
        "total": 2,
        "asked": 1,
        "accepted": 0,
        "sent": 1,
        "refused": 0,
        "withdrawn": 0,
    }


def _grow(count):
    """`count` more coordinators of 93, each with a pair, a question, a note and a request."""
    people = bulk_people(count)
    tutor = people[0]
    TutoringPair.objects.bulk_create(
        TutoringPair(newcomer=p, tutor=tutor, status=Status.ACTIVE, started_on=date(2025, 2, 1))
        for p in people[1:]
    )
    Question.objects.bulk_create(
        Question(author=p, title="Q", body="?", name="q", document="q") for p in people
    )
    ExperienceNote.objects.bulk_create(
        ExperienceNote(author=p, title="F", status="published", published_at=at(2025, 3, 1))
        for p in people
    )
    resource = ResourceFactory(on_request=True)
    ResourceRequest.objects.bulk_create(
        ResourceRequest(resource=resource, requester=p, format="digital", asked_at=at(2025, 3, 1))
        for p in people
    )


INDICATORS = [
    network.tutoring,
    network.newcomers_without_tutor,
    network.questions,
    network.notes_published,
    network.resource_requests,
]


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("scope", [REGION, DD93], ids=["region", "dd93"])
def test_queries_do_not_grow_with_the_data(world, indicator, scope):
    _grow(5)
    with CaptureQueriesContext(connection) as small:
        indicator(YEAR, scope)
    _grow(200)
    with CaptureQueriesContext(connection) as large:
        indicator(YEAR, scope)
    assert len(small) == len(large)
