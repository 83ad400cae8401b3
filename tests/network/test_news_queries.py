"""The board and a post's page run the same number of queries with 10 or 2,000 posts."""

import pytest
from django.urls import reverse

from accounts.access import access_for
from network.selectors.news import news_for_space
from tests.helpers import count_queries

from .news_factories import bulk_posts, coordinator_in, publish

pytestmark = pytest.mark.django_db

FILTERS = [{}, {"category": "job"}, {"department": "95"}, {"department": "tous", "page": "3"}]


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_crpv95"])
@pytest.mark.parametrize("params", FILTERS, ids=["board", "category", "departement", "page"])
def test_the_board_s_queries_are_constant(client, user_for_role, promosante, role, params):
    person = coordinator_in("95") if role == "coordinator" else user_for_role(role)
    client.force_login(person)
    bulk_posts(10, promosante)
    url = reverse("news")
    small = count_queries(client, url, params)
    bulk_posts(1_990, promosante)
    large = count_queries(client, url, params)
    assert small == large
    assert client.get(url, params).context["page"].paginator.count > 40


@pytest.mark.parametrize("role", ["coordinator", "staff", "partner_crpv95"])
def test_a_post_s_page_queries_are_constant(client, user_for_role, promosante, staff, role):
    person = coordinator_in("95") if role == "coordinator" else user_for_role(role)
    client.force_login(person)
    bulk_posts(10, promosante)
    post = publish(staff, codes=["93", "95"], title="Lue")
    url = reverse("news_post", args=[post.pk])
    small = count_queries(client, url)
    bulk_posts(1_990, promosante)
    assert count_queries(client, url) == small


def test_mon_espace_s_news_queries_are_constant(promosante, django_assert_max_num_queries):
    person = coordinator_in("95")
    bulk_posts(2_000, promosante)
    access = access_for(person)
    with django_assert_max_num_queries(3):  # their départements, the posts, the départements
        news = news_for_space(access)
        [list(post.departments.all()) for post in news]
    assert len(news) == 4
