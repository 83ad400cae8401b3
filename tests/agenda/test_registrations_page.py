"""An event's registrations page for staff and the organiser (issue 11 #3): columns, filters,
actions on a registration (with their confirmation steps), walk-ins, exports, invitations, who
may use it, and its constant number of queries."""

import csv
import io
import re

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agenda import roster
from agenda.models import GuestInvitation, Registration
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    commune,
    in_days,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

Status = Registration.Status


def url(name, *args, **query):
    address = reverse(name, args=args)
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def page_of(response):
    assert response.status_code == 200
    content = response.content.decode()
    assert "!!UNKNOWN" not in content
    return content


def rows_of(content):
    """The names in the list's rows, in order."""
    return re.findall(
        r'<tr id="inscription-\d+">\s*<th[^>]*>\s*<span class="fw-semibold">([^<]+)<', content
    )


@pytest.fixture
def event(db):
    return EventFactory(title="Webinaire « santé mentale » & CLSM", capacity=3)


@pytest.fixture
def people(event):
    """A coordinator (employer, commune), a partner (organisation), a guest (typed), one
    waiting, one offered a seat, one cancelled, one present."""
    coordinator = CoordinatorProfileFactory(
        user__first_name="Élise",
        user__last_name="Aubert",
        employer="Ville de Saint-Denis",
        commune=commune("93066"),
    ).user
    partner = MembershipFactory(
        user__first_name="Bruno",
        user__last_name="Bertin",
        organisation=OrganisationFactory(name="CRPV du Val-d'Oise", kind="crpv"),
    ).user
    o = {}
    o["coordinator"] = Registration.objects.create(
        event=event, person=coordinator, status=Status.CONFIRMED
    )
    o["partner"] = Registration.objects.create(event=event, person=partner, status=Status.OFFERED)
    o["guest"] = Registration.objects.create(
        event=event,
        first_name="Chloé",
        last_name="Collin",
        email="chloe.collin@mairie.example.org",
        structure="Mairie de Sarcelles",
        commune=commune("95585"),
        status=Status.CONFIRMED,
    )
    o["waiting"] = Registration.objects.create(
        event=event,
        person=UserFactory(first_name="Damien", last_name="Dubois"),
        status=Status.WAITLISTED,
    )
    o["cancelled"] = Registration.objects.create(
        event=event,
        person=UserFactory(first_name="Émile", last_name="Étienne"),
        status=Status.CANCELLED,
    )
    return o


# --- The list -----------------------------------------------------------------------------


def test_the_list_shows_structure_commune_status_and_presence(client, staff, event, people):
    client.force_login(staff)
    content = page_of(client.get(url("event_registrations", event.pk)))
    assert rows_of(content) == ["Élise Aubert", "Bruno Bertin", "Chloé Collin", "Damien Dubois"]
    assert "<title>Inscriptions — Webinaire « santé mentale » &amp; CLSM" in content
    for text in (
        "Ville de Saint-Denis",
        "Saint-Denis",
        "CRPV du Val-d&#x27;Oise",
        "Mairie de Sarcelles",
        "Sarcelles",
        "Sur liste d&#x27;attente",
        "Place proposée, à confirmer",
        "3 places prises sur 3",
    ):
        assert text in content, text
    assert "Étienne" not in content  # cancelled: only with the "Annulées" filter


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"statut": "confirmed"}, ["Élise Aubert", "Chloé Collin"]),
        ({"statut": "waitlisted"}, ["Damien Dubois"]),
        ({"statut": "offered"}, ["Bruno Bertin"]),
        ({"statut": "cancelled"}, ["Émile Étienne"]),
        ({"statut": "present"}, ["Chloé Collin"]),
        ({"q": "collin"}, ["Chloé Collin"]),
        ({"q": "mairie.example"}, ["Chloé Collin"]),
        ({"q": "élise aub"}, ["Élise Aubert"]),
        ({"statut": "confirmed", "q": "aubert"}, ["Élise Aubert"]),
        ({"q": "zzz"}, []),
    ],
)
def test_filters(client, staff, event, people, query, expected):
    Registration.objects.filter(pk=people["guest"].pk).update(attended=True)
    client.force_login(staff)
    content = page_of(client.get(reverse("event_registrations", args=[event.pk]), query))
    assert rows_of(content) == expected
    if not expected:
        assert "Personne ne correspond à ces critères." in content


