"""iCalendar (RFC 5545) files: one per event, and a person's private feed."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as IcsEvent

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//PromoSanté IdF//Réseau des coordinateurs//FR"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    return calendar


def _add_timezone(calendar, events):
    if not events:
        return
    first = min(e.starts_at for e in events) - timedelta(days=366)
    last = max(e.ends_at for e in events) + timedelta(days=366)
    calendar.add_component(
        Timezone.from_tzid("Europe/Paris", first_date=first.date(), last_date=last.date())
    )


def _vevent(event, *, show_video):
    item = IcsEvent()
    item.add("uid", event.uid)
    item.add("sequence", event.sequence)
    item.add("dtstamp", timezone.now())
    item.add("last-modified", event.updated_at)
    item.add("summary", event.title)
    item.add("dtstart", timezone.localtime(event.starts_at, PARIS))
    item.add("dtend", timezone.localtime(event.ends_at, PARIS))
    url = settings.SITE_URL + reverse("event", args=[event.pk])
    item.add("url", url)
    description = [event.get_kind_display(), "", event.description, "", url]
    if show_video and event.video_url:
        description[-1:-1] = [f"Visioconférence : {event.video_url}", ""]
        item.add("location", event.location or event.video_url)
    elif event.location:
        item.add("location", event.location)
    item.add("description", "\n".join(line for line in description if line is not None).strip())
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add(
        "organizer",
        f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}",
        parameters={"CN": str(event.organiser)},
    )
    return item


def event_ics(event, *, show_video=False) -> bytes:
    calendar = _calendar(event.title)
    _add_timezone(calendar, [event])
    calendar.add_component(_vevent(event, show_video=show_video))
    return calendar.to_ical()


def feed_ics(events, *, name) -> bytes:
    """A person's registrations; video links only where they hold a confirmed seat."""
    calendar = _calendar(name)
    _add_timezone(calendar, events)
    for event in events:
        confirmed = getattr(event, "my_status", None) == "confirmed"
        calendar.add_component(_vevent(event, show_video=confirmed))
    return calendar.to_ical()
