"""What people offer, in a real browser: the demo newcomer filters the directory on "Peut aider
sur: Plaidoyer" and finds the experienced demo coordinator, whose card lists it; the experienced
coordinator sees his choices in the profile's searchable multi-selects."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN_EMAIL = "coordinateur@demo.example.org"
JULIEN = "Julien Moreau"


def test_the_newcomer_filters_on_a_competency(login, console_errors):
    page = login(AWA)
    page.goto("/annuaire/")
    page.get_by_label("Peut aider sur").select_option(label="Plaidoyer")
    expect(page).to_have_url(re.compile(r"[?&]competency=\d+"))
    results = page.locator("#resultats")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 personne")
    julien = results.get_by_role("article", name=JULIEN)
    expect(julien).to_contain_text("Plaidoyer")
    expect(julien).to_contain_text("Santé mentale")
    assert_no_serious_violation(page)


def test_the_profile_shows_the_chosen_offers(login, console_errors):
    page = login(JULIEN_EMAIL)
    page.goto("/profil/")
    offers = page.locator("#div_id_profile-offered_competencies")
    expect(offers).to_contain_text("Je peux aider sur (compétences)")
    expect(offers).to_contain_text("Plaidoyer")
    assert_no_serious_violation(page)
