"""Agenda, a newcomer's findings (issue 11, second pass): who may host a site visit, names after
"de", the roster's waitlist, walk-ins, past events, refusal contacts, `.ics` offers, the webinar
import tab and the cancellation page."""

import datetime

import pytest
from django.urls import reverse

from accounts.access import access_for
from agenda import services
from agenda.forms import EventForm
from agenda.models import Event
from territories.models import Department
from tests.agenda.test_agenda_pages import event_form
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
)

pytestmark = pytest.mark.django_db


# --- 1: the site-visit host ----------------------------------------------------------------


@pytest.fixture
def hosts():
    """A coordinator in post in the 93, one in the 95, one who left, one approved without post."""

    def in_post(code, **tenure):
        scheme = SchemeFactory(department=Department.objects.get(code=code))
        person = CoordinatorProfileFactory().user
        TenureFactory(person=person, post=PostFactory(schemes=[scheme]), **tenure)
        return person

    return {
        "93": in_post("93"),
        "95": in_post("95"),
        "left": in_post("93", ended_on=datetime.date(2023, 6, 30)),
        "no_post": CoordinatorProfileFactory().user,
    }


def test_a_partner_chooses_hosts_in_post_in_its_territory_only(dd93, hosts):
    choices = set(EventForm(access=access_for(dd93)).fields["host"].queryset)
    assert choices == {hosts["93"]}


def test_staff_choose_among_every_coordinator_in_post(staff, hosts):
    choices = set(EventForm(access=access_for(staff)).fields["host"].queryset)
    assert choices == {hosts["93"], hosts["95"]}


def test_the_current_host_of_an_edited_event_stays_a_choice(staff, hosts):
    event = EventFactory(kind="site_visit", host=hosts["left"])
    choices = set(EventForm(instance=event, access=access_for(staff)).fields["host"].queryset)
    assert choices == {hosts["93"], hosts["95"], hosts["left"]}


def test_a_forged_out_of_territory_host_is_refused(client, dd93, hosts):
    client.force_login(dd93)
    organiser = access_for(dd93).publishing_organisations[0]
    data = event_form(
        kind="site_visit",
        organiser=organiser.pk,
        departments=[Department.objects.get(code="93").pk],
        host=hosts["95"].pk,
    )
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert "host" in response.context["form"].errors
    response = client.post(reverse("event_create"), {**data, "host": hosts["93"].pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Event.objects.get().host == hosts["93"]


def test_the_service_refuses_a_host_out_of_territory(dd93, hosts):
    organiser = access_for(dd93).publishing_organisations[0]
    event = EventFactory.build(organiser=organiser, kind="site_visit", host=hosts["95"])
    with pytest.raises(services.EventError, match="accueillir"):
        services.event_save(event=event, departments=[], topics=[], access=access_for(dd93))
