"""The demo's vacancies: three open on posts vacant today, one closed by an arrival recorded on its
post, dated as they happened, one published by the post's last holder; seeding twice changes
nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Tenure, Vacancy
from coordinators.selectors import POST_VACANT, posts_at
from demo.loaders import accounts
from demo.vacancies import seed_vacancies

pytestmark = pytest.mark.django_db


def test_three_open_vacancies_on_posts_vacant_today(demo_seeded, client):
    today = timezone.localdate()
    listed = Vacancy.objects.filter(status="open", closes_on__gte=today)
    assert listed.count() == 3 == demo_seeded["offres d’emploi ouvertes"]
    vacant = set(posts_at(today).filter(status_at=POST_VACANT).values_list("pk", flat=True))
    assert {v.post_id for v in listed} <= vacant
    assert {v.post.schemes.get().kind for v in listed} == {"CLS", "CLSM", "ASV"}
    for vacancy in listed:
        assert vacancy.title.startswith("Coordinateur·rice d")
        assert vacancy.published_at.date() < today < vacancy.closes_on
        assert vacancy.contact_email or vacancy.contact_url
    # Visitors read them, without an account.
    page = client.get(reverse("vacancies"))
    assert set(page.context["page"]) == set(listed)


def test_one_published_by_the_post_s_last_holder_the_others_by_the_team(demo_seeded):
    staff = accounts().account("staff").email
    publishers = list(Vacancy.objects.values_list("published_by__email", flat=True))
    assert publishers.count(staff) == 3
    leaver = Vacancy.objects.exclude(published_by__email=staff).get()
    left = Tenure.objects.get(post=leaver.post, person=leaver.published_by)
    published_on = timezone.localtime(leaver.published_at).date()
    assert published_on - timedelta(days=90) <= left.ended_on <= published_on


def test_one_closed_by_an_arrival_on_its_post(demo_seeded, client):
    closed = Vacancy.objects.get(status="closed")
    assert closed.close_reason == Vacancy.CloseReason.FILLED
    arrival = Tenure.objects.get(post=closed.post, ended_on__isnull=True)
    assert closed.closed_on == arrival.started_on
    # A coordinator already in post in the département took it on too (a shared post).
    department = closed.post.schemes.get().department_id
    earlier = Tenure.objects.filter(person=arrival.person, ended_on__isnull=True).exclude(
        pk=arrival.pk
    )
    assert earlier.filter(
        started_on__lt=arrival.started_on, post__schemes__department_id=department
    ).exists()
    assert timezone.localtime(closed.published_at).date() < arrival.started_on
    assert demo_seeded["offres d’emploi closes"] == 1
    html = client.get(reverse("vacancy", args=[closed.pk])).content.decode()
    assert "Cette offre est close depuis le" in html and "poste pourvu" in html


def test_seeding_again_changes_nothing(demo_seeded):
    before = list(Vacancy.objects.order_by("pk").values())
    figures = seed_vacancies()
    assert list(Vacancy.objects.order_by("pk").values()) == before
    assert (figures["offres d’emploi ouvertes"], figures["offres d’emploi closes"]) == (3, 1)
    # The register's figures as the demo holds them once the arrival is recorded.
    assert figures["postes vacants"] == demo_seeded["postes vacants"]
    assert figures["prises de poste"] == demo_seeded["prises de poste"] == Tenure.objects.count()


def test_seeding_on_a_later_day_adds_nothing(demo_seeded):
    count = Vacancy.objects.count()
    seed_vacancies(today=timezone.localdate() + timedelta(days=40))
    assert Vacancy.objects.count() == count
