"""Agenda journeys in a real browser: a coordinator finds a webinar, registers, adds it to his
calendar and cancels; staff create a regional day, invite a guest who registers without an
account, and check people in; a partner of the CRPV 95 publishes a departmental event that
coordinators find in their département's agenda; the agenda's pages pass an axe-core check.

Every step goes through the pages, as a person would; the ORM only finds ids, reads the e-mail
the live server sent (same process: Django's locmem outbox), and checks the end.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.models import User
from agenda import services
from agenda.models import Event, GuestInvitation, Registration
from core.text import de
from territories.models import Department
from tests.browser.axe import open_and_check
from tests.browser.helpers import field, log_out, search_and_choose

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # a newcomer, registered to the welcome day
JULIEN = "coordinateur@demo.example.org"  # Sarcelles (Val-d'Oise)
STAFF = "equipe@demo.example.org"
CRPV95 = "crpv95@demo.example.org"
AGENDA, MONTH, NEW_EVENT = "/agenda/", "/agenda/mois/", "/agenda/nouveau/"
ICS_LINK = "Ajouter à mon agenda (.ics)"
VIDEO_LINK = "Rejoindre la visioconférence"
INPUT_MINUTE = "%Y-%m-%dT%H:%M"  # what a datetime-local input takes

REGIONAL_DAY = "Journée régionale : santé mentale et logement, agir ensemble"
GUEST = {
    "first_name": "Hélène",
    "last_name": "Marchetti",
    "email": "helene.marchetti@ville-sarcelles.example.org",
    "function": "Adjointe au maire déléguée à la santé",
}
GUEST_NAME = f"{GUEST['first_name']} {GUEST['last_name']}"
WORKSHOP = "Atelier du Val-d'Oise : prévenir les conduites addictives des jeunes"


def switch_to(page, login, email):
    log_out(page)
    return login(email)


def messages(page):
    return page.locator(".messages .alert")


def agenda_filters(page):
    return page.locator("form:has(button:text-is('Filtrer'))")


def event_cards(page):
    return page.get_by_role("region", name=re.compile("à venir$")).locator("article.card")


def event_card(page, title):
    return event_cards(page).filter(has=page.get_by_role("heading", name=title, exact=True))


def seated(event):
    return event.registrations.filter(status__in=Registration.SEATED).count()


# --- A coordinator registers to a webinar, adds it to his calendar, and cancels ---------------


def webinar_with_free_seats_for(email):
    """The next webinar with free seats that the person is not registered to."""
    now = timezone.now()
    webinars = (
        Event.objects.filter(kind=Event.Kind.WEBINAR, starts_at__gt=now)
        .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
        .exclude(registrations__person__email=email)
        .order_by("starts_at")
    )
    return next(w for w in webinars if seated(w) < w.capacity)


def places_left(event):
    left = event.capacity - seated(event)
    plural = "s" if left > 1 else ""
    return f"{left} place{plural} libre{plural} sur {event.capacity}"


def test_a_coordinator_registers_to_a_webinar_adds_it_to_his_calendar_and_cancels(login):
    webinar = webinar_with_free_seats_for(JULIEN)
    seats_before = seated(webinar)

    # Julien opens the agenda and keeps the webinars.
    page = login(JULIEN)
    page.goto(AGENDA)
    agenda_filters(page).get_by_label("Type").select_option(label="Webinaire")
    agenda_filters(page).get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]kind=webinar(&|$)"))
    expect(event_cards(page).first).to_be_visible()
    expect(event_cards(page).filter(has_not_text="Webinaire")).to_have_count(0)
    event_card(page, webinar.title).get_by_role("link", name=webinar.title).click()

    expect(page).to_have_url(f"{AGENDA}{webinar.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(webinar.title)
    expect(page.get_by_text(places_left(webinar))).to_be_visible()
    expect(page.get_by_role("link", name=VIDEO_LINK)).to_have_count(0)

    # One click.
    page.get_by_role("button", name="M'inscrire", exact=True).click()
    expect(messages(page)).to_have_text(["Vous êtes inscrit·e. Un e-mail de confirmation arrive."])
    expect(page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=VIDEO_LINK)).to_have_attribute("href", webinar.video_url)
    expect(page.get_by_text(places_left(webinar))).to_be_visible()  # one fewer
    registration = Registration.objects.get(event=webinar, person__email=JULIEN)
    assert registration.status == Registration.Status.CONFIRMED
    assert seated(webinar) == seats_before + 1
    confirmation = [m for m in mail.outbox if m.to == [JULIEN] and webinar.title in m.subject]
    assert len(confirmation) == 1
    assert [name for name, *_ in confirmation[0].attachments] == [f"evenement-{webinar.pk}.ics"]

    # The calendar file: one event, at Paris time, with the video link he now may see.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=ICS_LINK).click()
    download = download_info.value
    assert download.suggested_filename == f"evenement-{webinar.pk}.ics"
    calendar = Calendar.from_ical(download.path().read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == webinar.title
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART") == webinar.starts_at
    assert (
        vevent.decoded("DTSTART").utcoffset() == timezone.localtime(webinar.starts_at).utcoffset()
    )
    assert vevent.decoded("DTEND") == webinar.ends_at
    assert webinar.video_url in str(vevent["DESCRIPTION"])

    # Cancel, once confirmed: the seat is free again, and the page offers to register.
    page.get_by_role("link", name="Me désinscrire").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(messages(page)).to_have_text(
        ["Votre inscription est annulée. Merci d'avoir libéré la place."]
    )
    expect(page.get_by_role("button", name="M'inscrire", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=VIDEO_LINK)).to_have_count(0)
    # The .ics stays downloadable for anyone; the video link is for the registered only.
    expect(page.get_by_text(places_left(webinar))).to_be_visible()

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.cancelled_at is not None
    assert not webinar.registrations.filter(
        person__email=JULIEN, status__in=Registration.ACTIVE
    ).exists()
    assert seated(webinar) == seats_before


# --- Staff create a regional day, invite a guest, and check people in --------------------------


def later_today():
    """Start and end of a regional day starting in two hours (Paris time): the form refuses a
    past start, and check-in opens on the day of the event."""
    start = (timezone.localtime() + timedelta(hours=2)).replace(second=0, microsecond=0)
    return start, start + timedelta(hours=3)


def fill_event_form(page, *, kind, title, start, end, place, capacity, organiser):
    field(page, "Type").select_option(label=kind)
    field(page, "Titre").fill(title)
    field(page, "Description").fill(
        "Une journée d'échanges entre coordinateur·rices, élu·es et partenaires.\n\n"
        "**Au programme**\n\n- Table ronde\n- Ateliers en sous-groupes"
    )
    field(page, "Début").fill(start.strftime(INPUT_MINUTE))
    field(page, "Fin").fill(end.strftime(INPUT_MINUTE))
    field(page, "Lieu").fill(place)
    field(page, "Places").fill(str(capacity))
    field(page, "Organisé par").select_option(label=organiser)


def counter(page, label):
    card = page.locator("#compteurs .card").filter(
        has=page.locator("p.small", has_text=re.compile(f"^{label}$"))
    )
    return card.locator(".figure-number")


def invitation_path(email):
    """The guest link, read in the e-mail the live server sent (same process: locmem outbox)."""
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return re.search(r"/agenda/invitation/[\w-]+/", message.body).group()


def test_staff_create_a_regional_day_invite_a_guest_and_check_people_in(login):
    start, end = later_today()

    # Staff publish the day from the agenda.
    page = login(STAFF)
    page.goto(AGENDA)
    page.get_by_role("link", name="Nouvel événement").click()
    expect(page).to_have_url(NEW_EVENT)
    fill_event_form(
        page,
        kind="Journée régionale",
        title=REGIONAL_DAY,
        start=start,
        end=end,
        place="Salle des fêtes, 1 place de la Mairie, 95200 Sarcelles",
        capacity=60,
        organiser="PromoSanté IdF",
    )
    expect(page.get_by_label("Tous les coordinateur·rices")).to_be_checked()  # the default
    page.get_by_label("Hiérarchie et élu·es (invité·es)").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(REGIONAL_DAY)
    expect(messages(page).last).to_have_text(f"« {REGIONAL_DAY} » est enregistré.")
    event = Event.objects.get(title=REGIONAL_DAY)
    expect(page).to_have_url(f"{AGENDA}{event.pk}/")
    expect(page.get_by_text("Offre régionale")).to_be_visible()
    assert event.kind == Event.Kind.REGIONAL_DAY
    assert event.audiences == [Event.Audience.ALL, Event.Audience.GUESTS]
    assert (event.starts_at, event.ends_at) == (start, end)
    assert (event.capacity, str(event.organiser)) == (60, "PromoSanté IdF")
    assert not event.departments.exists()

    # ... then invite an elected official from the event page.
    invite = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Inviter ma hiérarchie ou un·e élu·e")
    )
    field(invite, "Prénom").fill(GUEST["first_name"])
    field(invite, "Nom").fill(GUEST["last_name"])
    field(invite, "Adresse e-mail").fill(GUEST["email"])
    field(invite, "Fonction").fill(GUEST["function"])
    invite.get_by_role("button", name="Envoyer l'invitation").click()
    expect(messages(page)).to_have_text([f"Invitation envoyée à {GUEST['email']}."])
    guest_link = invitation_path(GUEST["email"])
    invitation = GuestInvitation.objects.get(event=event)
    assert guest_link == f"{AGENDA}invitation/{invitation.token}/"

    # The guest opens the link without an account, checks her details and registers.
    log_out(page)
    page.goto(guest_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(REGIONAL_DAY)
    expect(page.get_by_text("Vous êtes invité·e par Claire Lambert.")).to_be_visible()
    expect(field(page, "Prénom")).to_have_value(GUEST["first_name"])
    expect(field(page, "Nom")).to_have_value(GUEST["last_name"])
    expect(field(page, "Adresse e-mail")).to_have_value(GUEST["email"])
    expect(field(page, "Fonction")).to_have_value(GUEST["function"])
    search_and_choose(page, "Commune", "sarcel", "Sarcelles (95)")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes inscrit·e")
    expect(page.get_by_text(f"envoyé à {GUEST['email']}")).to_be_visible()

    guest = Registration.objects.get(event=event, person__isnull=True)
    assert guest.status == Registration.Status.CONFIRMED
    assert (guest.first_name, guest.last_name, guest.email) == (
        GUEST["first_name"],
        GUEST["last_name"],
        GUEST["email"],
    )
    assert (guest.function, guest.commune.name) == (GUEST["function"], "Sarcelles")
    assert guest.invited_by.email == STAFF
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.registration == guest
    page.goto(guest_link)  # now the guest's own page for their registration
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes inscrit·e")
    expect(page.get_by_role("link", name="Annuler mon inscription")).to_be_visible()

    # A coordinator registers too (her own journey is the webinar's, above).
    services.event_register(event=event, person=User.objects.get(email=AWA))
    if timezone.localtime(event.starts_at).date() > timezone.localdate():  # run near midnight
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(starts_at=now, ends_at=now + timedelta(hours=3))

    # On the day, staff check people in from the event page.
    login(STAFF)
    page.goto(f"{AGENDA}{event.pk}/")
    page.get_by_role("link", name="Pointer les présences").click()
    expect(page).to_have_url(f"{AGENDA}{event.pk}/presences/")
    expect(page.get_by_text("Le pointage ouvre le jour de l'événement.")).to_have_count(0)
    expect(counter(page, "inscrit·es")).to_have_text("2")
    expect(counter(page, "présent·es")).to_have_text("0")
    expect(counter(page, "à pointer")).to_have_text("2")

    page.get_by_label("Rechercher une personne (nom, prénom ou e-mail)").fill(GUEST["last_name"])
    expect(page.get_by_role("status").filter(has_text="personne")).to_have_text(
        f"1 personne pour « {GUEST['last_name']} »"
    )
    people = page.locator("#liste-inscrits li")
    expect(people).to_have_count(1)
    expect(people).to_contain_text(f"invité·e — {GUEST['function']}")
    page.get_by_role("button", name=f"Présent·e : {GUEST_NAME}").click()
    expect(page.get_by_role("button", name=f"Annuler la présence {de(GUEST_NAME)}")).to_be_visible()
    expect(people.locator(".badge", has_text="Présent·e")).to_be_visible()
    expect(counter(page, "présent·es")).to_have_text("1")
    expect(counter(page, "à pointer")).to_have_text("1")
    expect(counter(page, "inscrit·es")).to_have_text("2")

    guest.refresh_from_db()
    assert guest.attended is True and guest.checked_in_at is not None
    assert Registration.objects.get(event=event, person__email=AWA).attended is None

    # The event page's summary agrees.
    page.goto(f"{AGENDA}{event.pk}/")
    expect(page.get_by_text(re.compile(r"^1 présent·e"))).to_contain_text("0 absent")


# --- A CRPV 95 partner publishes a departmental event -----------------------------------------


def test_a_crpv_partner_publishes_a_departmental_event_found_in_its_departement(login):
    start = (timezone.localtime() + timedelta(days=21)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    val_d_oise = Department.objects.get(code="95")

    page = login(CRPV95)
    page.goto(AGENDA)
    page.get_by_role("link", name="Nouvel événement").click()
    expect(page).to_have_url(NEW_EVENT)
    # Its own organisation and its own département only.
    expect(field(page, "Organisé par").locator("option")).to_have_text(["---------", "CRPV 95"])
    expect(
        page.get_by_role("group", name="Départements concernés").get_by_role("checkbox")
    ).to_have_count(1)
    fill_event_form(
        page,
        kind="Atelier départemental",
        title=WORKSHOP,
        start=start,
        end=start + timedelta(hours=2, minutes=30),
        place="Maison de la santé, 12 avenue de la Division-Leclerc, 95200 Sarcelles",
        capacity=25,
        organiser="CRPV 95",
    )
    page.get_by_label("Val-d'Oise (95)").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
    expect(messages(page).last).to_have_text(f"« {WORKSHOP} » est enregistré.")
    expect(page.get_by_text("Offre départementale")).to_be_visible()
    expect(page.get_by_text("Atelier départemental · organisé par CRPV 95")).to_be_visible()
    event = Event.objects.get(title=WORKSHOP)
    assert event.kind == Event.Kind.DEPARTMENTAL
    assert list(event.departments.all()) == [val_d_oise]
    assert (str(event.organiser), event.created_by.email) == ("CRPV 95", CRPV95)

    page.goto(AGENDA)
    card = event_card(page, WORKSHOP)
    expect(card).to_contain_text("Offre départementale")
    expect(card).to_contain_text("Atelier départemental · CRPV 95 · 95")

    # A coordinator of the Val-d'Oise finds it in his département's agenda.
    switch_to(page, login, JULIEN)
    page.goto(AGENDA)
    agenda_filters(page).get_by_label("Département").select_option(label="Val-d'Oise")
    agenda_filters(page).get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(rf"[?&]department={val_d_oise.pk}(&|$)"))
    card = event_card(page, WORKSHOP)
    expect(card).to_contain_text("Offre départementale")
    expect(card).to_contain_text("CRPV 95 · 95")
    # Only the Val-d'Oise's offers and the regional ones: not those of the Seine-Saint-Denis.
    for title in upcoming(departments__code="93").values_list("title", flat=True):
        expect(event_card(page, title)).to_have_count(0)
    expect(event_cards(page).filter(has_text="Offre régionale").first).to_be_visible()
    card.get_by_role("link", name=WORKSHOP).click()
    expect(page.get_by_role("button", name="M'inscrire", exact=True)).to_be_visible()


# --- Accessibility (axe-core) ------------------------------------------------------------------


def upcoming(**filters):
    return Event.objects.filter(starts_at__gt=timezone.now(), **filters).order_by("starts_at")


def welcome_day_of_awa():
    """An event page as a registered coordinator: her seat, the .ics, the invitation form."""
    event = upcoming(is_welcome_day=True, registrations__person__email=AWA).get()
    return f"{AGENDA}{event.pk}/"


def guest_link():
    event = upcoming(is_welcome_day=True).get()
    invitation = GuestInvitation.objects.create(
        event=event,
        email="maire-adjoint@ville-sarcelles.example.org",
        first_name="Karim",
        last_name="Benali",
        function="Adjoint au maire délégué à la santé",
        invited_by=User.objects.get(email=AWA),
        expires_at=event.starts_at,
    )
    return f"{AGENDA}invitation/{invitation.token}/"


def last_webinar():
    """A past webinar: check-in open, people present, absent and excused."""
    return (
        Event.objects.filter(kind=Event.Kind.WEBINAR, ends_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )


def check_in_page():
    return f"{AGENDA}{last_webinar().pk}/presences/"


def import_page():
    return f"{AGENDA}{last_webinar().pk}/presences/import/"


def upload_participants(page):
    """The import page with its dry-run report: a registered person, an unknown one."""
    webinar = last_webinar()
    came = webinar.registrations.filter(attended=True).select_related("person").first()
    times = ";".join(
        f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"
        for moment in (webinar.starts_at, webinar.ends_at)
    )
    rows = [
        "Nom;E-mail;Arrivée;Départ",
        f"{came.display_name};{came.person.email};{times}",
        f"Inconnu Anonyme;inconnu@example.org;{times}",
    ]
    field(page, "Fichier des participants (CSV)").set_input_files(
        files=[
            {"name": "participants.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}
        ]
    )
    page.get_by_role("button", name="Envoyer et vérifier").click()
    expect(page.get_by_role("heading", name="Vérification du fichier")).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("^Personnes inscrites reconnues"))
    ).to_contain_text(came.display_name)


def sees_her_seat(page):
    expect(page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Inviter ma hiérarchie ou un·e élu·e")).to_be_visible()


def can_tap(page):
    expect(page.get_by_role("button", name=re.compile("^Présent·e : ")).first).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("^Annuler la présence d(e |’)")).first
    ).to_be_visible()


def submit_empty(page):
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()


@pytest.mark.parametrize(
    ("email", "path", "then"),
    [
        (JULIEN, lambda: AGENDA, None),
        (JULIEN, lambda: MONTH, None),
        (AWA, welcome_day_of_awa, sees_her_seat),
        (STAFF, lambda: NEW_EVENT, None),
        (STAFF, lambda: NEW_EVENT, submit_empty),
        (None, guest_link, None),
        (STAFF, check_in_page, can_tap),
        (STAFF, import_page, None),
        (STAFF, import_page, upload_participants),
    ],
    ids=[
        "agenda",
        "month",
        "event-registered",
        "event-form",
        "event-form-errors",
        "guest-registration",
        "check-in",
        "import",
        "import-report",
    ],
)
def test_agenda_pages_pass_axe(page, demo, login, console_errors, email, path, then):
    open_and_check(page, login, console_errors, email=email, path=path(), then=then)
