"""What staff and organisers do to registrations (issue 11 #3): confirm an offered seat, give a
seat from the waitlist, add a walk-in, cancel someone; the guest invitations' states."""

import datetime

import pytest
import time_machine

from agenda import selectors, services
from agenda.models import GuestInvitation, Registration
from tests.factories import EventFactory, UserFactory, commune, in_days

pytestmark = pytest.mark.django_db

Status = Registration.Status


def register_many(event, count):
    return [services.event_register(event=event, person=UserFactory()) for _ in range(count)]


def test_staff_confirm_an_offered_seat_for_the_person(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    first, second = register_many(event, 2)
    services.registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registration_staff_confirm(registration=second)
    assert confirmed.status == Status.CONFIRMED and confirmed.offered_until is None
    assert mailoutbox[-1].to == [second.person.email]
    assert "Inscription confirmée" in mailoutbox[-1].subject
    assert mailoutbox[-1].attachments  # a seat: its calendar file
    with pytest.raises(services.EventError, match="rien à confirmer"):
        services.registration_staff_confirm(registration=confirmed)


def test_give_a_seat_refuses_a_full_event_unless_over_capacity(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    seated, waiting = register_many(event, 2)
    with pytest.raises(services.EventError, match="complet \\(1 place\\).*surnombre"):
        services.registration_give_seat(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_give_seat(registration=waiting, over_capacity=True)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 2
    assert mailoutbox[-1].to == [waiting.person.email]
    with pytest.raises(services.EventError, match="déjà une place"):
        services.registration_give_seat(registration=seated)


def test_give_a_seat_when_one_is_free_needs_no_confirmation():
    event = EventFactory(capacity=1)
    first, second = register_many(event, 2)
    event.capacity = 2
    event.save(update_fields=["capacity"])
    services.registration_give_seat(registration=second)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_staff_cancel_tells_the_person_and_offers_the_seat(
    mailoutbox, django_capture_on_commit_callbacks, staff
):
    event = EventFactory(capacity=1)
    seated, waiting = register_many(event, 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seated, by=staff)
    cancelled_mail = next(m for m in mailoutbox if m.to == [seated.person.email])
    assert "Inscription annulée" in cancelled_mail.subject
    assert "L'équipe qui organise l'événement a annulé votre inscription" in cancelled_mail.body
    assert not cancelled_mail.attachments
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    offer_mail = next(m for m in mailoutbox if m.to == [waiting.person.email])
    assert "Une place s'est libérée" in offer_mail.subject


def test_a_person_cancelling_gets_a_receipt(mailoutbox, django_capture_on_commit_callbacks):
    registration = services.event_register(event=EventFactory(), person=UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    assert "Votre inscription est annulée" in mailoutbox[-1].body


def test_record_a_walk_in_member_updates_their_registration_instead_of_duplicating(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    register_many(event, 1)
    member = UserFactory()
    waiting = services.event_register(event=event, person=member)
    assert waiting.status == Status.WAITLISTED
    recorded = services.registration_record(event=event, person=member, structure="CCAS")
    assert recorded.pk == waiting.pk
    assert recorded.status == Status.CONFIRMED  # staff add over capacity
    assert recorded.structure == "CCAS"
    assert event.registrations.filter(person=member).count() == 1


def test_record_a_walk_in_guest_by_email_case_insensitively():
    event = EventFactory()
    first = services.registration_record(
        event=event,
        first_name="Hélène",
        last_name="Garnier",
        email="H.Garnier@Mairie.example.fr",
        structure="Mairie de Saint-Denis",
        commune=commune("93066"),
    )
    again = services.registration_record(
        event=event, first_name="Hélène", last_name="Garnier", email="h.garnier@mairie.example.fr"
    )
    assert again.pk == first.pk
    assert again.email == "h.garnier@mairie.example.fr"
    assert again.structure == "Mairie de Saint-Denis"  # kept when not given again
    assert event.registrations.count() == 1


def test_record_a_guest_without_email_by_name_and_reactivate_a_cancelled_one():
    event = EventFactory()
    guest = services.registration_record(event=event, first_name="Paul", last_name="Durand")
    services.registration_cancel(registration=guest)
    again = services.registration_record(event=event, first_name="paul", last_name="DURAND")
    assert again.pk == guest.pk and again.status == Status.CONFIRMED
    assert again.cancelled_at is None
    with pytest.raises(services.EventError, match="prénom et le nom"):
        services.registration_record(event=event, first_name="Paul")


def test_record_a_walk_in_present_from_the_day_of_the_event():
    event = EventFactory(starts_at=in_days(1))
    with pytest.raises(services.EventError, match="à partir du jour de l'événement"):
        services.registration_record(event=event, first_name="A", last_name="B", attended=True)
    with time_machine.travel(event.starts_at + datetime.timedelta(minutes=10)):
        registration = services.registration_record(
            event=event, first_name="A", last_name="B", attended=True
        )
    assert registration.attended is True and registration.checked_in_at is not None


def test_record_refuses_a_cancelled_event_and_odd_statuses():
    event = EventFactory()
    with pytest.raises(services.EventError, match="inscrit·e"):
        services.registration_record(event=event, person=UserFactory(), status=Status.CANCELLED)
    services.event_cancel(event=event, reason="Grève.")
    with pytest.raises(services.EventError, match="annulé"):
        services.registration_record(event=event, person=UserFactory())


def test_pending_guest_invitations_say_where_each_stands():
    event = EventFactory(audiences=["all", "guests"], capacity=10)
    sent = services.guest_invitation_record(
        event=event, invited_by=None, email="a@ville.fr", first_name="A", last_name="A"
    )
    registered = services.guest_invitation_record(
        event=event, invited_by=None, email="b@ville.fr", first_name="B", last_name="B"
    )
    services.guest_register(
        invitation=registered, first_name="B", last_name="B", function="Maire", commune=None
    )
    states = {i.email: i.state for i in selectors.pending_guest_invitations(event)}
    assert states == {"a@ville.fr": "sent", "b@ville.fr": "registered"}
    with time_machine.travel(event.ends_at + datetime.timedelta(minutes=1)):
        states = {i.email: i.state for i in selectors.pending_guest_invitations(event)}
    assert states == {"a@ville.fr": "expired", "b@ville.fr": "registered"}
    labels = [i.state_label for i in selectors.pending_guest_invitations(event)]
    assert "Envoyée" in labels and "Inscrit·e" in labels
    assert GuestInvitation.objects.filter(expires_at=event.ends_at).count() == 2
    assert sent.expires_at == event.ends_at


def test_waitlist_position():
    event = EventFactory(capacity=1)
    seated, second, third = register_many(event, 3)
    assert selectors.waitlist_position(seated) is None
    assert selectors.waitlist_position(second) == 1
    assert selectors.waitlist_position(third) == 2
    services.registration_cancel(registration=second)
    third.refresh_from_db()
    assert selectors.waitlist_position(third) == 1


def test_record_without_email_for_the_demo(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_record(event=event, person=UserFactory(), notify=False)
        services.registration_record(event=event, person=UserFactory())
    assert len(mailoutbox) == 1


def test_an_invitation_recorded_in_the_past_is_checked_at_that_time():
    event = EventFactory(audiences=["all", "guests"], starts_at=in_days(5))
    event.registration_closes_at = in_days(2)
    event.save(update_fields=["registration_closes_at"])
    with pytest.raises(services.EventError, match="closes"):
        services.guest_invitation_record(
            event=event,
            invited_by=None,
            email="a@ville.fr",
            first_name="A",
            last_name="A",
            now=in_days(3),
        )
    invitation = services.guest_invitation_record(
        event=event,
        invited_by=None,
        email="a@ville.fr",
        first_name="A",
        last_name="A",
        now=in_days(1),
    )
    assert invitation.expires_at == event.ends_at


def test_two_guests_without_email_are_both_recorded():
    event = EventFactory()
    first = services.registration_record(event=event, first_name="Jean", last_name="Martin")
    second = services.registration_record(event=event, first_name="Nadia", last_name="Nour")
    assert first.pk != second.pk
    assert event.registrations.filter(person=None, email="").count() == 2
