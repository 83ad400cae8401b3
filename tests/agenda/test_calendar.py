"""`.ics` files: valid RFC 5545, Paris local times across the clock changes, private links."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agenda import services
from agenda.calendar import event_ics, feed_ics
from agenda.models import CalendarFeed
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def parse(data):
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    timezones = list(calendar.walk("VTIMEZONE"))
    return calendar, events, timezones


@pytest.mark.parametrize(
    ("local_start", "utc_hour"),
    [
        (datetime.datetime(2027, 3, 26, 10, 0), 9),  # Friday before the March change: UTC+1
        (datetime.datetime(2027, 3, 29, 10, 0), 8),  # Monday after it: UTC+2
        (datetime.datetime(2027, 10, 29, 14, 0), 12),  # Friday before the October change: UTC+2
        (datetime.datetime(2027, 11, 1, 14, 0), 13),  # Monday after it: UTC+1
    ],
)
def test_local_times_survive_the_clock_changes(local_start, utc_hour):
    starts = local_start.replace(tzinfo=PARIS)
    event = EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=1, minutes=30))
    calendar, [vevent], [vtimezone] = parse(event_ics(event))
    assert vtimezone["TZID"] == "Europe/Paris"
    start = vevent["DTSTART"].dt
    assert start.tzinfo is not None
    assert (start.hour, start.minute) == (local_start.hour, local_start.minute)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert vevent["UID"] == event.uid
    assert calendar["VERSION"] == "2.0"
    # Both offsets are described so any calendar app places the event right.
    offsets = {str(c["TZOFFSETTO"].td) for c in vtimezone.subcomponents}
    assert {"1:00:00", "2:00:00"} <= offsets


def test_video_link_only_for_the_registered(client, coordinator):
    event = EventFactory(video_url="https://visio.example.org/secret")
    assert b"visio.example.org/secret" not in event_ics(event)
    client.force_login(coordinator)
    url = reverse("event_ics", args=[event.pk])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    assert b"visio.example.org/secret" not in response.content
    services.event_register(event=event, person=coordinator)
    assert b"visio.example.org/secret" in client.get(url).content


def test_a_moved_event_gets_a_higher_sequence():
    event = EventFactory()
    _, [before], _ = parse(event_ics(event))
    event.starts_at += datetime.timedelta(hours=1)
    event.ends_at += datetime.timedelta(hours=1)
    services.event_save(event=event, departments=[], topics=[])
    _, [after], _ = parse(event_ics(event))
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_cancelled_events_say_so():
    event = EventFactory()
    services.event_cancel(event=event, reason="")
    event.refresh_from_db()
    _, [vevent], _ = parse(event_ics(event))
    assert vevent["STATUS"] == "CANCELLED"


def test_personal_feed_with_a_renewable_secret(client, coordinator):
    mine = EventFactory(title="Mon webinaire")
    EventFactory(title="Pas le mien")
    services.event_register(event=mine, person=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("calendar_feed_settings")).content.decode()
    assert "Créer mon adresse" in page
    assert not CalendarFeed.objects.filter(user=coordinator).exists()  # reading writes nothing
    client.post(reverse("calendar_feed_settings"))
    feed = CalendarFeed.objects.get(user=coordinator)
    assert feed.token in client.get(reverse("calendar_feed_settings")).content.decode()
    client.logout()  # calendar apps have no session: the token is the credential
    response = client.get(reverse("calendar_feed", args=[feed.token]))
    _, events, _ = parse(response.content)
    assert [str(e["SUMMARY"]) for e in events] == ["Mon webinaire"]

    client.force_login(coordinator)
    client.post(reverse("calendar_feed_settings"))
    old = feed.token
    feed.refresh_from_db()
    assert feed.token != old
    client.logout()
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 200


def test_feed_gives_the_video_link_only_for_confirmed_seats(client, coordinator):
    full = EventFactory(capacity=1, video_url="https://visio.example.org/complet")
    services.event_register(event=full, person=UserFactory())
    services.event_register(event=full, person=coordinator)  # waitlisted
    feed = CalendarFeed.objects.create(user=coordinator)
    body = client.get(reverse("calendar_feed", args=[feed.token])).content
    assert b"visio.example.org/complet" not in body
    assert full.title.encode() in body


def test_feed_of_a_closed_account_is_gone(client):
    user = UserFactory()
    feed = CalendarFeed.objects.create(user=user)
    user.is_active = False
    user.save()
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


def test_feed_ics_with_no_event_is_valid():
    calendar, events, _ = parse(feed_ics([], name="Vide"))
    assert events == [] and calendar["PRODID"]
    assert timezone.now()
