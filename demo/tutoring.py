"""The demo's tutoring (`data/tutoring.yaml`): experienced coordinators who accept newcomers
(Julien Moreau with room left), a request waiting, active pairs (with notes and sessions, one to
come) and an ended pair with feedback from both. Built through tutoring's services; a newcomer
who already has a pair is left as they are, so seeding twice changes nothing. Awa, the demo
newcomer, gets neither a tutor nor a request: she asks on the demo."""

from dataclasses import field
from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from accounts.models import User
from agenda.models import Registration
from coordinators.models import Tenure
from coordinators.selectors import add_months, tenures_in_post
from learning.models import Enrolment, Pathway, PathwayStep, StepCompletion
from learning.pathways import pathway_join
from learning.progress import NEWCOMERS_PATHWAY
from network.models.tutoring import TutoringPair
from network.selectors.tutoring import TUTOR_MIN_YEARS, tutor_suggestions
from network.services import peer_exchanges_set
from network.services import tutoring as services

from . import history, loaders
from .notifications import notification_counts


@loaders.record
class NoteData:
    by: str  # "newcomer" or "tutor"
    text: str


@loaders.record
class ActiveData:
    tutor: str  # "experienced" (Julien Moreau) or "suggested"
    message: str
    answer: str
    sessions_days: list[int] = field(default_factory=list)
    notes: list[NoteData] = field(default_factory=list)


@loaders.record
class RequestData:
    message: str


@loaders.record
class EndedData:
    message: str
    answer: str
    started_days: int
    ended_days: int
    newcomer_feedback: str
    tutor_feedback: str


@loaders.record
class TutoringData:
    volunteers: int
    capacities: list[int]
    experienced_capacity: int
    request: RequestData
    active: list[ActiveData]
    ended: EndedData


WEEK = timedelta(days=7)


def _people(today):
    """(experienced, newcomers, first): coordinators in post for three years or more, and those
    whose first post started within the year, each by name (the demo's accounts left out), and
    the day each took their first post."""
    demo = set(
        User.objects.filter(
            email__in=[loaders.accounts().account(k).email for k in ("newcomer", "experienced")]
        ).values_list("pk", flat=True)
    )
    in_post = set(tenures_in_post(today).values_list("person_id", flat=True)) - demo
    first = dict(
        Tenure.objects.filter(person_id__in=in_post)
        .values("person_id")
        .annotate(first=Min("started_on"))
        .values_list("person_id", "first")
        .order_by()
    )
    people = User.objects.filter(pk__in=in_post, coordinator_profile__status="approved").order_by(
        "last_name", "first_name", "pk"
    )
    cutoff = add_months(today, -12 * TUTOR_MIN_YEARS)
    experienced = [p for p in people if first[p.pk] <= cutoff]
    newcomers = [p for p in people if first[p.pk] > add_months(today, -12)]
    return experienced, newcomers, first


def _at(day, hour=14):
    """2 pm on `day`, or on the Friday before when it falls on a weekend."""
    day -= timedelta(days=max(0, day.weekday() - 4))
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _sessions(pair, by, days, today):
    for offset in days:
        starts = _at(today + timedelta(days=offset))
        # A past session is recorded as planned the day before it.
        planned = min(timezone.now(), starts - timedelta(days=1))
        session = services.tutoring_session_plan(
            pair=pair,
            by=by,
            starts_at=starts,
            minutes=60,
            location="En visioconférence" if offset % 2 else "",
            video_url="https://visio.example.org/tutorat" if offset % 2 else "",
            now=planned,
            notify=False,
        )
        registrations = session.event.registrations.all()
        history.backdate(Registration, "created_at", [(r, planned) for r in registrations])


def _tutor_for(newcomer, volunteers, today):
    """A suggested tutor for `newcomer`, else the first volunteer with room."""
    suggestions = tutor_suggestions(newcomer, today, limit=1)
    if suggestions:
        return suggestions[0].tutor
    return next(v for v in volunteers if services.room_left(v) > 0)


def _waiting_for_a_tutor():
    """People following a pathway whose tutoring step is not done."""
    steps = PathwayStep.objects.filter(kind=PathwayStep.Kind.TUTORING, retired_at__isnull=True)
    done = StepCompletion.objects.filter(step__in=steps).values_list("enrolment__person_id")
    return (
        steps.filter(pathway__enrolments__left_at__isnull=True)
        .exclude(pathway__enrolments__person__in=done)
        .values_list("pathway__enrolments__person_id", flat=True)
    )


def _follow_newcomers_pathway(person):
    """An active pair's newcomer follows the newcomers' pathway: accepting then completes its
    tutoring step, as on the platform."""
    pathway = Pathway.objects.filter(title=NEWCOMERS_PATHWAY).first()
    enrolled = Enrolment.objects.filter(pathway=pathway, person=person, left_at__isnull=True)
    if pathway and not enrolled.exists():
        pathway_join(pathway=pathway, person=person)


