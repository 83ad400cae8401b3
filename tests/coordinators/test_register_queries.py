"""Scheme list and detail: the same number of queries with 10 or 1,000 schemes."""

from datetime import date

import pytest
from django.urls import reverse

from coordinators.models import Post, Scheme, Tenure
from territories.models import Commune, Department
from tests.factories import UserFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def bulk_register(count):
    """`count` schemes, each with a post held by someone after a predecessor left."""
    communes = list(Commune.objects.filter(department__code="93")[:40])
    department = Department.objects.get(code="93")
    start = Scheme.objects.count()
    schemes = Scheme.objects.bulk_create(
        Scheme(
            kind=("ASV", "CLS", "CLSM")[i % 3],
            name=f"Dispositif {start + i:04d}",
            department=department,
            carrier_name="Ville",
            carrier_kind="commune",
            ends_on=date(2027, 1, 1),
        )
        for i in range(count)
    )
    Scheme.communes.through.objects.bulk_create(
        Scheme.communes.through(scheme_id=s.pk, commune_id=communes[i % len(communes)].pk)
        for i, s in enumerate(schemes)
    )
    posts = Post.objects.bulk_create(Post(opened_on=date(2018, 1, 1)) for _ in schemes)
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=p.pk, scheme_id=s.pk)
        for p, s in zip(posts, schemes, strict=True)
    )
    person = UserFactory()
    Tenure.objects.bulk_create(
        [
            Tenure(
                post=p,
                person=person,
                started_on=date(2018, 1, 1),
                ended_on=date(2020, 1, 1),
                end_reason="left",
            )
            for p in posts
        ]
        + [Tenure(post=p, person=person, started_on=date(2020, 6, 1)) for p in posts[::2]]
    )
    return schemes


@pytest.mark.parametrize("role", ["staff", "coordinator", "partner_dd93"])
@pytest.mark.parametrize(
    "params",
    [{}, {"kind": "CLS", "vacancy": "true"}, {"renewal_due": "true", "q": "Dispositif"}],
    ids=["plain", "filtered", "renewal"],
)
def test_scheme_list_queries_are_constant(client, user_for_role, role, params):
    client.force_login(user_for_role(role))
    bulk_register(10)
    small = count_queries(client, reverse("schemes"), params)
    bulk_register(990)
    large = count_queries(client, reverse("schemes"), params)
    assert small == large


@pytest.mark.parametrize("role", ["staff", "coordinator", "partner_dd93"])
def test_scheme_detail_queries_are_constant(client, user_for_role, role):
    client.force_login(user_for_role(role))
    first = bulk_register(10)[0]
    small = count_queries(client, reverse("scheme", args=[first.pk]))
    bulk_register(990)
    # The same scheme with more posts and more history.
    extra = Post.objects.bulk_create(Post(opened_on=date(2019, 1, 1)) for _ in range(5))
    for post in extra:
        post.schemes.add(first)
        Tenure.objects.create(
            post=post,
            person=UserFactory(),
            started_on=date(2019, 2, 1),
            ended_on=date(2021, 1, 1),
            end_reason="left",
        )
    large = count_queries(client, reverse("scheme", args=[first.pk]))
    assert small == large
