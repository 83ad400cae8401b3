"""A guest's personal link (issue 11 #2 and #15): it registers the invited address, then manages
that registration until the event ends; invitations are bounded per sender and per address."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.models import GuestInvitation, Registration
from tests.factories import EventFactory, UserFactory, commune, in_days

pytestmark = pytest.mark.django_db

Status = Registration.Status


def invite(event, email="maire@ville.example.fr", invited_by=None, **kwargs):
    return services.guest_invite(
        event=event,
        invited_by=invited_by,
        email=email,
        first_name=kwargs.get("first_name", "Hélène"),
        last_name=kwargs.get("last_name", "Garnier"),
    )


def register_guest(invitation, **overrides):
    data = {
        "first_name": "Hélène",
        "last_name": "Garnier",
        "function": "Adjointe au maire",
        "commune": commune("93066"),
        **overrides,
    }
    return services.guest_register(invitation=invitation, **data)


def guest_form(**overrides):
    return {
        "first_name": "Hélène",
        "last_name": "Garnier",
        "function": "Adjointe au maire",
        "structure": "Mairie de Saint-Denis",
        "commune": commune("93066").pk,
        **overrides,
    }


def test_the_link_lasts_until_the_event_ends_not_thirty_days():
    event = EventFactory(
        audiences=["all", "guests"], starts_at=in_days(80), ends_at=in_days(80, 17)
    )
    invitation = invite(event)
    assert invitation.expires_at == event.ends_at
    with time_machine.travel(in_days(60)):  # past the old 30-day limit
        services.guest_invitation_check(invitation)
    with (
        time_machine.travel(event.ends_at + datetime.timedelta(minutes=1)),
        pytest.raises(services.EventError, match="expiré"),
    ):
        services.guest_invitation_check(invitation)


def test_the_link_follows_the_event_when_it_moves():
    event = EventFactory(audiences=["all", "guests"])
    invitation = invite(event)
    event.starts_at += datetime.timedelta(days=30)
    event.ends_at += datetime.timedelta(days=30)
    services.event_save(event=event, departments=[], topics=[])
    invitation.refresh_from_db()
    assert invitation.expires_at == event.ends_at


def test_a_used_link_becomes_the_registration_page(client, django_capture_on_commit_callbacks):
    event = EventFactory(audiences=["all", "guests"], capacity=10)
    invitation = invite(event)
    url = reverse("guest_register", args=[invitation.token])
    response = client.post(url, guest_form())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.structure == "Mairie de Saint-Denis"
    page = client.get(url)
    assert page.status_code == 200  # not 410 once used
    body = page.content.decode()
    assert "Vous êtes inscrit·e" in body and "Annuler mon inscription" in body
    assert f"Mon inscription — {event.title}" in body


def test_a_waitlisted_guest_confirms_the_offered_seat_from_their_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(audiences=["all", "guests"], capacity=1)
    seated = services.event_register(event=event, person=UserFactory())
    invitation = invite(event)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register_guest(invitation)
    assert registration.status == Status.WAITLISTED
    waitlist_mail = mailoutbox[-1]
    assert "Liste d'attente" in waitlist_mail.subject
    assert waitlist_mail.attachments == []  # no seat yet, no calendar file
    assert "fichier joint" not in waitlist_mail.body
    assert invitation.token in waitlist_mail.body  # the way back is their link

    url = reverse("guest_register", args=[invitation.token])
    assert "1ʳᵉ sur la liste d'attente" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seated)
    offer_mail = mailoutbox[-1]
    assert offer_mail.to == ["maire@ville.example.fr"]
    assert "avec votre lien personnel" in offer_mail.body
    assert "page de l'événement" not in offer_mail.body
    assert invitation.token in offer_mail.body

    page = client.get(url).content.decode()
    assert "Une place vous est proposée" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    confirmed_mail = mailoutbox[-1]
    assert "Inscription confirmée" in confirmed_mail.subject
    assert confirmed_mail.attachments[0][0].endswith(".ics")  # a seat: its calendar file


def test_a_guest_cancels_from_their_link_after_confirming(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(audiences=["all", "guests"])
    invitation = invite(event)
    registration = register_guest(invitation)
    url = reverse("guest_register", args=[invitation.token])
    asking = client.get(url + "?annuler=1").content.decode()
    assert "Annuler votre inscription ?" in asking and "Oui, annuler" in asking
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert "Inscription annulée" in mailoutbox[-1].subject
    page = client.get(url).content.decode()  # the link may register again
    assert "Votre inscription est annulée" in page and "M'inscrire" in page


def test_an_expired_link_answers_410(client):
    event = EventFactory(audiences=["all", "guests"])
    invitation = invite(event)
    with time_machine.travel(event.ends_at + datetime.timedelta(hours=1)):
        response = client.get(reverse("guest_register", args=[invitation.token]))
    assert response.status_code == 410
    assert "expiré" in response.content.decode()


def test_the_link_registers_the_invited_address_only(client):
    event = EventFactory(audiences=["all", "guests"])
    invitation = invite(event, email="Maire@Ville.example.fr")
    with pytest.raises(services.EventError, match="personnelle"):
        register_guest(invitation, email="quelquun@ailleurs.example.fr")
    # The form has no e-mail field: a typed address is ignored, the invited one registered.
    client.post(
        reverse("guest_register", args=[invitation.token]),
        guest_form(email="quelquun@ailleurs.example.fr"),
    )
    assert Registration.objects.get().email == "maire@ville.example.fr"


def test_duplicate_invitations_are_refused_case_insensitively(mailoutbox):
    event = EventFactory(audiences=["all", "guests"])
    invite(event, email="maire@ville.example.fr")
    with pytest.raises(services.EventError, match="déjà été invité"):
        invite(event, email="MAIRE@Ville.Example.fr")
    assert GuestInvitation.objects.count() == 1
    # The same address may be invited to another event.
    invite(EventFactory(audiences=["all", "guests"]), email="maire@ville.example.fr")


def test_a_registered_address_is_not_invited_again():
    event = EventFactory(audiences=["all", "guests"])
    member = UserFactory(email="elu@ville.example.fr")
    services.event_register(event=event, person=member)
    with pytest.raises(services.EventError, match="déjà inscrit"):
        invite(event, email="ELU@ville.example.fr")


def test_invitations_are_rate_limited_per_sender(mailoutbox):
    sender = UserFactory()
    event = EventFactory(audiences=["all", "guests"])
    for number in range(services.GUEST_INVITATIONS_PER_HOUR):
        invite(event, email=f"invite{number}@ville.example.fr", invited_by=sender)
    with pytest.raises(services.EventError, match="dans l'heure"):
        invite(event, email="une-de-trop@ville.example.fr", invited_by=sender)
    # Another sender is not held back by this one.
    invite(event, email="autre@ville.example.fr", invited_by=UserFactory())
    sent = GuestInvitation.objects.filter(invited_by=sender).count()
    assert sent == services.GUEST_INVITATIONS_PER_HOUR


def test_invitations_are_rate_limited_per_day():
    sender = UserFactory()
    event = EventFactory(audiences=["all", "guests"], starts_at=in_days(30))
    start = timezone.now()
    for number in range(services.GUEST_INVITATIONS_PER_DAY):
        with time_machine.travel(start + datetime.timedelta(minutes=10 * number)):
            invite(event, email=f"invite{number}@ville.example.fr", invited_by=sender)
    with (
        time_machine.travel(start + datetime.timedelta(hours=20)),
        pytest.raises(services.EventError, match="24 heures"),
    ):
        invite(event, email="une-de-trop@ville.example.fr", invited_by=sender)


def test_the_invite_form_warns_when_the_event_is_full(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(audiences=["all", "guests"], capacity=1)
    services.event_register(event=event, person=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "la personne invitée sera placée sur liste" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("guest_invite", args=[event.pk]),
            {"first_name": "A", "last_name": "B", "email": "a@ville.example.fr"},
            follow=True,
        )
    assert "la personne invitée sera placée sur liste" in response.content.decode()
    assert "complet" in mailoutbox[-1].body


def test_the_invite_page_refuses_a_duplicate_with_a_message(client, coordinator):
    event = EventFactory(audiences=["all", "guests"])
    services.event_register(event=event, person=coordinator)
    client.force_login(coordinator)
    data = {"first_name": "A", "last_name": "B", "email": "a@ville.example.fr"}
    client.post(reverse("guest_invite", args=[event.pk]), data)
    data["email"] = "A@VILLE.example.fr"
    response = client.post(reverse("guest_invite", args=[event.pk]), data, follow=True)
    assert "déjà été invité" in response.content.decode()
    assert GuestInvitation.objects.count() == 1


def test_a_guests_reminder_points_to_their_link(mailoutbox):
    from agenda import reminders
    from notifications import services as notification_services
    from notifications.models import Delivery

    event = EventFactory(audiences=["all", "guests"], starts_at=in_days(10))
    invitation = invite(event)
    registration = register_guest(invitation)
    reminder = Delivery.objects.get(
        about=reminders.about(registration), kind="event_reminder", key__endswith="H-1"
    )
    mailoutbox.clear()
    with time_machine.travel(reminder.due_at + datetime.timedelta(seconds=30), tick=False):
        assert notification_services.deliveries_send([reminder.pk]) == 1
    [message] = mailoutbox
    assert invitation.token in message.body
    assert "depuis votre lien personnel" in message.body
    assert f"/agenda/{event.pk}/" not in message.body


def test_a_seated_guest_downloads_the_calendar_file_from_their_link(client):
    event = EventFactory(audiences=["all", "guests"], capacity=1)
    invitation = invite(event)
    url = reverse("guest_event_ics", args=[invitation.token])
    assert client.get(url).status_code == 404  # not registered yet
    register_guest(invitation)
    page = client.get(reverse("guest_register", args=[invitation.token])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert event.video_url in response.content.decode()
    with time_machine.travel(event.ends_at + datetime.timedelta(minutes=1)):
        assert client.get(url).status_code == 404


def test_a_waitlisted_guest_has_no_calendar_file(client):
    event = EventFactory(audiences=["all", "guests"], capacity=1)
    services.event_register(event=event, person=UserFactory())
    invitation = invite(event)
    register_guest(invitation)
    assert client.get(reverse("guest_event_ics", args=[invitation.token])).status_code == 404
