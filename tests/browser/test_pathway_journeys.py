"""Pathway journeys in a real browser: the demo newcomer joins « Nouveaux coordinateurs » that
Mon espace proposes, registers from its first step to the welcome day in one click, is checked in
by staff on the day, and finds the step done; she assesses her competencies for the first time;
the pathway, catalogue, self-assessment and library pages pass an axe-core check.

Every step goes through the pages, as a person would; the ORM only finds ids, gives back the seat
the demo booked for the newcomer (her journey starts before she registered), moves the welcome day
to today (time cannot pass otherwise), and checks the end.
"""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from agenda import services
from agenda.models import Event, Registration
from competencies.models import Competency
from core.text import de
from demo.pathways import BOUSSOLE, HEALTH_PROMOTION_PATHWAY, MATINALES, WELCOME_95, WELCOME_OFFER
from learning.models import Enrolment, Offer, Pathway, SelfAssessment, StepCompletion
from learning.progress import NEWCOMERS_PATHWAY
from resources.models import Resource
from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # a newcomer: no pathway, no self-assessment yet
AWA_NAME = "Awa Diallo"
JULIEN = "coordinateur@demo.example.org"  # experienced: « Promotion de la santé », two rounds
STAFF = "equipe@demo.example.org"
CRPV95 = "crpv95@demo.example.org"
DD93 = "dd93@demo.example.org"
HOME, PATHWAYS, VALIDATIONS = "/", "/parcours/", "/parcours/validations/"
OFFERS, COMPLEMENTARITY = "/parcours/offres/", "/parcours/offres/complementarite/"
COMPETENCIES, RESOURCES = "/parcours/offres/competences/", "/ressources/"
ASSESSMENT = "/parcours/auto-evaluation/"
NEW_ASSESSMENT, AGGREGATES = f"{ASSESSMENT}nouvelle/", f"{ASSESSMENT}synthese/"
WELCOME_STEP = "Participer à la journée d'accueil des nouveaux coordinateurs"
BOUSSOLE_STEP = "Lire La boussole de la démarche locale en santé"
REGISTERED = "Vous êtes inscrit·e. Un e-mail de confirmation arrive."


def switch_to(page, login, email):
    log_out(page)
    return login(email)


def messages(page):
    return page.locator(".messages .alert")


def pathway_page(title):
    return f"{PATHWAYS}{Pathway.objects.get(title=title).pk}/"


def step_card(page, title):
    steps = page.get_by_role("region", name="Les étapes").get_by_role("listitem")
    return steps.filter(
        has=page.get_by_role("heading", name=re.compile(rf"^\d+\. {re.escape(title)}$"))
    )


def my_progress(page):
    return (
        page.get_by_role("complementary")
        .locator(".card")
        .filter(has=page.get_by_role("heading", name="Ma progression"))
    )


def required_done(done, total):
    plural = "s" if done > 1 else ""
    return f"{done} étape{plural} obligatoire{plural} faite{plural} sur {total}"


# --- A newcomer joins her pathway, registers to the welcome day and attends it -----------------


def welcome_day():
    return Event.objects.get(offers__title=WELCOME_OFFER, starts_at__gt=timezone.now())


def move_to_today(event):
    """The day of the event comes: same hours, today (Paris time). Moving the event is the only
    way to let time pass in a browser test (the live server reads the real clock)."""
    shift = timezone.localdate() - timezone.localtime(event.starts_at).date()
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at + shift, ends_at=event.ends_at + shift
    )


