"""The yearly activity report: created once per year and territory, texts kept as versions and
restored, bad input refused in French, the PDF (fonts embedded, numbered pages, a table of
contents) and the printable page showing the figures, a constant number of queries."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from accounts.access import access_for
from dashboards import pdf, selectors, services
from dashboards.charts import PALETTE
from dashboards.filters import Period, scope_for
from dashboards.models import NarrativeVersion, Report
from dashboards.reports import PART_KEYS
from dashboards.sections import Context, build_sections
from dashboards.small_numbers import Shown, Suppressed
from territories.models import Department
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory
from tests.helpers import count_queries, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 12:00 +0100", tick=False):
        yield


def department(code):
    return Department.objects.get(code=code)


def add_schemes(code, count, kind="CLS"):
    """`count` schemes of `kind` in force in 2026 in the département `code`, each with a post
    held since 2020."""
    for _ in range(count):
        scheme = SchemeFactory(kind=kind, department=department(code), signed_on=date(2020, 1, 1))
        post = PostFactory(schemes=[scheme], opened_on=date(2020, 1, 1))
        TenureFactory(post=post, started_on=date(2020, 1, 1))


@pytest.fixture
def staff_client(client, staff):
    login(client, staff)
    return client


def open_report(staff, year=2026, codes=()):
    return services.report_open(year=year, department_codes=codes, by=staff)[0]


def pdf_text(content) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- Creating a report ---------------------------------------------------------------------------


def test_staff_create_a_report_for_the_region(staff_client, staff):
    response = staff_client.post(reverse("reports"), {"annee": "2026"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report", args=[report.pk])
    assert (report.year, report.department_codes, report.created_by) == (2026, "", staff)
    assert report.title == "Bilan d’activité 2026 — Île-de-France"


def test_a_report_for_departements_names_them_in_order(staff_client):
    staff_client.post(reverse("reports"), {"annee": "2025", "departements": ["95", "93"]})
    report = Report.objects.get()
    assert report.department_codes == "93,95"
    assert report.codes == ["93", "95"]
    assert report.title == "Bilan d’activité 2025 — Seine-Saint-Denis (93) et Val-d'Oise (95)"


def test_an_existing_report_opens_instead_of_a_duplicate(staff_client, staff):
    first = open_report(staff, codes=["93"])
    response = staff_client.post(
        reverse("reports"), {"annee": "2026", "departements": ["93"]}, follow=True
    )
    assert Report.objects.count() == 1
    assert response.redirect_chain[-1][0] == reverse("report", args=[first.pk])
    assert "existait déjà" in response.content.decode()


def test_every_departement_is_the_region(staff):
    all_codes = list(Department.objects.values_list("code", flat=True))
    region = open_report(staff)
    assert services.report_open(year=2026, department_codes=all_codes, by=staff) == (
        region,
        False,
    )


def test_the_database_holds_one_report_per_year_and_territory(staff):
    """What `report_open` falls back on when two people ask at once."""
    open_report(staff, codes=["93"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(year=2026, department_codes="93", title="Doublon")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"annee": "2014"}, "Choisissez une année entre 2015 et 2026."),
        ({"annee": "2027"}, "Choisissez une année entre 2015 et 2026."),
        ({"annee": "deux mille"}, "Choisissez une année entre 2015 et 2026."),
        ({"annee": "99999999999999999999"}, "Choisissez une année entre 2015 et 2026."),
        ({}, "Choisissez l’année du bilan."),
        ({"annee": "2026", "departements": ["99"]}, "Département inconnu : 99."),
        ({"annee": "2026", "departements": ["2A"]}, "Département inconnu : 2A."),
    ],
)
def test_bad_input_is_refused_in_french(staff_client, data, message):
    response = staff_client.post(reverse("reports"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_service_refuses_what_the_form_would(staff):
    for year in (2014, 2028):
        with pytest.raises(services.ReportError, match="entre 2015 et 2026"):
            services.report_open(year=year, department_codes=[], by=staff)
    with pytest.raises(services.ReportError, match="Département inconnu : 99"):
        services.report_open(year=2026, department_codes=["93", "99"], by=staff)
    assert not Report.objects.exists()


def test_the_list_shows_the_reports(staff_client, staff):
    open_report(staff)
    open_report(staff, year=2025, codes=["93"])
    page = staff_client.get(reverse("reports")).content.decode()
    assert "Bilan d’activité 2026 — Île-de-France" in page
    assert "Bilan d’activité 2025 — Seine-Saint-Denis (93)" in page


# --- Texts and their versions --------------------------------------------------------------------


def post_text(client, report, part, text, base=""):
    return client.post(
        reverse("report_narrative", args=[report.pk, part]),
        {f"{part}-text": text, f"{part}-base": base},
    )


def test_each_save_keeps_the_previous_text(staff_client, staff):
    report = open_report(staff)
    response = post_text(staff_client, report, "introduction", "Une année **dense**.")
    assert response.status_code == 302
    assert response["Location"] == reverse("report", args=[report.pk]) + "#partie-introduction"
    first = NarrativeVersion.objects.get()
    post_text(staff_client, report, "introduction", "Une année très dense.", base=first.pk)
    versions = list(NarrativeVersion.objects.filter(part="introduction").order_by("created_at"))
    assert [v.text for v in versions] == ["Une année **dense**.", "Une année très dense."]
    assert all(v.author == staff for v in versions)
    page = staff_client.get(reverse("report", args=[report.pk])).content.decode()
    assert "Une année très dense." in page  # the current text
    assert reverse("report_version", args=[report.pk, first.pk]) in page  # the history


def test_a_version_is_read_and_restored(staff_client, staff):
    report = open_report(staff)
    old = services.narrative_save(report=report, part="perspectives", text="Ancien", by=staff)
    services.narrative_save(report=report, part="perspectives", text="Nouveau", by=staff)
    page = staff_client.get(reverse("report_version", args=[report.pk, old.pk])).content.decode()
    assert "Ancien" in page and "Restaurer cette version" in page
    response = staff_client.post(reverse("report_version_restore", args=[report.pk, old.pk]))
    assert response.status_code == 302
    texts = [v.text for v in NarrativeVersion.objects.filter(part="perspectives").order_by("pk")]
    assert texts == ["Ancien", "Nouveau", "Ancien"]  # "Nouveau" is kept
    restored = NarrativeVersion.objects.order_by("pk").last()
    assert restored.restored_from == old
    # Restoring the current text again adds nothing.
    staff_client.post(reverse("report_version_restore", args=[report.pk, restored.pk]))
    assert NarrativeVersion.objects.count() == 3


def test_a_version_of_another_report_is_not_found(staff_client, staff):
    report, other = open_report(staff), open_report(staff, codes=["93"])
    version = services.narrative_save(report=other, part="introduction", text="Autre", by=staff)
    assert (
        staff_client.get(reverse("report_version", args=[report.pk, version.pk])).status_code == 404
    )
    restore = reverse("report_version_restore", args=[report.pk, version.pk])
    assert staff_client.post(restore).status_code == 404
    assert NarrativeVersion.objects.count() == 1


def test_the_same_text_again_is_not_a_new_version(staff_client, staff):
    report = open_report(staff)
    version = services.narrative_save(report=report, part="registre", text="Texte", by=staff)
    response = post_text(staff_client, report, "registre", "  Texte \r\n", base=version.pk)
    assert response.status_code == 302
    assert NarrativeVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Écrivez le texte avant de l’enregistrer"),
        ("   \r\n  ", "Écrivez le texte avant de l’enregistrer"),
        ("a" * 20_001, "au plus 20\u202f000 caractères ; celui-ci en fait 20\u202f001"),
        ("nul\x00", "caractère nul"),
    ],
)
def test_a_bad_text_is_refused_and_shown_again(staff_client, staff, text, message):
    report = open_report(staff)
    response = post_text(staff_client, report, "besoins", text)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NarrativeVersion.objects.exists()


def test_a_text_changed_meanwhile_is_not_overwritten(staff_client, staff):
    """Two people open the same part; the second to save is told, and keeps what she typed."""
    report = open_report(staff)
    colleague = UserFactory(first_name="Claire", last_name="Martin")
    services.narrative_save(report=report, part="parcours", text="Par Claire", by=colleague)
    response = post_text(staff_client, report, "parcours", "Mon texte à moi", base="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "a été modifié par Claire Martin" in page
    assert "Mon texte à moi" in page  # shown again in the editor
    assert list(NarrativeVersion.objects.values_list("text", flat=True)) == ["Par Claire"]
    # Told, she saves again from the page shown: her text replaces Claire's, which is kept.
    base = response.context["draft"].parts[PART_KEYS.index("parcours")].form["base"].value()
    post_text(staff_client, report, "parcours", "Mon texte à moi", base=base)
    texts = NarrativeVersion.objects.order_by("pk").values_list("text", flat=True)
    assert list(texts) == ["Par Claire", "Mon texte à moi"]


def test_an_unknown_part_is_not_found(staff_client, staff):
    report = open_report(staff)
    assert post_text(staff_client, report, "inconnue", "Texte").status_code == 404
    with pytest.raises(services.ReportError):
        services.narrative_save(report=report, part="inconnue", text="Texte", by=staff)
    assert not NarrativeVersion.objects.exists()


def test_the_text_is_markdown_sanitised(staff_client, staff):
    report = open_report(staff)
    services.narrative_save(
        report=report,
        part="introduction",
        text="**Fort** <script>alert(1)</script> [lien](javascript:alert(1))",
        by=staff,
    )
    for url in (reverse("report", args=[report.pk]), reverse("report_print", args=[report.pk])):
        page = staff_client.get(url).content.decode()
        assert "<strong>Fort</strong>" in page
        assert "<script>alert" not in page and 'href="javascript' not in page


# --- The draft, the printable page and the PDF ---------------------------------------------------


def test_every_part_has_an_editor_on_the_draft(staff_client, staff):
    report = open_report(staff)
    page = staff_client.get(reverse("report", args=[report.pk])).content.decode()
    for key in PART_KEYS:
        assert reverse("report_narrative", args=[report.pk, key]) in page
        assert f'id="id_{key}-text"' in page


def test_the_printable_page_has_no_navigation(staff_client, staff):
    report = open_report(staff, codes=["93"])
    services.narrative_save(report=report, part="introduction", text="Chapeau", by=staff)
    page = staff_client.get(reverse("report_print", args=[report.pk])).content.decode()
    assert "Navigation principale" not in page
    assert "Bilan d’activité 2026" in page and "Seine-Saint-Denis (93)" in page
    assert "Chapeau" in page and "Sommaire" in page


def test_the_pdf(staff_client, staff):
    add_schemes("93", 4)
    add_schemes("95", 3, kind="CLSM")
    add_schemes("75", 2)  # outside the report's territory
    report = open_report(staff, codes=["93", "95"])
    services.narrative_save(
        report=report, part="introduction", text="Une année de **transition**.", by=staff
    )
    response = staff_client.get(reverse("report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bilan-2026-93-95.pdf"' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)
    assert "Bilan d’activité 2026" in text
    assert "Seine-Saint-Denis (93) et Val-d'Oise (95)" in text
    assert "Une année de transition." in text
    # The fixture's figures: schemes in force by type (ASV, CLS, CLSM, all), Paris left out.
    assert re.search(r"Seine-Saint-Denis \(93\) 0 4 0 4\n", text)
    assert re.search(r"Val-d'Oise \(95\) 0 0 3 3\n", text)
    assert re.search(r"\nTotal 0 4 3 7\n", text)
    assert "Paris (75)" not in text
    # Numbered pages, "Page n sur N".
    pages = len(reader.pages)
    assert pages > 3
    assert f"Page 1 sur {pages}" in text and f"Page {pages} sur {pages}" in text
    # The table of contents gives each part's page: the registre's is the page its title opens.
    contents = reader.pages[1].extract_text()
    assert "Sommaire" in contents
    listed = re.search(r"Dispositifs et postes[ .]*(\d+)", contents)
    assert listed, contents
    opening = int(listed.group(1))
    assert reader.pages[opening - 1].extract_text().lstrip().startswith("Dispositifs et postes")
    # The fonts are embedded (DejaVu), not left to the reader's machine.
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    ]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
    assert all("DejaVu" in font["/BaseFont"] for font in fonts)
    # Tagged (headings, lists, tables): readable by a screen reader.
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "fr"


def test_without_weasyprint_s_libraries_the_pdf_points_to_the_printable_page(
    staff_client, staff, monkeypatch
):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0': not found")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    report = open_report(staff)
    response = staff_client.get(reverse("report_pdf", args=[report.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Le PDF ne peut pas être créé sur ce serveur" in page
    assert reverse("report_print", args=[report.pk]) in page


def test_the_report_s_legend_has_the_charts_colours():
    """The printable page and the PDF read report.css, not the site's: each colour of the
    charts' palette has its legend key there too."""
    css = (settings.BASE_DIR / "static" / "css" / "report.css").read_text().lower()
    for index, colour in enumerate(PALETTE):
        rule = re.search(rf"\.chart-key-{index} \{{\s*background: (#[0-9a-f]+);", css)
        assert rule and rule.group(1) == colour.lower(), index


