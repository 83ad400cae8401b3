"""The news board and the weekly digest in a real browser.

- "The digest of the week lists a new resource": the team publishes a resource (through the
  library's service), the digest task runs for the coming week, and Julien reads the digest,
  with the resource's title, in "Mes e-mails".
- The CRPV 95 publishes a post for Val-d'Oise through the form; Julien (Val-d'Oise) sees it on
  /actualites/, Awa (Seine-Saint-Denis) does not.

The pages pass an axe-core check."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from network.tasks import weekly_digest
from resources.models.library import Resource
from resources.services.library import resource_save
from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN = "coordinateur@demo.example.org"
STAFF = "equipe@demo.example.org"
CRPV95 = "crpv95@demo.example.org"
RESOURCE = "Guide pratique de l’évaluation d’un CLSM"
POST = "Permanence santé mentale du Val-d’Oise : nouvelles dates"


def next_monday_morning():
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8)))


def test_the_digest_of_the_week_lists_a_new_resource(page, login, console_errors):
    resource_save(
        resource=Resource(
            title=RESOURCE,
            kind=Resource.Kind.GUIDE,
            url="https://ressources.example.org/evaluation-clsm",
            audience=Resource.Audience.NETWORK,
            is_published=True,
        ),
        competencies=[],
        by=User.objects.get(email=STAFF),
    )
    weekly_digest(next_monday_morning().isoformat())

    open_and_check(page, login, console_errors, email=JULIEN, path="/profil/e-mails/")
    page.get_by_role("link", name="Lettre de la semaine").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lettre de la semaine")
    expect(page.get_by_role("region", name="Message")).to_contain_text(RESOURCE)
    assert_no_serious_violation(page)
    assert console_errors == []


def test_a_partner_s_post_reaches_its_departement_only(page, login, console_errors):
    open_and_check(page, login, console_errors, email=CRPV95, path="/actualites/")
    page.get_by_role("link", name="Publier une actualité").click()
    field(page, "Titre").fill(POST)
    field(page, "Catégorie").select_option(label="Vie du réseau")
    page.get_by_label("Val-d'Oise (95)").check()
    field(page, "Texte").fill("La permanence a lieu **chaque mardi** au CMP de Sarcelles.")
    assert_no_serious_violation(page)
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POST)
    expect(page.locator("article strong")).to_have_text("chaque mardi")
    assert_no_serious_violation(page)
    log_out(page)

    open_and_check(page, login, console_errors, email=JULIEN, path="/actualites/")
    expect(page.get_by_role("link", name=POST)).to_be_visible()
    # He follows the board in his feed reader.
    page.get_by_role("link", name="Mes flux").click()
    page.get_by_role("button", name="Créer mes adresses").click()
    expect(page.get_by_label("Offre d’emploi")).to_have_value(re.compile(r"/flux/[\w-]+/job/$"))
    assert_no_serious_violation(page)
    log_out(page)

    open_and_check(page, login, console_errors, email=AWA, path="/actualites/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités du réseau")
    # Her département's posts are there (the demo's), not the Val-d'Oise's.
    expect(
        page.get_by_role("link", name=re.compile("Contrats locaux de santé de Seine-Saint-Denis"))
    ).to_be_visible()
    expect(page.get_by_role("link", name=POST)).to_have_count(0)
