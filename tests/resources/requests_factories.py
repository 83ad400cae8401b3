"""Requests for a resource on request, for the tests: a resource, a coordinator in post, one
request through the service, or thousands in a few queries."""

import datetime
from itertools import cycle

from django.db import connection
from django.utils import timezone

from accounts.models import User
from coordinators.models import CoordinatorProfile, Post, Scheme, Tenure
from resources.models import Resource
from resources.models.requests import ResourceRequest
from resources.services.requests import request_create
from territories.models import Commune, Department
from tests.factories import CoordinatorProfileFactory, PostFactory, SchemeFactory, TenureFactory

ADDRESS = {
    "recipient": "Julien Moreau",
    "structure": "CLSM de Sarcelles",
    "street": "12 rue de la Mairie",
    "postcode": "95200",
    "city": "Sarcelles",
}


def on_request_resource(**fields):
    fields.setdefault("title", "La boussole de la démarche locale en santé")
    fields.setdefault("kind", "guide")
    fields.setdefault("url", "https://ressources.example.org/boussole.pdf")
    return Resource.objects.create(on_request=True, published_at=timezone.now(), **fields)


def coordinator_in_post(*, department="95", kind=Scheme.Kind.CLSM, carrier="Ville de Sarcelles"):
    """An approved coordinator holding, today, a post of a scheme of `kind` in `department`."""
    code = {"95": "95585", "93": "93066", "75": "75056"}[department]
    user = CoordinatorProfileFactory(commune=Commune.objects.get(code_insee=code)).user
    scheme = SchemeFactory(
        kind=kind,
        department=Department.objects.get(code=department),
        carrier_name=carrier,
        commune_codes=[code],
    )
    TenureFactory(
        person=user, post=PostFactory(schemes=[scheme]), started_on=datetime.date(2020, 1, 1)
    )
    return user


def ask(resource, requester, *, format="printed", quantity=3, **fields):
    address = {**ADDRESS, **fields} if format == "printed" else fields
    return request_create(
        resource=resource, requester=requester, format=format, quantity=quantity, **address
    )


def bulk_requests(count, resource, *, department="93"):
    """`count` requests of `resource`, each by a coordinator of its own in post on a CLS of
    `department` (one in three without a post), in every state: bulk inserts."""
    dept = Department.objects.get(code=department)
    communes = list(Commune.objects.filter(department=dept, kind="commune-actuelle")[:20])
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"demande{start + i}@exemple.fr", first_name=f"P{start + i}", last_name="Masse")
        for i in range(count)
    )
    CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(
            user=user,
            commune=communes[i % len(communes)],
            status=CoordinatorProfile.Status.APPROVED,
        )
        for i, user in enumerate(users)
    )
    scheme = Scheme.objects.create(
        kind=Scheme.Kind.CLS,
        name=f"CLS en masse {start}",
        department=dept,
        carrier_name="Ville",
        carrier_kind=Scheme.CarrierKind.COMMUNE,
    )
    in_post = [user for i, user in enumerate(users) if i % 3]
    posts = Post.objects.bulk_create(Post(opened_on=datetime.date(2015, 1, 1)) for _ in in_post)
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post_id=post.pk, scheme_id=scheme.pk) for post in posts
    )
    Tenure.objects.bulk_create(
        Tenure(person=user, post=post, started_on=datetime.date(2020, 1, 1))
        for user, post in zip(in_post, posts, strict=True)
    )
    states = cycle(ResourceRequest.State.values)
    today = timezone.localdate()
    rows = []
    for user in users:
        state = next(states)
        rows.append(
            ResourceRequest(
                resource=resource,
                requester=user,
                format="printed",
                quantity=2,
                **ADDRESS,
                state=state,
                sent_on=today if state == "sent" else None,
                refusal_reason="Stock épuisé." if state == "refused" else "",
            )
        )
    requests = ResourceRequest.objects.bulk_create(rows)
    if connection.vendor == "postgresql":  # the planner learns the tables' new sizes
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return requests
