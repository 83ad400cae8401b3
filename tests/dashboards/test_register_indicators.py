"""The register's indicators against a small world whose figures are written by hand."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import Access, Role
from coordinators.models import Post, Scheme, Tenure
from dashboards.filters import Period, scope_for
from dashboards.indicators.register import (
    arrivals_and_departures,
    median_tenure,
    posts_status,
    register_indicators,
    schemes_by_kind_and_status,
    schemes_due,
    seniority_bands,
    turnover_years,
    vacancy_lengths,
)
from territories.models import Department
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF = Access(Role.STAFF, department_codes=None)
DD93 = Access(Role.PARTNER, department_codes=frozenset({"93"}))
PERIOD = Period.year(2026)  # ends on 2026-12-31, after today: "unknown" applies


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-11-25 12:00 +0100", tick=False):
        yield


def department(code):
    return Department.objects.get(code=code)


@pytest.fixture
def world():
    """Schemes, posts and tenures in 93, 95 and 75 (see each line for what it makes)."""
    d93, d95, d75 = department("93"), department("95"), department("75")
    # S1: CLS 93, due (ends within 12 months of 2026-12-31); S2: ASV 93 renewing, overdue.
    s1 = SchemeFactory(kind="CLS", department=d93, ends_on=date(2027, 6, 30))
    s2 = SchemeFactory(kind="ASV", department=d93, status="renewing", ends_on=date(2026, 3, 1))
    # S3: CLSM 95, not due; S4: CLS 95 ended (never due); S5: CLS 75 with no end date.
    s3 = SchemeFactory(
        kind="CLSM", department=d95, ends_on=date(2030, 1, 1), commune_codes=["95585"]
    )
    SchemeFactory(kind="CLS", department=d95, status="ended", ends_on=date(2026, 1, 1))
    s5 = SchemeFactory(kind="CLS", department=d75, commune_codes=["75056"])
    # S6: ASV 93 signed after the period: not counted at all.
    SchemeFactory(kind="ASV", department=d93, signed_on=date(2027, 2, 1))

    p1, p2 = PostFactory(schemes=[s1]), PostFactory(schemes=[s1])
    p3 = PostFactory(schemes=[s2], status_unknown=True)
    p4, p5 = PostFactory(schemes=[s3]), PostFactory(schemes=[s3])
    p6 = PostFactory(schemes=[s5])
    p7 = PostFactory(schemes=[s1, s3])  # shared by a 93 and a 95 scheme
    dan = UserFactory()
    TenureFactory(post=p1, started_on=date(2016, 3, 1))  # Alice
    TenureFactory(post=p2, started_on=date(2024, 5, 1), ended_on=date(2026, 5, 1))  # Bob
    TenureFactory(post=p3, started_on=date(2025, 9, 1))  # Carla
    TenureFactory(person=dan, post=p5, started_on=date(2021, 1, 1), ended_on=date(2026, 1, 31))
    TenureFactory(person=dan, post=p4, started_on=date(2026, 2, 1))
    TenureFactory(post=p6, started_on=date(2023, 6, 1))  # Eve
    TenureFactory(post=p7, started_on=date(2026, 6, 1))  # Fay


def test_schemes_by_type_and_status(world):
    result = schemes_by_kind_and_status(PERIOD, scope_for(STAFF))
    assert [code for code, _name in result.departments] == [
        "75", "77", "78", "91", "92", "93", "94", "95",
    ]  # fmt: skip
    # 93: S1 CLS active, S2 ASV renewing (S6 signed in 2027 is left out).
    assert result.rows["93"]["CLS"] == {"active": 1, "renewing": 0, "ended": 0}
    assert result.rows["93"]["ASV"] == {"active": 0, "renewing": 1, "ended": 0}
    # 95: S3 CLSM active, S4 CLS ended; 75: S5; 77 has none.
    assert result.rows["95"]["CLSM"]["active"] == 1 and result.rows["95"]["CLS"]["ended"] == 1
    assert result.rows["75"]["CLS"]["active"] == 1
    assert result.rows["77"]["CLS"] == {"active": 0, "renewing": 0, "ended": 0}
    assert result.total["CLS"] == {"active": 2, "renewing": 0, "ended": 1}


def test_schemes_due_for_renewal(world):
    result = schemes_due(PERIOD, scope_for(STAFF))
    # S1 ends 2027-06-30 (< 2027-12-31), S2 is overdue; S3 ends in 2030, S4 has ended.
    assert result.rows["93"] == {"due": 2} and result.rows["95"] == {"due": 0}
    assert result.total == {"due": 2}


def test_posts_filled_vacant_unknown_on_the_period_s_end(world):
    result = posts_status(PERIOD, scope_for(STAFF))
    # 93: P1 (Alice) and P7 (Fay) filled, P2 vacant since Bob left, P3 marked unknown.
    assert result.rows["93"] == {"posts": 4, "filled": 2, "vacant": 1, "unknown": 1}
    # 95: P4 (Dan) and P7 (shared) filled, P5 vacant since Dan moved to P4.
    assert result.rows["95"] == {"posts": 3, "filled": 2, "vacant": 1, "unknown": 0}
    assert result.rows["75"] == {"posts": 1, "filled": 1, "vacant": 0, "unknown": 0}
    # P1–P7 once each: the shared P7 is not counted twice.
    assert result.total == {"posts": 7, "filled": 4, "vacant": 2, "unknown": 1}


def test_a_past_end_reads_unknown_posts_from_their_tenures():
    post = PostFactory(status_unknown=True)
    TenureFactory(post=post, started_on=date(2020, 1, 1))
    result = posts_status(Period.year(2025), scope_for(STAFF))
    assert result.total == {"posts": 1, "filled": 1, "vacant": 0, "unknown": 0}


def test_vacancy_lengths(world):
    result = vacancy_lengths(PERIOD, scope_for(STAFF))
    # P2: vacant since 2026-05-01, 244 days on 2026-12-31 (31+30+31+31+30+31+30+31 - 1 + 1).
    assert result.rows["93"] == {"vacant": 1, "median_days": 244, "longest_days": 244}
    # P5: vacant since 2026-01-31, 334 days on 2026-12-31 (365 - 31).
    assert result.rows["95"] == {"vacant": 1, "median_days": 334, "longest_days": 334}
    assert result.rows["75"] == {"vacant": 0, "median_days": None, "longest_days": None}
    # Median of 244 and 334.
    assert result.total == {"vacant": 2, "median_days": 289, "longest_days": 334}


def test_arrivals_and_departures_per_year_with_a_3_year_trend(world):
    assert turnover_years(PERIOD) == [2024, 2025, 2026]
    assert turnover_years(Period.between(date(2022, 1, 1), date(2026, 6, 30)))[0] == 2022
    result = arrivals_and_departures(PERIOD, scope_for(STAFF))
    # 93: Bob arrived in 2024, Carla in 2025, Fay (P7) in 2026; Bob left in 2026.
    assert result.rows["93"] == {
        2024: {"arrivals": 1, "departures": 0},
        2025: {"arrivals": 1, "departures": 0},
        2026: {"arrivals": 1, "departures": 1},
    }
    # 95: Dan's move to P4 and Fay (P7) in 2026; Dan left P5 in 2026.
    assert result.rows["95"][2026] == {"arrivals": 2, "departures": 1}
    # Fay is one arrival in the region; Alice (2016), Dan's P5 (2021), Eve (2023) are older.
    assert result.total == {
        2024: {"arrivals": 1, "departures": 0},
        2025: {"arrivals": 1, "departures": 0},
        2026: {"arrivals": 2, "departures": 2},
    }


def test_median_tenure_of_tenures_ended_in_the_period(world):
    result = median_tenure(PERIOD, scope_for(STAFF))
    # Bob: 2024-05-01 → 2026-05-01, 730 days (2024 is a leap year, from May on it does not
    # count: 365 + 365). Dan on P5: 2021-01-01 → 2026-01-31, 5 × 365 + 1 (2024) + 30 = 1856.
    assert result.rows["93"] == {"ended": 1, "median_days": 730}
    assert result.rows["95"] == {"ended": 1, "median_days": 1856}
    assert result.total == {"ended": 2, "median_days": 1293}  # (730 + 1856) / 2


def test_seniority_bands_in_the_job(world):
    result = seniority_bands(PERIOD, scope_for(STAFF))
    # On 2026-12-31: Alice since 2016 (5+), Carla since 2025-09-01 (1–3), Fay since
    # 2026-06-01 (< 1): 93. Dan since his first post, 2021-01-01 (5+, though on P4 since
    # 2026), Fay again: 95. Eve since 2023-06-01 (3–5): 75. Bob has left.
    assert result.rows["93"] == {"under_1": 1, "1_to_3": 1, "3_to_5": 0, "5_and_more": 1}
    assert result.rows["95"] == {"under_1": 1, "1_to_3": 0, "3_to_5": 0, "5_and_more": 1}
    assert result.rows["75"] == {"under_1": 0, "1_to_3": 0, "3_to_5": 1, "5_and_more": 0}
    assert result.total == {"under_1": 1, "1_to_3": 1, "3_to_5": 1, "5_and_more": 2}


def test_a_partner_counts_its_departement_only(world):
    scope = scope_for(DD93, department_codes=["75", "95"])  # asked for more: keeps 93
    figures = register_indicators(PERIOD, scope)
    for breakdown in figures.values():
        assert [code for code, _name in breakdown.departments] == ["93"]
        assert list(breakdown.rows) == ["93"]
    assert figures["posts"].total == {"posts": 4, "filled": 2, "vacant": 1, "unknown": 1}
    assert figures["vacancies"].total["longest_days"] == 244
    assert figures["turnover"].total[2026] == {"arrivals": 1, "departures": 1}
    assert figures["tenure"].total == {"ended": 1, "median_days": 730}
    assert figures["seniority"].total == {"under_1": 1, "1_to_3": 1, "3_to_5": 0, "5_and_more": 1}
    assert figures["schemes_due"].total == {"due": 2}


def test_the_scheme_type_filter(world):
    figures = register_indicators(PERIOD, scope_for(STAFF, scheme_kind="CLS"))
    # CLS posts: P1, P2, P7 (through S1, in 93 only: its 95 scheme is a CLSM) and P6 (75).
    assert figures["posts"].rows["93"] == {"posts": 3, "filled": 2, "vacant": 1, "unknown": 0}
    assert figures["posts"].rows["95"] == {"posts": 0, "filled": 0, "vacant": 0, "unknown": 0}
    assert figures["posts"].total == {"posts": 4, "filled": 3, "vacant": 1, "unknown": 0}
    assert figures["schemes"].total["ASV"] == {"active": 0, "renewing": 0, "ended": 0}
    assert figures["schemes_due"].total == {"due": 1}  # S1 only
    # Fay (P7) counts in 93 as a CLS coordinator, not in 95.
    assert figures["seniority"].rows["95"]["under_1"] == 0
    assert figures["turnover"].rows["95"][2026] == {"arrivals": 0, "departures": 0}


def bulk_register(count):
    """`count` schemes in 93 and 95, each with a post, a past tenure and a current one."""
    d93, d95 = department("93"), department("95")
    schemes = Scheme.objects.bulk_create(
        Scheme(
            kind=("CLS", "ASV", "CLSM")[i % 3],
            name=f"Dispositif {i}",
            department=(d93, d95)[i % 2],
            carrier_name="Ville",
            carrier_kind="commune",
            ends_on=date(2027, 1 + i % 12, 1),
        )
        for i in range(count)
    )
    posts = Post.objects.bulk_create(
        Post(opened_on=date(2015, 1, 1), status_unknown=i % 7 == 0) for i in range(count)
    )
    Post.schemes.through.objects.bulk_create(
        Post.schemes.through(post=post, scheme=scheme)
        for post, scheme in zip(posts, schemes, strict=True)
    )
    people = [UserFactory() for _ in range(3)]
    tenures = []
    for i, post in enumerate(posts):
        tenures.append(
            Tenure(
                person=people[i % 3],
                post=post,
                started_on=date(2018 + i % 5, 1, 1),
                ended_on=date(2024 + i % 3, 3, 1),
            )
        )
        if i % 4:
            tenures.append(
                Tenure(person=people[(i + 1) % 3], post=post, started_on=date(2026, 4, 1))
            )
    Tenure.objects.bulk_create(tenures)


@pytest.mark.parametrize("access", [STAFF, DD93], ids=["region", "dd93"])
@pytest.mark.parametrize("kind", [None, "CLS"])
def test_the_queries_are_constant(access, kind):
    scope = scope_for(access, scheme_kind=kind)

    def queries():
        with CaptureQueriesContext(connection) as context:
            register_indicators(PERIOD, scope)
        return len(context)

    bulk_register(6)
    small = queries()
    bulk_register(300)
    assert queries() == small
    assert posts_status(PERIOD, scope).total["posts"] >= 50
