"""Reads of the learning pages that carry a rule: which offers a user manages, a pathway's page
for the person looking at it, prior-learning requests, whose self-assessments an aggregate
covers. Progress itself is computed by `progress.py`, the catalogue's tables by `offers.py`."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agenda.models import Event
from competencies.models import Competency
from coordinators.models import CoordinatorProfile, Tenure

from . import progress
from .models import Enrolment, Offer, Pathway, PathwayStep, PriorLearningRequest

# --- The catalogue ----------------------------------------------------------------------------


def catalogue_offers(*, access, retired: bool):
    """Offers of the catalogue; retired ones only among those the user provides (staff: all)."""
    offers = Offer.objects.filter(is_active=not retired)
    if not retired:
        return offers
    links = Offer.providers.through.objects.filter(
        organisation__in=[org.pk for org in access.publishing_organisations]
    )
    return offers.filter(pk__in=links.values("offer_id"))


def offer_resources(offer):
    """The published resources of an offer, for its page."""
    return offer.resources.filter(is_published=True).order_by("title")


# --- Pathways ---------------------------------------------------------------------------------


def pathways_listed(*, with_closed: bool):
    """Pathways on the list page; closed ones only for those who edit pathways."""
    pathways = Pathway.objects.all()
    return pathways if with_closed else pathways.filter(is_active=True)


def pathways_to_join(*, followed):
    """Open pathways a person does not follow (`followed`: ids of those they do)."""
    return Pathway.objects.filter(is_active=True).exclude(pk__in=followed)


def running_enrolment(pathway, person):
    """The person's enrolment in the pathway while they follow it (None once they left)."""
    return (
        Enrolment.objects.filter(pathway=pathway, person=person, left_at__isnull=True)
        .select_related("pathway")
        .first()
    )


@dataclass
class StepRow:
    """A current step on the pathway page, with what the enrolled person can do about it."""

    step: PathwayStep
    state: progress.StepState | None = None
    session: Event | None = None
    refusal: PriorLearningRequest | None = None  # the last refused request, with its reason


def pathway_steps(pathway) -> list[StepRow]:
    """The current steps of a pathway, for someone who does not follow it."""
    steps = (
        pathway.steps.filter(retired_at__isnull=True)
        .select_related("offer", "resource", "unlock_after")
        .order_by("position", "pk")
    )
    return [StepRow(step) for step in steps]


@dataclass
class EnrolmentPage:
    progress: progress.Progress
    rows: list
    retired_done: list  # [(retired step, its completion)]: steps of a previous version done


def enrolment_page(enrolment, person) -> EnrolmentPage:
    """A followed pathway's steps with their state, the next session to book for each step
    that is not done, and the reason of the last refused prior-learning request."""
    [state_progress] = progress.progress_of([enrolment])
    offer_ids = {
        s.step.offer_id for s in state_progress.states if not s.done and progress.bookable(s.step)
    }
    sessions = progress.next_sessions(offer_ids, person) if offer_ids else {}
    refusals = {
        r.step_id: r
        for r in enrolment.prior_learning_requests.filter(
            status=PriorLearningRequest.Status.REFUSED
        ).order_by("reviewed_at")
    }
    rows = [
        StepRow(
            s.step,
            s,
            sessions.get(s.step.offer_id) if progress.bookable(s.step) else None,
            refusals.get(s.step.pk),
        )
        for s in state_progress.states
    ]
    retired_done = []
    if state_progress.retired_done:
        retired = {s.pk: s for s in enrolment.pathway.steps.filter(retired_at__isnull=False)}
        retired_done = [(retired[c.step_id], c) for c in state_progress.retired_done]
    return EnrolmentPage(progress=state_progress, rows=rows, retired_done=retired_done)


# --- Tutoring ----------------------------------------------------------------------------------


@dataclass
class TutoringRequest:
    """Where a tutoring step sends the person to find a tutor: the peer network's tutoring page
    (/entraide/tutorat/, by its URL name: learning does not import the network)."""

    url: str


def tutoring_request(*, person, pathway) -> TutoringRequest:
    return TutoringRequest(url=reverse("tutoring"))


# --- Prior learning ---------------------------------------------------------------------------


def _prior_learning_requests():
    return PriorLearningRequest.objects.select_related(
        "enrolment__person", "enrolment__pathway", "step", "reviewed_by"
    )


def prior_learning_pending():
    return _prior_learning_requests().filter(status=PriorLearningRequest.Status.PENDING)


