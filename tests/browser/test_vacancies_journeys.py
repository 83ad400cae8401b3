"""Vacancies in a real browser: staff publish the vacancy of a vacant post from its page (a
closing date in the past is refused first, with a clear message); a visitor without an account
finds it on the public list; an arrival recorded on the post from the register's page closes it
and it leaves the list. Every page passes an axe-core accessibility check.

Every step goes through the pages, as a person would; the ORM only finds ids and checks the end.
"""

import re
from datetime import date, timedelta

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from coordinators.models import Vacancy
from coordinators.selectors import POST_VACANT, posts_at
from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

STAFF = "equipe@demo.example.org"
LIST = "/dispositifs/postes-vacants/"
DESCRIPTION = "Animer le **contrat local de santé** avec les partenaires du territoire."


def a_vacant_post_without_vacancy():
    """A post vacant today, the only post of its one scheme, with no vacancy yet."""
    today = date.today()
    return (
        posts_at(today)
        .filter(status_at=POST_VACANT)
        .exclude(vacancies__isnull=False)
        .annotate(scheme_count=Count("schemes", distinct=True))
        .filter(scheme_count=1)
        .prefetch_related("schemes__department")
        .order_by("pk")
        .first()
    )


def test_staff_publish_a_vacancy_a_visitor_finds_it_an_arrival_closes_it(login, console_errors):
    post = a_vacant_post_without_vacancy()
    scheme = post.schemes.get()
    page = login(STAFF)
    page.goto(f"/dispositifs/{scheme.pk}/")
    card = page.locator(f"section[aria-labelledby='poste-{post.pk}']")
    card.get_by_role("link", name="Publier l’offre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publier l’offre du")
    expect(field(page, "Intitulé de l’offre")).to_have_value(re.compile("^Coordinateur·rice d"))
    title = field(page, "Intitulé de l’offre").input_value()
    assert_no_serious_violation(page)

    # A closing date in the past: refused, said next to the field, nothing published.
    field(page, "Description du poste").fill(DESCRIPTION)
    field(page, "Contact (nom et fonction)").fill("Direction de la santé")
    field(page, "Adresse e-mail pour candidater").fill("recrutement@ville.example.org")
    yesterday = date.today() - timedelta(days=1)
    field(page, "Date limite de candidature").fill(yesterday.isoformat())
    page.get_by_role("button", name="Publier l’offre").click()
    expect(page.get_by_text("La date limite de candidature est passée")).to_be_visible()
    assert not Vacancy.objects.filter(post=post).exists()
    assert_no_serious_violation(page)

    closes_on = date.today() + timedelta(days=21)
    field(page, "Date limite de candidature").fill(closes_on.isoformat())
    page.get_by_role("button", name="Publier l’offre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("L’offre est publiée")).to_be_visible()
    expect(page.locator("strong", has_text="contrat local de santé")).to_be_visible()
    assert_no_serious_violation(page)
    page.goto(f"/dispositifs/{scheme.pk}/")
    expect(card.get_by_text("Offre publiée")).to_be_visible()
    log_out(page)

    # A visitor, without an account, finds it on the public list, by département.
    def filter_by_department(page):
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Postes de coordination à pourvoir"
        )
        page.get_by_label("Département").select_option(scheme.department.code)
        page.get_by_role("button", name="Filtrer").click()
        expect(page).to_have_url(re.compile(rf"[?&]department={scheme.department.code}"))
        expect(page.get_by_role("article", name=title)).to_be_visible()

    open_and_check(page, login, console_errors, email=None, path=LIST, then=filter_by_department)
    page.get_by_role("article", name=title).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="recrutement@ville.example.org")).to_be_visible()
    assert_no_serious_violation(page)

    # Staff record an arrival on the post: the vacancy closes and leaves the list.
    page = login(STAFF)
    page.goto(f"/dispositifs/{scheme.pk}/")
    card.get_by_role("link", name=re.compile("^Enregistrer une arrivée")).click()
    field(page, "Prénom").fill("Nadia")
    field(page, "Nom").fill("Recrutée")
    field(page, "Adresse e-mail").fill("nadia.recrutee@exemple.fr")
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(page.get_by_text("Arrivée de Nadia Recrutée enregistrée.")).to_be_visible()
    expect(card.get_by_text("Pourvu")).to_be_visible()
    expect(card.get_by_text("Offre publiée")).to_have_count(0)
    log_out(page)

    page.goto(LIST)
    expect(page.get_by_role("article", name=title)).to_have_count(0)
    vacancy = Vacancy.objects.get(post=post)
    assert (vacancy.status, vacancy.close_reason) == ("closed", Vacancy.CloseReason.FILLED)
    page.goto(f"{LIST}{vacancy.pk}/")
    expect(page.get_by_text("Cette offre est close depuis le")).to_be_visible()
    page.get_by_role("link", name="Voir les postes vacants ouverts du réseau").click()
    expect(page).to_have_url(re.compile(f"{LIST}$"))
    assert console_errors == [], "browser console errors (a CSP refusal?)"
