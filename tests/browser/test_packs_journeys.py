"""Packs in a real browser (issue #13): the experienced demo coordinator shares a pack (creates
a link and copies it), a visitor without an account (a fresh browser context) opens it and one
of its documents, the coordinator sees the link opened once; revoked, the link shows the page
that says whom to ask. Every page passes an axe-core check, with no console error (CSP)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field, search_and_choose

pytestmark = pytest.mark.browser

JULIEN = "coordinateur@demo.example.org"
PACK = "Comprendre la démarche locale en santé"
LABEL = "Conseil municipal de Garges-lès-Gonesse"


def test_a_coordinator_shares_a_pack_and_a_visitor_opens_it(
    login, page, browser, live_server, console_errors
):
    open_and_check(page, login, console_errors, email=JULIEN, path="/ressources/packs/")
    expect(page.get_by_text("prolongent la journée d’accueil")).to_be_visible()
    page.get_by_role("link", name=PACK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PACK)
    assert_no_serious_violation(page)

    page.get_by_role("link", name="Partager ce pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partager le pack")
    expect(page.get_by_role("heading", name="Partager après la journée d’accueil")).to_be_visible()
    assert_no_serious_violation(page)
    field(page, "Pour qui").fill(LABEL)
    page.get_by_role("button", name="Créer le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes liens de partage")
    card = page.locator("article", has=page.get_by_role("heading", name=LABEL))
    expect(card.get_by_text("Ouvert 0 fois")).to_be_visible()
    assert_no_serious_violation(page)

    # The address, in a read-only field (copied by hand without JavaScript), and its button.
    address = card.get_by_role("textbox", name="Adresse")
    expect(address).to_have_attribute("readonly", "")
    url = address.input_value()  # the site's address (SITE_URL), not the test server's
    assert re.search(r"^https?://[^/]+/ressources/partage/[\w-]{40,}/$", url), url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    card.get_by_role("button", name=re.compile("^Copier")).click()
    expect(card.get_by_text("Lien copié")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url

    # A visitor without an account: a browser context of their own.
    visitor_context = browser.new_context(base_url=live_server.url)
    visitor = visitor_context.new_page()
    visitor_errors = []
    visitor.on("console", lambda m: visitor_errors.append(m.text) if m.type == "error" else None)
    shared = urlsplit(url).path
    visitor.goto(shared)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(PACK)
    expect(visitor.get_by_text("Partagé par")).to_contain_text("Julien Moreau")
    expect(visitor.get_by_role("navigation")).to_have_count(0)  # no navigation of the platform
    expect(visitor.get_by_role("button", name="Imprimer")).to_be_visible()
    assert_no_serious_violation(visitor)
    document = visitor.get_by_role("link", name=re.compile("Comprendre le contrat local"))
    href = document.get_attribute("href")
    opened = visitor_context.request.get(href)  # what the link opens, as this visitor
    assert opened.status == 200 and opened.body().startswith(b"%PDF-")
    assert visitor_errors == []

    page.reload()
    expect(card.get_by_text("Ouvert 1 fois")).to_be_visible()

    # Revoked (asked first): the visitor's link says so and whom to ask.
    card.get_by_role("link", name=re.compile("^Révoquer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Révoquer le lien")
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Révoquer le lien").click()
    expect(page.get_by_text(f"Le lien pour « {LABEL} » est révoqué.")).to_be_visible()
    expect(card.get_by_text(re.compile("Révoqué le"))).to_be_visible()

    response = visitor.goto(shared)
    assert response.status == 410
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ce lien ne fonctionne plus")
    expect(visitor.get_by_text("demandez un nouveau lien à Julien Moreau")).to_be_visible()
    expect(visitor.get_by_text(PACK)).to_have_count(0)
    assert_no_serious_violation(visitor)
    visitor_context.close()
    assert console_errors == []


STAFF = "equipe@demo.example.org"


def test_staff_assemble_a_pack_with_the_searchable_select(login, page, console_errors):
    open_and_check(page, login, console_errors, email=STAFF, path="/ressources/packs/")
    page.get_by_role("link", name="Nouveau pack").click()
    field(page, "Titre").fill("La promotion de la santé en une heure")
    field(page, "Pour qui").fill("Pour une équipe municipale qui découvre la démarche.")
    field(page, "Introduction").fill("Trois documents **courts**.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "La promotion de la santé en une heure"
    )
    assert_no_serious_violation(page)

    search_and_choose(
        page,
        "Ressource à ajouter",
        "promotion sante",
        "Qu'est-ce que la promotion de la santé ?",
    )
    field(page, "Pourquoi cette ressource").fill("Pour commencer.")
    page.get_by_role("button", name="Ajouter au pack").click()
    resources = page.locator("#ressources + ol")
    expect(
        resources.get_by_role("link", name="Qu'est-ce que la promotion de la santé ?")
    ).to_be_visible()
    expect(resources.get_by_text("Pour commencer.")).to_be_visible()
    assert_no_serious_violation(page)

    page.get_by_role("link", name="Modifier le pack").click()
    field(page, "Publié").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Partager ce pack")).to_be_visible()
    assert console_errors == []
