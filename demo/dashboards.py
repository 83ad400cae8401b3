"""Demo data for the dashboards (issue #14): three years of the network's life, so that every
indicator of `dashboards.indicators` has figures for ARS DD 93, CRPV 95 and the ARS head office,
in the year of today and in the two before (the dashboard's 3-year trend).

`seed_dashboards` runs after the rest of the demo (meant as `seed_demo`'s last step; until then
`manage.py shell -c "from demo.dashboards import seed_dashboards; seed_dashboards()"`): the other
modules write the register since 2010 and about a year of activity around today; this one adds
what a dashboard of past years would miss, drawn from the register's tenures (who was in post
where, on each day):
- the events of the two years before (webinars of the « promotion de la santé » cycle with about
  22 registered and 10 to 13 present, the regional day, a welcome day of new coordinators, the
  workshops of the CRPV 95 and the ARS DD 93's session), and a welcome day earlier this year,
  with registrations and attendance as history (`history.registrations_record`);
- enrolments in « Promotion de la santé » of people who came to one of these webinars, completed
  at various speeds (the webinar attended, the resource read, the activity declared), some left;
- self-assessments taken twice, six months apart, by at least five people per département in
  93 and 95 for each of the three years (groups the dashboard shows);
- tutoring pairs of newcomers of those years (ended), and one under way in the Val-d'Oise;
- questions and experience notes of past years (`data/dashboards/`, written by the questions'
  and notes' seeds) — La boussole keeps the 35 requests of the field (`resource_requests.py`);
- a competency of the framework that no offer covers yet, which coordinators of Seine-Saint-Denis
  and of the Val-d'Oise look for (the dashboard's « besoin sans offre »).

Each part looks for its own rows first (titles, a marker) and writes only what is missing:
seeding twice changes nothing. Everything is drawn from `random.Random(SEED + 14)` and rows
ordered by e-mail or id; dates are relative to today (the years of today and the two before).
Nothing is e-mailed.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from agenda import services as agenda_services
from agenda.models import Event, Registration
from competencies import services as competency_services
from competencies.models import Competency, CompetencyDomain
from coordinators.models import CoordinatorProfile, Tenure
from learning import pathways as learning_services
from learning.models import (
    Enrolment,
    Offer,
    OfferSession,
    Pathway,
    PathwayStep,
    SelfAssessment,
    SelfAssessmentRating,
    StepCompletion,
)
from network.models import PeerProfile
from network.models.tutoring import TutoringPair
from network.selectors.tutoring import room_left
from network.services import peer_exchanges_set
from network.services import tutoring as tutoring_services
from resources.models import Resource, ResourceRead
from territories.models import Department

from . import history, loaders
from .draws import SEED, some
from .notes import seed_notes
from .questions import seed_questions
from .resource_requests import counts as request_counts
from .tutoring import TutoringData

PARIS = ZoneInfo("Europe/Paris")
FOCUS = ("93", "95")  # the départements of the demo's partners (ARS DD 93, CRPV 95)
YEARS_BACK = (2, 1)  # the two years before today's, for the trend

_accounts = loaders.accounts()
DEMO_PEOPLE = [_accounts.account(key).email for key in ("newcomer", "experienced")]
STAFF = _accounts.account("staff").email
TUTORING_MESSAGE = (
    "Bonjour, je viens d’arriver sur mon poste : accepteriez-vous de m’accompagner pendant mes "
    "premiers mois ?"
)

# The competency no offer covers yet (the framework's staff would add it; offers come later).
UNCOVERED = {
    "domain": "Coordination et conduite de projet",
    "name": "Observation locale et données de santé",
    "description": (
        "Trouver, lire et partager les données de santé du territoire pour éclairer les choix "
        "des partenaires."
    ),
    "levels": (
        "Je sais où trouver les principaux chiffres de santé de ma commune.",
        "Je compare les indicateurs de mon territoire à ceux du département et de la région.",
        "Je construis avec les partenaires un tableau de bord partagé et je le fais vivre.",
        "J'aide des pairs à choisir et interpréter des indicateurs pour leur diagnostic.",
    ),
}


HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _working_day(day, taken, step=1):
    """`day`, or the next working day (Tuesday to Thursday) not taken by another event."""
    while day.weekday() not in (1, 2, 3) or day in taken or (day.month, day.day) in HOLIDAYS:
        day += timedelta(days=step)
    taken.add(day)
    return day


# --- Who was in post, where -----------------------------------------------------------------


class _Register:
    """Every tenure as (person id, first day, day after the last or None, département), and each
    person's first day in a coordination post; the demo accounts left out."""

    def __init__(self):
        demo = set(User.objects.filter(email__in=DEMO_PEOPLE).values_list("pk", flat=True))
        approved = set(
            CoordinatorProfile.objects.filter(
                status=CoordinatorProfile.Status.APPROVED, user__is_active=True
            ).values_list("user_id", flat=True)
        )
        rows = (
            Tenure.objects.filter(person__isnull=False)
            .values_list("person_id", "started_on", "ended_on", "post__schemes__department__code")
            .order_by("person__email", "started_on", "post__schemes__department__code", "pk")
        )
        self.spans, self.first = [], {}
        for person, start, end, code in rows:
            if person in demo or person not in approved or code is None:
                continue
            self.spans.append((person, start, end, code))
            self.first[person] = min(self.first.get(person, start), start)
        self.users = User.objects.in_bulk(list(self.first))

    def in_post(self, day, code=None, *, until=None, seniority_days=14):
        """People (ids, in e-mail order) in post in `code` (any département when None) on
        `day`, and still until `until` when given, in the network for `seniority_days`."""
        until = until or day
        found = []
        for person, start, end, place in self.spans:
            if (
                (code is None or place == code)
                and start <= day
                and (end is None or end > until)
                and self.first[person] <= day - timedelta(days=seniority_days)
                and person not in found
            ):
                found.append(person)
        return found

    def department(self, person, day):
        for pk, start, end, code in self.spans:
            if pk == person and start <= day and (end is None or end > day):
                return code
        return None

    def arrived(self, start, end, code=None):
        """People whose first post started in [start, end] (in `code`), still in post then."""
        return [
            p for p in self.in_post(end, code, seniority_days=0) if start <= self.first[p] <= end
        ]


