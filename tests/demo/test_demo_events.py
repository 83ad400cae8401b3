"""The demo agenda: a year of events with the figures of SPEC §1, idempotent and fast."""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from agenda.models import Event, Feedback, GuestInvitation, Registration, WorkingGroup
from agenda.services import registration_closed_reason
from demo.events import BOUSSOLE, WELCOME_DAY, _Context, plan_events, seed_events
from demo.notifications import TOUR

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
ACTIVE = Registration.ACTIVE
SEATED = Registration.SEATED


@pytest.fixture
def seeded(demo_seeded):
    # `seed_demo` seeded the agenda: seed_events must then change nothing.
    # The notifications demo adds a short webinar an hour away (tests/notifications/test_demo.py).
    Event.objects.filter(title=TOUR).delete()
    started = time.perf_counter()
    counts = seed_events()
    return counts, time.perf_counter() - started


def of_the_year():
    """The events of `seed_events` (the year around today): the dashboards' seed adds those of
    the two years before, titled "… (2025)", "… (automne 2024)", "… (printemps 2026)"."""
    return Event.objects.exclude(title__regex=r" \((printemps |automne )?[0-9]{4}\)$")


def active(event):
    return event.registrations.filter(status__in=ACTIVE)


def past_webinars():
    return of_the_year().filter(kind=Event.Kind.WEBINAR, ends_at__lt=timezone.now())


def test_a_year_of_events_of_each_kind(seeded):
    counts, _ = seeded
    assert counts["webinaires"] == Event.objects.filter(kind=Event.Kind.WEBINAR).count()
    year = dict(of_the_year().values_list("kind").annotate(n=Count("pk")).order_by())
    assert year[Event.Kind.WEBINAR] == 10
    assert year[Event.Kind.REGIONAL_DAY] == 2
    assert year[Event.Kind.SITE_VISIT] == 4
    assert year[Event.Kind.WORKING_GROUP] == 5
    assert all(isinstance(label, str) and isinstance(n, int) for label, n in counts.items())

    now = timezone.now()
    starts = sorted(of_the_year().values_list("starts_at", flat=True))
    assert now - timedelta(days=300) < starts[0] < now - timedelta(days=240)
    assert now + timedelta(days=30) < starts[-1] < now + timedelta(days=100)
    assert Event.objects.filter(starts_at__gt=now).count() >= 8


def test_regional_days_one_of_them_the_welcome_day_with_guests(seeded):
    now = timezone.now()
    days = of_the_year().filter(kind=Event.Kind.REGIONAL_DAY)
    regional = days.get(is_welcome_day=False)
    assert regional.title.startswith("Journée régionale des coordinateurs")
    assert regional.ends_at < now and regional.capacity == 120
    assert 65 <= active(regional).count() <= 75
    assert 50 <= regional.registrations.filter(attended=True).count() <= 60
    assert regional.registrations.filter(feedback__isnull=False, attended=True).count() > 10

    welcome = days.get(is_welcome_day=True)
    assert welcome.title == WELCOME_DAY
    assert welcome.starts_at > now
    assert {"newcomers", "guests"} <= set(welcome.audiences)
    guests = active(welcome).filter(person__isnull=True)
    assert guests.count() >= 5
    for guest in guests:
        assert guest.first_name and guest.last_name and guest.email and guest.function
        assert guest.commune is not None and guest.invited_by is not None
        assert guest.invitation.used_at is not None
    functions = set(guests.values_list("function", flat=True))
    assert any("maire" in f or "municipal" in f for f in functions)
    assert active(welcome).filter(person__isnull=False).count() >= 10
    unused = GuestInvitation.objects.filter(event=welcome, used_at__isnull=True)
    assert unused.count() >= 2
    assert all(i.expires_at == welcome.ends_at for i in unused)  # the link lasts the event


def test_site_visits_are_hosted_at_the_host_scheme(seeded):
    visits = Event.objects.filter(kind=Event.Kind.SITE_VISIT).select_related("host")
    assert visits.count() == 4
    assert len({v.host_id for v in visits}) == 4
    for visit in visits:
        profile = visit.host.coordinator_profile
        assert visit.host.tenures.filter(ended_on__isnull=True).exists()
        assert visit.location.endswith(profile.commune.name) or "Paris" in visit.location
        assert visit.preparation_notes and visit.capacity == 12
        people = active(visit)
        assert 8 <= people.count() <= 12
        assert not people.filter(person=visit.host).exists()


def test_the_boussole_working_group_and_its_meetings(seeded):
    group = WorkingGroup.objects.get(name=BOUSSOLE)
    assert group.organiser.short_name == "PromoSanté IdF"
    members = set(group.members.all())
    assert len(members) == 7
    crpv = User.objects.get(email="crpv95@demo.example.org")
    assert crpv in members
    coordinators = [m for m in members if m.tenures.filter(ended_on__isnull=True).exists()]
    assert len(coordinators) == 6
    meetings = group.meetings.all()
    assert meetings.count() == 5
    assert set(meetings.values_list("kind", flat=True)) == {Event.Kind.WORKING_GROUP}
    assert meetings.filter(starts_at__lt=timezone.now()).exists()
    assert meetings.filter(starts_at__gt=timezone.now()).exists()
    for meeting in meetings:
        assert {r.person for r in active(meeting)} == members


