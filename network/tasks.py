"""Background work of the peer network (the scheduler's entries are in the settings)."""

from celery import shared_task
from django.db import OperationalError

from .services.questions import questions_digest_plan


@shared_task(
    acks_late=True,
    time_limit=300,
    soft_time_limit=270,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
)
def questions_digest():
    """Every hour: once a day, after DIGEST_HOUR, plan the digest of new questions for the
    peers who chose it (idempotent: the questions taken are marked, the e-mails keyed)."""
    return questions_digest_plan()
