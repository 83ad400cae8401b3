"""A newcomer's first day on her pathway (issue 11, #5 and #6), in a real browser against the
demo: Awa joins « Nouveaux coordinateurs » weeks before the welcome day and still has a step to
do that day: she reads La boussole (its document opens, and only then the step is done); the
tutoring step then leads her to the tutoring page.

The ORM only finds ids and checks the end; every action goes through the pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Event
from demo.pathways import BOUSSOLE, WELCOME_OFFER
from learning.models import Pathway, StepCompletion
from learning.progress import NEWCOMERS_PATHWAY
from resources.models import Resource, ResourceRead

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # a newcomer: no pathway yet
HOME = "/"
WELCOME_STEP = "Participer à la journée d'accueil des nouveaux coordinateurs"
BOUSSOLE_STEP = "Lire La boussole de la démarche locale en santé"
TUTORING_STEP = "Être accompagné·e par un·e tuteur·rice"


def step_card(page, title):
    steps = page.get_by_role("region", name="Les étapes").get_by_role("listitem")
    return steps.filter(
        has=page.get_by_role("heading", name=re.compile(rf"^\d+\. {re.escape(title)}$"))
    )


def test_a_newcomer_who_joins_weeks_before_the_welcome_day_has_a_step_to_do_that_day(login):
    welcome_day = Event.objects.filter(
        offers__title=WELCOME_OFFER, starts_at__gt=timezone.now()
    ).earliest("starts_at")
    assert welcome_day.starts_at > timezone.now() + timedelta(weeks=3)  # weeks to wait
    pathway = Pathway.objects.get(title=NEWCOMERS_PATHWAY)

    page = login(AWA)
    expect(page).to_have_url(HOME)
    page.get_by_role("region", name="Mes parcours").get_by_role(
        "button", name=f"Rejoindre le parcours « {NEWCOMERS_PATHWAY} »"
    ).click()
    expect(page).to_have_url(f"/parcours/{pathway.pk}/")

    # The welcome day is open (to register), and so is La boussole, to read today.
    expect(step_card(page, WELCOME_STEP).locator(".badge", has_text="Ouverte")).to_be_visible()
    boussole = step_card(page, BOUSSOLE_STEP)
    expect(boussole.locator(".badge", has_text="Ouverte")).to_be_visible()

    # Mon espace says what to do meanwhile.
    page.goto(HOME)
    mine = page.get_by_role("region", name="Mes parcours")
    expect(mine).to_contain_text(f"Prochaine étape : {WELCOME_STEP}")
    expect(mine).to_contain_text(f"À faire dès maintenant : {BOUSSOLE_STEP}")
    mine.get_by_role("link", name=BOUSSOLE_STEP).click()

    # She reads it: the resource page, then its document.
    step_card(page, BOUSSOLE_STEP).get_by_role(
        "link", name=re.compile("^Lire la ressource")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BOUSSOLE)
    assert not ResourceRead.objects.filter(person__email=AWA, resource__title=BOUSSOLE).exists()
    with page.context.expect_page() as opened:  # in a new tab: the platform stays open
        page.get_by_role("link", name=re.compile("^Ouvrir la ressource")).click()
    document = opened.value
    expect(document.locator("body")).to_contain_text("LA BOUSSOLE DE LA DÉMARCHE LOCALE EN SANTÉ")
    document.close()
    completion = StepCompletion.objects.get(enrolment__person__email=AWA, step__title=BOUSSOLE_STEP)
    assert completion.source == StepCompletion.Source.READING

    # Back on her pathway: the step is done that day; the tutoring step leads to the tutoring page.
    page.goto(f"/parcours/{pathway.pk}/")
    expect(step_card(page, BOUSSOLE_STEP).locator(".badge", has_text="Faite")).to_be_visible()
    expect(step_card(page, BOUSSOLE_STEP)).to_contain_text("ressource lue")
    ask = step_card(page, TUTORING_STEP).get_by_role("link", name="Trouver un·e tuteur·rice")
    expect(ask).to_have_attribute("href", "/entraide/tutorat/")


def test_a_web_resource_opens_from_its_page(page, demo, login, console_errors):
    """A resource that is a link to another site opens (a form's redirect there was refused by
    the browser under the site's `form-action 'self'`), and only then counts as read."""
    resource = Resource.objects.filter(is_published=True, file="").exclude(url="").first()
    login(AWA)
    page.goto(f"/ressources/{resource.pk}/")
    page.context.route(re.compile(r"^https://.*"), lambda route: route.fulfill(body="ok"))
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("^Ouvrir la ressource")).click()
    expect(opened.value).to_have_url(resource.url)
    assert ResourceRead.objects.filter(person__email=AWA, resource=resource).exists()
    assert console_errors == []
