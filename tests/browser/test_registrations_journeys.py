"""An event's registrations in a real browser: on the day of a full workshop, staff give the
seat of the waitlist's first person over capacity (after the page that says it is full), add a
member who came without registering (found by typing in the searchable select) and a guest, then
download the registrants as an Excel file and open it; the pages pass an axe-core check.

Every step goes through the pages, as a person would; the ORM builds the workshop, finds ids and
checks the end.
"""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, User
from agenda.models import Event, Registration
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

STAFF = "equipe@demo.example.org"
AWA = "coordinatrice@demo.example.org"  # Awa Diallo, Ville de Saint-Denis
JULIEN = "coordinateur@demo.example.org"  # Julien Moreau, Ville de Sarcelles
WORKSHOP = "Atelier régional : animer un conseil local de santé mentale"
Status = Registration.Status


def messages(page):
    return page.locator(".messages .alert")


def choose(page, label, typed, option):
    """`search_and_choose`, waiting for the list to be filtered before clicking: Tom Select
    refreshes the list 300 ms after typing (`refreshThrottle`), and a refresh that comes after
    the click opens the list again over the next fields (seen on a loaded machine)."""
    name = re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")
    box = page.get_by_role("combobox", name=name)
    box.click()
    box.fill(typed)
    listbox = page.get_by_role("listbox", name=name)
    expect(listbox.get_by_role("option").first).to_have_text(option)
    listbox.get_by_role("option", name=option, exact=True).click()
    expect(listbox).to_be_hidden()


def row_of(page, name):
    table = page.get_by_role("table", name=re.compile("^Personnes inscrites"))
    return table.locator("tbody tr").filter(has=page.get_by_text(name, exact=True))


@pytest.fixture
def full_workshop(demo):
    """A workshop under way today, its two seats taken, Julien first on the waitlist."""
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.REGIONAL_DAY,
        title=WORKSHOP,
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(hours=2),
        location="Maison des associations, 95200 Sarcelles",
        capacity=2,
        audiences=[Event.Audience.ALL],
        organiser=Organisation.objects.get(kind=Organisation.Kind.PROMOSANTE),
    )
    for first_name, last_name in (("Aline", "Arnaud"), ("Bastien", "Barre")):
        person = UserFactory(first_name=first_name, last_name=last_name)
        Registration.objects.create(event=event, person=person, status=Status.CONFIRMED)
    julien = User.objects.get(email=JULIEN)
    Registration.objects.create(event=event, person=julien, status=Status.WAITLISTED)
    return event


