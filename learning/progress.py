"""Reads on pathways: step states and progress, recommendations, self-assessment history and
aggregates. Each function runs a fixed number of queries, whatever the number of enrolments."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.formats import date_format

from agenda.models import Event, Registration
from competencies.models import Competency
from coordinators.models import Tenure
from coordinators.selectors import NEWCOMER_DAYS, person_seniority_days, schemes_due_for_renewal

from .models import (
    Enrolment,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)

REASSESS_AFTER = timedelta(days=182)
MIN_GROUP = 5  # aggregates of fewer people are not shown (they would identify someone)
NEWCOMERS_PATHWAY = "Nouveaux coordinateurs"
RENEWAL_PATHWAY = "Renouvellement de CLS"


@dataclass
class StepState:
    step: PathwayStep
    completion: StepCompletion | None = None
    locked_by: PathwayStep | None = None
    pending_request: PriorLearningRequest | None = None

    @property
    def done(self):
        return self.completion is not None

    @property
    def locked(self):
        return not self.done and self.locked_by is not None


@dataclass
class Progress:
    enrolment: Enrolment
    states: list = field(default_factory=list)
    retired_done: list = field(default_factory=list)

    @property
    def required(self):
        return [s for s in self.states if s.step.is_required]

    @property
    def done_count(self):
        return sum(1 for s in self.required if s.done)

    @property
    def total(self):
        return len(self.required)

    @property
    def percent(self):
        return round(100 * self.done_count / self.total) if self.total else 100

    @property
    def next_state(self):
        """The first open step not done (required ones first)."""
        open_states = [s for s in self.states if not s.done and not s.locked]
        required = [s for s in open_states if s.step.is_required]
        return (required or open_states or [None])[0]

    @property
    def meanwhile_state(self):
        """The first open step not done that needs no session (required ones first)."""
        open_states = [
            s for s in self.states if not s.done and not s.locked and not needs_session(s.step)
        ]
        required = [s for s in open_states if s.step.is_required]
        return (required or open_states or [None])[0]

    @property
    def is_complete(self):
        return self.done_count == self.total


def needs_session(step):
    """A step done only at a session of an offer: its date is not the person's choice."""
    return step.kind == PathwayStep.Kind.EVENT


def can_start_at_once(step):
    """A step needing no session, with something to do: a reading needs content to open."""
    if needs_session(step):
        return False
    return step.kind != PathwayStep.Kind.RESOURCE or step.resource.has_content


def blockers(pathway, steps):
    """{step id: the step it opens after, or None} for the current steps (in order).

    A step chosen in « s'ouvre après » waits for it. In an ordered pathway, a step also waits
    for the previous required step that needs no session (a reading, an activity, a tutoring):
    a session is never an implicit lock, so nothing waits for a date the person does not choose,
    and the steps that need no session are open as soon as the ones before them are done."""
    by_id = {s.pk: s for s in steps}
    result, gate = {}, None
    for step in steps:
        if step.is_retired:
            continue
        blocker = by_id.get(step.unlock_after_id)
        if blocker is None and pathway.is_ordered:
            blocker = gate
        result[step.pk] = blocker
        if step.is_required and not needs_session(step):
            gate = step
    return result


def _states(enrolment, steps, completions, requests):
    """Compute each current step's state from rows already loaded."""
    done = {c.step_id: c for c in completions}
    pending = {r.step_id: r for r in requests if r.status == PriorLearningRequest.Status.PENDING}
    waits_for = blockers(enrolment.pathway, steps)
    states = []
    for step in steps:
        if step.is_retired:
            continue
        state = StepState(step, completion=done.get(step.pk), pending_request=pending.get(step.pk))
        blocker = waits_for[step.pk]
        if blocker is not None and blocker.pk not in done:
            state.locked_by = blocker
        states.append(state)
    retired = [done[s.pk] for s in steps if s.is_retired and s.pk in done]
    return states, retired


def _steps_queryset():
    return PathwayStep.objects.select_related("offer", "resource").order_by("position", "pk")


def progress_of(enrolments):
    """[Progress] for enrolments (with pathway loaded): three queries for any number."""
    enrolments = list(enrolments)
    pathway_ids = {e.pathway_id for e in enrolments}
    steps = {}
    for step in _steps_queryset().filter(pathway_id__in=pathway_ids):
        steps.setdefault(step.pathway_id, []).append(step)
    completions, requests = {}, {}
    for completion in StepCompletion.objects.filter(enrolment__in=enrolments).select_related(
        "registration__event"
    ):
        completions.setdefault(completion.enrolment_id, []).append(completion)
    for request in PriorLearningRequest.objects.filter(enrolment__in=enrolments):
        requests.setdefault(request.enrolment_id, []).append(request)
    result = []
    for enrolment in enrolments:
        states, retired = _states(
            enrolment,
            steps.get(enrolment.pathway_id, []),
            completions.get(enrolment.pk, []),
            requests.get(enrolment.pk, []),
        )
        result.append(Progress(enrolment, states, retired))
    return result


