"""What a permission changes beyond a page's status code: the effects of the staff actions (made
only by the roles allowed) and the territory a dashboard shows.

Who gets which status on every route, for every role, in GET and POST, is the matrix of
`tests/test_routes.py` (which also checks that refusals show the "Accès refusé" page and that no
page has an unknown template variable). The role names below are shared by the app tests.
"""

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
MEMBERS = {"coordinator", "staff", "superuser"} | PARTNERS
TEAM = {"staff", "superuser"}


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
    posts = response.context["sections"][0].table("registre-postes")
    rows = {row.key: row for row in posts.rows if not row.total}
    assert list(rows) == departments
    if "93" in rows:
        assert rows["93"].cells[0].label == "1"  # filled: posts are not about people
