from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(acks_late=True, time_limit=300)
def clear_expired_sessions():
    """Housekeeping: drop expired sessions (the scheduler runs it hourly)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
