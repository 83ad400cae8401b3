"""Agenda, a newcomer's findings (issue 11, second pass): who may host a site visit, names after
"de", the roster's waitlist, walk-ins, past events, refusal contacts, `.ics` offers, the webinar
import tab and the cancellation page."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from agenda import services
from agenda.forms import EventForm
from agenda.models import CalendarFeed, Event, Registration
from territories.models import Department
from tests.agenda.test_agenda_pages import event_form
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    OrganisationFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
    commune,
    in_days,
)

pytestmark = pytest.mark.django_db

Status = Registration.Status


# --- 1: the site-visit host ----------------------------------------------------------------


@pytest.fixture
def hosts():
    """A coordinator in post in the 93, one in the 95, one who left, one approved without post."""

    def in_post(code, **tenure):
        scheme = SchemeFactory(department=Department.objects.get(code=code))
        person = CoordinatorProfileFactory().user
        TenureFactory(person=person, post=PostFactory(schemes=[scheme]), **tenure)
        return person

    return {
        "93": in_post("93"),
        "95": in_post("95"),
        "left": in_post("93", ended_on=datetime.date(2023, 6, 30)),
        "no_post": CoordinatorProfileFactory().user,
    }


def test_a_partner_chooses_hosts_in_post_in_its_territory_only(dd93, hosts):
    choices = set(EventForm(access=access_for(dd93)).fields["host"].queryset)
    assert choices == {hosts["93"]}


def test_staff_choose_among_every_coordinator_in_post(staff, hosts):
    choices = set(EventForm(access=access_for(staff)).fields["host"].queryset)
    assert choices == {hosts["93"], hosts["95"]}


def test_the_current_host_of_an_edited_event_stays_a_choice(staff, hosts):
    event = EventFactory(kind="site_visit", host=hosts["left"])
    choices = set(EventForm(instance=event, access=access_for(staff)).fields["host"].queryset)
    assert choices == {hosts["93"], hosts["95"], hosts["left"]}


def test_a_forged_out_of_territory_host_is_refused(client, dd93, hosts):
    client.force_login(dd93)
    organiser = access_for(dd93).publishing_organisations[0]
    data = event_form(
        kind="site_visit",
        organiser=organiser.pk,
        departments=[Department.objects.get(code="93").pk],
        host=hosts["95"].pk,
    )
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert "host" in response.context["form"].errors
    response = client.post(reverse("event_create"), {**data, "host": hosts["93"].pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get().host == hosts["93"]


def test_the_service_refuses_a_host_out_of_territory(dd93, hosts):
    organiser = access_for(dd93).publishing_organisations[0]
    event = EventFactory.build(organiser=organiser, kind="site_visit", host=hosts["95"])
    with pytest.raises(services.EventError, match="accueillir"):
        services.event_save(event=event, departments=[], topics=[], access=access_for(dd93))


# --- 2: the registrations page ---------------------------------------------------------------


def _registration(event, first_name, last_name, status, minutes_ago=0):
    registration = Registration.objects.create(
        event=event,
        person=UserFactory(first_name=first_name, last_name=last_name),
        status=status,
    )
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Registration.objects.filter(pk=registration.pk).update(created_at=created)
    return registration


def _rows(content):
    return re.findall(
        r'<tr id="inscription-\d+">\s*<th[^>]*>\s*<span class="fw-semibold">([^<]+)<', content
    )


@pytest.fixture
def full_event():
    """Full (two seats); the waitlist in queue order: Zoé Zidane, then Anne Abel, then Inès
    Denis, whose names sort the other way."""
    event = EventFactory(capacity=2)
    _registration(event, "Elena", "Arnaud", Status.CONFIRMED, 50)
    _registration(event, "Julien", "Martin", Status.CONFIRMED, 40)
    _registration(event, "Zoé", "Zidane", Status.WAITLISTED, 30)
    _registration(event, "Anne", "Abel", Status.WAITLISTED, 20)
    _registration(event, "Inès", "Denis", Status.WAITLISTED, 10)
    return event


def test_the_roster_elides_de_before_a_vowel(client, staff, full_event):
    client.force_login(staff)
    content = client.get(reverse("event_registrations", args=[full_event.pk])).content.decode()
    assert "l'inscription d’Elena Arnaud" in content
    assert "l'inscription de Julien Martin" in content
    assert "de Elena" not in content and "de Inès" not in content
    elena = full_event.registrations.get(person__first_name="Elena")
    page = client.get(reverse("registration_staff_cancel", args=[elena.pk])).content.decode()
    assert "Annuler l'inscription d’Elena Arnaud ?" in page
    response = client.post(reverse("registration_staff_cancel", args=[elena.pk]), follow=True)
    assert "Inscription d’Elena Arnaud annulée" in response.content.decode()


def test_the_waitlist_shows_in_queue_order_with_its_rank(client, staff, full_event):
    client.force_login(staff)
    content = client.get(reverse("event_registrations", args=[full_event.pk])).content.decode()
    assert _rows(content) == [
        "Elena Arnaud",
        "Julien Martin",
        "Zoé Zidane",
        "Anne Abel",
        "Inès Denis",
    ]
    assert "1ʳᵉ dans la file" in content and "3ᵉ dans la file" in content
    # The rank is the queue's, whatever the search keeps.
    searched = client.get(reverse("event_registrations", args=[full_event.pk]) + "?q=denis")
    assert "3ᵉ dans la file" in searched.content.decode()


def test_give_a_seat_buttons_are_short_and_name_the_person_for_screen_readers(
    client, staff, full_event
):
    client.force_login(staff)
    content = client.get(reverse("event_registrations", args=[full_event.pk])).content.decode()
    assert "Donner une place…" not in content
    assert (
        'Donner une place<span class="visually-hidden"> à Anne Abel (complet : en surnombre, '
        "après confirmation)</span>" in content
    )


def test_the_over_capacity_page_says_it_without_gender(client, staff, full_event):
    client.force_login(staff)
    waiting = full_event.registrations.get(person__first_name="Inès")
    content = client.get(reverse("registration_give_seat", args=[waiting.pk])).content.decode()
    assert "la placera" not in content
    assert "Donner une place à Inès Denis dépasse la capacité" in content


# --- 4: past events ----------------------------------------------------------------------------


@pytest.fixture
def past_event():
    """Over, full (two seats), one present."""
    event = EventFactory(
        title="Journée passée", capacity=2, starts_at=in_days(-3), ends_at=in_days(-3, 17)
    )
    _registration(event, "Elena", "Arnaud", Status.CONFIRMED, 60 * 24 * 10)
    _registration(event, "Julien", "Martin", Status.CONFIRMED, 60 * 24 * 10)
    event.registrations.filter(person__first_name="Elena").update(attended=True)
    return event


def _card(content, event):
    start = content.index(f'aria-labelledby="evenement-{event.pk}"')
    return content[start : content.index("</article>", start)]


def test_past_events_say_they_are_over_with_the_number_present_for_staff(client, staff, past_event):
    client.force_login(staff)
    card = _card(client.get(reverse("agenda") + "?quand=passes").content.decode(), past_event)
    assert "Terminé" in card and "1 présent·e" in card
    assert "place" not in card and "Complet" not in card


def test_coordinators_see_past_events_over_without_attendance(client, coordinator, past_event):
    client.force_login(coordinator)
    card = _card(client.get(reverse("agenda") + "?quand=passes").content.decode(), past_event)
    assert "Terminé" in card
    assert "présent" not in card and "place" not in card and "Complet" not in card


def test_upcoming_events_still_show_their_seats(client, coordinator):
    event = EventFactory(capacity=30)
    client.force_login(coordinator)
    card = _card(client.get(reverse("agenda")).content.decode(), event)
    assert "30 places libres sur 30" in card and "Terminé" not in card


# --- 6: whom to write to when refused --------------------------------------------------------


def test_a_refused_coordinator_gets_an_address_to_write_to(client, dd93, settings):
    settings.TEAM_EMAIL = "equipe@exemple.fr"
    organiser = access_for(dd93).publishing_organisations[0]
    event = EventFactory(organiser=organiser, title="Atelier 93")
    event.departments.set(Department.objects.filter(code="93"))
    outsider = CoordinatorProfileFactory(commune=commune("95018")).user
    client.force_login(outsider)
    page = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "qui transmettra à l&#x27;organisateur (ARS DD 93)" in page
    assert '<a href="mailto:equipe@exemple.fr?subject=Atelier%2093">equipe@exemple.fr</a>' in page
    with pytest.raises(services.EventError, match="écrivez à .*: equipe@exemple.fr"):
        services.event_register(event=event, person=outsider)


def _seated_guest(event, inviter):
    """A mayor invited to `event`, registered through her link: the invitation."""
    invitation = services.guest_invite(
        event=event,
        invited_by=inviter,
        email="maire@ville.example.fr",
        first_name="Hélène",
        last_name="Garnier",
    )
    services.guest_register(
        invitation=invitation,
        first_name="Hélène",
        last_name="Garnier",
        function="Maire",
        commune=commune("93066"),
    )
    return invitation


def _guest_page(client, inviter):
    event = EventFactory(audiences=["all", "guests"], organiser=OrganisationFactory(name="CRPV"))
    invitation = _seated_guest(event, inviter)
    return client.get(reverse("guest_register", args=[invitation.token])).content.decode()


def test_a_guest_writes_to_the_inviter_who_shows_their_address(client, settings):
    settings.TEAM_EMAIL = "equipe@exemple.fr"
    inviter = CoordinatorProfileFactory(
        user__first_name="Awa",
        user__last_name="Diallo",
        user__email="awa@exemple.fr",
        directory_fields=["email"],
    ).user
    page = _guest_page(client, inviter)
    assert 'Écrivez à Awa Diallo, qui vous a invité·e : <a href="mailto:awa@exemple.fr' in page
    assert (
        "ou à l&#x27;équipe PromoSanté, qui transmettra à l&#x27;organisateur : "
        '<a href="mailto:equipe@exemple.fr' in page
    )


def test_a_guest_writes_to_the_team_when_the_inviter_hides_their_address(client, settings):
    settings.TEAM_EMAIL = "equipe@exemple.fr"
    inviter = CoordinatorProfileFactory(
        user__first_name="Awa",
        user__last_name="Diallo",
        user__email="awa@exemple.fr",
        directory_fields=[],
    ).user
    page = _guest_page(client, inviter)
    assert "awa@exemple.fr" not in page
    assert "transmettra à Awa Diallo, qui vous a invité·e, ou à l&#x27;organisateur" in page
    assert 'href="mailto:equipe@exemple.fr' in page


# --- 7: the calendar file is offered to those who have a seat ---------------------------------

ICS = "Ajouter à mon agenda (.ics)"


def _event_page(client, user, event):
    client.force_login(user)
    return client.get(reverse("event", args=[event.pk])).content.decode()


def test_the_calendar_file_is_offered_to_a_confirmed_seat_only(client):
    event = EventFactory(capacity=1)
    seated = CoordinatorProfileFactory().user
    waiting = CoordinatorProfileFactory().user
    services.event_register(event=event, person=seated)
    services.event_register(event=event, person=waiting)
    assert ICS in _event_page(client, seated, event)
    assert ICS not in _event_page(client, waiting, event)
    assert ICS not in _event_page(client, CoordinatorProfileFactory().user, event)


def test_the_calendar_file_is_not_offered_where_one_cannot_register(client, dd93):
    organiser = access_for(dd93).publishing_organisations[0]
    event = EventFactory(organiser=organiser)
    event.departments.set(Department.objects.filter(code="93"))
    outsider = CoordinatorProfileFactory(commune=commune("95018")).user
    page = _event_page(client, outsider, event)
    assert "réservé" in page and ICS not in page


def test_staff_and_the_organiser_get_the_calendar_file(client, staff, dd93):
    event = EventFactory(organiser=access_for(dd93).publishing_organisations[0])
    assert ICS in _event_page(client, staff, event)
    assert ICS in _event_page(client, dd93, event)


# --- 8: the import tab names the video tool, on online events only ------------------------------


@pytest.mark.parametrize("name", ["event_registrations", "attendance_check_in"])
def test_an_in_person_workshop_has_no_import_tab(client, staff, name):
    workshop = EventFactory(
        kind="departmental", title="Atelier", video_url="", location="Bobigny, salle 2"
    )
    client.force_login(staff)
    page = client.get(reverse(name, args=[workshop.pk])).content.decode()
    assert reverse("attendance_import", args=[workshop.pk]) not in page
    assert "Import d" not in page and "webinaire" not in page


@pytest.mark.parametrize(
    ("kind", "video_url", "label"),
    [
        ("webinar", "https://visio.example.org/w", "Import du webinaire"),
        ("departmental", "https://visio.example.org/a", "Import de la visioconférence"),
    ],
)
def test_online_events_have_the_import_tab_named_for_their_tool(
    client, staff, kind, video_url, label
):
    event = EventFactory(kind=kind, video_url=video_url, title="Rencontre")
    client.force_login(staff)
    page = client.get(reverse("event_registrations", args=[event.pk])).content.decode()
    assert f'href="{reverse("attendance_import", args=[event.pk])}">{label}</a>' in page


# --- 9: the cancellation page speaks of the waitlist only when someone waits -------------------

NEXT_IN_LINE = "Votre place ira à la personne suivante sur la liste d&#x27;attente"


def test_cancelling_says_the_seat_goes_to_the_waitlist_only_when_someone_waits(client):
    event = EventFactory(capacity=1)
    me = CoordinatorProfileFactory().user
    mine = services.event_register(event=event, person=me)
    client.force_login(me)
    url = reverse("registration_cancel", args=[mine.pk])
    page = client.get(url).content.decode()
    assert "Votre place sera libérée." in page
    assert "liste d" not in page
    services.event_register(event=event, person=CoordinatorProfileFactory().user)
    assert NEXT_IN_LINE.replace("&#x27;", "'") in client.get(url).content.decode()


def test_a_guest_cancelling_hears_of_the_waitlist_only_when_someone_waits(client):
    event = EventFactory(capacity=1, audiences=["all", "guests"])
    invitation = _seated_guest(event, None)
    url = reverse("guest_register", args=[invitation.token]) + "?annuler=1"
    assert "Votre place sera libérée." in client.get(url).content.decode()
    services.event_register(event=event, person=CoordinatorProfileFactory().user)
    assert "Votre place ira à la personne suivante" in client.get(url).content.decode()


def test_staff_cancelling_hear_of_the_waitlist_only_when_someone_waits(client, staff):
    event = EventFactory(capacity=1)
    seated = services.event_register(event=event, person=CoordinatorProfileFactory().user)
    client.force_login(staff)
    url = reverse("registration_staff_cancel", args=[seated.pk])
    assert "liste d" not in client.get(url).content.decode()
    services.event_register(event=event, person=CoordinatorProfileFactory().user)
    assert "première personne de la liste d" in client.get(url).content.decode()


def test_a_past_event_page_says_it_is_over_without_seats(client, staff, coordinator, past_event):
    for user, present in ((staff, True), (coordinator, False)):
        page = _event_page(client, user, past_event)
        assert "Terminé" in page and "places libres" not in page and "Complet" not in page
        assert ("Terminé</span> · 1 présent·e" in page) is present


def test_a_calendar_feed_names_its_owner_with_elision():
    owner = UserFactory(first_name="Elena", last_name="Arnaud")
    assert str(CalendarFeed.objects.create(user=owner)) == "Agenda d’Elena Arnaud"


def test_an_expired_guest_link_and_the_form_give_an_address(client, settings):
    settings.TEAM_EMAIL = "equipe@exemple.fr"
    event = EventFactory(audiences=["all", "guests"])
    invitation = services.guest_invite(
        event=event,
        invited_by=None,
        email="maire@ville.example.fr",
        first_name="Hélène",
        last_name="Garnier",
    )
    url = reverse("guest_register", args=[invitation.token])
    assert 'Écrivez à l&#x27;équipe PromoSanté : <a href="mailto:equipe@exemple.fr' in (
        client.get(url).content.decode()
    )
    with time_machine.travel(event.ends_at + datetime.timedelta(days=1)):
        response = client.get(url)
    assert response.status_code == 410
    assert 'href="mailto:equipe@exemple.fr' in response.content.decode()


def test_an_organising_partner_adds_walk_ins_among_its_territory_only(client, dd93, staff, hosts):
    """The walk-in list names people (and their e-mail): a DD 93 sees the coordinators in post
    of the 93 only; staff see every member of the network. A forged choice is refused."""
    event = EventFactory(organiser=dd93.memberships.get().organisation)
    client.force_login(dd93)
    html = client.get(reverse("event_walk_in", args=[event.pk])).content.decode()
    assert hosts["93"].email in html
    assert hosts["95"].email not in html and hosts["no_post"].email not in html
    response = client.post(
        reverse("event_walk_in", args=[event.pk]),
        {"person": hosts["95"].pk, "status": "confirmed"},
    )
    assert response.status_code == 200
    assert not event.registrations.filter(person=hosts["95"]).exists()
    client.force_login(staff)
    html = client.get(reverse("event_walk_in", args=[event.pk])).content.decode()
    assert hosts["95"].email in html and hosts["no_post"].email in html


def test_a_full_event_says_complet_once_on_its_card(client, coordinator):
    full = EventFactory(title="Atelier plein", capacity=1, starts_at=in_days(5))
    Registration.objects.create(event=full, person=UserFactory(), status="confirmed")
    client.force_login(coordinator)
    html = client.get(reverse("agenda")).content.decode()
    card = html[html.index("Atelier plein") :][:1500]
    assert card.count("Complet") == 1 and "1 place" in card
