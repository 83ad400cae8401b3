"""Choosing a commune among 1,267 (or a person among hundreds) by typing: accent- and
case-insensitive, in French alphabetical order, by keyboard, with a plain select underneath."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

SIGNUP = "/accounts/signup/"


def commune_combobox(page):
    return page.get_by_role("combobox", name="Commune où vous exercez")


def test_a_coordinator_finds_her_commune_by_typing_ecouen(page, demo, console_errors):
    page.goto(SIGNUP)
    box = commune_combobox(page)
    box.click()
    box.fill("ecouen")
    listbox = page.get_by_role("listbox", name="Commune où vous exercez")
    expect(listbox.get_by_role("option", name="Écouen (95)")).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    # The real select underneath carries the choice (the form works as before).
    chosen = page.locator("select[name=commune]").evaluate("s => s.selectedOptions[0].text")
    assert chosen == "Écouen (95)"
    assert console_errors == []


def test_typing_part_of_a_name_lists_communes_in_french_order(page, demo):
    page.goto(SIGNUP)
    box = commune_combobox(page)
    box.click()
    box.fill("saint denis")
    listbox = page.get_by_role("listbox", name="Commune où vous exercez")
    expect(listbox.get_by_role("option", name="Saint-Denis (93)", exact=True)).to_be_visible()
    box.fill("SAINT-DENIS")
    expect(listbox.get_by_role("option", name="Saint-Denis (93)", exact=True)).to_be_visible()
    box.fill("zzz")
    expect(page.get_by_text("Aucun résultat")).to_be_visible()


def test_the_commune_search_passes_axe(page, demo):
    page.goto(SIGNUP)
    commune_combobox(page).click()
    assert_no_serious_violation(page)


def test_the_order_is_french_alphabetical_without_javascript(page, demo):
    page.context.set_extra_http_headers({})
    page.route("**/tom-select*.js", lambda route: route.abort())
    page.goto(SIGNUP)
    select = page.locator("select[name=commune]")
    names = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    e = [n for n in names if n[0] in "EÉ"]
    assert e.index("Écouen (95)") < e.index("Épinay-sur-Seine (93)") < e.index("Ermont (95)")
    assert names.index("Écouen (95)") < names.index("Fontainebleau (77)")


def test_the_commune_named_as_typed_comes_first(page, demo):
    """Typing "saint-denis" lists Saint-Denis before L'Île-Saint-Denis or Villeneuve-Saint-Denis,
    and Enter takes it (it took L'Île-Saint-Denis, and a profile was saved with it)."""
    page.goto(SIGNUP)
    box = commune_combobox(page)
    box.click()
    box.fill("saint-denis")
    listbox = page.get_by_role("listbox", name="Commune où vous exercez")
    expect(listbox.get_by_role("option").first).to_have_text("Saint-Denis (93)")
    expect(listbox.get_by_role("option", name="L'Île-Saint-Denis (93)")).to_be_visible()
    box.fill("saint-denis (93")
    expect(listbox.get_by_role("option").first).to_have_text("Saint-Denis (93)")
    page.keyboard.press("Enter")
    chosen = page.locator("select[name=commune]").evaluate("s => s.selectedOptions[0].text")
    assert chosen == "Saint-Denis (93)"