def step_states(enrolment):
    """{step id: StepState} of an enrolment's current steps."""
    [progress] = progress_of([enrolment])
    return {state.step.pk: state for state in progress.states}


def person_progress(person):
    """The person's running pathways with their progress."""
    enrolments = Enrolment.objects.filter(person=person, left_at__isnull=True).select_related(
        "pathway"
    )
    return progress_of(enrolments)


def next_sessions(offer_ids, person, now=None):
    """{offer id: the next published, open event of each offer}, in one query."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(
            offer_session__offer_id__in=offer_ids, starts_at__gt=now, status=Event.Status.PUBLISHED
        )
        .annotate(
            offer_id=F("offer_session__offer_id"),
            mine=Exists(
                Registration.objects.filter(
                    event=OuterRef("pk"), person=person, status__in=Registration.ACTIVE
                )
            ),
        )
        .order_by("starts_at")
    )
    result = {}
    for event in events:
        result.setdefault(event.offer_id, event)
    return result


def pathways_figures(pathways):
    """[(pathway, running, finished)] for the given pathways, in one query: finished = every
    current required step done (aggregates only, never names)."""
    pathways = list(pathways)
    required = (
        PathwayStep.objects.filter(
            pathway=OuterRef("pathway"), retired_at__isnull=True, is_required=True
        )
        .values("pathway")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        StepCompletion.objects.filter(
            enrolment=OuterRef("pk"), step__retired_at__isnull=True, step__is_required=True
        )
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Enrolment.objects.filter(pathway__in=pathways, left_at__isnull=True)
        .annotate(done=Coalesce(Subquery(done), 0), required=Coalesce(Subquery(required), 0))
        .values("pathway")
        .annotate(running=Count("pk"), finished=Count("pk", filter=Q(done__gte=F("required"))))
        .order_by()
    )
    figures = {row["pathway"]: row for row in rows}
    return [
        (
            pathway,
            figures.get(pathway.pk, {}).get("running", 0),
            figures.get(pathway.pk, {}).get("finished", 0),
        )
        for pathway in pathways
    ]


def pathway_figures(pathway):
    [(_, running, finished)] = pathways_figures([pathway])
    return {"running": running, "finished": finished}


# --- Something to do from the first day ---

START_WINDOW = timedelta(days=14)  # a session within two weeks counts as something to do now


def pathway_start_warning(pathway, now=None):
    """Why a person who joins the pathway today would have nothing to do yet (a French
    sentence for the staff who edit it), or None: a step open at once needs no session, or an
    open step's offer has a session within `START_WINDOW`. Two queries."""
    now = now or timezone.now()
    steps = list(_steps_queryset().filter(pathway=pathway, retired_at__isnull=True))
    if not steps:
        return (
            "Ce parcours n'a pas encore d'étape : une personne qui le rejoint n'aurait rien à "
            "faire."
        )
    waits_for = blockers(pathway, steps)
    open_steps = [s for s in steps if waits_for[s.pk] is None]
    if any(can_start_at_once(s) for s in open_steps):
        return None
    sessions = Event.objects.filter(
        offer_session__offer_id__in={s.offer_id for s in open_steps},
        starts_at__gt=now,
        status=Event.Status.PUBLISHED,
    ).order_by("starts_at")
    first = sessions.values_list("starts_at", flat=True).first()
    if first is not None and first <= now + START_WINDOW:
        return None
    when = (
        f"la prochaine est le {date_format(timezone.localtime(first), 'j F Y')}"
        if first
        else "aucune n'est prévue"
    )
    return (
        "Une personne qui rejoint ce parcours aujourd'hui n'aurait rien à faire avant longtemps : "
        f"les étapes ouvertes à l'inscription attendent une séance ({when}). Ajoutez une lecture "
        "ou une activité ouverte dès l'inscription, ou ôtez le « s'ouvre après » d'une étape."
    )


# --- Pathways of a person, with their next step and session ---


@dataclass
class ProgressRow:
    """A running pathway of a person: its progress, next step and that step's next session."""

    progress: Progress
    next_state: StepState | None
    next_session: Event | None
    meanwhile: StepState | None = None  # a step to do while the next one waits for its session


def bookable(step):
    """An event step whose offer is still in the catalogue: its sessions can be proposed."""
    return step.kind == PathwayStep.Kind.EVENT and step.offer_id and step.offer.is_active