def test_a_wrong_filter_is_said_in_french_never_a_500(client, staff, event, people):
    client.force_login(staff)
    response = client.get(
        reverse("event_registrations", args=[event.pk]), {"statut": "inconnu", "q": "x" * 500}
    )
    content = page_of(response)
    assert "Ce statut n&#x27;existe pas : choisissez-en un dans la liste." in content
    assert "100 caractères au plus." in content
    assert len(rows_of(content)) == 4  # the wrong filters are ignored


def test_guest_invitations_are_listed_with_their_state(client, staff, event):
    GuestInvitation.objects.create(
        event=event,
        email="maire@ville.example.org",
        first_name="Yasmine",
        last_name="Ziani",
        function="Maire adjointe",
        expires_at=event.ends_at,
    )
    GuestInvitation.objects.create(
        event=event,
        email="ancien@ville.example.org",
        first_name="Xavier",
        last_name="Vidal",
        expires_at=timezone.now() - timezone.timedelta(days=1),
    )
    client.force_login(staff)
    content = page_of(client.get(url("event_registrations", event.pk)))
    invitations = content.split('id="invitations"')[1]
    assert "Yasmine Ziani" in invitations and "Envoyée" in invitations
    assert "Maire adjointe" in invitations and "lien valable jusqu'au" in invitations
    assert "Xavier Vidal" in invitations and "Expirée" in invitations


def test_the_check_in_and_import_pages_lead_to_the_list(client, staff, event):
    client.force_login(staff)
    for name in ("attendance_check_in", "attendance_import"):
        content = page_of(client.get(url(name, event.pk)))
        assert f'href="{url("event_registrations", event.pk)}">Inscriptions</a>' in content


# --- Acting on a registration -------------------------------------------------------------


def test_confirm_an_offered_seat_for_the_person(client, staff, event, people):
    client.force_login(staff)
    offered = people["partner"]
    response = client.post(
        url("registration_staff_confirm", offered.pk), {"statut": "offered", "q": "bertin"}
    )
    assert response["Location"] == (
        url("event_registrations", event.pk, statut="offered", q="bertin")
        + f"#inscription-{offered.pk}"
    )
    offered.refresh_from_db()
    assert offered.status == Status.CONFIRMED
    assert "Place confirmée pour Bruno Bertin." in page_of(client.get(response["Location"]))
    # Again: nothing to confirm, said in French.
    response = client.post(url("registration_staff_confirm", offered.pk), follow=True)
    assert "rien à confirmer" in page_of(response)


def test_cancel_asks_for_confirmation_first(client, staff, event, people):
    client.force_login(staff)
    registration = people["coordinator"]
    content = page_of(client.get(url("registration_staff_cancel", registration.pk)))
    assert "Annuler l'inscription d’Élise Aubert ?" in content
    assert "La personne en sera prévenue par e-mail." in content
    assert "Oui, annuler l'inscription" in content
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED  # the page changed nothing

    response = client.post(url("registration_staff_cancel", registration.pk))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    # The freed seat went to the first person waiting.
    people["waiting"].refresh_from_db()
    assert people["waiting"].status in (Status.OFFERED, Status.CONFIRMED)


