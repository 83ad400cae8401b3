"""Register journeys in a real browser: staff find a scheme with the filters and record a
departure then an arrival, the handover file written by the person who leaves reaches the person
who arrives, a coordinator chooses what the directory shows of her, and the register's pages pass
an axe-core accessibility check.

Every step goes through the pages, as a person would; the ORM only finds ids and checks the end.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from coordinators.models import CoordinatorProfile, HandoverFile, Scheme, Tenure
from demo.seed import DEMO_PASSWORD
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import log_out, search_and_choose
from tests.factories import CoordinatorProfileFactory, UserFactory, commune

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"  # holds the Saint-Denis CLS + ASV post
JULIEN = "coordinateur@demo.example.org"  # holds the Sarcelles CLSM post
STAFF = "equipe@demo.example.org"
NEWCOMER = "ines.nouvelle@exemple.fr"
SCHEMES, PROFILE = "/dispositifs/", "/profil/"
TIPS = "Passer voir Mme Ferrand au CMP des Lochères dès la première semaine : elle connaît tout."
HELP_TEXT = "Monter une cellule de veille sur l'habitat indigne avec le service hygiène."
DIRECTORY = "Visible dans l'annuaire des coordinateurs"


def today_fr():
    return date.today().strftime("%d/%m/%Y")


def open_tenure(email):
    return Tenure.objects.select_related("post").get(person__email=email, ended_on__isnull=True)


def switch_to(page, login, email):
    log_out(page)
    return login(email)


def find_scheme(page, query, kind, name):
    """Open /dispositifs/, filter by name or commune and type, follow the scheme's link."""
    page.goto(SCHEMES)
    filters = page.locator("form:has(button:text-is('Filtrer'))")
    filters.get_by_label("Nom ou commune").fill(query)
    filters.get_by_label("Type").select_option(kind)
    filters.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(rf"[?&]q={query}(&|$)"))
    rows = page.get_by_role("table", name=re.compile("^Liste des dispositifs")).locator("tbody tr")
    expect(
        rows.filter(has_not=page.locator(".badge", has_text=re.compile(f"^{kind}$")))
    ).to_have_count(0)
    rows.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    return page


def post_card(page, post):
    return page.locator(f"section[aria-labelledby='poste-{post.pk}']")


def messages(page):
    return page.locator(".alert")


# --- Departure, arrival and handover ----------------------------------------------------------


@pytest.fixture
def newcomer(demo):
    """A coordinator who can log in and holds no post yet: the one who will take Julien's."""
    user = UserFactory(
        email=NEWCOMER, first_name="Inès", last_name="Nouvelle", password=DEMO_PASSWORD
    )
    CoordinatorProfileFactory(
        user=user,
        commune=commune("95585"),
        employer="Ville de Sarcelles",
        job_title="Coordinatrice du CLSM",
    )
    return user


def test_the_handover_file_of_the_leaver_reaches_the_newcomer(login, newcomer):
    post = open_tenure(JULIEN).post
    handover_path = f"{SCHEMES}postes/{post.pk}/passation/"

    # Julien, before he leaves, writes his tips from his profile.
    page = login(JULIEN)
    page.goto(PROFILE)
    page.get_by_role("link", name="Dossier de passation du poste").click()
    expect(page).to_have_url(handover_path)
    page.get_by_role("link", name="Modifier le dossier").click()
    page.get_by_label("Conseils à la personne qui arrive").fill(TIPS)
    page.get_by_role("button", name="Enregistrer le dossier").click()
    expect(messages(page)).to_contain_text(["Dossier de passation enregistré."])

    # Staff find the CLSM of Sarcelles and record his departure, keeping today's date.
    switch_to(page, login, STAFF)
    find_scheme(page, "Sarcelles", "CLSM", "CLSM de Sarcelles")
    scheme_url = page.url
    card = post_card(page, post)
    expect(card.locator(".person-card")).to_contain_text("Julien Moreau")
    card.get_by_role("link", name="Enregistrer le départ de Julien Moreau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enregistrer le départ de Julien Moreau du poste de coordination (CLSM de Sarcelles)"
    )
    expect(page.get_by_label("Date de départ")).to_have_value(date.today().isoformat())
    page.get_by_label("Motif du départ").select_option(label="Départ vers une autre structure")
    page.get_by_role("button", name="Enregistrer le départ").click()
    expect(page).to_have_url(scheme_url)
    expect(messages(page)).to_contain_text(["Départ de Julien Moreau enregistré"])
    expect(card.get_by_text(f"Vacant depuis le {today_fr()}")).to_be_visible()
    expect(card.locator(".person-card")).to_have_count(0)

    # ... then the arrival of a coordinator the platform already knows.
    card.get_by_role("link", name="Enregistrer une arrivée sur le poste de coordination").click()
    search_and_choose(page, "Coordinateur·rice", "ines nouv", f"Nouvelle Inès — {NEWCOMER}")
    expect(page.get_by_label("Date de prise de poste")).to_have_value(date.today().isoformat())
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(page).to_have_url(scheme_url)
    expect(messages(page)).to_contain_text(["Arrivée d’Inès Nouvelle enregistrée."])
    expect(card.get_by_text("Pourvu")).to_be_visible()
    expect(card.locator(".person-card")).to_contain_text("Inès Nouvelle")

    left = Tenure.objects.get(post=post, person__email=JULIEN)
    assert (left.ended_on, left.end_reason) == (date.today(), Tenure.EndReason.LEFT)
    arrived = open_tenure(NEWCOMER)
    assert (arrived.post, arrived.started_on) == (post, date.today())

    # Inès finds the post and Julien's tips from her profile.
    switch_to(page, login, NEWCOMER)
    page.goto(PROFILE)
    posts = page.locator(".card", has=page.get_by_role("heading", name="Mes postes"))
    expect(posts.get_by_role("link", name="CLSM de Sarcelles")).to_be_visible()
    posts.get_by_role("link", name="Dossier de passation du poste").click()
    expect(page).to_have_url(handover_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dossier de passation du poste de coordination (CLSM de Sarcelles)"
    )
    expect(page.get_by_text(re.compile(r"Mis à jour le .* par Julien Moreau\."))).to_be_visible()
    expect(page.get_by_text(TIPS)).to_be_visible()  # read first, edited on demand
    assert HandoverFile.objects.get(post=post).tips == TIPS


