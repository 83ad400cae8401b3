"""Reads on accounts, for the staff back-office."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import Invitation, Organisation, User


def invitations_recent(limit=100):
    return Invitation.objects.select_related("organisation", "commune", "invited_by").order_by(
        "-created_at"
    )[:limit]


def account_counts():
    """Staff and partner accounts and open invitations: two aggregate queries."""
    promosante = Q(memberships__organisation__kind=Organisation.Kind.PROMOSANTE)
    members = User.objects.filter(is_active=True, memberships__isnull=False).aggregate(
        staff=Count("pk", filter=promosante, distinct=True),
        partners=Count("pk", filter=~promosante, distinct=True),
    )
    open_invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    return {**members, "open_invitations": open_invitations}
