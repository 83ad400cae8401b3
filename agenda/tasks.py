from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from . import services
from .models import Event, Registration


@shared_task(acks_late=True, time_limit=300)
def refresh_waitlists():
    """Pass unanswered offers on to the next person waiting (the scheduler runs it often)."""
    now = timezone.now()
    expired = Q(
        registrations__status=Registration.Status.OFFERED, registrations__offered_until__lte=now
    )
    for event_id in (
        Event.objects.filter(expired, starts_at__gt=now).values_list("pk", flat=True).distinct()
    ):
        services.waitlist_refresh(event=Event(pk=event_id))
