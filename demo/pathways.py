"""Demo data of pathways and self-assessments (issue #6): people at different stages.

`seed_pathways` runs after `seed_events` (steps are completed from the real demo attendance).
On the catalogue of `seed_catalogue` it writes:
- enrolments of about half the coordinators in post, at different stages, through
  `learning.pathways.pathway_join` (which completes the steps already done: sessions attended,
  resources read), then dated to the day they joined;
- what they did next, through the pathways' services and dated: prior learning requested and
  validated by staff (`prior_learning_request`, `prior_learning_review`), one request still
  pending, activities declared with a reflection (`step_declare`). What a service refuses (a
  step still locked in an ordered pathway, a step already done) did not happen;
- self-assessments through `self_assessment_submit`: at enrolment, and a second round six months
  later for those who joined long enough ago (showing progress), plus some coordinators who
  assessed themselves without a pathway, so that the aggregates of 93 and 95 have groups of at
  least five people.

The readings that completed steps are history (`history.readings_record`). The demo newcomer (Awa
Diallo) is left out on purpose: no enrolment and no self-assessment, so the newcomer journey
starts from scratch (she joins « Nouveaux coordinateurs » and assesses herself).

People are only enrolled when no demo pathway has an enrolment yet: running it twice, even on a
later day, changes nothing. The plan is drawn from `random.Random(SEED)` and the coordinators
ordered by e-mail; nothing is e-mailed.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import User
from agenda.models import Event
from competencies.models import Competency, CompetencyDomain
from coordinators.models import CoordinatorProfile, Scheme, Tenure
from coordinators.selectors import NEWCOMER_DAYS, schemes_due_for_renewal
from learning import pathways as learning_services
from learning.models import (
    Enrolment,
    Offer,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    StepCompletion,
)
from learning.progress import NEWCOMERS_PATHWAY, RENEWAL_PATHWAY, blockers
from resources.models import Resource, ResourceRead

from . import history, loaders
from .catalogue import seed_catalogue
from .draws import SEED, some

PARIS = ZoneInfo("Europe/Paris")

NEW_DEMO = loaders.accounts().account("newcomer").email
EXPERIENCED_DEMO = loaders.accounts().account("experienced").email
STAFF_DEMO = loaders.accounts().account("staff").email

_learning = loaders.learning()
HEALTH_PROMOTION_PATHWAY = _learning.pathway("health_promotion").title
WELCOME_OFFER = _learning.offer("welcome_day").title
WEBINARS_HEALTH = _learning.offer("webinars_health").title
MATINALES = _learning.offer("matinales").title
WELCOME_95 = _learning.offer("welcome_95").title
BOUSSOLE = _learning.resource("boussole").title
# The experienced demo coordinator's levels: {competency: (first round, six months later)}.
EXPERIENCED_LEVELS = {
    _learning.competency(key).name: levels for key, levels in _learning.experienced_levels.items()
}

RESOURCE = PathwayStep.Kind.RESOURCE
TUTOR = PathwayStep.Kind.TUTORING


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class Coordinator:
    user: User
    first_start: date
    department: str
    renewing: bool  # holds a CLS due for renewal within twelve months


def _coordinators(today):
    """Approved coordinators in post today, ordered by e-mail."""
    first_start = dict(
        Tenure.objects.filter(person__isnull=False)
        .values_list("person")
        .annotate(first=Min("started_on"))
        .order_by()
    )
    due = set(
        schemes_due_for_renewal(12, today).filter(kind=Scheme.Kind.CLS).values_list("pk", flat=True)
    )
    tenures = (
        Tenure.objects.filter(
            ended_on__isnull=True,
            person__coordinator_profile__status=CoordinatorProfile.Status.APPROVED,
        )
        .select_related("person")
        .prefetch_related("post__schemes__department")
        .order_by("person__email", "started_on", "pk")
    )
    people = {}
    for tenure in tenures:
        schemes = sorted(tenure.post.schemes.all(), key=lambda s: (s.kind, s.name))
        if not schemes:
            continue
        person = people.get(tenure.person_id)
        renewing = any(s.pk in due for s in schemes)
        if person is None:
            people[tenure.person_id] = Coordinator(
                tenure.person, first_start[tenure.person_id], schemes[0].department.code, renewing
            )
        else:
            person.renewing = person.renewing or renewing
    return sorted(people.values(), key=lambda c: c.user.email)


@dataclass(eq=False)
class PlannedEnrolment:
    pathway: Pathway
    person: Coordinator
    started_at: datetime
    stage: int  # 0: just joined … 3: nearly done


def _plan_enrolments(rng, coordinators, pathways, today):
    """About half the coordinators in post: most newcomers in « Nouveaux coordinateurs », most
    CLS renewals in « Renouvellement de CLS », others in « Promotion de la santé »."""
    newcomers, renewing, others = [], [], []
    experienced = None
    for c in coordinators:
        if c.user.email == NEW_DEMO:
            continue  # the newcomer journey starts from scratch
        if c.user.email == EXPERIENCED_DEMO:
            experienced = c
        elif (today - c.first_start).days < NEWCOMER_DAYS:
            newcomers.append(c)
        elif c.renewing:
            renewing.append(c)
        else:
            others.append(c)
    target = len(coordinators) // 2
    chosen = []  # (pathway title, coordinator)
    rng.shuffle(newcomers)
    chosen += [(NEWCOMERS_PATHWAY, c) for c in newcomers[: math.ceil(0.75 * len(newcomers))]]
    rng.shuffle(renewing)
    chosen += [(RENEWAL_PATHWAY, c) for c in renewing[: math.ceil(0.6 * len(renewing))]]
    if experienced is not None:
        chosen.append((HEALTH_PROMOTION_PATHWAY, experienced))
    rng.shuffle(others)
    people = {c.user.pk for _, c in chosen}
    for c in others:
        if len(people) >= target:
            break
        chosen.append((HEALTH_PROMOTION_PATHWAY, c))
        people.add(c.user.pk)
    # A few follow two pathways.
    for title, c in list(chosen[:3]) + [x for x in chosen if x[0] == RENEWAL_PATHWAY][:2]:
        if title != HEALTH_PROMOTION_PATHWAY:
            chosen.append((HEALTH_PROMOTION_PATHWAY, c))

    plans = []
    for title, c in chosen:
        if c is experienced:
            start = today - timedelta(days=400)
        elif title == NEWCOMERS_PATHWAY:
            earliest = c.first_start + timedelta(days=7)
            latest = today - timedelta(days=3)
            span = max(0, (latest - earliest).days)
            start = min(latest, earliest + timedelta(days=rng.randint(0, span)))
            start = max(start, c.first_start)
        else:
            start = today - timedelta(days=rng.randint(20, 330))
        started_at = _at(start, rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
        stage = rng.choice([0, 1, 1, 2, 2, 3])
        plans.append(PlannedEnrolment(pathways[title], c, started_at, stage))
    return plans


# --- Writing it --------------------------------------------------------------------------------


def _write_readings(plans, steps, later):
    """The resources people read after joining (history): the further along, the more of the
    pathway's resources. Returns {(resource id, person id): read_at}."""
    read_at = {}
    for plan in plans:
        resource_steps = [s for s in steps[plan.pathway.pk] if s.kind == RESOURCE]
        for step in resource_steps[: plan.stage]:
            key = (step.resource_id, plan.person.user.pk)
            read_at.setdefault(key, later(plan.started_at, 1, 40))
    existing = set(
        ResourceRead.objects.filter(
            resource_id__in={r for r, _ in read_at}, person_id__in={p for _, p in read_at}
        ).values_list("resource_id", "person_id")
    )
    resources = Resource.objects.in_bulk({r for r, _ in read_at})
    history.readings_record(
        [
            ResourceRead(resource=resources[r], person_id=p, read_at=moment)
            for (r, p), moment in read_at.items()
            if (r, p) not in existing
        ]
    )
    return read_at


