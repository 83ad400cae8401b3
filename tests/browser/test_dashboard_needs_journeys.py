"""The needs on the dashboard, in a real browser: the demo newcomer writes a need on her
profile and looks for a competency the team has just added to the framework, which no offer
covers yet; staff follow the dashboard to the needs page, find what she wrote, then read on
the needs-against-the-offer page that no offer covers it in Seine-Saint-Denis. ARS DD 93 reads
the counts of its département, never a text, even when the URL asks for Paris. Every page
passes axe-core.

Every step goes through the pages, as a person would; only the new competency is saved
directly, by the framework's service."""

import re

import pytest
from playwright.sync_api import expect

from competencies.models import Competency, CompetencyDomain
from competencies.services import competency_save
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # Awa Diallo, in post at Saint-Denis (93)
STAFF = "equipe@demo.example.org"
DD93 = "dd93@demo.example.org"
NEW_COMPETENCY = "Urbanisme favorable à la santé"
NEED = "Apprendre à animer un diagnostic partagé avec les habitants du quartier Pleyel."


def a_competency_nobody_offers():
    """A competency the team has just added to the framework: no offer covers it yet."""
    return competency_save(
        competency=Competency(
            domain=CompetencyDomain.objects.order_by("position", "name").first(),
            name=NEW_COMPETENCY,
            level_1="Connaître la démarche.",
            level_2="L’appliquer avec de l’aide.",
            level_3="La mener seul·e.",
            level_4="La transmettre.",
        )
    )


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
    competency = a_competency_nobody_offers()
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


def test_dd93_reads_the_counts_of_its_departement_and_no_text(login, console_errors):
    page = login(DD93)
    page.goto("/tableau-de-bord/besoins/?departement=75")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Besoins exprimés par les coordinateur·rices"
    )
    levels = page.get_by_role("table", name="Besoins écrits aux trois niveaux du profil")
    expect(levels.get_by_role("rowheader")).to_have_text(["Seine-Saint-Denis (93)"])
    expect(page.get_by_role("heading", name="Ce qu’ils et elles ont écrit")).to_have_count(0)
    expect(page.get_by_text(re.compile("Mieux associer l'élu|Faire reconnaître"))).to_have_count(0)
    assert_no_serious_violation(page)
    page.get_by_role("link", name="Besoins et offre, par compétence et département").click()
    expect(page.get_by_role("heading", level=2, name="Seine-Saint-Denis (93)")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Paris (75)")).to_have_count(0)
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
