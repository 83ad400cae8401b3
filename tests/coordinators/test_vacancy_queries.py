"""The public list of vacancies runs the same number of queries with 10 or 2,000 vacancies, and a
scheme's page the same with one post or several, each with its vacancy line."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Post, Scheme, Tenure
from tests.factories import CoordinatorProfileFactory
from tests.helpers import count_queries

from .vacancies_factories import bulk_vacancies, publish, vacant_post

pytestmark = pytest.mark.django_db

PARAMS = [{}, {"department": "93", "kind": "CLS"}, {"page": "3"}, {"department": "75"}]


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "staff", "partner_dd93"])
@pytest.mark.parametrize("params", PARAMS, ids=["all", "filtered", "page", "none"])
def test_the_list_s_queries_are_constant(client, user_for_role, role, params):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    bulk_vacancies(10)
    url = reverse("vacancies")
    small = count_queries(client, url, params)
    bulk_vacancies(1_990)
    bulk_vacancies(20, department_code="95", kind=Scheme.Kind.CLSM)
    large = count_queries(client, url, params)
    assert small == large
    if params.get("department") != "75":
        assert client.get(url, params).context["page"].paginator.count >= 2_000


def _left_post(scheme, person, staff):
    """A post of `scheme` that `person` left ten days ago, with its vacancy."""
    post = Post.objects.create(opened_on=date(2019, 1, 1))
    post.schemes.add(scheme)
    Tenure.objects.create(
        post=post,
        person=person,
        started_on=date(2019, 2, 1),
        ended_on=timezone.localdate() - timedelta(days=10),
        end_reason="left",
    )
    publish(post, by=staff)


@pytest.mark.parametrize("role", ["staff", "coordinator", "partner_dd93"])
def test_a_scheme_s_page_with_vacancies_runs_constant_queries(client, user_for_role, role, staff):
    user = user_for_role(role)
    client.force_login(user)
    scheme = vacant_post().schemes.get()
    leaver = user if role == "coordinator" else CoordinatorProfileFactory().user
    _left_post(scheme, leaver, staff)
    url = reverse("scheme", args=[scheme.pk])
    small = count_queries(client, url)
    for _ in range(6):
        _left_post(scheme, leaver, staff)
    vacant_post()  # and a post elsewhere
    large = count_queries(client, url)
    assert small == large
    html = client.get(url).content.decode()
    assert html.count("Offre publiée") == 7
    assert ("Publier l’offre" in html) == (role == "staff")  # the first post has none


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "staff"])
def test_a_vacancy_s_page_runs_constant_queries(client, user_for_role, role, staff):
    user = user_for_role(role)
    if user:
        client.force_login(user)
    vacancy = publish(by=staff)
    url = reverse("vacancy", args=[vacancy.pk])
    small = count_queries(client, url)
    bulk_vacancies(200)
    vacancy.post.schemes.add(*Scheme.objects.filter(department__code="93")[:3])
    assert count_queries(client, url) == small
