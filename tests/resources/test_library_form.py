"""The staff's resource form (issue #13): every field of the library saved, and what is wrong
said in French with nothing saved."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from coordinators.models import Topic
from resources.models import Resource
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "title": "Replay — webinaire santé mentale et logement",
        "kind": "replay",
        "summary": "L’enregistrement.",
        "url": "https://visio.example.org/replay/12",
        "audience": "coordinators",
        "is_published": "on",
    }
    return {**values, **overrides}


def test_every_field_is_saved_and_shown(client, staff, coordinator):
    crpv = Organisation.objects.create(name="CRPV Val-d'Oise", short_name="CRPV 95", kind="crpv")
    topic, _ = Topic.objects.get_or_create(name="Santé mentale")
    event = EventFactory(title="Webinaire santé mentale et logement")
    client.force_login(staff)
    response = client.post(
        reverse("resource_create"),
        data(
            provider_organisation=crpv.pk,
            issued_on="12/03/2026",
            event=event.pk,
            topics=[topic.pk],
            scheme_types=["CLSM", "CLS"],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    resource = Resource.objects.get()
    assert (resource.provider, resource.event, resource.audience) == (crpv, event, "coordinators")
    assert resource.scheme_types == ["CLS", "CLSM"] and list(resource.topics.all()) == [topic]
    assert str(resource.issued_on) == "2026-03-12"
    assert "sante mentale" in resource.document and "crpv" in resource.document
    page = client.get(reverse("resource", args=[resource.pk])).content.decode()
    for shown in [
        "CRPV Val-d&#x27;Oise",
        "12 mars 2026",
        "Coordinateur·rices seulement",
        "Santé mentale",
        "Contrat local de santé, Conseil local de santé mentale",
        event.title,
    ]:
        assert shown in page, shown
    # A coordinator as provider (the searchable select of people in post).
    response = client.post(
        reverse("resource_edit", args=[resource.pk]), data(provider_person=coordinator.pk)
    )
    resource.refresh_from_db()
    assert resource.provider == coordinator


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"issued_on": "31/02/2026"}, "issued_on", "Saisissez une date valide"),
        ({"issued_on": "01/01/1900"}, "issued_on", ""),
        ({"scheme_types": ["PMI"]}, "scheme_types", "Sélectionnez un choix valide"),
        ({"audience": "tout le monde"}, "audience", "Sélectionnez un choix valide"),
        ({"event": "999999999999"}, "event", "Sélectionnez un choix valide"),
        ({"provider_person": "abc"}, "provider_person", "Sélectionnez un choix valide"),
    ],
)
def test_bad_values_are_said_and_nothing_is_saved(client, staff, overrides, field, message):
    client.force_login(staff)
    response = client.post(reverse("resource_create"), data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in errors[field][0], errors
    assert not Resource.objects.exists()


def test_an_organisation_and_a_person_together_are_refused(client, staff, coordinator):
    crpv = Organisation.objects.create(name="CRPV 93", kind="crpv")
    client.force_login(staff)
    response = client.post(
        reverse("resource_create"),
        data(provider_organisation=crpv.pk, provider_person=coordinator.pk),
    )
    assert (
        "laissez l’un des deux champs vide" in response.context["form"].errors["provider_person"][0]
    )
    assert not Resource.objects.exists()
