"""Writes on accounts: accounts staff create, invitations and their acceptance."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.emails import send_email_on_commit

from . import hooks
from .models import Invitation, Membership, User


class AccountError(Exception):
    """An action that cannot be done; the message is shown to the person."""


@transaction.atomic
def user_create(*, email, first_name, last_name) -> User:
    """An account for a person staff record (an arrival on a post), without a password yet: they
    set one through an invitation or a password reset."""
    email = (email or "").strip().lower()
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not email or not first_name or not last_name:
        raise AccountError("Indiquez le prénom, le nom et l'adresse e-mail de la personne.")
    if max(len(first_name), len(last_name)) > User._meta.get_field("first_name").max_length:
        raise AccountError("Un prénom ou un nom fait au plus 150 caractères.")
    try:
        validate_email(email)
    except ValidationError as error:
        raise AccountError(f"L'adresse « {email} » n'est pas une adresse e-mail valide.") from error
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError("Cette personne existe déjà : choisissez-la dans la liste.")
    return User.objects.create_user(email=email, first_name=first_name, last_name=last_name)


def _send_invitation(*, invitation, request):
    url = request.build_absolute_uri(reverse("invitation_accept", args=[invitation.token]))
    send_email_on_commit(
        to=invitation.email,
        template="invitation",
        context={"invitation": invitation, "url": url},
    )


@transaction.atomic
def invitation_create(*, invited_by, request, **fields) -> Invitation:
    invitation = Invitation.objects.create(invited_by=invited_by, **fields)
    _send_invitation(invitation=invitation, request=request)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation, request) -> Invitation:
    """Send again with a new link and a new expiry; the old link stops working."""
    if invitation.state == "accepted":
        raise AccountError("Cette invitation a déjà été acceptée.")
    fresh = Invitation._meta.get_field("expires_at").get_default()
    invitation.token = Invitation._meta.get_field("token").get_default()
    invitation.expires_at = fresh
    invitation.revoked_at = None
    invitation.save(update_fields=["token", "expires_at", "revoked_at"])
    _send_invitation(invitation=invitation, request=request)
    return invitation


def invitation_revoke(*, invitation) -> Invitation:
    if invitation.state == "accepted":
        raise AccountError("Cette invitation a déjà été acceptée.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(invitation):
    """Raise AccountError with a French message when the link can no longer be used."""
    messages = {
        "accepted": (
            "Cette invitation a déjà été utilisée. Connectez-vous avec votre adresse e-mail."
        ),
        "revoked": "Cette invitation a été annulée. Contactez l'équipe PromoSanté si besoin.",
        "expired": (
            "Cette invitation a expiré. Demandez à l'équipe PromoSanté de vous en envoyer "
            "une nouvelle."
        ),
    }
    if invitation.state in messages:
        raise AccountError(messages[invitation.state])
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountError(
            "Un compte existe déjà pour cette adresse e-mail : connectez-vous ou réinitialisez "
            "votre mot de passe."
        )


@transaction.atomic
def invitation_accept(*, invitation, first_name, last_name, password) -> User:
    """Create the invited person's account with their role; the e-mail counts as verified."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(invitation)
    user = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.role != Invitation.Role.COORDINATOR:
        Membership.objects.create(user=user, organisation=invitation.organisation)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    hooks.invitation_accepted.send(user=user, invitation=invitation)
    return user
