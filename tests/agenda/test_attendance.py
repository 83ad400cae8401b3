"""Attendance: check-in on site, the webinar participants import, certificate and feedback."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import factory
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Organisation
from agenda import attendance
from agenda.models import Event, Feedback, Registration
from agenda.services import EventError
from tests.factories import CoordinatorProfileFactory, OrganisationFactory, UserFactory
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db]

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
Status = Registration.Status
# The webinar of most tests: Sunday 22 November 2026, 14:00 to 15:30 in Paris; "now" is 16:00.
STARTS = datetime.datetime(2026, 11, 22, 14, 0, tzinfo=PARIS)
NOW = datetime.datetime(2026, 11, 22, 16, 0, tzinfo=PARIS)
ZOOM_HEADER = [
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


class WebinarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.WEBINAR
    title = factory.Sequence(lambda n: f"Webinaire santé mentale n° {n}")
    starts_at = STARTS
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    video_url = "https://visio.example.org/webinaire"
    audiences = factory.LazyFunction(lambda: [Event.Audience.ALL])
    organiser = factory.LazyFunction(
        lambda: (
            Organisation.objects.filter(kind=Organisation.Kind.PROMOSANTE).first()
            or OrganisationFactory(name="PromoSanté IdF", kind=Organisation.Kind.PROMOSANTE)
        )
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(WebinarFactory)
    person = factory.SubFactory(UserFactory)
    status = Status.CONFIRMED


def guest(event, email, **kwargs):
    return RegistrationFactory(
        event=event, person=None, email=email, first_name="Élue", last_name="Invitée", **kwargs
    )


def csv_file(rows, header=ZOOM_HEADER, sep=";", encoding="utf-8"):
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def row(name, email, joined, left, duration=""):
    return [name, email, f"22/11/2026 {joined}", f"22/11/2026 {left}", duration]


ZOOM_MAPPING = {
    "email": "User Email",
    "name": "Name (Original Name)",
    "joined": "Join Time",
    "left": "Leave Time",
}


def check(event, content, mapping=None, min_minutes=30, **options):
    return attendance.attendance_check(
        event=event,
        content=content,
        mapping=mapping or ZOOM_MAPPING,
        min_minutes=min_minutes,
        **options,
    )


def apply(event, content, mapping=None, min_minutes=30, **options):
    return attendance.attendance_apply(
        event=event,
        content=content,
        mapping=mapping or ZOOM_MAPPING,
        min_minutes=min_minutes,
        **options,
    )


def messages_of(report):
    return [str(error) for error in report.errors]


# --- Reading times, durations and headers -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_paris"),
    [
        ("22/11/2026 14:03", "2026-11-22 14:03"),
        ("22/11/2026 14:03:27", "2026-11-22 14:03"),
        ("2026-11-22 14:03:00", "2026-11-22 14:03"),
        ("2026-11-22T14:03:00", "2026-11-22 14:03"),
        ("11/22/2026 02:03:00 PM", "2026-11-22 14:03"),
        ("11/22/26, 2:03:12 PM", "2026-11-22 14:03"),
        ("22/11/2026 à 14h03", "2026-11-22 14:03"),
        ("2026-11-22 13:03:00 UTC", "2026-11-22 14:03"),
        ("2026-11-22T13:03:00Z", "2026-11-22 14:03"),
        ("2026-11-22T13:03:00.250Z", "2026-11-22 14:03"),
        ("2026-11-22 14:03:00 +01:00", "2026-11-22 14:03"),
        ("2026-11-22 08:03:00 -0500", "2026-11-22 14:03"),
        ("2026-11-22 13:03 GMT", "2026-11-22 14:03"),
        ("2026-11-22 14:03 (UTC+01:00)", "2026-11-22 14:03"),
        ("2026-11-22 08:03 America/New_York", "2026-11-22 14:03"),
        ("14:03", "2026-11-22 14:03"),  # a time alone: the event's day
        # Summer time: Paris is UTC+2 until the last Sunday of October.
        ("2026-07-01 12:00:00Z", "2026-07-01 14:00"),
    ],
)
def test_times_in_the_formats_of_webinar_tools(text, expected_paris):
    order = attendance.date_order([text])
    moment = attendance.parse_datetime(text, order=order, default_date=datetime.date(2026, 11, 22))
    assert f"{moment.astimezone(PARIS):%Y-%m-%d %H:%M}" == expected_paris


def test_date_order_is_decided_for_the_whole_column():
    assert attendance.date_order(["03/11/2026 14:00", "22/11/2026 15:00"]) == "dmy"
    assert attendance.date_order(["11/03/2026 02:00 PM", "11/22/2026 03:00 PM"]) == "mdy"
    assert attendance.date_order(["03/11/2026 14:00"]) == "dmy"  # French unless told otherwise
    assert attendance.date_order(["22/11/2026 14:00", "11/22/2026 14:00"]) is None


@pytest.mark.parametrize(
    "text",
    ["22/13/2026 14:03", "demain 14h", "2026-11-22 25:00", "22/11/2026 14:03 Mars/Olympus", "1 PM"],
)
def test_unreadable_times_are_refused_in_french(text):
    with pytest.raises(ValueError, match="date|heure|fuseau"):
        attendance.parse_datetime(text, default_date=datetime.date(2026, 11, 22))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("65", 3900),
        ("65,5", 3930),
        ("65.5", 3930),
        ("1:05:30", 3930),
        ("01:05", 3900),
        ("65 min", 3900),
        ("65 mn", 3900),
        ("1 h 05", 3900),
        ("1h05", 3900),
        ("1h 5m 30s", 3930),
        ("1 hr 5 min", 3900),
        ("45 minutes", 2700),
    ],
)
def test_durations(text, seconds):
    assert attendance.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["abc", "12 jours", "1:75", "-5"])
def test_unreadable_durations(text):
    with pytest.raises(ValueError, match="durée"):
        attendance.parse_duration(text)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ZOOM_HEADER,
            {
                "email": "User Email",
                "name": "Name (Original Name)",
                "joined": "Join Time",
                "left": "Leave Time",
                "duration": "Duration (Minutes)",
            },
        ),
        (
            ["Nom", "Adresse e-mail", "Heure d'arrivée", "Heure de départ", "Durée (minutes)"],
            {
                "email": "Adresse e-mail",
                "name": "Nom",
                "joined": "Heure d'arrivée",
                "left": "Heure de départ",
                "duration": "Durée (minutes)",
            },
        ),
        (
            ["Full Name", "Join Time", "Leave Time", "Duration", "Email", "Role"],
            {
                "email": "Email",
                "name": "Full Name",
                "joined": "Join Time",
                "left": "Leave Time",
                "duration": "Duration",
            },
        ),
        (
            ["Participant", "E-mail", "Connexion", "Déconnexion"],
            {
                "email": "E-mail",
                "name": "Participant",
                "joined": "Connexion",
                "left": "Déconnexion",
            },
        ),
        (["Colonne A", "Colonne B"], {}),
    ],
)
def test_mapping_is_guessed_from_the_header(header, expected):
    assert attendance.guess_mapping(header) == expected


def test_default_minimum_is_30_minutes_or_half_a_short_event():
    assert attendance.default_min_minutes(WebinarFactory()) == 30
    short = WebinarFactory(ends_at=STARTS + datetime.timedelta(minutes=40))
    assert attendance.default_min_minutes(short) == 20


# --- The dry run --------------------------------------------------------------------------


def test_dry_run_saves_nothing():
    event = WebinarFactory()
    present = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    absent = RegistrationFactory(event=event)
    outsider = UserFactory(email="sans.inscription@exemple.fr")
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "15:30"),
            row("Sans inscription", outsider.email, "14:00", "15:30"),
        ]
    )
    count = Registration.objects.count()
    report = check(event, content, add_unregistered=True)
    assert report.ok
    assert report.present_count == 1
    assert [c.registration for c in report.missing] == [absent]
    assert [a.user for a in report.to_add] == [outsider]
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.attended is None and present.attendance_minutes is None
    assert absent.attended is None
    assert Registration.objects.count() == count


def test_matching_ignores_case_and_covers_guests_and_secondary_addresses():
    event = WebinarFactory()
    coordinator = RegistrationFactory(event=event, person__email="jean.dupont@exemple.fr")
    invited = guest(event, "maire@ville.fr")
    other_address = RegistrationFactory(event=event)
    EmailAddress.objects.create(user=other_address.person, email="perso@autre.fr", verified=True)
    content = csv_file(
        [
            row("Jean", "Jean.Dupont@EXEMPLE.fr", "14:00", "15:00"),
            row("Madame la maire", "  MAIRE@Ville.FR ", "14:00", "15:00"),
            row("Via l'autre adresse", "Perso@Autre.fr", "14:00", "15:00"),
        ]
    )
    report = check(event, content)
    assert report.ok, messages_of(report)
    matched = {c.registration: c for c in report.matched}
    assert set(matched) == {coordinator, invited, other_address}
    assert all(c.attended and c.minutes == 60 for c in matched.values())
    assert report.unknown == [] and report.unregistered == []


def test_reconnections_are_added_up_and_overlaps_counted_once():
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    two_devices = RegistrationFactory(event=event, person__email="deux@exemple.fr")
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "14:20"),
            row("Camille (2)", "camille@exemple.fr", "14:25", "14:35"),
            row("Camille (3)", "CAMILLE@exemple.fr", "15:00", "15:05"),
            # the same person on a computer and a phone at once
            row("Deux", "deux@exemple.fr", "14:00", "14:40"),
            row("Deux (téléphone)", "deux@exemple.fr", "14:30", "14:50"),
        ]
    )
    report = check(event, content)
    changes = {c.registration: c for c in report.matched}
    assert changes[registration].minutes == 35
    assert changes[registration].attended is True
    assert changes[registration].attendee.rows == [2, 3, 4]
    assert changes[two_devices].minutes == 50


def test_durations_of_several_rows_are_added_up():
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    content = csv_file(
        [["Camille", "camille@exemple.fr", "20"], ["Camille", "camille@exemple.fr", "0:15:00"]],
        header=["Nom", "E-mail", "Durée (minutes)"],
    )
    report = check(event, content, mapping={"email": "E-mail", "duration": "Durée (minutes)"})
    assert report.ok, messages_of(report)
    assert report.matched[0].registration == registration
    assert report.matched[0].minutes == 35


@pytest.mark.parametrize(("left", "present"), [("14:29", False), ("14:30", True)])
def test_minimum_duration(left, present):
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    report = check(event, csv_file([row("Camille", "camille@exemple.fr", "14:00", left)]))
    assert report.matched[0].attended is present
    assert report.present_count == (1 if present else 0)
    assert report.absent_count == (0 if present else 1)


def test_unmatched_and_unregistered_attendees_are_listed():
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="inscrite@exemple.fr")
    member = UserFactory(email="membre@exemple.fr", first_name="Lou", last_name="Membre")
    cancelled = RegistrationFactory(event=event, status=Status.CANCELLED)
    content = csv_file(
        [
            row("Inscrite", "inscrite@exemple.fr", "14:00", "15:00"),
            row("Lou", "membre@exemple.fr", "14:00", "15:00"),
            row("Annulée mais venue", cancelled.person.email, "14:00", "14:10"),
            row("Inconnu", "inconnu@ailleurs.fr", "14:00", "15:00"),
            row("Téléphone 06…", "", "14:00", "14:45"),
        ]
    )
    report = check(event, content)
    assert report.ok, messages_of(report)
    assert [a.user for a in report.unregistered] == [cancelled.person, member]
    assert [a.present for a in report.unregistered] == [False, True]
    assert {a.label for a in report.unknown} == {"Inconnu", "Téléphone 06…"}
    assert report.to_add == []  # not asked for


# --- Bad input ----------------------------------------------------------------------------


def test_unknown_columns_in_the_mapping():
    event = WebinarFactory()
    content = csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:00")])
    report = check(event, content, mapping={"email": "Courriel", "duration": "Temps"})
    assert not report.ok
    assert any(
        "« Courriel » choisie pour « E-mail » n'existe pas" in m for m in messages_of(report)
    )
    assert any("« Temps » choisie pour « Durée »" in m for m in messages_of(report))
    report = check(event, content, mapping={"name": "User Email", "joined": "Join Time"})
    assert "Choisissez la colonne de l'adresse e-mail." in messages_of(report)
    assert any("colonne de la durée, ou celles" in m for m in messages_of(report))
    report = check(event, content, mapping={"email": "User Email", "name": "User Email"})
    assert any("choisie plusieurs fois" in m for m in messages_of(report))


def test_bad_rows_are_reported_with_their_row_and_column_and_block_the_apply():
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "15:00"),
            row("Heure illisible", "a@exemple.fr", "14h", "15:00"),
            row("À l'envers", "b@exemple.fr", "15:00", "14:00"),
            row("Adresse", "pas-une-adresse", "14:00", "15:00"),
            ["Autre jour", "c@exemple.fr", "22/11/2025 14:00", "22/11/2025 15:00", ""],
        ]
    )
    report = check(event, content)
    errors = messages_of(report)
    assert errors[0].startswith("Ligne 3, colonne « Join Time » : « 22/11/2026 14h » n'est pas")
    assert errors[1] == (
        "Ligne 4, colonne « Leave Time » : Départ (22/11/2026 à 14:00) avant l'arrivée "
        "(22/11/2026 à 15:00)."
    )
    assert errors[2].startswith("Ligne 5, colonne « User Email » : « pas-une-adresse »")
    assert errors[3].startswith("Ligne 6, colonne « Join Time » : Connexion le 22/11/2025")
    assert len(errors) == 4
    report = apply(event, content)
    assert not report.applied
    registration.refresh_from_db()
    assert registration.attended is None


def test_duplicate_rows_are_counted_once_and_reported_once():
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    line = row("Camille", "camille@exemple.fr", "14:00", "14:20")
    content = csv_file([line, line, row("Camille", "camille@exemple.fr", "14:30", "14:45"), line])
    report = check(event, content)
    assert report.ok
    assert report.matched[0].minutes == 35  # not 75
    assert [str(w) for w in report.warnings] == [
        "Ligne 2 : Répétée aux lignes 3 et 5 : comptée une seule fois."
    ]


def test_american_times_with_am_pm():
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    content = csv_file(
        [["Camille", "camille@exemple.fr", "11/22/2026 01:55:00 PM", "11/22/2026 03:01:00 PM", ""]]
    )
    report = check(event, content)
    assert report.ok, messages_of(report)
    assert report.matched[0].minutes == 66
    assert "Dates lues au format américain : mois/jour/année." in report.notes


def test_utc_times_across_the_october_clock_change():
    # Sunday 25 October 2026, clocks go back at 03:00 (UTC+2) to 02:00 (UTC+1).
    event = WebinarFactory(
        starts_at=datetime.datetime(2026, 10, 25, 0, 0, tzinfo=UTC),  # 02:00 summer time
        ends_at=datetime.datetime(2026, 10, 25, 2, 30, tzinfo=UTC),  # 03:30 winter time
    )
    utc_person = RegistrationFactory(event=event, person__email="utc@exemple.fr")
    paris_person = RegistrationFactory(event=event, person__email="paris@exemple.fr")
    content = csv_file(
        [
            # 02:10 summer time to 03:10 winter time: two hours, not one.
            ["UTC", "utc@exemple.fr", "2026-10-25 00:10:00 UTC", "2026-10-25T02:10:00Z", ""],
            # Naive times are Paris times: 01:50 (UTC+2) to 03:50 (UTC+1) is three hours.
            ["Paris", "paris@exemple.fr", "25/10/2026 01:50", "25/10/2026 03:50", ""],
        ]
    )
    report = check(event, content)
    assert report.ok, messages_of(report)
    minutes = {c.registration: c.minutes for c in report.matched}
    assert minutes == {utc_person: 120, paris_person: 180}
    joined = attendance.parse_datetime("2026-10-25 00:10:00 UTC")
    assert f"{joined.astimezone(PARIS):%H:%M %Z}" == "02:10 CEST"


def test_files_that_cannot_be_read():
    event = WebinarFactory()
    cases = {
        b"": "Le fichier est vide.",
        b"PK\x03\x04rest-of-an-xlsx": "classeur Excel",
        "Nom;Adresse e-mail\r\nCÃ©line;c@exemple.fr\r\n".encode(): "mal encodé",
        b"x" * (attendance.MAX_BYTES + 1): "dépasse 2 Mo",
        b"une seule colonne\r\nrien\r\n": "ligne d'en-tête n'a pas été trouvée",
    }
    for content, message in cases.items():
        report = check(event, content)
        assert not report.ok
        assert message in messages_of(report)[0]


def test_windows_1252_teams_like_file_with_a_summary_section():
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="helene@exemple.fr")
    text = (
        "1. Résumé\r\n"
        "Titre de la réunion\tWebinaire\r\n"
        "\r\n"
        "2. Participants\r\n"
        "Nom\tHeure de connexion\tHeure de déconnexion\tDurée\tE-mail\tRôle\r\n"
        "Hélène\t22/11/2026 14:00:00\t22/11/2026 15:10:00\t1h 10m\t"
        "helene@exemple.fr\tParticipant\r\n"
        "\r\n"
        "3. Activités pendant la réunion\r\n"
        "Nom\tHeure de connexion\tHeure de déconnexion\tDurée\tE-mail\tRôle\r\n"
    )
    content = text.encode("cp1252")
    participants = attendance.read_participants(content)
    assert participants.headers[0] == "Nom" and len(participants.rows) == 1
    mapping = attendance.guess_mapping(participants.headers)
    assert mapping["left"] == "Heure de déconnexion"
    report = check(event, content, mapping=mapping)
    assert report.ok, messages_of(report)
    assert report.matched[0].minutes == 70
    assert any("3. Activités pendant la réunion" in note for note in report.notes)
    # The same file as Teams writes it: UTF-16 with a byte order mark.
    report = check(event, text.encode("utf-16"), mapping=mapping)
    assert report.ok and report.matched[0].minutes == 70


# --- Apply --------------------------------------------------------------------------------


def test_apply_saves_attendance_and_adds_unregistered_members_when_asked():
    event = WebinarFactory()
    present = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    short = RegistrationFactory(event=event, person__email="court@exemple.fr")
    missing = RegistrationFactory(event=event)
    on_site = RegistrationFactory(event=event, attended=True)
    waiting = RegistrationFactory(event=event, status=Status.WAITLISTED)
    member = UserFactory(email="membre@exemple.fr")
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "15:30"),
            row("Court", "court@exemple.fr", "14:00", "14:10"),
            row("Membre", "membre@exemple.fr", "14:00", "15:00"),
        ]
    )
    dry = check(event, content, add_unregistered=True)
    report = apply(event, content, add_unregistered=True, expected_digest=dry.digest)
    assert report.applied
    for registration in (present, short, missing, on_site, waiting):
        registration.refresh_from_db()
    assert (present.attended, present.attendance_minutes) == (True, 90)
    assert (short.attended, short.attendance_minutes) == (False, 10)
    assert (missing.attended, missing.attendance_minutes) == (False, 0)
    assert on_site.attended is True  # checked in on site, not in the file: kept
    assert waiting.attended is None
    added = Registration.objects.get(event=event, person=member)
    assert (added.status, added.attended, added.attendance_minutes) == (Status.CONFIRMED, True, 60)


def test_apply_without_the_option_adds_nobody_and_can_leave_the_missing_alone():
    event = WebinarFactory()
    missing = RegistrationFactory(event=event)
    UserFactory(email="membre@exemple.fr")
    content = csv_file([row("Membre", "membre@exemple.fr", "14:00", "15:00")])
    report = apply(event, content, absent_missing=False)
    assert report.applied
    assert not Registration.objects.filter(event=event, person__email="membre@exemple.fr")
    missing.refresh_from_db()
    assert missing.attended is None


def test_apply_is_all_or_nothing(monkeypatch):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    UserFactory(email="membre@exemple.fr")
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "15:30"),
            row("Membre", "membre@exemple.fr", "14:00", "15:00"),
        ]
    )

    def failing_bulk_create(*args, **kwargs):
        raise IntegrityError("one_active_registration_per_person")

    monkeypatch.setattr(Registration.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(EventError, match="rien n'a été enregistré"):
        apply(event, content, add_unregistered=True)
    registration.refresh_from_db()
    assert registration.attended is None and registration.attendance_minutes is None


def test_apply_refuses_a_plan_that_changed_since_the_dry_run():
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    late = RegistrationFactory(
        event=event, person__email="tard@exemple.fr", status=Status.WAITLISTED
    )
    content = csv_file(
        [
            row("Camille", "camille@exemple.fr", "14:00", "15:30"),
            row("Tard", "tard@exemple.fr", "14:00", "15:30"),
        ]
    )
    dry = check(event, content)
    late.status = Status.CANCELLED  # cancelled in the meantime
    late.save()
    report = apply(event, content, expected_digest=dry.digest)
    assert report.stale and not report.applied
    registration.refresh_from_db()
    assert registration.attended is None


def test_apply_refuses_a_cancelled_or_future_event():
    content = csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:30")])
    cancelled = WebinarFactory(status=Event.Status.CANCELLED)
    with pytest.raises(EventError, match="annulé"):
        apply(cancelled, content)
    future = WebinarFactory(starts_at=NOW + datetime.timedelta(days=1))
    with pytest.raises(EventError, match="pas encore commencé"):
        apply(future, content)


# --- Counts -------------------------------------------------------------------------------


def test_counts():
    event = WebinarFactory()
    RegistrationFactory.create_batch(2, event=event, attended=True)
    RegistrationFactory(event=event, attended=False)  # no-show
    RegistrationFactory(event=event, excused=True, attended=False)  # excused, not a no-show
    RegistrationFactory(event=event, excused=True, attended=True)  # excused, came anyway
    RegistrationFactory(event=event)  # not recorded yet
    RegistrationFactory(event=event, status=Status.OFFERED)
    RegistrationFactory.create_batch(3, event=event, status=Status.WAITLISTED)
    RegistrationFactory(event=event, status=Status.CANCELLED, attended=True)
    RegistrationFactory(attended=True)  # another event
    assert attendance.event_attendance_counts(event) == {
        "registered": 7,
        "waitlisted": 3,
        "cancelled": 1,
        "attended": 3,
        "no_show": 1,
        "excused": 1,
        "unrecorded": 2,
    }


# --- Check-in page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 403),
        ("partner_dd93", 403),
        ("partner_crpv95", 403),
        ("partner_ars", 403),
        ("staff", 200),
        ("superuser", 200),
    ],
)
def test_check_in_is_for_staff_only(client, user_for_role, role, status):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event)
    client.force_login(user_for_role(role))
    assert client.get(reverse("attendance_check_in", args=[event.pk])).status_code == status
    assert client.get(reverse("attendance_import", args=[event.pk])).status_code == status
    response = client.post(reverse("attendance_mark", args=[registration.pk]), {"present": "1"})
    assert response.status_code == (status if status == 403 else 302)
    registration.refresh_from_db()
    assert registration.attended is (None if status == 403 else True)


def test_check_in_needs_a_login(client):
    event = WebinarFactory()
    response = client.get(reverse("attendance_check_in", args=[event.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_check_in_search_without_javascript_and_with_htmx(client, staff):
    event = WebinarFactory()
    RegistrationFactory(event=event, person__first_name="Hélène", person__last_name="Martin")
    RegistrationFactory(event=event, person__first_name="Paul", person__last_name="Durand")
    guest(event, "maire@ville.fr")
    RegistrationFactory(event=event, status=Status.CANCELLED, person__last_name="Martinez")
    client.force_login(staff)
    url = reverse("attendance_check_in", args=[event.pk])
    page = client.get(url, {"q": "mart"}).content.decode()
    assert "Hélène Martin" in page and "Paul Durand" not in page and "Martinez" not in page
    assert 'hx-get="' + url in page and "<html" in page
    partial = client.get(url, {"q": "invitée"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and 'id="liste-inscrits"' in html
    assert "Élue Invitée" in html and "Hélène" not in html
    assert "HX-Request" in partial["Vary"]


def test_one_tap_check_in_and_undo_with_htmx(client, staff):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event)
    client.force_login(staff)
    url = reverse("attendance_mark", args=[registration.pk])
    response = client.post(url, {"present": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="inscription-{registration.pk}"' in html
    assert 'id="compteurs"' in html and 'hx-swap-oob="true"' in html
    registration.refresh_from_db()
    assert registration.attended is True and registration.checked_in_at is not None
    client.post(url, {"present": "0"}, headers={"HX-Request": "true"})
    registration.refresh_from_db()
    assert registration.attended is None and registration.checked_in_at is None


def test_check_in_refused_before_the_day_and_for_cancelled_registrations(client, staff):
    client.force_login(staff)
    future = RegistrationFactory(event__starts_at=NOW + datetime.timedelta(days=2))
    response = client.post(reverse("attendance_mark", args=[future.pk]), {"present": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Le pointage ouvre le jour de l&#x27;événement." in page
    future.refresh_from_db()
    assert future.attended is None
    cancelled = RegistrationFactory(status=Status.CANCELLED)
    response = client.post(
        reverse("attendance_mark", args=[cancelled.pk]),
        {"present": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Cette inscription est annulée." in response.content.decode()
    cancelled.refresh_from_db()
    assert cancelled.attended is None


def test_check_in_page_shows_counts_and_the_feedback_aggregate(client, staff):
    event = WebinarFactory()
    for satisfaction, usefulness, comment in ((5, 4, "Très concret"), (4, 3, ""), (3, 5, "")):
        registration = RegistrationFactory(event=event, attended=True)
        Feedback.objects.create(
            registration=registration,
            satisfaction=satisfaction,
            usefulness=usefulness,
            comment=comment,
        )
    RegistrationFactory(event=event, status=Status.WAITLISTED)
    client.force_login(staff)
    response = client.get(reverse("attendance_check_in", args=[event.pk]))
    page = response.content.decode()
    assert response.context["counts"]["attended"] == 3
    assert response.context["counts"]["waitlisted"] == 1
    assert "3 avis" in page
    assert "satisfaction moyenne <strong>4,0/5</strong>" in page
    assert "utilité moyenne <strong>4,0/5</strong>" in page
    assert "Très concret" in page
    assert "!!UNKNOWN" not in page


# --- The import pages ---------------------------------------------------------------------


def upload(client, event, content, name="participants.csv"):
    return client.post(
        reverse("attendance_import", args=[event.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_import_journey_upload_check_confirm(client, staff):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    member = UserFactory(email="membre@exemple.fr")
    content = csv_file(
        [
            row("Camille", "Camille@Exemple.fr", "14:00", "15:30", "90"),
            row("Membre", "membre@exemple.fr", "14:00", "15:00", "60"),
            row("Inconnue", "inconnue@ailleurs.fr", "14:00", "15:00", "60"),
        ]
    )
    client.force_login(staff)
    response = upload(client, event, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "!!UNKNOWN" not in page
    assert response.context["mapping_form"]["email"].value() == "User Email"
    assert response.context["report"].ok
    assert "inconnue@ailleurs.fr" in page
    assert "Enregistrer les présences" in page
    registration.refresh_from_db()
    assert registration.attended is None  # nothing saved by the dry run

    # Staff tick "add the members who came unregistered" and check again.
    mapping = {**ZOOM_MAPPING, "duration": "", "min_minutes": "45", "absent_missing": "on"}
    response = client.post(
        reverse("attendance_import_check", args=[event.pk]), {**mapping, "add_unregistered": "on"}
    )
    assert "sera inscrit·e et marqué·e présent·e" in response.content.decode()
    token = response.context["token"]
    response = client.post(reverse("attendance_import_confirm", args=[event.pk]), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance_check_in", args=[event.pk])
    registration.refresh_from_db()
    assert (registration.attended, registration.attendance_minutes) == (True, 90)
    assert Registration.objects.get(event=event, person=member).attended is True
    # The file left the session: confirming twice does nothing.
    response = client.post(reverse("attendance_import_confirm", args=[event.pk]), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance_import", args=[event.pk])


def test_import_page_with_unknown_columns_asks_for_a_mapping(client, staff):
    event = WebinarFactory()
    content = csv_file([["camille@exemple.fr", "75"]], header=["Participant·e", "Temps (min)"])
    client.force_login(staff)
    response = upload(client, event, content)
    page = response.content.decode()
    assert response.context["report"] is None
    assert "Choisissez la colonne de l&#x27;adresse e-mail." in page
    # A column that is not in the file (an old form, a forged request).
    response = client.post(
        reverse("attendance_import_check", args=[event.pk]),
        {"email": "E-mail", "duration": "Temps (min)", "min_minutes": "30"},
    )
    assert "La colonne « E-mail » n&#x27;existe pas dans le fichier." in response.content.decode()
    assert not response.context["token"]
    response = client.post(
        reverse("attendance_import_check", args=[event.pk]),
        {"email": "Participant·e", "duration": "Temps (min)", "min_minutes": "30"},
    )
    assert response.context["report"].ok
    assert response.context["token"]


def test_import_refuses_large_files_and_reports_bad_rows(client, staff):
    event = WebinarFactory()
    client.force_login(staff)
    response = upload(client, event, b"x" * (2 * 1024 * 1024 + 1))
    assert "Le fichier dépasse 2 Mo" in response.content.decode()
    bad = csv_file([row("Camille", "camille@exemple.fr", "15:00", "14:00")])
    response = upload(client, event, bad)
    page = response.content.decode()
    assert "rien ne peut être enregistré" in page
    assert "avant l&#x27;arrivée" in page
    assert not response.context["token"]
    response = client.post(reverse("attendance_import_confirm", args=[event.pk]), {"token": "x"})
    assert response.status_code == 302


def wide_csv():
    """The file that took 35 s and made a 40 MB page: a header of 200,000 columns."""
    return (";".join(f"c{n}" for n in range(200_000)) + "\r\n").encode()


def deep_csv():
    """One participant row more than the bounds allow, under a Zoom header."""
    line = row("Camille", "camille@exemple.fr", "14:00", "15:00")
    return csv_file([line] * (attendance.LIMITS.max_row_number + 1))


def many_columns_csv():
    header = [*ZOOM_HEADER, *(f"Question {n}" for n in range(200))]
    return csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:00")], header=header)


HOSTILE = {
    "wide": (wide_csv, "Ligne 1 : Plus de 65\u202f536 caractères sur une seule ligne"),
    "deep": (deep_csv, "Le fichier dépasse 10\u202f000 lignes : découpez-le."),
    "columns": (many_columns_csv, "Ligne 1 : 205 colonnes, pour 100 au plus"),
    "garbage": (lambda: bytes(range(256)) * 100, "ni en UTF-8 ni en Windows-1252"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_files_beyond_the_bounds_are_refused_early(name):
    build, expected = HOSTILE[name]
    with pytest.raises(attendance.FileRejected) as refused:
        attendance.read_participants(build())
    assert expected in str(refused.value.error)
    work = refused.value.work
    assert work.rows <= attendance.LIMITS.max_row_number
    assert work.cells <= attendance.LIMITS.max_cells
    event = WebinarFactory()
    RegistrationFactory(event=event, person__email="camille@exemple.fr")
    report = check(event, build())
    assert [str(error) for error in report.errors] == [str(refused.value.error)]
    assert report.matched == [] and report.rows_read == 0


@pytest.mark.parametrize("name", HOSTILE)
def test_the_refusal_reaches_the_upload_form(client, staff, name):
    build, expected = HOSTILE[name]
    event = WebinarFactory()
    client.force_login(staff)
    response = upload(client, event, build())
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert len(response.content) < 100_000  # the page, not the file, comes back
    assert response.context["mapping_form"] is None and not response.context["token"]
    assert "attendance_import" not in client.session


def test_long_column_names_are_cut_in_the_mapping_form(client, staff):
    """100 columns of 600 characters: accepted, and the page stays small."""
    header = ["User Email", "Duration (Minutes)", *(f"Q{n} " + "x" * 600 for n in range(98))]
    content = csv_file([["camille@exemple.fr", "60", *([""] * 98)]], header=header)
    event = WebinarFactory()
    client.force_login(staff)
    response = upload(client, event, content)
    assert response.status_code == 200
    headers = client.session["attendance_import"]["headers"]
    assert len(headers) == 100 and max(len(h) for h in headers) == attendance.MAX_HEADER_LENGTH
    assert headers[2] == "Q0 " + "x" * 96 + "…"
    assert len(response.content) < 400_000


def test_import_confirm_checks_the_file_again(client, staff):
    event = WebinarFactory()
    registration = RegistrationFactory(event=event, person__email="camille@exemple.fr")
    content = csv_file([row("Camille", "camille@exemple.fr", "14:00", "15:30")])
    client.force_login(staff)
    token = upload(client, event, content).context["token"]
    registration.status = Status.CANCELLED  # cancelled between the dry run and the confirmation
    registration.save()
    response = client.post(reverse("attendance_import_confirm", args=[event.pk]), {"token": token})
    assert response.status_code == 200
    assert "Les inscriptions ont changé depuis la vérification" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


# --- Certificate --------------------------------------------------------------------------


def test_certificate_is_for_the_present_person(client, coordinator, staff):
    event = WebinarFactory(title="Webinaire CLSM")
    CoordinatorProfileFactory(user=UserFactory(first_name="Inès", last_name="Roux"))
    present = RegistrationFactory(
        event=event,
        person=coordinator,
        attended=True,
        attendance_minutes=75,
    )
    url = reverse("attendance_certificate", args=[present.pk])
    client.force_login(coordinator)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Attestation de présence" in page and "Webinaire CLSM" in page
    assert coordinator.get_full_name() in page and "Coordinatrice CLS, Ville de Saint-Denis" in page
    assert "1 h 15" in page
    assert "dimanche 22 novembre 2026, de 14:00 à 15:30" in page
    assert 'href="/static/css/print.css" media="print"' in page
    assert "data-print" in page and 'src="/static/js/print.js" defer' in page
    assert "<style" not in page and "onclick" not in page
    assert "!!UNKNOWN" not in page
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_certificate_is_refused_to_others_and_to_absent_people(client, coordinator):
    event = WebinarFactory()
    someone_else = RegistrationFactory(event=event, attended=True)
    client.force_login(coordinator)
    assert client.get(reverse("attendance_certificate", args=[someone_else.pk])).status_code == 404
    for attended in (False, None):
        mine = RegistrationFactory(person=coordinator, attended=attended)
        assert client.get(reverse("attendance_certificate", args=[mine.pk])).status_code == 404
    other_coordinator = CoordinatorProfileFactory().user
    mine = RegistrationFactory(person=coordinator, attended=True)
    client.force_login(other_coordinator)
    assert client.get(reverse("attendance_certificate", args=[mine.pk])).status_code == 404


def test_print_assets_exist():
    from django.contrib.staticfiles import finders

    script = Path(finders.find("js/print.js")).read_text(encoding="utf-8")
    assert "[data-print]" in script and "window.print()" in script
    assert "@page" in Path(finders.find("css/print.css")).read_text(encoding="utf-8")


# --- Feedback -----------------------------------------------------------------------------


def test_feedback_once_from_a_present_person(client, coordinator):
    registration = RegistrationFactory(person=coordinator, attended=True)
    url = reverse("attendance_feedback", args=[registration.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Êtes-vous satisfait·e" in page and "!!UNKNOWN" not in page
    response = client.post(url, {"satisfaction": "4", "usefulness": "5", "comment": "Merci"})
    assert response.status_code == 302
    feedback = Feedback.objects.get(registration=registration)
    assert (feedback.satisfaction, feedback.usefulness, feedback.comment) == (4, 5, "Merci")
    response = client.post(url, {"satisfaction": "1", "usefulness": "1"})
    assert "Vous avez déjà donné votre avis" in response.content.decode()
    assert Feedback.objects.filter(registration=registration).count() == 1
    feedback.refresh_from_db()
    assert feedback.satisfaction == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"usefulness": "3"}, "Donnez une note de 1 à 5."),
        ({"satisfaction": "0", "usefulness": "3"}, "La note doit être un nombre entier de 1 à 5."),
        ({"satisfaction": "6", "usefulness": "3"}, "La note doit être un nombre entier de 1 à 5."),
        ({"satisfaction": "4", "usefulness": "trois"}, "La note doit être un nombre entier"),
        (
            {"satisfaction": "4", "usefulness": "3", "comment": "x" * 2001},
            "2000 caractères au plus",
        ),
    ],
)
def test_feedback_scores_are_validated_in_french(client, coordinator, data, message):
    registration = RegistrationFactory(person=coordinator, attended=True)
    client.force_login(coordinator)
    response = client.post(reverse("attendance_feedback", args=[registration.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_only_from_the_present_person(client, coordinator):
    absent = RegistrationFactory(person=coordinator, attended=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("attendance_feedback", args=[absent.pk]), {"satisfaction": "5", "usefulness": "5"}
    )
    assert response.status_code == 403
    assert "Seules les personnes présentes" in response.content.decode()
    someone_else = RegistrationFactory(attended=True)
    response = client.post(
        reverse("attendance_feedback", args=[someone_else.pk]),
        {"satisfaction": "5", "usefulness": "5"},
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


# --- Queries do not grow with the registrations -------------------------------------------


def add_registrations(event, count):
    RegistrationFactory.create_batch(count - count // 5, event=event)
    for i in range(count // 5):
        guest(event, f"invite{event.pk}-{i}@ville.fr")
    # some feedback and check-ins
    for registration in event.registrations.all()[: count // 2]:
        registration.attended = True
        registration.save(update_fields=["attended"])
        Feedback.objects.create(
            registration=registration, satisfaction=4, usefulness=5, comment="Bien"
        )


def participants_of(event):
    rows = []
    for registration in event.registrations.select_related("person"):
        email = registration.person.email if registration.person_id else registration.email
        rows.append(row("Quelqu'un", email.upper(), "14:00", "15:00"))
        rows.append(row("Quelqu'un (2)", email, "15:05", "15:20"))
    return csv_file(rows)


@pytest.mark.parametrize("method", ["check_in", "check_in_search", "import_page", "dry_run"])
def test_pages_run_a_constant_number_of_queries(client, staff, method):
    small, large = WebinarFactory(), WebinarFactory()
    add_registrations(small, 10)
    add_registrations(large, 300)
    client.force_login(staff)

    def measure(event):
        if method == "check_in":
            return count_queries(client, reverse("attendance_check_in", args=[event.pk]))
        if method == "check_in_search":
            return count_queries(
                client, reverse("attendance_check_in", args=[event.pk]), {"q": "a"}
            )
        if method == "import_page":
            return count_queries(client, reverse("attendance_import", args=[event.pk]))
        content = participants_of(event)
        file = SimpleUploadedFile("participants.csv", content, content_type="text/csv")
        return count_queries(
            client, reverse("attendance_import", args=[event.pk]), {"file": file}, method="post"
        )

    measure(small)  # warm the session and the caches
    assert measure(small) == measure(large)
