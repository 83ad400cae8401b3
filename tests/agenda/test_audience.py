"""Who may register to an event kept for an audience or a territory (issue 11 #19)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from agenda import services
from agenda.models import Registration
from territories.models import Department
from tests.factories import (
    CoordinatorProfileFactory,
    EventFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    commune,
)

pytestmark = pytest.mark.django_db


def coordinator_of(kind, department, commune_code, *, renewal=False):
    """A coordinator holding a post on a scheme of `kind` in `department`."""
    ends_on = timezone.localdate() + datetime.timedelta(days=120) if renewal else None
    scheme = SchemeFactory(
        kind=kind,
        department=Department.objects.get(code=department),
        commune_codes=[commune_code],
        signed_on=datetime.date(2020, 1, 1),
        ends_on=ends_on,
    )
    profile = CoordinatorProfileFactory(commune=commune(commune_code))
    TenureFactory(person=profile.user, post=PostFactory(schemes=[scheme]))
    return profile.user


@pytest.fixture
def dd93_session(dd93):
    """DD 93's session for the CLS being renewed in Seine-Saint-Denis."""
    event = EventFactory(
        title="Renouveler son CLS en Seine-Saint-Denis",
        audiences=["cls_renewal"],
        organiser=Organisation.objects.get(memberships__user=dd93),
    )
    event.departments.set(Department.objects.filter(code="93"))
    return event


def test_a_val_d_oise_clsm_coordinator_cannot_register_to_a_dd93_cls_renewal_session(
    dd93_session,
):
    outsider = coordinator_of("CLSM", "95", "95018")
    with pytest.raises(services.EventError, match="Seine-Saint-Denis \\(93\\).*ARS DD 93"):
        services.event_register(event=dd93_session, person=outsider)
    assert not Registration.objects.exists()


def test_a_seine_saint_denis_cls_in_renewal_registers(dd93_session):
    insider = coordinator_of("CLS", "93", "93066", renewal=True)
    registration = services.event_register(event=dd93_session, person=insider)
    assert registration.status == Registration.Status.CONFIRMED


def test_the_territory_alone_is_not_enough_for_an_audience(dd93_session):
    not_renewing = coordinator_of("CLS", "93", "93066", renewal=False)
    with pytest.raises(services.EventError, match="CLS en renouvellement.*ARS DD 93"):
        services.event_register(event=dd93_session, person=not_renewing)


def test_an_event_for_everyone_in_a_departement_takes_its_coordinators_only():
    event = EventFactory(audiences=["all"])
    event.departments.set(Department.objects.filter(code="95"))
    services.event_register(event=event, person=coordinator_of("CLSM", "95", "95018"))
    with pytest.raises(services.EventError, match="Val-d'Oise"):
        services.event_register(event=event, person=coordinator_of("CLS", "93", "93066"))


def test_a_regional_event_for_everyone_takes_every_coordinator():
    event = EventFactory(audiences=["all"])
    services.event_register(event=event, person=coordinator_of("CLSM", "95", "95018"))
    services.event_register(event=event, person=coordinator_of("CLS", "93", "93066"))
    assert event.registrations.count() == 2


def test_an_event_for_newcomers_refuses_a_senior_coordinator():
    event = EventFactory(audiences=["newcomers"])
    senior = coordinator_of("CLS", "93", "93066")  # in post since 2020
    with pytest.raises(services.EventError, match="nouveaux coordinateur"):
        services.event_register(event=event, person=senior)


def test_staff_can_still_add_someone_outside_the_audience(dd93_session):
    outsider = coordinator_of("CLSM", "95", "95018")
    registration = services.registration_record(event=dd93_session, person=outsider)
    assert registration.status == Registration.Status.CONFIRMED


def test_the_event_page_says_why_and_whom_to_contact(client, dd93_session):
    outsider = coordinator_of("CLSM", "95", "95018")
    client.force_login(outsider)
    page = client.get(reverse("event", args=[dd93_session.pk])).content.decode()
    assert "réservé aux coordinateur·rices exerçant en Seine-Saint-Denis (93)" in page
    assert "transmettra à l&#x27;organisateur (ARS DD 93)" in page
    assert "M&#x27;inscrire" not in page and "M'inscrire" not in page
    response = client.post(reverse("event_register", args=[dd93_session.pk]), follow=True)
    assert "Seine-Saint-Denis" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_event_page_offers_registration_to_the_audience(client, dd93_session):
    insider = coordinator_of("CLS", "93", "93066", renewal=True)
    client.force_login(insider)
    page = client.get(reverse("event", args=[dd93_session.pk])).content.decode()
    assert "M&#x27;inscrire" in page or "M'inscrire" in page
    assert "réservé" not in page
