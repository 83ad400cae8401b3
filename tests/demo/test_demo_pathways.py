"""The demo pathways: framework, catalogue, pathways, people at different stages; idempotent."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from agenda.models import Event
from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Tenure
from demo import loaders
from demo.dashboards import UNCOVERED as UNCOVERED_COMPETENCY
from demo.events import WELCOME_DAY
from demo.pathways import (
    EXPERIENCED_LEVELS,
    HEALTH_PROMOTION_PATHWAY,
    WEBINARS_HEALTH,
    WELCOME_OFFER,
    seed_pathways,
)
from learning import progress
from learning.models import (
    Enrolment,
    Offer,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from learning.selectors import assessment_people
from resources.models import Resource

pytestmark = pytest.mark.django_db
WEBINARS = [webinar.title for webinar in loaders.agenda().webinars.sessions]


@pytest.fixture
def seeded(demo_seeded):
    # `seed_demo` seeded the pathways: seed_pathways must then change nothing.
    with CaptureQueriesContext(connection) as queries:
        counts = seed_pathways()
    return counts, len(queries)


def in_post():
    return User.objects.filter(
        coordinator_profile__status=CoordinatorProfile.Status.APPROVED,
        tenures__ended_on__isnull=True,
    ).distinct()


def test_the_framework_has_eight_competencies_in_three_domains_with_four_plain_levels(seeded):
    counts, _ = seeded
    assert counts["compétences"] == Competency.objects.count() >= 8
    assert 3 <= counts["domaines de compétences"] <= 4
    for competency in Competency.objects.all():
        texts = [description for _, _, description in competency.levels]
        assert all(len(text) > 30 for text in texts), competency
        assert len(set(texts)) == 4, competency


def test_about_fifteen_offers_regional_and_departmental_with_their_sessions(seeded):
    counts, _ = seeded
    assert 14 <= counts["offres"] == Offer.objects.count() <= 16
    departmental = Offer.objects.filter(departments__isnull=False).distinct()
    assert set(departmental.values_list("departments__code", flat=True)) >= {"93", "95"}
    assert set(departmental.values_list("providers__short_name", flat=True)) >= {
        "CRPV 93",
        "CRPV 95",
        "ARS DD 93",
    }
    co_built = Offer.objects.annotate(n=Count("providers")).filter(n__gt=1)
    assert counts["offres co-construites"] == co_built.count() == 1
    assert not Offer.objects.filter(competencies__isnull=True).exists()
    # Every demo event is a session of an offer: webinars by cycle, the welcome day, visits…
    welcome = Event.objects.get(title=WELCOME_DAY)
    assert welcome.offer_session.offer.title == WELCOME_OFFER
    promotion = Event.objects.get(title=WEBINARS[0])
    assert promotion.offer_session.offer.title == WEBINARS_HEALTH
    webinars = Event.objects.filter(title__in=WEBINARS)
    assert not webinars.filter(offer_session__isnull=True)
    visits = Event.objects.filter(kind=Event.Kind.SITE_VISIT)
    assert not visits.filter(offer_session__isnull=True).exists()
    assert counts["séances rattachées à une offre"] >= 25
    assert Resource.objects.filter(competencies__isnull=False).distinct().count() >= 5


def test_three_pathways_the_newcomers_one_ordered_as_asked(seeded):
    counts, _ = seeded
    assert counts["parcours"] == 3
    assert set(Pathway.objects.values_list("title", flat=True)) == {
        progress.NEWCOMERS_PATHWAY,
        HEALTH_PROMOTION_PATHWAY,
        progress.RENEWAL_PATHWAY,
    }
    newcomers = Pathway.objects.get(title=progress.NEWCOMERS_PATHWAY)
    assert newcomers.is_ordered
    steps = list(newcomers.steps.order_by("position"))
    assert [s.kind for s in steps] == [
        "event",
        "resource",
        "event",
        "event",
        "tutoring",
        "activity",
    ]
    assert steps[0].offer.title == WELCOME_OFFER
    assert "boussole" in steps[1].resource.title.lower()
    assert steps[2].offer.title == WEBINARS_HEALTH
    assert steps[-1].title == "Présenter son diagnostic local à sa hiérarchie"
    for step in PathwayStep.objects.select_related("offer", "resource"):
        assert (step.offer is None or step.offer.is_active) and (
            step.resource is None or step.resource.is_published
        )


def test_about_half_the_coordinators_follow_a_pathway_at_different_stages(seeded):
    counts, _ = seeded
    coordinators = in_post().count()
    enrolled = counts["personnes inscrites à un parcours"]
    # About half this year; the dashboards' seed adds people of the two years before who
    # followed « Promotion de la santé » after a webinar (two thirds in all).
    assert 0.4 * coordinators <= enrolled <= 0.7 * coordinators
    for pathway in Pathway.objects.all():
        assert pathway.enrolments.count() >= 5, pathway
    # Stages: some just started, some done a lot; sources from attendance, readings, declared.
    progresses = progress.progress_of(Enrolment.objects.select_related("pathway"))
    done = {p.done_count for p in progresses}
    assert 0 in done and max(done) >= 3
    sources = set(StepCompletion.objects.values_list("source", flat=True))
    assert sources == set(StepCompletion.Source.values)
    attended = StepCompletion.objects.filter(source="attendance").select_related(
        "registration__event__offer_session", "step"
    )
    assert attended.count() > 20
    for completion in attended:
        assert completion.registration.attended
        assert completion.registration.event.offer_session.offer_id == completion.step.offer_id
        assert completion.completed_at == completion.registration.event.ends_at
    assert not StepCompletion.objects.filter(completed_at__gt=timezone.now()).exists()
    declared = StepCompletion.objects.filter(source="declared")
    assert all(len(c.reflection) >= 20 for c in declared)
    assert counts["demandes de validation en attente"] == 1
    pending = PriorLearningRequest.objects.get(status="pending")
    assert not StepCompletion.objects.filter(
        enrolment=pending.enrolment, step=pending.step
    ).exists()


def test_two_rounds_of_self_assessment_six_months_apart_showing_progress(seeded):
    counts, _ = seeded
    twice = SelfAssessment.objects.values("person").annotate(n=Count("pk")).filter(n__gte=2)
    assert twice.count() >= 10
    progressed = 0
    for row in twice:
        competencies, rows = progress.assessment_history(User.objects.get(pk=row["person"]))
        (first, first_levels), (last, last_levels) = rows[0], rows[-1]
        assert last.created_at - first.created_at >= timedelta(days=182)
        # Every competency is rated, but the one the framework gained after (the dashboards'
        # seed adds one that no offer covers yet).
        unrated = {c.name for c in competencies if c.pk not in first_levels}
        assert unrated <= {UNCOVERED_COMPETENCY["name"]}
        progressed += sum(
            last_levels.get(c.pk, 0) > first_levels.get(c.pk, 5) for c in competencies
        )
    assert progressed > twice.count()  # more than one competency up per person on average
    assert not SelfAssessmentRating.objects.exclude(level__range=(1, 4)).exists()
    assert counts["auto-évaluations"] == SelfAssessment.objects.count()

    experienced = User.objects.get(email="coordinateur@demo.example.org")
    competencies, rows = progress.assessment_history(experienced)
    assert len(rows) == 2
    assert progress.assessment_due(experienced)  # the demo shows the "time to reassess" prompt
    by_name = {c.pk: c.name for c in competencies}
    assert {by_name[k]: v for k, v in rows[-1][1].items()} == {
        name: levels[1] for name, levels in EXPERIENCED_LEVELS.items()
    }
    assert experienced.enrolments.filter(pathway__title=HEALTH_PROMOTION_PATHWAY).exists()


@pytest.mark.parametrize("code", ["93", "95"])
def test_aggregates_of_93_and_95_show_every_competency(seeded, code):
    from accounts.access import Access, Role
    from territories.models import Department

    access = Access(Role.STAFF, department_codes=None)
    department = Department.objects.get(code=code)
    rows = progress.assessment_aggregates(assessment_people(access, department))
    assert all(average is not None and people >= 5 for _, average, people in rows), rows


def test_the_demo_newcomer_starts_from_scratch(seeded):
    awa = User.objects.get(email="coordinatrice@demo.example.org")
    assert not Enrolment.objects.filter(person=awa).exists()
    assert not SelfAssessment.objects.filter(person=awa).exists()
    recommendation = progress.recommendation(awa)
    assert recommendation.pathway.title == progress.NEWCOMERS_PATHWAY
    assert Tenure.objects.filter(person=awa, ended_on__isnull=True).exists()


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list(*fields), key=repr)
        for model, fields in [
            (Competency, ["name", "level_1"]),
            (Offer, ["title", "kind"]),
            (Resource, ["title"]),
            (Pathway, ["title", "is_ordered"]),
            (PathwayStep, ["pathway__title", "position", "title"]),
            (Enrolment, ["pathway__title", "person_id", "started_at"]),
            (StepCompletion, ["enrolment_id", "step_id", "source", "completed_at"]),
            (PriorLearningRequest, ["enrolment_id", "status", "created_at"]),
            (SelfAssessment, ["person_id", "created_at"]),
            (SelfAssessmentRating, ["assessment_id", "competency_id", "level"]),
            (Event, ["title", "offer_session__offer_id"]),
        ]
    }


def test_seeding_is_idempotent_and_fast(seeded, mailoutbox):
    counts, queries = seeded
    # Fast without a clock: a second seeding checks what is there in a few queries (27 today),
    # never one per enrolment or completion (there are hundreds).
    assert queries < 50
    before = snapshot()
    assert seed_pathways() == counts
    assert seed_pathways(today=timezone.localdate() + timedelta(days=3)) == counts
    assert snapshot() == before
    assert mailoutbox == []


def test_every_demo_pathway_gives_a_newcomer_something_to_do_the_day_they_join(seeded):
    """Issue 11, #5: joining « Nouveaux coordinateurs » weeks before the welcome day, a
    newcomer reads La boussole at once; no demo pathway would leave someone waiting."""
    for pathway in Pathway.objects.all():
        assert progress.pathway_start_warning(pathway) is None, pathway
    newcomers = Pathway.objects.get(title=progress.NEWCOMERS_PATHWAY)
    welcome_days = Event.objects.filter(offers__title=WELCOME_OFFER, starts_at__gt=timezone.now())
    assert welcome_days.exists()
    person = (
        CoordinatorProfile.objects.filter(status=CoordinatorProfile.Status.APPROVED)
        .exclude(user__enrolments__pathway=newcomers)
        .first()
        .user
    )
    person.resource_reads.all().delete()
    enrolment = Enrolment.objects.create(pathway=newcomers, person=person)
    [joined] = progress.progress_of([enrolment])
    to_do = [s for s in joined.states if not s.locked and not progress.needs_session(s.step)]
    assert [s.step.kind for s in to_do if s.step.is_required] == ["resource"]
    assert "boussole" in to_do[0].step.title.lower()


def test_nothing_was_done_that_the_pathways_refuse(seeded):
    """A step declared once the step it waits for was done (ordered pathways), prior learning
    validated only for a step not done otherwise, and each thing after joining."""
    completions = StepCompletion.objects.select_related("enrolment__pathway", "step")
    done = {(c.enrolment_id, c.step_id): c for c in completions}
    declared = [c for c in done.values() if c.source == StepCompletion.Source.DECLARED]
    assert declared
    for completion in declared:
        enrolment, step = completion.enrolment, completion.step
        steps = list(enrolment.pathway.steps.order_by("position", "pk"))
        blocker = progress.blockers(enrolment.pathway, steps)[step.pk]
        if blocker is not None:
            waited_for = done.get((enrolment.pk, blocker.pk))
            assert waited_for is not None, (enrolment.pathway, step)
            assert waited_for.completed_at <= completion.completed_at, (enrolment.pathway, step)
    for completion in done.values():
        assert completion.completed_at >= completion.enrolment.started_at or (
            completion.source in ("attendance", "reading")  # done before joining counts too
        )
    for request in PriorLearningRequest.objects.filter(status="accepted"):
        completion = done[(request.enrolment_id, request.step_id)]
        assert completion.source == StepCompletion.Source.VALIDATED
        assert request.created_at <= request.reviewed_at == completion.completed_at
