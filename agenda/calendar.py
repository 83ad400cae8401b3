"""iCalendar (RFC 5545) files: one per event, and a person's private feed."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import markdown as md
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as IcsEvent

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//PromoSanté IdF//Réseau des coordinateurs//FR"


class _PlainText(HTMLParser):
    """Rendered Markdown to the plain text a calendar shows: paragraphs, "- " list items, links
    as "text (address)", entities decoded."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.link = None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in ("br", "tr"):
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.parts))

    def handle_endtag(self, tag):
        if tag == "a" and self.link:
            href, start = self.link
            text = "".join(self.parts[start:]).strip()
            if href and href not in (text, f"mailto:{text}"):
                self.parts.append(f" ({href})")
            self.link = None
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if "\n" in data and not data.strip():
            return  # the line breaks between rendered tags
        self.parts.append(data)

    def text(self):
        text = "".join(self.parts)
        text = re.sub(r"[ \t]+\n", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def markdown_to_text(text) -> str:
    """An event's Markdown description as plain text (a calendar shows no Markdown)."""
    parser = _PlainText()
    parser.feed(md.markdown(text or "", extensions=["extra", "sane_lists"]))
    parser.close()
    return parser.text()


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
    description = [event.get_kind_display(), "", markdown_to_text(event.description), "", url]
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