def test_cancel_after_the_start_is_refused_in_french(client, staff):
    event = EventFactory(starts_at=in_days(-1), capacity=None)
    registration = Registration.objects.create(
        event=event, person=UserFactory(), status=Status.CONFIRMED
    )
    client.force_login(staff)
    content = page_of(client.get(url("event_registrations", event.pk)))
    assert "Annuler…" not in content  # not offered once the event started
    content = page_of(client.post(url("registration_staff_cancel", registration.pk)))
    assert "L&#x27;événement a commencé" in content
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_give_a_seat_when_one_is_free(client, staff):
    event = EventFactory(capacity=2)
    Registration.objects.create(event=event, person=UserFactory(), status=Status.CONFIRMED)
    waiting = Registration.objects.create(
        event=event, person=UserFactory(), status=Status.WAITLISTED
    )
    client.force_login(staff)
    content = page_of(client.get(url("event_registrations", event.pk)))
    assert f'action="{url("registration_give_seat", waiting.pk)}"' in content  # one click
    response = client.post(url("registration_give_seat", waiting.pk))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_give_a_seat_over_capacity_only_after_a_confirmation_that_says_it_is_full(
    client, staff, event, people
):
    waiting = people["waiting"]
    client.force_login(staff)
    content = page_of(client.get(url("event_registrations", event.pk)))
    # Full: the row leads to the confirmation page, not to a one-click form.
    assert f'href="{url("registration_give_seat", waiting.pk)}">Donner une place<' in content
    content = page_of(client.get(url("registration_give_seat", waiting.pk)))
    assert "L'événement est complet" in content
    assert "3 places prises sur 3" in content
    assert "4 personnes pour 3 places" in content
    assert "Donner une place en surnombre" in content

    # A plain "give a seat" (a page opened before the event filled up) is refused: the
    # confirmation page comes back with the service's message, and nothing changed.
    content = page_of(client.post(url("registration_give_seat", waiting.pk)))
    assert "confirmez pour donner une place en surnombre" in content
    assert 'name="surnombre" value="1"' in content
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED

    response = client.post(url("registration_give_seat", waiting.pk), {"surnombre": "1"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert "1 en surnombre" in page_of(client.get(url("event_registrations", event.pk)))


def test_actions_on_a_cancelled_registration_say_so(client, staff, people):
    client.force_login(staff)
    cancelled = people["cancelled"]
    assert "déjà annulée" in page_of(client.get(url("registration_staff_cancel", cancelled.pk)))
    content = page_of(client.post(url("registration_give_seat", cancelled.pk)))
    assert "Cette inscription est annulée" in content


# --- Walk-ins -----------------------------------------------------------------------------


def test_add_a_member_who_came_without_registering(client, staff):
    event = EventFactory(starts_at=timezone.now() - timezone.timedelta(minutes=30))
    member = CoordinatorProfileFactory(user__first_name="Inès", user__last_name="Imbert").user
    client.force_login(staff)
    content = page_of(client.get(url("event_walk_in", event.pk)))
    assert f'<option value="{member.pk}">Imbert Inès — {member.email}</option>' in content
    assert "data-search" in content  # the searchable select
    response = client.post(
        url("event_walk_in", event.pk),
        {"person": member.pk, "status": "confirmed", "present": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, person=member)
    assert (registration.status, registration.attended) == (Status.CONFIRMED, True)
    # Added again: updated, never duplicated.
    client.post(url("event_walk_in", event.pk), {"person": member.pk, "status": "confirmed"})
    assert Registration.objects.filter(event=event, person=member).count() == 1


def test_add_a_guest_by_name(client, staff, event):
    client.force_login(staff)
    response = client.post(
        url("event_walk_in", event.pk),
        {
            "first_name": "Gaëlle",
            "last_name": "Garnier",
            "email": "g.garnier@ccas.example.org",
            "structure": "CCAS de Bobigny",
            "commune": commune("93008").pk,
            "status": "waitlisted",
        },
    )
    assert response.status_code == 302
    guest = Registration.objects.get(event=event, email="g.garnier@ccas.example.org")
    assert (guest.display_name, guest.structure, guest.commune.name) == (
        "Gaëlle Garnier",
        "CCAS de Bobigny",
        "Bobigny",
    )
    assert guest.status == Status.WAITLISTED and guest.person is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "confirmed"}, "Choisissez un membre du réseau, ou donnez le prénom"),
        ({"first_name": "Lina", "status": "confirmed"}, "Indiquez le prénom et le nom"),
        (
            {"first_name": "Lina", "last_name": "L", "email": "pas-une-adresse"},
            "Saisissez une adresse e-mail valide.",
        ),
        ({"first_name": "L" * 151, "last_name": "L"}, "150 caractères au plus (il y en a 151)."),
        ({"person": "999999999999", "status": "confirmed"}, "n&#x27;est pas dans la liste"),
        ({"person": "abc", "status": "confirmed"}, "n&#x27;est pas dans la liste"),
        ({"first_name": "Lina", "last_name": "L", "status": "perdu"}, "Sélectionnez un choix"),
    ],
)
def test_walk_in_errors_are_said_in_french(client, staff, event, data, message):
    client.force_login(staff)
    content = page_of(client.post(url("event_walk_in", event.pk), data))
    assert message in content
    assert not event.registrations.exists()


def test_walk_in_refuses_a_member_and_a_guest_at_once(client, staff, event):
    member = CoordinatorProfileFactory().user
    client.force_login(staff)
    content = page_of(
        client.post(
            url("event_walk_in", event.pk),
            {"person": member.pk, "first_name": "Lina", "status": "confirmed"},
        )
    )
    assert "pas les deux" in content
    assert not event.registrations.exists()


