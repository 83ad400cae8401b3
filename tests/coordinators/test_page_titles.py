"""Every page of the register says in its title which object it shows: two handover files, two
posts, two schemes never share a title."""

import re

import pytest
from django.urls import reverse

from tests.factories import PostFactory, SchemeFactory, TenureFactory
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
        f"Dossier de passation du poste n° {posts[0].pk} (CLS de Bondy)"
    )