def test_an_unknown_report_is_not_found(staff_client):
    for name in ("report", "report_print", "report_pdf"):
        assert staff_client.get(reverse(name, args=[999999])).status_code == 404


def test_the_report_counts_as_for_partners_whoever_reads_it(staff):
    """The report goes to partners and funders: a figure about 1 or 2 people reads « < 3 » in
    it, even on the team's draft, and no figure links to a list of the platform."""
    add_schemes("93", 1)  # one coordinator in post
    access = access_for(staff)
    dashboard = build_sections(
        Context(Period.year(2026), scope_for(access, department_codes=["93"]), access)
    )
    report = open_report(staff, codes=["93"])
    draft = selectors.report_draft(report, access)
    in_post = "coordinateur·rices en poste"
    dashboard_card = next(c for s in dashboard for c in s.cards if c.label == in_post)
    report_sections = [part.section for part in draft.parts if part.section]
    report_card = next(c for s in report_sections for c in s.cards if c.label == in_post)
    assert dashboard_card.value == Shown(1)
    assert isinstance(report_card.value, Suppressed)

    def links(sections):
        cells = [cell for s in sections for t in s.tables for row in t.rows for cell in row.cells]
        return [c.link for s in sections for c in s.cards if c.link] + [
            cell.link for cell in cells if cell.link
        ]

    assert links(dashboard)  # the team's dashboard links its figures to their lists
    assert links(report_sections) == []


