"""The needs on the dashboard, in a real browser: the demo newcomer writes a need on her
profile and looks for a competency nothing covers in Seine-Saint-Denis; staff follow the
dashboard to the needs page, find what she wrote, then the needs-against-the-offer page says
that no offer covers it there. Both pages pass axe-core.

Every step goes through the pages, as a person would; the ORM only finds the competency."""

import re

import pytest
from playwright.sync_api import expect

from learning.offers import MISSING, offers_complementarity
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # Awa Diallo, in post at Saint-Denis (93)
STAFF = "equipe@demo.example.org"
NEED = "Apprendre à animer un diagnostic partagé avec les habitants du quartier Pleyel."


def uncovered_in_93():
    """An active competency that no active offer covers in Seine-Saint-Denis."""
    for _domain, rows in offers_complementarity().domains:
        for row in rows:
            cell = next(c for c in row.departments if c.code == "93")
            if cell.state == MISSING:
                return row.competency
    pytest.fail("The demo should leave a competency without any offer in Seine-Saint-Denis.")


def choose_among_several(page, label, option):
    """A searchable multiple select: type the name, pick it, close the list (it stays open
    for the next choice)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("listbox", name=label).get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox", name=label)).to_be_hidden()


def test_staff_read_a_need_and_see_it_has_no_offer(login, console_errors):
    competency = uncovered_in_93()
    page = login(AWA)
    page.goto("/profil/")
    page.get_by_role("textbox", name="Mes besoins en compétences").fill(NEED)
    choose_among_several(page, "Je recherche (compétences)", competency.name)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()

    log_out(page)
    login(STAFF)
    page.goto("/tableau-de-bord/")
    page.get_by_role("link", name="Les besoins exprimés en détail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Besoins exprimés par les coordinateur·rices"
    )
    page.get_by_role("searchbox", name="Chercher dans les textes et les noms").fill("Pleyel")
    page.get_by_role("button", name="Chercher").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Pleyel"))
    skills = page.locator("#niveau-skills")
    entry = skills.get_by_role("listitem").filter(has_text=NEED)
    expect(entry).to_have_count(1)
    expect(entry.get_by_role("link", name="Awa Diallo")).to_have_attribute(
        "href", re.compile(r"^/dispositifs/\d+/$")
    )
    expect(entry).to_contain_text("Seine-Saint-Denis")
    assert_no_serious_violation(page)

    page.get_by_role("link", name="Besoins et offre, par compétence et département").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Besoins et offre, par compétence et département"
    )
    table = page.get_by_role("table", name=re.compile("^Seine-Saint-Denis :"))
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=competency.name, exact=True)
    )
    expect(row).to_contain_text("Aucune offre ne couvre ce besoin en Seine-Saint-Denis.")
    expect(
        page.get_by_role("link", name="tableau de complémentarité des offres")
    ).to_have_attribute("href", "/parcours/offres/complementarite/")
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