def prior_learning_processed():
    """Requests already answered, the latest first."""
    return (
        _prior_learning_requests()
        .exclude(status=PriorLearningRequest.Status.PENDING)
        .order_by("-reviewed_at", "-pk")
    )


def prior_learning_pending_count() -> int:
    return PriorLearningRequest.objects.filter(status=PriorLearningRequest.Status.PENDING).count()


# --- Self-assessment aggregates ---------------------------------------------------------------


def assessment_people(access, department=None):
    """Coordinators whose self-assessments an aggregate covers: in a département, those holding
    a post in one of its schemes today; the user's territory goes through `access.scope`."""
    people = User.objects.filter(coordinator_profile__status=CoordinatorProfile.Status.APPROVED)
    if department is None and access.is_regional:
        return people
    posts = access.scope(
        Tenure.objects.filter(ended_on__isnull=True, person__isnull=False),
        "post__schemes__department",
    )
    if department is not None:
        posts = posts.filter(post__schemes__department=department)
    return people.filter(pk__in=posts.values("person"))


# --- What to take for the weakest competencies --------------------------------------------------

WEAK_LEVEL = 2  # « mise en pratique » or below: worth strengthening
WEAKEST_SHOWN = 3
SESSIONS_SHOWN = 3


@dataclass
class OfferToTake:
    offer: Offer
    sessions: list  # its next published sessions (events), the soonest first


@dataclass
class ToStrengthen:
    """A competency the person rated low, with what works on it: the catalogue's offers (for
    their territory, or regional) and their next sessions, and the pathways whose steps take
    those offers."""

    competency: Competency
    level: int
    offers: list  # [OfferToTake]
    pathways: list  # [Pathway]


def competencies_to_strengthen(person, *, assessment=None, now=None) -> list[ToStrengthen]:
    """The (at most three) competencies of the person's latest self-assessment (`assessment`
    when the caller has it, from `progress.latest_assessment`) rated 1 or 2, lowest first, with
    what to take for each. Five queries, whatever the catalogue's size (three given it)."""
    latest = assessment or progress.latest_assessment(person)
    if latest is None:
        return []
    now = now or timezone.now()
    weakest = sorted(
        (r for r in latest.ratings.all() if r.level <= WEAK_LEVEL and r.competency.is_active),
        key=lambda r: (r.level, r.competency.domain_id, r.competency.position),
    )[:WEAKEST_SHOWN]
    if not weakest:
        return []
    weak_ids = [r.competency_id for r in weakest]
    # The offers working on them: regional ones, and departmental ones of the person's posts.
    departments = Tenure.objects.filter(person=person, ended_on__isnull=True).values(
        "post__schemes__department"
    )
    elsewhere = Offer.departments.through.objects.filter(offer=OuterRef("offer")).exclude(
        department__in=departments
    )
    here = Offer.departments.through.objects.filter(
        offer=OuterRef("offer"), department__in=departments
    )
    links = (
        Offer.competencies.through.objects.filter(competency_id__in=weak_ids, offer__is_active=True)
        .filter(Q(Exists(here)) | ~Q(Exists(elsewhere)))
        .select_related("offer")
        .order_by("offer__title")
    )
    offers_of = {}
    for link in links:
        offers_of.setdefault(link.competency_id, []).append(link.offer)
    offer_ids = {offer.pk for offers in offers_of.values() for offer in offers}
    sessions = {}
    for event in (
        Event.objects.filter(
            offer_session__offer_id__in=offer_ids,
            starts_at__gt=now,
            status=Event.Status.PUBLISHED,
        )
        .annotate(offer_id=F("offer_session__offer_id"))
        .order_by("starts_at", "pk")
    ):
        found = sessions.setdefault(event.offer_id, [])
        if len(found) < SESSIONS_SHOWN:
            found.append(event)
    pathways_of = {}
    steps = (
        PathwayStep.objects.filter(
            retired_at__isnull=True,
            pathway__is_active=True,
            offer__competencies__in=weak_ids,
        )
        .annotate(competency_id=F("offer__competencies"))
        .select_related("pathway")
        .order_by("pathway__position", "pathway__title")
    )
    for step in steps:
        found = pathways_of.setdefault(step.competency_id, [])
        if step.pathway not in found:
            found.append(step.pathway)
    return [
        ToStrengthen(
            competency=rating.competency,
            level=rating.level,
            offers=[
                OfferToTake(offer, sessions.get(offer.pk, []))
                for offer in offers_of.get(rating.competency_id, [])
            ],
            pathways=pathways_of.get(rating.competency_id, []),
        )
        for rating in weakest
    ]
