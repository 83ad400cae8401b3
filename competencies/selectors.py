"""Reads on the competency framework."""

from django.db.models import Prefetch

from .models import Competency, CompetencyDomain


def framework(*, with_inactive: bool):
    """Domains with their competencies in order (two queries); inactive competencies only for
    those who edit the framework."""
    competencies = Competency.objects.all()
    if not with_inactive:
        competencies = competencies.filter(is_active=True)
    return CompetencyDomain.objects.prefetch_related(
        Prefetch("competencies", competencies.order_by("position", "name"))
    )
