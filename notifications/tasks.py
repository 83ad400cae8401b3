from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def dispatch():
    """Every minute: queue what is due from the database (see services.deliveries_dispatch)."""
    return services.deliveries_dispatch()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def send_deliveries(ids):
    """Send a batch of deliveries by id; rows already sent or taken are skipped."""
    return services.deliveries_send(ids)
