"""`pathways.pathway_save` and the reads of the learning pages (`learning.selectors`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.access import access_for
from learning import pathways, selectors
from learning.models import Pathway, PriorLearningRequest, StepCompletion
from territories.models import Department
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
    commune,
    in_days,
)
from tests.learning.pathway_factories import (
    EnrolmentFactory,
    OfferFactory,
    PathwayFactory,
    PathwayStepFactory,
    PriorLearningRequestFactory,
    StepCompletionFactory,
)

pytestmark = pytest.mark.django_db


# --- pathway_save -----------------------------------------------------------------------------


def test_a_pathway_is_created_then_changed_without_touching_progress():
    pathway = pathways.pathway_save(
        pathway=Pathway(title="  Renouveler son CLS ", audiences=["cls_renewal"])
    )
    assert Pathway.objects.get(pk=pathway.pk).title == "Renouveler son CLS"
    completion = StepCompletionFactory(enrolment=EnrolmentFactory(pathway=pathway))
    pathway.is_ordered = True
    pathways.pathway_save(pathway=pathway)
    assert Pathway.objects.get(pk=pathway.pk).is_ordered
    assert StepCompletion.objects.filter(pk=completion.pk).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Donnez un titre au parcours."),
        ({"title": "x" * 201}, "Un titre fait au plus 200 caractères."),
        ({"title": "Déjà là"}, "Un parcours porte déjà ce titre."),
        ({"audiences": []}, "Choisissez au moins un public du parcours."),
        ({"audiences": ["all", "inconnu"]}, "Choisissez au moins un public du parcours."),
    ],
)
def test_a_refused_pathway_says_why_and_saves_nothing(fields, message):
    PathwayFactory(title="Déjà là")
    before = sorted(Pathway.objects.values_list("pk", "title"))
    with pytest.raises(pathways.PathwayError, match=message):
        pathways.pathway_save(
            pathway=Pathway(**{"title": "Nouveau", "audiences": ["all"], **fields})
        )
    assert sorted(Pathway.objects.values_list("pk", "title")) == before


# --- Pathway pages ----------------------------------------------------------------------------


def test_pathways_listed_and_to_join():
    open_one = PathwayFactory(title="A ouvert")
    closed = PathwayFactory(title="B fermé", is_active=False)
    followed = PathwayFactory(title="C suivi")
    assert set(selectors.pathways_listed(with_closed=False)) == {open_one, followed}
    assert set(selectors.pathways_listed(with_closed=True)) == {open_one, closed, followed}
    assert list(selectors.pathways_to_join(followed=[followed.pk])) == [open_one]


def test_the_running_enrolment_only():
    person = UserFactory()
    pathway = PathwayFactory()
    EnrolmentFactory(pathway=pathway, person=person, left_at=timezone.now())
    assert selectors.running_enrolment(pathway, person) is None
    running = EnrolmentFactory(pathway=pathway, person=person)
    assert selectors.running_enrolment(pathway, person) == running


def test_the_steps_of_a_pathway_for_someone_who_does_not_follow_it():
    pathway = PathwayFactory()
    second = PathwayStepFactory(pathway=pathway, position=2)
    first = PathwayStepFactory(pathway=pathway, position=1)
    PathwayStepFactory(pathway=pathway, position=3, retired_at=timezone.now())
    rows = selectors.pathway_steps(pathway)
    assert [row.step for row in rows] == [first, second]
    assert all(row.state is None and row.session is None for row in rows)


def test_an_enrolment_page_gives_states_sessions_refusals_and_retired_steps_done(
    django_assert_max_num_queries,
):
    person = CoordinatorProfileFactory().user
    pathway = PathwayFactory()
    offer = OfferFactory()
    session = EventFactory(offer=offer, starts_at=in_days(10))
    attend = PathwayStepFactory(pathway=pathway, kind="event", offer=offer, position=1)
    declare = PathwayStepFactory(pathway=pathway, position=2)
    old = PathwayStepFactory(pathway=pathway, position=3)
    enrolment = EnrolmentFactory(pathway=pathway, person=person)
    done = StepCompletionFactory(enrolment=enrolment, step=old)
    pathways.step_retire(step=old)
    refused = PriorLearningRequestFactory(
        enrolment=enrolment,
        step=declare,
        status=PriorLearningRequest.Status.REFUSED,
        reviewed_at=timezone.now(),
        review_comment="Précisez la formation.",
    )
    with django_assert_max_num_queries(8):
        page = selectors.enrolment_page(enrolment, person)
    rows = {row.step: row for row in page.rows}
    assert list(rows) == [attend, declare]
    assert rows[attend].session == session and not rows[attend].state.done
    assert rows[declare].session is None and rows[declare].refusal == refused
    assert page.retired_done == [(old, done)]
    assert page.progress.enrolment == enrolment


def test_prior_learning_requests_pending_and_processed():
    waiting = PriorLearningRequestFactory()
    older = PriorLearningRequestFactory(
        status=PriorLearningRequest.Status.ACCEPTED, reviewed_at=timezone.now() - timedelta(days=2)
    )
    newer = PriorLearningRequestFactory(
        status=PriorLearningRequest.Status.REFUSED, reviewed_at=timezone.now()
    )
    assert list(selectors.prior_learning_pending()) == [waiting]
    assert list(selectors.prior_learning_processed()) == [newer, older]
    assert selectors.prior_learning_pending_count() == 1


# --- Self-assessment aggregates ---------------------------------------------------------------


def in_post(code_insee):
    person = CoordinatorProfileFactory().user
    department = Department.objects.get(code=code_insee[:2])
    scheme = SchemeFactory(commune_codes=[code_insee], department=department)
    TenureFactory(person=person, post=PostFactory(schemes=[scheme]))
    return person


def test_whose_self_assessments_an_aggregate_covers(staff, dd93):
    saint_denis, sarcelles = in_post("93066"), in_post("95585")
    without_post = CoordinatorProfileFactory(commune=commune("93066")).user
    left = in_post("93066")
    left.tenures.update(ended_on=timezone.localdate())
    CoordinatorProfileFactory(status="pending", reviewed_at=None)

    regional = access_for(staff)
    assert set(selectors.assessment_people(regional)) == {
        saint_denis,
        sarcelles,
        without_post,
        left,
    }
    in_93 = Department.objects.get(code="93")
    assert set(selectors.assessment_people(regional, in_93)) == {saint_denis}
    # A partner's aggregates follow its territory, whatever département it asks for.
    partner = access_for(dd93)
    assert set(selectors.assessment_people(partner)) == {saint_denis}
    in_95 = Department.objects.get(code="95")
    assert set(selectors.assessment_people(partner, in_95)) == set()