def test_departmental_events_of_the_crpv_and_the_dd(seeded):
    departmental = of_the_year().filter(departments__isnull=False)
    matinale = departmental.filter(
        kind=Event.Kind.ELECTED_MEETING, departments__code="93", organiser__short_name="CRPV 93"
    )
    assert matinale.exists()
    assert Registration.objects.filter(event__in=matinale, person__isnull=True).exists()
    assert departmental.filter(departments__code="95", organiser__short_name="CRPV 95").exists()
    renewal = departmental.get(organiser__short_name="ARS DD 93")
    assert "cls_renewal" in renewal.audiences
    assert list(renewal.departments.values_list("code", flat=True)) == ["93"]
    for event in departmental:  # a departmental offer is published by a partner of its area
        covered = set(event.organiser.departments.values_list("code", flat=True))
        assert set(event.departments.values_list("code", flat=True)) <= covered
    assert departmental.filter(starts_at__gt=timezone.now()).count() >= 3


def test_past_webinars_have_22_registered_and_10_to_13_connected(seeded):
    webinars = past_webinars()
    assert webinars.count() == 8
    for webinar in webinars:
        assert webinar.video_url.startswith("https://visio.example.org/webinaire-")
        assert 18 <= active(webinar).count() <= 26
        present = webinar.registrations.filter(attended=True)
        assert 10 <= present.count() <= 13
        assert all(35 <= r.attendance_minutes <= 90 for r in present)
        confirmed = webinar.registrations.filter(status=Registration.Status.CONFIRMED)
        assert not confirmed.filter(attended__isnull=True).exists()
        cancelled = webinar.registrations.filter(status=Registration.Status.CANCELLED)
        assert not cancelled.exclude(attended__isnull=True).exists()
        assert all(r.cancelled_at < webinar.starts_at for r in cancelled)
        assert all(r.created_at < webinar.starts_at for r in webinar.registrations.all())
    registrations = Registration.objects.filter(event__in=webinars)
    assert registrations.filter(excused=True, attended=False).count() >= 8
    assert registrations.filter(status=Registration.Status.CANCELLED).exists()
    with_feedback = webinars.filter(registrations__feedback__isnull=False).distinct()
    assert 2 <= with_feedback.count() <= 4
    assert not Feedback.objects.exclude(registration__attended=True).exists()
    assert Feedback.objects.filter(satisfaction__range=(1, 5)).count() == Feedback.objects.count()


def test_upcoming_events_are_open_with_one_nearly_full_and_one_waitlist(seeded):
    now = timezone.now()
    open_now = Event.objects.filter(
        starts_at__gt=now, registration_opens_at__lte=now, registration_closes_at__gt=now
    )
    assert open_now.count() >= 6
    assert open_now.filter(kind=Event.Kind.WEBINAR).count() == 2
    assert open_now.filter(is_welcome_day=True).exists()
    assert open_now.filter(kind=Event.Kind.SITE_VISIT).exists()
    assert open_now.filter(departments__isnull=False).exists()
    assert not Registration.objects.filter(event__starts_at__gt=now, attended__isnull=False)

    nearly_full = open_now.get(kind=Event.Kind.WEBINAR, capacity=25)
    assert 21 <= nearly_full.registrations.filter(status__in=SEATED).count() < 25
    waitlist = Event.objects.annotate(
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted"))
    ).filter(waiting__gt=0)
    assert list(waitlist.values_list("capacity", "waiting")) == [(20, 3)]
    full = waitlist.get()
    assert full.registrations.filter(status=Registration.Status.CONFIRMED).count() == 20
    first_waiting = full.registrations.filter(status="waitlisted").order_by("created_at").first()
    last_seated = full.registrations.filter(status="confirmed").order_by("created_at").last()
    assert last_seated.created_at <= first_waiting.created_at


def test_every_registration_and_invitation_was_made_while_the_event_was_open(seeded):
    """What `event_register`, `guest_invite` and `registration_cancel` require, at the moment
    each was done; and every event is a session of its catalogue offer."""
    for registration in Registration.objects.select_related("event"):
        event = registration.event
        assert registration_closed_reason(event, now=registration.created_at) is None, event
        if registration.person_id is None:
            assert Event.Audience.GUESTS in event.audiences
        if registration.status == Registration.Status.CANCELLED:
            assert registration.created_at <= registration.cancelled_at < event.starts_at
        if registration.attended is not None:
            assert registration.status == Registration.Status.CONFIRMED
            assert event.starts_at < timezone.now()
    for invitation in GuestInvitation.objects.select_related("event"):
        event = invitation.event
        assert Event.Audience.GUESTS in event.audiences
        assert registration_closed_reason(event, now=invitation.created_at) is None, event
        assert invitation.expires_at == event.ends_at
        if invitation.used_at:
            assert invitation.created_at <= invitation.used_at == invitation.registration.created_at
    # Tutoring sessions are the pairs' own, outside the catalogue.
    sessions = Event.objects.exclude(kind=Event.Kind.TUTORING)
    assert not sessions.filter(offer_session__isnull=True).exists()


