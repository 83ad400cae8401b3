"""Experience notes in a real browser: the demo newcomer writes a note (a draft), attaches a
file and publishes it; the experienced demo coordinator finds it by typing a word without its
accents, opens it and comments; every page passes an axe-core accessibility check."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # new CLS + ASV coordinator, Saint-Denis
JULIEN = "coordinateur@demo.example.org"  # CLSM of Sarcelles
TITLE = "Épicerie solidaire et ateliers cuisine à Saint-Denis"


def test_a_note_is_written_published_found_and_commented(login, console_errors):
    page = login(AWA)
    page.goto("/entraide/")
    page.get_by_role("link", name="Fiches d’expérience").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiches d’expérience")
    assert_no_serious_violation(page)

    # A draft: only she (and staff) see it.
    page.get_by_role("link", name="Écrire une fiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle fiche d’expérience")
    assert_no_serious_violation(page)
    field(page, "Titre").fill(TITLE)
    field(page, "Contexte").fill("Des familles du quartier **sans cuisine** équipée.")
    field(page, "L’action").fill("- Six ateliers\n- Une diététicienne du centre de santé")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Brouillon", exact=True)).to_be_visible()
    expect(page.locator("strong", has_text="sans cuisine")).to_be_visible()  # Markdown
    assert_no_serious_violation(page)

    # A file attached.
    page.get_by_role("link", name="Joindre un fichier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Joindre un fichier")
    assert_no_serious_violation(page)
    page.get_by_label(re.compile(r"^\s*Fichier")).set_input_files(
        files=[{"name": "recettes.txt", "mimeType": "text/plain", "buffer": b"Soupe"}]
    )
    page.get_by_role("button", name="Joindre").click()
    attachments = page.locator("#pieces-jointes")
    expect(attachments.get_by_role("link", name="recettes.txt")).to_be_visible()

    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("La fiche est publiée")).to_be_visible()
    expect(page.get_by_text("Brouillon", exact=True)).to_have_count(0)
    assert_no_serious_violation(page)
    log_out(page)

    # A peer finds it without typing the accents, and comments.
    login(JULIEN)
    page.goto("/entraide/fiches/")
    page.get_by_label("Rechercher", exact=True).fill("epicerie solidaire")
    expect(page).to_have_url(re.compile(r"[?&]q=epicerie"))
    results = page.locator("#resultats")
    note = results.get_by_role("article", name=TITLE)
    expect(note).to_be_visible()
    expect(note).to_contain_text("Awa Diallo (Saint-Denis, 93)")
    assert_no_serious_violation(page)
    note.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_label("Votre commentaire").fill("Merci Awa : combien de familles par atelier ?")
    page.get_by_role("button", name="Commenter").click()
    comments = page.locator("#commentaires")
    expect(comments).to_contain_text("Merci Awa : combien de familles par atelier ?")
    expect(comments).to_contain_text("Julien Moreau (Sarcelles, 95)")
    expect(comments.get_by_role("heading", level=2)).to_have_text("Commentaires (1)")
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
