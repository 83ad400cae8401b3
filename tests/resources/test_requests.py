"""Requests for a resource on request (the Boussole): asking (bad input refused, nothing stored),
the team's steps one by one and at once (every transition checked), the e-mails, who may open
the file, the resource page's block, the pages, the filters, the counts and the export."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.access import access_for
from notifications.models import Delivery
from resources.models.requests import ResourceRequest
from resources.selectors import requests as selectors
from resources.services import requests as services
from tests.factories import CoordinatorProfileFactory

from .requests_factories import ADDRESS, ask, coordinator_in_post, on_request_resource

pytestmark = pytest.mark.django_db

State = ResourceRequest.State
TODAY = timezone.localdate


@pytest.fixture
def boussole(db):
    return on_request_resource()


@pytest.fixture
def julien(db):
    return coordinator_in_post()


# --- Asking --------------------------------------------------------------------------------


def test_a_coordinator_asks_for_printed_copies_and_the_team_is_told(boussole, julien):
    request = ask(boussole, julien, quantity=3, message="Pour le conseil local de mars.")
    assert request.state == State.ASKED
    assert request.quantity == 3 and request.postcode == "95200"
    assert request.what == "3 exemplaires imprimés"
    told = Delivery.objects.get(email=settings.TEAM_EMAIL)
    assert told.category == "resources"
    assert "3 exemplaires imprimés" in told.text and "95200 Sarcelles" in told.text
    assert reverse("resource_request", args=[request.pk]) in told.text


def test_a_digital_request_keeps_no_address(boussole, julien):
    request = ask(boussole, julien, format="digital", quantity=12, **ADDRESS)
    assert request.quantity is None and request.street == "" and request.address_lines == []
    assert request.what == "le fichier numérique"


@pytest.mark.parametrize(
    "quantity, message",
    [
        (0, "Demandez au moins 1 exemplaire."),
        (10_000, "50 exemplaires au plus"),
        (-3, "Demandez au moins 1 exemplaire."),
        (None, "Indiquez le nombre d’exemplaires"),
        ("trois", "un nombre entier"),
    ],
)
def test_a_quantity_out_of_bounds_is_refused_and_nothing_stored(
    boussole, julien, quantity, message
):
    with pytest.raises(services.RequestError, match=message) as error:
        ask(boussole, julien, quantity=quantity)
    assert error.value.field == "quantity"
    assert not ResourceRequest.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"postcode": "9520"}, "postcode", "5 chiffres"),
        ({"postcode": "00000"}, "postcode", "5 chiffres"),
        ({"postcode": "9520A"}, "postcode", "5 chiffres"),
        ({"postcode": "952000"}, "postcode", "5 au plus"),
        ({"street": "  "}, "street", "Indiquez l’adresse"),
        ({"recipient": ""}, "recipient", "Indiquez le nom"),
        ({"city": ""}, "city", "Indiquez la commune"),
        ({"street": "x" * 251}, "street", "250 au plus"),
        ({"city": "Sarcelles\x00"}, "city", "caractère invalide"),
    ],
)
def test_a_printed_request_needs_a_whole_address(boussole, julien, fields, field, message):
    with pytest.raises(services.RequestError, match=message) as error:
        ask(boussole, julien, **fields)
    assert error.value.field == field
    assert not ResourceRequest.objects.exists()


def test_an_address_outside_ile_de_france_is_accepted(boussole, julien):
    request = ask(boussole, julien, postcode="69 001", city="Lyon")
    assert request.address_lines[-1] == "69001 Lyon"


def test_a_resource_not_on_request_is_refused(boussole, julien):
    boussole.on_request = False
    boussole.save()
    with pytest.raises(services.RequestError, match="n’est pas diffusée sur demande"):
        ask(boussole, julien)
    assert not ResourceRequest.objects.exists()


def test_one_open_request_per_person_and_resource(boussole, julien):
    first = ask(boussole, julien)
    with pytest.raises(services.RequestError, match="Vous avez déjà demandé"):
        ask(boussole, julien, format="digital")
    services.request_decide(request=first, action="accept", by=julien)
    with pytest.raises(services.RequestError, match="déjà acceptée"):
        ask(boussole, julien)
    # The database holds it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceRequest.objects.create(resource=boussole, requester=julien, format="digital")
    # Once sent, one may ask again (more copies).
    services.request_decide(request=first, action="send", by=julien, sent_on=TODAY())
    assert ask(boussole, julien, quantity=10).state == State.ASKED


def test_the_database_refuses_a_quantity_that_does_not_fit_the_format(boussole, julien):
    for fields in (
        {"format": "printed", "quantity": 0},
        {"format": "printed", "quantity": 51},
        {"format": "digital", "quantity": 2},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ResourceRequest.objects.create(resource=boussole, requester=julien, **fields)


# --- The team's steps ----------------------------------------------------------------------


def test_accept_then_send_tells_the_requester_at_each_step(boussole, julien, staff):
    request = ask(boussole, julien)
    request = services.request_decide(request=request, action="accept", by=staff)
    assert request.state == State.ACCEPTED and request.decided_by == staff
    accepted = Delivery.objects.get(email=julien.email, key__endswith=":accepted")
    assert accepted.category == "resources" and "est acceptée" in accepted.subject
    sent_on = TODAY()
    request = services.request_decide(request=request, action="send", by=staff, sent_on=sent_on)
    assert request.state == State.SENT and request.sent_on == sent_on
    sent = Delivery.objects.get(email=julien.email, key__endswith=":sent")
    assert "vous est envoyée" in sent.subject
    assert "partis par la poste" in sent.text and "12 rue de la Mairie" in sent.text


def test_a_refusal_needs_a_reason_which_the_requester_reads(boussole, julien, staff):
    request = ask(boussole, julien)
    for reason in ("", "   "):
        with pytest.raises(services.RequestError, match="Indiquez le motif") as error:
            services.request_decide(request=request, action="refuse", by=staff, reason=reason)
        assert error.value.field == "reason"
    request.refresh_from_db()
    assert request.state == State.ASKED
    services.request_decide(
        request=request, action="refuse", by=staff, reason="Le stock imprimé est épuisé."
    )
    refused = Delivery.objects.get(email=julien.email, key__endswith=":refused")
    assert "Le stock imprimé est épuisé." in refused.text
    assert settings.TEAM_EMAIL in refused.text  # what to do next


def test_a_person_s_words_stay_text_in_the_e_mails(boussole, julien, staff):
    request = ask(boussole, julien, message="<b>Merci</b> & à bientôt")
    team = Delivery.objects.get(email=settings.TEAM_EMAIL)
    assert "&lt;b&gt;Merci&lt;/b&gt; &amp; à bientôt" in team.html
    assert "<b>Merci</b> & à bientôt" in team.text
    services.request_decide(request=request, action="refuse", by=staff, reason="<i>Non</i>")
    refused = Delivery.objects.get(email=julien.email, key__endswith=":refused")
    assert "&lt;i&gt;Non&lt;/i&gt;" in refused.html and "<i>" not in refused.html


@pytest.mark.parametrize(
    "state, action, message",
    [
        ("refused", "send", "a été refusée"),
        ("refused", "accept", "a été refusée"),
        ("sent", "refuse", "déjà envoyée"),
        ("sent", "send", "déjà envoyée"),
        ("withdrawn", "accept", "a retiré sa demande"),
        ("accepted", "accept", "déjà acceptée"),
    ],
)
def test_an_invalid_transition_is_refused_in_french(
    boussole, julien, staff, state, action, message
):
    request = ask(boussole, julien)
    if state == "withdrawn":
        services.request_withdraw(request=request, person=julien)
    elif state == "refused":
        services.request_decide(request=request, action="refuse", by=staff, reason="Non.")
    elif state == "sent":
        services.request_decide(request=request, action="send", by=staff, sent_on=TODAY())
    else:
        services.request_decide(request=request, action="accept", by=staff)
    before = Delivery.objects.count()
    with pytest.raises(services.RequestError, match=message):
        services.request_decide(
            request=request, action=action, by=staff, sent_on=TODAY(), reason="Motif."
        )
    request.refresh_from_db()
    assert request.state == state
    assert Delivery.objects.count() == before


def test_a_sending_day_is_neither_in_the_future_nor_before_the_request(boussole, julien, staff):
    request = ask(boussole, julien)
    with pytest.raises(services.RequestError, match="dans le futur"):
        services.request_decide(
            request=request, action="send", by=staff, sent_on=TODAY() + datetime.timedelta(1)
        )
    with pytest.raises(services.RequestError, match="après la date d’envoi"):
        services.request_decide(
            request=request, action="send", by=staff, sent_on=TODAY() - datetime.timedelta(3)
        )
    with pytest.raises(services.RequestError, match="Indiquez la date"):
        services.request_decide(request=request, action="send", by=staff, sent_on=None)
    request.refresh_from_db()
    assert request.state == State.ASKED


def test_several_at_once_all_or_none(boussole, staff):
    people = [coordinator_in_post() for _ in range(3)]
    requests = [ask(boussole, person) for person in people]
    services.request_decide(request=requests[2], action="refuse", by=staff, reason="Doublon.")
    with pytest.raises(services.RequestError, match="Aucune demande n’est marquée envoyée"):
        services.requests_decide(requests=requests, action="send", by=staff, sent_on=TODAY())
    assert [r.state for r in ResourceRequest.objects.order_by("pk")] == [
        "asked",
        "asked",
        "refused",
    ]
    done = services.requests_decide(requests=requests[:2], action="send", by=staff, sent_on=TODAY())
    assert {r.state for r in done} == {State.SENT}
    assert Delivery.objects.filter(key__endswith=":sent").count() == 2


def test_the_requester_withdraws_only_their_own_request_while_it_waits(boussole, julien, staff):
    request = ask(boussole, julien)
    other = CoordinatorProfileFactory().user
    with pytest.raises(services.RequestError, match="n’est pas la vôtre"):
        services.request_withdraw(request=request, person=other)
    services.request_withdraw(request=request, person=julien)
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN and request.withdrawn_at
    with pytest.raises(services.RequestError, match="ne peut plus être retirée"):
        services.request_withdraw(request=request, person=julien)
    assert ask(boussole, julien).state == State.ASKED  # and may ask again


# --- Who opens the file, what the resource page shows ----------------------------------------


def test_a_resource_on_request_is_read_on_the_platform_as_any_other(client, boussole, julien, dd93):
    """Asking is for copies (printed, or the file sent by the team): reading the Boussole on the
    platform follows its audience, so that a newcomer reads it the day they arrive (journey 1)."""
    client.force_login(julien)
    opened = client.get(reverse("resource_open", args=[boussole.pk]))
    assert opened["Location"] == boussole.url and not ResourceRequest.objects.exists()
    client.force_login(dd93)  # the network's audience: partners read it too
    assert client.get(reverse("resource_open", args=[boussole.pk]))["Location"] == boussole.url


def _block_html(resource, person):
    block = selectors.resource_page_block(resource, access=access_for(person), person=person)
    http = RequestFactory().get("/")
    http.user = person
    return block, render_to_string("resources/requests/_block.html", {"block": block}, request=http)


def test_the_block_offers_the_form_prefilled_from_the_scheme_carrier(boussole, julien):
    block, html = _block_html(boussole, julien)
    assert block.mine is None and block.form is not None
    assert block.form.initial["structure"] == "Ville de Sarcelles"
    assert block.form.initial["postcode"] == "95200"
    assert block.form.initial["city"] == "Sarcelles"
    assert block.form.initial["recipient"] == julien.get_full_name()
    assert reverse("resource_request_create", args=[boussole.pk]) in html
    assert 'value="Ville de Sarcelles"' in html


def test_the_block_shows_each_state_and_what_to_do_next(boussole, julien, staff):
    request = ask(boussole, julien, quantity=3)
    block, html = _block_html(boussole, julien)
    assert block.form is None and "Demande en attente" in html and "Retirer ma demande" in html
    services.request_decide(request=request, action="send", by=staff, sent_on=TODAY())
    block, html = _block_html(boussole, julien)
    assert "Vos 3 exemplaires imprimés sont partis par la poste le" in html
    assert block.form is not None and "<summary>Faire une nouvelle demande</summary>" in html
    again = ask(boussole, julien, format="digital")
    services.request_decide(request=again, action="refuse", by=staff, reason="Fichier en refonte.")
    block, html = _block_html(boussole, julien)
    assert "Demande refusée" in html and "Fichier en refonte." in html
    assert f"mailto:{settings.TEAM_EMAIL}" in html and block.form is not None
    third = ask(boussole, julien, format="digital")
    services.request_decide(request=third, action="accept", by=staff)
    block, html = _block_html(boussole, julien)
    assert "Demande acceptée" in html and reverse("resource_open", args=[boussole.pk]) in html


def test_the_block_for_the_team_counts_and_for_a_partner_explains(boussole, julien, staff, dd93):
    ask(boussole, julien)
    block, html = _block_html(boussole, staff)
    assert block.counts["total"] == 1 and block.counts["asked"] == 1
    assert reverse("resource_requests") + f"?resource={boussole.pk}" in html
    block, html = _block_html(boussole, dd93)
    assert block.form is None and "envoyée sur demande aux coordinateur·rices" in html
    boussole.on_request = False
    assert selectors.resource_page_block(boussole, access=access_for(julien), person=julien) is None


# --- Pages ----------------------------------------------------------------------------------


def test_asking_through_the_page(client, boussole, julien):
    client.force_login(julien)
    url = reverse("resource_request_create", args=[boussole.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="95200"' in page.content.decode()
    response = client.post(url, {"format": "printed", "quantity": "10000", **ADDRESS})
    assert response.status_code == 200
    assert "50 exemplaires au plus" in response.content.decode()
    assert not ResourceRequest.objects.exists()
    response = client.post(url, {"format": "printed", "quantity": "abc", **ADDRESS})
    assert "un nombre entier" in response.content.decode()
    response = client.post(url, {"format": "printed", "quantity": "3", **ADDRESS})
    assert response.status_code == 302 and response["Location"] == reverse(
        "resource", args=[boussole.pk]
    )
    assert ResourceRequest.objects.get().quantity == 3


def test_asking_for_a_resource_not_on_request_through_the_page(client, boussole, julien):
    boussole.on_request = False
    boussole.save()
    client.force_login(julien)
    url = reverse("resource_request_create", args=[boussole.pk])
    response = client.post(url, {"format": "digital"})
    assert response.status_code == 200 and "diffusée sur demande" in response.content.decode()
    assert not ResourceRequest.objects.exists()
    response = client.get(url, follow=True)
    assert "diffusée sur demande" in response.content.decode()


def test_my_requests_and_withdrawing(client, boussole, julien):
    request = ask(boussole, julien)
    client.force_login(julien)
    page = client.get(reverse("my_resource_requests")).content.decode()
    assert boussole.title in page and "Demande en attente" in page
    other = CoordinatorProfileFactory().user
    client.force_login(other)
    url = reverse("resource_request_withdraw", args=[request.pk])
    assert client.post(url).status_code == 404
    client.force_login(julien)
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN


def test_the_team_s_list_counts_filters_and_acts_on_checked_rows(client, boussole, staff):
    julien = coordinator_in_post(department="95")
    awa = coordinator_in_post(department="93", kind="CLS")
    sami = CoordinatorProfileFactory().user  # no post: his profile's commune (93)
    requests = [ask(boussole, julien), ask(boussole, awa, format="digital"), ask(boussole, sami)]
    client.force_login(staff)
    url = reverse("resource_requests")
    response = client.get(url)
    counts = response.context["counts"]
    assert counts.states["total"] == 3 and counts.states["asked"] == 3
    assert dict(counts.departments) == {"Val-d'Oise (95)": 1, "Seine-Saint-Denis (93)": 2}
    assert dict(counts.scheme_kinds) == {
        "Contrat local de santé": 1,
        "Conseil local de santé mentale": 1,
        "Sans poste en cours": 1,
    }
    filtered = client.get(url, {"department": "93", "format": "printed"})
    assert [r.pk for r in filtered.context["page"]] == [requests[2].pk]
    assert client.get(url, {"state": "nope"}).status_code == 200
    # Refusing the checked rows without a reason: the list again, nothing changed.
    bulk = reverse("resource_requests_bulk") + "?department=93"
    data = {"requests": [requests[1].pk, requests[2].pk], "action": "refuse", "reason": ""}
    response = client.post(bulk, data)
    assert response.status_code == 200 and "Indiquez le motif" in response.content.decode()
    assert f'id="cocher-{requests[1].pk}" checked' in response.content.decode()
    assert not ResourceRequest.objects.exclude(state="asked").exists()
    data["reason"] = "Hors périmètre."
    response = client.post(bulk, data)
    assert response.status_code == 302 and response["Location"].endswith("?department=93")
    told = client.get(response["Location"]).content.decode()
    assert "2 demandes refusées : les personnes sont prévenues par e-mail." in told
    assert list(ResourceRequest.objects.filter(state="refused").order_by("pk")) == requests[1:]
    # Marking sent a refused request, checked with another: none.
    data = {
        "requests": [requests[0].pk, requests[1].pk],
        "action": "send",
        "sent_on": TODAY().isoformat(),
    }
    response = client.post(reverse("resource_requests_bulk"), data)
    assert "a été refusée" in response.content.decode()
    assert ResourceRequest.objects.get(pk=requests[0].pk).state == "asked"
    # Nothing checked, a date in the future, an unknown id: clear messages.
    data = {"action": "send", "sent_on": "2099-01-01", "requests": [requests[0].pk]}
    assert "dans le futur" in client.post(reverse("resource_requests_bulk"), data).content.decode()
    data = {"action": "accept"}
    assert (
        "Cochez au moins" in client.post(reverse("resource_requests_bulk"), data).content.decode()
    )
    data = {"action": "accept", "requests": ["99999999999999999999", "x"]}
    assert "n’existe plus" in client.post(reverse("resource_requests_bulk"), data).content.decode()


def test_a_request_s_page_processes_it_one_by_one(client, boussole, julien, staff):
    request = ask(boussole, julien)
    client.force_login(staff)
    url = reverse("resource_request", args=[request.pk])
    page = client.get(url).content.decode()
    assert "12 rue de la Mairie" in page and "Traiter la demande" in page
    response = client.post(url, {"action": "send", "sent_on": "31/02/2026"})
    assert response.status_code == 200
    response = client.post(url, {"action": "send", "sent_on": "1900-01-01"})
    assert "Indiquez une date à partir du" in response.content.decode()
    response = client.post(url, {"action": "send", "sent_on": TODAY().isoformat()})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.SENT and request.decided_by == staff
    assert "plus rien à faire" in client.get(url).content.decode()
    assert client.get(reverse("resource_request", args=[10**12])).status_code == 404


def test_the_export_is_the_filtered_list(client, boussole, staff):
    julien = coordinator_in_post(department="95")
    awa = coordinator_in_post(department="93", kind="CLS")
    ask(boussole, julien, recipient='=HYPERLINK("x")')
    ask(boussole, awa, format="digital")
    client.force_login(staff)
    response = client.get(reverse("resource_requests_export", args=["csv"]), {"department": "95"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Demandée le;Ressource;Prénom;Nom")
    assert len(lines) == 2 and ";95;Conseil local de santé mentale;" in lines[1]
    assert "'=HYPERLINK" in lines[1]  # never a formula
    response = client.get(reverse("resource_requests_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Demandée le" and len(rows) == 3
    assert client.get(reverse("resource_requests_export", args=["pdf"])).status_code == 404


def test_the_resource_page_shows_the_block_and_the_request_s_state(client, boussole, julien, staff):
    client.force_login(julien)
    page = client.get(reverse("resource", args=[boussole.pk])).content.decode()
    assert "Diffusée sur demande" in page and "Envoyer ma demande" in page
    request = ask(boussole, julien, format="digital")
    services.request_decide(request=request, action="accept", by=staff)
    page = client.get(reverse("resource", args=[boussole.pk])).content.decode()
    assert "Demande acceptée" in page and "Ouvrir le fichier" in page
    opened = client.get(reverse("resource_open", args=[boussole.pk]))
    assert opened.status_code == 302 and opened["Location"] == boussole.url
