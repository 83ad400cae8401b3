"""Demo data of the agenda: a year of events around today, with registrations and attendance.

`seed_events` runs after `seed_register` and `seed_catalogue` (it needs the organisations, the
demo accounts, the coordinators in post and the offers the events are sessions of). It writes
about nine months of past events and three months ahead, as in SPEC §1: ten PromoSanté webinars
with about 22 registered and 10 to 13 connected, the regional day and the welcome day of new
coordinators (with their hierarchy and elected officials as guests), four site visits hosted by
experienced coordinators, the working group that writes « La boussole de la démarche locale en
santé » (6 coordinators + 1 CRPV) and its meetings, and departmental offers of the CRPV 93, the
CRPV 95 and the ARS DD 93. Titles, texts, places and capacities are in `data/agenda/`.

Everything is planned in memory first from `random.Random(SEED)` and the coordinators in post
(ordered by e-mail); then only the events missing from the database are written:
- each event through `agenda.services.event_save`, as a session of its catalogue offer (the
  offer field the event form has), then given the day it was created;
- its registrations, invitations and attendance as history (`history.registrations_record`,
  `history.invitations_record`): each is checked with the agenda's rules at the moment it was
  made, and no confirmation is e-mailed;
- the feedback of those who came through `feedback_submit`, dated.
An event is looked up by its title (and so by title and start): running it twice changes nothing,
and running it again on a later day does not add a shifted copy of the year (the events keep the
dates of the first run).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import Organisation, User
from agenda import services as agenda_services
from agenda.models import Event, Feedback, GuestInvitation, Registration, WorkingGroup
from coordinators.models import Scheme, Tenure, Topic
from learning.models import Offer
from territories.models import Department

from . import history, loaders
from .draws import SEED, some, weighted_sample
from .words import commune_label, fold, of

PARIS = ZoneInfo("Europe/Paris")

_accounts = loaders.accounts()
NEW_DEMO = _accounts.account("newcomer").email
EXPERIENCED_DEMO = _accounts.account("experienced").email
STAFF_DEMO = _accounts.account("staff").email
CRPV95_DEMO = _accounts.account("crpv95").email
DD93_DEMO = _accounts.account("dd93").email

BOUSSOLE = loaders.agenda().boussole.name  # the working group
WELCOME_DAY = loaders.agenda().days.welcome_day.title

CONFIRMED = Registration.Status.CONFIRMED
WAITLISTED = Registration.Status.WAITLISTED
CANCELLED = Registration.Status.CANCELLED


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class Coordinator:
    user: User
    first_start: date
    department: str
    commune: object  # coordinators.Commune
    schemes: list


@dataclass(eq=False)
class PlannedRegistration:
    person: User | None = None
    status: str = CONFIRMED
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    attended: bool | None = None
    excused: bool = False
    attendance_minutes: int | None = None
    checked_in_at: datetime | None = None
    guest: dict | None = None  # first_name, last_name, email, function, commune, invited_by
    invitation: dict | None = None  # created_at, invited_by (guests only)
    feedback: tuple | None = None  # (satisfaction, usefulness, comment)


@dataclass(eq=False)
class PlannedEvent:
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    organiser: str
    audiences: list
    offer: str  # key of data/learning/offers.yaml
    location: str = ""
    video_url: str = ""
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    departments: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    is_welcome_day: bool = False
    host: User | None = None
    preparation_notes: str = ""
    in_working_group: bool = False
    created_by: User | None = None
    created_at: datetime | None = None
    registrations: list = field(default_factory=list)
    spare_invitations: list = field(default_factory=list)  # dicts, never used


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def _working_day(day, weekdays):
    return (
        day.weekday() in weekdays
        and (day.month, day.day) not in HOLIDAYS
        and not (day.month == 8 and day.day <= 25)
        and not (day.month == 12 and day.day >= 22)
        and not (day.month == 1 and day.day <= 3)
    )


def _between(rng, start, end):
    """A moment of office hours (8 h to 20 h in Paris) between two aware datetimes."""
    minutes = max(0, int((end - start).total_seconds() // 60))
    moment = (start + timedelta(minutes=rng.randint(0, minutes))).astimezone(PARIS)
    if not 8 <= moment.hour < 20:
        moment = moment.replace(hour=rng.randint(8, 19))
    return max(start, min(end, moment))


def _postal_code(commune):
    codes = commune.postal_codes.replace(",", " ").split()
    return codes[0] if codes else f"{commune.department.code}000"


def _label(commune):
    return commune_label(commune.code_insee, commune.name)


def _organisers():
    data = loaders.agenda()
    return {
        data.webinars.organiser,
        data.days.regional_day.organiser,
        data.days.welcome_day.organiser,
        data.site_visits.organiser,
        data.boussole.organiser,
        data.departmental.matinales.organiser,
        data.departmental.workshops_95.organiser,
        data.departmental.renewal_93.organiser,
    }


class _Context:
    """What the plan is drawn from: organisations, accounts and the coordinators in post."""

    def __init__(self, today):
        self.today = today
        self.taken = set()
        self.midnight = _at(today, 0)
        short_names = sorted(_organisers())
        self.organisations = {
            o.short_name: o for o in Organisation.objects.filter(short_name__in=short_names)
        }
        missing = [name for name in short_names if name not in self.organisations]
        if missing:
            raise RuntimeError(
                "Structures absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
            )
        demo = [NEW_DEMO, EXPERIENCED_DEMO, STAFF_DEMO, CRPV95_DEMO, DD93_DEMO]
        self.accounts = {u.email: u for u in User.objects.filter(email__in=demo)}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.topics = {t.name: t for t in Topic.objects.all()}
        self.coordinators = self._coordinators()
        self.demo_ids = {self.accounts[e].pk for e in (NEW_DEMO, EXPERIENCED_DEMO) if e in self}

    def slot(self, offset, weekdays=(1, 3)):
        """The working day nearest `today + offset` days, moving away from today, on which no
        other demo event is planned yet (so that no two demo events overlap)."""
        day = self.today + timedelta(days=offset)
        step = 1 if offset > 0 else -1
        while not _working_day(day, weekdays) or day in self.taken:
            day += timedelta(days=step)
        self.taken.add(day)
        return day

    def __contains__(self, email):
        return email in self.accounts

    def _coordinators(self):
        first_start = dict(
            Tenure.objects.filter(person__isnull=False)
            .values_list("person")
            .annotate(first=Min("started_on"))
            .order_by()
        )
        tenures = (
            Tenure.objects.filter(ended_on__isnull=True, person__isnull=False)
            .select_related("person__coordinator_profile__commune__department")
            .prefetch_related("post__schemes__communes", "post__schemes__department")
            .order_by("person__email", "started_on", "pk")
        )
        coordinators = {}
        for tenure in tenures:
            person = tenure.person
            if person.pk in coordinators:
                continue
            schemes = sorted(tenure.post.schemes.all(), key=lambda s: (s.kind, s.name))
            if not schemes:
                continue
            profile = getattr(person, "coordinator_profile", None)
            commune = profile.commune if profile and profile.commune_id else None
            if commune is None:
                commune = min(schemes[0].communes.all(), key=lambda c: c.code_insee)
            coordinators[person.pk] = Coordinator(
                user=person,
                first_start=first_start[person.pk],
                department=schemes[0].department.code,
                commune=commune,
                schemes=schemes,
            )
        return sorted(coordinators.values(), key=lambda c: c.user.email)

    def organiser(self, name):
        return self.organisations[name]

    def account(self, email):
        return self.accounts.get(email)

    def coordinator(self, email):
        return next((c for c in self.coordinators if c.user.email == email), None)

    def in_post(self, day, *, department=None, exclude=()):
        """Coordinators in the network two weeks before `day`, demo accounts left out."""
        limit = day - timedelta(days=14)
        return [
            c
            for c in self.coordinators
            if c.first_start <= limit
            and c.user.pk not in self.demo_ids
            and c.user.pk not in exclude
            and (department is None or c.department == department)
        ]


def _registration_window(ctx, start, *, weeks=6, closes_days=1):
    opens = _at((start - timedelta(weeks=weeks)).date(), 9)
    closes = _at((start - timedelta(days=closes_days)).date(), 12)
    if start > ctx.midnight:  # upcoming events are open today
        opens = min(opens, ctx.midnight - timedelta(days=3, hours=15))
    return opens, closes


def _sign_ups(rng, ctx, event, people, *, cancelled=0, waitlisted=0):
    """Registrations of `people` (Users), in the order they came, some cancelled later."""
    start = min(event.registration_closes_at or event.starts_at, event.starts_at, ctx.midnight)
    opens = event.registration_opens_at or (event.starts_at - timedelta(weeks=4))
    moments = sorted(_between(rng, opens, start - timedelta(hours=1)) for _ in people)
    registrations = [
        PlannedRegistration(person=person, created_at=moment)
        for person, moment in zip(people, moments, strict=True)
    ]
    if waitlisted:
        for registration in registrations[-waitlisted:]:
            registration.status = WAITLISTED
    # The demo accounts keep their seat: the README tells what they are registered to.
    seated = [r for r in registrations if r.status == CONFIRMED and r.person.pk not in ctx.demo_ids]
    for registration in some(rng, seated, cancelled):
        registration.status = CANCELLED
        registration.cancelled_at = _between(rng, registration.created_at, start)
    return registrations


def _attendance(rng, event, registrations, present, *, excused=1, online, always=(), never=()):
    """Record who came to a past event: `present` of the confirmed, the rest absent."""
    seated = [r for r in registrations if r.status == CONFIRMED]
    forced = [r for r in seated if r.person is not None and r.person.pk in always]
    others = [r for r in seated if r not in forced and not (r.person and r.person.pk in never)]
    came = forced + some(rng, others, min(present, len(seated)) - len(forced))
    length = int((event.ends_at - event.starts_at).total_seconds() // 60)
    for registration in seated:
        registration.attended = registration in came
        if registration.attended:
            late = rng.choice([0, 0, 2, 5, 10, 20])
            registration.checked_in_at = event.starts_at + timedelta(minutes=late)
            if online:
                registration.attendance_minutes = rng.randint(35, min(90, length))
    absent = [r for r in seated if not r.attended]
    for registration in some(rng, absent, excused):
        registration.excused = True
    return came


def _feedback(rng, registrations, count, *, comments=0.5):
    texts = loaders.agenda().feedback.comments
    for registration in some(rng, registrations, count):
        satisfaction = rng.choices([2, 3, 4, 5], [1, 4, 11, 9])[0]
        usefulness = max(1, min(5, satisfaction + rng.choice([-1, 0, 0, 1])))
        comment = rng.choice(texts) if rng.random() < comments else ""
        registration.feedback = (satisfaction, usefulness, comment)


def _plan_webinars(rng, ctx):
    data = loaders.agenda().webinars
    staff = ctx.account(STAFF_DEMO)
    experienced = ctx.account(EXPERIENCED_DEMO)
    new = ctx.account(NEW_DEMO)
    past_count = sum(w.day < 0 for w in data.sessions)
    # The experienced demo coordinator came to five past webinars and missed a sixth.
    demo_attended = set(rng.sample(range(past_count), 6))
    demo_missed = max(demo_attended)
    feedback_on = set(rng.sample(range(past_count), 3))
    events = []
    for number, webinar in enumerate(data.sessions, start=1):
        day = ctx.slot(webinar.day)
        hour = rng.choice([10, 14])
        starts_at = _at(day, hour)
        event = PlannedEvent(
            kind=Event.Kind.WEBINAR,
            title=webinar.title,
            description=data.description(webinar),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            organiser=data.organiser,
            audiences=list(data.audiences),
            offer=webinar.offer,
            video_url=data.video_url.format(number=number),
            capacity=data.capacity,
            topics=list(webinar.topics),
            created_by=staff,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, starts_at
        )
        event.created_at = event.registration_opens_at - timedelta(days=rng.randint(2, 10))
        pool = [c.user for c in ctx.in_post(day)]
        index = number - 1
        if webinar.day < 0:
            people = some(rng, pool, rng.randint(20, 24))
            if experienced is not None and index in demo_attended:
                people[rng.randrange(len(people))] = experienced
            event.registrations = _sign_ups(
                rng, ctx, event, people, cancelled=rng.choice([0, 1, 1, 2])
            )
            always = {experienced.pk} if experienced and index != demo_missed else set()
            never = {experienced.pk} if experienced and index == demo_missed else set()
            came = _attendance(
                rng,
                event,
                event.registrations,
                rng.randint(10, 13),
                excused=rng.choice([1, 2]),
                online=True,
                always=always,
                never=never,
            )
            if index in feedback_on:
                _feedback(rng, came, rng.randint(5, 8))
        elif number == len(data.sessions) - 1:  # the story: nearly full, 23 seats taken of 25
            event.capacity = 25
            people = some(rng, pool, 23)
            if new is not None:
                people[rng.randrange(len(people))] = new
            people.append(rng.choice([p for p in pool if p not in people]))
            event.registrations = _sign_ups(rng, ctx, event, people, cancelled=1)
        else:  # the story: full, with a waitlist of three
            event.capacity = 20
            people = some(rng, pool, 23)
            event.registrations = _sign_ups(rng, ctx, event, people, waitlisted=3)
        events.append(event)
    return events


def _guest(rng, used_emails, commune, function):
    names = loaders.people().guests
    first = rng.choice(names.female if function.feminine else names.male)
    last = rng.choice(names.last)
    town = fold(_label(commune))
    base = f"{fold(first)}.{fold(last)}@ville-{town}.{names.email_domain}"
    email, number = base, 1
    while email in used_emails:
        number += 1
        email = base.replace("@", f"{number}@")
    used_emails.add(email)
    return {
        "first_name": first,
        "last_name": last,
        "email": email,
        "function": function.function,
        "commune": commune,
    }


def _guest_registration(event, guest, *, invited_by, invited_at, registered_at):
    return PlannedRegistration(
        guest={**guest, "invited_by": invited_by},
        created_at=min(registered_at, event.starts_at - timedelta(hours=1)),
        invitation={"created_at": invited_at, "invited_by": invited_by},
    )


def _one_off(data: loaders.OneOffEvent, kind, starts_at, ends_at, **fields):
    """A planned event of data/agenda: its text, organiser, audiences, place and seats."""
    return PlannedEvent(
        kind=kind,
        title=data.title,
        description=data.description(),
        starts_at=starts_at,
        ends_at=ends_at,
        organiser=data.organiser,
        audiences=list(data.audiences),
        offer=data.offer,
        location=data.location,
        capacity=data.capacity,
        departments=list(data.departments),
        topics=list(data.topics),
        **fields,
    )


def _plan_regional_days(rng, ctx):
    data = loaders.agenda().days
    guests = loaders.people().guests
    staff = ctx.account(STAFF_DEMO)
    events = []

    # The past regional day of all coordinators.
    day = ctx.slot(data.regional_day.day, weekdays=(3,))
    regional = _one_off(
        data.regional_day, Event.Kind.REGIONAL_DAY, _at(day, 9), _at(day, 17), created_by=staff
    )
    regional.registration_opens_at, regional.registration_closes_at = _registration_window(
        ctx, regional.starts_at, weeks=10, closes_days=7
    )
    regional.created_at = regional.registration_opens_at - timedelta(days=14)
    people = some(rng, [c.user for c in ctx.in_post(day)], 74)
    regional.registrations = _sign_ups(rng, ctx, regional, people, cancelled=4)
    came = _attendance(
        rng, regional, regional.registrations, rng.randint(53, 57), excused=4, online=False
    )
    _feedback(rng, came, 18)
    events.append(regional)

    # The upcoming welcome day of new coordinators, their hierarchy and elected officials.
    day = ctx.slot(data.welcome_day.day, weekdays=(1, 3))
    welcome = _one_off(
        data.welcome_day,
        Event.Kind.REGIONAL_DAY,
        _at(day, 9),
        _at(day, 17),
        is_welcome_day=True,
        created_by=staff,
    )
    welcome.registration_opens_at, welcome.registration_closes_at = _registration_window(
        ctx, welcome.starts_at, weeks=8, closes_days=5
    )
    welcome.created_at = welcome.registration_opens_at - timedelta(days=7)
    year_before = day - timedelta(days=365)
    newcomers = [
        c for c in ctx.coordinators if c.first_start > year_before and c.user.pk not in ctx.demo_ids
    ]
    chosen = some(rng, newcomers, 16)
    new = ctx.coordinator(NEW_DEMO)
    if new is not None:
        chosen.insert(rng.randrange(len(chosen) + 1), new)
    welcome.registrations = _sign_ups(rng, ctx, welcome, [c.user for c in chosen])
    # Some of them invited their manager or their elected official, who registered.
    used_emails = set()
    functions = guests.hierarchy + guests.elected
    for coordinator in some(rng, chosen, 9):
        guest = _guest(rng, used_emails, coordinator.commune, rng.choice(functions))
        invited_at = _between(rng, welcome.registration_opens_at, ctx.midnight - timedelta(days=2))
        registered_at = _between(rng, invited_at, ctx.midnight - timedelta(hours=1))
        welcome.registrations.append(
            _guest_registration(
                welcome,
                guest,
                invited_by=coordinator.user,
                invited_at=invited_at,
                registered_at=registered_at,
            )
        )
    # Two invitations nobody used yet, sent while registration is open.
    for coordinator in some(rng, chosen, 2):
        guest = _guest(rng, used_emails, coordinator.commune, rng.choice(guests.elected))
        since = max(ctx.midnight - timedelta(days=10), welcome.registration_opens_at)
        invited_at = _between(rng, since, ctx.midnight)
        welcome.spare_invitations.append(
            {
                **{k: v for k, v in guest.items() if k != "commune"},
                "invited_by": coordinator.user,
                "created_at": invited_at,
            }
        )
    welcome.registrations.sort(key=lambda r: r.created_at)
    events.append(welcome)
    return events


def _pick_people(rng, ctx):
    """Hosts of the site visits (named in their titles) and members of the Boussole group.

    They are drawn first, from the whole list of coordinators in post, so that they do not
    depend on the dates (seeding again on another day finds the same titles).
    """
    order = list(ctx.coordinators)
    rng.shuffle(order)
    order = [c for c in order if c.user.pk not in ctx.demo_ids]
    experienced = ctx.coordinator(EXPERIENCED_DEMO)

    hosts, departments = [], set()
    if experienced is not None:
        hosts.append((experienced, Scheme.Kind.CLSM))
        departments.add(experienced.department)
    veterans = [c for c in order if c.first_start <= ctx.today - timedelta(days=4 * 365)]
    for kind in [Scheme.Kind.CLS, Scheme.Kind.ASV, Scheme.Kind.CLS, Scheme.Kind.CLSM]:
        if len(hosts) == 4:
            break
        for coordinator in veterans:
            if (
                kind in {s.kind for s in coordinator.schemes}
                and coordinator.department not in departments
            ):
                hosts.append((coordinator, kind))
                departments.add(coordinator.department)
                break

    members, departments = [], set()
    if experienced is not None:
        members.append(experienced)
        departments.add(experienced.department)
    taken = {h.user.pk for h, _ in hosts}
    for coordinator in order:  # experienced coordinators of five other départements
        if len(members) == 6:
            break
        if (
            coordinator.first_start <= ctx.today - timedelta(days=3 * 365)
            and coordinator.department not in departments
            and coordinator.user.pk not in taken
        ):
            members.append(coordinator)
            departments.add(coordinator.department)
    return hosts, members


def _plan_site_visits(rng, ctx, hosts):
    data = loaders.agenda().site_visits
    staff = ctx.account(STAFF_DEMO)
    events = []
    for (host, kind), offset in zip(hosts, data.days, strict=False):
        scheme = next(s for s in host.schemes if s.kind == kind)
        visit = data.by_kind[kind]
        commune = host.commune
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        hour = rng.choice([9, 14])
        starts_at = _at(day, hour, 30 if hour == 9 else 0)
        place = f"{rng.choice(data.places)}, {rng.randint(2, 48)} {rng.choice(data.streets)}"
        hosted_by = data.hosted_by.format(host=host.user.get_full_name(), scheme=scheme.name)
        event = PlannedEvent(
            kind=Event.Kind.SITE_VISIT,
            title=data.title.format(
                article=visit.article, of_commune=of(_label(commune)), theme=visit.theme
            ),
            description=loaders.markdown(
                f"{visit.introduction}\n\n{hosted_by}", data.heading, data.programme
            ),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            organiser=data.organiser,
            audiences=list(data.audiences),
            offer=data.offer,
            location=f"{place}, {_postal_code(commune)} {_label(commune)}",
            capacity=data.capacity,
            departments=[],
            host=host.user,
            preparation_notes="\n".join(f"- {note}" for note in visit.preparation),
            created_by=staff,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, starts_at, weeks=6, closes_days=3
        )
        event.created_at = event.registration_opens_at - timedelta(days=5)
        candidates = ctx.in_post(day, exclude={host.user.pk})
        weights = [
            (3 if c.department == host.department else 1)
            * (2 if c.first_start > day - timedelta(days=730) else 1)
            for c in candidates
        ]
        if offset < 0:
            people = weighted_sample(rng, candidates, weights, rng.randint(8, 12))
            event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
            seated = len(event.registrations)
            _attendance(
                rng,
                event,
                event.registrations,
                seated - rng.randint(0, 2),
                excused=1,
                online=False,
            )
        else:
            people = weighted_sample(rng, candidates, weights, rng.randint(8, 10))
            event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
        events.append(event)
    return events


def _plan_boussole(rng, ctx, members):
    """The working group: 6 coordinators (the experienced demo one among them) + 1 CRPV."""
    data = loaders.agenda().boussole
    people = [c.user for c in members]
    crpv = ctx.account(CRPV95_DEMO)
    if crpv is not None:
        people.append(crpv)

    staff = ctx.account(STAFF_DEMO)
    events = []
    first_start = None
    for number, meeting in enumerate(data.meetings, start=1):
        day = ctx.slot(meeting.day, weekdays=(0, 1, 2, 3, 4))
        online = number in (2, 4)
        starts_at = _at(day, 14) if online else _at(day, 9, 30)
        first_start = first_start or starts_at
        event = PlannedEvent(
            kind=Event.Kind.WORKING_GROUP,
            title=data.meeting_title.format(number=number, topic=meeting.topic),
            description=data.meeting_description.format(number=number, count=len(data.meetings)),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2, minutes=30),
            organiser=data.organiser,
            audiences=list(data.audiences),
            offer=data.offer,
            location="" if online else data.room,
            video_url=data.video_url.format(number=number) if online else "",
            capacity=len(people),
            # Members are registered for the whole series: the list is closed to others.
            registration_opens_at=first_start - timedelta(days=30),
            registration_closes_at=first_start - timedelta(days=1),
            in_working_group=True,
            created_by=staff,
            created_at=first_start - timedelta(days=40),
        )
        event.registrations = [
            PlannedRegistration(person=person, created_at=first_start - timedelta(days=14))
            for person in people
        ]
        if meeting.day < 0:
            _attendance(
                rng,
                event,
                event.registrations,
                len(people) - rng.choice([0, 1, 1, 2]),
                excused=2,
                online=online,
            )
        events.append(event)
    return events, people


def _plan_departmental(rng, ctx):
    data = loaders.agenda().departmental
    guests = loaders.people().guests
    events = []
    crpv95 = ctx.account(CRPV95_DEMO)
    dd93 = ctx.account(DD93_DEMO)
    experienced = ctx.account(EXPERIENCED_DEMO)
    communes_93 = sorted(
        {c.commune.pk: c.commune for c in ctx.coordinators if c.department == "93"}.values(),
        key=lambda c: c.code_insee,
    )
    used_emails = set()

    def planned(series, session, starts_at, ends_at, **fields):
        return PlannedEvent(
            title=session.title,
            description=series.description(session),
            starts_at=starts_at,
            ends_at=ends_at,
            organiser=series.organiser,
            audiences=list(series.audiences),
            offer=series.offer,
            location=series.location,
            capacity=series.capacity,
            departments=list(series.departments),
            topics=list(session.topics or series.topics),
            **fields,
        )

    # CRPV 93: the « matinales » of elected officials, one past, one upcoming.
    matinales = data.matinales
    for session in matinales.sessions:
        offset = session.day
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        event = planned(
            matinales, session, _at(day, 8, 30), _at(day, 10, 30), kind=Event.Kind.ELECTED_MEETING
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, event.starts_at, weeks=5, closes_days=2
        )
        event.created_at = event.registration_opens_at - timedelta(days=3)
        coordinators = some(rng, ctx.in_post(day, department="93"), 6 if offset < 0 else 4)
        event.registrations = _sign_ups(rng, ctx, event, [c.user for c in coordinators])
        last = min(event.registration_closes_at, ctx.midnight) - timedelta(hours=2)
        for commune in some(rng, communes_93, 10 if offset < 0 else 4):
            guest = _guest(rng, used_emails, commune, rng.choice(guests.elected))
            invited_at = _between(rng, event.registration_opens_at, last - timedelta(days=2))
            event.registrations.append(
                _guest_registration(
                    event,
                    guest,
                    invited_by=None,
                    invited_at=invited_at,
                    registered_at=_between(rng, invited_at, last),
                )
            )
        event.registrations.sort(key=lambda r: r.created_at)
        if offset < 0:
            seated = len(event.registrations)
            _attendance(rng, event, event.registrations, seated - rng.randint(3, 4), online=False)
        events.append(event)

    # CRPV 95: workshops of the Val-d'Oise network, one past, one upcoming.
    workshops = data.workshops_95
    for session in workshops.sessions:
        offset = session.day
        day = ctx.slot(offset, weekdays=(1, 2, 3, 4))
        event = planned(
            workshops,
            session,
            _at(day, 14),
            _at(day, 17),
            kind=Event.Kind.DEPARTMENTAL,
            created_by=crpv95,
        )
        event.registration_opens_at, event.registration_closes_at = _registration_window(
            ctx, event.starts_at, weeks=5, closes_days=2
        )
        event.created_at = event.registration_opens_at - timedelta(days=3)
        pool = [c.user for c in ctx.in_post(day, department="95")]
        people = some(rng, pool, 9 if offset < 0 else 6)
        if offset < 0 and experienced is not None:
            people.insert(rng.randrange(len(people) + 1), experienced)
        event.registrations = _sign_ups(rng, ctx, event, people)
        if offset < 0:
            seated = len(event.registrations)
            _attendance(
                rng,
                event,
                event.registrations,
                seated - rng.randint(1, 2),
                online=False,
                always={experienced.pk} if experienced else (),
            )
        events.append(event)

    # ARS DD 93: an information session for the CLS up for renewal.
    renewal = data.renewal_93
    day = ctx.slot(renewal.day, weekdays=(1, 2, 3, 4))
    event = _one_off(
        renewal, Event.Kind.DEPARTMENTAL, _at(day, 9, 30), _at(day, 12, 30), created_by=dd93
    )
    event.registration_opens_at, event.registration_closes_at = _registration_window(
        ctx, event.starts_at, weeks=6, closes_days=3
    )
    event.created_at = event.registration_opens_at - timedelta(days=4)
    horizon = ctx.today + timedelta(days=540)
    renewing = [
        c
        for c in ctx.in_post(ctx.today, department="93")
        if any(
            s.kind == Scheme.Kind.CLS
            and (s.status == Scheme.Status.RENEWING or (s.ends_on and s.ends_on <= horizon))
            for s in c.schemes
        )
    ]
    if len(renewing) < 4:
        renewing = [
            c
            for c in ctx.in_post(ctx.today, department="93")
            if any(s.kind == Scheme.Kind.CLS for s in c.schemes)
        ]
    people = some(rng, renewing, 8)
    event.registrations = _sign_ups(rng, ctx, event, [c.user for c in people])
    events.append(event)
    return events


def plan_events(ctx):
    """Every demo event with its registrations, in memory; the same plan for the same data."""
    rng = random.Random(SEED)
    hosts, members = _pick_people(rng, ctx)
    events = _plan_webinars(rng, ctx)
    events += _plan_regional_days(rng, ctx)
    events += _plan_site_visits(rng, ctx, hosts)
    meetings, members = _plan_boussole(rng, ctx, members)
    events += meetings
    events += _plan_departmental(rng, ctx)
    return events, members


# --- Writing it -------------------------------------------------------------------------------


def _working_group(ctx, members):
    """The Boussole group and its members. Members are added directly: `working_group_join`
    is what a person does to join today (it registers them to the upcoming meetings and
    e-mails them); the group was formed before its first meeting (history.py)."""
    data = loaders.agenda().boussole
    group, created = WorkingGroup.objects.get_or_create(
        name=data.name,
        defaults={"description": data.description, "organiser": ctx.organiser(data.organiser)},
    )
    if created or not group.members.exists():
        group.members.set(members)
    return group


def _offers(planned):
    """{key: Offer} of the catalogue offers the planned events are sessions of."""
    titles = {p.offer: loaders.learning().offer(p.offer).title for p in planned}
    offers = {o.title: o for o in Offer.objects.filter(title__in=titles.values())}
    missing = sorted(set(titles.values()) - set(offers))
    if missing:
        raise RuntimeError(
            "Offres absentes (" + ", ".join(missing) + ") : lancez d'abord seed_demo."
        )
    return {key: offers[title] for key, title in titles.items()}


def _write_events(ctx, planned, group):
    """Each event through `event_save`, a session of its offer, then dated."""
    offers = _offers(planned)
    events = []
    for p in planned:
        event = Event(
            kind=p.kind,
            title=p.title,
            description=p.description,
            is_welcome_day=p.is_welcome_day,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            location=p.location,
            video_url=p.video_url,
            capacity=p.capacity,
            registration_opens_at=p.registration_opens_at,
            registration_closes_at=p.registration_closes_at,
            audiences=[str(a) for a in p.audiences],
            organiser=ctx.organiser(p.organiser),
            working_group=group if p.in_working_group else None,
            host=p.host,
            preparation_notes=p.preparation_notes,
            created_by=p.created_by,
        )
        events.append(
            agenda_services.event_save(
                event=event,
                departments=[ctx.departments[code] for code in p.departments],
                topics=[ctx.topics[name] for name in p.topics if name in ctx.topics],
                extra={"offer": offers[p.offer]},
            )
        )
    history.backdate(
        Event,
        "created_at",
        [
            (event, plan.created_at or plan.starts_at - timedelta(days=45))
            for event, plan in zip(events, planned, strict=True)
        ],
    )
    return events


def _write_registrations(ctx, events, planned):
    """Registrations, attendance and invitations as history; feedback through its service."""
    rows, plans = [], []
    for event, plan in zip(events, planned, strict=True):
        for r in plan.registrations:
            guest = r.guest or {}
            rows.append(
                Registration(
                    event=event,
                    person=r.person,
                    first_name=guest.get("first_name", ""),
                    last_name=guest.get("last_name", ""),
                    email=guest.get("email", ""),
                    function=guest.get("function", ""),
                    commune=guest.get("commune"),
                    invited_by=guest.get("invited_by"),
                    status=r.status,
                    excused=r.excused,
                    attended=r.attended,
                    checked_in_at=r.checked_in_at,
                    attendance_minutes=r.attendance_minutes,
                    cancelled_at=r.cancelled_at,
                    created_at=r.created_at,
                )
            )
            plans.append(r)

    # Invitations are sent before the guests register through them.
    invited = [(row, plan) for row, plan in zip(rows, plans, strict=True) if plan.invitation]
    planned_invitations = [
        GuestInvitation(
            event=row.event,
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            function=row.function,
            invited_by=plan.invitation["invited_by"],
            created_at=plan.invitation["created_at"],
        )
        for row, plan in invited
    ]
    for event, plan in zip(events, planned, strict=True):
        for spare in plan.spare_invitations:
            planned_invitations.append(GuestInvitation(event=event, **spare))
    invitations = history.invitations_record(planned_invitations)
    history.registrations_record(rows, now=ctx.midnight)
    history.invitations_used(
        [
            (invitation, row)
            for invitation, (row, _) in zip(invitations[: len(invited)], invited, strict=True)
        ]
    )

    feedback = []
    for row, plan in zip(rows, plans, strict=True):
        if plan.feedback:
            satisfaction, usefulness, comment = plan.feedback
            given = agenda_services.feedback_submit(
                registration=row, satisfaction=satisfaction, usefulness=usefulness, comment=comment
            )
            feedback.append((given, row.event.ends_at + timedelta(hours=2)))
    history.backdate(Feedback, "created_at", feedback)


@transaction.atomic
def seed_events(*, today=None):
    """Idempotent: only the demo events missing from the agenda are written, with their
    registrations, invitations and feedback. Returns the counts of the agenda."""
    today = today or timezone.localdate()
    ctx = _Context(today)
    planned, members = plan_events(ctx)
    group = _working_group(ctx, members)
    # An event is there when its title and start are. An event of the same title on another
    # date counts too: seeding again on a later day must not add a copy shifted by a few days.
    titles = {p.title for p in planned}
    existing = set(Event.objects.filter(title__in=titles).values_list("title", flat=True))
    missing = [p for p in planned if p.title not in existing]
    events = _write_events(ctx, missing, group)
    _write_registrations(ctx, events, missing)
    return event_counts()


def event_counts():
    """What the agenda holds, in the words of the other seed functions."""
    kinds = dict(Event.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    active = Registration.objects.exclude(status=CANCELLED)
    return {
        "événements": sum(kinds.values()),
        "webinaires": kinds.get(Event.Kind.WEBINAR, 0),
        "journées régionales": kinds.get(Event.Kind.REGIONAL_DAY, 0),
        "visites de site": kinds.get(Event.Kind.SITE_VISIT, 0),
        "réunions de groupes de travail": kinds.get(Event.Kind.WORKING_GROUP, 0),
        "rencontres avec les élu·es": kinds.get(Event.Kind.ELECTED_MEETING, 0),
        "ateliers départementaux": kinds.get(Event.Kind.DEPARTMENTAL, 0),
        "groupes de travail": WorkingGroup.objects.count(),
        "inscriptions": active.count(),
        "inscriptions en liste d'attente": active.filter(status=WAITLISTED).count(),
        "présences": Registration.objects.filter(attended=True).count(),
        "invité·es inscrit·es": active.filter(person__isnull=True).count(),
        "invitations d'invité·es": GuestInvitation.objects.count(),
        "avis": Feedback.objects.count(),
    }
