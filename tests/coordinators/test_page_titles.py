"""Every page of the register says in its title which object it shows: two handover files, two
posts, two schemes never share a title."""

import re

import pytest
from django.urls import reverse

from coordinators.models import PostClaim
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def title(response):
    assert response.status_code == 200
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_each_handover_post_and_scheme_page_names_its_object(client, staff):
    posts = [
        PostFactory(schemes=[SchemeFactory(name=name)])
        for name in ("CLS de Bondy", "ASV de Stains")
    ]
    tenures = [TenureFactory(post=post) for post in posts]
    login(client, staff)
    pages = {
        "handover": [reverse("handover", args=[p.pk]) for p in posts],
        "post_edit": [reverse("post_edit", args=[p.pk]) for p in posts],
        "scheme_edit": [reverse("scheme_edit", args=[p.schemes.get().pk]) for p in posts],
        "tenure_edit": [reverse("tenure_edit", args=[t.pk]) for t in tenures],
    }
    for name, urls in pages.items():
        titles = [title(client.get(url)) for url in urls]
        assert titles[0] != titles[1], name
        assert "CLS de Bondy" in titles[0] and "ASV de Stains" in titles[1], (name, titles)
    assert title(client.get(pages["handover"][0])).startswith(
        "Dossier de passation du poste de coordination (CLS de Bondy)"
    )


def test_posts_are_named_as_people_know_them_never_by_an_internal_number(client, staff):
    from datetime import date

    from coordinators.selectors import post_label, post_labels

    bondy = SchemeFactory(name="CLS de Bondy")
    stains = SchemeFactory(name="ASV de Stains")
    first = PostFactory(schemes=[bondy], opened_on=date(2020, 1, 1))
    second = PostFactory(schemes=[bondy, stains], opened_on=date(2021, 1, 1))
    closed = PostFactory(schemes=[bondy], opened_on=date(2019, 1, 1), closed_on=date(2020, 6, 1))
    alone = PostFactory(schemes=[stains], opened_on=date(2022, 1, 1))
    labels = post_labels([first.pk, second.pk, closed.pk, alone.pk])
    assert labels == {
        first.pk: "poste 1 sur 2 (CLS de Bondy)",
        # Shared: ranked in its first scheme by name (ASV de Stains: the first of its two posts).
        second.pk: "poste 1 sur 2 (ASV de Stains · CLS de Bondy)",
        closed.pk: "ancien poste ouvert le 01/01/2019 (CLS de Bondy)",
        alone.pk: "poste 2 sur 2 (ASV de Stains)",
    }
    lone = PostFactory(schemes=[SchemeFactory(name="CLSM de Sarcelles")])
    assert post_label(lone) == "poste de coordination (CLSM de Sarcelles)"
    TenureFactory(post=first)
    PostClaim.objects.create(post=second, person=UserFactory(), started_on=date(2026, 1, 1))
    login(client, staff)
    pages = [
        reverse("scheme", args=[bondy.pk]),
        reverse("handover", args=[first.pk]),
        reverse("post_edit", args=[second.pk]),
        reverse("post_arrival", args=[second.pk]),
        reverse("claims"),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "n°" not in page, url
    assert "Poste 1 sur 2" in client.get(reverse("scheme", args=[bondy.pk])).content.decode()
    assert (
        "Poste 1 sur 2 (ASV de Stains · CLS de Bondy)"
        in client.get(reverse("claims")).content.decode()
    )