def test_capacity_is_never_exceeded(seeded):
    events = Event.objects.annotate(
        seated=Count("registrations", filter=Q(registrations__status__in=SEATED))
    )
    assert events.filter(capacity__isnull=False).count() == Event.objects.count()
    for event in events:
        assert event.seated <= event.capacity, event.title


def test_the_demo_coordinators_have_their_agenda(seeded):
    now = timezone.now()
    new = User.objects.get(email="coordinatrice@demo.example.org")
    mine = Registration.objects.filter(person=new, status=Registration.Status.CONFIRMED)
    assert mine.filter(event__is_welcome_day=True, event__starts_at__gt=now).count() == 1
    assert mine.filter(event__kind=Event.Kind.WEBINAR, event__starts_at__gt=now).count() == 1
    assert not Registration.objects.filter(person=new, event__starts_at__lt=now).exists()

    experienced = User.objects.get(email="coordinateur@demo.example.org")
    attended = Registration.objects.filter(
        person=experienced, attended=True, event__in=past_webinars()
    )
    assert attended.count() >= 3
    assert experienced.working_groups.filter(name=BOUSSOLE).exists()


def test_local_times_of_such_events(seeded):
    for event in Event.objects.all():
        assert timezone.is_aware(event.starts_at)
        start = event.starts_at.astimezone(PARIS)
        end = event.ends_at.astimezone(PARIS)
        assert start.date() == end.date() and start.weekday() < 5, event.title
        if event.kind == Event.Kind.WEBINAR:
            assert (start.hour, start.minute) in {(10, 0), (14, 0)}
            assert end - start == timedelta(minutes=90)
        elif event.kind == Event.Kind.REGIONAL_DAY:
            assert (start.hour, end.hour) == (9, 17)
        else:
            assert start.hour >= 8 and end.hour <= 18, event.title
    # No two events of the agenda on one day (tutoring sessions are the pairs' own).
    agenda = Event.objects.exclude(kind=Event.Kind.TUTORING)
    starts = list(agenda.values_list("starts_at", flat=True))
    assert len({s.astimezone(PARIS).date() for s in starts}) == len(starts)


def snapshot():
    return {
        "events": sorted(
            Event.objects.values_list(
                "title", "kind", "starts_at", "ends_at", "capacity", "location", "host_id"
            )
        ),
        "registrations": sorted(
            Registration.objects.values_list(
                "event__title",
                "person_id",
                "email",
                "status",
                "attended",
                "excused",
                "attendance_minutes",
                "created_at",
            ),
            key=repr,
        ),
        "invitations": sorted(
            GuestInvitation.objects.values_list("event__title", "email", "used_at"), key=repr
        ),
        "feedback": sorted(
            Feedback.objects.values_list("registration_id", "satisfaction", "usefulness")
        ),
        "members": sorted(WorkingGroup.members.through.objects.values_list("user_id", flat=True)),
        "departments": Event.departments.through.objects.count(),
        "topics": Event.topics.through.objects.count(),
    }


def test_seeding_is_idempotent_deterministic_fast_and_sends_nothing(seeded, mailoutbox):
    counts, duration = seeded
    assert duration < 10
    before = snapshot()
    assert seed_events() == counts
    assert snapshot() == before
    # On a later day, the year is not seeded a second time.
    assert seed_events(today=timezone.localdate() + timedelta(days=3)) == counts
    assert snapshot() == before
    assert mailoutbox == []

    def plan():
        events, members = plan_events(_Context(timezone.localdate()))
        return [
            (e.title, e.starts_at, [(r.person and r.person.pk, r.status) for r in e.registrations])
            for e in events
        ], [m.pk for m in members]

    assert plan() == plan()


@pytest.mark.parametrize("shift", [75, 160, 250])
def test_seeding_works_in_any_season(shift, demo_seeded):
    """Summer and Christmas holidays, clock changes: the year is still complete and plausible."""
    Event.objects.all().delete()  # in case seed_demo already seeded the agenda of today
    today = timezone.localdate() + timedelta(days=shift)
    counts = seed_events(today=today)
    assert counts["webinaires"] == 10 and counts["visites de site"] == 4
    assert counts["journées régionales"] == 2 and counts["réunions de groupes de travail"] == 5
    for event in Event.objects.annotate(
        seated=Count("registrations", filter=Q(registrations__status__in=SEATED))
    ):
        start = event.starts_at.astimezone(PARIS)
        assert today - timedelta(days=300) < start.date() < today + timedelta(days=100)
        assert start.weekday() < 5 and not (start.month == 8 and start.day < 20)
        assert (start.month, start.day) not in {(12, 25), (1, 1), (5, 1), (7, 14), (11, 11)}
        assert event.seated <= event.capacity
        if event.kind == Event.Kind.WEBINAR:
            assert (start.hour, start.minute) in {(10, 0), (14, 0)}
        if start.date() > today:
            assert not event.registrations.filter(attended__isnull=False).exists()
        else:
            assert event.registrations.filter(attended=True).exists()