# --- Query counts --------------------------------------------------------------------------------


def test_the_list_runs_the_same_queries_at_two_sizes(staff_client, staff):
    report = open_report(staff)
    services.narrative_save(report=report, part="introduction", text="Un", by=staff)
    small = count_queries(staff_client, reverse("reports"))
    for year in range(2018, 2026):
        other = open_report(staff, year=year, codes=["93"])
        services.narrative_save(report=other, part="introduction", text="Un", by=staff)
    assert count_queries(staff_client, reverse("reports")) == small


def test_the_draft_runs_the_same_queries_at_two_sizes(staff_client, staff):
    report = open_report(staff)
    url = reverse("report", args=[report.pk])
    add_schemes("93", 1)
    services.narrative_save(report=report, part="introduction", text="Un", by=staff)
    small = count_queries(staff_client, url)
    add_schemes("93", 5)
    add_schemes("95", 5, kind="CLSM")
    for part in PART_KEYS:
        for n in range(3):
            services.narrative_save(report=report, part=part, text=f"Texte {n}", by=staff)
    assert count_queries(staff_client, url) == small


def test_the_printable_page_runs_the_same_queries_at_two_sizes(staff_client, staff):
    report = open_report(staff)
    url = reverse("report_print", args=[report.pk])
    add_schemes("93", 1)
    services.narrative_save(report=report, part="introduction", text="Un", by=staff)
    small = count_queries(staff_client, url)
    add_schemes("93", 5)
    for part in PART_KEYS:
        services.narrative_save(report=report, part=part, text="Texte", by=staff)
    assert count_queries(staff_client, url) == small
