"""Role × page × action: every page that exists, for every role."""

import pytest
from django.urls import reverse

from accounts.models import Invitation
from tests.helpers import login

from .factories import CoordinatorProfileFactory, InvitationFactory

ROLES = [
    "anonymous",
    "pending",
    "no_role",
    "coordinator",
    "staff",
    "partner_dd93",
    "partner_crpv95",
    "partner_ars",
    "superuser",
]
PARTNERS = {"partner_dd93", "partner_crpv95", "partner_ars"}
LOGGED_IN = set(ROLES) - {"anonymous"}
MEMBERS = {"coordinator", "staff", "superuser"} | PARTNERS
TEAM = {"staff", "superuser"}

# url name, roles that get 200; the others get a redirect to login (anonymous) or 403.
PAGES = [
    ("home", set(ROLES)),
    ("legal_notice", set(ROLES)),
    ("privacy", set(ROLES)),
    ("accessibility", set(ROLES)),
    ("account_pending", set(ROLES)),
    ("profile", MEMBERS | {"no_role"}),
    ("dashboard", TEAM | PARTNERS),
    ("manage:index", TEAM),
    ("manage:invitations", TEAM),
    ("manage:signups", TEAM),
    ("admin:index", {"superuser"}),
    # allauth's own account pages: every logged-in person manages their account.
    ("account_email", LOGGED_IN),
    ("account_change_password", LOGGED_IN),
    ("mfa_index", LOGGED_IN),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(client, user_for_role, role, url_name, allowed):
    login(client, user_for_role(role))
    response = client.get(reverse(url_name))
    if role in allowed:
        assert response.status_code == 200
        assert b"!!UNKNOWN" not in response.content or url_name.startswith("admin")
    elif url_name.startswith("admin:"):
        assert response.status_code == 302  # the admin sends everyone else to a login
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages(client, user_for_role, role, url_name):
    login(client, user_for_role(role))
    response = client.get(reverse(url_name))
    if url_name == "account_reset_password":
        assert response.status_code == 200  # also open to a logged-in person who forgot it
    else:
        assert response.status_code == (200 if role == "anonymous" else 302)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_invitation_actions(client, user_for_role, role, promosante):
    login(client, user_for_role(role))
    invitation = InvitationFactory()
    allowed = role in TEAM
    expected_denied = 302 if role == "anonymous" else 403

    response = client.post(
        reverse("manage:invitations"),
        {
            "email": f"nouvelle-{role}@exemple.fr",
            "first_name": "Léa",
            "last_name": "Roux",
            "role": "coordinator",
        },
    )
    assert response.status_code == (302 if allowed else expected_denied)
    assert Invitation.objects.filter(email=f"nouvelle-{role}@exemple.fr").exists() is allowed

    for action in ("manage:invitation_resend", "manage:invitation_revoke"):
        response = client.post(reverse(action, args=[invitation.pk]))
        assert response.status_code == (302 if allowed else expected_denied)
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_signup_review_action(client, user_for_role, role):
    login(client, user_for_role(role))
    profile = CoordinatorProfileFactory(status="pending", reviewed_at=None)
    response = client.post(
        reverse("manage:signup_review", args=[profile.pk]), {"decision": "approve"}
    )
    allowed = role in TEAM
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)
    profile.refresh_from_db()
    assert (profile.status == "approved") is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "departments"),
    [
        ("partner_dd93", ["93"]),
        ("partner_crpv95", ["95"]),
        ("partner_ars", ["75", "77", "78", "91", "92", "93", "94", "95"]),
        ("staff", ["75", "77", "78", "91", "92", "93", "94", "95"]),
    ],
)
def test_dashboard_shows_only_the_territory_in_scope(client, user_for_role, role, departments):
    from tests.factories import PostFactory, SchemeFactory, TenureFactory

    TenureFactory(post=PostFactory(schemes=[SchemeFactory()]))  # a filled post in Saint-Denis
    client.force_login(user_for_role(role))
    response = client.get(reverse("dashboard"))
    shown = [d.code for d in response.context["departments"]]
    assert shown == departments
    rows = {d.code: d.posts["filled"] for d in response.context["departments"]}
    if "93" in rows:
        assert rows["93"] == 1
    assert response.context["regional"]["coordinators"] == 1
