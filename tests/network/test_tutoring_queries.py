"""The tutoring page (with its suggestions) and the staff's overview run the same number of
queries with 10 or 2,000 coordinators."""

from datetime import timedelta

import pytest
from django.urls import reverse

from coordinators.models import Tenure
from network.models import PeerProfile
from network.models.tutoring import TutoringPair
from network.services import tutoring as services
from tests.helpers import count_queries

from .directory_factories import bulk_people
from .tutoring_factories import TODAY, newcomer, tutor

pytestmark = pytest.mark.django_db


def more_people(count):
    """`count` coordinators of Seine-Saint-Denis: a third are CLSM (Awa's type), all accept a
    newcomer, a tenth arrived within the year, and some already tutor or are tutored."""
    users = bulk_people(count)
    PeerProfile.objects.filter(person__in=users).update(tutoring_capacity=1)
    recent = [u.pk for u in users[::10]]
    Tenure.objects.filter(person_id__in=recent).update(started_on=TODAY - timedelta(days=30))
    pairs = list(zip(users[1::10], users[2::10], strict=False))
    TutoringPair.objects.bulk_create(
        TutoringPair(newcomer=n, tutor=t, status="active", started_on=TODAY) for n, t in pairs
    )
    TutoringPair.objects.bulk_create(
        TutoringPair(newcomer=n, tutor=t) for n, t in zip(users[3::10], users[4::10], strict=False)
    )


@pytest.mark.parametrize("who", ["newcomer", "tutor", "staff"])
def test_tutoring_pages_run_constant_queries(client, promosante, staff, who):
    awa, julien = newcomer(), tutor(3)
    services.tutoring_request(newcomer=newcomer(first_name="Inès"), tutor=julien, message="Hé")
    person = {"newcomer": awa, "tutor": julien, "staff": staff}[who]
    client.force_login(person)
    urls = [reverse("tutoring")]
    if who == "staff":
        urls += [reverse("tutoring_overview"), reverse("tutoring_propose", args=[awa.pk])]
    more_people(10)
    small = [count_queries(client, url) for url in urls]
    more_people(1_990)
    large = [count_queries(client, url) for url in urls]
    assert small == large
    if who == "newcomer":  # many suggestions, six shown
        assert len(client.get(urls[0]).context["mine"].suggestions) == 6
    if who == "staff":
        overview = client.get(urls[1]).context["overview"]
        assert len(overview.without_tutor) > 100 and len(overview.active) > 100


def test_a_pair_page_runs_constant_queries(client, promosante):
    awa, julien = newcomer(), tutor(1)
    pair = services.tutoring_request(newcomer=awa, tutor=julien)
    services.tutoring_answer(pair=pair, tutor=julien, accept=True)
    client.force_login(awa)
    url = reverse("tutoring_pair", args=[pair.pk])
    services.tutoring_note_add(pair=pair, author=awa, text="Première note")
    small = count_queries(client, url)
    for i in range(20):
        services.tutoring_note_add(pair=pair, author=julien if i % 2 else awa, text=f"Note {i}")
    assert count_queries(client, url) == small
