"""The weekly digest through a real Celery worker (Redis broker, SMTP sink): the task runs in
the worker, the digest reaches the person once, and running the task again sends nothing more."""

import datetime
import email
import email.policy

import pytest
from django.utils import timezone

from network.tasks import weekly_digest
from notifications.models import Delivery
from resources.models.library import Resource
from tests.factories import CoordinatorProfileFactory
from tests.integration.conftest import (  # noqa: F401 - the integration suite's fixtures
    broker,
    dispatch,
    notification_settings,
    smtp_sink,
    start_worker,
    wait_until,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def test_the_task_runs_in_a_worker_and_the_digest_arrives_once(start_worker, smtp_sink):  # noqa: F811
    person = CoordinatorProfileFactory(user__first_name="Julien").user
    Resource.objects.create(
        title="Guide du diagnostic local",
        kind=Resource.Kind.GUIDE,
        url="https://ressources.example.org/guide",
        audience="coordinators",
        is_published=True,
        published_at=timezone.now(),
    )
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    now = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(8))).isoformat()
    worker = start_worker(concurrency=2)

    def results():
        """What the worker's runs of the task returned (planned e-mails), from its log."""
        return sorted(
            int(line.rsplit(":", 1)[1])
            for line in worker.log.splitlines()
            if "network.tasks.weekly_digest[" in line and " succeeded in " in line
        )

    weekly_digest.delay(now)
    weekly_digest.delay(now)  # twice at once: one e-mail
    assert wait_until(lambda: len(results()) == 2, timeout=60), worker.log[-3000:]
    assert results() == [0, 1]
    digests = Delivery.objects.filter(key__startswith=f"weekly:{person.pk}:")
    assert digests.count() == 1
    assert wait_until(lambda: digests.filter(status="sent").exists(), timeout=60, each=dispatch)
    [received] = [m for m in smtp_sink.messages if person.email in m.to]
    assert "Lettre de la semaine" in received.subject
    message = email.message_from_bytes(received.raw, policy=email.policy.default)
    assert "Guide du diagnostic local" in message.get_body(("plain",)).get_content()
    assert "/notifications/desinscription/" in message["List-Unsubscribe"]
    weekly_digest.delay(now)  # later in the week: nothing more
    assert wait_until(lambda: len(results()) == 3, timeout=60)
    assert results() == [0, 0, 1]
    assert smtp_sink.count() == 1
