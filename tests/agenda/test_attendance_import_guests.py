"""The webinar participants import, second pass: an event not started is refused at upload, the
first-name column is used, people present who are neither members nor registered can be recorded
as guests present, and the file is read outside any transaction (issues 10 and 11)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from agenda import attendance, services
from agenda.models import Registration
from agenda.services import EventError
from tests.agenda.test_attendance import (
    NOW,
    ZOOM_HEADER,
    RegistrationFactory,
    WebinarFactory,
    _now,  # noqa: F401 - the autouse clock of the attendance tests
    apply,
    check,
    csv_file,
    messages_of,
    row,
    upload,
)

pytestmark = [pytest.mark.django_db]

Status = Registration.Status
FIRST_LAST_HEADER = ["Prénom", "Nom", "Adresse e-mail", "Durée (minutes)"]
FIRST_LAST_MAPPING = {
    "email": "Adresse e-mail",
    "first_name": "Prénom",
    "name": "Nom",
    "duration": "Durée (minutes)",
}


def confirm(client, event, token, guests=()):
    return client.post(
        reverse("attendance_import_confirm", args=[event.pk]), {"token": token, "guest": guests}
    )


# --- An event that has not started -------------------------------------------------------


def test_an_event_not_started_is_refused_at_upload_before_any_preview(client, staff, monkeypatch):
    event = WebinarFactory(starts_at=NOW + datetime.timedelta(days=3))
    client.force_login(staff)
    page = client.get(reverse("attendance_import", args=[event.pk])).content.decode()
    assert "L&#x27;événement n&#x27;a pas encore commencé (il commence le 25/11/2026" in page
    assert 'type="file"' not in page  # nothing to upload yet

    def never(content):
        raise AssertionError("the file of an event not started must not be read")

    monkeypatch.setattr(attendance, "read_participants", never)
    content = csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:30")])
    response = upload(client, event, content)
    assert response.status_code == 200
    assert "pas encore commencé" in response.content.decode()
    assert response.context["report"] is None and response.context["mapping_form"] is None
    # The dry run says so too, whoever calls it.
    assert "pas encore commencé" in " ".join(messages_of(check(event, content)))


def test_a_cancelled_event_is_refused_at_upload(client, staff):
    event = WebinarFactory(status="cancelled")
    client.force_login(staff)
    content = csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:30")])
    response = upload(client, event, content)
    assert "annulé" in response.content.decode() and response.context["report"] is None


# --- The first-name column ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            FIRST_LAST_HEADER,
            {"first_name": "Prénom", "name": "Nom", "email": "Adresse e-mail"},
        ),
        (
            ["First Name", "Last Name", "Email", "Time in Session (minutes)"],
            {"first_name": "First Name", "name": "Last Name", "email": "Email"},
        ),
        (
            ["Nom de famille", "Prénom du participant", "Courriel", "Durée"],
            {"first_name": "Prénom du participant", "name": "Nom de famille"},
        ),
        # One column for the whole name: no first-name column is invented.
        (["Nom complet", "E-mail", "Durée"], {"name": "Nom complet"}),
        (ZOOM_HEADER, {"name": "Name (Original Name)"}),
    ],
)
def test_the_first_name_column_is_recognised(header, expected):
    mapping = attendance.guess_mapping(header)
    for field_name, column in expected.items():
        assert mapping[field_name] == column
    if "first_name" not in expected:
        assert "first_name" not in mapping


def test_names_are_read_with_the_first_name_column():
    event = WebinarFactory()
    content = csv_file(
        [
            ["Camille", "Martin", "", "45"],
            ["Camille", "Martin", "", "20"],  # a reconnection, without an e-mail
            ["Louis", "Martin", "", "40"],  # the same last name: another person
            ["Awa", "Diallo", "awa@ailleurs.fr", "50"],
        ],
        header=FIRST_LAST_HEADER,
    )
    report = check(event, content, mapping=FIRST_LAST_MAPPING)
    assert report.ok, messages_of(report)
    unknown = {a.label: (a.minutes, a.names) for a in report.unknown}
    assert unknown == {
        "Camille Martin": (65, ("Camille", "Martin")),
        "Louis Martin": (40, ("Louis", "Martin")),
        "Awa Diallo": (50, ("Awa", "Diallo")),
    }


def test_the_mapping_form_offers_the_first_name_column(client, staff):
    event = WebinarFactory()
    client.force_login(staff)
    content = csv_file([["Camille", "Martin", "camille@ailleurs.fr", "45"]], FIRST_LAST_HEADER)
    response = upload(client, event, content)
    form = response.context["mapping_form"]
    assert form["first_name"].value() == "Prénom" and form["name"].value() == "Nom"
    assert "Camille Martin" in response.content.decode()


# --- Guests present -----------------------------------------------------------------------


def guests_file():
    return csv_file(
        [
            ["Camille", "Dupont", "camille@exemple.fr", "80"],  # registered member
            ["Élue", "Venue", "elue@mairie.example.org", "75"],  # no account, no registration
            ["Jean-Pierre", "De La Tour", "", "60"],  # a phone line, no e-mail
            ["Passé", "Rapidement", "rapide@ailleurs.fr", "5"],  # under the minimum
        ],
        header=FIRST_LAST_HEADER,
    )


def test_people_present_who_are_not_members_can_be_recorded_as_guests_present():
    event = WebinarFactory()
    member = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    report = check(event, guests_file(), mapping=FIRST_LAST_MAPPING)
    assert [a.key for a in report.guest_candidates] == [
        "nom:jean pierre de la tour",
        "elue@mairie.example.org",
    ]
    assert "rapide@ailleurs.fr" not in [a.key for a in report.guest_candidates]

    report = apply(
        event,
        guests_file(),
        mapping=FIRST_LAST_MAPPING,
        expected_digest=report.digest,
        guests=["elue@mairie.example.org", "nom:jean pierre de la tour"],
    )
    assert report.applied and len(report.guests) == 2
    guests = {
        (r.first_name, r.last_name, r.email): (r.status, r.attended, r.attendance_minutes)
        for r in Registration.objects.filter(event=event, person=None)
    }
    assert guests == {
        ("Élue", "Venue", "elue@mairie.example.org"): (Status.CONFIRMED, True, 75),
        ("Jean-Pierre", "De La Tour", ""): (Status.CONFIRMED, True, 60),
    }
    member.refresh_from_db()
    assert (member.attended, member.attendance_minutes) == (True, 80)
    # The same file again: those guests are now recognised (by e-mail, or by name for a row
    # without one), never recorded twice.
    again = check(event, guests_file(), mapping=FIRST_LAST_MAPPING)
    assert again.guest_candidates == []
    assert {c.registration.display_name for c in again.matched} == {
        member.display_name,
        "Élue Venue",
        "Jean-Pierre De La Tour",
    }


def test_only_unknown_people_present_can_be_chosen_and_nothing_is_saved_otherwise():
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    for forged in (["rapide@ailleurs.fr"], ["camille@exemple.fr"], ["personne@nulle.part"]):
        report = apply(event, guests_file(), mapping=FIRST_LAST_MAPPING, guests=forged)
        assert report.stale and not report.applied
    registration.refresh_from_db()
    assert registration.attended is None
    assert not Registration.objects.filter(event=event, person=None).exists()


def test_guests_are_saved_with_the_rest_all_or_nothing(monkeypatch):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    recorded = []
    real = services.registration_record

    def fails_on_the_second(**kwargs):
        if recorded:
            raise EventError("Refusé pour le test.")
        recorded.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "registration_record", fails_on_the_second)
    with pytest.raises(EventError, match="Refusé pour le test"):
        apply(
            event,
            guests_file(),
            mapping=FIRST_LAST_MAPPING,
            guests=["elue@mairie.example.org", "nom:jean pierre de la tour"],
        )
    assert recorded  # the first guest was written, then rolled back with everything else
    registration.refresh_from_db()
    assert registration.attended is None
    assert not Registration.objects.filter(event=event, person=None).exists()


def test_the_preview_offers_a_checkbox_per_unknown_person_present(client, staff):
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    client.force_login(staff)
    response = upload(client, event, guests_file())
    page = response.content.decode()
    assert page.count('name="guest"') == 2
    assert "Enregistrer comme invité·e présent·e : Élue Venue" in page
    assert 'value="elue@mairie.example.org" id="invite-' in page
    assert "Rapidement" in page and "sous la durée minimale" in page
    token = response.context["token"]

    response = confirm(client, event, token, guests=["elue@mairie.example.org"])
    assert response.status_code == 302
    guest = Registration.objects.get(event=event, person=None)
    assert (guest.display_name, guest.attended) == ("Élue Venue", True)
    page = client.get(response["Location"]).content.decode()
    assert "1 invité·e(s) enregistré·e(s) présent·e(s)" in page


def test_a_file_with_only_guests_to_record_can_still_be_saved(client, staff):
    event = WebinarFactory()
    client.force_login(staff)
    content = csv_file([["Élue", "Venue", "elue@mairie.example.org", "75"]], FIRST_LAST_HEADER)
    response = upload(client, event, content)
    assert "Enregistrer les présences" in response.content.decode()
    confirm(client, event, response.context["token"], guests=["elue@mairie.example.org"])
    assert Registration.objects.filter(event=event, email="elue@mairie.example.org").exists()


# --- The file is read outside any transaction ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_outside_any_transaction_and_saved_in_one(client, staff, monkeypatch):
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    reads, saves = [], []
    read_participants, save = attendance.read_participants, attendance._save

    def spy_read(content):
        reads.append(connection.in_atomic_block)
        return read_participants(content)

    def spy_save(event, report):
        saves.append(connection.in_atomic_block)
        return save(event, report)

    monkeypatch.setattr(attendance, "read_participants", spy_read)
    monkeypatch.setattr(attendance, "_save", spy_save)
    client.force_login(staff)
    response = upload(client, event, guests_file())
    token = response.context["token"]
    data = {**FIRST_LAST_MAPPING, "min_minutes": "30", "absent_missing": "on"}
    client.post(reverse("attendance_import_check", args=[event.pk]), data)
    response = confirm(client, event, token, guests=["elue@mairie.example.org"])
    assert response.status_code == 302
    assert len(reads) >= 3 and not any(reads)  # upload, check, confirm
    assert saves == [True]
    assert Registration.objects.filter(event=event, attended=True).count() == 2


def test_two_guests_without_an_email_can_both_be_recorded():
    event = WebinarFactory()
    content = csv_file(
        [["Jean-Pierre", "De La Tour", "", "60"], ["Nadia", "Nour", "", "55"]],
        header=FIRST_LAST_HEADER,
    )
    report = apply(
        event,
        content,
        mapping=FIRST_LAST_MAPPING,
        guests=["nom:jean pierre de la tour", "nom:nadia nour"],
    )
    assert report.applied
    assert Registration.objects.filter(event=event, person=None, attended=True).count() == 2
