"""Onboarding sequences: e-mails that accompany a person after a trigger.

Starting a sequence creates a `SequenceRun` and plans one delivery per active step; whether a step
still applies (run stopped, step retired, condition met) and its text are decided when it is sent,
so staff edits apply to what has not gone yet. Triggers, segments, conditions and variables are
registered by the domains (`notifications.registry`); a run stops when its trigger says so (the
person left their post) or when the person turns onboarding e-mails off. Staff edit sequences and
steps through `sequence_save`, `sequence_step_save` and `sequence_step_set_active`.
"""

import re
from datetime import datetime, time, timedelta

import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.templatetags.rich_text import ALLOWED_TAGS, markdown

from . import messages
from .models import Category, Delivery, Sequence, SequenceRun, SequenceStep
from .preferences import unsubscribe_url
from .registry import CONDITIONS, SEGMENTS, TRIGGERS, VARIABLES
from .services import NotificationError, deliveries_cancel, delivery_plan

SEND_TIME = time(9, 30)
# A trigger recorded later than this (an arrival typed in weeks after) is history, not a welcome.
RECENT_TRIGGER = timedelta(days=30)
# A step added to a sequence is not sent to runs already further than this past its delay.
LATE_STEP = timedelta(days=1)

VARIABLE = re.compile(r"\{([a-z_]+)\}")


def variables():
    """[("{name}", description)] of the registered variables, for the staff pages."""
    return [("{" + name + "}", variable.description) for name, variable in VARIABLES.items()]


def body_errors(text):
    """French messages for the unknown variables of a subject or body."""
    unknown = sorted({name for name in VARIABLE.findall(text or "") if name not in VARIABLES})
    return [
        f"Variable inconnue : {{{name}}}. Variables possibles : "
        + ", ".join(f"{{{known}}}" for known in VARIABLES)
        for name in unknown
    ]


def fill(text, values):
    """Plain text (a subject, the text part): each `{name}` replaced by its value as it is."""
    return VARIABLE.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


# Placeholders that Markdown and the sanitiser leave alone (Unicode private-use characters).
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(_OPEN + r"([a-z_]+)" + _CLOSE)


def fill_markdown(text, values) -> SafeString:
    """The HTML of a Markdown text written by staff whose variables are values people typed (a
    name, a structure, a commune). The Markdown is rendered with placeholders first, then each
    value is inserted escaped: a value is always text, never a link, a tag or emphasis."""
    source = (text or "").replace(_OPEN, "").replace(_CLOSE, "")
    source = VARIABLE.sub(
        lambda match: (
            f"{_OPEN}{match.group(1)}{_CLOSE}" if match.group(1) in values else match.group(0)
        ),
        source,
    )
    html = _PLACEHOLDER.sub(lambda match: escape(str(values[match.group(1)])), markdown(source))
    # A value placed in a link's address by the text is checked like any address.
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - values escaped, then sanitised just above


def _step_due(run, step):
    if step.delay_days == 0:
        return run.started_at
    day = timezone.localdate(run.started_at) + timedelta(days=step.delay_days)
    return timezone.make_aware(datetime.combine(day, SEND_TIME))


def _reachable(person):
    return person.is_active and person.has_usable_password()


@transaction.atomic
def sequence_start(
    *, person, trigger, source="", segments=(), newcomer=True, happened_on=None, now=None
) -> list[SequenceRun]:
    """Start the active sequences of `trigger` that fit the person; returns the new runs.

    The domain that calls it says what it knows: `source` (what started it, "tenure:12"),
    `segments` the person belongs to (scheme types), whether they are new to the job, and the day
    the trigger happened when it is not today (an arrival recorded later)."""
    now = now or timezone.now()
    if not _reachable(person):
        return []
    started_at = now
    if happened_on is not None:
        if happened_on < timezone.localdate(now) - RECENT_TRIGGER:
            return []
        started_at = max(now, timezone.make_aware(datetime.combine(happened_on, SEND_TIME)))
    runs = []
    for sequence in Sequence.objects.filter(is_active=True, trigger=trigger):
        if sequence.newcomers_only and not newcomer:
            continue
        if sequence.segments and not set(sequence.segments) & set(segments):
            continue
        if SequenceRun.objects.filter(sequence=sequence, person=person).exists():
            continue  # a sequence accompanies a person once
        run = SequenceRun.objects.create(
            sequence=sequence, person=person, source=source, started_at=started_at
        )
        run_plan(run, now=now)
        runs.append(run)
    return runs


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
            topic=f"sequence:{run.sequence_id}",
            topic_label=run.sequence.name,
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


