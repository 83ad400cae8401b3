"""The peer network's whole journey, as the issue tells it, in one browser session on the demo:
the newcomer (Awa) types "plaidoyer", narrows to the Val-d'Oise and finds the experienced
coordinator (Julien); opens the map and clicks Sarcelles, where he works; asks him to be her
tutor; he accepts; her pathway's tutoring step shows done; her question to the network gets his
answer, which she marks useful. Each part is walked in more states by its own journey file; this
one checks that they hold together. axe finds no serious or critical violation on the way."""

import re

import pytest
from playwright.sync_api import expect

from learning.progress import NEWCOMERS_PATHWAY
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field, log_out
from tests.browser.test_questions_journeys import choose_among_many
from tests.browser.test_tutoring_journeys import answer, ask_julien, step_card

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN = "coordinateur@demo.example.org"
TUTORING_STEP = "Être accompagné·e par un·e tuteur·rice"
QUESTION = "Comment présenter le CLSM au conseil municipal ?"


def test_the_newcomer_finds_a_peer_gets_a_tutor_and_an_answer(page, login, console_errors):
    login(AWA)
    # The directory: a word without capitals, then the département.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des coordinateur·rices")
    page.wait_for_load_state("load")  # htmx is ready to follow the typing
    search = page.get_by_label("Rechercher", exact=True)
    search.fill("plaidoyer")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=plaidoyer(&|$)"))
    page.get_by_label("Département").select_option(label="Val-d'Oise (95)")
    julien = page.locator("#resultats").get_by_role("article", name="Julien Moreau")
    expect(julien).to_contain_text("plaidoyer")
    assert_no_serious_violation(page)

    # The map, with the same filters: Sarcelles lists its CLSM and Julien.
    page.get_by_role("link", name=re.compile("sur la carte")).click()
    expect(page).to_have_url(re.compile(r"/annuaire/carte/\?"))
    page.locator('svg a[href$="insee=95585"]').click()
    commune = page.locator("#commune")
    expect(commune.get_by_role("heading", level=2)).to_have_text("Sarcelles (95)")
    expect(commune).to_contain_text("CLSM de Sarcelles")
    expect(commune.get_by_role("article", name="Julien Moreau")).to_be_visible()
    assert_no_serious_violation(page)

    # Her pathway's tutoring step leads to tutoring, where she asks Julien.
    page.goto("/")
    page.get_by_role("region", name="Mes parcours").get_by_role(
        "button", name=f"Rejoindre le parcours « {NEWCOMERS_PATHWAY} »"
    ).click()
    pathway_url = page.url
    step_card(page, TUTORING_STEP).get_by_role("link", name="Trouver un·e tuteur·rice").click()
    ask_julien(page, "Bonjour Julien, j’ai vu votre CLSM sur la carte : m’accompagneriez-vous ?")

    # And she asks the network how to present her work to the elected council.
    page.goto("/entraide/questions/poser/")
    field(page, "Votre question").fill(QUESTION)
    field(page, "Précisions").fill("Je dois le présenter en janvier, pour la première fois.")
    choose_among_many(page, "Compétences concernées", "plaid", "Plaidoyer")
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    log_out(page)

    # Julien accepts, then answers her question from /entraide/.
    login(JULIEN)
    answer(page, accept=True, message="Avec plaisir ! Un premier échange la semaine prochaine ?")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tutorat d’Awa Diallo par Julien Moreau"
    )
    page.goto("/entraide/")
    page.get_by_role("link", name=QUESTION).click()
    field(page, "Votre réponse").fill("Commencez par l’adjoint·e à la santé, avant la séance.")
    page.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_role("article", name="Julien Moreau")).to_be_visible()
    log_out(page)

    # Awa: a tutor, her tutoring step done, and the useful answer.
    login(AWA)
    page.goto(pathway_url)
    step = step_card(page, TUTORING_STEP)
    expect(step.locator(".badge", has_text="Faite")).to_be_visible()
    expect(step).to_contain_text("Tutorat avec Julien Moreau")
    page.goto("/entraide/")
    expect(page.get_by_role("region", name="Tutorat")).to_contain_text("Julien Moreau")
    page.get_by_role("link", name=QUESTION).click()
    page.get_by_role("article", name="Julien Moreau").get_by_role(
        "button", name="Marquer comme la réponse utile"
    ).click()
    expect(page.get_by_role("article", name=re.compile("Julien Moreau"))).to_contain_text(
        "Réponse utile"
    )
    assert_no_serious_violation(page)
    assert console_errors == []