# --- Events of the years before -------------------------------------------------------------


def _registrations(rng, event, people, present, *, online, cancelled=0):
    """Registrations of `people` (ids) before `event`, `present` of the seated ones came."""
    opens, closes = event.registration_opens_at, event.registration_closes_at
    span = int((closes - opens).total_seconds() // 60)
    moments = sorted(opens + timedelta(minutes=rng.randint(60, span - 60)) for _ in people)
    rows = [
        Registration(event=event, person_id=pk, status=Registration.Status.CONFIRMED, created_at=at)
        for pk, at in zip(people, moments, strict=True)
    ]
    for row in some(rng, rows, cancelled):
        row.status = Registration.Status.CANCELLED
        row.cancelled_at = min(row.created_at + timedelta(days=rng.randint(1, 5)), closes)
    seated = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    came = some(rng, seated, present)
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for row in seated:
        row.attended = row in came
        if row.attended:
            row.checked_in_at = event.starts_at + timedelta(minutes=rng.choice([0, 0, 5, 10]))
            if online:
                row.attendance_minutes = rng.randint(35, minutes)
    for row in some(rng, [r for r in seated if not r.attended], 1):
        row.excused = True
    return rows


def _event(title, kind, day, hours, family, *, organiser, offer, description, departments=()):
    start, end = hours
    return {
        "event": Event(
            kind=kind,
            title=title,
            description=description,
            starts_at=_at(day, *start),
            ends_at=_at(day, *end),
            location=family.location if hasattr(family, "location") else "",
            video_url="",
            capacity=family.capacity,
            registration_opens_at=_at(day - timedelta(weeks=6), 9),
            registration_closes_at=_at(day - timedelta(days=1), 12),
            audiences=[str(a) for a in family.audiences],
            organiser=organiser,
        ),
        "departments": list(departments),
        "offer": offer,
    }


def _plan_events(rng, register, today):
    """[(planned event, [(people ids, present, online, cancelled)])] for the two years before
    today's, and a welcome day earlier this year."""
    agenda, learning = loaders.agenda(), loaders.learning()
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    offers = {o.title: o for o in Offer.objects.all()}

    def offer(key):
        return offers[learning.offer(key).title]

    starts = Event.objects.values_list("starts_at", flat=True)
    taken = {timezone.localtime(moment).date() for moment in starts}
    webinars, days, departmental = agenda.webinars, agenda.days, agenda.departmental
    health = [w for w in webinars.sessions if w.offer == "webinars_health"] or webinars.sessions
    plans = []

    def welcome(day, title):
        family = days.welcome_day
        planned = _event(
            title,
            Event.Kind.REGIONAL_DAY,
            day,
            ((9, 0), (17, 0)),
            family,
            organiser=organisations[family.organiser],
            offer=offer(family.offer),
            description=family.description(),
        )
        planned["event"].is_welcome_day = True
        newcomers = register.arrived(day - timedelta(days=170), day - timedelta(days=7))
        people = some(rng, newcomers, min(family.capacity, round(0.8 * len(newcomers))))
        plans.append((planned, people, round(0.8 * len(people)), False, 0))

    for back in YEARS_BACK:
        year = today.year - back
        for number, month in enumerate((2, 3, 5, 6, 9, 10, 11), start=1):
            webinar = health[number % len(health)]
            day = _working_day(date(year, month, 8 + rng.randint(0, 10)), taken)
            hour = rng.choice([10, 14])
            planned = _event(
                f"{webinar.title} ({year})",
                Event.Kind.WEBINAR,
                day,
                ((hour, 0), (hour + 1, 30)),
                webinars,
                organiser=organisations[webinars.organiser],
                offer=offer(webinar.offer),
                description=webinars.description(webinar),
            )
            planned["event"].video_url = webinars.video_url.format(number=number)
            people = some(rng, register.in_post(day), rng.randint(20, 24))
            plans.append((planned, people, rng.randint(10, 13), True, rng.choice([0, 1, 2])))
        # The regional day, in June.
        family = days.regional_day
        day = _working_day(date(year, 6, 12), taken)
        planned = _event(
            f"{family.title} ({year})",
            Event.Kind.REGIONAL_DAY,
            day,
            ((9, 0), (17, 0)),
            family,
            organiser=organisations[family.organiser],
            offer=offer(family.offer),
            description=family.description(),
        )
        people = some(rng, register.in_post(day), rng.randint(62, 74))
        plans.append((planned, people, rng.randint(48, 56), False, 3))
        # The welcome day of the autumn.
        day = _working_day(date(year, 10, 6), taken)
        welcome(day, f"{days.welcome_day.title} (automne {year})")
        # The Val-d'Oise's workshops and the ARS DD 93's session.
        family = departmental.workshops_95
        for session, month in zip(family.sessions, (4, 11), strict=False):
            day = _working_day(date(year, month, 14), taken)
            planned = _event(
                f"{session.title} ({year})",
                Event.Kind.DEPARTMENTAL,
                day,
                ((9, 30), (12, 0)),
                family,
                organiser=organisations[family.organiser],
                offer=offer(family.offer),
                description=family.description(session),
                departments=family.departments,
            )
            people = some(rng, register.in_post(day, "95"), rng.randint(9, 14))
            plans.append((planned, people, round(0.7 * len(people)), False, 1))
        family = departmental.renewal_93
        day = _working_day(date(year, 3, 17), taken)
        planned = _event(
            f"{family.title} ({year})",
            Event.Kind.DEPARTMENTAL,
            day,
            ((14, 0), (16, 30)),
            family,
            organiser=organisations[family.organiser],
            offer=offer(family.offer),
            description=family.description(),
            departments=family.departments,
        )
        people = some(rng, register.in_post(day, "93"), rng.randint(12, 16))
        plans.append((planned, people, round(0.75 * len(people)), False, 1))
    # A welcome day earlier this year: the next one (events.py) is still to come.
    day = _working_day(today - timedelta(days=150), taken, step=-1)
    if day.year == today.year:
        welcome(day, f"{days.welcome_day.title} (printemps {day.year})")
    return plans


def _write_events(rng, register, today):
    plans = _plan_events(rng, register, today)
    existing = set(Event.objects.values_list("title", flat=True))
    staff = User.objects.filter(email=STAFF).first()
    rows = []
    for planned, people, present, online, cancelled in plans:
        event = planned["event"]
        if event.title in existing:
            continue
        event.created_by = staff
        departments = list(Department.objects.filter(code__in=planned["departments"]))
        event = agenda_services.event_save(
            event=event, departments=departments, topics=[], extra={"offer": planned["offer"]}
        )
        history.backdate(Event, "created_at", [(event, event.registration_opens_at)])
        rows += _registrations(rng, event, people, present, online=online, cancelled=cancelled)
    history.registrations_record(rows, now=_at(today, 0))


# --- Pathways completed at various speeds ---------------------------------------------------


def _write_enrolments(rng, register, today, now):
    """People who came to a webinar of the « promotion de la santé » cycle join the pathway of
    that name a few days before it; the webinar completes its step, they read the resource and
    declare the activity weeks or months later (some never do, some leave)."""
    learning = loaders.learning()
    pathway = Pathway.objects.filter(title=learning.pathway("health_promotion").title).first()
    if (
        pathway is None
        or Enrolment.objects.filter(pathway=pathway, started_at__year__lt=today.year - 1).exists()
    ):
        return
    steps = list(pathway.steps.filter(retired_at__isnull=True, is_required=True))
    event_steps = [s for s in steps if s.kind == PathwayStep.Kind.EVENT]
    reading_steps = [s for s in steps if s.kind == PathwayStep.Kind.RESOURCE]
    activity_steps = [s for s in steps if s.kind == PathwayStep.Kind.ACTIVITY]
    data = next(p for p in learning.pathways if p.title == pathway.title)
    reflections = {s.title: s.reflections for s in data.steps}
    sessions = OfferSession.objects.filter(offer__in=[s.offer_id for s in event_steps])
    enrolled = set(
        Enrolment.objects.filter(pathway=pathway, left_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    resource_ids = [s.resource_id for s in reading_steps]
    read = set(
        ResourceRead.objects.filter(resource__in=resource_ids).values_list("person_id", flat=True)
    )
    attended = (
        Registration.objects.filter(
            attended=True,
            person_id__in=list(register.first),
            event__in=sessions.values("event"),
            event__starts_at__lt=now,
        )
        .select_related("event")
        .order_by("event__starts_at", "person__email")
    )
    chosen = {}  # year -> {département: [registration]}
    for registration in attended:
        if registration.person_id in enrolled or registration.person_id in read:
            continue
        day = timezone.localtime(registration.event.starts_at).date()
        code = register.department(registration.person_id, day)
        per_year = chosen.setdefault(day.year, {})
        if len(per_year.get(code, [])) < (4 if code in FOCUS else 1):
            per_year.setdefault(code, []).append(registration)
            enrolled.add(registration.person_id)

    enrolments, completions, reads = [], [], []
    resources = {s.pk: s.resource for s in reading_steps}
    for year in sorted(chosen):
        for code in sorted(chosen[year], key=str):
            for rank, registration in enumerate(chosen[year][code]):
                event = registration.event
                joined = event.starts_at - timedelta(days=rng.randint(3, 25), hours=2)
                enrolment = Enrolment(pathway=pathway, person_id=registration.person_id)
                enrolment.started_at = joined
                done = [(s, event.ends_at, StepCompletion.Source.ATTENDANCE) for s in event_steps]
                read_at = min(now, event.ends_at + timedelta(days=rng.randint(1, 20)))
                done += [(s, read_at, StepCompletion.Source.READING) for s in reading_steps]
                speed = rng.choice([10, 30, 60, 120, 200])
                declared = min(now - timedelta(hours=1), read_at + timedelta(days=speed))
                outcome = (0, 3, 1, 2)[rank % 4]  # 0, 1: completed; 2: not yet; 3: left
                if outcome < 2:
                    done += [(s, declared, StepCompletion.Source.DECLARED) for s in activity_steps]
                elif outcome == 3:
                    enrolment.left_at = min(now, read_at + timedelta(days=rng.randint(30, 90)))
                enrolments.append((enrolment, done, registration))
                for step in reading_steps:
                    reads.append(
                        ResourceRead(
                            resource=resources[step.pk],
                            person_id=registration.person_id,
                            read_at=read_at,
                        )
                    )
    history.readings_record(reads)
    Enrolment.objects.bulk_create([e for e, _, _ in enrolments])
    for enrolment, done, registration in enrolments:
        for step, at, source in done:
            completions.append(
                StepCompletion(
                    enrolment=enrolment,
                    step=step,
                    completed_at=at,
                    source=source,
                    registration=registration if source == "attendance" else None,
                    reflection=rng.choice(reflections.get(step.title) or [""])
                    if source == "declared"
                    else "",
                )
            )
    StepCompletion.objects.bulk_create(completions)


# --- Self-assessments, twice ------------------------------------------------------------------


def _write_assessments(rng, register, today, now):
    """For each of the three years and each of 93 and 95, six people who assessed themselves
    twice, the second time in that year (six months after the first), the competency no offer
    covers included. Written once: an assessment rating that competency is the mark."""
    competencies = list(Competency.objects.filter(is_active=True).order_by("pk"))
    if SelfAssessmentRating.objects.filter(competency__name=UNCOVERED["name"]).exists():
        return
    assessed = set(SelfAssessment.objects.values_list("person_id", flat=True))
    rounds = []
    for back in (*YEARS_BACK, 0):
        year = today.year - back
        for code in FOCUS:
            second = min(date(year, 10, 15), today - timedelta(days=20))
            first = second - timedelta(days=195)  # six months and more between the two
            ready = register.in_post(first, code, until=date(year, 12, 31))
            for person in some(rng, [p for p in ready if p not in assessed], 6):
                assessed.add(person)
                levels = {c.pk: rng.choices([1, 2, 3], [3, 5, 2])[0] for c in competencies}
                later = {
                    pk: min(4, level + (1 if rng.random() < 0.45 else 0))
                    for pk, level in levels.items()
                }
                for pk in some(rng, list(later), 1):
                    later[pk] = max(1, later[pk] - 1)
                first_at = _at(first + timedelta(days=rng.randint(0, 5)), rng.randint(9, 17))
                second_at = _at(second - timedelta(days=rng.randint(0, 5)), rng.randint(9, 17))
                rounds += [(person, first_at, levels), (person, min(second_at, now), later)]
    users = register.users
    history.backdate(
        SelfAssessment,
        "created_at",
        [
            (learning_services.self_assessment_submit(person=users[pk], levels=levels), at)
            for pk, at, levels in rounds
        ],
    )


# --- Tutoring ---------------------------------------------------------------------------------


def _write_tutoring(rng, register, today):
    """In 93 and in 95, a pair started in each of the two years before (a newcomer of the
    autumn before, tutored until the next year's first weeks), and a pair under way in the
    Val-d'Oise this year when it has none."""
    if TutoringPair.objects.filter(message=TUTORING_MESSAGE).exists():
        return
    data = loaders.read_yaml("tutoring.yaml", TutoringData)
    paired = set(TutoringPair.objects.values_list("newcomer_id", flat=True))
    tutors = set(TutoringPair.objects.values_list("tutor_id", flat=True))
    users = register.users

    def tutor_in(code, day):
        seniors = [
            p
            for p in register.in_post(day, code, seniority_days=3 * 366)
            if p not in paired and p not in tutors
        ]
        return users[seniors[0]] if seniors else None

    def pair(newcomer, tutor, started, ended_on):
        if room_left(tutor) <= 0:
            peer_exchanges_set(person=tutor, tutoring_capacity=2)
        made = tutoring_services.tutoring_request(
            notify=False, newcomer=newcomer, tutor=tutor, message=TUTORING_MESSAGE
        )
        made = tutoring_services.tutoring_answer(
            notify=False,
            pair=made,
            tutor=tutor,
            accept=True,
            answer=data.ended.answer,
            today=started,
        )
        asked = _at(started - timedelta(days=3), 10)
        history.backdate(TutoringPair, "requested_at", [(made, asked)])
        history.backdate(TutoringPair, "answered_at", [(made, _at(started, 9))])
        if ended_on is not None:
            tutoring_services.tutoring_end(
                notify=False,
                pair=made,
                by=newcomer,
                feedback=data.ended.newcomer_feedback,
                today=ended_on,
            )
            tutoring_services.tutoring_end(
                notify=False, pair=made, by=tutor, feedback=data.ended.tutor_feedback
            )
        paired.add(newcomer.pk)
        tutors.add(tutor.pk)

    for back in YEARS_BACK:
        year = today.year - back
        for code in FOCUS:
            # Arrived in the year before, the latest first, so that the year's own newcomers stay
            # without a tutor (the dashboard counts them); else one of the year's, all but one.
            before = register.arrived(date(year - 1, 1, 1), date(year - 1, 12, 31), code)
            before.sort(key=lambda p: register.first[p], reverse=True)
            during = register.arrived(date(year, 1, 1), date(year, 12, 31), code)[:-1]
            newcomers = [p for p in before + during if p not in paired and p not in tutors]
            if not newcomers:
                continue
            newcomer = users[newcomers[0]]
            started = max(date(year, 1, 8), register.first[newcomer.pk] + timedelta(days=20))
            started += timedelta(days=rng.randint(0, 50))
            tutor = tutor_in(code, started)
            if tutor is None or TutoringPair.objects.filter(newcomer=newcomer).exists():
                continue
            # Until the first weeks of the next year: under way on the year's last day.
            ended_on = date(year + 1, 1, 20) + timedelta(days=rng.randint(0, 40))
            pair(newcomer, tutor, started, min(ended_on, today - timedelta(days=7)))
    # Under way in the Val-d'Oise this year.
    if not TutoringPair.objects.filter(
        status=TutoringPair.Status.ACTIVE, newcomer__in=register.in_post(today, "95")
    ).exists():
        newcomers = [
            p
            for p in register.arrived(today - timedelta(days=300), today - timedelta(days=30), "95")
            if p not in paired and p not in tutors
        ]
        if newcomers:
            newcomer = users[newcomers[0]]
            started = max(register.first[newcomer.pk] + timedelta(days=15), date(today.year, 1, 5))
            tutor = tutor_in("95", min(started, today))
            if tutor is not None:
                pair(newcomer, tutor, min(started, today - timedelta(days=7)), None)


# --- A need no offer covers -----------------------------------------------------------------------


def _uncovered_competency(rng, register, today):
    """The competency no offer covers, and coordinators of 93 and 95 who look for it."""
    competency = Competency.objects.filter(name=UNCOVERED["name"]).first()
    if competency is None:
        domain = CompetencyDomain.objects.filter(name=UNCOVERED["domain"]).first()
        if domain is None:
            return
        levels = {f"level_{n}": text for n, text in enumerate(UNCOVERED["levels"], start=1)}
        competency = competency_services.competency_save(
            competency=Competency(
                domain=domain,
                name=UNCOVERED["name"],
                description=UNCOVERED["description"],
                position=domain.competencies.count(),
                **levels,
            )
        )
    if PeerProfile.sought_competencies.through.objects.filter(competency=competency).exists():
        return
    people = []
    for code, count in (("93", 6), ("95", 3)):
        people += some(rng, register.in_post(today, code), count)
    profiles = {p.person_id: p for p in PeerProfile.objects.filter(person_id__in=people)}
    for person in people:
        profile = profiles.get(person) or PeerProfile.objects.create(person_id=person)
        profile.sought_competencies.add(competency)


# --- Seeding ----------------------------------------------------------------------------------


@transaction.atomic
def seed_dashboards(*, today=None):
    """Idempotent: writes what is missing. Returns the figures `seed_demo` prints."""
    today = today or timezone.localdate()
    now = min(timezone.now(), _at(today, 23, 59))
    rng = random.Random(SEED + 14)
    _analyze()  # the seeds before wrote thousands of rows: plan with their sizes
    register = _Register()
    _uncovered_competency(rng, register, today)
    _write_events(rng, register, today)
    _write_enrolments(rng, register, today, now)
    _write_assessments(rng, register, today, now)
    _write_tutoring(rng, register, today)
    _analyze()
    questions = seed_questions(today=today, data_file="dashboards/questions.yaml")
    notes = seed_notes(today=today, data_file="dashboards/notes.yaml")
    # The figures the seeds before this one printed, counted again with the years before.
    return {**questions, **notes, **_counts_again(), **dashboard_counts(today)}


def _analyze():
    """As `seed.refresh_planner_statistics`: PostgreSQL's planner told the tables' new sizes
    (with an empty table's statistics it plans nested loops that take minutes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _counts_again():
    pairs = TutoringPair.objects
    boussole = Resource.objects.filter(on_request=True).order_by("pk").first()
    return {
        "tutorats en cours": pairs.filter(status=TutoringPair.Status.ACTIVE).count(),
        "demandes de tutorat en attente": pairs.filter(
            status=TutoringPair.Status.REQUESTED
        ).count(),
        "tutorats terminés": pairs.filter(status=TutoringPair.Status.ENDED).count(),
        **(request_counts(boussole) if boussole else {}),
    }


def dashboard_counts(today):
    """What the years before today's hold, in the words of the other seed functions."""
    before = date(today.year, 1, 1)
    events = Event.objects.filter(starts_at__date__lt=before)
    return {
        "événements des années précédentes": events.count(),
        "inscriptions des années précédentes": Registration.objects.filter(
            event__in=events
        ).count(),
        "inscriptions à des parcours des années précédentes": Enrolment.objects.filter(
            started_at__date__lt=before
        ).count(),
        "tutorats des années précédentes": TutoringPair.objects.filter(
            started_on__lt=before
        ).count(),
    }
