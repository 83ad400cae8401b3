"""Background work of the peer network (the scheduler's entries are in the settings)."""

from datetime import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services.digest import weekly_digest_plan
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


@shared_task(
    acks_late=True,
    time_limit=900,
    soft_time_limit=840,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
)
def weekly_digest(now=None):
    """Every hour: from Monday 7:00 (Paris), plan the week's digest of each coordinator who has
    something new (idempotent: one e-mail per person and ISO week, by its key). `now`: an ISO
    date-time, for tests and for running a past week by hand."""
    moment = datetime.fromisoformat(now) if now else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return weekly_digest_plan(now=moment)
