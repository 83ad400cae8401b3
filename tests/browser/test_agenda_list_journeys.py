"""The agenda list in a real browser (issue 11 #10): a coordinator reads free seats the way the
event page says them, looks back at past events, sees his rank on a waitlist, and cancels a
registration only after confirming it, without JavaScript being needed for that step."""

import pytest
from playwright.sync_api import expect

from agenda import services
from agenda.models import Registration
from tests.browser.axe import assert_no_serious_violation
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, CoordinatorProfileFactory, EventFactory, UserFactory, in_days

pytestmark = pytest.mark.browser


def card(page, title):
    return page.locator("article").filter(has=page.get_by_role("heading", name=title))


def test_a_coordinator_reads_seats_past_events_his_rank_and_cancels_after_confirming(
    page, live_server
):
    me = CoordinatorProfileFactory().user
    seats = EventFactory(title="Webinaire : le diagnostic local", capacity=25, starts_at=in_days(5))
    for _ in range(23):
        services.event_register(event=seats, person=UserFactory())
    full = EventFactory(title="Atelier plaidoyer", capacity=1, starts_at=in_days(6))
    services.event_register(event=full, person=UserFactory())
    services.event_register(event=full, person=UserFactory())
    services.event_register(event=full, person=me)  # 2nd on the waitlist
    mine = services.event_register(event=seats, person=me)
    EventFactory(
        title="Rencontre de l'an dernier", starts_at=in_days(-40), ends_at=in_days(-40, 12)
    )

    log_in(page, me.email, PASSWORD)
    page.goto("/agenda/")
    expect(card(page, seats.title)).to_contain_text("1 place libre sur 25")
    expect(card(page, full.title)).to_contain_text("Complet (1 place)")
    expect(card(page, full.title)).to_contain_text("Liste d'attente : 2ᵉ")
    expect(card(page, "Rencontre de l'an dernier")).to_have_count(0)
    assert_no_serious_violation(page)

    page.get_by_label("Passés").check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_title("Agenda — événements passés · PromoSanté Île-de-France")
    expect(card(page, "Rencontre de l'an dernier")).to_be_visible()
    expect(card(page, seats.title)).to_have_count(0)

    page.goto(f"/agenda/{full.pk}/")
    expect(page.get_by_text("Vous êtes 2ᵉ sur la liste d'attente")).to_be_visible()

    page.goto(f"/agenda/{seats.pk}/")
    expect(page.get_by_text("1 place libre sur 25")).to_be_visible()  # the same words
    page.get_by_role("link", name="Me désinscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription ?")
    page.get_by_role("link", name="Non, garder mon inscription").click()
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
    page.get_by_role("link", name="Me désinscrire").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.locator(".messages .alert")).to_contain_text("Votre inscription est annulée")
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED


def test_card_badges_sit_in_the_same_place_whatever_the_title_length(page, live_server):
    """The « Inscrit·e » / « Complet » badges sit on a row under the title and the date, at the
    card's left edge, on a wide screen and on a phone (issue 11, second pass #5)."""
    me = CoordinatorProfileFactory().user
    long_title = (
        "Journée régionale des coordinations : santé mentale, santé environnementale et "
        "accès aux droits dans les quartiers prioritaires de la politique de la ville"
    )
    wrapped = EventFactory(title=long_title, capacity=30, starts_at=in_days(5))
    services.event_register(event=wrapped, person=me)
    full = EventFactory(title="Atelier plaidoyer", capacity=1, starts_at=in_days(6))
    services.event_register(event=full, person=UserFactory())
    short = EventFactory(title="Webinaire court", capacity=30, starts_at=in_days(7))
    services.event_register(event=short, person=me)

    log_in(page, me.email, PASSWORD)
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/agenda/")
        page.screenshot(path=f"/tmp/agenda_cards_{width}.png", full_page=True)
        for title, badge in (
            (long_title, "Inscrit·e"),
            (full.title, "Complet"),
            (short.title, "Inscrit·e"),
        ):
            article = card(page, title)
            heading = article.get_by_role("heading").bounding_box()
            body = article.locator(".card-body").bounding_box()
            box = article.locator(".badge", has_text=badge).bounding_box()
            assert box["y"] >= heading["y"] + heading["height"], (width, title)
            assert abs(box["x"] - heading["x"]) < 2, (width, title)  # left-aligned, like the title
            assert box["x"] + box["width"] <= body["x"] + body["width"], (width, title)