# --- Staff edits of sequences and steps (/gestion/sequences/) ----------------------------------

MAX_DELAY_DAYS = 365


def _checked_text(text, *, what, max_length=None):
    text = (text or "").strip()
    if not text:
        raise NotificationError(f"Indiquez {what}.")
    if max_length and len(text) > max_length:
        raise NotificationError(f"{what.capitalize()} : {max_length} caractères au plus.")
    errors = body_errors(text)
    if errors:
        raise NotificationError(" ".join(errors))
    return text


@transaction.atomic
def sequence_save(*, sequence: Sequence) -> Sequence:
    """Create or change a sequence (an unsaved or changed instance); running runs follow: new
    steps are planned, and turning it off stops them."""
    name = (sequence.name or "").strip()
    if not name:
        raise NotificationError("Donnez un nom à la séquence.")
    if len(name) > Sequence._meta.get_field("name").max_length:
        raise NotificationError("Le nom d'une séquence fait au plus 200 caractères.")
    if sequence.trigger not in TRIGGERS:
        raise NotificationError("Choisissez le déclencheur de la séquence.")
    unknown = [code for code in sequence.segments or [] if code not in SEGMENTS]
    if unknown:
        raise NotificationError("Type de dispositif inconnu : " + ", ".join(unknown) + ".")
    taken = NotificationError("Une séquence porte déjà ce nom.")
    if Sequence.objects.filter(name=name).exclude(pk=sequence.pk).exists():
        raise taken
    sequence.name = name
    sequence.segments = list(sequence.segments or [])
    try:
        with transaction.atomic():
            sequence.save()
    except IntegrityError as error:  # the same name saved at the same moment elsewhere
        raise taken from error
    sequence_replan(sequence)
    return sequence


@transaction.atomic
def sequence_step_save(*, step: SequenceStep) -> SequenceStep:
    """Add or change a step of a sequence; what has not been sent yet follows the change."""
    if step.sequence_id is None:
        raise NotificationError("Une étape appartient à une séquence.")
    if step.delay_days is None or not 0 <= step.delay_days <= MAX_DELAY_DAYS:
        raise NotificationError(
            f"Le délai d'une étape va de 0 à {MAX_DELAY_DAYS} jours après le déclencheur."
        )
    step.subject = _checked_text(step.subject, what="l'objet de l'e-mail", max_length=200)
    step.body = _checked_text(step.body, what="le texte de l'e-mail")
    step.condition = step.condition or ""
    if step.condition and step.condition not in CONDITIONS:
        raise NotificationError("Choisissez une condition de la liste, ou « Toujours ».")
    step.save()
    sequence_replan(step.sequence)
    return step


@transaction.atomic
def sequence_step_set_active(*, step: SequenceStep, active: bool) -> SequenceStep:
    """Retire a step (its past e-mails stay in the outbox, pending ones are cancelled) or bring
    it back (planned again for the people still accompanied)."""
    step.is_active = active
    step.save(update_fields=["is_active"])
    sequence_replan(step.sequence)
    return step


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


def _values(person, texts):
    """The values of the variables the texts use (only those: each may cost a query)."""
    names = {name for text in texts for name in VARIABLE.findall(text or "")}
    return {name: VARIABLES[name].value(person) for name in names if name in VARIABLES}


def with_planned_subjects(person, deliveries):
    """`deliveries` (the person's own, as a list) with the subject each planned onboarding step
    will have, filled for the person: what they will read in their mailbox, never an internal
    label. The values of all the subjects' variables are computed once."""
    deliveries = list(deliveries)
    planned = [d for d in deliveries if not d.subject and d.step_id and d.step]
    if planned:
        values = _values(person, [d.step.subject for d in planned])
        for delivery in planned:
            delivery.subject = fill(delivery.step.subject, values)  # shown, never saved
    return deliveries


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
        trigger = TRIGGERS.get(run.sequence.trigger)
        stop = trigger.stop_reason(run) if trigger and trigger.stop_reason else None
        if stop:
            run_stop(run, stop)
            return stop
        condition = CONDITIONS.get(step.condition)
        return condition.skip_reason(run.person) if condition else None

    def due_at(self, delivery):
        if delivery.run and delivery.step:
            return _step_due(delivery.run, delivery.step)
        return None

    def render(self, delivery):
        run, step = delivery.run, delivery.step
        values = _values(run.person, [step.subject, step.body])
        return messages.content(
            template="onboarding_step",
            context={
                "subject": fill(step.subject, values),
                "body": fill(step.body, values),
                "body_html": fill_markdown(step.body, values),
                "unsubscribe_url": unsubscribe_url(run.person, Category.ONBOARDING),
            },
        )
