"""Pathway rules: joining, automatic completion from attendance and readings, declarations,
prior learning, staff edits that keep progress, self-assessment input."""

import pytest
from django.utils import timezone

from agenda import services as training_services
from competencies.models import Competency, CompetencyDomain
from learning import pathways, progress
from learning.models import (
    Enrolment,
    Offer,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    StepCompletion,
)
from learning.pathways import PathwayError
from resources.models import Resource
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    in_days,
    promosante_organisation,
)

pytestmark = pytest.mark.django_db


def offer(title="Webinaires de la promotion de la santé", **fields):
    made = Offer.objects.create(title=title, kind="webinar", audiences=["all"], **fields)
    made.providers.set([promosante_organisation()])
    return made


def pathway(title="Nouveaux coordinateurs", **fields):
    return Pathway.objects.create(title=title, audiences=["newcomers"], **fields)


def step(of, kind="event", **fields):
    made = PathwayStep(pathway=of, kind=kind, title=fields.pop("title", f"Étape {kind}"), **fields)
    return pathways.step_save(step=made)


def coordinator():
    return CoordinatorProfileFactory().user


def past_session(of_offer):
    return EventFactory(
        offer=of_offer,
        starts_at=timezone.now() - timezone.timedelta(days=2),
        ends_at=timezone.now() - timezone.timedelta(days=2, hours=-2),
    )


def attend(event, person):
    from agenda.models import Registration

    registration = Registration.objects.create(event=event, person=person, status="confirmed")
    return training_services.registration_check_in(registration=registration)


def test_attendance_completes_the_matching_step_of_every_pathway_of_that_person():
    webinars = offer()
    first, second = pathway(), pathway("Promotion de la santé")
    step_a, step_b = step(first, offer=webinars), step(second, offer=webinars)
    other = step(first, offer=offer("Journée régionale"))
    person = coordinator()
    enrolments = [pathways.pathway_join(pathway=p, person=person) for p in (first, second)]
    registration = attend(past_session(webinars), person)
    done = StepCompletion.objects.filter(enrolment__in=enrolments)
    assert set(done.values_list("step", "source", "registration")) == {
        (step_a.pk, "attendance", registration.pk),
        (step_b.pk, "attendance", registration.pk),
    }
    assert not done.filter(step=other).exists()
    # Any session of the offer counts; undoing a check-in tapped by mistake removes it.
    training_services.registration_check_in(registration=registration, present=False)
    assert not done.exists()


def test_a_session_attended_before_joining_counts():
    webinars = offer()
    newcomers = pathway()
    webinar_step = step(newcomers, offer=webinars)
    person = coordinator()
    attend(past_session(webinars), person)
    enrolment = pathways.pathway_join(pathway=newcomers, person=person)
    assert progress.step_states(enrolment)[webinar_step.pk].done


def test_joining_twice_is_refused():
    newcomers = pathway()
    person = coordinator()
    pathways.pathway_join(pathway=newcomers, person=person)
    with pytest.raises(PathwayError, match="déjà ce parcours"):
        pathways.pathway_join(pathway=newcomers, person=person)
    assert Enrolment.objects.count() == 1


def test_ordered_steps_unlock_one_after_the_other():
    newcomers = pathway(is_ordered=True)
    first = step(newcomers, kind="activity", title="Rencontrer sa hiérarchie")
    second = step(newcomers, kind="activity", title="Présenter son diagnostic")
    enrolment = pathways.pathway_join(pathway=newcomers, person=coordinator())
    with pytest.raises(PathwayError, match="s'ouvre après « Rencontrer sa hiérarchie »"):
        pathways.step_declare(
            enrolment=enrolment, step=second, reflection="J'ai présenté le diagnostic au maire."
        )
    with pytest.raises(PathwayError, match="au moins 20 caractères"):
        pathways.step_declare(enrolment=enrolment, step=first, reflection="fait")
    assert not StepCompletion.objects.exists()
    pathways.step_declare(
        enrolment=enrolment, step=first, reflection="Un entretien d'une heure avec ma DGS."
    )
    states = progress.step_states(enrolment)
    assert states[first.pk].done and not states[second.pk].locked


def test_an_event_step_cannot_be_declared():
    newcomers = pathway()
    webinar_step = step(newcomers, offer=offer())
    enrolment = pathways.pathway_join(pathway=newcomers, person=coordinator())
    with pytest.raises(PathwayError, match="se valide toute seule"):
        pathways.step_declare(enrolment=enrolment, step=webinar_step, reflection="x" * 30)


def test_adding_and_retiring_steps_keeps_existing_progress():
    webinars = offer()
    newcomers = pathway()
    webinar_step = step(newcomers, offer=webinars)
    person = coordinator()
    enrolment = pathways.pathway_join(pathway=newcomers, person=person)
    attend(past_session(webinars), person)
    added = step(newcomers, kind="activity", title="Nouvelle étape")
    report = progress.progress_of([enrolment])[0]
    assert [s.step for s in report.states] == [webinar_step, added]
    assert (report.done_count, report.total) == (1, 2)
    pathways.step_retire(step=webinar_step)
    report = progress.progress_of([enrolment])[0]
    assert [s.step for s in report.states] == [added]
    assert [c.step for c in report.retired_done] == [webinar_step]
    assert StepCompletion.objects.filter(step=webinar_step).exists()


