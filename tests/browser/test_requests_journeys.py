"""La boussole on request, in a real browser, on the demo: Awa (the newcomer, who has not asked
yet) asks for 3 printed copies from the resource's page, her address prefilled from her
scheme's carrier; the team accepts her request on its page, then marks it sent with the others
checked in the list; Awa sees on the resource's page that her copies left by post, and got the
e-mail. axe finds no serious or critical violation on these pages."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from resources.models import Resource
from resources.models.requests import ResourceRequest
from tests.browser.axe import assert_no_serious_violation
from tests.browser.helpers import field, log_out

pytestmark = pytest.mark.browser

AWA = "coordinatrice@demo.example.org"
STAFF = "equipe@demo.example.org"


def test_awa_requests_the_boussole_the_team_sends_it_and_she_sees_it(page, login, console_errors):
    boussole = Resource.objects.get(title__startswith="La boussole")
    resource_url = f"/ressources/{boussole.pk}/"

    login(AWA)
    page.goto(resource_url)
    block = page.get_by_role("region", name="Diffusée sur demande")
    expect(block).to_contain_text("envoyée par l’équipe PromoSanté aux coordinateur·rices")
    assert_no_serious_violation(page)
    block.get_by_label("Des exemplaires imprimés, envoyés par la poste").check()
    expect(field(block, "Destinataire")).to_have_value("Awa Diallo")
    expect(field(block, "Structure (facultatif)")).not_to_have_value("")
    field(block, "Nombre d’exemplaires").fill("0")
    field(block, "Adresse (numéro et rue)").fill("2 place Victor Hugo")
    field(block, "Code postal").fill("93200")
    field(block, "Commune").fill("Saint-Denis")
    block.get_by_role("button", name="Envoyer ma demande").click()
    # Refused with a clear message, the form as typed: nothing stored.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Demander « {boussole.title} »")
    expect(page.get_by_role("main")).to_contain_text("Demandez au moins 1 exemplaire.")
    assert not ResourceRequest.objects.filter(requester__email=AWA).exists()
    assert_no_serious_violation(page)
    field(page, "Nombre d’exemplaires").fill("3")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page).to_have_url(re.compile(rf"{resource_url}$"))
    expect(page.locator(".messages[role=status]")).to_contain_text("Votre demande de")
    block = page.get_by_role("region", name="Diffusée sur demande")
    expect(block).to_contain_text("Demande en attente")
    expect(block).to_contain_text("Vous avez demandé 3 exemplaires imprimés")
    request = ResourceRequest.objects.get(requester__email=AWA)
    assert request.postcode == "93200" and request.quantity == 3
    log_out(page)

    # The team: accepts it on its page, then marks it sent with the list's checked rows.
    login(STAFF)
    page.goto("/ressources/demandes/?state=asked")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes de documents")
    assert_no_serious_violation(page)
    page.get_by_role("link", name="Awa Diallo").click()
    expect(page.get_by_role("main")).to_contain_text("2 place Victor Hugo")
    page.get_by_label("Accepter").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages[role=status]")).to_contain_text("La demande est acceptée")
    assert_no_serious_violation(page)

    page.goto("/ressources/demandes/?state=accepted")
    page.get_by_label("Cocher la demande d’Awa Diallo").check()
    page.get_by_label("Marquer envoyée").check()
    today = timezone.localdate()
    expect(field(page, "Envoyée le")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Appliquer aux demandes cochées").click()
    expect(page.locator(".messages[role=status]")).to_contain_text("1 demande marquée envoyée")
    request.refresh_from_db()
    assert request.state == "sent" and request.sent_on == today
    log_out(page)

    # Awa sees the new state on the resource's page, and got the e-mail.
    login(AWA)
    page.goto(resource_url)
    block = page.get_by_role("region", name="Diffusée sur demande")
    expect(block).to_contain_text(
        f"Vos 3 exemplaires imprimés sont partis par la poste le {date_format(today, 'j F Y')}"
    )
    expect(block).to_contain_text("2 place Victor Hugo")
    assert_no_serious_violation(page)
    [sent] = [m for m in mail.outbox if m.to == [AWA] and "vous est envoyée" in m.subject]
    assert "3 exemplaires imprimés" in sent.body and "93200 Saint-Denis" in sent.body
    assert [m for m in mail.outbox if m.to == [AWA] and "est acceptée" in m.subject]
    assert console_errors == []
