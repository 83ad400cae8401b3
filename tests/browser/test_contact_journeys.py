"""Suggested peers and contact, in a real browser: the demo newcomer sees the experienced
coordinator suggested in Mon espace with the reason, opens his page, writes to him; the message
leaves as an e-mail whose replies go to her, and is listed in her sent messages."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.models.contact import ContactMessage
from notifications.models import Delivery
from tests.browser.axe import assert_no_serious_violation, open_and_check
from tests.browser.helpers import field

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
JULIEN_EMAIL = "coordinateur@demo.example.org"
JULIEN = "Julien Moreau"
SUBJECT = "Parler plaidoyer auprès des élus"


def test_the_newcomer_writes_to_a_suggested_peer(page, login, console_errors):
    def suggested(page):
        block = page.get_by_role("region", name="Des pairs pour vous")
        expect(block).to_contain_text(JULIEN)
        expect(block).to_contain_text("peut aider sur : plaidoyer")
        expect(block).to_contain_text("Département voisin (Val-d'Oise)")
        block.get_by_role("link", name=JULIEN).click()

    open_and_check(page, login, console_errors, email=AWA, path="/", then=suggested)

    expect(page.get_by_role("heading", level=1)).to_have_text(JULIEN)
    why = page.get_by_role("region", name="Pourquoi cette personne")
    expect(why).to_contain_text("ans d’ancienneté")
    expect(why).to_contain_text("travail avec les élu·es et la hiérarchie")
    expect(page.get_by_text(JULIEN_EMAIL)).to_have_count(1)  # he shows his address
    assert_no_serious_violation(page)

    page.get_by_role("link", name=f"Écrire à {JULIEN}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Écrire à {JULIEN}")
    assert_no_serious_violation(page)
    field(page, "Objet").fill(SUBJECT)
    field(page, "Message").fill("Bonjour Julien,\nComment avez-vous convaincu vos élus ?\nAwa")
    page.get_by_role("button", name="Envoyer").click()

    expect(page).to_have_url(re.compile(r"/annuaire/\d+/$"))
    expect(page.locator(".messages[role=status]")).to_contain_text("Votre message est parti")
    message = ContactMessage.objects.get(subject=SUBJECT)
    assert message.recipient.email == JULIEN_EMAIL
    delivery = Delivery.objects.get(key=message.delivery_key)
    assert delivery.reply_to == AWA
    [email] = [m for m in mail.outbox if m.to == [JULIEN_EMAIL] and SUBJECT in m.subject]
    assert email.reply_to == [AWA]
    assert "Comment avez-vous convaincu vos élus ?" in email.body

    page.goto("/annuaire/messages-envoyes/")
    expect(page.get_by_role("heading", level=2, name=SUBJECT)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"À {JULIEN}")
    assert_no_serious_violation(page)
    assert console_errors == []
