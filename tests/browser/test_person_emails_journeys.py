"""A person's e-mails in a real browser: the demo newcomer opens "Mes e-mails" from the account
menu, reads her welcome e-mail and sees what is planned; the focus ring on <summary>; the
header at every width (the site name on two lines at most, "Ressources" reachable, nothing
overflowing)."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import Delivery
from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
STAFF = "equipe@demo.example.org"
WELCOME_SUBJECT = "Bienvenue dans le réseau des coordinateur·rices, Awa"
FOCUS_COLOUR = "rgb(255, 191, 71)"


def test_the_newcomer_reads_her_welcome_email_and_sees_what_is_planned(login, console_errors):
    page = login(AWA)
    page.get_by_role("button", name=re.compile("mon compte")).click()
    page.get_by_role("link", name="Mes e-mails").click()
    expect(page).to_have_url("/profil/e-mails/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes e-mails")
    planned = page.get_by_role("region", name="Prévus")
    due = Delivery.objects.filter(recipient__email=AWA, status=Delivery.Status.DUE).count()
    expect(planned.locator("tbody tr")).to_have_count(due)
    expect(planned).to_contain_text("Complétez votre profil : les autres pourront vous trouver")
    assert_no_serious_violation(page)

    page.get_by_role("region", name="Envoyés").get_by_role(
        "link", name=WELCOME_SUBJECT, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WELCOME_SUBJECT)
    message = page.get_by_role("region", name="Message")
    expect(message).to_contain_text("Bonjour Awa,")
    expect(message).to_contain_text(re.compile(r"\d+ coordinateur·rices sont en poste"))
    expect(page).to_have_title(re.compile(rf"^{re.escape(WELCOME_SUBJECT)} — Mes e-mails"))
    assert_no_serious_violation(page)
    assert not console_errors


def outline(locator):
    return locator.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineColor]; }"
    )


def test_summary_gets_the_focus_ring(login):
    page = login(STAFF)
    delivery = Delivery.objects.filter(status=Delivery.Status.SENT).first()
    page.goto(f"/gestion/envois/{delivery.pk}/")
    summary = page.locator("summary", has_text="Détails techniques")
    page.keyboard.press("Tab")  # a keyboard user: focus is visible from now on
    summary.focus()
    assert summary.evaluate("e => e.matches(':focus-visible')")
    assert outline(summary) == ["solid", FOCUS_COLOUR]
    page.keyboard.press("Enter")
    expect(page.get_by_text(delivery.key)).to_be_visible()


def test_the_calendar_button_rule_is_kept_by_the_browser(login):
    """Chromium keeps the calendar button's focus rule (an unknown pseudo-element would drop it)."""
    page = login(STAFF)
    page.goto("/dispositifs/nouveau/")
    selectors = page.evaluate(
        """() => [...document.styleSheets].flatMap(sheet => {
            try { return [...sheet.cssRules].map(rule => rule.selectorText || ''); }
            catch (error) { return []; }
        })"""
    )
    assert any("::-webkit-calendar-picker-indicator:focus-visible" in s for s in selectors)
    assert any("summary:focus-visible" in s for s in selectors)


@pytest.mark.parametrize("width", [360, 768, 1024, 1200, 1400])
def test_the_header_holds_at_every_width(login, width):
    page = login(STAFF)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/gestion/")
    brand = page.locator(".navbar-brand")
    line, text_height = brand.evaluate(
        """e => { const s = getComputedStyle(e);
            return [parseFloat(s.lineHeight),
                    e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)]; }"""
    )
    assert text_height <= 2 * line + 1, (width, text_height, line)  # two lines at most
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    menu = page.get_by_role("navigation", name="Navigation principale")
    toggler = menu.get_by_role("button", name="Ouvrir le menu")
    if toggler.is_visible():
        toggler.click()
    resources = menu.get_by_role("link", name="Ressources", exact=True)
    expect(resources).to_be_visible()
    box = resources.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] <= 3 * line  # one line, never wrapped
