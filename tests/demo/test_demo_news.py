"""The demo's news board: about twenty posts by the team, the CRPV 95 and the ARS DD 93, of every
category, two pinned, two expired, dated over the last weeks; Julien (Val-d'Oise) sees the CRPV
95's posts and not the ARS DD 93's; seeding again adds nothing and e-mails nobody."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from demo.loaders import accounts
from demo.news import seed_news
from network.models.news import NewsPost
from notifications.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def news_seeded(register_seeded, django_db_blocker):
    with django_db_blocker.unblock():
        return seed_news()


def email(key):
    return accounts().account(key).email


def test_the_demo_has_about_twenty_varied_posts(news_seeded):
    assert 18 <= news_seeded["actualités"] <= 22
    assert news_seeded["actualités épinglées"] == 2
    assert news_seeded["actualités expirées"] == 2
    assert set(NewsPost.objects.values_list("category", flat=True)) == set(NewsPost.Category)
    assert NewsPost.objects.filter(category=NewsPost.Category.JOB).count() == 2
    authors = set(NewsPost.objects.values_list("author__email", flat=True))
    assert authors == {email("staff"), email("crpv95"), email("dd93")}
    dates = NewsPost.objects.values_list("published_at", flat=True)
    assert all(d < timezone.now() for d in dates) and len({d.date() for d in dates}) >= 15


def test_seeding_again_adds_nothing(news_seeded):
    assert seed_news() == news_seeded
    assert not Delivery.objects.filter(key__startswith="weekly:").exists()  # e-mails nobody


def test_julien_sees_his_departement_s_posts_and_not_another_s(news_seeded, client):
    client.force_login(User.objects.get(email=email("experienced")))
    page = client.get(reverse("news")).context["page"]
    titles = [post.title for post in page]
    assert page[0].pinned and page[1].pinned
    assert "Rencontre des coordinateur·rices du Val-d'Oise" in titles
    assert not any("Seine-Saint-Denis" in title for title in titles)
    assert not any("clos" in title or "terminé" in title for title in titles)
