"""Error pages in French, security headers, and allauth's account pages."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from promosante.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("boom")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [*site_urlpatterns, path("casse/", broken_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_french(client, coordinator):
    client.raise_request_exception = False
    client.force_login(coordinator)
    response = client.get("/casse/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_is_french(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_french(coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("profile"), {"user-first_name": "X"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()


@pytest.mark.django_db
def test_strict_security_headers(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_have_no_inline_script(client, coordinator):
    client.force_login(coordinator)
    for url in (reverse("home"), reverse("profile"), reverse("legal_notice")):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "onclick=" not in html and 'style="' not in html


@pytest.mark.django_db
def test_home_is_french_and_has_a_skip_link(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html


@pytest.mark.django_db
def test_password_reset_sends_a_french_email(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "mot de passe" in mailoutbox[0].body.lower()


@pytest.mark.django_db
def test_password_reset_for_unknown_email_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302  # same answer as for a known address


@pytest.mark.django_db
def test_manage_index_says_which_invitations_it_counts(client, staff):
    """Guests' invitations to an event are not account invitations: the figure says so."""
    import re

    from tests.factories import InvitationFactory

    InvitationFactory()
    client.force_login(staff)
    page = client.get(reverse("manage:index")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert re.search(r"1 invitation à créer un compte sans réponse", text), text
    assert "invitations en attente" not in text
