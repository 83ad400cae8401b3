"""Writes on pathways: joining, completing steps (from attendance, readings, declarations and
validated prior learning), staff edits of steps, self-assessments. Reads are in `progress.py`.

A step is done for an enrolment when a `StepCompletion` exists. Attendance at any session of the
step's offer counts, before or after joining: a newcomer takes the next session. Staff edits never
touch completions: a retired step keeps its completions, shown apart from the current version.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from agenda.models import Event, Registration
from competencies.models import Competency
from resources.models import ResourceRead

from . import hooks
from .models import (
    Audience,
    Enrolment,
    OfferSession,
    Pathway,
    PathwayStep,
    PriorLearningRequest,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from .progress import step_states

MIN_REFLECTION = 20
MAX_TEXT = 3000  # a reflection or a justification: a few paragraphs at most


def _checked_text(text, *, too_short):
    """A person's free text, stripped and bounded; `too_short` says what is expected."""
    text = (text or "").strip()
    if "\x00" in text:
        raise PathwayError("Ce texte contient un caractère invalide (caractère nul) : retapez-le.")
    if len(text) < MIN_REFLECTION:
        raise PathwayError(too_short)
    if len(text) > MAX_TEXT:
        raise PathwayError(
            f"Ce texte fait {len(text)} caractères : {MAX_TEXT} au plus, résumez l'essentiel."
        )
    return text


class PathwayError(Exception):
    """Something a pathway refuses; the French message is shown as it is."""


# --- Joining --------------------------------------------------------------------------------


@transaction.atomic
def pathway_join(*, pathway, person) -> Enrolment:
    if not pathway.is_active:
        raise PathwayError("Ce parcours n'est plus ouvert.")
    if Enrolment.objects.filter(pathway=pathway, person=person, left_at__isnull=True).exists():
        raise PathwayError("Vous suivez déjà ce parcours.")
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(pathway=pathway, person=person)
    except IntegrityError as error:  # the same click twice at the same second
        raise PathwayError("Vous suivez déjà ce parcours.") from error
    enrolment_sync(enrolment)
    hooks.pathway_joined.send(enrolment=enrolment)
    return enrolment


@transaction.atomic
def pathway_leave(*, enrolment) -> Enrolment:
    if enrolment.left_at:
        raise PathwayError("Vous avez déjà quitté ce parcours.")
    enrolment.left_at = timezone.now()
    enrolment.save(update_fields=["left_at"])
    return enrolment


# --- Automatic completion -------------------------------------------------------------------


def _complete(enrolment_steps, source, **fields):
    """Create the missing completions for (enrolment, step) pairs; returns how many."""
    rows = [
        StepCompletion(enrolment_id=enrolment_id, step_id=step_id, source=source, **fields)
        for enrolment_id, step_id in enrolment_steps
    ]
    return len(StepCompletion.objects.bulk_create(rows, ignore_conflicts=True))


def _open_steps(person):
    """(enrolment id, step) of the person's running enrolments, current steps only."""
    return PathwayStep.objects.filter(
        retired_at__isnull=True,
        pathway__enrolments__person=person,
        pathway__enrolments__left_at__isnull=True,
    ).values_list("pathway__enrolments", "pk", "kind", "offer_id", "resource_id")


def enrolment_sync(enrolment):
    """Complete what the person already did: attended sessions, read resources."""
    person = enrolment.person
    attended = dict(
        Registration.objects.filter(
            person=person, attended=True, event__offer_session__isnull=False
        )
        .order_by("event__starts_at")
        .values_list("event__offer_session__offer_id", "pk")
    )
    tutored = (
        Registration.objects.filter(person=person, attended=True, event__kind=Event.Kind.TUTORING)
        .values_list("pk", flat=True)
        .first()
    )
    read = set(ResourceRead.objects.filter(person=person).values_list("resource_id", flat=True))
    for step in enrolment.pathway.steps.filter(retired_at__isnull=True):
        if step.kind == PathwayStep.Kind.EVENT and step.offer_id in attended:
            _complete(
                [(enrolment.pk, step.pk)],
                StepCompletion.Source.ATTENDANCE,
                registration_id=attended[step.offer_id],
            )
        elif step.kind == PathwayStep.Kind.TUTORING and tutored:
            _complete(
                [(enrolment.pk, step.pk)],
                StepCompletion.Source.ATTENDANCE,
                registration_id=tutored,
            )
        elif step.kind == PathwayStep.Kind.RESOURCE and step.resource_id in read:
            _complete([(enrolment.pk, step.pk)], StepCompletion.Source.READING)


