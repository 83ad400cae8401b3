import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, CoordinatorProfileFactory, UserFactory

LOGIN = reverse("account_login")


def post_login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("coordinator", "home"),
        ("staff", "manage:index"),
        ("superuser", "manage:index"),
        ("partner_dd93", "dashboard"),
        ("partner_crpv95", "dashboard"),
        ("partner_ars", "dashboard"),
    ],
)
def test_each_role_lands_on_its_page(client, user_for_role, role, landing):
    user = user_for_role(role)
    response = post_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


@pytest.mark.django_db
def test_wrong_password_gets_a_french_message(client, coordinator):
    response = post_login(client, coordinator.email, "pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_email_gets_the_same_message(client):
    response = post_login(client, "inconnu@exemple.fr")
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


@pytest.mark.django_db
def test_unverified_email_is_asked_to_verify(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(verified=False)
    CoordinatorProfileFactory(user=user)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Vérifiez votre" in page or "vérification" in page.lower()


@pytest.mark.django_db
def test_pending_coordinator_is_told_to_wait(client, pending_coordinator):
    response = post_login(client, pending_coordinator.email)
    assert response["Location"] == reverse("account_pending")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "en attente de validation" in page


@pytest.mark.django_db
def test_brute_force_on_one_account_is_stopped(client, coordinator):
    for _ in range(5):
        assert post_login(client, coordinator.email, "mauvais-mot-de-passe").status_code == 200
    # Even the right password is refused while the limit holds.
    response = post_login(client, coordinator.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_rate_limit_counts_per_account_across_addresses(client, coordinator):
    for i in range(5):
        client.post(
            LOGIN,
            {"login": coordinator.email, "password": "mauvais"},
            REMOTE_ADDR=f"10.0.0.{i}",
        )
    response = client.post(
        LOGIN, {"login": coordinator.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.99"
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_address_limit(client, settings, coordinator):
    """With the production proxy setting, the per-address limit counts each client (from
    X-Forwarded-For), not the proxy: one noisy client does not lock everyone out."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def attempt(client_ip, password="mauvais"):
        return client.post(
            LOGIN,
            {"login": coordinator.email, "password": password},
            HTTP_X_FORWARDED_FOR=client_ip,
            **proxy,
        )

    for _ in range(3):
        attempt("203.0.113.7")
    assert "Trop de tentatives" in attempt("203.0.113.7").content.decode()
    # Another client behind the same proxy logs in.
    response = attempt("198.51.100.23", password=PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


@pytest.mark.django_db
def test_password_shorter_than_12_is_refused_at_signup(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "court@exemple.fr", "password1": "Court-1234", "password2": "Court-1234"},
    )
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "must_enrol"),
    [
        ("staff", True),
        ("partner_dd93", True),
        ("superuser", True),
        ("coordinator", False),
    ],
)
def test_mfa_is_required_for_staff_and_partners(client, settings, user_for_role, role, must_enrol):
    settings.REQUIRE_MFA = True
    user = user_for_role(role)
    post_login(client, user.email)
    response = client.get(reverse("profile"))
    if must_enrol:
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        # The enrolment page (behind allauth's password confirmation) stays reachable.
        enrol = client.get(reverse("mfa_activate_totp"), follow=True)
        assert enrol.status_code == 200
        assert enrol.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
        assert client.get(reverse("profile")).status_code == 200
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_mfa_not_required_when_setting_off(client, settings, staff):
    settings.REQUIRE_MFA = False
    client.force_login(staff)
    assert client.get(reverse("manage:index")).status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.redis
@pytest.mark.django_db
def test_rate_limit_holds_with_the_production_redis_cache(client, settings, coordinator):
    from tests.conftest import redis_url

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-{coordinator.pk}-{id(client)}",
        }
    }
    # Keys are namespaced by the prefix above and expire on their own: no flush of a shared Redis.
    for _ in range(5):
        post_login(client, coordinator.email, "mauvais-mot-de-passe")
    response = post_login(client, coordinator.email)
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_the_login_page_waits_in_the_email_field_whose_label_says_what_to_type(client):
    form = client.get(LOGIN).context["form"]
    login = form["login"]
    assert login.label == "Adresse e-mail"
    assert login.field.widget.attrs.get("autofocus") is True
    assert "placeholder" not in login.field.widget.attrs
    assert "placeholder" not in form["password"].field.widget.attrs
