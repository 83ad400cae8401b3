from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.access import Role, access_for
from accounts.models import Invitation, Membership, Organisation
from coordinators.models import CoordinatorProfile
from tests.factories import InvitationFactory, OrganisationFactory, UserFactory, commune

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def invite(client, **data):
    fields = {"email": "lea.roux@exemple.fr", "first_name": "Léa", "last_name": "Roux"}
    return client.post(reverse("manage:invitations"), {**fields, **data})


def accept(client, invitation, **data):
    fields = {
        "first_name": "Léa",
        "last_name": "Roux",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client.post(reverse("invitation_accept", args=[invitation.token]), {**fields, **data})


@pytest.mark.django_db
def test_staff_invite_a_coordinator_who_activates_their_account(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, role="coordinator", commune=commune("93008").pk)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == staff
    assert invitation.state == "open"

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lea.roux@exemple.fr"]
    link = reverse("invitation_accept", args=[invitation.token])
    assert link in message.body
    assert link in message.alternatives[0][0]

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "en tant que <strong>coordinateur·rice</strong>" in page.content.decode()
    response = accept(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

    invitation.refresh_from_db()
    user = invitation.user
    assert invitation.state == "accepted"
    assert EmailAddress.objects.get(user=user).verified
    assert user.coordinator_profile.status == CoordinatorProfile.Status.APPROVED
    assert user.coordinator_profile.commune.code_insee == "93008"
    assert access_for(user).role == Role.COORDINATOR
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.django_db
def test_invited_partner_gets_membership_and_scope(client, staff):
    dd95 = OrganisationFactory(kind=Organisation.Kind.ARS_DD, department_codes=["95"])
    client.force_login(staff)
    invite(client, role="partner", organisation=dd95.pk)
    client.logout()
    response = accept(client, Invitation.objects.get())
    assert response["Location"] == reverse("dashboard")
    user = Membership.objects.get(organisation=dd95).user
    access = access_for(user)
    assert access.role == Role.PARTNER
    assert access.department_codes == {"95"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "partner"}, "organisation", "Choisissez la structure"),
        ({"role": "staff", "organisation": "ars"}, "organisation", "appartient à PromoSanté"),
        ({"role": "partner", "organisation": "promosante"}, "organisation", "autre structure"),
        (
            {"role": "coordinator", "email": "pas-une-adresse"},
            "email",
            "adresse de courriel valide",
        ),
        ({"role": "coordinator", "email": "EXISTE@exemple.fr"}, "email", "existe déjà"),
        ({"role": "chef"}, "role", "n’en fait pas partie"),
    ],
)
def test_bad_invitations_are_refused_with_a_message(
    client, staff, promosante, data, field, message
):
    UserFactory(email="existe@exemple.fr")
    ars = OrganisationFactory(kind=Organisation.Kind.ARS_HQ)
    orgs = {"ars": ars.pk, "promosante": promosante.pk}
    if "organisation" in data:
        data = {**data, "organisation": orgs[data["organisation"]]}
    client.force_login(staff)
    response = invite(client, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Invitation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "a expiré"),
        ("revoked", "a été annulée"),
        ("accepted", "déjà été utilisée"),
    ],
)
def test_unusable_invitation_gets_a_clear_message(client, state, message):
    invitation = InvitationFactory()
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif state == "revoked":
        invitation.revoked_at = timezone.now()
    else:
        invitation.accepted_at = timezone.now()
    invitation.save()
    for response in (
        client.get(reverse("invitation_accept", args=[invitation.token])),
        accept(client, invitation),
    ):
        assert response.status_code == 410
        assert message in response.content.decode()
    assert not EmailAddress.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_unknown_invitation_token_is_a_french_404(client):
    response = client.get(reverse("invitation_accept", args=["nimportequoi"]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_weak_password_on_acceptance_saves_nothing(client):
    invitation = InvitationFactory()
    response = accept(client, invitation, password1="court", password2="court")
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    response = accept(client, invitation, password2="Autre-mot-de-passe-2026")
    assert "ne correspondent pas" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "open"
    assert not CoordinatorProfile.objects.exists()


@pytest.mark.django_db
def test_resend_gives_a_new_link_and_kills_the_old_one(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(days=1))
    old_token = invitation.token
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("manage:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.token != old_token
    assert invitation.state == "open"
    assert len(mailoutbox) == 1
    client.logout()
    assert client.get(reverse("invitation_accept", args=[old_token])).status_code == 404


@pytest.mark.django_db
def test_accepted_invitation_cannot_be_revoked(client, staff):
    invitation = InvitationFactory(accepted_at=timezone.now())
    client.force_login(staff)
    response = client.post(reverse("manage:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "déjà été acceptée" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
