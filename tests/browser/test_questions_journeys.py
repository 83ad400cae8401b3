"""Mutual help in a real browser: the demo newcomer (Awa) asks the network a question tagged
Plaidoyer; the experienced demo coordinator (Julien), who offers Plaidoyer and chose to be told
at once, gets the e-mail, follows its link and answers; Awa, told of the answer, marks it
useful; a search finds the question. The pages pass an axe-core check.

Every step goes through the pages; the ORM is not used, the e-mails are read from Django's
outbox (the live server runs in this process, its tasks eagerly)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN = "coordinateur@demo.example.org"
TITLE = "Comment obtenir un rendez-vous avec le maire pour présenter le CLS ?"
BODY = "Le cabinet ne répond pas à mes **courriels**. Faut-il passer par la direction générale ?"
ANSWER = "Passez par l’adjointe à la santé : elle porte le sujet en bureau municipal."


def sent_to(address, subject):
    return [m for m in mail.outbox if m.to == [address] and subject in m.subject]


def choose_among_many(page, label, typed, option):
    """A searchable multiple select: type, pick the option, close the list (Escape)."""
    name = re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")
    box = page.get_by_role("combobox", name=name)
    box.click()
    box.fill(typed)
    page.get_by_role("listbox", name=name).get_by_role("option", name=option, exact=True).click()
    box.press("Escape")
    expect(page.get_by_role("listbox", name=name)).to_be_hidden()
    expect(page.locator("#div_id_competencies")).to_contain_text(option)


def path_in(message):
    """The question's page, from the link an e-mail carries."""
    return re.search(r"https?://[^/\s]+(/entraide/questions/\d+/)", message.body).group(1)


def test_a_question_gets_an_answer_marked_useful(page, login, console_errors):
    # Julien chooses to hear of questions on his subjects at once.
    login(JULIEN)
    page.goto("/profil/")
    page.get_by_label("Aussitôt").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages .alert").first).to_be_visible()
    log_out(page)

    # Awa asks the network.
    open_and_check(page, login, console_errors, email=AWA, path="/entraide/questions/")
    page.get_by_role("link", name="Poser une question").click()
    field(page, "Votre question").fill(TITLE)
    field(page, "Précisions").fill(BODY)
    choose_among_many(page, "Compétences concernées", "plaid", "Plaidoyer")
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Publier la question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".rich-text strong")).to_have_text("courriels")
    expect(page.get_by_text("Pas encore de réponse.")).to_be_visible()
    assert_no_serious_violation(page)
    log_out(page)

    # Julien is told at once, follows the link and answers.
    (alert,) = sent_to(JULIEN, TITLE)
    assert "Plaidoyer" in alert.body
    login(JULIEN)
    page.goto(path_in(alert))
    field(page, "Votre réponse").fill(ANSWER)
    page.get_by_role("button", name="Publier ma réponse").click()
    answers = page.get_by_role("region", name="1 réponse")
    expect(answers.get_by_role("article", name="Julien Moreau")).to_contain_text("adjointe")
    assert_no_serious_violation(page)
    log_out(page)

    # Awa is told of the answer and marks it useful.
    (told,) = sent_to(AWA, "Nouvelle réponse à votre question")
    login(AWA)
    page.goto(path_in(told))
    answer = page.get_by_role("article", name="Julien Moreau")
    answer.get_by_role("button", name="Marquer comme la réponse utile").click()
    answer = page.get_by_role("article", name=re.compile("Julien Moreau"))
    expect(answer).to_contain_text("Réponse utile")
    expect(answer.get_by_role("button", name="Retirer la mention « utile »")).to_be_visible()
    assert_no_serious_violation(page)

    # A search finds it, answered and marked useful.
    page.goto("/entraide/questions/")
    field(page, "Rechercher").fill("courriel maire")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"q=courriel"))
    results = page.get_by_role("region", name=re.compile(r"^1 question$"))
    card = results.get_by_role("article", name=TITLE)
    expect(card).to_contain_text("Réponse utile")
    expect(card).to_contain_text("Awa Diallo")
    assert_no_serious_violation(page)
    assert console_errors == []