def attendance_recorded(registrations):
    """Attendance was recorded: complete the matching steps of every pathway of those present
    (any session of a step's offer counts; a tutoring session counts for a tutoring step)."""
    done = 0
    registrations = [r for r in registrations if r.attended and r.person_id]
    offer_of = dict(
        OfferSession.objects.filter(
            event_id__in={registration.event_id for registration in registrations}
        ).values_list("event_id", "offer_id")
    )
    for registration in registrations:
        event = registration.event
        pairs = [
            (enrolment_id, step_id)
            for enrolment_id, step_id, kind, offer_id, _ in _open_steps(registration.person_id)
            if (kind == PathwayStep.Kind.EVENT and offer_id and offer_id == offer_of.get(event.pk))
            or (kind == PathwayStep.Kind.TUTORING and event.kind == Event.Kind.TUTORING)
        ]
        done += _complete(pairs, StepCompletion.Source.ATTENDANCE, registration=registration)
    return done


def attendance_undone(registration):
    """A check-in tapped by mistake and undone: the completions it made go with it."""
    StepCompletion.objects.filter(
        registration=registration, source=StepCompletion.Source.ATTENDANCE
    ).delete()


def resource_read(*, resource, person) -> int:
    """A resource was opened: complete the running steps that propose it."""
    pairs = [
        (enrolment_id, step_id)
        for enrolment_id, step_id, kind, _, resource_id in _open_steps(person)
        if kind == PathwayStep.Kind.RESOURCE and resource_id == resource.pk
    ]
    return _complete(pairs, StepCompletion.Source.READING)


# --- Declared steps and prior learning ------------------------------------------------------


def _check_can_complete(enrolment, step):
    if enrolment.left_at:
        raise PathwayError("Vous avez quitté ce parcours.")
    if step.pathway_id != enrolment.pathway_id or step.is_retired:
        raise PathwayError("Cette étape ne fait plus partie du parcours.")
    state = step_states(enrolment)[step.pk]
    if state.done:
        raise PathwayError("Cette étape est déjà faite.")
    if state.locked:
        raise PathwayError(f"Cette étape s'ouvre après « {state.locked_by} ».")