def progress_rows(person):
    """The person's running pathways with next step and next suitable session (five queries)."""
    progresses = person_progress(person)
    next_states = [p.next_state for p in progresses]
    offer_ids = {s.step.offer_id for s in next_states if s and bookable(s.step)}
    sessions = next_sessions(offer_ids, person) if offer_ids else {}
    return [
        ProgressRow(
            p,
            state,
            sessions.get(state.step.offer_id) if state and bookable(state.step) else None,
            p.meanwhile_state if state and needs_session(state.step) else None,
        )
        for p, state in zip(progresses, next_states, strict=True)
    ]


# --- Recommendations ------------------------------------------------------------------------


@dataclass
class Recommendation:
    pathway: Pathway
    reason: str


def recommendation(person, today=None):
    """The pathway to propose from the profile, or None (already followed, or nothing fits)."""
    today = today or timezone.localdate()
    followed = set(
        Enrolment.objects.filter(person=person, left_at__isnull=True).values_list(
            "pathway_id", flat=True
        )
    )
    pathways = {p.title: p for p in Pathway.objects.filter(is_active=True)}

    def offer(title, reason):
        pathway = pathways.get(title)
        if pathway and pathway.pk not in followed:
            return Recommendation(pathway, reason)
        return None

    seniority = person_seniority_days(person, today)
    if seniority is not None and seniority < NEWCOMER_DAYS:
        found = offer(NEWCOMERS_PATHWAY, "Vous êtes dans votre première année de coordination.")
        if found:
            return found
    held = Tenure.objects.filter(person=person, ended_on__isnull=True).values("post__schemes")
    due = schemes_due_for_renewal(12, today).filter(kind="CLS", pk__in=held).first()
    if due:
        found = offer(
            RENEWAL_PATHWAY, f"Votre {due} arrive à échéance dans les douze prochains mois."
        )
        if found:
            return found
    latest = latest_assessment(person)
    if latest is None:
        return None
    weakest = sorted(latest.ratings.all(), key=lambda r: (r.level, r.competency.position))[:3]
    weak_ids = [r.competency_id for r in weakest if r.level <= 2]
    if not weak_ids:
        return None
    candidates = (
        Pathway.objects.filter(is_active=True)
        .exclude(pk__in=followed)
        .annotate(
            covers=Count(
                "steps",
                filter=Q(
                    steps__retired_at__isnull=True,
                    steps__offer__competencies__in=weak_ids,
                ),
                distinct=True,
            )
        )
        .filter(covers__gt=0)
        .order_by("-covers", "position")
    )
    pathway = candidates.first()
    if pathway is None:
        return None
    names = ", ".join(r.competency.name.lower() for r in weakest if r.competency_id in weak_ids)
    return Recommendation(pathway, f"Il travaille ce que vous voulez renforcer : {names}.")


# --- Self-assessment ------------------------------------------------------------------------


def latest_assessment(person):
    return (
        SelfAssessment.objects.filter(person=person)
        .prefetch_related(
            Prefetch("ratings", SelfAssessmentRating.objects.select_related("competency"))
        )
        .first()
    )


def assessment_due(person, now=None):
    """True when the person never assessed themselves or did it more than six months ago."""
    last = SelfAssessment.objects.filter(person=person).values_list("created_at", flat=True).first()
    return last is None or last < (now or timezone.now()) - REASSESS_AFTER


def assessment_history(person):
    """(competencies, [(assessment, {competency id: level})]) oldest first, for chart and table."""
    competencies = list(Competency.objects.filter(is_active=True).select_related("domain"))
    assessments = list(
        SelfAssessment.objects.filter(person=person)
        .order_by("created_at")
        .prefetch_related("ratings")
    )
    rows = [(a, {r.competency_id: r.level for r in a.ratings.all()}) for a in assessments]
    return competencies, rows


def assessment_aggregates(people):
    """Average latest level per competency over `people` (a queryset of users), with the number
    of people assessed; None for a competency assessed by fewer than MIN_GROUP people.

    In three plain steps (the people, their latest assessment, the ratings): one query nesting
    them all let PostgreSQL's planner pick plans that ran for minutes on fresh statistics."""
    person_ids = list(people.values_list("pk", flat=True))
    latest_ids = list(
        SelfAssessment.objects.filter(person_id__in=person_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("person_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("pk", flat=True)
    )
    ratings = SelfAssessmentRating.objects.filter(assessment_id__in=latest_ids)
    figures = {
        row["competency"]: row
        for row in ratings.values("competency").annotate(
            average=Avg("level"), people=Count("assessment__person", distinct=True)
        )
    }
    result = []
    for competency in Competency.objects.filter(is_active=True).select_related("domain"):
        row = figures.get(competency.pk)
        if row and row["people"] >= MIN_GROUP:
            result.append((competency, round(row["average"], 1), row["people"]))
        else:
            result.append((competency, None, row["people"] if row else 0))
    return result
