"""No page's number of queries grows with the amount of data."""

import pytest
from django.urls import reverse

from tests.factories import CoordinatorProfileFactory, InvitationFactory, commune
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

PAGES = [
    ("anonymous", "home"),
    ("coordinator", "home"),
    ("coordinator", "profile"),
    ("staff", "home"),
    ("staff", "manage:index"),
    ("staff", "manage:invitations"),
    ("staff", "manage:signups"),
    ("staff", "dashboard"),
    ("partner_dd93", "dashboard"),
    ("partner_ars", "dashboard"),
]


def add_data(size):
    communes = [commune(code) for code in ("93066", "93008", "95585", "91228")]
    for i in range(size):
        CoordinatorProfileFactory(commune=communes[i % 4])
        CoordinatorProfileFactory(commune=communes[i % 4], status="pending", reviewed_at=None)
        InvitationFactory(organisation=None)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url_name"), PAGES)
def test_queries_do_not_grow_with_data(client, user_for_role, role, url_name):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    url = reverse(url_name)
    add_data(2)
    small = count_queries(client, url)
    add_data(30)
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries with little data, {large} with more"
