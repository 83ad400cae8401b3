"""An ARS DD or a CRPV that organises an event manages its attendance like staff: check-in, the
webinar import, certificates; on another organisation's event it is refused (issue 11 #3)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def past_event(organiser=None):
    start = timezone.now() - timezone.timedelta(days=1)
    kwargs = {"organiser": organiser} if organiser else {}
    event = EventFactory(starts_at=start, ends_at=start + timezone.timedelta(hours=2), **kwargs)
    registration = Registration.objects.create(
        event=event, person=UserFactory(), status="confirmed", attended=True
    )
    return event, registration


def answers(client, event, registration):
    return {
        "check_in": client.get(reverse("attendance_check_in", args=[event.pk])).status_code,
        "import": client.get(reverse("attendance_import", args=[event.pk])).status_code,
        "registrations": client.get(reverse("event_registrations", args=[event.pk])).status_code,
        "certificate": client.get(
            reverse("attendance_certificate", args=[registration.pk])
        ).status_code,
        "mark": client.post(
            reverse("attendance_mark", args=[registration.pk]), {"present": "0"}
        ).status_code,
    }


def test_dd93_manages_the_attendance_of_its_own_event(client, dd93):
    event, registration = past_event(dd93.memberships.get().organisation)
    client.force_login(dd93)
    assert answers(client, event, registration) == {
        "check_in": 200,
        "import": 200,
        "registrations": 200,
        "certificate": 200,
        "mark": 302,
    }
    registration.refresh_from_db()
    assert registration.attended is None  # the tap undone: not recorded


def test_dd93_is_refused_on_promosante_s_event(client, dd93):
    event, registration = past_event()
    client.force_login(dd93)
    assert answers(client, event, registration) == {
        "check_in": 403,
        "import": 403,
        "registrations": 403,
        "certificate": 404,  # whether someone attended is not revealed
        "mark": 403,
    }
    registration.refresh_from_db()
    assert registration.attended is True
