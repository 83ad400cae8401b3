"""Registrations: one click, capacity, waitlist and its promotion, guests, changes."""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from agenda import services
from agenda.models import Event, GuestInvitation, Registration
from tests.factories import EventFactory, UserFactory, commune, in_days

pytestmark = pytest.mark.django_db

Status = Registration.Status


def register_many(event, count):
    return [services.event_register(event=event, person=UserFactory()) for _ in range(count)]


def test_one_click_registration_and_confirmation_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.event_register(event=event, person=person)
    assert registration.status == Status.CONFIRMED
    message = mailoutbox[0]
    assert message.to == [person.email]
    assert "Inscription confirmée" in message.subject
    assert "https://visio.example.org/webinaire" in message.body  # the link, for the registered
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"


def test_full_event_puts_people_on_the_waitlist_in_order(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third, fourth = register_many(event, 4)
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert "liste d'attente" in mailoutbox[2].body
    assert "visio.example.org" not in mailoutbox[2].body  # no link for the waitlist

    services.registration_cancel(registration=second)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Status.OFFERED
    assert third.offered_until is not None
    assert fourth.status == Status.WAITLISTED
    services.offer_accept(registration=third)
    third.refresh_from_db()
    assert third.status == Status.CONFIRMED


def test_an_unanswered_offer_passes_to_the_next_person():
    event = EventFactory(capacity=1, starts_at=in_days(10))
    first, second, third = register_many(event, 3)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    with time_machine.travel(second.offered_until + datetime.timedelta(minutes=1)):
        services.waitlist_refresh(event=event)
        with pytest.raises(services.EventError, match="délai"):
            services.offer_accept(registration=second)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert third.status == Status.OFFERED


def test_close_to_the_event_a_freed_seat_is_given_directly():
    event = EventFactory(capacity=1, starts_at=timezone.now() + datetime.timedelta(hours=1))
    first, second = register_many(event, 2)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.CANCELLED}, "annulé"),
        ({"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)}, "closes"),
        ({"registration_opens_at": in_days(3)}, "ouvrent le"),
        (
            {
                "starts_at": timezone.now() - datetime.timedelta(minutes=5),
                "ends_at": timezone.now() + datetime.timedelta(hours=1),
            },
            "déjà commencé",
        ),
    ],
)
def test_closed_registration_is_refused(changes, message):
    event = EventFactory(**changes)
    with pytest.raises(services.EventError, match=message):
        services.event_register(event=event, person=UserFactory())
    assert not Registration.objects.exists()


def test_double_registration_is_refused():
    event = EventFactory()
    person = UserFactory()
    services.event_register(event=event, person=person)
    with pytest.raises(services.EventError, match="déjà inscrit"):
        services.event_register(event=event, person=person)
    assert Registration.objects.count() == 1


def test_registering_again_after_cancelling_is_allowed():
    event = EventFactory()
    person = UserFactory()
    registration = services.event_register(event=event, person=person)
    services.registration_cancel(registration=registration)
    again = services.event_register(event=event, person=person)
    assert again.status == Status.CONFIRMED


def test_capacity_cannot_go_below_the_seats_taken():
    event = EventFactory(capacity=5)
    register_many(event, 4)
    event.capacity = 3
    with pytest.raises(services.EventError, match="4 personnes ont déjà une place"):
        services.event_save(event=event, departments=[], topics=[])
    event.refresh_from_db()
    assert event.capacity == 5


def test_raising_capacity_offers_the_new_seats():
    event = EventFactory(capacity=1)
    _first, second, third = register_many(event, 3)
    event.capacity = 2
    services.event_save(event=event, departments=[], topics=[])
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.OFFERED, Status.WAITLISTED)


def test_end_before_start_is_refused():
    event = EventFactory.build(
        organiser=EventFactory().organiser, starts_at=in_days(5), ends_at=in_days(4)
    )
    with pytest.raises(services.EventError, match="postérieure à son début"):
        services.event_save(event=event, departments=[], topics=[])


