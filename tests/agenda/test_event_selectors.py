"""What an event's page shows its visitor and lets them do (`selectors.event_page_for`, decided
once: the template only displays it), the other reads of the agenda's pages, and the writes
that moved out of its views (`calendar_feed_renew`, `feedback_submit`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Organisation
from agenda import selectors, services
from agenda.models import CalendarFeed, Event, Feedback, Registration, WorkingGroup
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page(event, user):
    return selectors.event_page_for(
        selectors.event_page(event.pk, user), user=user, access=access_for(user)
    )


def register(event, person=None, **fields):
    person = person or CoordinatorProfileFactory().user
    registration = services.event_register(event=event, person=person)
    if fields:
        Registration.objects.filter(pk=registration.pk).update(**fields)
        registration.refresh_from_db()
    return registration


# --- The event page ---------------------------------------------------------------------------


def test_a_visitor_not_registered_sees_no_video_link_and_may_register(coordinator):
    event = EventFactory(capacity=2)
    seen = page(event, coordinator)
    assert seen.mine is None and not seen.manages
    assert (seen.video_url, seen.video_hidden) == ("", True)
    assert (seen.seats_left, seen.full, seen.can_register, seen.closed_reason) == (
        2,
        False,
        True,
        None,
    )
    assert not (seen.may_unregister or seen.may_excuse or seen.invites_guests)
    assert not (seen.can_check_in or seen.may_cancel_event)
    assert seen.counts is None and seen.overlaps == []


def test_a_confirmed_person_sees_the_link_and_may_unregister_or_excuse(coordinator):
    event = EventFactory(capacity=1)
    registration = register(event, coordinator)
    seen = page(event, coordinator)
    assert seen.mine == registration
    assert (seen.video_url, seen.video_hidden) == (event.video_url, False)
    assert (seen.seats_left, seen.full) == (0, True)
    assert seen.may_unregister and seen.may_excuse

    Registration.objects.filter(pk=registration.pk).update(excused=True)
    assert not page(event, coordinator).may_excuse


def test_someone_on_the_waitlist_does_not_see_the_link():
    event = EventFactory(capacity=1)
    register(event)
    waiting = register(event)
    assert waiting.status == Registration.Status.WAITLISTED
    seen = page(event, waiting.person)
    assert seen.mine == waiting and seen.video_hidden and not seen.video_url
    assert seen.may_unregister and not seen.may_excuse


def test_an_event_without_a_video_link_hides_nothing(coordinator):
    seen = page(EventFactory(video_url=""), coordinator)
    assert (seen.video_url, seen.video_hidden) == ("", False)


def test_an_event_without_a_limit_is_never_full(coordinator):
    seen = page(EventFactory(capacity=None), coordinator)
    assert (seen.seats_left, seen.full) == (None, False)


def test_the_agenda_marks_full_events_once_for_its_cards(coordinator):
    full, roomy, unlimited = (
        EventFactory(title="Complet", capacity=1),
        EventFactory(title="Places", capacity=2),
        EventFactory(title="Sans limite", capacity=None),
    )
    for event in (full, roomy, unlimited):
        register(event)
    shown = {e.title: e.is_full for e in selectors.agenda(user=coordinator, filters={})}
    assert shown == {"Complet": True, "Places": False, "Sans limite": False}


def test_past_or_cancelled_events_take_no_more_actions(coordinator):
    past = EventFactory(starts_at=timezone.now() - timedelta(days=1), audiences=["all", "guests"])
    Registration.objects.create(event=past, person=coordinator)
    seen = page(past, coordinator)
    assert seen.mine is not None
    assert not (seen.may_unregister or seen.may_excuse or seen.invites_guests)
    assert seen.closed_reason == "Cet événement a déjà commencé : les inscriptions sont closes."

    cancelled = EventFactory(audiences=["all", "guests"])
    register(cancelled, coordinator)
    services.event_cancel(event=cancelled, reason="Intervenante malade.")
    seen = page(cancelled, coordinator)
    assert not (seen.may_unregister or seen.invites_guests)
    assert seen.closed_reason == "Cet événement est annulé."


def test_staff_manage_every_event(staff):
    event = EventFactory(audiences=["all", "guests"])
    other = EventFactory(starts_at=event.starts_at, title="En même temps")
    seen = page(event, staff)
    assert seen.manages and seen.can_check_in and seen.may_cancel_event
    assert seen.video_url == event.video_url
    assert seen.invites_guests and not seen.can_register
    assert seen.overlaps == [other]
    assert seen.counts["registered"] == 0


def test_the_organising_partner_manages_its_event_and_its_attendance():
    crpv = OrganisationFactory(kind=Organisation.Kind.CRPV, department_codes=["95"])
    partner = MembershipFactory(organisation=crpv).user
    event = EventFactory(organiser=crpv)
    seen = page(event, partner)
    assert seen.manages and seen.may_cancel_event and seen.can_check_in
    other = page(EventFactory(), partner)
    assert not other.manages and not other.can_check_in


def test_guests_are_invited_by_managers_and_registered_people_if_the_event_takes_them(
    coordinator, staff
):
    for_guests = EventFactory(audiences=["all", "guests"])
    not_for_guests = EventFactory(audiences=["all"])
    assert not page(for_guests, coordinator).invites_guests
    register(for_guests, coordinator)
    register(not_for_guests, coordinator)
    assert page(for_guests, coordinator).invites_guests
    assert not page(not_for_guests, coordinator).invites_guests

    # Who may invite (the event's openness is the service's to judge).
    assert selectors.may_invite_guests(for_guests, user=coordinator, access=access_for(coordinator))
    assert selectors.may_invite_guests(not_for_guests, user=staff, access=access_for(staff))
    stranger = CoordinatorProfileFactory().user
    assert not selectors.may_invite_guests(for_guests, user=stranger, access=access_for(stranger))


def test_working_group_membership(coordinator, promosante):
    group = WorkingGroup.objects.create(name="Santé mentale", organiser=promosante)
    meeting = EventFactory(kind="working_group", working_group=group)
    assert not page(meeting, coordinator).is_member
    group.members.add(coordinator)
    assert page(meeting, coordinator).is_member
    assert not page(EventFactory(), coordinator).is_member


def test_the_calendar_file_carries_the_link_for_a_confirmed_seat_only(coordinator):
    event = EventFactory(capacity=1)
    assert not selectors.person_is_confirmed(event, coordinator)
    register(event, coordinator)
    assert selectors.person_is_confirmed(event, coordinator)
    waiting = register(event)
    assert not selectors.person_is_confirmed(event, waiting.person)


# --- A person's calendar address --------------------------------------------------------------


def test_the_calendar_address_is_created_then_renewed(coordinator):
    assert selectors.calendar_feed_of(coordinator) is None
    feed = services.calendar_feed_renew(user=coordinator)
    assert selectors.calendar_feed_of(coordinator) == feed
    old = feed.token
    renewed = services.calendar_feed_renew(user=coordinator)
    assert renewed.pk == feed.pk and renewed.token != old
    assert CalendarFeed.objects.filter(user=coordinator).count() == 1
    assert selectors.calendar_feed_events(old) is None


def test_a_calendar_address_gives_its_person_s_events_while_the_account_is_open(coordinator):
    mine = EventFactory(title="Le mien")
    EventFactory(title="Pas le mien")
    register(mine, coordinator)
    token = services.calendar_feed_renew(user=coordinator).token
    assert [e.title for e in selectors.calendar_feed_events(token)] == ["Le mien"]
    coordinator.is_active = False
    coordinator.save()
    assert selectors.calendar_feed_events(token) is None


# --- Attendance certificate and feedback ------------------------------------------------------


def attended(person=None, **fields):
    event = EventFactory(starts_at=timezone.now() - timedelta(days=1))
    person = (
        person
        or CoordinatorProfileFactory(
            job_title="Coordinatrice CLS", employer="Ville de Saint-Denis"
        ).user
    )
    return Registration.objects.create(event=event, person=person, attended=True, **fields)


def test_a_certificate_is_for_its_person_and_staff_only(staff, dd93):
    registration = attended()
    person = registration.person
    for user in (person, staff):
        got = selectors.certificate_registration(
            registration.pk, user=user, access=access_for(user)
        )
        assert got == registration
    stranger = CoordinatorProfileFactory().user
    for user in (stranger, dd93):
        with pytest.raises(Registration.DoesNotExist):
            selectors.certificate_registration(registration.pk, user=user, access=access_for(user))


@pytest.mark.parametrize(
    "fields", [{"attended": False}, {"attended": None}, {"status": "cancelled"}]
)
def test_no_certificate_without_attendance(fields):
    registration = attended()
    Registration.objects.filter(pk=registration.pk).update(**fields)
    person = registration.person
    with pytest.raises(Registration.DoesNotExist):
        selectors.certificate_registration(registration.pk, user=person, access=access_for(person))


def test_what_the_certificate_says_the_person_does():
    registration = attended()
    assert selectors.attendee_position(registration) == "Coordinatrice CLS, Ville de Saint-Denis"
    guest = Registration(
        event=registration.event, first_name="Élu", last_name="Local", function="Maire adjoint"
    )
    assert selectors.attendee_position(guest) == "Maire adjoint"
    assert selectors.attendee_position(attended(person=UserFactory())) == ""


def test_feedback_is_given_once_by_a_person_recorded_present():
    registration = attended()
    assert selectors.own_registration(registration.pk, registration.person) == registration
    with pytest.raises(Registration.DoesNotExist):
        selectors.own_registration(registration.pk, UserFactory())
    assert selectors.feedback_closed_reason(registration) is None
    feedback = services.feedback_submit(
        registration=registration, satisfaction=4, usefulness=5, comment="  Très utile.  "
    )
    assert feedback.comment == "Très utile."
    assert selectors.feedback_closed_reason(registration) == (
        "Vous avez déjà donné votre avis sur cet événement. Merci !"
    )
    with pytest.raises(services.EventError, match="déjà donné votre avis"):
        services.feedback_submit(registration=registration, satisfaction=1, usefulness=1)
    assert Feedback.objects.filter(registration=registration).count() == 1


def test_no_feedback_without_attendance():
    registration = attended()
    Registration.objects.filter(pk=registration.pk).update(attended=False)
    registration.refresh_from_db()
    assert "Seules les personnes présentes" in selectors.feedback_closed_reason(registration)
    with pytest.raises(services.EventError, match="Seules les personnes présentes"):
        services.feedback_submit(registration=registration, satisfaction=5, usefulness=5)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"satisfaction": 0}, "Donnez une note de 1 à 5."),
        ({"usefulness": 6}, "Donnez une note de 1 à 5."),
        ({"comment": "x" * 2001}, "au plus 2000 caractères"),
    ],
)
def test_refused_feedback_says_why_and_saves_nothing(values, message):
    registration = attended()
    with pytest.raises(services.EventError, match=message):
        services.feedback_submit(
            registration=registration, **{"satisfaction": 3, "usefulness": 3, **values}
        )
    assert not Feedback.objects.exists()


def test_an_event_page_of_an_unknown_event_is_not_found(coordinator):
    with pytest.raises(Event.DoesNotExist):
        selectors.event_page(0, coordinator)
