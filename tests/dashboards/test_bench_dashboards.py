"""`manage.py bench_dashboards`: the copies of the demo keep their relations among themselves,
are made once, and the pages are measured for each role (docs/performance.md)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from agenda.models import Event, Registration
from coordinators.models import CoordinatorProfile, Post, Scheme, Tenure
from dashboards.management.commands.bench_dashboards import ROLES, build, percentile
from learning.models import SelfAssessment
from network.models.questions import Answer, Question
from network.models.tutoring import TutoringPair
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    promosante_organisation,
)
from tests.network.directory_factories import person_in_post

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def world():
    """Awa (93) and Tom (95) in post; a past webinar both registered to (Awa came); Tom
    tutors Awa; Awa asked a question Tom answered usefully; Awa assessed herself."""
    awa = person_in_post(first_name="Awa", started_on=date(2024, 3, 1)).user
    tom = person_in_post(
        first_name="Tom", commune_code="95585", department_code="95", started_on=date(2015, 1, 1)
    ).user
    event = EventFactory(
        starts_at=datetime(2025, 3, 4, 10, tzinfo=PARIS),
        ends_at=datetime(2025, 3, 4, 12, tzinfo=PARIS),
    )
    Registration.objects.create(event=event, person=awa, attended=True)
    Registration.objects.create(event=event, person=tom, attended=False)
    TutoringPair.objects.create(
        newcomer=awa, tutor=tom, status=TutoringPair.Status.ACTIVE, started_on=date(2024, 4, 1)
    )
    question = Question.objects.create(author=awa, title="Q", body="?", name="q", document="q")
    answer = Answer.objects.create(question=question, author=tom, body="R")
    Question.objects.filter(pk=question.pk).update(useful_answer=answer)
    SelfAssessment.objects.create(person=awa)
    return {"awa": awa, "tom": tom, "event": event}


def test_copies_point_at_each_other(world):
    made = build(3, io.StringIO())
    assert made == [1, 2]
    assert CoordinatorProfile.objects.count() == 6
    assert Scheme.objects.count() == Post.objects.count() == Tenure.objects.count() == 6
    assert Registration.objects.count() == 6 and Event.objects.count() == 3

    copy = User.objects.get(email=f"bench-2.{world['awa'].email}")
    tenure = Tenure.objects.get(person=copy)
    scheme = tenure.post.schemes.get()  # the copy's post, of the copy's scheme
    assert scheme.name.endswith(" [2]") and scheme.department.code == "93"
    assert copy.coordinator_profile.commune.code_insee == "93066"
    registration = Registration.objects.get(person=copy)
    assert registration.attended is True and registration.event.title.endswith(" [2]")
    pair = TutoringPair.objects.get(newcomer=copy)
    assert pair.tutor.email == f"bench-2.{world['tom'].email}"
    question = Question.objects.get(author=copy)
    assert question.useful_answer.question == question  # set once its answer was copied
    assert question.useful_answer.author == pair.tutor
    assert SelfAssessment.objects.filter(person=copy).count() == 1
    # The demo's rows are untouched.
    assert Question.objects.get(author=world["awa"]).useful_answer.author == world["tom"]


def test_copies_are_made_once(world):
    build(2, io.StringIO())
    assert build(3, io.StringIO()) == [2]
    assert build(3, io.StringIO()) == []
    assert CoordinatorProfile.objects.count() == 6


def test_the_percentile_is_a_measured_value():
    assert percentile([5, 1, 3, 2, 4], 0.95) == 5
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([7], 0.5) == 7


def test_it_needs_the_demo_accounts(world):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("bench_dashboards", scale=1, runs=1, stdout=io.StringIO())


def test_each_role_and_page_is_measured(world):
    promosante = promosante_organisation()
    orgs = {
        "equipe@demo.example.org": promosante,
        "ars@demo.example.org": OrganisationFactory(
            kind=Organisation.Kind.ARS_HQ, department_codes=["93", "95"]
        ),
        "dd93@demo.example.org": OrganisationFactory(
            kind=Organisation.Kind.ARS_DD, department_codes=["93"]
        ),
        "crpv95@demo.example.org": OrganisationFactory(
            kind=Organisation.Kind.CRPV, department_codes=["95"]
        ),
    }
    for email, organisation in orgs.items():
        MembershipFactory(user=UserFactory(email=email), organisation=organisation)
    out = io.StringIO()
    call_command("bench_dashboards", scale=2, runs=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert CoordinatorProfile.objects.count() == 4
    measured = [line.split() for line in lines if "/tableau-de-bord/" in line]
    assert len(measured) == len(ROLES) * 4  # the default page and 3 years, per role
    assert all(int(row[-1]) > 0 for row in measured)  # queries counted
    sections = lines[lines.index(next(x for x in lines if x.startswith("Sections"))) + 1 :]
    assert len(sections) == len(ROLES) * 5
