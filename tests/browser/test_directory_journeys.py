"""The directory in a real browser: the demo newcomer looks for someone who can help her with
advocacy, narrows the search to the Val-d'Oise and finds the experienced demo coordinator; the
results follow without reloading, the URL keeps the search (shareable, back button), and the
page passes an axe-core accessibility check."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # new CLS + ASV coordinator, Saint-Denis
JULIEN = "Julien Moreau"  # coordinateur@demo.example.org: CLSM of Sarcelles, Val-d'Oise


def results(page):
    return page.locator("#resultats")


def card(page, name):
    return results(page).get_by_role("article", name=name)


def test_the_newcomer_finds_an_experienced_peer_on_advocacy(login, console_errors):
    page = login(AWA)
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("link", name="Annuaire", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des coordinateur·rices")
    assert_no_serious_violation(page)
    everyone = results(page).get_by_role("heading", level=2).inner_text()

    page.get_by_label("Rechercher", exact=True).fill("plaidoyer")  # no button pressed
    expect(page).to_have_url(re.compile(r"[?&]q=plaidoyer(&|$)"))
    expect(results(page).get_by_role("heading", level=2)).not_to_have_text(everyone)
    found_anywhere = results(page).get_by_role("heading", level=2).inner_text()
    # Screen readers hear the new count from the status region the page keeps.
    expect(page.get_by_role("status")).to_have_text(
        re.compile(rf"^{re.escape(found_anywhere)} trouvées?$")
    )

    page.get_by_label("Département").select_option(label="Val-d'Oise (95)")
    expect(page).to_have_url(re.compile(r"[?&]department=\d+"))
    julien = card(page, JULIEN)
    expect(julien).to_be_visible()
    expect(julien).to_contain_text("plaidoyer")
    expect(julien.get_by_role("link", name=re.compile("Sarcelles"))).to_be_visible()
    expect(results(page).locator("article")).not_to_contain_text(["Saint-Denis (93)"])
    assert_no_serious_violation(page)

    # The URL is the search: opened again (shared, bookmarked), it shows the same people.
    page.goto(page.url)
    expect(card(page, JULIEN)).to_be_visible()
    expect(page.get_by_label("Rechercher", exact=True)).to_have_value("plaidoyer")

    # Back: the search without the département, as it was typed.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"department=\d"))
    expect(page).to_have_url(re.compile(r"[?&]q=plaidoyer(&|$)"))
    expect(page.get_by_label("Rechercher", exact=True)).to_have_value("plaidoyer")
    expect(page.get_by_label("Département")).to_have_value("")
    expect(results(page).get_by_role("heading", level=2)).to_have_text(found_anywhere)

    # His scheme's page is one click away.
    card(page, JULIEN).get_by_role("link", name=re.compile("Sarcelles")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sarcelles")
    assert console_errors == []