# --- What the directory shows -----------------------------------------------------------------


def set_directory(page, *, email, help_text=None):
    """On /profil/, choose whether the e-mail and the help text are shown; fill the help text."""
    page.goto(PROFILE)
    shown = page.get_by_role("group", name=DIRECTORY)
    shown.get_by_label("Adresse e-mail").set_checked(email)
    shown.get_by_label("Je peux aider sur").check()
    if help_text is not None:
        page.get_by_role("textbox", name="Je peux aider sur").fill(help_text)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(PROFILE)
    expect(messages(page)).to_contain_text(["Votre profil est enregistré."])


def awa_card(page):
    return page.locator(".person-card", has_text="Awa Diallo")


def test_a_coordinator_chooses_what_the_directory_shows_of_her(login, demo):
    page = login(AWA)
    set_directory(page, email=True, help_text=HELP_TEXT)

    switch_to(page, login, JULIEN)
    find_scheme(page, "Saint-Denis", "CLS", "CLS de Saint-Denis")
    scheme_url = page.url
    card = awa_card(page)
    expect(card.get_by_role("link", name=AWA)).to_have_attribute("href", f"mailto:{AWA}")
    expect(card).to_contain_text(f"Peut aider sur : {HELP_TEXT}")

    switch_to(page, login, AWA)
    set_directory(page, email=False)
    expect(page.get_by_role("textbox", name="Je peux aider sur")).to_have_value(HELP_TEXT)

    switch_to(page, login, JULIEN)
    page.goto(scheme_url)
    card = awa_card(page)
    expect(card).to_contain_text(f"Peut aider sur : {HELP_TEXT}")
    expect(card).not_to_contain_text(AWA)
    expect(card.get_by_role("link")).to_have_count(0)

    profile = CoordinatorProfile.objects.get(user__email=AWA)
    assert profile.directory_fields == ["can_help_with"]
    assert profile.can_help_with == HELP_TEXT


# --- Accessibility (axe-core) ------------------------------------------------------------------


def sarcelles_clsm_path():
    return f"{SCHEMES}{Scheme.objects.get(kind=Scheme.Kind.CLSM, name='CLSM de Sarcelles').pk}/"


def julien_handover_path():
    return f"{SCHEMES}postes/{open_tenure(JULIEN).post_id}/passation/"


@pytest.mark.parametrize(
    ("email", "path"),
    [
        (STAFF, lambda: SCHEMES),
        (STAFF, sarcelles_clsm_path),
        (JULIEN, julien_handover_path),  # its author: the form
        (AWA, lambda: PROFILE),  # a coordinator: the profile form
    ],
    ids=["schemes", "scheme", "handover", "profile"],
)
def test_register_pages_pass_axe(login, console_errors, email, path):
    page = login(email)
    page.goto(path())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if path is sarcelles_clsm_path:  # the history table and its links, too
        page.locator("details summary").first.click()
    assert_no_serious_violation(page)
    assert console_errors == [], "browser console errors (a CSP refusal?)"
