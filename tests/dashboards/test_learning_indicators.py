"""Learning indicators against a world small enough to count by hand (year 2025)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from coordinators.models import CoordinatorProfile, Scheme
from dashboards.filters import Period, Scope
from dashboards.indicators import learning
from learning.models import Enrolment, SelfAssessment, SelfAssessmentRating, StepCompletion
from tests.factories import CoordinatorProfileFactory, UserFactory, commune
from tests.learning.pathway_factories import (
    CompetencyFactory,
    EnrolmentFactory,
    PathwayFactory,
    PathwayStepFactory,
    SelfAssessmentFactory,
    StepCompletionFactory,
)
from tests.network.directory_factories import person_in_post

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
YEAR = Period.year(2025)
REGION = Scope(department_codes=None, regional=True, individual=True)
DD93 = Scope(department_codes=frozenset({"93"}))
CLSM = Scope(department_codes=None, scheme_kind=Scheme.Kind.CLSM, regional=True)


def at(year, month, day, hour=12, minute=0):
    """A Paris wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def world():
    """Awa holds a CLS post in 93, Julien a CLSM post in 95; Léa holds no post, her profile's
    commune is Paris (75); Zoé has neither post nor profile."""
    awa = person_in_post(first_name="Awa").user
    julien = person_in_post(
        first_name="Julien", kind="CLSM", commune_code="95585", department_code="95"
    ).user
    lea = CoordinatorProfileFactory(commune=commune("75056")).user
    zoe = UserFactory(first_name="Zoé")
    # P: two required steps and an optional one; Q: one required step.
    p = PathwayFactory(title="Prendre son poste")
    p1, p2 = PathwayStepFactory(pathway=p), PathwayStepFactory(pathway=p)
    p3 = PathwayStepFactory(pathway=p, is_required=False)
    q = PathwayFactory(title="Renouveler un CLS")
    (q1,) = [PathwayStepFactory(pathway=q)]

    def enrol(pathway, person, started_at, left_at=None, done=()):
        enrolment = EnrolmentFactory(
            pathway=pathway, person=person, started_at=started_at, left_at=left_at
        )
        for step, when in done:
            StepCompletionFactory(enrolment=enrolment, step=step, completed_at=when)
        return enrolment

    # Awa finishes P in 10 days (optional step after) and Q, joined in 2024, in 245 days.
    enrol(
        p,
        awa,
        at(2025, 3, 1),
        done=[(p1, at(2025, 3, 5)), (p2, at(2025, 3, 11)), (p3, at(2025, 3, 20))],
    )
    enrol(q, awa, at(2024, 6, 1), done=[(q1, at(2025, 2, 1))])
    # Julien joins P, does one step, leaves; joins again, one step in 2025, the last in 2026.
    enrol(p, julien, at(2025, 5, 1), left_at=at(2025, 9, 1), done=[(p1, at(2025, 5, 2))])
    enrol(p, julien, at(2025, 10, 1), done=[(p1, at(2025, 10, 2)), (p2, at(2026, 1, 15))])
    # Léa joins Q on New Year's Eve late in the evening and does its step at once.
    enrol(q, lea, at(2025, 12, 31, 23, 30), done=[(q1, at(2025, 12, 31, 23, 45))])
    # Zoé joins P half an hour into 2026 in Paris (still 2025 in UTC): not in 2025.
    enrol(p, zoe, at(2026, 1, 1, 0, 30), done=[(p1, at(2026, 1, 1, 0, 40))])
    return {"p": p, "q": q}


def test_enrolments_new_running_and_left(world):
    figures = learning.enrolments(YEAR, REGION)
    # new: Awa P, Julien P twice, Léa Q (Zoé's is 2026 in Paris); running on 31/12: Awa P and Q,
    # Julien's second, Léa's; left: Julien's first.
    assert figures.total == {"new": 4, "running": 4, "left": 1}
    assert figures.departments["93"] == {"new": 1, "running": 2, "left": 0}
    assert figures.departments["95"] == {"new": 2, "running": 1, "left": 1}
    assert figures.departments["75"] == {"new": 1, "running": 1, "left": 0}  # Léa's commune
    assert figures.departments["77"] == {"new": 0, "running": 0, "left": 0}
    assert None not in figures.departments  # Zoé's only enrolment is of 2026
    # A partner of 93 counts Awa only; a CLSM filter Julien only (Léa holds no post).
    assert learning.enrolments(YEAR, DD93).total == {"new": 1, "running": 2, "left": 0}
    assert list(learning.enrolments(YEAR, DD93).departments) == ["93"]
    assert learning.enrolments(YEAR, CLSM).total == {"new": 2, "running": 1, "left": 1}


def test_steps_done_in_the_period(world):
    figures = learning.steps_done(YEAR, REGION)
    # Awa: p1, p2, p3 and q1; Julien: p1 twice (p2 is of 2026); Léa: q1; Zoé: 2026.
    assert figures.total == {"steps": 7, "people": 3}
    assert figures.departments["93"] == {"steps": 4, "people": 1}
    assert figures.departments["95"] == {"steps": 2, "people": 1}
    assert learning.steps_done(YEAR, DD93).total == {"steps": 4, "people": 1}