@transaction.atomic
def step_declare(*, enrolment, step, reflection) -> StepCompletion:
    """An activity (or a tutoring done outside the platform), declared with a short reflection."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if step.kind not in (PathwayStep.Kind.ACTIVITY, PathwayStep.Kind.TUTORING):
        raise PathwayError(
            "Cette étape se valide toute seule (présence enregistrée ou ressource lue)."
        )
    _check_can_complete(enrolment, step)
    reflection = _checked_text(
        reflection,
        too_short=f"Écrivez quelques mots sur ce que vous en retenez (au moins {MIN_REFLECTION} "
        "caractères).",
    )
    return StepCompletion.objects.create(
        enrolment=enrolment,
        step=step,
        source=StepCompletion.Source.DECLARED,
        reflection=reflection,
    )


@transaction.atomic
def prior_learning_request(*, enrolment, step, justification) -> PriorLearningRequest:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if step.pathway_id != enrolment.pathway_id or step.is_retired:
        raise PathwayError("Cette étape ne fait plus partie du parcours.")
    if step_states(enrolment)[step.pk].done:
        raise PathwayError("Cette étape est déjà faite : rien à valider.")
    if enrolment.prior_learning_requests.filter(
        step=step, status=PriorLearningRequest.Status.PENDING
    ).exists():
        raise PathwayError("Une demande est déjà en attente pour cette étape.")
    justification = _checked_text(
        justification,
        too_short="Expliquez en quelques mots ce que vous avez déjà fait (formation, expérience) : "
        f"au moins {MIN_REFLECTION} caractères.",
    )
    return PriorLearningRequest.objects.create(
        enrolment=enrolment, step=step, justification=justification
    )


@transaction.atomic
def prior_learning_review(*, request, reviewer, accept, comment="") -> PriorLearningRequest:
    request = PriorLearningRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != PriorLearningRequest.Status.PENDING:
        raise PathwayError("Cette demande a déjà été traitée.")
    if not accept and not (comment or "").strip():
        raise PathwayError("Dites en une phrase pourquoi la demande est refusée.")
    request.status = (
        PriorLearningRequest.Status.ACCEPTED if accept else PriorLearningRequest.Status.REFUSED
    )
    request.reviewed_by = reviewer
    request.reviewed_at = timezone.now()
    request.review_comment = (comment or "").strip()
    request.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    if accept:
        _complete(
            [(request.enrolment_id, request.step_id)],
            StepCompletion.Source.VALIDATED,
            reflection=request.justification,
        )
    return request


# --- Staff edits of a pathway ---------------------------------------------------------------

TITLE_MAX_LENGTH = 200


@transaction.atomic
def pathway_save(*, pathway: Pathway) -> Pathway:
    """Create or change a pathway (an unsaved or changed instance); its steps and the progress
    of the people who follow it are untouched."""
    pathway.title = (pathway.title or "").strip()
    if not pathway.title:
        raise PathwayError("Donnez un titre au parcours.")
    if len(pathway.title) > TITLE_MAX_LENGTH:
        raise PathwayError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.")
    taken = PathwayError("Un parcours porte déjà ce titre.")
    if Pathway.objects.filter(title=pathway.title).exclude(pk=pathway.pk).exists():
        raise taken
    if not pathway.audiences or any(value not in Audience.values for value in pathway.audiences):
        raise PathwayError("Choisissez au moins un public du parcours.")
    try:
        with transaction.atomic():
            pathway.save()
    except IntegrityError as error:  # the same title saved at the same moment elsewhere
        raise taken from error
    return pathway


def _check_step_target(kind, offer, resource):
    if kind == PathwayStep.Kind.EVENT:
        if offer is None:
            raise PathwayError("Choisissez l'offre dont une séance valide l'étape.")
        if not offer.is_active:
            raise PathwayError(f"L'offre « {offer} » est retirée du catalogue.")
    if kind == PathwayStep.Kind.RESOURCE:
        if resource is None:
            raise PathwayError("Choisissez la ressource à lire.")
        if not resource.is_published:
            raise PathwayError(f"La ressource « {resource} » n'est pas publiée.")
        if not resource.has_content:
            raise PathwayError(
                f"La ressource « {resource} » n'a ni fichier ni lien : il n'y aurait rien à lire."
            )


@transaction.atomic
def step_save(*, step) -> PathwayStep:
    """Add or change a step; progress already made is kept (completions are never touched)."""
    if step.kind != PathwayStep.Kind.EVENT:
        step.offer = None
    if step.kind != PathwayStep.Kind.RESOURCE:
        step.resource = None
    _check_step_target(step.kind, step.offer, step.resource)
    if step.unlock_after_id and (
        step.unlock_after.pathway_id != step.pathway_id or step.unlock_after_id == step.pk
    ):
        raise PathwayError("Une étape ne peut s'ouvrir qu'après une autre étape du même parcours.")
    if step.pk and step.unlock_after_id:
        blockers = dict(step.pathway.steps.values_list("pk", "unlock_after_id"))
        seen, current = set(), step.unlock_after_id
        while current and current not in seen:
            if current == step.pk:
                raise PathwayError(
                    "Ces étapes s'attendraient l'une l'autre : aucune ne s'ouvrirait jamais."
                )
            seen.add(current)
            current = blockers.get(current)
    if step.pk is None and not step.position:
        last = step.pathway.steps.aggregate(last=Max("position"))["last"]
        step.position = (last or 0) + 1
    step.save()
    if step.kind in (PathwayStep.Kind.EVENT, PathwayStep.Kind.RESOURCE):
        for enrolment in step.pathway.enrolments.filter(left_at__isnull=True).select_related(
            "person", "pathway"
        ):
            enrolment_sync(enrolment)
    return step


@transaction.atomic
def step_retire(*, step) -> PathwayStep:
    if step.is_retired:
        raise PathwayError("Cette étape est déjà retirée.")
    step.retired_at = timezone.now()
    step.save(update_fields=["retired_at"])
    PathwayStep.objects.filter(unlock_after=step).update(unlock_after=step.unlock_after)
    return step


@transaction.atomic
def steps_reorder(*, pathway, step_ids) -> None:
    current = set(pathway.steps.filter(retired_at__isnull=True).values_list("pk", flat=True))
    if set(step_ids) != current or len(step_ids) != len(current):
        raise PathwayError("L'ordre envoyé ne correspond pas aux étapes du parcours : rechargez.")
    for position, step_id in enumerate(step_ids, start=1):
        PathwayStep.objects.filter(pk=step_id).update(position=position)


# --- Self-assessment ------------------------------------------------------------------------


@transaction.atomic
def self_assessment_submit(*, person, levels) -> SelfAssessment:
    """`levels`: {competency id: level 1-4} for every active competency of the framework."""
    competencies = list(Competency.objects.filter(is_active=True))
    missing = [c.name for c in competencies if c.pk not in levels or levels[c.pk] in (None, "")]
    if missing:
        raise PathwayError("Indiquez un niveau pour : " + ", ".join(missing) + ".")
    cleaned = {}
    for competency in competencies:
        try:
            level = int(levels[competency.pk])
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 4:
            raise PathwayError(f"Le niveau de « {competency} » doit être entre 1 et 4.")
        cleaned[competency.pk] = level
    assessment = SelfAssessment.objects.create(person=person)
    SelfAssessmentRating.objects.bulk_create(
        SelfAssessmentRating(assessment=assessment, competency_id=pk, level=level)
        for pk, level in cleaned.items()
    )
    return assessment
