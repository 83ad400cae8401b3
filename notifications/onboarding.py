"""Onboarding sequences: e-mails that accompany a person after their arrival or activation.

Starting a sequence creates a `SequenceRun` and plans one delivery per active step; whether a step
still applies (run stopped, step retired, condition met) and its text are decided when it is sent,
so staff edits apply to what has not gone yet. A run stops when the person leaves their post or
turns onboarding e-mails off.
"""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Tenure
from coordinators.selectors import NEWCOMER_DAYS, person_seniority_days
from promosante.templatetags.rich_text import markdown
from trainings.models import Event, Registration

from . import messages
from .models import Category, Delivery, Sequence, SequenceRun, SequenceStep
from .preferences import unsubscribe_url
from .services import deliveries_cancel, delivery_plan

SEND_TIME = time(9, 30)
# An arrival recorded later than this is history, not a welcome.
RECENT_ARRIVAL = timedelta(days=30)
# A step added to a sequence is not sent to runs already further than this past its delay.
LATE_STEP = timedelta(days=1)

VARIABLES = {
    "prenom": "le prénom de la personne",
    "nom": "son nom",
    "dispositifs": "les dispositifs de son poste (ex. « CLS de Bobigny »)",
    "departement": "le département de son poste",
    "lien_espace": "le lien vers « Mon espace »",
    "lien_profil": "le lien vers son profil",
    "lien_agenda": "le lien vers l'agenda",
    "prochaine_journee_accueil": "la prochaine journée d'accueil (titre et date)",
    "lien_journee_accueil": "le lien vers la prochaine journée d'accueil (ou l'agenda)",
    "pairs_proches": "des coordinateur·rices expérimenté·es du même département",
}
VARIABLE = re.compile(r"\{([a-z_]+)\}")


def body_errors(text):
    """French messages for the unknown variables of a subject or body."""
    unknown = sorted({name for name in VARIABLE.findall(text or "") if name not in VARIABLES})
    return [
        f"Variable inconnue : {{{name}}}. Variables possibles : "
        + ", ".join(f"{{{known}}}" for known in VARIABLES)
        for name in unknown
    ]


def fill(text, values):
    return VARIABLE.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def _open_tenures(person):
    return Tenure.objects.filter(person=person, ended_on__isnull=True)


def _step_due(run, step):
    if step.delay_days == 0:
        return run.started_at
    day = timezone.localdate(run.started_at) + timedelta(days=step.delay_days)
    return timezone.make_aware(datetime.combine(day, SEND_TIME))


def _reachable(person):
    return person.is_active and person.has_usable_password()


@transaction.atomic
def sequence_start(*, person, trigger, tenure=None, now=None) -> list[SequenceRun]:
    """Start the active sequences of `trigger` that fit the person; returns the new runs."""
    now = now or timezone.now()
    if not _reachable(person):
        return []
    started_at = now
    if tenure is not None:
        if tenure.started_on < timezone.localdate(now) - RECENT_ARRIVAL:
            return []
        started_at = max(now, timezone.make_aware(datetime.combine(tenure.started_on, SEND_TIME)))
    runs = []
    for sequence in Sequence.objects.filter(is_active=True, trigger=trigger):
        if not _fits(sequence, person, tenure, now):
            continue
        if SequenceRun.objects.filter(sequence=sequence, person=person).exists():
            continue  # a sequence accompanies a person once
        run = SequenceRun.objects.create(
            sequence=sequence, person=person, tenure=tenure, started_at=started_at
        )
        run_plan(run, now=now)
        runs.append(run)
    return runs


def _fits(sequence, person, tenure, now):
    if sequence.newcomers_only:
        # No post on record yet (a fresh account) counts as new.
        seniority = person_seniority_days(person, timezone.localdate(now))
        if seniority is not None and seniority >= NEWCOMER_DAYS:
            return False
    if sequence.scheme_types:
        held = tenure.post.schemes.all() if tenure else Tenure.objects.none()
        if not any(scheme.kind in sequence.scheme_types for scheme in held):
            return False
    return True


def run_plan(run, now=None):
    """Plan a delivery for each active step of the run's sequence (idempotent)."""
    now = now or timezone.now()
    for step in run.sequence.steps.filter(is_active=True):
        due = _step_due(run, step)
        if due < now - LATE_STEP:
            continue
        delivery_plan(
            key=f"onboarding:run:{run.pk}:step:{step.pk}",
            category=Category.ONBOARDING,
            kind="onboarding_step",
            email=run.person.email,
            recipient=run.person,
            run=run,
            step=step,
            due_at=due,
        )