def test_completion_per_pathway(world):
    rows = {row.pathway.title: row.figures for row in learning.completion(YEAR, REGION)}
    # P in 2025: Awa (complete), Julien's first (one step of two, left), Julien's second (p2
    # done only in 2026). Q in 2025: Léa (complete); Awa's Q started in 2024.
    assert rows["Prendre son poste"].total == {"enrolments": 3, "completed": 1}
    assert rows["Prendre son poste"].departments["95"] == {"enrolments": 2, "completed": 0}
    assert rows["Renouveler un CLS"].total == {"enrolments": 1, "completed": 1}
    only93 = {row.pathway.title: row.figures.total for row in learning.completion(YEAR, DD93)}
    assert only93 == {"Prendre son poste": {"enrolments": 1, "completed": 1}}


def test_median_time_to_complete(world):
    medians = learning.median_time_to_complete(YEAR, REGION)
    # Completed in 2025: Awa P in 10 days (her optional step later does not count), Awa Q in
    # 245 days (1 June 2024 → 1 February 2025), Léa Q in 0 days: [0, 10, 245].
    assert (medians.total, medians.count) == (10, 3)
    assert medians.departments["93"] == (10, 2)  # [10, 245]: the lower middle
    assert medians.departments["75"] == (0, 1)
    assert medians.departments["95"] == (None, 0)  # Julien finished in 2026
    assert medians.pathways == {world["p"].pk: (10, 1), world["q"].pk: (0, 2)}
    assert learning.median_time_to_complete(YEAR, DD93).total == 10


def assess(person, when, levels):
    return SelfAssessmentFactory(person=person, created_at=when, levels=levels)


def test_assessment_progression_only_for_groups_of_five(db):
    c1 = CompetencyFactory(name="Plaidoyer")
    c2 = CompetencyFactory(name="Animer un partenariat")
    pairs = [(1, 3), (2, 2), (2, 3), (3, 2), (1, 2), (2, 4)]
    people = [person_in_post(first_name=f"P{i}").user for i in range(6)]
    for i, (person, (first, latest)) in enumerate(zip(people, pairs, strict=True)):
        earlier = {c1: first, **({c2: 2} if i < 4 else {})}
        later = {c1: latest, **({c2: 3} if i < 4 else {})}
        assess(person, at(2024, 5, 1), earlier)
        assess(person, at(2025, 6, 1), later)
    assess(people[5], at(2026, 1, 10), {c1: 1})  # after the period: not their latest here
    once = person_in_post(first_name="Une fois").user
    assess(once, at(2025, 6, 1), {c1: 4})  # assessed once: no progression
    stale = person_in_post(first_name="Ancienne").user
    assess(stale, at(2023, 1, 1), {c1: 1})
    assess(stale, at(2024, 1, 1), {c1: 4})  # not re-assessed in 2025
    julien = person_in_post(
        first_name="Julien", kind="CLSM", commune_code="95585", department_code="95"
    ).user
    assess(julien, at(2024, 2, 1), {c1: 1})
    assess(julien, at(2025, 2, 1), {c1: 4})

    rows = {row.competency.name: row for row in learning.assessment_progression(YEAR, REGION)}
    # Plaidoyer: the six of 93 and Julien. First levels 1+2+2+3+1+2+1 = 12 over 7 → 1.7;
    # latest 3+2+3+2+2+4+4 = 20 over 7 → 2.9; higher: 1→3, 2→3, 1→2, 2→4, 1→4; same: 2→2;
    # lower: 3→2.
    assert rows["Plaidoyer"].total == {
        "people": 7,
        "first": 1.7,
        "latest": 2.9,
        "improved": 5,
        "same": 1,
        "lower": 1,
    }
    # 93 alone: six people, first 11/6 → 1.8, latest 16/6 → 2.7.
    assert rows["Plaidoyer"].departments["93"] == {
        "people": 6,
        "first": 1.8,
        "latest": 2.7,
        "improved": 4,
        "same": 1,
        "lower": 1,
    }
    # Julien alone in 95, four people on the second competency: sizes only.
    assert rows["Plaidoyer"].departments["95"] == {
        "people": 1,
        "first": None,
        "latest": None,
        "improved": None,
        "same": None,
        "lower": None,
    }
    assert rows["Animer un partenariat"].total["people"] == 4
    assert rows["Animer un partenariat"].total["first"] is None
    assert learning.assessment_progression(YEAR, DD93)[0].total["people"] == 6


def _grow(count):
    """`count` more people with a profile in 93, each enrolled with a step done and assessed
    twice: bulk inserts."""
    pathway = PathwayFactory()
    step = PathwayStepFactory(pathway=pathway)
    competency = CompetencyFactory()
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"grow{start + i}@exemple.fr", first_name="G", last_name=str(i))
        for i in range(count)
    )
    CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(user=u, commune=commune("93066"), status="approved") for u in users
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(pathway=pathway, person=u, started_at=at(2025, 4, 1)) for u in users
    )
    StepCompletion.objects.bulk_create(
        StepCompletion(enrolment=e, step=step, source="declared", completed_at=at(2025, 4, 2))
        for e in enrolments
    )
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(person=u, created_at=at(year, 3, 1)) for u in users for year in (2024, 2025)
    )
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=a, competency=competency, level=1 + i % 4)
        for i, a in enumerate(assessments)
    )


INDICATORS = [
    learning.enrolments,
    learning.steps_done,
    learning.completion,
    learning.median_time_to_complete,
    learning.assessment_progression,
]


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("scope", [REGION, DD93], ids=["region", "dd93"])
def test_queries_do_not_grow_with_the_data(world, indicator, scope):
    _grow(5)
    with CaptureQueriesContext(connection) as small:
        indicator(YEAR, scope)
    _grow(200)
    with CaptureQueriesContext(connection) as large:
        result = indicator(YEAR, scope)
    assert len(small) == len(large)
    assert result  # something was counted