def test_staff_give_a_seat_over_capacity_add_walk_ins_and_download_the_list(
    login, full_workshop, console_errors
):
    event = full_workshop
    page = login(STAFF)

    # From the event page to its registrations (check-in is one tab away).
    page.goto(f"/agenda/{event.pk}/")
    page.get_by_role("link", name="Inscriptions", exact=True).click()
    expect(page).to_have_url(f"/agenda/{event.pk}/inscrits/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Inscriptions — {WORKSHOP}")
    expect(page.locator("#places")).to_contain_text("2 places prises sur 2 : complet")
    expect(row_of(page, "Julien Moreau")).to_contain_text("Sur liste d'attente")
    expect(row_of(page, "Julien Moreau")).to_contain_text("Ville de Sarcelles")
    expect(row_of(page, "Julien Moreau")).to_contain_text("Sarcelles")
    assert_no_serious_violation(page)

    # The workshop is full: a seat for Julien goes through a page that says so.
    row_of(page, "Julien Moreau").get_by_role("link", name=re.compile("^Donner une place")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Donner une place à Julien Moreau ?")
    warning = page.locator(".alert-warning")
    expect(warning).to_contain_text("L'événement est complet : 2 places prises sur 2.")
    expect(warning).to_contain_text("3 personnes pour 2 places")
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Donner une place en surnombre").click()
    expect(page).to_have_url(re.compile(rf"/agenda/{event.pk}/inscrits/(#inscription-\d+)?$"))
    expect(messages(page)).to_have_text(["Place donnée à Julien Moreau."])
    expect(row_of(page, "Julien Moreau")).to_contain_text("Inscrit·e")
    expect(page.locator("#places")).to_contain_text("1 en surnombre")
    julien = Registration.objects.get(event=event, person__email=JULIEN)
    assert julien.status == Status.CONFIRMED

    # Awa came without registering: staff find her by typing part of her name.
    page.get_by_role("link", name="Ajouter une personne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ajouter une personne — {WORKSHOP}")
    assert_no_serious_violation(page)
    choose(page, "Membre du réseau", "diallo", "Diallo Awa — coordinatrice@demo.example.org")
    page.get_by_label("Présent·e : la personne est là").check()
    page.get_by_role("button", name="Ajouter").click()
    # Full: adding her as registered needs an explicit "over capacity".
    expect(
        page.get_by_text(re.compile("cochez cette case pour inscrire la personne en surnombre"))
    ).to_be_visible()
    page.get_by_role("checkbox", name=re.compile("inscrire quand même, en surnombre$")).check()
    page.get_by_role("button", name="Ajouter").click()
    expect(messages(page)).to_have_text(["Awa Diallo : inscrit·e, présent·e."])
    expect(row_of(page, "Awa Diallo").locator(".badge", has_text="Présent·e")).to_be_visible()

    # ... and an elected official without an account.
    page.get_by_role("link", name="Ajouter une personne").click()
    field(page, "Prénom").fill("Hélène")
    field(page, "Nom").fill("Marchetti")
    choose(page, "Commune", "sarcel", "Sarcelles (95)")
    field(page, "Structure").fill("Mairie de Sarcelles")
    page.get_by_role("checkbox", name=re.compile("inscrire quand même, en surnombre$")).check()
    page.get_by_label("Présent·e : la personne est là").check()
    page.get_by_role("button", name="Ajouter").click()
    expect(messages(page)).to_have_text(["Hélène Marchetti : inscrit·e, présent·e."])
    expect(row_of(page, "Hélène Marchetti")).to_contain_text("Mairie de Sarcelles")

    # The registrants, as an Excel file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter la liste (Excel)").click()
    download = download_info.value
    day = timezone.localdate()
    assert download.suggested_filename == (
        f"inscriptions-atelier-regional-animer-un-conseil-local-de-sante-mentale-{day:%Y-%m-%d}"
        ".xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Prénom", "Nom", "Structure", "Commune", "Statut", "Présence"]
    assert sorted(rows[1:]) == [
        ["Aline", "Arnaud", "", "", "Inscrit·e", ""],
        ["Awa", "Diallo", "Ville de Saint-Denis", "Saint-Denis", "Inscrit·e", "présent·e"],
        ["Bastien", "Barre", "", "", "Inscrit·e", ""],
        ["Hélène", "Marchetti", "Mairie de Sarcelles", "Sarcelles", "Inscrit·e", "présent·e"],
        ["Julien", "Moreau", "Ville de Sarcelles", "Sarcelles", "Inscrit·e", ""],
    ]
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 5

    # On a phone, the wide table scrolls within itself: the page does not.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/agenda/{event.pk}/inscrits/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not console_errors


def test_the_waitlist_reads_in_queue_order_with_one_line_buttons(login, full_workshop):
    """Issue 11, second pass #2: the waitlist follows its queue (not the alphabet), each row says
    its rank, and « Donner une place » holds on one line, naming the person for screen readers."""
    event = full_workshop
    later = UserFactory(first_name="Anne", last_name="Abel")  # sorts first, waits second
    Registration.objects.create(event=event, person=later, status=Status.WAITLISTED)
    page = login(STAFF)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/agenda/{event.pk}/inscrits/")
        page.screenshot(path=f"/tmp/roster_{width}.png", full_page=True)
        if width == 1280:  # the filters go above the table, whose actions then fit
            table = page.locator(".table-responsive").first
            assert table.evaluate("box => box.scrollWidth <= box.clientWidth")
        expect(row_of(page, "Julien Moreau")).to_contain_text("1ʳᵉ dans la file")
        expect(row_of(page, "Anne Abel")).to_contain_text("2ᵉ dans la file")
        names = page.locator("tbody tr th .fw-semibold").all_inner_texts()
        assert names.index("Julien Moreau") < names.index("Anne Abel")
        give = row_of(page, "Anne Abel").get_by_role(
            "link", name="Donner une place à Anne Abel (complet : en surnombre, après confirmation)"
        )
        assert give.bounding_box()["height"] < 36  # one line of a small button (about 31 px)