def test_a_walk_in_over_capacity_needs_an_explicit_confirmation(client, staff, event, people):
    client.force_login(staff)
    content = page_of(client.get(url("event_walk_in", event.pk)))
    assert "L'événement est complet" in content
    assert "inscrire quand même, en surnombre" in content
    guest = {
        "first_name": "Lina",
        "last_name": "Lopez",
        "email": "lina.lopez@mairie.example.org",
        "status": "confirmed",
    }
    content = page_of(client.post(url("event_walk_in", event.pk), guest))
    assert "cochez cette case pour inscrire la personne en surnombre" in content
    assert not event.registrations.filter(last_name="Lopez").exists()
    # On the waitlist, no confirmation is needed; over capacity, once ticked.
    waiting = {**guest, "last_name": "Attente", "email": "", "status": "waitlisted"}
    assert client.post(url("event_walk_in", event.pk), waiting).status_code == 302
    ticked = {**guest, "over_capacity": "on"}
    assert client.post(url("event_walk_in", event.pk), ticked).status_code == 302
    assert event.registrations.get(last_name="Lopez").status == Status.CONFIRMED
    assert event.registrations.get(last_name="Attente").status == Status.WAITLISTED


def test_no_over_capacity_box_when_seats_are_free(client, staff):
    event = EventFactory(capacity=5)
    client.force_login(staff)
    content = page_of(client.get(url("event_walk_in", event.pk)))
    assert "en surnombre" not in content


def test_presence_is_not_offered_before_the_day_of_the_event(client, staff, event):
    client.force_login(staff)
    content = page_of(client.get(url("event_walk_in", event.pk)))
    assert 'name="present"' not in content
    assert "La présence se note à partir du jour de l'événement." in content
    # A forged "present" is ignored: the person is registered, presence not noted.
    response = client.post(
        url("event_walk_in", event.pk),
        {"first_name": "Lina", "last_name": "Lopez", "status": "confirmed", "present": "on"},
    )
    assert response.status_code == 302
    assert event.registrations.get().attended is None


def test_presence_is_offered_on_the_day_of_the_event(client, staff):
    event = EventFactory(starts_at=timezone.now() + timezone.timedelta(minutes=20))
    client.force_login(staff)
    with time_machine.travel(timezone.localtime(event.starts_at).replace(hour=0, minute=1)):
        content = page_of(client.get(url("event_walk_in", event.pk)))
        assert 'name="present"' in content
        response = client.post(
            url("event_walk_in", event.pk),
            {"first_name": "Lina", "last_name": "Lopez", "status": "confirmed", "present": "on"},
        )
    assert response.status_code == 302
    assert event.registrations.get().attended is True


# --- Exports ------------------------------------------------------------------------------


def test_csv_export(client, staff, event, people):
    Registration.objects.filter(pk=people["guest"].pk).update(
        attended=True, structure='=HYPERLINK("https://evil.example")'
    )
    client.force_login(staff)
    response = client.get(url("event_registrations_export", event.pk, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localtime(event.starts_at).date()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inscriptions-webinaire-sante-mentale-clsm-{day:%Y-%m-%d}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Prénom", "Nom", "Structure", "Commune", "Statut", "Présence"],
        ["Élise", "Aubert", "Ville de Saint-Denis", "Saint-Denis", "Inscrit·e", ""],
        ["Bruno", "Bertin", "CRPV du Val-d'Oise", "", "Place proposée, à confirmer", ""],
        [
            "Chloé",
            "Collin",
            '\'=HYPERLINK("https://evil.example")',  # never run as a formula
            "Sarcelles",
            "Inscrit·e",
            "présent·e",
        ],
        ["Damien", "Dubois", "", "", "Sur liste d'attente", ""],
    ]


def test_xlsx_export_follows_the_filter(client, staff, event, people):
    Registration.objects.filter(pk=people["coordinator"].pk).update(attended=False)
    client.force_login(staff)
    response = client.get(url("event_registrations_export", event.pk, "xlsx", statut="confirmed"))
    assert response.status_code == 200
    assert response["Content-Type"] == roster.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Prénom", "Nom", "Structure", "Commune", "Statut", "Présence"],
        ["Élise", "Aubert", "Ville de Saint-Denis", "Saint-Denis", "Inscrit·e", "absent·e"],
        ["Chloé", "Collin", "Mairie de Sarcelles", "Sarcelles", "Inscrit·e", None],
    ]


def test_an_unknown_export_format_is_404(client, staff, event):
    client.force_login(staff)
    assert client.get(url("event_registrations_export", event.pk, "pdf")).status_code == 404


def test_formulas_are_stored_as_text_in_xlsx(event):
    Registration.objects.create(
        event=event, first_name="=1+1", last_name="@SUM(A1)", status=Status.CONFIRMED
    )
    content = roster.roster_xlsx(roster.event_roster(event))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"


# --- Who may use it -----------------------------------------------------------------------