def test_a_newcomer_joins_her_pathway_registers_to_the_welcome_day_and_attends_it(login):
    event = welcome_day()
    # The demo has registered Awa to the welcome day already: the journey starts before she did.
    services.registration_cancel(
        registration=Registration.objects.get(
            event=event, person__email=AWA, status=Registration.Status.CONFIRMED
        )
    )
    pathway = Pathway.objects.get(title=NEWCOMERS_PATHWAY)
    total = pathway.steps.filter(retired_at__isnull=True, is_required=True).count()

    # Mon espace proposes the newcomers' pathway, and so does the pathways page.
    page = login(AWA)
    expect(page).to_have_url(HOME)
    mine = page.get_by_role("region", name="Mes parcours")
    expect(mine).to_contain_text("Vous ne suivez aucun parcours pour l'instant.")
    expect(
        mine.get_by_role("heading", name=f"Recommandé pour vous : {NEWCOMERS_PATHWAY}")
    ).to_be_visible()
    expect(mine).to_contain_text("Vous êtes dans votre première année de coordination.")
    mine.get_by_role("link", name="Tous les parcours").click()
    expect(page).to_have_url(PATHWAYS)
    recommended = page.get_by_role("region", name=f"Recommandé pour vous : {NEWCOMERS_PATHWAY}")
    expect(recommended).to_contain_text("Vous êtes dans votre première année de coordination.")
    recommended.get_by_role("button", name=f"Rejoindre le parcours « {NEWCOMERS_PATHWAY} »").click()

    # She follows it; its first step, the welcome day, is open, its next session one click away.
    expect(page).to_have_url(f"{PATHWAYS}{pathway.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEWCOMERS_PATHWAY)
    expect(messages(page)).to_have_text(
        ["Vous suivez ce parcours. Les étapes déjà faites (présences, lectures) sont cochées."]
    )
    expect(my_progress(page)).to_contain_text(required_done(0, total))
    welcome = step_card(page, WELCOME_STEP)
    expect(welcome.locator(".badge", has_text="Ouverte")).to_be_visible()
    # A session never locks the steps after it: La boussole is to read meanwhile.
    expect(step_card(page, BOUSSOLE_STEP).locator(".badge", has_text="Ouverte")).to_be_visible()
    expect(welcome.get_by_role("link", name=event.title)).to_have_attribute(
        "href", f"/agenda/{event.pk}/"
    )
    welcome.get_by_role(
        "button", name=re.compile(rf"^S'inscrire à la séance « {re.escape(event.title)} »")
    ).click()

    # Back on her pathway, registered.
    expect(page).to_have_url(f"{PATHWAYS}{pathway.pk}/")
    expect(messages(page)).to_have_text([REGISTERED])
    welcome = step_card(page, WELCOME_STEP)
    expect(welcome.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    expect(welcome.get_by_role("button", name=re.compile("^S'inscrire"))).to_have_count(0)
    assert Registration.objects.filter(
        event=event, person__email=AWA, status=Registration.Status.CONFIRMED
    ).exists()
    assert Enrolment.objects.filter(pathway=pathway, person__email=AWA).count() == 1

    # The day comes (see move_to_today): staff check her in on the check-in page.
    move_to_today(event)
    switch_to(page, login, STAFF)
    page.goto(f"/agenda/{event.pk}/presences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Présences")
    page.get_by_label("Rechercher une personne (nom, prénom ou e-mail)").fill("Diallo")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name=f"Présent·e : {AWA_NAME}").click()
    expect(page.get_by_role("button", name=f"Annuler la présence {de(AWA_NAME)}")).to_be_visible()
    completion = StepCompletion.objects.get(enrolment__person__email=AWA, step__title=WELCOME_STEP)
    assert completion.source == StepCompletion.Source.ATTENDANCE

    # Awa finds the step done, and her progress moved on.
    switch_to(page, login, AWA)
    page.goto(f"{PATHWAYS}{pathway.pk}/")
    welcome = step_card(page, WELCOME_STEP)
    expect(welcome.locator(".badge", has_text="Faite")).to_be_visible()
    today = date_format(timezone.localdate(), "j F Y")
    expect(welcome.get_by_text(re.compile("^Faite le "))).to_have_text(
        f"Faite le {today} : présence à « {event.title} » le {today}."
    )
    expect(welcome.get_by_role("button")).to_have_count(0)
    expect(step_card(page, BOUSSOLE_STEP).locator(".badge", has_text="Ouverte")).to_be_visible()
    expect(my_progress(page)).to_contain_text(required_done(1, total))

    # Mon espace says so too, with her next step.
    page.goto(HOME)
    mine = page.get_by_role("region", name="Mes parcours")
    expect(mine.get_by_role("link", name=NEWCOMERS_PATHWAY)).to_be_visible()
    expect(mine).to_contain_text(required_done(1, total))
    expect(mine).to_contain_text(f"Prochaine étape : {BOUSSOLE_STEP}")
    # No longer proposed: she follows it.
    expect(
        mine.get_by_role("heading", name=f"Recommandé pour vous : {NEWCOMERS_PATHWAY}")
    ).to_have_count(0)


# --- A newcomer assesses her competencies for the first time -----------------------------------


def question(page, competency):
    return page.get_by_role("group", name=competency.name, exact=True)


def level(page, competency, value):
    return question(page, competency).get_by_role("radio", name=re.compile(rf"^{value} — "))


def test_a_newcomer_assesses_her_competencies_for_the_first_time(login):
    competencies = list(
        Competency.objects.filter(is_active=True).order_by("domain__position", "position")
    )
    chosen = {c.pk: 1 + i % 3 for i, c in enumerate(competencies)}
    *answered, forgotten = competencies
    labels = dict(Competency.LEVELS)

    page = login(AWA)
    page.get_by_role("region", name="Ma dernière auto-évaluation").get_by_role(
        "link", name="M'auto-évaluer"
    ).click()
    expect(page).to_have_url(NEW_ASSESSMENT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Faire le point sur mes compétences")
    for competency in answered:
        level(page, competency, chosen[competency.pk]).check()
    page.get_by_role("button", name="Enregistrer mon auto-évaluation").click()

    # One answer missing: told in French, nothing saved, her answers kept.
    missing = f"Choisissez votre niveau pour « {forgotten.name} »."
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("Votre auto-évaluation n'est pas enregistrée")
    expect(alert.get_by_role("link", name=missing)).to_have_attribute("href", f"#q-{forgotten.pk}")
    expect(question(page, forgotten)).to_contain_text(missing)
    for competency in answered:
        expect(level(page, competency, chosen[competency.pk])).to_be_checked()
    assert not SelfAssessment.objects.filter(person__email=AWA).exists()

    level(page, forgotten, chosen[forgotten.pk]).check()
    page.get_by_role("button", name="Enregistrer mon auto-évaluation").click()

    # Her history: a chart and the same figures in a table.
    expect(page).to_have_url(ASSESSMENT)
    expect(messages(page)).to_have_text(["Votre auto-évaluation est enregistrée. Merci !"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon auto-évaluation")
    expect(
        page.get_by_role(
            "img", name="Mes niveaux par compétence, de 1 (découverte) à 4 (transmission)"
        )
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Mes niveaux par compétence"))
    for competency in competencies:
        value = chosen[competency.pk]
        row = table.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=competency.name, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text([f"{value} — {labels[value]}"])
    (assessment,) = SelfAssessment.objects.filter(person__email=AWA)
    assert {r.competency_id: r.level for r in assessment.ratings.all()} == chosen

    # Mon espace shows her latest self-assessment.
    page.goto(HOME)
    latest = page.get_by_role("region", name="Ma dernière auto-évaluation")
    first = competencies[0]
    expect(latest).to_contain_text(
        f"{first.name} : {chosen[first.pk]}/4 ({labels[chosen[first.pk]].lower()})"
    )
    expect(latest.get_by_role("link", name="Voir ma progression")).to_be_visible()


# --- Accessibility (axe-core) ------------------------------------------------------------------


def newcomers_pathway():
    return pathway_page(NEWCOMERS_PATHWAY)


def health_promotion_pathway():
    return pathway_page(HEALTH_PROMOTION_PATHWAY)


def welcome_offer():
    return f"{OFFERS}{Offer.objects.get(title=WELCOME_OFFER).pk}/"


def boussole():
    return f"{RESOURCES}{Resource.objects.get(title=BOUSSOLE).pk}/"


def sees_his_steps(page):
    expect(my_progress(page)).to_contain_text(re.compile(r"étapes? obligatoires? faites? sur \d+"))


def sees_a_pending_request(page):
    expect(
        page.get_by_role("button", name=re.compile("^Accepter la demande de ")).first
    ).to_be_visible()


def filter_offers(page):
    """The whole catalogue passes first; then the offers for newcomers of the Val-d'Oise."""
    assert_no_serious_violation(page)
    filters = page.locator("form:has(button:text-is('Filtrer'))")
    filters.get_by_label("Département").select_option(label="Val-d'Oise (95)")
    filters.get_by_label("Public").select_option(label="Nouveaux coordinateur·rices")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]audience=newcomers(&|$)"))
    expect(page.get_by_role("article", name=WELCOME_95)).to_be_visible()
    expect(page.get_by_role("article", name=MATINALES)).to_have_count(0)


def submit_incomplete(page):
    """The empty form passes first; then its errors, every question missing."""
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Enregistrer mon auto-évaluation").click()
    expect(page.get_by_role("alert")).to_contain_text("Votre auto-évaluation n'est pas enregistrée")


def sees_two_rounds(page):
    expect(page.get_by_role("columnheader", name=re.compile("^Première"))).to_be_visible()
    expect(page.get_by_role("columnheader", name=re.compile("^Dernière"))).to_be_visible()


@pytest.mark.parametrize(
    ("email", "path", "then"),
    [
        (AWA, lambda: PATHWAYS, None),
        (STAFF, lambda: PATHWAYS, None),
        (JULIEN, health_promotion_pathway, sees_his_steps),
        (STAFF, newcomers_pathway, None),
        (STAFF, lambda: VALIDATIONS, sees_a_pending_request),
        (JULIEN, lambda: OFFERS, filter_offers),
        (AWA, welcome_offer, None),
        (STAFF, lambda: COMPLEMENTARITY, None),
        (CRPV95, lambda: COMPLEMENTARITY, None),
        (JULIEN, lambda: COMPETENCIES, None),
        (AWA, lambda: NEW_ASSESSMENT, submit_incomplete),
        (JULIEN, lambda: ASSESSMENT, sees_two_rounds),
        (STAFF, lambda: AGGREGATES, None),
        (DD93, lambda: AGGREGATES, None),
        (JULIEN, lambda: RESOURCES, None),
        (JULIEN, boussole, None),
        (AWA, lambda: HOME, None),
        (JULIEN, lambda: HOME, None),
    ],
    ids=[
        "pathways-coordinator",
        "pathways-staff",
        "pathway-enrolled",
        "pathway-staff",
        "prior-learning-requests",
        "offers-then-filtered",
        "offer",
        "complementarity-staff",
        "complementarity-partner",
        "competencies",
        "assessment-form-then-errors",
        "assessment-history",
        "aggregates-staff",
        "aggregates-partner",
        "resources",
        "resource",
        "home-newcomer",
        "home-enrolled",
    ],
)
def test_pathway_pages_pass_axe(page, demo, login, console_errors, email, path, then):
    open_and_check(page, login, console_errors, email=email, path=path(), then=then)
