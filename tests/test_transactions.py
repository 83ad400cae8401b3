"""Reads never wait for a write in progress; requests that may write are all-or-nothing.

On SQLite (the demo) a write transaction holds the database's one write lock: a page that only
reads must answer while a slow write (an upload being applied) holds it, instead of waiting for
the busy timeout and failing with "database is locked"."""

import threading
import urllib.request

import pytest
from django.db import connection, transaction
from django.urls import reverse

from agenda.models import Event
from tests.factories import CoordinatorProfileFactory, EventFactory, UserFactory


def _get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test server
        return response.status, response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_pages_that_read_answer_while_a_write_holds_the_lock(live_server, client, settings):
    coordinator = CoordinatorProfileFactory().user
    event = EventFactory(title="Webinaire pendant l'écriture")
    client.force_login(coordinator)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    writing, done = threading.Event(), threading.Event()
    failures = []

    def slow_write():
        """A write transaction that stays open until the reads are over (an upload applied)."""
        try:
            with transaction.atomic():
                UserFactory(email="pendant@exemple.fr")  # the lock is taken (IMMEDIATE on SQLite)
                writing.set()
                done.wait(timeout=120)
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            writing.set()
            connection.close()

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        assert writing.wait(timeout=30)
        pages = [
            reverse("account_login"),
            reverse("agenda"),
            reverse("event", args=[event.pk]),
            reverse("profile"),
            reverse("home"),
        ]
        for path in pages:
            status, body = _get(live_server.url + path, cookie)
            assert status == 200, path
            assert "Erreur" not in body.split("<title>", 1)[-1][:80], path
        assert not done.is_set()  # all answered while the write was still in progress
    finally:
        done.set()
        writer.join(timeout=60)
    assert not failures


@pytest.mark.django_db
def test_a_request_that_writes_is_all_or_nothing(client, staff, monkeypatch):
    """A POST whose view fails after a first write leaves nothing behind (one transaction)."""
    from agenda import services

    def fail_after_saving(*, event, departments, topics, extra=None, access=None):
        event.save()
        raise RuntimeError("panne après l'écriture")

    monkeypatch.setattr(services, "event_save", fail_after_saving)
    client.force_login(staff)
    client.raise_request_exception = False
    response = client.post(
        reverse("event_create"),
        {
            "kind": "webinar",
            "title": "Jamais enregistré",
            "starts_at": "2030-03-12T10:00",
            "ends_at": "2030-03-12T11:00",
            "video_url": "https://visio.example.org/x",
            "audiences": ["all"],
            "organiser": staff.memberships.get().organisation_id,
        },
    )
    assert response.status_code == 500
    assert not Event.objects.filter(title="Jamais enregistré").exists()
