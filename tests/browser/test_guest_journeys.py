"""A guest's journey in a real browser (issue 11 #2): invited to a full event, she registers from
her personal link and lands on the waitlist; when a seat frees up, the e-mail offering it points
to the same link, where she confirms it; the link then shows her seat. No account at any step.

The ORM only prepares the event, frees the seat and reads the e-mails the live server sent (same
process: Django's locmem outbox)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from agenda import services
from agenda.models import Registration
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field, search_and_choose
from tests.factories import CoordinatorProfileFactory, EventFactory, in_days

pytestmark = pytest.mark.browser

GUEST_EMAIL = "helene.marchetti@ville-sarcelles.example.org"


def link_in(message):
    """The path of the guest's personal link in an e-mail."""
    return re.search(r"https?://[^/\s]+(/agenda/invitation/[^/\s]+/)", message.body).group(1)


def test_a_waitlisted_guest_confirms_the_offered_seat_from_her_link(page, live_server):
    event = EventFactory(
        kind="regional_day",
        title="Journée régionale des élu·es",
        audiences=["all", "guests"],
        capacity=1,
        starts_at=in_days(20),
    )
    seated = services.event_register(event=event, person=CoordinatorProfileFactory().user)
    mail.outbox.clear()
    services.guest_invite(
        event=event,
        invited_by=seated.person,
        email=GUEST_EMAIL,
        first_name="Hélène",
        last_name="Marchetti",
    )
    [invitation_mail] = mail.outbox
    assert "complet" in invitation_mail.body  # told before she clicks
    guest_link = link_in(invitation_mail)

    # She opens her link: her address is the invited one, not editable.
    page.goto(guest_link)
    expect(field(page, "Adresse e-mail")).to_have_value(GUEST_EMAIL)
    expect(field(page, "Adresse e-mail")).to_be_disabled()
    field(page, "Fonction").fill("Adjointe au maire déléguée à la santé")
    search_and_choose(page, "Commune", "sarcel", "Sarcelles (95)")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page).to_have_url(guest_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes sur liste d'attente")
    expect(page.get_by_text("Vous êtes 1ʳᵉ sur la liste d'attente")).to_be_visible()
    assert_no_serious_violation(page)
    waitlisted = mail.outbox[-1]
    assert not waitlisted.attachments  # no seat, no calendar file

    # The coordinator cancels: the seat is offered to her, by an e-mail pointing to her link.
    mail.outbox.clear()
    services.registration_cancel(registration=seated)
    offer = next(m for m in mail.outbox if m.to == [GUEST_EMAIL])
    assert "avec votre lien personnel" in offer.body
    assert link_in(offer) == guest_link

    page.goto(link_in(offer))
    expect(page.get_by_role("heading", level=1)).to_have_text("Une place vous est proposée")
    page.get_by_role("button", name="Confirmer ma place").click()
    expect(page.locator(".messages .alert")).to_contain_text("Votre place est confirmée")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes inscrit·e")

    guest = Registration.objects.get(event=event, person__isnull=True)
    assert guest.status == Registration.Status.CONFIRMED and guest.email == GUEST_EMAIL
    confirmed = mail.outbox[-1]
    assert confirmed.to == [GUEST_EMAIL] and confirmed.attachments  # a seat: its .ics

    # She may still cancel from the link, after a confirmation step.
    page.get_by_role("link", name="Annuler mon inscription").click()
    expect(page.get_by_role("heading", name="Annuler votre inscription ?")).to_be_visible()
    page.get_by_role("link", name="Non, la garder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes inscrit·e")
    guest.refresh_from_db()
    assert guest.status == Registration.Status.CONFIRMED