def test_moving_an_event_tells_the_registered(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory()
    register_many(event, 2)
    event.starts_at += datetime.timedelta(days=1)
    event.ends_at += datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(event=event, departments=[], topics=[])
    assert len(mailoutbox) == 2
    assert all("Changement" in m.subject for m in mailoutbox)
    event.refresh_from_db()
    assert event.sequence == 1


def test_cancelling_an_event_tells_everyone(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    register_many(event, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, reason="Intervenante malade.")
    assert len(mailoutbox) == 2
    assert "Intervenante malade." in mailoutbox[0].body


def guest_data(**overrides):
    return {
        "first_name": "Hélène",
        "last_name": "Garnier",
        "email": "h.garnier@mairie.example.fr",
        "function": "Adjointe au maire déléguée à la santé",
        "commune": commune("93066"),
        **overrides,
    }


def test_guest_registers_through_a_personal_link(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(kind="regional_day", audiences=["all", "guests"], capacity=50)
    coordinator = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.guest_invite(
            event=event,
            invited_by=coordinator,
            email="H.Garnier@mairie.example.fr",
            first_name="Hélène",
            last_name="Garnier",
        )
    assert invitation.token in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.guest_register(invitation=invitation, **guest_data())
    assert registration.is_guest and registration.status == Status.CONFIRMED
    assert registration.invited_by == coordinator
    with pytest.raises(services.EventError, match="votre lien gère votre inscription"):
        services.guest_register(invitation=invitation, **guest_data())
    assert Registration.objects.count() == 1


def test_an_expired_guest_link_is_refused():
    event = EventFactory(audiences=["guests"])
    invitation = services.guest_invite(
        event=event, invited_by=None, email="x@exemple.fr", first_name="X", last_name="Y"
    )
    GuestInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(services.EventError, match="expiré"):
        services.guest_register(invitation=invitation, **guest_data())


def test_guests_only_where_the_event_is_open_to_them():
    with pytest.raises(services.EventError, match="pas ouvert aux invité"):
        services.guest_invite(
            event=EventFactory(audiences=["all"]),
            invited_by=None,
            email="x@exemple.fr",
            first_name="X",
            last_name="Y",
        )


def test_excuse_and_feedback_rules():
    event = EventFactory()
    registration = services.event_register(event=event, person=UserFactory())
    services.registration_excuse(registration=registration)
    assert registration.excused
    with pytest.raises(services.EventError, match="présentes"):
        services.feedback_submit(registration=registration, satisfaction=5, usefulness=4)
    services.registration_check_in(registration=registration)
    services.feedback_submit(registration=registration, satisfaction=5, usefulness=4)
    registration.refresh_from_db()
    with pytest.raises(services.EventError, match="déjà donné"):
        services.feedback_submit(registration=registration, satisfaction=1, usefulness=1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_capacity():
    """200 people click at the same time on a 20-seat event (PostgreSQL in CI)."""
    event = EventFactory(capacity=20)
    people = [UserFactory() for _ in range(200)]

    def register(person):
        try:
            return services.event_register(event=event, person=person).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(register, people))
    assert statuses.count(Status.CONFIRMED) == 20
    assert statuses.count(Status.WAITLISTED) == 180
    assert Registration.objects.filter(event=event, status=Status.CONFIRMED).count() == 20


def test_one_registration_covers_the_series_of_a_working_group():
    from agenda.models import WorkingGroup

    organiser = EventFactory().organiser
    group = WorkingGroup.objects.create(name="Boussole", organiser=organiser)
    past = EventFactory(working_group=group, starts_at=in_days(-10), ends_at=in_days(-10, 12))
    meetings = [EventFactory(working_group=group, starts_at=in_days(d)) for d in (10, 40, 70)]
    person = UserFactory()
    registrations = services.working_group_join(group=group, person=person)
    assert {r.event_id for r in registrations} == {m.pk for m in meetings}
    assert group.members.filter(pk=person.pk).exists()
    assert not past.registrations.exists()
    # Joining again adds nothing; leaving cancels the upcoming meetings.
    assert services.working_group_join(group=group, person=person) == []
    assert services.working_group_leave(group=group, person=person) == 3
    assert not group.members.filter(pk=person.pk).exists()
