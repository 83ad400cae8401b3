import re

import pytest
from django.urls import reverse

from accounts.models import User
from coordinators.models import CoordinatorProfile
from tests.factories import commune

PASSWORD = "Mon-mot-de-passe-2026"


def signup(client, **data):
    fields = {
        "email": "nina.petit@exemple.fr",
        "first_name": "Nina",
        "last_name": "Petit",
        "commune": commune("95585").pk,
        "employer": "Ville de Sarcelles",
        "job_title": "Coordinatrice ASV",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("account_signup"), {**fields, **data})


def login_with_the_form(client):
    return client.post(
        reverse("account_login"), {"login": "nina.petit@exemple.fr", "password": PASSWORD}
    )


@pytest.mark.django_db
def test_signup_verify_wait_for_approval_then_log_in(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nina.petit@exemple.fr")
    assert (user.first_name, user.last_name) == ("Nina", "Petit")
    profile = user.coordinator_profile
    assert profile.status == CoordinatorProfile.Status.PENDING
    assert profile.commune.name == "Sarcelles"

    # The verification e-mail, in French, with its link.
    assert len(mailoutbox) == 1
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    client.post(link.group(1))

    # Verified but not yet approved: a clear message, no session.
    response = login_with_the_form(client)
    assert response["Location"] == reverse("account_pending")
    assert "_auth_user_id" not in client.session

    client.force_login(staff)
    page = client.get(reverse("manage:signups")).content.decode()
    assert "Nina Petit" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("manage:signup_review", args=[profile.pk]), {"decision": "approve"})
    assert mailoutbox[-1].to == ["nina.petit@exemple.fr"]
    assert "validée" in mailoutbox[-1].body
    client.logout()

    response = login_with_the_form(client)
    assert response["Location"] == reverse("home")
    assert "Bonjour Nina" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_refused_signup_cannot_use_the_platform(client, staff, django_capture_on_commit_callbacks):
    signup(client)
    profile = CoordinatorProfile.objects.get()
    profile.user.emailaddress_set.update(verified=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("manage:signup_review", args=[profile.pk]), {"decision": "refuse"})
    client.logout()
    login_with_the_form(client)
    assert client.get(reverse("home")).context["access"].can("space.view") is False
    assert client.get(reverse("dashboard")).status_code == 403


@pytest.mark.django_db
def test_a_signup_reviewed_twice_is_refused_with_a_message(client, staff):
    signup(client)
    profile = CoordinatorProfile.objects.get()
    client.force_login(staff)
    url = reverse("manage:signup_review", args=[profile.pk])
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "refuse"}, follow=True)
    assert "déjà été traitée" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == CoordinatorProfile.Status.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"commune": ""}, "Ce champ est obligatoire"),
        ({"commune": "999999"}, "Sélectionnez un choix valide"),
        ({"first_name": ""}, "Ce champ est obligatoire"),
        ({"password2": "Autre-mot-de-passe-2026"}, "Vous devez saisir deux fois le même"),
        ({"email": "pas-une-adresse"}, "adresse de courriel valide"),
    ],
)
def test_bad_signups_are_refused_and_save_nothing(client, data, message):
    response = signup(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
