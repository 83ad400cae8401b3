"""The yearly activity report in a real browser: staff prepare the 2026 report of the region,
write a paragraph, download the PDF, and the text extracted from the PDF shows the paragraph and
the figures the draft page shows; the pages pass an axe-core check without console errors.

Every step goes through the pages, as a person would; the ORM only checks the end."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dashboards.models import NarrativeVersion, Report
from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

STAFF = "equipe@demo.example.org"
PARAGRAPH = "En 2026, le réseau a accueilli de nouveaux coordinateurs en Seine-Saint-Denis."


def pdf_text(path) -> str:
    with open(path, "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_staff_prepare_the_2026_report_and_download_its_pdf(page, login, console_errors):
    login(STAFF)
    page.goto("/tableau-de-bord/bilans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilans d’activité")
    assert_no_serious_violation(page)
    page.get_by_label("Année").select_option("2026")
    page.get_by_role("button", name="Préparer le bilan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bilan d’activité 2026 — Île-de-France"
    )
    assert_no_serious_violation(page)

    # The team's word, written in the editor of the first part (open: no text yet).
    introduction = page.locator("#partie-introduction")
    introduction.get_by_label("Texte de « Le mot de l’équipe et les faits marquants »").fill(
        PARAGRAPH
    )
    introduction.get_by_role("button", name="Enregistrer le texte").click()
    expect(page.get_by_text("le texte est enregistré")).to_be_visible()
    expect(page.locator("#partie-introduction .narrative")).to_have_text(PARAGRAPH)
    report = Report.objects.get(year=2026, department_codes="")
    assert NarrativeVersion.objects.get(report=report).text == PARAGRAPH

    # Figures as the draft shows them: a key figure and the total row of a table.
    register = page.locator("#partie-registre")
    card = register.locator(".report-card", has_text="dispositifs en cours")
    schemes = card.locator(".report-card-value").inner_text().strip()
    assert re.fullmatch(r"\d+", schemes) and int(schemes) > 0
    total = register.locator("#tableau-registre-dispositifs tr.report-total")
    total_cells = [cell.strip() for cell in total.locator("td").all_inner_texts()]

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert download.value.suggested_filename == "bilan-2026-ile-de-france.pdf"
    text = pdf_text(download.value.path())
    assert "Bilan d’activité 2026" in text and "Île-de-France" in text
    assert PARAGRAPH in " ".join(text.split())
    assert re.search(rf"(?m)^{schemes}\ndispositifs en cours$", text)
    assert "Total " + " ".join(total_cells) in text
    assert "Page 1 sur" in text and "Sommaire" in text

    # The printable page: the report alone, without the site's navigation.
    page.get_by_role("link", name="Page à imprimer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan d’activité 2026")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_have_count(0)
    expect(page.get_by_text(PARAGRAPH)).to_be_visible()
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
