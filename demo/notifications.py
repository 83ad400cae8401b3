"""Demo notifications: the welcome sequence, reminders of the demo's upcoming registrations, and
a short webinar an hour away so that reminders really fire while `make demo` runs.

The welcome sequence's e-mails are in `data/notifications.yaml`, saved through the services of
the staff pages (known trigger, variables and conditions). The demo newcomer's sequence is
started through `notifications.onboarding.sequence_start`, today: her first e-mail leaves as
`make demo` starts (her arrival, three months ago, is too old for the platform to welcome her
by itself). The webinar an hour away is created and the two demo coordinators registered to it
through the agenda's services, as staff and coordinators would: their confirmations are
e-mailed, and the reminder an hour before fires five minutes after seeding.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from agenda import reminders
from agenda import services as agenda_services
from agenda.models import Event, Registration
from coordinators.models import Tenure
from coordinators.selectors import person_is_newcomer
from notifications import onboarding
from notifications.models import Delivery, Sequence, SequenceRun, SequenceStep
from notifications.services import NotificationError

from . import loaders

_data = loaders.notifications()
WELCOME = _data.welcome_sequence.name
TOUR = _data.tour_webinar.title
# (delay in days, subject, body, condition) of each e-mail of the welcome sequence.
WELCOME_STEPS = [
    (s.delay_days, s.subject, s.body, s.condition) for s in _data.welcome_sequence.steps
]
NEW_DEMO = loaders.accounts().account("newcomer").email
EXPERIENCED_DEMO = loaders.accounts().account("experienced").email


def seed_welcome_sequence():
    """The welcome sequence and its steps, saved as staff save them on /gestion/sequences/
    (`sequence_save`, `sequence_step_save`: known trigger, variables and conditions); once."""
    data = _data.welcome_sequence
    existing = Sequence.objects.filter(name=data.name).first()
    if existing is not None:
        return existing
    where = "demo/data/notifications.yaml: welcome_sequence"
    try:
        sequence = onboarding.sequence_save(
            sequence=Sequence(
                name=data.name, trigger=data.trigger, newcomers_only=data.newcomers_only
            )
        )
        for step in data.steps:
            onboarding.sequence_step_save(
                step=SequenceStep(
                    sequence=sequence,
                    delay_days=step.delay_days,
                    subject=step.subject,
                    body=step.body,
                    condition=step.condition,
                )
            )
    except NotificationError as error:
        raise loaders.DataError(f"{where} : {error}") from error
    return sequence


def _welcome_newcomer(sequence, newcomer, now):
    """Start the newcomer's welcome today, as the register starts it on an arrival."""
    if SequenceRun.objects.filter(sequence=sequence, person=newcomer).exists():
        return
    tenure = (
        Tenure.objects.filter(person=newcomer, ended_on__isnull=True)
        .prefetch_related("post__schemes")
        .first()
    )
    onboarding.sequence_start(
        person=newcomer,
        trigger=sequence.trigger,
        source=f"tenure:{tenure.pk}" if tenure else "",
        segments={scheme.kind for scheme in tenure.post.schemes.all()} if tenure else (),
        newcomer=person_is_newcomer(newcomer, timezone.localdate(now)),
        now=now,
    )


def _tour_webinar(now, people):
    """An upcoming short webinar an hour away (a new one when the last has passed)."""
    data = _data.tour_webinar
    event = Event.objects.filter(title=data.title, starts_at__gt=now).first()
    if event is None:
        starts_at = (now + timedelta(minutes=data.starts_in_minutes)).replace(
            second=0, microsecond=0
        )
        event = Event(
            kind=Event.Kind.WEBINAR,
            title=data.title,
            description=data.description,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=data.duration_minutes),
            video_url=data.video_url,
            audiences=[Event.Audience.ALL],
            organiser=Organisation.objects.get(short_name=data.organiser),
        )
        agenda_services.event_save(event=event, departments=[], topics=[])
    for person in people:
        if not event.registrations.filter(person=person).exists():
            agenda_services.event_register(event=event, person=person)
    return event


@transaction.atomic
def seed_notifications(*, now=None):
    now = now or timezone.now()
    sequence = seed_welcome_sequence()
    reminders.rules_seed_defaults()
    reminders.registrations_plan(
        Registration.objects.filter(
            event__starts_at__gt=now,
            event__status=Event.Status.PUBLISHED,
            status=Registration.Status.CONFIRMED,
        ).select_related("event", "person"),
        now=now,
    )
    users = get_user_model().objects.filter(email__in=[NEW_DEMO, EXPERIENCED_DEMO])
    newcomer = next((user for user in users if user.email == NEW_DEMO), None)
    if newcomer:
        _welcome_newcomer(sequence, newcomer, now)
    _tour_webinar(now, list(users))
    return notification_counts()


def notification_counts():
    return {
        "envois planifiés": Delivery.objects.filter(status=Delivery.Status.DUE).count(),
        "séquences d'accompagnement": Sequence.objects.count(),
    }
