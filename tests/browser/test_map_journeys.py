"""The directory's map in a real browser: the demo newcomer opens the map, clicks Sarcelles and
finds the CLSM of Sarcelles and the experienced demo coordinator; the URL keeps the commune and
the filters; a keyboard user reaches the same panel through the list of communes; axe-core finds
no serious violation and the CSP refuses nothing."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # the newcomer, Saint-Denis
JULIEN = "Julien Moreau"  # coordinateur@demo.example.org: CLSM of Sarcelles, Val-d'Oise
SARCELLES = "95585"


def panel(page):
    return page.locator("#commune")


def test_the_newcomer_clicks_sarcelles_and_finds_its_clsm_and_coordinator(login, console_errors):
    page = login(AWA)
    page.goto("/annuaire/")
    # The list's filters go to the map (the link follows them as htmx changes the results).
    page.get_by_label("Département").select_option(label="Val-d'Oise (95)")
    expect(page).to_have_url(re.compile(r"[?&]department=\d+"))
    page.get_by_role("link", name="Voir ces résultats sur la carte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte de l’annuaire")
    expect(page).to_have_url(re.compile(r"/annuaire/carte/\?.*department=\d+"))
    expect(page.get_by_label("Département")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#titre-carte")).to_contain_text("correspond")
    assert_no_serious_violation(page)

    sarcelles = page.locator(f'svg a[href$="insee={SARCELLES}"]')
    expect(sarcelles).to_have_attribute("aria-label", re.compile(r"^Sarcelles \(95\) : .*CLSM"))
    sarcelles.click()
    expect(panel(page).get_by_role("heading", level=2)).to_have_text("Sarcelles (95)")
    expect(panel(page)).to_contain_text("CLSM de Sarcelles")
    expect(panel(page).get_by_role("article", name=JULIEN)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/annuaire/carte/\?(.*&)?insee={SARCELLES}$"))
    # Keyboard users land on the panel.
    expect(panel(page).get_by_role("heading", level=2)).to_be_focused()
    expect(sarcelles).to_have_class(re.compile(r"\bouverte\b"))  # it stands out on the map

    # A filter keeps the commune open, and the URL keeps both (shareable).
    page.get_by_label("Type de dispositif").select_option("CLSM")
    expect(page).to_have_url(re.compile(r"[?&]kind=CLSM(&|$)"))
    expect(page).to_have_url(re.compile(rf"[?&]insee={SARCELLES}(&|$)"))
    expect(panel(page).get_by_role("article", name=JULIEN)).to_be_visible()
    expect(page.locator("#titre-carte")).to_contain_text("correspond")
    page.goto(page.url)
    expect(page.get_by_label("Type de dispositif")).to_have_value("CLSM")
    expect(panel(page).get_by_role("article", name=JULIEN)).to_be_visible()
    assert_no_serious_violation(page)

    # The list, with the same filters, one click away.
    page.get_by_role("link", name="Voir ces personnes en liste dans l’annuaire").click()
    expect(page).to_have_url(re.compile(r"/annuaire/\?.*kind=CLSM"))
    expect(page.get_by_label("Type de dispositif")).to_have_value("CLSM")
    assert console_errors == [], "browser console errors (a CSP refusal?)"


def test_a_keyboard_user_opens_a_commune_from_the_list(login, console_errors):
    page = login(AWA)
    page.goto("/annuaire/carte/")
    # The first stop after the filters skips the map's many communes.
    skip = page.get_by_role("link", name="Passer la carte : aller à la liste des communes")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#liste-communes")).to_be_focused()
    communes = page.get_by_role("table")
    row = communes.get_by_role("row", name=re.compile("^Sarcelles"))
    expect(row).to_contain_text("CLSM")
    link = row.get_by_role("link", name="Sarcelles")
    link.focus()
    page.keyboard.press("Enter")
    expect(panel(page).get_by_role("heading", level=2)).to_be_focused()
    expect(panel(page).get_by_role("article", name=JULIEN)).to_be_visible()
    assert_no_serious_violation(page)
    assert console_errors == []


def test_the_map_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    log_in(page, AWA)
    page.goto("/annuaire/carte/")
    page.locator(f'svg a[href$="insee={SARCELLES}"]').click()
    expect(page).to_have_url(re.compile(rf"insee={SARCELLES}"))
    expect(panel(page).get_by_role("article", name=JULIEN)).to_be_visible()
    context.close()


def test_a_partner_of_seine_saint_denis_sees_its_territory(page, login, console_errors):
    def then(page):
        expect(page.locator("svg.carte-annuaire")).to_be_visible()
        expect(page.locator(f'svg a[href$="insee={SARCELLES}"]')).to_have_count(0)
        expect(page.get_by_role("table")).not_to_contain_text("Sarcelles")

    open_and_check(
        page,
        login,
        console_errors,
        email="dd93@demo.example.org",
        path="/annuaire/carte/",
        then=then,
    )