def _join(plans, read_at):
    """Each plan through `pathway_join`, which completes the steps already done (attended
    sessions, read resources); then dated: the day they joined, and each step done on the day
    of its session or of its reading."""
    enrolments = [
        learning_services.pathway_join(pathway=plan.pathway, person=plan.person.user)
        for plan in plans
    ]
    history.backdate(
        Enrolment,
        "started_at",
        [(e, plan.started_at) for e, plan in zip(enrolments, plans, strict=True)],
    )
    completions = list(
        StepCompletion.objects.filter(enrolment__in=enrolments).select_related(
            "registration__event", "step", "enrolment"
        )
    )
    moments = []
    for completion in completions:
        if completion.registration_id:
            moments.append((completion, completion.registration.event.ends_at))
        else:
            key = (completion.step.resource_id, completion.enrolment.person_id)
            moments.append((completion, read_at.get(key, completion.enrolment.started_at)))
    history.backdate(StepCompletion, "completed_at", moments)
    return enrolments, {(c.enrolment_id, c.step_id): c.completed_at for c in completions}


def _waits_for(step, steps, pathway):
    """The step `step` opens after, as `learning.progress` locks it, or None."""
    return blockers(pathway, steps).get(step.pk)


def _write_enrolments(rng, plans, now, staff):
    steps = {}
    for step in PathwayStep.objects.filter(pathway__in={p.pathway for p in plans}):
        steps.setdefault(step.pathway_id, []).append(step)
    for items in steps.values():
        items.sort(key=lambda s: s.position)

    def later(start, low, high):
        return min(now - timedelta(hours=1), start + timedelta(days=rng.randint(low, high)))

    read_at = _write_readings(plans, steps, later)
    enrolments, done = _join(plans, read_at)

    # What they did next, drawn in the plan's order: activities declared with a reflection,
    # prior learning of the welcome day validated by staff, one request pending.
    prior = loaders.learning().prior_learning
    reflections = {
        (p.title, s.title): s.reflections for p in loaders.learning().pathways for s in p.steps
    }
    declarations, accepted = [], []  # (enrolment, step, text, when)
    pending = None
    for plan, enrolment in zip(plans, enrolments, strict=True):
        pathway_steps = steps[plan.pathway.pk]
        if plan.stage == 3:
            for step in pathway_steps:
                texts = reflections.get((plan.pathway.title, step.title))
                if texts and (enrolment.pk, step.pk) not in done:
                    if step.kind == TUTOR and rng.random() < 0.5:
                        continue
                    declarations.append(
                        (enrolment, step, rng.choice(texts), later(plan.started_at, 30, 150))
                    )
        if plan.pathway.title != NEWCOMERS_PATHWAY:
            continue
        welcome = pathway_steps[0]
        asked_at = later(plan.started_at, 2, 20)
        if plan.stage >= 2:
            reviewed_at = min(now - timedelta(minutes=30), asked_at + timedelta(days=2))
            accepted.append((enrolment, welcome, rng.choice(prior.accepted), reviewed_at))
        elif pending is None:
            pending = (enrolment, welcome, prior.pending)
    pending_at = later(pending[0].started_at, 2, 20) if pending else None

    # Then, in the order things happened: requests and their review, then declarations.
    requests, completions = [], []
    for enrolment, step, justification, reviewed_at in accepted:
        request = _requested(enrolment, step, justification)
        if request is None:
            continue
        request = learning_services.prior_learning_review(
            request=request, reviewer=staff, accept=True, comment=prior.review_comment
        )
        requests.append((request, reviewed_at - timedelta(days=2), reviewed_at))
    validated = {
        (c.enrolment_id, c.step_id): c
        for c in StepCompletion.objects.filter(
            source=StepCompletion.Source.VALIDATED, enrolment__in=enrolments
        )
    }
    for request, _asked_at, reviewed_at in requests:
        key = (request.enrolment_id, request.step_id)
        completions.append((validated[key], reviewed_at))
        done[key] = reviewed_at
    if pending:
        request = _requested(*pending)
        if request is not None:
            requests.append((request, pending_at, None))
    for enrolment, step, reflection, when in declarations:
        try:
            completion = learning_services.step_declare(
                enrolment=enrolment, step=step, reflection=reflection
            )
        except learning_services.PathwayError:
            continue  # still locked (ordered pathway) or done: the platform would refuse it
        # Declared once it was open: after the step it waited for was done.
        blocker = _waits_for(step, steps[enrolment.pathway_id], enrolment.pathway)
        if blocker is not None:
            opened_at = done[(enrolment.pk, blocker.pk)]
            when = max(when, min(now - timedelta(hours=1), opened_at + timedelta(days=3)))
        completions.append((completion, when))
    history.backdate(PriorLearningRequest, "created_at", [(r, a) for r, a, _ in requests])
    history.backdate(PriorLearningRequest, "reviewed_at", [(r, at) for r, _, at in requests if at])
    history.backdate(StepCompletion, "completed_at", completions)
    return enrolments


