"""The library in a real browser (issue #13): a coordinator searches without accents
("evaluation" finds "Évaluation"), searches "diagnostic" and filters by kind, opens a resource
and sees its versions; a visitor without an account opens a public resource and its PDF, and is
sent to log in for a restricted one. Every page passes an axe-core check, with no console error."""

import re

import pytest
from playwright.sync_api import expect

from resources.models import Resource
from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field

pytestmark = pytest.mark.browser

JULIEN = "coordinateur@demo.example.org"
EVALUATION = "Évaluation d’un contrat local de santé : le guide pas à pas"
DIAGNOSTIC = "Fiche repère : le diagnostic local de santé"  # public, three versions
RESTRICTED = "Guide : prendre son poste de coordinateur·rice"  # coordinators only


def search(page, text, **selects):
    field(page, "Rechercher").fill(text)
    for label, option in selects.items():
        field(page, label).select_option(label=option)
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("trouvée"))).to_be_visible()


def test_a_coordinator_searches_filters_and_sees_the_versions(login, page, console_errors):
    open_and_check(page, login, console_errors, email=JULIEN, path="/ressources/")
    search(page, "evaluation")
    expect(page.get_by_role("link", name=EVALUATION)).to_be_visible()

    search(page, "diagnostic", Type="Fiche pratique")
    results = page.locator("article")
    expect(results.first).to_be_visible()
    kinds = results.evaluate_all("cards => cards.map(c => c.querySelector('.badge').textContent)")
    assert set(kinds) == {"Fiche pratique"}, kinds
    expect(page.get_by_role("link", name=DIAGNOSTIC)).to_be_visible()
    assert_no_serious_violation(page)

    page.get_by_role("link", name=DIAGNOSTIC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DIAGNOSTIC)
    versions = page.locator("#versions")
    expect(versions.get_by_text("Version actuelle")).to_be_visible()
    expect(versions.get_by_text("Sources de données INSEE 2024 mises à jour")).to_be_visible()
    expect(versions.get_by_role("link", name=re.compile("ouvrir cette version"))).to_have_count(2)
    expect(page.get_by_text("PromoSanté Île-de-France", exact=True)).to_be_visible()
    assert_no_serious_violation(page)
    assert console_errors == []


def test_a_visitor_opens_a_public_resource_and_is_refused_a_restricted_one(
    demo, browser, live_server
):
    public = Resource.objects.get(title=DIAGNOSTIC)
    restricted = Resource.objects.get(title=RESTRICTED)
    context = browser.new_context(base_url=live_server.url)
    visitor = context.new_page()
    errors = []
    visitor.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    visitor.goto(f"/ressources/{public.pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(DIAGNOSTIC)
    opening = visitor.get_by_role("link", name=re.compile("^Ouvrir la ressource"))
    response = visitor.request.get(opening.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert_no_serious_violation(visitor)

    visitor.goto(f"/ressources/{restricted.pk}/")
    expect(visitor).to_have_url(re.compile(r"/accounts/login/\?next="))
    response = visitor.request.get(f"/ressources/{restricted.pk}/ouvrir/", max_redirects=0)
    assert response.status == 302 and "/accounts/login/" in response.headers["location"]
    assert errors == []
    context.close()


def test_staff_put_a_new_version_online(login, page, console_errors, tmp_path):
    resource = Resource.objects.get(title=EVALUATION)
    open_and_check(
        page,
        login,
        console_errors,
        email="equipe@demo.example.org",
        path=f"/ressources/{resource.pk}/",
    )
    page.get_by_role("link", name="Nouvelle version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nouvelle version")
    assert_no_serious_violation(page)
    lying = tmp_path / "guide-2026.pdf"
    lying.write_bytes(b"MZ\x90\x00 not a pdf")
    field(page, "Fichier").set_input_files(str(lying))
    field(page, "Ce qui change").fill("Indicateurs 2026")
    page.get_by_role("button", name="Mettre en ligne").click()
    expect(page.get_by_text("n'est pas d'un type accepté")).to_be_visible()
    document = tmp_path / "guide-2026.pdf"
    document.write_bytes(b"%PDF-1.4\n%%EOF\n")
    field(page, "Fichier").set_input_files(str(document))
    page.get_by_role("button", name="Mettre en ligne").click()
    versions = page.locator("#versions")
    expect(versions.get_by_text("Indicateurs 2026")).to_be_visible()
    expect(versions.get_by_role("link", name=re.compile("ouvrir cette version"))).to_have_count(2)
    assert_no_serious_violation(page)
    assert console_errors == []
