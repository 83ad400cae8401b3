"""Tutoring in a real browser, on the demo: Awa (the newcomer, no tutor, no request) joins her
pathway and goes from its tutoring step to ask Julien; he accepts with a message; she sees the
active pair and her tutoring step done. Then: a decline with a message, Awa asking someone else
among her suggestions, and the staff's overview listing her before. axe finds no serious or
critical violation on these pages."""

import re

import pytest
from playwright.sync_api import expect

from learning.progress import NEWCOMERS_PATHWAY
from network.models.tutoring import TutoringPair
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN = "coordinateur@demo.example.org"
STAFF = "equipe@demo.example.org"
TUTORING_STEP = "Être accompagné·e par un·e tuteur·rice"


def step_card(page, title):
    steps = page.get_by_role("region", name="Les étapes").get_by_role("listitem")
    return steps.filter(
        has=page.get_by_role("heading", name=re.compile(rf"^\d+\. {re.escape(title)}$"))
    )


def ask_julien(page, message):
    page.get_by_role("link", name="Demander à une autre personne, ou à l’équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander un tutorat")
    field(page, "Tuteur·rice souhaité·e").select_option(label="Moreau Julien — Sarcelles (95)")
    field(page, "Votre message").fill(message)
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("main")).to_contain_text("Votre demande est envoyée à Julien Moreau")


def answer(page, *, accept, message):
    page.goto("/entraide/tutorat/")
    requests = page.get_by_role("region", name="Je suis tuteur·rice")
    expect(requests).to_contain_text("Awa Diallo")
    requests.get_by_role("link", name="Répondre à Awa Diallo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de tutorat d’Awa Diallo")
    page.get_by_label("J’accepte d’être tuteur·rice" if accept else "Je décline").check()
    field(page, "Votre message").fill(message)
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()


def test_awa_asks_julien_from_her_pathway_he_accepts_and_her_step_is_done(
    page, login, console_errors
):
    login(AWA)
    page.get_by_role("region", name="Mes parcours").get_by_role(
        "button", name=f"Rejoindre le parcours « {NEWCOMERS_PATHWAY} »"
    ).click()
    expect(page).to_have_url(re.compile(r"/parcours/\d+/$"))
    pathway_url = page.url
    step = step_card(page, TUTORING_STEP)
    expect(step.locator(".badge", has_text="Faite")).to_have_count(0)
    step.get_by_role("link", name="Trouver un·e tuteur·rice").click()
    expect(page).to_have_url(re.compile(r"/entraide/tutorat/$"))
    expect(page.get_by_role("region", name="Mon tutorat")).to_contain_text(
        "Vous n’avez pas de tuteur·rice."
    )
    assert_no_serious_violation(page)
    ask_julien(page, "Bonjour Julien, pourriez-vous m’accompagner cette année ?")
    expect(page.get_by_role("region", name="Mon tutorat")).to_contain_text("Demande en attente")
    log_out(page)

    login(JULIEN)
    answer(page, accept=True, message="Avec plaisir, Awa ! Première séance la semaine prochaine.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tutorat d’Awa Diallo par Julien Moreau"
    )
    expect(page.get_by_role("main")).to_contain_text("Première séance la semaine prochaine.")
    assert_no_serious_violation(page)
    log_out(page)

    login(AWA)
    page.goto("/entraide/tutorat/")
    mine = page.get_by_role("region", name="Mon tutorat")
    expect(mine).to_contain_text("Tutorat en cours")
    expect(mine).to_contain_text("Votre tuteur·rice : Julien Moreau.")
    page.goto(pathway_url)
    step = step_card(page, TUTORING_STEP)
    expect(step.locator(".badge", has_text="Faite")).to_be_visible()
    expect(step).to_contain_text("Tutorat avec Julien Moreau")
    assert TutoringPair.objects.get(newcomer__email=AWA).status == "active"
    assert console_errors == []


def test_a_decline_then_awa_asks_someone_else_and_staff_saw_her_waiting(
    page, login, console_errors
):
    login(STAFF)
    page.goto("/entraide/tutorat/suivi/")
    without = page.get_by_role("region", name=re.compile("sans tuteur·rice"))
    row = without.get_by_role("row", name=re.compile("Awa Diallo"))
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="Proposer un·e tuteur·rice à Awa Diallo")).to_be_visible()
    assert_no_serious_violation(page)
    log_out(page)

    login(AWA)
    page.goto("/entraide/tutorat/")
    ask_julien(page, "Bonjour, seriez-vous disponible ?")
    log_out(page)

    login(JULIEN)
    answer(page, accept=False, message="Je suis complet ce trimestre, désolé : demandez à Sami ?")
    expect(page.get_by_role("main")).to_contain_text("Votre réponse est envoyée.")
    log_out(page)

    login(AWA)
    page.goto("/entraide/tutorat/")
    mine = page.get_by_role("region", name="Mon tutorat")
    expect(mine).to_contain_text("Demande déclinée")
    expect(mine).to_contain_text("Je suis complet ce trimestre")
    ask = mine.get_by_role("link", name=re.compile("^Demander à ")).first
    someone = ask.inner_text().removeprefix("Demander à ").strip()
    assert someone and someone != "Julien Moreau"
    ask.click()
    field(page, "Votre message").fill("Bonjour, on m’a conseillé de vous écrire.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("main")).to_contain_text(f"Votre demande est envoyée à {someone}")
    expect(page.get_by_role("region", name="Mon tutorat")).to_contain_text("Demande en attente")
    assert_no_serious_violation(page)
    assert console_errors == []
