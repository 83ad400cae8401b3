"""Agenda pages: role × page × action, publishing by partners, guests, query counts."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Organisation
from agenda import services
from agenda.models import Event, GuestInvitation, Registration
from territories.models import Department
from tests.factories import EventFactory, UserFactory, in_days
from tests.helpers import count_queries, login
from tests.test_permissions import MEMBERS, ROLES, TEAM

pytestmark = pytest.mark.django_db


def event_form(**overrides):
    start = in_days(20, 9)
    data = {
        "kind": "departmental",
        "title": "Matinale des élu·es du Val-d'Oise",
        "description": "Une **matinée** d'échanges.",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Cergy, salle du conseil",
        "capacity": "40",
        "audiences": ["all", "guests"],
        "departments": [Department.objects.get(code="95").pk],
    }
    return {**data, **overrides}


@pytest.mark.parametrize("role", ROLES)
def test_agenda_pages_by_role(client, user_for_role, role):
    event = EventFactory()
    login(client, user_for_role(role))
    publishers = TEAM | {"partner_dd93", "partner_crpv95"}
    pages = {
        reverse("agenda"): MEMBERS,
        reverse("agenda_month"): MEMBERS,
        reverse("event", args=[event.pk]): MEMBERS,
        reverse("event_ics", args=[event.pk]): MEMBERS,
        reverse("calendar_feed_settings"): MEMBERS,
        reverse("event_create"): publishers,
        reverse("event_edit", args=[event.pk]): TEAM,  # organised by PromoSanté
        reverse("event_cancel", args=[event.pk]): TEAM,
    }
    for url, allowed in pages.items():
        response = client.get(url)
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert response.status_code == expected, (url, role)
        if expected == 200 and "ics" not in url:
            assert b"!!UNKNOWN" not in response.content, url


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_register(client, user_for_role, role):
    event = EventFactory()
    login(client, user_for_role(role))
    response = client.post(reverse("event_register", args=[event.pk]))
    if role == "coordinator":
        assert response.status_code == 302
        assert Registration.objects.filter(event=event).count() == 1
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not Registration.objects.exists()


def test_coordinator_registers_downloads_and_cancels(client, coordinator):
    event = EventFactory(title="Webinaire plaidoyer", capacity=1)
    client.force_login(coordinator)
    page = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "M'inscrire" in page and "visio.example.org" not in page
    response = client.post(reverse("event_register", args=[event.pk]), follow=True)
    page = response.content.decode()
    assert "Vous êtes inscrit·e" in page
    assert "Rejoindre la visioconférence" in page
    registration = Registration.objects.get(event=event, person=coordinator)
    response = client.post(reverse("event_register", args=[event.pk]), follow=True)
    assert "déjà inscrit" in response.content.decode()
    client.post(reverse("registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_someone_elses_registration_is_not_found(client, coordinator):
    other = services.event_register(event=EventFactory(), person=UserFactory())
    client.force_login(coordinator)
    for name in ("registration_cancel", "offer_accept", "registration_excuse"):
        assert client.post(reverse(name, args=[other.pk])).status_code == 404


def test_crpv_publishes_a_departmental_event(client, crpv95):
    client.force_login(crpv95)
    org = Organisation.objects.get(memberships__user=crpv95)
    response = client.post(reverse("event_create"), event_form(organiser=org.pk))
    event = Event.objects.get(title="Matinale des élu·es du Val-d'Oise")
    assert response["Location"] == reverse("event", args=[event.pk])
    assert list(event.departments.values_list("code", flat=True)) == ["95"]
    # It manages its own event, and sees it marked as departmental in the agenda.
    assert client.get(reverse("event_edit", args=[event.pk])).status_code == 200
    page = client.get(reverse("agenda")).content.decode()
    assert "Offre départementale" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"departments": []}, "departments", "départements de votre territoire"),
        ({"departments": ["dept93"]}, "departments", "Sélectionnez un choix valide"),
        ({"organiser": "promosante"}, "organiser", "Sélectionnez un choix valide"),
        ({"ends_at": "2020-01-01T10:00"}, "ends_at", "postérieure au début"),
        ({"starts_at": "pas une date"}, "starts_at", "Saisissez une date et une heure valides"),
        ({"location": "", "video_url": ""}, "location", "lieu ou un lien"),
        ({"capacity": "0"}, "capacity", "supérieure ou égale à 1"),
    ],
)
def test_bad_event_forms_save_nothing(client, crpv95, promosante, overrides, field, message):
    client.force_login(crpv95)
    org = Organisation.objects.get(memberships__user=crpv95)
    values = {"organiser": org.pk, **overrides}
    if values.get("departments") == ["dept93"]:
        values["departments"] = [Department.objects.get(code="93").pk]
    if values.get("organiser") == "promosante":
        values["organiser"] = promosante.pk
    response = client.post(reverse("event_create"), event_form(**values))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert not Event.objects.exists()


def test_staff_are_warned_of_an_overlap_for_the_same_audience(client, staff, promosante):
    EventFactory(title="Webinaire existant", starts_at=in_days(20, 9), audiences=["all"])
    client.force_login(staff)
    response = client.post(
        reverse("event_create"),
        event_form(organiser=promosante.pk, departments=[], audiences=["all"]),
        follow=True,
    )
    assert "même public, même moment" in response.content.decode()
    assert "Webinaire existant" in response.content.decode()


def test_capacity_below_registrations_is_refused_on_the_form(client, staff, promosante):
    event = EventFactory(capacity=5, organiser=promosante)
    for _ in range(3):
        services.event_register(event=event, person=UserFactory())
    client.force_login(staff)
    data = event_form(
        organiser=promosante.pk,
        departments=[],
        capacity="2",
        starts_at=event.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.ends_at.astimezone().strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("event_edit", args=[event.pk]), data)
    assert "3 personnes ont déjà une place" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5


def test_a_coordinator_invites_their_elected_official(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(kind="regional_day", audiences=["all", "guests"], capacity=100)
    services.event_register(event=event, person=coordinator)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("guest_invite", args=[event.pk]),
            {
                "first_name": "Hélène",
                "last_name": "Garnier",
                "email": "helene@mairie.example.fr",
                "function": "Adjointe au maire",
            },
        )
    invitation = GuestInvitation.objects.get()
    client.logout()
    url = reverse("guest_register", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200 and "aucun compte" in page.content.decode()
    response = client.post(
        url,
        {
            "first_name": "Hélène",
            "last_name": "Garnier",
            "email": "helene@mairie.example.fr",
            "function": "Adjointe au maire",
            "commune": "",
        },
    )
    assert "Ce champ est obligatoire" in response.content.decode()
    from tests.factories import commune

    response = client.post(
        url,
        {
            "first_name": "Hélène",
            "last_name": "Garnier",
            "email": "helene@mairie.example.fr",
            "function": "Adjointe au maire",
            "commune": commune("93066").pk,
        },
    )
    assert response.status_code == 302
    page = client.get(url)  # once used, the link manages the registration
    assert page.status_code == 200
    assert "Vous êtes inscrit·e" in page.content.decode()
    assert "Annuler mon inscription" in page.content.decode()
    guest = Registration.objects.get(person__isnull=True)
    assert guest.invited_by == coordinator


def test_a_coordinator_not_registered_cannot_invite(client, coordinator):
    event = EventFactory(audiences=["all", "guests"])
    client.force_login(coordinator)
    response = client.post(
        reverse("guest_invite", args=[event.pk]),
        {"first_name": "A", "last_name": "B", "email": "a@b.fr"},
    )
    assert response.status_code == 403


def test_agenda_filters(client, coordinator, crpv95):
    org95 = Organisation.objects.get(memberships__user=crpv95)
    regional = EventFactory(title="Régional")
    local = EventFactory(title="Val-d'Oise", organiser=org95, kind="departmental")
    local.departments.set(Department.objects.filter(code="95"))
    newcomers = EventFactory(title="Nouveaux", audiences=["newcomers"])
    EventFactory(title="Passé", starts_at=in_days(-3), ends_at=in_days(-3, 12))
    services.event_register(event=regional, person=coordinator)
    client.force_login(coordinator)

    def titles(**params):
        return [e.title for e in client.get(reverse("agenda"), params).context["page"]]

    assert titles() == ["Régional", "Val-d'Oise", "Nouveaux"]
    assert titles(kind="departmental") == ["Val-d'Oise"]
    assert titles(department=Department.objects.get(code="93").pk) == ["Régional", "Nouveaux"]
    assert titles(organiser=org95.pk) == ["Val-d'Oise"]
    assert titles(inscrit="1") == ["Régional"]
    assert titles(audience="newcomers") == ["Nouveaux"]
    # The coordinator of the factory has no tenure: not a newcomer; works in Saint-Denis (93),
    # so the Val-d'Oise workshop is not open to them either.
    assert titles(pour_moi="1") == ["Régional"]
    assert titles(kind="inconnu", department="abc") == ["Régional", "Val-d'Oise", "Nouveaux"]
    assert newcomers.pk


def add_events(count, organiser):
    people = [UserFactory() for _ in range(3)]
    events = Event.objects.bulk_create(
        Event(
            kind="webinar",
            title=f"Événement {i}",
            starts_at=in_days(1 + i % 60),
            ends_at=in_days(1 + i % 60, 11),
            video_url="https://visio.example.org/x",
            capacity=30,
            audiences=["all"],
            organiser=organiser,
        )
        for i in range(count)
    )
    Registration.objects.bulk_create(
        Registration(event=e, person=p, status="confirmed") for e in events for p in people
    )
    return events


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_dd93"])
def test_agenda_and_event_pages_queries_are_constant(client, user_for_role, role, promosante):
    user = user_for_role(role)
    client.force_login(user)
    first = add_events(10, promosante)[0]
    services.event_register(event=first, person=UserFactory())
    urls = [
        reverse("agenda"),
        reverse("agenda") + "?pour_moi=1&inscrit=1",
        reverse("agenda_month") + f"?annee={first.starts_at.year}&mois={first.starts_at.month}",
        reverse("event", args=[first.pk]),
    ]
    small = [count_queries(client, url) for url in urls]
    add_events(990, promosante)
    for _ in range(20):
        services.event_register(event=first, person=UserFactory())
    large = [count_queries(client, url) for url in urls]
    assert small == large
