"""A replay or slides attached to an event (issue #13): shown on the event's page and in the
follow-up e-mail, to those who may read them only."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agenda import reminders
from agenda import services as agenda_services
from agenda.models import Registration
from notifications import services as notification_services
from notifications.models import Delivery
from resources import services
from resources.models import Resource
from tests.factories import CoordinatorProfileFactory, EventFactory, in_days

pytestmark = pytest.mark.django_db


def attach(event, title, kind=Resource.Kind.REPLAY, **fields):
    values = {"url": "https://replay.example.org/1", **fields}
    return services.resource_save(
        resource=Resource(title=title, kind=kind, event=event, **values), competencies=[]
    )


def test_the_event_page_shows_the_materials_the_visitor_may_read(client, coordinator, dd93):
    event = EventFactory(title="Webinaire santé mentale et logement", starts_at=in_days(-3))
    replay = attach(event, "Replay — webinaire santé mentale et logement")
    slides = attach(event, "Support du webinaire", kind=Resource.Kind.SLIDES)
    partners = attach(event, "Note aux partenaires", kind="factsheet", audience="partners")
    attach(event, "Brouillon", is_published=False, url="")
    client.force_login(coordinator)
    page = client.get(reverse("event", args=[event.pk])).content.decode()
    assert "Replay et documents" in page
    assert reverse("resource", args=[replay.pk]) in page
    assert reverse("resource", args=[slides.pk]) in page
    assert partners.title not in page and "Brouillon" not in page
    client.force_login(dd93)
    page = client.get(reverse("event", args=[event.pk])).content.decode()
    assert partners.title in page


def test_an_event_without_materials_says_nothing(client, coordinator):
    event = EventFactory()
    client.force_login(coordinator)
    assert (
        "Replay et documents" not in client.get(reverse("event", args=[event.pk])).content.decode()
    )


def followup_body(event, person):
    registration = agenda_services.event_register(event=event, person=person)
    followup = Delivery.objects.get(about=reminders.about(registration), kind="event_followup")
    Registration.objects.filter(pk=registration.pk).update(attended=False)
    with time_machine.travel(followup.due_at + datetime.timedelta(minutes=1), tick=False):
        assert notification_services.deliveries_send([followup.pk]) == 1
    followup.refresh_from_db()
    assert "!!UNKNOWN" not in followup.html + followup.text
    return followup.text, followup.html


def test_the_follow_up_e_mail_links_the_materials_the_person_may_read(mailoutbox):
    event = EventFactory(starts_at=in_days(10))
    replay = attach(event, "Replay — webinaire santé mentale et logement")
    hidden = attach(event, "Note aux partenaires", kind="factsheet", audience="partners")
    text, html = followup_body(event, CoordinatorProfileFactory().user)
    assert "Replay de webinaire : Replay — webinaire santé mentale et logement" in text
    assert reverse("resource", args=[replay.pk]) in html
    assert hidden.title not in text and hidden.title not in html