@transaction.atomic
def sequence_replan(sequence):
    """After staff edited a sequence: plan new steps for running runs, cancel retired ones."""
    pending = Delivery.objects.filter(run__sequence=sequence, kind="onboarding_step")
    if not sequence.is_active:
        for run in sequence.runs.filter(stopped_at__isnull=True):
            run_stop(run, "Séquence désactivée par l'équipe.")
        return
    deliveries_cancel(pending.filter(step__is_active=False), "Étape retirée par l'équipe.")
    for run in sequence.runs.filter(stopped_at__isnull=True).select_related("person", "sequence"):
        run_plan(run)


def run_stop(run, reason):
    run.stopped_at = timezone.now()
    run.stop_reason = reason
    run.save(update_fields=["stopped_at", "stop_reason"])
    deliveries_cancel(run.deliveries.all(), reason)


@transaction.atomic
def sequences_stop(*, person, reason, trigger=None):
    runs = SequenceRun.objects.filter(person=person, stopped_at__isnull=True)
    if trigger:
        runs = runs.filter(sequence__trigger=trigger)
    for run in runs:
        run_stop(run, reason)


def next_welcome_day(now=None):
    return (
        Event.objects.filter(
            is_welcome_day=True, starts_at__gt=now or timezone.now(), status=Event.Status.PUBLISHED
        )
        .order_by("starts_at")
        .first()
    )


def _condition_reason(step, person):
    now = timezone.now()
    registrations = Registration.objects.filter(person=person).exclude(
        status=Registration.Status.CANCELLED
    )
    if step.condition == SequenceStep.Condition.NO_WELCOME_DAY:
        if registrations.filter(event__is_welcome_day=True).exists():
            return "Déjà inscrit·e à une journée d'accueil."
    elif step.condition == SequenceStep.Condition.PROFILE_INCOMPLETE:
        profile = getattr(person, "coordinator_profile", None)
        if profile and profile.phone and profile.background_id and profile.topics.exists():
            return "Profil déjà complet."
    elif (
        step.condition == SequenceStep.Condition.NO_UPCOMING_EVENT
        and registrations.filter(event__starts_at__gt=now).exists()
    ):
        return "Déjà inscrit·e à un événement à venir."
    return None


def _values(run):
    person = run.person
    tenures = _open_tenures(person).prefetch_related("post__schemes__department")
    schemes = [scheme for tenure in tenures for scheme in tenure.post.schemes.all()]
    departments = {scheme.department for scheme in schemes}
    welcome = next_welcome_day()
    site = settings.SITE_URL
    peers = (
        Tenure.objects.filter(
            ended_on__isnull=True,
            started_on__lte=timezone.localdate() - timedelta(days=365 * 2),
            post__schemes__department__in=departments,
        )
        .exclude(person=person)
        .select_related("person")
        .distinct()
        .order_by("started_on")[:3]
    )
    return {
        "prenom": person.first_name,
        "nom": person.last_name,
        "dispositifs": ", ".join(str(scheme) for scheme in schemes) or "votre dispositif",
        "departement": ", ".join(sorted(d.name for d in departments)) or "votre département",
        "lien_espace": site + reverse("home"),
        "lien_profil": site + reverse("profile"),
        "lien_agenda": site + reverse("agenda"),
        "prochaine_journee_accueil": (
            f"{welcome.title}, le {timezone.localtime(welcome.starts_at):%d/%m/%Y}"
            if welcome
            else "la prochaine date sera annoncée dans l'agenda"
        ),
        "lien_journee_accueil": site
        + (reverse("event", args=[welcome.pk]) if welcome else reverse("agenda")),
        "pairs_proches": ", ".join(
            tenure.person.get_full_name() for tenure in peers if tenure.person
        )
        or "l'équipe vous mettra en relation",
    }


@messages.register("onboarding_step")
class OnboardingStep(messages.Kind):
    def skip_reason(self, delivery):
        run, step = delivery.run, delivery.step
        if run is None or step is None:
            return "Étape supprimée."
        if run.stopped_at:
            return run.stop_reason or "Accompagnement arrêté."
        if not step.is_active:
            return "Étape retirée par l'équipe."
        if run.sequence.trigger == Sequence.Trigger.ARRIVAL and not _open_tenures(run.person):
            run_stop(run, "La personne a quitté son poste.")
            return run.stop_reason
        return _condition_reason(step, run.person)

    def due_at(self, delivery):
        if delivery.run and delivery.step:
            return _step_due(delivery.run, delivery.step)
        return None

    def render(self, delivery):
        run, step = delivery.run, delivery.step
        values = _values(run)
        body = fill(step.body, values)
        return messages.content(
            template="onboarding_step",
            context={
                "subject": fill(step.subject, values),
                "body": body,
                "body_html": markdown(body),
                "unsubscribe_url": unsubscribe_url(run.person, Category.ONBOARDING),
            },
        )
