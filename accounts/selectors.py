"""Reads on accounts, for the staff back-office."""

from django.db.models import Count, Q
from django.utils import timezone

from coordinators.models import CoordinatorProfile, Organisation

from .models import Invitation, User


def signups_pending():
    return (
        CoordinatorProfile.objects.filter(status=CoordinatorProfile.Status.PENDING)
        .select_related("user", "commune")
        .order_by("created_at")
    )


def invitations_recent(limit=100):
    return Invitation.objects.select_related("organisation", "commune", "invited_by").order_by(
        "-created_at"
    )[:limit]


def people_counts():
    """Accounts per role and open invitations: three aggregate queries."""
    statuses = CoordinatorProfile.objects.filter(user__is_active=True).aggregate(
        coordinators=Count("pk", filter=Q(status=CoordinatorProfile.Status.APPROVED)),
        pending=Count("pk", filter=Q(status=CoordinatorProfile.Status.PENDING)),
    )
    promosante = Q(memberships__organisation__kind=Organisation.Kind.PROMOSANTE)
    members = User.objects.filter(is_active=True, memberships__isnull=False).aggregate(
        staff=Count("pk", filter=promosante, distinct=True),
        partners=Count("pk", filter=~promosante, distinct=True),
    )
    open_invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    return {**statuses, **members, "open_invitations": open_invitations}