def test_a_step_cannot_point_to_a_retired_offer_or_an_unpublished_resource():
    newcomers = pathway()
    with pytest.raises(PathwayError, match="retirée du catalogue"):
        step(newcomers, offer=offer(is_active=False))
    hidden = Resource.objects.create(title="Brouillon", kind="guide", is_published=False)
    with pytest.raises(PathwayError, match="n'est pas publiée"):
        step(newcomers, kind="resource", resource=hidden)
    assert not PathwayStep.objects.exists()


def test_reading_a_resource_completes_its_step():
    guide = Resource.objects.create(title="La boussole", kind="guide", url="https://ex.org/b")
    newcomers = pathway()
    reading = step(newcomers, kind="resource", resource=guide)
    person = coordinator()
    enrolment = pathways.pathway_join(pathway=newcomers, person=person)
    pathways.resource_read(resource=guide, person=person)
    assert progress.step_states(enrolment)[reading.pk].completion.source == "reading"


def test_prior_learning_is_requested_then_reviewed():
    newcomers = pathway()
    activity = step(newcomers, kind="activity")
    enrolment = pathways.pathway_join(pathway=newcomers, person=coordinator())
    with pytest.raises(PathwayError, match="au moins 20 caractères"):
        pathways.prior_learning_request(enrolment=enrolment, step=activity, justification="")
    request = pathways.prior_learning_request(
        enrolment=enrolment, step=activity, justification="Master de santé publique, 2019."
    )
    with pytest.raises(PathwayError, match="déjà en attente"):
        pathways.prior_learning_request(
            enrolment=enrolment, step=activity, justification="Master de santé publique, 2019."
        )
    with pytest.raises(PathwayError, match="pourquoi"):
        pathways.prior_learning_review(request=request, reviewer=None, accept=False)
    pathways.prior_learning_review(request=request, reviewer=None, accept=True)
    assert progress.step_states(enrolment)[activity.pk].completion.source == "validated"
    with pytest.raises(PathwayError, match="déjà faite"):
        pathways.prior_learning_request(
            enrolment=enrolment, step=activity, justification="Encore une fois, pour voir."
        )
    assert PriorLearningRequest.objects.get().status == "accepted"


def competencies(count=3):
    domain = CompetencyDomain.objects.create(name="Coordination")
    return [
        Competency.objects.create(
            domain=domain,
            name=f"Compétence {n}",
            level_1="a",
            level_2="b",
            level_3="c",
            level_4="d",
            position=n,
        )
        for n in range(count)
    ]


def test_a_self_assessment_needs_every_competency_between_1_and_4():
    first, second, third = competencies()
    person = coordinator()
    with pytest.raises(PathwayError, match="Indiquez un niveau pour : Compétence 2"):
        pathways.self_assessment_submit(person=person, levels={first.pk: 2, second.pk: 3})
    with pytest.raises(PathwayError, match="entre 1 et 4"):
        pathways.self_assessment_submit(
            person=person, levels={first.pk: 2, second.pk: 5, third.pk: 1}
        )
    assert not SelfAssessment.objects.exists()
    assert progress.assessment_due(person)
    pathways.self_assessment_submit(person=person, levels={first.pk: 2, second.pk: 3, third.pk: 1})
    assert not progress.assessment_due(person)


def test_aggregates_are_hidden_below_five_people():
    [competency] = competencies(1)
    people = [coordinator() for _ in range(5)]
    for level, person in zip([1, 2, 3, 4], people, strict=False):
        pathways.self_assessment_submit(person=person, levels={competency.pk: level})
    from accounts.models import User

    group = User.objects.filter(pk__in=[p.pk for p in people])
    assert progress.assessment_aggregates(group) == [(competency, None, 4)]
    pathways.self_assessment_submit(person=people[4], levels={competency.pk: 4})
    pathways.self_assessment_submit(person=people[0], levels={competency.pk: 3})  # latest counts
    assert progress.assessment_aggregates(group) == [(competency, 3.2, 5)]


def test_recommendation_follows_the_profile():
    newcomers = pathway()
    renewal = pathway(progress.RENEWAL_PATHWAY)
    from tests.factories import PostFactory, SchemeFactory, TenureFactory

    person = coordinator()
    TenureFactory(person=person, started_on=timezone.localdate() - timezone.timedelta(days=60))
    assert progress.recommendation(person).pathway == newcomers
    pathways.pathway_join(pathway=newcomers, person=person)
    assert progress.recommendation(person) is None
    senior = coordinator()
    scheme = SchemeFactory(kind="CLS", ends_on=in_days(200).date())
    TenureFactory(
        person=senior,
        post=PostFactory(schemes=[scheme]),
        started_on=timezone.localdate() - timezone.timedelta(days=2000),
    )
    recommended = progress.recommendation(senior)
    assert recommended.pathway == renewal and "échéance" in recommended.reason


def test_steps_cannot_wait_for_each_other():
    newcomers = pathway()
    first = step(newcomers, kind="activity", title="A")
    second = step(newcomers, kind="activity", title="B", unlock_after=first)
    first.unlock_after = second
    with pytest.raises(PathwayError, match="s'attendraient l'une l'autre"):
        pathways.step_save(step=first)
    first.refresh_from_db()
    assert first.unlock_after is None
