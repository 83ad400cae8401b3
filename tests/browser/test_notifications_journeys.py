"""Notification journeys in a real browser: staff follow the demo newcomer's welcome e-mail from
the outbox to her timeline of planned e-mails and add a reminder rule; the newcomer turns event
reminders off on her preferences and unsubscribes from onboarding e-mails through the link they
carry; the notification pages pass an axe-core check.

Every step goes through the pages, as a person would; the ORM only finds ids, builds the signed
unsubscribe token an e-mail would carry, reads the e-mails the live server sent (same process:
Django's locmem outbox), and checks the end.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from agenda import reminders as agenda_reminders
from agenda.models import Event, Registration
from demo.notifications import TOUR, WELCOME
from notifications.models import Category, Delivery, Preference, ReminderRule, Sequence
from notifications.preferences import unsubscribe_token
from tests.browser.axe import open_and_check
from tests.browser.helpers import field

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # a newcomer: the welcome sequence runs for her
AWA_NAME = "Awa Diallo"
STAFF = "equipe@demo.example.org"
MANAGE, OUTBOX, RULES = "/gestion/", "/gestion/envois/", "/gestion/rappels/"
SEQUENCES, PROFILE, PREFERENCES = "/gestion/sequences/", "/profil/", "/profil/notifications/"
WELCOME_SUBJECT = "Bienvenue dans le réseau des coordinateur·rices, Awa"
WELCOME_TEXT = "Bienvenue dans le réseau régional des coordinateur·rices ASV, CLS et CLSM"
NO_OFFSET = "Indiquez au moins un jour ou une heure avant le début de l'événement."


def messages(page):
    return page.locator(".messages .alert")


def status_of(row):
    return row.get_by_role("cell").nth(1)


def delivery_row(page, subject):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=subject, exact=True))


def awa():
    return User.objects.get(email=AWA)


def welcome_delivery():
    return Delivery.objects.get(
        recipient__email=AWA, run__sequence__name=WELCOME, step__delay_days=0
    )


# --- Staff follow the welcome e-mail of a newcomer and add a reminder -------------------------


def outbox_filters(page):
    return page.locator("form:has(button:text-is('Filtrer'))")


def status_counter(page, label):
    counters = page.get_by_role("list", name="Nombre d'envois par statut")
    return counters.get_by_role("link", name=re.compile(rf"^{label} \d+$"))


def test_staff_follow_the_welcome_email_of_a_newcomer_and_add_a_reminder(login):
    welcome = welcome_delivery()
    assert welcome.status == Delivery.Status.SENT  # J0 goes at once
    sent_subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + WELCOME_SUBJECT
    assert [m.subject for m in mail.outbox if m.to == [AWA]].count(sent_subject) == 1

    # From the back-office index to the outbox, where planned e-mails come first (latest due
    # date first: the demo's reminders and follow-ups run months ahead).
    page = login(STAFF)
    expect(page).to_have_url(MANAGE)
    page.get_by_role("link", name="Envois : suivre et renvoyer les e-mails").click()
    expect(page).to_have_url(OUTBOX)
    expect(page.get_by_role("heading", level=1)).to_have_text("Envois")
    total = Delivery.objects.count()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ envois?$"))).to_have_text(
        f"{total} envois"
    )
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    expect(status_counter(page, "Envoyé")).to_have_text(f"Envoyé {sent}")

    # What has gone: the welcome e-mail is there; then hers only, the counts following.
    outbox_filters(page).get_by_label("Statut").select_option(label="Envoyé")
    outbox_filters(page).get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]status=sent(&|$)"))
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ envois?$"))).to_have_text(
        f"{sent} envoi{'s' if sent > 1 else ''}"
    )
    expect(status_counter(page, "Envoyé")).to_have_class(re.compile(r"\bbtn-primary\b"))
    rows = page.locator("tbody tr")
    expect(status_of(delivery_row(page, WELCOME_SUBJECT))).to_have_text("Envoyé")
    expect(rows.filter(has_not=page.locator(".badge", has_text="Envoyé"))).to_have_count(0)

    outbox_filters(page).get_by_label("Personne (nom ou e-mail)").fill("Diallo")
    outbox_filters(page).get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]person=Diallo(&|$)"))
    hers = Delivery.objects.filter(recipient__email=AWA)
    expect(rows).to_have_count(hers.filter(status=Delivery.Status.SENT).count())
    expect(rows.filter(has_not_text=AWA)).to_have_count(0)
    planned = hers.filter(status=Delivery.Status.DUE).count()
    expect(status_counter(page, "À envoyer")).to_have_text(f"À envoyer {planned}")

    # The welcome e-mail itself, as it went.
    page.get_by_role("link", name=WELCOME_SUBJECT, exact=True).click()
    expect(page).to_have_url(f"{OUTBOX}{welcome.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(WELCOME_SUBJECT)
    expect(page.locator("main .badge").first).to_have_text("Envoyé")
    message = page.get_by_role("region", name="Message")
    expect(message).to_contain_text(WELCOME_TEXT)
    expect(message).to_contain_text("Bonjour Awa,")
    details = page.get_by_role("region", name="Détails")
    expect(details.get_by_role("link", name=WELCOME)).to_be_visible()
    expect(page.get_by_role("button", name="Renvoyer")).to_have_count(0)  # it has gone

    # Her timeline: what went, then the onboarding steps and reminders still to come.
    details.get_by_role("link", name=AWA_NAME).click()
    expect(page).to_have_url(f"{OUTBOX}personne/{awa().pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"E-mails d’{AWA_NAME}")
    expect(page.get_by_role("region", name="Séquences d'accompagnement")).to_contain_text(
        re.compile(rf"{re.escape(WELCOME)} : depuis le .+, en cours")
    )
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(hers.count())
    expect(rows.first).to_contain_text(WELCOME_SUBJECT)
    steps = hers.filter(run__isnull=False, status=Delivery.Status.DUE).select_related("step")
    assert sorted(d.step.delay_days for d in steps) == [3, 7, 14, 30, 90]
    for delivery in steps:
        step = rows.filter(has_text=f"{WELCOME} (J+{delivery.step.delay_days})")
        expect(status_of(step)).to_have_text("À envoyer")
    reminders = hers.filter(category=Category.REMINDER).select_related("reminder")
    assert reminders.filter(topic_label__endswith=TOUR, reminder__hours_before=1).exists()
    for delivery in reminders:  # "12/03/2026 — <title> (rappel J-1)"
        about = f"{delivery.topic_label} (rappel {delivery.reminder.label})"
        expect(status_of(rows.filter(has_text=about))).to_have_text("À envoyer")

    # A reminder three days before every webinar: listed, and planned for those registered.
    page.goto(RULES)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rappels d'événements")
    add = page.get_by_role("region", name="Ajouter un rappel")
    field(add, "Type d'événement").select_option(label="Webinaire")
    field(add, "Jours avant").fill("3")
    field(add, "Heures avant").fill("0")
    add.get_by_role("button", name="Ajouter").click()
    expect(messages(page)).to_have_text(
        [
            "Rappel J-3 ajouté (Webinaire) : les personnes inscrites aux événements à venir "
            "le recevront."
        ]
    )
    expect(page).to_have_url(RULES)
    expect(page.get_by_role("button", name="Supprimer le rappel J-3 (Webinaire)")).to_be_visible()
    rule = ReminderRule.objects.get(kind=Event.Kind.WEBINAR, days_before=3, hours_before=0)
    far_enough = Registration.objects.filter(
        event__kind=Event.Kind.WEBINAR,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=timezone.now() + timedelta(days=4),
        status=Registration.Status.CONFIRMED,
        excused=False,
    )
    assert far_enough.exists()
    assert {agenda_reminders.about(r) for r in far_enough} <= set(
        rule.deliveries.filter(status=Delivery.Status.DUE).values_list("about", flat=True)
    )

    # A reminder must come before the start, and only once per offset.
    rules_before = ReminderRule.objects.count()
    add = page.get_by_role("region", name="Ajouter un rappel")
    field(add, "Jours avant").fill("0")
    field(add, "Heures avant").fill("0")
    add.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text(NO_OFFSET)).to_be_visible()
    field(add, "Type d'événement").select_option(label="Webinaire")
    field(add, "Jours avant").fill("3")
    add.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("Il existe déjà un rappel J-3 pour « Webinaire ».")).to_be_visible()
    assert ReminderRule.objects.count() == rules_before


# --- A newcomer chooses her e-mails -------------------------------------------------------------


def optional_boxes(page):
    return page.get_by_role("group", name="À votre choix").get_by_role("checkbox")


def test_a_newcomer_turns_reminders_off_and_unsubscribes_from_onboarding(login):
    page = login(AWA)
    page.goto(PROFILE)
    page.get_by_role("link", name=re.compile("^Mes notifications")).click()
    expect(page).to_have_url(PREFERENCES)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    essential = page.get_by_role("group", name="Toujours envoyés").get_by_role("checkbox")
    expect(essential).to_have_count(4)  # account, events, peers, requests for documents
    for box in essential.all():
        expect(box).to_be_checked()
        expect(box).to_be_disabled()
    expect(optional_boxes(page)).to_have_count(7)
    for box in optional_boxes(page).all():
        expect(box).to_be_checked()  # everything, until she chooses

    reminders = page.get_by_label("Rappels d'événements", exact=True)
    reminders.uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    expect(messages(page)).to_have_text(["Vos préférences d'envoi sont enregistrées."])
    expect(reminders).not_to_be_checked()
    page.reload()
    expect(reminders).not_to_be_checked()
    expect(page.get_by_label("Accompagnement des nouveaux", exact=True)).to_be_checked()
    assert Preference.objects.get(user__email=AWA).muted == [Category.REMINDER]

    # The link at the foot of an onboarding e-mail: confirm, and it is done.
    token = unsubscribe_token(awa(), Category.ONBOARDING)
    page.goto(f"/notifications/desinscription/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ne plus recevoir : Accompagnement des nouveaux"
    )
    page.get_by_role("button", name="Confirmer la désinscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit·e")
    expect(page.get_by_text("Vous ne recevrez plus : Accompagnement des nouveaux.")).to_be_visible()

    assert sorted(Preference.objects.get(user__email=AWA).muted) == [
        Category.ONBOARDING,
        Category.REMINDER,
    ]
    run = awa().sequence_runs.get(sequence__name=WELCOME)
    assert run.stopped_at is not None
    assert run.stop_reason == "La personne a désactivé les e-mails d'accompagnement."

    # Her preferences say so too.
    page.get_by_role("link", name="la page de vos notifications").click()
    expect(page).to_have_url(PREFERENCES)
    expect(page.get_by_label("Accompagnement des nouveaux", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Rappels d'événements", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Actualités du réseau", exact=True)).to_be_checked()


# --- Accessibility (axe-core) ------------------------------------------------------------------


def welcome_delivery_page():
    return f"{OUTBOX}{welcome_delivery().pk}/"


def timeline_of_awa():
    return f"{OUTBOX}personne/{awa().pk}/"


def welcome_sequence_page():
    return f"{SEQUENCES}{Sequence.objects.get(name=WELCOME).pk}/"


def new_step_page():
    return f"{SEQUENCES}{Sequence.objects.get(name=WELCOME).pk}/etapes/nouvelle/"


def unsubscribe_page():
    return f"/notifications/desinscription/{unsubscribe_token(awa(), Category.ONBOARDING)}/"


def sees_deliveries(page):
    expect(page.locator("tbody tr").first).to_be_visible()


def submit_unknown_variable(page):
    field(page, "Objet").fill("Bonjour {prénom}")
    field(page, "Texte").fill("Bonjour {prenom}, voici {lien_inconnu}.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_text("Variable inconnue : {lien_inconnu}.", exact=False)).to_be_visible()
    expect(field(page, "Délai (jours après le déclencheur)")).to_have_attribute(
        "aria-invalid", "true"
    )


def submit_no_offset(page):
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text(NO_OFFSET)).to_be_visible()


@pytest.mark.parametrize(
    ("email", "path", "then"),
    [
        (STAFF, lambda: OUTBOX, sees_deliveries),
        (STAFF, lambda: f"{OUTBOX}?status=due&category=reminder&person=Diallo", sees_deliveries),
        (STAFF, welcome_delivery_page, None),
        (STAFF, timeline_of_awa, sees_deliveries),
        (STAFF, lambda: RULES, None),
        (STAFF, lambda: RULES, submit_no_offset),
        (STAFF, lambda: SEQUENCES, None),
        (STAFF, welcome_sequence_page, None),
        (STAFF, new_step_page, submit_unknown_variable),
        (AWA, lambda: PREFERENCES, None),
        (None, unsubscribe_page, None),
    ],
    ids=[
        "outbox",
        "outbox-filtered",
        "delivery",
        "person-timeline",
        "rules",
        "rules-errors",
        "sequences",
        "sequence",
        "step-form-errors",
        "preferences",
        "unsubscribe",
    ],
)
def test_notification_pages_pass_axe(page, demo, login, console_errors, email, path, then):
    open_and_check(page, login, console_errors, email=email, path=path(), then=then)
