"""Reads on territories, organisations and coordinators, always through the user's scope."""

from django.db.models import Count, Q

from .models import CoordinatorProfile, Department


def network_figures():
    """Regional aggregates shown to everyone: no individual data."""
    return CoordinatorProfile.objects.aggregate(
        coordinators=Count("pk", filter=Q(status=CoordinatorProfile.Status.APPROVED)),
        departments=Count(
            "commune__department",
            filter=Q(status=CoordinatorProfile.Status.APPROVED),
            distinct=True,
        ),
    )


def territory_summary(access):
    """Per département of the user's scope: communes, coordinators on the platform, sign-ups."""
    approved = Q(communes__coordinator_profiles__status=CoordinatorProfile.Status.APPROVED)
    pending = Q(communes__coordinator_profiles__status=CoordinatorProfile.Status.PENDING)
    return access.departments().annotate(
        commune_count=Count("communes", filter=Q(communes__kind="commune-actuelle"), distinct=True),
        coordinator_count=Count("communes__coordinator_profiles", filter=approved),
        pending_count=Count("communes__coordinator_profiles", filter=pending),
    )


def regional_totals():
    """Regional figures every partner may see, whatever their territory."""
    return {
        "departments": Department.objects.count(),
        **network_figures(),
    }