def _dated(pair, started):
    """The pair as it happened: asked three days before it started, answered that day."""
    asked = timezone.make_aware(datetime.combine(started - timedelta(days=3), time(10, 0)))
    history.backdate(TutoringPair, "requested_at", [(pair, asked)])
    history.backdate(TutoringPair, "answered_at", [(pair, _at(started, 9))])


def _notes(pair, notes):
    for note in notes:
        author = pair.newcomer if note.by == "newcomer" else pair.tutor
        services.tutoring_note_add(pair=pair, author=author, text=note.text)


def seed_tutoring(today=None):
    """Idempotent; e-mails nobody (the pairs are the demo's history). Returns the figures
    `seed_demo` prints."""
    today = today or date.today()
    data = loaders.read_yaml("tutoring.yaml", TutoringData)
    services.reminder_rules_ensure()
    julien = User.objects.get(email=loaders.accounts().account("experienced").email)
    peer_exchanges_set(person=julien, tutoring_capacity=data.experienced_capacity)
    experienced, newcomers, first = _people(today)
    volunteers = experienced[: data.volunteers]
    for i, person in enumerate(volunteers):
        peer_exchanges_set(
            person=person, tutoring_capacity=data.capacities[i % len(data.capacities)]
        )
    todo = [p for p in newcomers if not TutoringPair.objects.filter(newcomer=p).exists()]
    # Pairs go first to newcomers whose pathway waits for a tutor: accepting completes the step.
    waiting = set(_waiting_for_a_tutor())
    todo.sort(key=lambda p: p.pk not in waiting)
    if len(newcomers) - len(todo) == 0 and len(todo) >= 2 + len(data.active):
        # The ended pair: the earliest newcomer's, started after their arrival, ended weeks ago.
        newcomer = min(todo, key=lambda p: first[p.pk])
        todo.remove(newcomer)
        tutor = _tutor_for(newcomer, volunteers, today)
        ended = data.ended
        started = max(today + timedelta(days=ended.started_days), first[newcomer.pk] + WEEK)
        ended_on = max(today + timedelta(days=ended.ended_days), started + 4 * WEEK)
        ended_on = min(ended_on, today - WEEK)
        span = (ended_on - started).days
        session_days = sorted({(started - today).days + span * k // 4 for k in (1, 2, 3)})
        pair = services.tutoring_request(
            notify=False, newcomer=newcomer, tutor=tutor, message=ended.message
        )
        pair = services.tutoring_answer(
            notify=False,
            pair=pair,
            tutor=tutor,
            accept=True,
            answer=ended.answer,
            today=started,
        )
        _dated(pair, started)
        _sessions(pair, tutor, session_days, today)
        services.tutoring_end(
            notify=False, pair=pair, by=newcomer, feedback=ended.newcomer_feedback, today=ended_on
        )
        services.tutoring_end(notify=False, pair=pair, by=tutor, feedback=ended.tutor_feedback)
        for active in data.active:
            newcomer = todo.pop(0)
            tutor = julien if active.tutor == "experienced" else None
            tutor = tutor or _tutor_for(newcomer, volunteers, today)
            _follow_newcomers_pathway(newcomer)
            pair = services.tutoring_request(
                notify=False, newcomer=newcomer, tutor=tutor, message=active.message
            )
            # Started a week before its first session, after the newcomer's arrival.
            started = today + timedelta(days=min(active.sessions_days, default=0)) - WEEK
            pair = services.tutoring_answer(
                notify=False,
                pair=pair,
                tutor=tutor,
                accept=True,
                answer=active.answer,
                today=min(today, max(started, first[newcomer.pk] + timedelta(days=1))),
            )
            _dated(pair, pair.started_on)
            since = (pair.started_on - today).days
            days = sorted({max(day, since + 2) for day in active.sessions_days})
            _sessions(pair, tutor, [day for day in days if day != 0], today)
            _notes(pair, active.notes)
        newcomer = todo.pop(0)
        services.tutoring_request(
            notify=False,
            newcomer=newcomer,
            tutor=_tutor_for(newcomer, volunteers, today),
            message=data.request.message,
        )
    pairs = TutoringPair.objects
    return {
        # Counted again: the sessions' reminders are planned after the notifications' seed.
        "envois planifiés": notification_counts()["envois planifiés"],
        "tutorats en cours": pairs.filter(status=TutoringPair.Status.ACTIVE).count(),
        "demandes de tutorat en attente": pairs.filter(
            status=TutoringPair.Status.REQUESTED
        ).count(),
        "tutorats terminés": pairs.filter(status=TutoringPair.Status.ENDED).count(),
    }