def dd93_event(dd93):
    return EventFactory(organiser=dd93.memberships.get().organisation, capacity=1)


ROUTES = [
    ("get", "event_registrations", "event"),
    ("get", "event_walk_in", "event"),
    ("get", "registration_give_seat", "waiting"),
    ("get", "registration_staff_cancel", "waiting"),
]


def test_an_organising_dd_manages_its_own_event_like_staff(client, dd93):
    event = dd93_event(dd93)
    seated = Registration.objects.create(event=event, person=UserFactory(), status="confirmed")
    waiting = Registration.objects.create(event=event, person=UserFactory(), status="waitlisted")
    objects = {"event": event, "waiting": waiting}
    client.force_login(dd93)
    for _method, name, key in ROUTES:
        assert client.get(url(name, objects[key].pk)).status_code == 200, name
    assert client.get(url("event_registrations_export", event.pk, "xlsx")).status_code == 200
    assert client.get(url("attendance_check_in", event.pk)).status_code == 200
    response = client.post(url("registration_give_seat", waiting.pk), {"surnombre": "1"})
    assert response.status_code == 302
    response = client.post(url("registration_staff_cancel", seated.pk))
    assert response.status_code == 302
    response = client.post(
        url("event_walk_in", event.pk),
        {"first_name": "Nora", "last_name": "Naït", "status": "confirmed", "over_capacity": "on"},
    )
    assert response.status_code == 302
    assert event.registrations.filter(last_name="Naït").exists()


@pytest.mark.parametrize("role", ["partner_dd93", "partner_crpv95", "coordinator", "no_role"])
def test_others_are_refused_on_promosante_events(client, user_for_role, role, event, people):
    client.force_login(user_for_role(role))
    objects = {"event": event, "waiting": people["waiting"]}
    for _method, name, key in ROUTES:
        assert client.get(url(name, objects[key].pk)).status_code == 403, name
    assert client.get(url("event_registrations_export", event.pk, "csv")).status_code == 403
    for name in (
        "registration_give_seat",
        "registration_staff_cancel",
        "registration_staff_confirm",
    ):
        assert client.post(url(name, people["waiting"].pk), {"surnombre": "1"}).status_code == 403
    assert client.post(url("event_walk_in", event.pk), {"first_name": "X"}).status_code == 403
    people["waiting"].refresh_from_db()
    assert people["waiting"].status == Status.WAITLISTED


def test_a_crpv_cannot_manage_the_dd_s_event(client, dd93, crpv95):
    event = dd93_event(dd93)
    client.force_login(crpv95)
    assert client.get(url("event_registrations", event.pk)).status_code == 403


# --- Queries ------------------------------------------------------------------------------


def add_people(event, count):
    start = event.registrations.count()
    for index in range(start, start + count):
        profile = CoordinatorProfileFactory(commune=commune("93066"))
        Registration.objects.create(
            event=event,
            person=profile.user,
            status=[Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED][index % 3],
        )
        partner = MembershipFactory().user
        Registration.objects.create(event=event, person=partner, status=Status.CONFIRMED)
        Registration.objects.create(
            event=event,
            first_name=f"Invitée {index}",
            last_name="Test",
            email=f"invitee{index}@exemple.fr",
            commune=commune("95585"),
            structure="Mairie",
            status=Status.CONFIRMED,
        )
        GuestInvitation.objects.create(
            event=event,
            email=f"invitation{index}@exemple.fr",
            first_name="Inv",
            last_name=str(index),
            expires_at=event.ends_at,
        )


@pytest.mark.parametrize(
    ("name", "args", "query"),
    [
        ("event_registrations", (), {}),
        ("event_registrations", (), {"statut": "confirmed", "q": "test"}),
        ("event_registrations_export", ("csv",), {}),
        ("event_registrations_export", ("xlsx",), {}),
    ],
)
def test_queries_do_not_grow_with_the_list(client, staff, name, args, query):
    event = EventFactory(capacity=None)
    client.force_login(staff)
    address = reverse(name, args=[event.pk, *args])
    add_people(event, 2)
    few = count_queries(client, address, query)
    add_people(event, 12)
    assert count_queries(client, address, query) == few


def test_two_walk_in_guests_without_an_email(client, staff):
    event = EventFactory(capacity=None)
    client.force_login(staff)
    for first_name in ("Lina", "Nadia"):
        data = {"first_name": first_name, "last_name": "Sans-Adresse", "status": "confirmed"}
        assert client.post(url("event_walk_in", event.pk), data).status_code == 302
    assert event.registrations.filter(last_name="Sans-Adresse", email="").count() == 2
