"""The dashboard's participation section in a real browser: ARS DD 93 sees Seine-Saint-Denis
only, even when the URL asks for Paris, and follows an event figure to the agenda."""

import re

import pytest
from playwright.sync_api import expect

from territories.models import Department

pytestmark = pytest.mark.browser

DD93 = "dd93@demo.example.org"


def test_dd93_reads_its_participation_and_follows_events_to_the_agenda(login):
    page = login(DD93)
    page.goto("/tableau-de-bord/?departement=75")
    section = page.locator("#participation")
    expect(
        section.get_by_role("heading", name="Participation aux temps collectifs")
    ).to_be_visible()
    registrations = section.locator("#participation-inscriptions table")
    expect(registrations.locator("tbody th[scope=row]")).to_have_text(["Seine-Saint-Denis (93)"])
    expect(section).not_to_contain_text("Paris (75)")
    events = section.locator("#participation-evenements table")
    pk = Department.objects.get(code="93").pk
    events.locator("tr.table-total a").first.click()
    expect(page).to_have_url(re.compile(rf"/agenda/\?department={pk}&quand=passes$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
