from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from . import services

# A database hiccup: try again a few times, then leave it to the next dispatch (rows stay due).
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "max_retries": 3,
}


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100, **RETRY)
def dispatch():
    """Every minute: queue what is due from the database (see services.deliveries_dispatch)."""
    return services.deliveries_dispatch()


@shared_task(
    acks_late=True,
    time_limit=settings.NOTIFICATIONS_SEND_TIME_LIMIT,
    soft_time_limit=int(settings.NOTIFICATIONS_SEND_TIME_LIMIT * 0.9),
    **RETRY,
)
def send_deliveries(ids):
    """Send a batch of deliveries by id; rows already sent or taken are skipped."""
    return services.deliveries_send(ids)
