"""Mes e-mails as the demo newcomer reads them in a real browser: planned steps under their real
subject (never an internal label), a planned e-mail "Sera envoyé à", the welcome e-mail's HTML
part (emphasis, not Markdown stars) with no serious accessibility violation."""

import re

import pytest
from playwright.sync_api import expect

from demo.notifications import WELCOME_STEPS
from notifications.models import Delivery
from tests.browser.axe import assert_no_serious_violation

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
WELCOME_SUBJECT = "Bienvenue dans le réseau des coordinateur·rices, Awa"


def test_the_newcomer_reads_real_subjects_and_her_welcome_email(login, console_errors):
    page = login(AWA)
    page.goto("/profil/e-mails/")
    planned = page.get_by_role("region", name="Prévus")
    step_subject = next(subject for days, subject, _body, _c in WELCOME_STEPS if days == 3)
    expect(planned).to_contain_text(step_subject)
    expect(planned).not_to_contain_text("Accompagnement «")
    expect(planned).not_to_contain_text("J+")

    planned.get_by_role("link", name=step_subject).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(step_subject)
    expect(page.get_by_text("Sera envoyé à")).to_be_visible()
    expect(page.get_by_text("Envoyé à", exact=True)).to_have_count(0)

    page.goto("/profil/e-mails/")
    page.get_by_role("region", name="Envoyés").get_by_role(
        "link", name=WELCOME_SUBJECT, exact=True
    ).click()
    message = page.get_by_role("region", name="Message")
    expect(message.locator("em", has_text="La boussole")).to_be_visible()
    expect(message).not_to_contain_text("*La boussole")
    expect(message).to_contain_text(re.compile(r"\d+ coordinateur·rices sont en poste"))
    assert Delivery.objects.filter(recipient__email=AWA, status="sent").exists()
    assert_no_serious_violation(page)
    assert not console_errors
