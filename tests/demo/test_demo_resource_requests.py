"""The demo's requests for La boussole: distributed on request, 35 coordinators in post asked
(distinct people, across départements), in every state with dates in order; Julien's copies were
sent, Awa has none; nobody was e-mailed; seeding twice changes nothing."""

import pytest
from django.utils import timezone

from accounts.models import User
from coordinators.selectors import tenures_in_post
from demo.loaders import accounts
from demo.resource_requests import seed_resource_requests
from notifications.models import Delivery
from resources.models import Resource
from resources.models.requests import ResourceRequest
from resources.selectors.requests import requests_for_team, team_counts

pytestmark = pytest.mark.django_db


def person(key):
    return User.objects.get(email=accounts().account(key).email)


def boussole():
    return Resource.objects.get(title__startswith="La boussole")


def test_la_boussole_is_on_request_with_35_requests_in_every_state(demo_seeded):
    resource = boussole()
    assert resource.on_request and resource.is_published
    requests = ResourceRequest.objects.filter(resource=resource)
    assert demo_seeded["demandes de documents"] == requests.count() == 35
    assert requests.values("requester").distinct().count() == 35
    in_post = set(tenures_in_post().values_list("person_id", flat=True))
    assert set(requests.values_list("requester_id", flat=True)) <= in_post
    states = {state: requests.filter(state=state).count() for state in ResourceRequest.State}
    assert states == {"asked": 8, "accepted": 5, "sent": 17, "refused": 4, "withdrawn": 1}
    assert requests.filter(format="digital").exists() and requests.filter(format="printed")
    assert not Delivery.objects.filter(category="resources").exists()
    counts = team_counts(requests_for_team())
    assert len(counts.departments) >= 5
    assert {label for label, _ in counts.scheme_kinds} >= {
        "Atelier Santé Ville",
        "Contrat local de santé",
    }


def test_dates_are_in_order_and_in_the_past(demo_seeded):
    today = timezone.localdate()
    for request in ResourceRequest.objects.all():
        asked = timezone.localdate(request.asked_at)
        assert asked < today
        if request.decided_at:
            assert asked <= timezone.localdate(request.decided_at) <= today
        if request.state == "sent":
            assert asked <= request.sent_on <= today
        if request.state == "refused":
            assert request.refusal_reason
    oldest = ResourceRequest.objects.order_by("asked_at").first()
    assert (today - timezone.localdate(oldest.asked_at)).days >= 120


def test_julien_s_copies_were_sent_and_awa_has_none(demo_seeded):
    julien = ResourceRequest.objects.get(requester=person("experienced"))
    assert julien.state == "sent" and julien.format == "printed" and julien.quantity == 5
    assert julien.postcode == "95200" and julien.city == "Sarcelles"
    assert not ResourceRequest.objects.filter(requester=person("newcomer")).exists()


def test_seeding_twice_changes_nothing(demo_seeded):
    before = list(ResourceRequest.objects.order_by("pk").values())
    assert seed_resource_requests() == {
        key: demo_seeded[key]
        for key in (
            "demandes de documents",
            "demandes de documents en attente",
            "demandes de documents envoyées",
        )
    }
    assert list(ResourceRequest.objects.order_by("pk").values()) == before
