"""The demo register: SPEC §1 numbers, computed by the selectors from the seeded tenures."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Count, F
from django.utils import timezone

from accounts.models import User
from coordinators.models import (
    CoordinatorProfile,
    HandoverFile,
    Post,
    Scheme,
    Tenure,
)
from coordinators.selectors import (
    POST_FILLED,
    arrivals,
    person_seniority_days,
    posts_at,
    schemes_due_for_renewal,
    turnover_figures,
)
from demo.register import seed_register

pytestmark = pytest.mark.django_db
DEPARTMENTS = {"75", "77", "78", "91", "92", "93", "94", "95"}


@pytest.fixture
def seeded(register_seeded):
    return register_seeded


def snapshot():
    return {
        "schemes": sorted(
            Scheme.objects.values_list("kind", "name", "status", "signed_on", "ends_on")
        ),
        "scheme communes": Scheme.communes.through.objects.count(),
        "posts": sorted(Post.objects.values_list("pk", "fte", "opened_on", "status_unknown")),
        "post schemes": Post.schemes.through.objects.count(),
        "tenures": sorted(
            Tenure.objects.values_list("post_id", "person_id", "started_on", "ended_on")
        ),
        "users": User.objects.count(),
        "profiles": CoordinatorProfile.objects.count(),
        "profile topics": CoordinatorProfile.topics.through.objects.count(),
        "handovers": sorted(HandoverFile.objects.values_list("post_id", "updated_at")),
    }


def test_schemes_per_type_and_departement(seeded):
    assert dict(Scheme.objects.values_list("kind").annotate(n=Count("pk"))) == {
        "CLS": 82,
        "CLSM": 69,
        "ASV": 67,
    }
    per_department = Counter(Scheme.objects.values_list("department__code", flat=True))
    assert set(per_department) == DEPARTMENTS
    assert per_department["93"] == max(per_department.values())
    assert {code for code, _ in per_department.most_common(4)} == {"93", "95", "94", "91"}

    # A commune has at most one scheme of each type; Paris schemes are on arrondissements.
    pairs = list(Scheme.communes.through.objects.values_list("scheme__kind", "commune__code_insee"))
    assert len(pairs) == len(set(pairs))
    assert not Scheme.objects.filter(communes__code_insee="75056").exists()
    assert Scheme.objects.filter(communes__code_insee__startswith="751").count() >= 10
    # A scheme's département is that of its communes (the rule of `scheme_save`).
    assert not Scheme.objects.exclude(communes__department=F("department")).exists()

    today = timezone.localdate()
    statuses = Counter(Scheme.objects.values_list("status", flat=True))
    assert statuses["active"] > 0.8 * 218
    assert statuses["renewing"] >= 3 and 3 <= statuses["ended"] <= 10
    due = schemes_due_for_renewal(12, today).filter(kind="CLS", ends_on__gte=today)
    assert due.count() >= 5
    assert not Scheme.objects.filter(signed_on__lt=date(2010, 1, 1)).exists()
    assert Scheme.objects.exclude(qpv_names="").count() >= 5
    carriers = Counter(Scheme.objects.values_list("carrier_kind", flat=True))
    assert carriers["commune"] > 0.6 * 218
    assert carriers["intercommunality"] and carriers["ccas"]
    assert Scheme.objects.filter(kind="CLSM", carrier_kind="hospital").exists()


def test_posts_vacancies_turnover_and_seniority(seeded):
    counts, seconds = seeded
    today = timezone.localdate()
    posts = list(posts_at(today))
    assert 190 <= len(posts) <= 210
    figures = turnover_figures(date(today.year, 1, 1), today)
    assert 15 <= figures["vacant"] <= 25
    assert figures["unknown"] == 6
    assert counts["postes vacants"] == figures["vacant"]
    assert counts["dispositifs"] == 218
    assert all(0.5 <= post.fte <= 1 for post in Post.objects.all())

    # Some coordinators hold two schemes: one post, two schemes of one commune.
    two = Post.objects.annotate(n=Count("schemes")).filter(n=2).prefetch_related("schemes")
    assert two.count() >= 5
    for post in two:
        communes = [set(s.communes.values_list("pk", flat=True)) for s in post.schemes.all()]
        assert communes[0] & communes[1]

    # About 18 arrivals a year.
    per_year = [arrivals(date(y, 1, 1), date(y, 12, 31)).count() for y in range(2016, 2026)]
    assert 15 <= sum(per_year) / len(per_year) <= 21, per_year

    # A seniority mix like the interviews: many under a year, some over four.
    filled = [p.pk for p in posts if p.status_at == POST_FILLED]
    holders = User.objects.filter(
        tenures__post__in=filled, tenures__ended_on__isnull=True
    ).distinct()
    seniority = [person_seniority_days(person, today) for person in holders]
    assert len(seniority) == len(filled)
    assert sum(days < 365 for days in seniority) >= 0.3 * len(seniority)
    assert sum(365 * 2 <= days < 365 * 4 for days in seniority) >= 0.05 * len(seniority)
    assert sum(days >= 365 * 4 for days in seniority) >= 0.1 * len(seniority)

    # Departures have reasons; vacancies last from a few weeks to many months.
    assert not Tenure.objects.filter(ended_on__isnull=False, end_reason="").exists()
    assert Tenure.objects.values("end_reason").distinct().count() >= 6
    assert figures["longest_vacancy_days"] > 180
    for post in Post.objects.prefetch_related("tenures"):
        tenures = sorted(post.tenures.all(), key=lambda t: t.started_on)
        assert all(t.started_on >= post.opened_on for t in tenures)
        for before, after in zip(tenures, tenures[1:], strict=False):
            assert before.ended_on is not None and before.ended_on <= after.started_on
        if post.closed_on:
            assert all(t.ended_on and t.ended_on <= post.closed_on for t in tenures)
    # No one holds two posts at once.
    for person in User.objects.annotate(n=Count("tenures")).filter(n__gt=1):
        tenures = sorted(person.tenures.all(), key=lambda t: t.started_on)
        for before, after in zip(tenures, tenures[1:], strict=False):
            assert before.ended_on is not None and before.ended_on <= after.started_on
    assert seconds < 15


def test_coordinators_and_their_profiles(seeded):
    coordinators = User.objects.filter(email__endswith="@exemple-coordination.fr")
    assert coordinators.count() >= 250
    assert not any(user.has_usable_password() for user in coordinators)
    assert not coordinators.filter(last_login__isnull=False).exists()
    assert not coordinators.filter(tenures=None).exists()
    profiles = CoordinatorProfile.objects.filter(user__in=coordinators)
    assert profiles.count() == coordinators.count()
    assert not profiles.exclude(status="approved").exists()
    assert not profiles.filter(commune=None).exists()
    assert not profiles.filter(employer="").exists()
    backgrounds = Counter(profiles.values_list("background__name", flat=True))
    assert len(backgrounds) >= 8
    assert backgrounds["Santé publique"] < backgrounds["Administration publique"]
    masters = profiles.filter(diploma_level__in=["bac+5", "bac+8"]).count()
    assert masters > 0.6 * profiles.count()


def test_the_two_demo_coordinators_hold_their_posts(seeded):
    today = timezone.localdate()
    new = User.objects.get(email="coordinatrice@demo.example.org")
    assert new.has_usable_password()  # the README password of seed_accounts is kept
    tenure = Tenure.objects.get(person=new)
    assert tenure.ended_on is None
    assert 80 <= (today - tenure.started_on).days <= 100
    covered = {(s.kind, c.code_insee) for s in tenure.post.schemes.all() for c in s.communes.all()}
    assert covered == {("CLS", "93066"), ("ASV", "93066")}
    # The handover file her predecessor wrote before leaving.
    handover = tenure.post.handover
    assert all(getattr(handover, name) for name, _ in HandoverFile.SECTIONS)
    previous = tenure.post.tenures.exclude(pk=tenure.pk).order_by("-started_on").first()
    assert handover.updated_by_name == previous.person.get_full_name()
    assert previous.ended_on < tenure.started_on
    assert handover.updated_at.date() <= previous.ended_on

    experienced = User.objects.get(email="coordinateur@demo.example.org")
    tenure = Tenure.objects.get(person=experienced)
    assert tenure.ended_on is None and tenure.started_on.year == 2016
    scheme = tenure.post.schemes.get()
    assert (scheme.kind, scheme.communes.get().code_insee) == ("CLSM", "95585")
    assert tenure.post.handover.steering and tenure.post.handover.tips
    assert experienced.coordinator_profile.background is not None
    assert HandoverFile.objects.exclude(updated_at=None).count() >= 4


def test_running_it_twice_changes_nothing(seeded):
    counts, _ = seeded
    before = snapshot()
    assert seed_register() == counts
    assert snapshot() == before
    # Nor on another day: the register is already there.
    seed_register(today=timezone.localdate() + timedelta(days=40))
    assert snapshot() == before


def test_it_is_deterministic(seeded):
    def history():
        return sorted(
            Tenure.objects.values_list(
                "person__email", "post__schemes__name", "started_on", "ended_on", "end_reason"
            )
        )

    first = history()
    Post.objects.all().delete()
    Scheme.objects.all().delete()
    User.objects.filter(email__endswith="@exemple-coordination.fr").delete()
    seed_register()
    assert history() == first