def _requested(enrolment, step, justification):
    try:
        return learning_services.prior_learning_request(
            enrolment=enrolment, step=step, justification=justification
        )
    except learning_services.PathwayError:
        return None  # the step is done already: there is nothing to validate


def _levels(rng, seniority_days):
    years = seniority_days / 365
    if years < 1:
        weights = {1: 5, 2: 4, 3: 1}
    elif years < 3:
        weights = {1: 2, 2: 5, 3: 3}
    elif years < 6:
        weights = {2: 4, 3: 5, 4: 1}
    else:
        weights = {2: 2, 3: 5, 4: 3}
    return rng.choices(list(weights), list(weights.values()))[0]


def _write_assessments(rng, plans, coordinators, competencies, now, today):
    """First round at enrolment, a second one six months later when it is past; some
    coordinators without a pathway assessed themselves once. Each through
    `self_assessment_submit`, then dated."""
    already = set(
        SelfAssessment.objects.filter(person__in=[c.user for c in coordinators]).values_list(
            "person_id", flat=True
        )
    )
    worked = {}  # person id -> competency names their pathways work on
    first_start = {}
    offers_competencies = {}
    for offer in Offer.objects.prefetch_related("competencies"):
        offers_competencies[offer.pk] = {c.name for c in offer.competencies.all()}
    steps = list(PathwayStep.objects.filter(pathway__in={p.pathway for p in plans}))
    for plan in sorted(plans, key=lambda p: p.started_at):
        pk = plan.person.user.pk
        first_start.setdefault(pk, (plan.person, plan.started_at))
        for step in steps:
            if step.pathway_id == plan.pathway.pk and step.offer_id:
                worked.setdefault(pk, set()).update(offers_competencies[step.offer_id])
    enrolled = {c.user.pk for c in coordinators if c.user.pk in first_start}
    others = [c for c in coordinators if c.user.pk not in enrolled and c.user.email != NEW_DEMO]
    for c in some(rng, others, len(others) // 4):
        moment = _at(today - timedelta(days=rng.randint(10, 170)), rng.randint(9, 18))
        first_start[c.user.pk] = (c, moment)

    ordered = [competencies[c.key] for c in loaders.learning().competencies]
    by_name = {c.name: c for c in ordered}
    rounds = []  # (person, created_at, {competency id: level})
    for pk, (coordinator, started_at) in sorted(first_start.items()):
        if pk in already:
            continue
        moment = min(now - timedelta(days=1), started_at + timedelta(days=rng.randint(0, 3)))
        if coordinator.user.email == EXPERIENCED_DEMO:
            levels = EXPERIENCED_LEVELS.items()
            first = {by_name[name].pk: level for name, (level, _) in levels}
            second = {by_name[name].pk: level for name, (_, level) in levels}
            rounds.append((coordinator.user, moment, first))
            rounds.append((coordinator.user, now - timedelta(days=205), second))
            continue
        seniority = (moment.date() - coordinator.first_start).days
        first = {c.pk: _levels(rng, seniority) for c in ordered}
        rounds.append((coordinator.user, moment, first))
        second_at = moment + timedelta(days=rng.randint(183, 200))
        if second_at < now - timedelta(days=1):
            focus = worked.get(pk, set())
            second = {}
            for c in ordered:
                chance = 0.55 if c.name in focus else 0.2
                step = 1 if rng.random() < chance else (-1 if rng.random() < 0.05 else 0)
                second[c.pk] = max(1, min(4, first[c.pk] + step))
            rounds.append((coordinator.user, second_at, second))
    history.backdate(
        SelfAssessment,
        "created_at",
        [
            (learning_services.self_assessment_submit(person=person, levels=levels), moment)
            for person, moment, levels in rounds
        ],
    )


@transaction.atomic
def seed_pathways(*, today=None):
    """Idempotent: the catalogue missing is written (`seed_catalogue`); people are enrolled and
    assessed only when no demo pathway has an enrolment yet. Returns counts."""
    today = today or timezone.localdate()
    now = min(timezone.now(), _at(today, 23, 59))
    competencies, _offers, pathways = seed_catalogue()
    if not Enrolment.objects.filter(pathway__in=pathways.values()).exists():
        rng = random.Random(SEED)
        coordinators = _coordinators(today)
        titled = {p.title: p for p in pathways.values()}
        plans = _plan_enrolments(rng, coordinators, titled, today)
        staff = User.objects.filter(email=STAFF_DEMO).first()
        _write_enrolments(rng, plans, now, staff)
        _write_assessments(rng, plans, coordinators, competencies, now, today)
    return pathway_counts()


def pathway_counts():
    """What the pathways hold, in the words of the other seed functions."""
    offers = Offer.objects.annotate(
        n_departments=Count("departments", distinct=True),
        n_providers=Count("providers", distinct=True),
    )
    running = Enrolment.objects.filter(left_at__isnull=True)
    assessed = SelfAssessment.objects.values("person").distinct()
    return {
        "domaines de compétences": CompetencyDomain.objects.count(),
        "compétences": Competency.objects.count(),
        "offres": offers.count(),
        "offres départementales": offers.filter(n_departments__gt=0).count(),
        "offres co-construites": offers.filter(n_providers__gt=1).count(),
        "séances rattachées à une offre": Event.objects.filter(offer_session__isnull=False).count(),
        "ressources liées à des compétences": Resource.objects.filter(competencies__isnull=False)
        .distinct()
        .count(),
        "parcours": Pathway.objects.count(),
        "étapes de parcours": PathwayStep.objects.filter(retired_at__isnull=True).count(),
        "inscriptions à des parcours": running.count(),
        "personnes inscrites à un parcours": running.values("person").distinct().count(),
        "étapes faites": StepCompletion.objects.count(),
        "demandes de validation en attente": PriorLearningRequest.objects.filter(
            status=PriorLearningRequest.Status.PENDING
        ).count(),
        "auto-évaluations": SelfAssessment.objects.count(),
        "personnes auto-évaluées": assessed.count(),
    }
