"""Journey 5 in a real browser: ARS DD 93 opens the dashboard of its territory, sees
Seine-Saint-Denis only (whatever it asks for in the URL), follows a figure to the list it counts,
and downloads the whole dashboard as a workbook; ARS head office sees the départements side by
side; a wrong period is said in French."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

DASHBOARD = "/tableau-de-bord/"


def test_dd93_follows_a_figure_and_downloads_the_workbook(login, console_errors):
    page = login("dd93@demo.example.org")
    expect(page).to_have_url(DASHBOARD)
    expect(page.locator("p.lead")).to_contain_text("Seine-Saint-Denis (93)")
    # Every section is there, each table with its chart and its data table.
    for title in (
        "Dispositifs et postes",
        "Participation aux temps collectifs",
        "Parcours et auto-évaluations",
        "Entraide et ressources",
        "Besoins exprimés",
    ):
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    expect(page.locator("figure.chart svg").first).to_be_visible()
    rows = page.locator("#registre-postes tbody th[scope=row]")
    expect(rows).to_have_text(["Seine-Saint-Denis (93)"])
    assert_no_serious_violation(page)

    # Asking for Paris in the URL changes nothing.
    page.goto(f"{DASHBOARD}?departement=75")
    expect(rows).to_have_text(["Seine-Saint-Denis (93)"])
    expect(page.locator("body")).not_to_contain_text("Paris (75)")

    # The schemes running: the register's list of Seine-Saint-Denis.
    card = page.locator(".dashboard-card").filter(has_text="dispositifs en cours")
    figure = card.locator(".figure-number").inner_text()
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dispositifs/\?"))
    expect(page.get_by_role("heading", name="Dispositifs ASV, CLS et CLSM")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Seine-Saint-Denis")
    assert int(figure) > 0
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger tout le tableau de bord (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("tableau-de-bord-93-")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Dispositifs et postes"
    everything = " ".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    assert "Seine-Saint-Denis (93)" in everything
    for other in ("Paris (75)", "Val-d'Oise (95)", "Essonne (91)"):
        assert other not in everything
    assert console_errors == []


def test_ars_sees_the_departements_side_by_side_and_a_wrong_period_is_explained(login):
    page = login("ars@demo.example.org")
    expect(page.locator("p.lead")).to_contain_text("Toute la région Île-de-France")
    rows = page.locator("#registre-postes tbody th[scope=row]")
    expect(rows).to_have_count(9)  # eight départements and the total
    page.get_by_label("ou du").fill("2026-06-30")
    page.get_by_label("au", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("alert")).to_contain_text("inversez les deux dates")
    expect(page.locator("#registre-postes")).to_have_count(0)
