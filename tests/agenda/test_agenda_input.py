"""Agenda input and display (issue 11 #16, #14, #10): typed months and dates have bounds, ids are
checked, working groups belong to their organiser, seats and ranks are said the same way
everywhere, past events can be listed, cancelling asks first, calendar text is plain."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from accounts.models import Organisation
from agenda import services
from agenda.calendar import event_ics, markdown_to_text
from agenda.forms import EventForm
from agenda.models import Event, Registration, WorkingGroup
from tests.agenda.test_agenda_pages import event_form
from tests.factories import EventFactory, UserFactory, in_days, promosante_organisation

pytestmark = pytest.mark.django_db


# --- #16: typed months, dates and ids ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "annee=1&mois=1",
        "annee=9999&mois=12",
        "annee=99999999999999999999&mois=1",
        "annee=2026&mois=13",
    ],
)
def test_out_of_range_months_fall_back_with_a_message(client, coordinator, query):
    client.force_login(coordinator)
    response = client.get(reverse("agenda_month") + "?" + query)
    assert response.status_code == 302 and response.url == reverse("agenda_month")
    page = client.get(response.url).content.decode()
    assert "voici le mois en cours" in page


def test_the_month_view_stops_at_its_bounds(client, coordinator):
    client.force_login(coordinator)
    last = client.get(reverse("agenda_month") + "?annee=2099&mois=12").content.decode()
    assert "Mois suivant" not in last and "Mois précédent" in last
    first = client.get(reverse("agenda_month") + "?annee=2000&mois=1").content.decode()
    assert "Mois précédent" not in first and "Mois suivant" in first


@pytest.mark.parametrize(
    "field, value",
    [
        ("registration_opens_at", "0001-01-01T00:00"),
        ("starts_at", "9999-12-31T10:00"),
        ("ends_at", "9999-12-31T12:00"),
    ],
)
def test_event_dates_out_of_bounds_are_refused(client, staff, field, value):
    client.force_login(staff)
    response = client.post(reverse("event_create"), event_form(**{field: value}))
    assert response.status_code == 200
    assert "Indiquez une date" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize("field", ["departments", "topics"])
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1"])
def test_event_multi_selects_with_bad_ids_answer_a_form_error(client, staff, field, value):
    client.force_login(staff)
    response = client.post(reverse("event_create"), event_form(**{field: [value]}))
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Event.objects.exists()


# --- #14: working groups -------------------------------------------------------------------


@pytest.fixture
def groups(dd93):
    own = WorkingGroup.objects.create(
        name="Santé mentale 93", organiser=Organisation.objects.get(memberships__user=dd93)
    )
    other = WorkingGroup.objects.create(name="Boussole", organiser=promosante_organisation())
    return own, other


def test_the_event_form_offers_only_the_organisers_working_groups(dd93, staff, groups):
    own, other = groups
    partner_choices = set(EventForm(access=access_for(dd93)).fields["working_group"].queryset)
    assert partner_choices == {own}
    staff_choices = set(EventForm(access=access_for(staff)).fields["working_group"].queryset)
    assert staff_choices == {own, other}


def test_a_partner_cannot_post_another_organisations_working_group(client, dd93, groups):
    own, other = groups
    client.force_login(dd93)
    data = event_form(
        departments=[access_for(dd93).departments().get().pk],
        organiser=own.organiser_id,
        working_group=other.pk,
    )
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert "working_group" in response.context["form"].errors
    response = client.post(reverse("event_create"), {**data, "working_group": own.pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get().working_group == own


def test_the_service_refuses_another_organisations_working_group(dd93, groups):
    own, other = groups
    event = EventFactory.build(
        organiser=Organisation.objects.get(memberships__user=dd93), working_group=other
    )
    with pytest.raises(services.EventError, match="autre structure"):
        services.event_save(event=event, departments=[], topics=[], access=access_for(dd93))
    assert not Event.objects.exists()


# --- #10: seats, past events, waitlist rank, cancelling, calendar text, titles --------------


def test_the_agenda_list_says_free_seats_like_the_event_page(client, coordinator):
    event = EventFactory(capacity=25, title="Webinaire des places")
    for _ in range(23):
        services.event_register(event=event, person=UserFactory())
    full = EventFactory(capacity=1, title="Webinaire complet")
    services.event_register(event=full, person=UserFactory())
    client.force_login(coordinator)
    listing = client.get(reverse("agenda")).content.decode()
    detail = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "2 places libres sur 25" in listing and "2 places libres sur 25" in detail
    full_card = listing[listing.index("Webinaire complet") :][:1500]
    assert ">Complet</span>" in full_card and "1 place" in full_card  # "Complet" said once
    assert "23 / 25 places" not in listing


def test_past_events_are_listed_with_a_filter(client, coordinator):
    EventFactory(title="À venir bientôt")
    EventFactory(title="Déjà passé", starts_at=in_days(-3), ends_at=in_days(-3, 12))
    client.force_login(coordinator)
    upcoming = client.get(reverse("agenda")).content.decode()
    assert "À venir bientôt" in upcoming and "Déjà passé" not in upcoming
    past = client.get(reverse("agenda") + "?quand=passes").content.decode()
    assert "Déjà passé" in past and "À venir bientôt" not in past
    assert "1 événement passé" in past


def test_a_waitlisted_person_sees_their_rank(client, coordinator):
    event = EventFactory(capacity=1)
    services.event_register(event=event, person=UserFactory())
    services.event_register(event=event, person=UserFactory())
    services.event_register(event=event, person=coordinator)
    client.force_login(coordinator)
    detail = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "Vous êtes 2ᵉ sur la liste d'attente" in detail
    listing = client.get(reverse("agenda")).content.decode()
    assert "Liste d'attente : 2ᵉ" in listing


def test_cancelling_asks_for_confirmation_first(client, coordinator):
    event = EventFactory()
    registration = services.event_register(event=event, person=coordinator)
    client.force_login(coordinator)
    detail = client.get(reverse("event", args=[event.pk])).content.decode()
    url = reverse("registration_cancel", args=[registration.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation step, not a one-click form
    asking = client.get(url)
    assert asking.status_code == 200
    assert "Oui, annuler mon inscription" in asking.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_someone_elses_cancellation_page_is_a_404(client, coordinator):
    registration = services.event_register(event=EventFactory(), person=UserFactory())
    client.force_login(coordinator)
    assert client.get(reverse("registration_cancel", args=[registration.pk])).status_code == 404


def test_the_calendar_description_is_plain_text():
    event = EventFactory(
        description="## Programme\n\n**Accueil** & café\n\n- atelier *un*\n- [le site](https://ex.org)"
    )
    text = markdown_to_text(event.description)
    assert text == "Programme\n\nAccueil & café\n\n- atelier un\n- le site (https://ex.org)"
    ics = event_ics(event).decode()
    assert "**" not in ics and "##" not in ics and "](" not in ics
    assert "Accueil & café" in ics


def test_event_pages_name_the_event_in_their_title(client, staff):
    event = EventFactory(title="Journée des CLS")
    client.force_login(staff)
    for name in ("event_edit", "event_cancel"):
        page = client.get(reverse(name, args=[event.pk])).content.decode()
        title = page.split("<title>")[1].split("</title>")[0]
        assert "Journée des CLS" in title and "l’événement" in title.replace("&#x27;", "’"), name
    # A title changed in a refused form does not rename the page.
    data = event_form(title="Autre titre", ends_at="2000-01-01T00:00")
    page = client.post(reverse("event_edit", args=[event.pk]), data).content.decode()
    assert "Modifier l&#x27;événement « Journée des CLS »" in page.split("</title>")[0]


def test_agenda_titles_say_which_list_or_month(client, coordinator):
    client.force_login(coordinator)
    past = client.get(reverse("agenda") + "?quand=passes").content.decode()
    assert "Agenda — événements passés" in past.split("</title>")[0]
    month = client.get(reverse("agenda_month") + "?annee=2027&mois=2").content.decode()
    assert "février 2027" in month.split("</title>")[0]


def test_the_service_refuses_dates_beyond_the_bounds_too():
    far = timezone.make_aware(datetime.datetime(9999, 12, 31, 10, 0))
    event = EventFactory.build(starts_at=far, ends_at=far + datetime.timedelta(hours=1))
    with pytest.raises(services.EventError, match="31/12/2099"):
        services.event_save(event=event, departments=[], topics=[])
    early = EventFactory.build(
        registration_opens_at=timezone.make_aware(datetime.datetime(1, 1, 1))
    )
    with pytest.raises(services.EventError, match="01/01/1950"):
        services.event_save(event=early, departments=[], topics=[])
    assert not Event.objects.exists()
