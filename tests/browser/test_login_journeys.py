"""Login journeys in a real browser: every demo account lands on the page of its role, the
dashboard keeps to the partner's territory, the keyboard reaches the content, and the main pages
pass an axe-core accessibility check."""

import re

import pytest
from playwright.sync_api import expect

from demo.seed import DEMO_ACCOUNTS
from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

FIRST_NAMES = {email: first_name for email, first_name, *_ in DEMO_ACCOUNTS}
SPACE, MANAGE, DASHBOARD = "/", "/gestion/", "/tableau-de-bord/"
LANDINGS = {
    "coordinatrice@demo.example.org": SPACE,
    "coordinateur@demo.example.org": SPACE,
    "equipe@demo.example.org": MANAGE,
    "admin@demo.example.org": MANAGE,
    "ars@demo.example.org": DASHBOARD,
    "dd93@demo.example.org": DASHBOARD,
    "crpv95@demo.example.org": DASHBOARD,
}
HEADINGS = {MANAGE: "Gestion du programme", DASHBOARD: "Tableau de bord"}
ALL_DEPARTMENTS = [
    "Paris (75)",
    "Seine-et-Marne (77)",
    "Yvelines (78)",
    "Essonne (91)",
    "Hauts-de-Seine (92)",
    "Seine-Saint-Denis (93)",
    "Val-de-Marne (94)",
    "Val-d'Oise (95)",
]


def test_every_demo_account_has_a_landing_page_under_test():
    assert set(LANDINGS) == set(FIRST_NAMES)


@pytest.mark.parametrize(("email", "path"), LANDINGS.items())
def test_each_demo_account_lands_on_the_page_of_its_role(login, email, path):
    page = login(email)
    expect(page).to_have_url(path)
    heading = page.get_by_role("heading", level=1)
    if path == SPACE:
        expect(page).to_have_title(re.compile(r"^Mon espace "))
        expect(heading).to_have_text(f"Bonjour {FIRST_NAMES[email]}")
    else:
        expect(heading).to_have_text(HEADINGS[path])
    expect(heading).to_be_visible()
    # The account menu (profile, e-mails, "Se déconnecter") names the person.
    menu = page.get_by_role("button", name=re.compile(r"mon compte$"))
    expect(menu).to_contain_text(FIRST_NAMES[email])
    menu.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def department_rows(page):
    """The départements of the posts' table (the total row apart)."""
    table = page.locator("#registre-postes table")
    return table.locator("tbody tr:not(.table-total) th[scope=row]")


def test_dd93_sees_only_seine_saint_denis_on_the_dashboard(login):
    page = login("dd93@demo.example.org")
    expect(page).to_have_url(DASHBOARD)
    expect(page.locator("p.lead")).to_contain_text("Seine-Saint-Denis (93)")
    expect(department_rows(page)).to_have_text(["Seine-Saint-Denis (93)"])


def test_ars_sees_the_eight_departements_on_the_dashboard(login):
    page = login("ars@demo.example.org")
    expect(page).to_have_url(DASHBOARD)
    expect(department_rows(page)).to_have_text(ALL_DEPARTMENTS)


def test_tab_first_focuses_the_skip_link_and_enter_moves_to_the_content(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # off-screen until focused, then shown
    page.keyboard.press("Enter")
    expect(page).to_have_url("/#contenu")
    expect(page.locator("#contenu")).to_be_focused()


# --- Accessibility (axe-core) ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_pass_axe(page, demo, console_errors, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("coordinatrice@demo.example.org", SPACE),
        ("equipe@demo.example.org", MANAGE),
        ("dd93@demo.example.org", DASHBOARD),
    ],
)
def test_member_pages_pass_axe(login, console_errors, email, path):
    page = login(email)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
